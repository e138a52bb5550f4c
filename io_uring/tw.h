/* SPDX-License-Identifier: GPL-2.0 */
/*
 * task_work of requests (tw.c): the callbacks a new ring's context is
 * set up with.
 */
#ifndef IOU_TW_H
#define IOU_TW_H

#include <linux/workqueue.h>
#include <linux/irq_work.h>

void io_fallback_work(struct work_struct *work);
void io_poll_wq_work(struct irq_work *work);

#endif
