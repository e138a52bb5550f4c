// SPDX-License-Identifier: GPL-2.0
/*
 * task_work: completions and retries handed back to the task that
 * submitted the request (normal task_work, DEFER_TASKRUN's per-ring list,
 * and the fallback kworker once the task is gone).
 */
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/errno.h>
#include <linux/syscalls.h>
#include <linux/compat.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/anon_inodes.h>
#include <linux/uaccess.h>
#include <linux/poll.h>
#include <linux/hrtimer.h>
#include <linux/sysctl.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/sched/signal.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/cred.h>
#include <linux/seq_file.h>
#include <linux/irq_work.h>
#include <linux/audit.h>
#include <linux/security.h>
#include <linux/kcov.h>
#include <linux/blkdev.h>
#include <linux/io_uring.h>
#include <linux/io_uring/cmd.h>

#include "io_uring.h"
#include "eventfd.h"
#include "napi.h"
#include "tw.h"

#include <trace/events/io_uring.h>

/**
 * io_tctx_run_task_work - run the request callbacks queued to a task
 * @tctx: the task's io_uring state
 */
void io_tctx_run_task_work(struct io_uring_task *tctx)
{
	struct llist_node *node = llist_reverse_order(llist_del_all(&tctx->task_list));
	struct io_ring_ctx *locked = NULL;
	unsigned int count = 0;

	while (node) {
		struct io_kiocb *req = llist_entry(node, struct io_kiocb, task_node);

		node = node->next;
		count++;
		if (req->ctx != locked) {
			if (locked) {
				io_flush_completions(locked);
				mutex_unlock(&locked->uring_lock);
			}
			locked = req->ctx;
			mutex_lock(&locked->uring_lock);
			/* cleared before the work runs: later adds set it again */
			if (locked->flags & IORING_SETUP_TASKRUN_FLAG)
				atomic_andnot(IORING_SQ_TASKRUN,
					      &locked->rings->sq_flags);
		}
		req->tw_func(req);
	}
	if (locked) {
		io_flush_completions(locked);
		mutex_unlock(&locked->uring_lock);
	}
	trace_io_uring_task_work_run(tctx, count);
}

/*
 * A task past exit_task_work() cannot take task_work any more: its queued
 * requests run from the ring's fallback worker instead. They hold ring
 * references, so the ring outlives them.
 */
void io_fallback_work(struct work_struct *work)
{
	struct io_ring_ctx *ctx = container_of(work, struct io_ring_ctx,
					       fallback_work);
	struct llist_node *node = llist_reverse_order(llist_del_all(&ctx->fallback_llist));

	kcov_remote_start_common(ctx->kcov_handle);
	mutex_lock(&ctx->uring_lock);
	while (node) {
		struct io_kiocb *req = llist_entry(node, struct io_kiocb, task_node);

		node = node->next;
		req->tw_func(req);
	}
	io_flush_completions(ctx);
	mutex_unlock(&ctx->uring_lock);
	kcov_remote_stop();
}

static void io_tctx_fallback(struct io_uring_task *tctx)
{
	struct llist_node *node = llist_del_all(&tctx->task_list);

	while (node) {
		struct io_kiocb *req = llist_entry(node, struct io_kiocb, task_node);
		/* once added, a running fallback worker may free the request */
		struct io_ring_ctx *ctx = req->ctx;

		node = node->next;
		if (llist_add(&req->task_node, &ctx->fallback_llist))
			schedule_work(&ctx->fallback_work);
	}
}

/*
 * IORING_SETUP_DEFER_TASKRUN: the work waits on the ring until its one
 * issuer asks for completions (io_uring_enter with GETEVENTS); nobody is
 * interrupted. A waiter is woken to run it (see io_wake_function()).
 */
static void io_req_local_work_add(struct io_kiocb *req)
{
	struct io_ring_ctx *ctx = req->ctx;
	struct io_uring_task *tctx = req->task->io_uring;
	/* (its task does not wait for it, and it may free task and tctx) */
	bool detached = req->flags & REQ_F_DETACHED;

	/*
	 * Once the request is on the list it may run, complete and free
	 * the last thing holding the ring or the task: the ring is freed an
	 * RCU grace period later at the earliest (io_ring_exit_work()), as
	 * is a task that exited, unless a detached request held its last
	 * reference; so after the add we touch the ring, and the task only
	 * for a request that is not detached.
	 */
	guard(rcu)();

	/* (a resize sets the flag again if it raced with this) */
	if (ctx->flags & IORING_SETUP_TASKRUN_FLAG)
		atomic_or(IORING_SQ_TASKRUN, &READ_ONCE(ctx->rings)->sq_flags);
	/*
	 * The first of a batch tells an eventfd or poller to come in. We
	 * may be inside a wakeup of poll_wq itself (a poll on this ring's
	 * own fd) or of another ring polling us back: never wake poll_wq
	 * from here, hand it to an irq_work (eventfd guards itself).
	 */
	if (llist_add(&req->task_node, &ctx->work_llist)) {
		io_eventfd_signal(ctx);
		if (wq_has_sleeper(&ctx->poll_wq))
			irq_work_queue(&ctx->poll_wq_work);
	}
	if (wq_has_sleeper(&ctx->cq_wait))
		wake_up(&ctx->cq_wait);
	/* an issuer cancelling at exit waits for its requests */
	if (unlikely(!detached && tctx && READ_ONCE(tctx->in_exit)))
		wake_up(&tctx->exit_wait);
}

/* Pollers of a DEFER_TASKRUN ring: there is work, enter to run it. */
void io_poll_wq_work(struct irq_work *work)
{
	struct io_ring_ctx *ctx = container_of(work, struct io_ring_ctx,
					       poll_wq_work);

	wake_up_interruptible_poll(&ctx->poll_wq, EPOLLIN | EPOLL_URING_WAKE);
}

/**
 * io_run_local_work - run the DEFER_TASKRUN work queued on @ctx
 * @ctx: the ring; uring_lock not held
 *
 * From the issuer's wait, or at its exit and the ring's, where the
 * callbacks see io_tw_cancelled() and cancel.
 *
 * Return: true if any ran.
 */
bool io_run_local_work(struct io_ring_ctx *ctx)
{
	if (llist_empty(&ctx->work_llist))
		return false;
	mutex_lock(&ctx->uring_lock);
	io_run_local_work_locked(ctx);
	mutex_unlock(&ctx->uring_lock);
	return true;
}

/**
 * io_run_local_work_locked - io_run_local_work() with uring_lock held
 * @ctx: the ring, uring_lock held, its work queued or not
 *
 * For the issuer's enter that submitted and is about to wait: the work
 * runs under the hold the submission took.
 */
void io_run_local_work_locked(struct io_ring_ctx *ctx)
{
	struct llist_node *node;
	unsigned int count = 0;

	lockdep_assert_held(&ctx->uring_lock);
	if (llist_empty(&ctx->work_llist))
		return;
	node = llist_reverse_order(llist_del_all(&ctx->work_llist));
	/* cleared before the work runs: later adds set it again */
	if (ctx->flags & IORING_SETUP_TASKRUN_FLAG)
		atomic_andnot(IORING_SQ_TASKRUN, &ctx->rings->sq_flags);
	while (node) {
		struct io_kiocb *req = llist_entry(node, struct io_kiocb, task_node);

		node = node->next;
		req->tw_func(req);
		count++;
	}
	io_flush_completions(ctx);
	trace_io_uring_local_work_run(ctx, count);
}

/**
 * io_req_task_work_add - run req->tw_func in the context of req->task
 * @req: the request
 *
 * Safe from any context, interrupts included. The callback runs with the
 * ring's uring_lock held; it runs from a kworker instead if the task is
 * exiting, which io_tw_cancelled() tells it.
 */
void io_req_task_work_add(struct io_kiocb *req)
{
	/* the request may be run, freed and reused once it is on the list */
	struct task_struct *task = req->task;
	struct io_uring_task *tctx = task->io_uring;
	struct io_ring_ctx *ctx = req->ctx;
	enum task_work_notify_mode notify = TWA_SIGNAL;
	bool detached;

	/* (first: it reads what it needs of the request itself) */
	if (ctx->flags & IORING_SETUP_DEFER_TASKRUN) {
		io_req_local_work_add(req);
		return;
	}
	/*
	 * A detached request may hold the last reference on the task, and
	 * its run may free task and tctx at once (not an RCU grace period
	 * later): after the add, only the first adder (nothing can run the
	 * list before it kicks it) may touch them. Its task does not wait
	 * for it at exit either.
	 */
	detached = req->flags & REQ_F_DETACHED;
	/* as in io_req_local_work_add(): ctx and tctx outlive this section */
	guard(rcu)();
	/*
	 * COOP_TASKRUN: no interrupt, the task runs it on its next entry.
	 * An SQPOLL thread may be asleep, and only a signal wakes it.
	 */
	if ((ctx->flags & (IORING_SETUP_COOP_TASKRUN | IORING_SETUP_SQPOLL)) ==
	    IORING_SETUP_COOP_TASKRUN)
		notify = TWA_SIGNAL_NO_IPI;
	/* TASKRUN_FLAG: tell user space that entering the kernel helps */
	if (ctx->flags & IORING_SETUP_TASKRUN_FLAG)
		atomic_or(IORING_SQ_TASKRUN, &ctx->rings->sq_flags);
	/* only the first entry of a batch needs to kick the task */
	if (llist_add(&req->task_node, &tctx->task_list) &&
	    unlikely(task_work_add(task, &tctx->task_work, notify)))
		io_tctx_fallback(tctx);
	if (!detached && unlikely(READ_ONCE(tctx->in_exit)))
		wake_up(&tctx->exit_wait);
}

static void io_req_tw_complete(struct io_kiocb *req)
{
	io_req_complete_defer(req);
}

/**
 * io_req_task_complete - complete a request from any context
 * @req: the request, with its result set
 */
void io_req_task_complete(struct io_kiocb *req)
{
	req->tw_func = io_req_tw_complete;
	io_req_task_work_add(req);
}
