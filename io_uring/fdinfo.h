/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc/<pid>/fdinfo of a ring (fdinfo.c).
 */
#ifndef IOU_FDINFO_H
#define IOU_FDINFO_H

#include <linux/seq_file.h>

#ifdef CONFIG_PROC_FS
void io_uring_show_fdinfo(struct seq_file *m, struct file *file);
#else
#define io_uring_show_fdinfo	NULL
#endif

#endif
