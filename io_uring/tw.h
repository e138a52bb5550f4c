/* SPDX-License-Identifier: GPL-2.0 */
/*
 * task_work of requests (tw.c): the callbacks a new ring's context is
 * set up with.
 */
#ifndef IOU_TW_H
#define IOU_TW_H

#include <linux/workqueue.h>
#include <linux/irq_work.h>
#include <linux/io_uring_types.h>
#include <linux/sched.h>

void io_fallback_work(struct work_struct *work);
void io_poll_wq_work(struct irq_work *work);

void io_req_task_work_add(struct io_kiocb *req);
bool io_run_local_work(struct io_ring_ctx *ctx);
void io_run_local_work_locked(struct io_ring_ctx *ctx);
void io_req_task_complete(struct io_kiocb *req);
void io_tctx_run_task_work(struct io_uring_task *tctx);

/* A DEFER_TASKRUN ring whose one issuer, which alone runs its work, is us */
static __always_inline bool io_is_defer_issuer(struct io_ring_ctx *ctx)
{
	return (ctx->flags & IORING_SETUP_DEFER_TASKRUN) &&
	       ctx->submitter_task == current;
}

#endif
