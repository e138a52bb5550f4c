/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Requests in io worker pools (iowq.c).
 */
#ifndef IOU_IOWQ_H
#define IOU_IOWQ_H

#include <linux/io_uring_types.h>

void io_iowq_unlink(struct io_kiocb *req);
bool io_queue_iowq_next(struct io_kiocb *prev, struct io_kiocb *req);

#endif
