// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_SETUP_IOPOLL: completions found by polling the device rather
 * than by its interrupt. Requests of ops that support it (reads and
 * writes, uring_cmd passthrough: the opcode table's ->iopoll_poll and
 * ->iopoll_done) go on the ring's IOPOLL list when issued; the reaper
 * polls their devices and posts those done, from io_uring_enter(2)
 * (with IORING_SETUP_HYBRID_IOPOLL after a sleep) or the SQPOLL thread.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/blkdev.h>
#include <linux/blk-mq.h>
#include <linux/hrtimer.h>
#include <linux/indirect_call_wrapper.h>
#include <linux/sched/signal.h>
#include <linux/io_uring_types.h>

#include "io_uring.h"
#include "opdef.h"
#include "rw.h"
#include "uring_cmd.h"
#include "iopoll.h"

/*
 * The op's device poll: reads and writes, or commands. A direct call for
 * the two there are (INDIRECT_CALL_2(): no retpoline in the reaper).
 */
static int io_iopoll_poll(struct io_kiocb *req, struct io_comp_batch *iob,
			  unsigned int poll_flags)
{
	const struct io_op_def *def = &io_op_defs[req->opcode];

	return INDIRECT_CALL_2(def->iopoll_poll, io_rw_iopoll,
			       io_uring_cmd_iopoll, req, iob, poll_flags);
}

/* Finish a request the poller found done. */
static void io_iopoll_finish(struct io_kiocb *req)
{
	const struct io_op_def *def = &io_op_defs[req->opcode];

	list_del(&req->iopoll_node);
	/* (a command's io_uring_cmd_done() set its result: it has none) */
	if (def->iopoll_done &&
	    !INDIRECT_CALL_1(def->iopoll_done, io_rw_iopoll_done, req))
		return;
	io_req_complete_defer(req);
}

/**
 * io_iopoll_reap - poll the ring's polled requests, post those done
 * @ctx: the ring, uring_lock held
 * @min: non-zero: spin in the driver until something completes; 0: one
 *	pass that does not spin
 *
 * Return: how many completed, or a negative errno from the driver.
 */
int io_iopoll_reap(struct io_ring_ctx *ctx, unsigned int min)
{
	DEFINE_IO_COMP_BATCH(iob);
	unsigned int poll_flags = min ? 0 : BLK_POLL_ONESHOT;
	struct io_kiocb *req, *tmp;
	int found = 0, ret = 0;

	lockdep_assert_held(&ctx->uring_lock);
	list_for_each_entry(req, &ctx->iopoll_list, iopoll_node) {
		if (READ_ONCE(req->iopoll_done))
			continue;
		ret = io_iopoll_poll(req, &iob, poll_flags);
		if (ret < 0)
			break;
		/* found some: look at the others without spinning */
		if (ret > 0)
			poll_flags |= BLK_POLL_ONESHOT;
		if (!rq_list_empty(&iob.req_list) ||
		    READ_ONCE(req->iopoll_done))
			break;
	}
	if (!rq_list_empty(&iob.req_list))
		iob.complete(&iob);
	list_for_each_entry_safe(req, tmp, &ctx->iopoll_list, iopoll_node) {
		/* pairs with the release in the completion */
		if (!smp_load_acquire(&req->iopoll_done))
			continue;
		io_iopoll_finish(req);
		found++;
	}
	if (found)
		io_flush_completions(ctx);
	return ret < 0 ? ret : found;
}

/*
 * IORING_SETUP_HYBRID_IOPOLL (6.13): before polling, sleep for half of
 * what a wait for a completion took on average (capped): the CPU is free
 * for most of a device's latency, and polling still catches the
 * completion close to when it happens.
 */
#define IO_HYBRID_MAX_SLEEP_NS	(10 * NSEC_PER_MSEC)

static void io_hybrid_sleep(struct io_ring_ctx *ctx)
{
	u64 ns = min_t(u64, READ_ONCE(ctx->hybrid_poll_ns) / 2,
		       IO_HYBRID_MAX_SLEEP_NS);
	ktime_t kt = ns_to_ktime(ns);

	if (!ns)
		return;
	set_current_state(TASK_INTERRUPTIBLE);
	schedule_hrtimeout(&kt, HRTIMER_MODE_REL);
}

/* A wait that found a completion after @ns: the average moves 1/8 there. */
static void io_hybrid_account(struct io_ring_ctx *ctx, u64 ns)
{
	u64 avg = READ_ONCE(ctx->hybrid_poll_ns);

	WRITE_ONCE(ctx->hybrid_poll_ns, avg ? avg - avg / 8 + ns / 8 : ns);
}

/* Work for current that io_iopoll_wait() runs without uring_lock */
static __always_inline bool io_iopoll_work_pending(struct io_ring_ctx *ctx)
{
	return task_work_pending(current) || !llist_empty(&ctx->work_llist) ||
	       test_thread_flag(TIF_NOTIFY_SIGNAL);
}

/* io_iopoll_wait() once the CQ had nothing to return at once */
int __io_iopoll_wait(struct io_ring_ctx *ctx, unsigned int min)
{
	bool hybrid = (ctx->flags & IORING_SETUP_HYBRID_IOPOLL) && min;
	u64 start = 0;
	int ret = 0;

	lockdep_assert_held(&ctx->uring_lock);
	if (hybrid) {
		io_cqring_overflow_flush_locked(ctx);
		if (io_cqring_events(ctx) || !io_iopoll_pending(ctx)) {
			hybrid = false;
		} else {
			start = ktime_get_ns();
			mutex_unlock(&ctx->uring_lock);
			io_hybrid_sleep(ctx);
			mutex_lock(&ctx->uring_lock);
		}
	}
	for (;;) {
		io_cqring_overflow_flush_locked(ctx);
		if (io_cqring_events(ctx))
			break;
		ret = io_iopoll_reap(ctx, min);
		if (ret < 0)
			break;
		ret = 0;
		if (unlikely(io_iopoll_work_pending(ctx))) {
			mutex_unlock(&ctx->uring_lock);
			io_run_task_work();
			io_run_local_work(ctx);
			mutex_lock(&ctx->uring_lock);
		}
		if (!min || io_cqring_events(ctx))
			break;
		/* (a bare TIF_NOTIFY_SIGNAL is no work to wait for) */
		if (!io_iopoll_pending(ctx) && !task_work_pending(current) &&
		    llist_empty(&ctx->work_llist))
			break;
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		mutex_unlock(&ctx->uring_lock);
		cond_resched();
		mutex_lock(&ctx->uring_lock);
	}
	if (hybrid && io_cqring_events(ctx))
		io_hybrid_account(ctx, ktime_get_ns() - start);
	return ret;
}
