/* SPDX-License-Identifier: GPL-2.0 */
/*
 * io-wq: the pool of io worker threads that run requests which must
 * block. The scheduler calls these hooks for PF_IO_WORKER tasks; no such
 * tasks exist until the worker pool lands, so they have nothing to do.
 */
#ifndef IOU_IO_WQ_H
#define IOU_IO_WQ_H

struct task_struct;

static inline void io_wq_worker_sleeping(struct task_struct *tsk)
{
}

static inline void io_wq_worker_running(struct task_struct *tsk)
{
}

#endif
