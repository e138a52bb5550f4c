// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_TIMEOUT, TIMEOUT_REMOVE (and update) and LINK_TIMEOUT.
 *
 * A timeout completes with -ETIME when its timer fires, or with 0 once
 * sqe->off other completions have been posted since it was armed (count
 * timeouts). Timeouts that expire or reach their count do not count as
 * completions for other timeouts.
 * A LINK_TIMEOUT guards the request before it in a chain: armed when
 * that request is issued, it cancels it on expiry; if the request
 * finishes first, the link timeout completes with -ECANCELED.
 *
 * The timer callback runs in hard interrupt context: it takes the
 * timeout off ctx->timeout_list under timeout_lock and hands it to its
 * task. Whoever takes a timeout off that list (callback, removal, count
 * completion) owns its completion.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/hrtimer.h>
#include <linux/slab.h>
#include <linux/time.h>
#include <linux/io_uring_types.h>

#include "io_uring.h"
#include "timeout.h"
#include "cancel.h"

#define IO_TIMEOUT_FLAGS	(IORING_TIMEOUT_ABS | IORING_TIMEOUT_CLOCK_MASK | \
				 IORING_TIMEOUT_ETIME_SUCCESS | \
				 IORING_TIMEOUT_MULTISHOT | \
				 IORING_TIMEOUT_IMMEDIATE_ARG)

struct io_timeout_data {
	struct io_kiocb		*req;
	struct hrtimer		timer;
	ktime_t			interval;
	enum hrtimer_mode	mode;
	clockid_t		clock;
};

struct io_timeout {
	struct file		*file;
	struct list_head	list;
	/* count timeouts: complete when the CQ sequence gets here */
	u32			off;
	u32			target_seq;
	/* multishot: expirations left, 0 for no limit */
	u32			repeats;
	u32			flags;
	/* LINK_TIMEOUT: the request it guards, until either finishes */
	struct io_kiocb		*head;
};

struct io_timeout_rem {
	struct file		*file;
	u64			user_data;
	struct timespec64	ts;
	u32			flags;
};

static struct io_timeout_data *io_td(struct io_kiocb *req)
{
	return req->async_data;
}

static u32 io_cq_seq(struct io_ring_ctx *ctx)
{
	return ctx->cq_seq - ctx->cq_timeouts;
}

static int io_timeout_clock(u32 flags, clockid_t *clock)
{
	switch (flags & IORING_TIMEOUT_CLOCK_MASK) {
	case 0:
		*clock = CLOCK_MONOTONIC;
		return 0;
	case IORING_TIMEOUT_BOOTTIME:
		*clock = CLOCK_BOOTTIME;
		return 0;
	case IORING_TIMEOUT_REALTIME:
		*clock = CLOCK_REALTIME;
		return 0;
	}
	return -EINVAL;
}

static int io_get_ts(struct timespec64 *ts, u64 addr)
{
	if (get_timespec64(ts, u64_to_user_ptr(addr)))
		return -EFAULT;
	if (ts->tv_sec < 0 || ts->tv_nsec < 0)
		return -EINVAL;
	return 0;
}

void io_timeout_cleanup(struct io_kiocb *req)
{
	kfree(req->async_data);
	req->async_data = NULL;
}

static enum hrtimer_restart io_timeout_fn(struct hrtimer *timer);

static int __io_timeout_prep(struct io_kiocb *req,
			     const struct io_uring_sqe *sqe, bool is_link)
{
	struct io_timeout *t = io_kiocb_to_cmd(req, struct io_timeout);
	struct io_timeout_data *data;
	struct timespec64 ts;
	u32 flags = READ_ONCE(sqe->timeout_flags);
	u32 off = READ_ONCE(sqe->off);
	clockid_t clock;
	int ret;

	if (READ_ONCE(sqe->buf_index) || READ_ONCE(sqe->len) != 1 ||
	    READ_ONCE(sqe->splice_fd_in) || READ_ONCE(sqe->ioprio))
		return -EINVAL;
	if (flags & ~IO_TIMEOUT_FLAGS)
		return -EINVAL;
	if (io_timeout_clock(flags, &clock))
		return -EINVAL;
	if (is_link) {
		/* it guards the request before it: it cannot start a chain */
		if (off || (flags & IORING_TIMEOUT_MULTISHOT) ||
		    !req->ctx->link_head)
			return -EINVAL;
	} else if ((flags & IORING_TIMEOUT_MULTISHOT) &&
		   (flags & IORING_TIMEOUT_ABS)) {
		/* an absolute time passes once */
		return -EINVAL;
	}
	if (flags & IORING_TIMEOUT_IMMEDIATE_ARG) {
		/* the time itself, in nanoseconds: nothing to copy (7.1) */
		u64 ns = READ_ONCE(sqe->addr);

		if (ns > KTIME_MAX)
			return -EINVAL;
		ts = ns_to_timespec64(ns);
	} else {
		ret = io_get_ts(&ts, READ_ONCE(sqe->addr));
		if (ret)
			return ret;
	}

	data = kmalloc(sizeof(*data), GFP_KERNEL_ACCOUNT);
	if (!data)
		return -ENOMEM;
	data->req = req;
	data->clock = clock;
	data->mode = (flags & IORING_TIMEOUT_ABS) ? HRTIMER_MODE_ABS :
						     HRTIMER_MODE_REL;
	data->interval = timespec64_to_ktime(ts);
	hrtimer_init(&data->timer, clock, data->mode);
	data->timer.function = io_timeout_fn;
	req->async_data = data;
	req->flags |= REQ_F_NEED_CLEANUP;

	INIT_LIST_HEAD(&t->list);
	t->flags = flags;
	t->head = NULL;
	if (flags & IORING_TIMEOUT_MULTISHOT) {
		req->flags |= REQ_F_MSHOT;
		t->repeats = off;
		t->off = 0;
	} else {
		t->off = off;
	}
	return 0;
}

int io_timeout_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	return __io_timeout_prep(req, sqe, false);
}

int io_link_timeout_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	return __io_timeout_prep(req, sqe, true);
}

/* The flush looks for counting timeouts (io_flush_timeouts()) while any */
static void io_count_timeouts_add(struct io_ring_ctx *ctx, int nr)
{
	ctx->nr_count_timeouts += nr;
	ctx->count_timeouts = ctx->nr_count_timeouts != 0;
}

/* Under timeout_lock: list @req (counted if it counts CQEs), start its timer. */
static void io_timeout_start(struct io_kiocb *req)
{
	struct io_timeout *t = io_kiocb_to_cmd(req, struct io_timeout);
	struct io_timeout_data *data = io_td(req);

	list_add_tail(&t->list, &req->ctx->timeout_list);
	if (t->off)
		io_count_timeouts_add(req->ctx, 1);
	hrtimer_start(&data->timer, data->interval, data->mode);
}

int io_timeout(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_timeout *t = io_kiocb_to_cmd(req, struct io_timeout);
	struct io_ring_ctx *ctx = req->ctx;

	spin_lock_irq(&ctx->timeout_lock);
	t->target_seq = io_cq_seq(ctx) + t->off;
	io_timeout_start(req);
	spin_unlock_irq(&ctx->timeout_lock);
	return IOU_ISSUE_SKIP_COMPLETE;
}

static void io_timeout_expired_tw(struct io_kiocb *req);
static void io_link_timeout_expired_tw(struct io_kiocb *req);

/* Hard interrupt context: hand the expired timeout to its task. */
static enum hrtimer_restart io_timeout_fn(struct hrtimer *timer)
{
	struct io_kiocb *req = container_of(timer, struct io_timeout_data,
					    timer)->req;
	struct io_timeout *t = io_kiocb_to_cmd(req, struct io_timeout);
	unsigned long irqflags;

	/* nobody else touches it while this runs (try_to_cancel fails) */
	req->tw_func = req->opcode == IORING_OP_LINK_TIMEOUT ?
		       io_link_timeout_expired_tw : io_timeout_expired_tw;
	/* off the list: from here on, the task_work owns the timeout */
	spin_lock_irqsave(&req->ctx->timeout_lock, irqflags);
	list_del_init(&t->list);
	spin_unlock_irqrestore(&req->ctx->timeout_lock, irqflags);
	io_req_task_work_add(req);
	return HRTIMER_NORESTART;
}

static void io_timeout_set_etime(struct io_kiocb *req)
{
	struct io_timeout *t = io_kiocb_to_cmd(req, struct io_timeout);

	io_req_set_res(req, -ETIME, 0);
	/* -ETIME is the expected answer: the chain goes on */
	if (t->flags & IORING_TIMEOUT_ETIME_SUCCESS)
		req->flags |= REQ_F_ETIME_OK;
}

static void io_timeout_expired_tw(struct io_kiocb *req)
{
	struct io_timeout *t = io_kiocb_to_cmd(req, struct io_timeout);
	struct io_ring_ctx *ctx = req->ctx;

	WRITE_ONCE(ctx->cq_timeouts, ctx->cq_timeouts + 1);
	if (t->off)
		io_count_timeouts_add(ctx, -1);
	if ((req->flags & REQ_F_MSHOT) && !io_tw_cancelled(req) &&
	    t->repeats != 1) {
		/* more to come: a CQE with F_MORE, and the timer again */
		if (io_post_aux_cqe(ctx, req->cqe.user_data, -ETIME,
				    IORING_CQE_F_MORE, 0)) {
			if (t->repeats)
				t->repeats--;
			spin_lock_irq(&ctx->timeout_lock);
			io_timeout_start(req);
			spin_unlock_irq(&ctx->timeout_lock);
			return;
		}
	}
	io_timeout_set_etime(req);
	io_req_complete_defer(req);
}

/*
 * Take a timeout off the list with its timer stopped. False if its timer
 * is firing: the callback owns it then.
 */
static bool io_timeout_disarm(struct io_kiocb *req)
{
	struct io_timeout *t = io_kiocb_to_cmd(req, struct io_timeout);

	lockdep_assert_held(&req->ctx->timeout_lock);
	if (list_empty(&t->list))
		return false;
	if (hrtimer_try_to_cancel(&io_td(req)->timer) == -1)
		return false;
	list_del_init(&t->list);
	if (t->off)
		io_count_timeouts_add(req->ctx, -1);
	return true;
}

/**
 * io_flush_timeouts - complete count timeouts whose count is reached
 * @ctx: the ring, with uring_lock held
 */
void io_flush_timeouts(struct io_ring_ctx *ctx)
{
	struct io_timeout *t, *tmp;
	u32 seq = io_cq_seq(ctx);

	lockdep_assert_held(&ctx->uring_lock);
	spin_lock_irq(&ctx->timeout_lock);
	list_for_each_entry_safe(t, tmp, &ctx->timeout_list, list) {
		struct io_kiocb *req = cmd_to_io_kiocb(t);

		if (!t->off || (s32)(seq - t->target_seq) < 0)
			continue;
		if (!io_timeout_disarm(req))
			continue;
		/* its own CQE does not count for the others, as 6.12 has it */
		WRITE_ONCE(ctx->cq_timeouts, ctx->cq_timeouts + 1);
		io_req_set_res(req, 0, 0);
		io_req_complete_defer(req);
	}
	spin_unlock_irq(&ctx->timeout_lock);
}

static struct io_kiocb *io_timeout_find(struct io_ring_ctx *ctx, u64 user_data,
					bool link)
{
	struct io_timeout *t;

	list_for_each_entry(t, &ctx->timeout_list, list) {
		struct io_kiocb *req = cmd_to_io_kiocb(t);

		bool is_link = req->opcode == IORING_OP_LINK_TIMEOUT;

		if (req->cqe.user_data == user_data && is_link == link)
			return req;
	}
	return NULL;
}

/**
 * io_timeout_cancel - cancel pending timeouts (not link timeouts)
 * @ctx: the ring, with uring_lock held
 * @match: which requests; NULL for all
 * @data: passed to @match
 * @all: every match, not just the first
 * @running: incremented for each match whose timer is firing
 *
 * Return: how many were cancelled; they complete with -ECANCELED.
 */
int io_timeout_cancel(struct io_ring_ctx *ctx,
		      bool (*match)(struct io_kiocb *req, void *data),
		      void *data, bool all, int *running)
{
	struct io_timeout *t, *tmp;
	int nr = 0;

	lockdep_assert_held(&ctx->uring_lock);
	spin_lock_irq(&ctx->timeout_lock);
	list_for_each_entry_safe(t, tmp, &ctx->timeout_list, list) {
		struct io_kiocb *req = cmd_to_io_kiocb(t);

		if (req->opcode == IORING_OP_LINK_TIMEOUT)
			continue;
		if (match && !match(req, data))
			continue;
		if (io_timeout_disarm(req)) {
			io_req_fail(req, -ECANCELED);
			nr++;
		} else {
			(*running)++;
		}
		if (!all)
			break;
	}
	spin_unlock_irq(&ctx->timeout_lock);
	return nr;
}

/**
 * io_timeout_detach_task - an exited thread's timeouts run on without it
 * @ctx: the ring, with uring_lock held
 * @task: the task
 */
void io_timeout_detach_task(struct io_ring_ctx *ctx, struct task_struct *task)
{
	struct io_timeout *t;

	lockdep_assert_held(&ctx->uring_lock);
	spin_lock_irq(&ctx->timeout_lock);
	list_for_each_entry(t, &ctx->timeout_list, list) {
		struct io_kiocb *req = cmd_to_io_kiocb(t);

		if (req->task == task && req->opcode == IORING_OP_TIMEOUT)
			io_req_detach_task(req);
	}
	spin_unlock_irq(&ctx->timeout_lock);
}

int io_timeout_remove_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_timeout_rem *tr = io_kiocb_to_cmd(req, struct io_timeout_rem);
	u32 flags = READ_ONCE(sqe->timeout_flags);
	clockid_t clock;
	int ret;

	if (READ_ONCE(sqe->buf_index) || READ_ONCE(sqe->len) ||
	    READ_ONCE(sqe->splice_fd_in) || READ_ONCE(sqe->ioprio))
		return -EINVAL;
	tr->user_data = READ_ONCE(sqe->addr);
	tr->flags = flags;
	if (!(flags & IORING_TIMEOUT_UPDATE_MASK)) {
		if (flags || READ_ONCE(sqe->addr2))
			return -EINVAL;
		return 0;
	}
	/* an update, of a link timeout if that bit is set (as 6.12) */
	if (flags & ~(IORING_TIMEOUT_UPDATE_MASK | IORING_TIMEOUT_ABS |
		      IORING_TIMEOUT_CLOCK_MASK))
		return -EINVAL;
	if (io_timeout_clock(flags, &clock))
		return -EINVAL;
	ret = io_get_ts(&tr->ts, READ_ONCE(sqe->addr2));
	return ret;
}

int io_timeout_remove(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_timeout_rem *tr = io_kiocb_to_cmd(req, struct io_timeout_rem);
	bool link = tr->flags & IORING_LINK_TIMEOUT_UPDATE;
	struct io_ring_ctx *ctx = req->ctx;
	struct io_timeout_data *data;
	struct io_kiocb *target;
	int ret = 0;

	spin_lock_irq(&ctx->timeout_lock);
	target = io_timeout_find(ctx, tr->user_data, link);
	if (!target) {
		ret = -ENOENT;
	} else if (!io_timeout_disarm(target)) {
		ret = -EALREADY;
	} else if (!(tr->flags & IORING_TIMEOUT_UPDATE_MASK)) {
		/* from task_work: the remove's CQE comes first, as in 6.12 */
		target->flags |= REQ_F_FAIL;
		io_req_set_res(target, -ECANCELED, 0);
		io_req_task_complete(target);
	} else {
		clockid_t clock;

		/* same timer, new expiry (and clock, if it changed) */
		data = io_td(target);
		io_timeout_clock(tr->flags, &clock);
		data->mode = (tr->flags & IORING_TIMEOUT_ABS) ?
			     HRTIMER_MODE_ABS : HRTIMER_MODE_REL;
		data->interval = timespec64_to_ktime(tr->ts);
		if (clock != data->clock) {
			data->clock = clock;
			hrtimer_init(&data->timer, clock, data->mode);
			data->timer.function = io_timeout_fn;
		}
		io_timeout_start(target);
	}
	spin_unlock_irq(&ctx->timeout_lock);
	io_req_set_res(req, ret, 0);
	return IOU_OK;
}

/* ---- LINK_TIMEOUT --------------------------------------------------- */

/**
 * io_link_timeout_arm - start the LINK_TIMEOUT that follows @req
 * @req: the request being issued
 * @lt: the LINK_TIMEOUT request linked after it
 */
void io_link_timeout_arm(struct io_kiocb *req, struct io_kiocb *lt)
{
	struct io_timeout *t = io_kiocb_to_cmd(lt, struct io_timeout);
	struct io_ring_ctx *ctx = req->ctx;

	lt->flags |= REQ_F_LTIMEOUT;
	t->head = req;
	spin_lock_irq(&ctx->timeout_lock);
	io_timeout_start(lt);
	spin_unlock_irq(&ctx->timeout_lock);
}

/**
 * io_link_timeout_disarm - @req finished before its link timeout @lt
 * @req: the guarded request, completing (uring_lock held)
 * @lt: its armed link timeout
 *
 * Return: what follows in the chain: the request after @lt if the timer
 * was stopped (@lt completes with -ECANCELED), or NULL if the timer
 * fired, in which case @lt completes from its own task_work.
 */
struct io_kiocb *io_link_timeout_disarm(struct io_kiocb *req,
					struct io_kiocb *lt)
{
	struct io_timeout *t = io_kiocb_to_cmd(lt, struct io_timeout);
	struct io_ring_ctx *ctx = req->ctx;
	struct io_kiocb *nxt = NULL;

	spin_lock_irq(&ctx->timeout_lock);
	t->head = NULL;
	if (io_timeout_disarm(lt)) {
		nxt = lt->link;
		lt->link = NULL;
		/* not a failure: IOSQE_CQE_SKIP_SUCCESS drops its CQE */
		if (lt->flags & IOSQE_CQE_SKIP_SUCCESS)
			lt->flags |= REQ_F_SILENT;
		io_req_set_res(lt, -ECANCELED, 0);
		io_req_complete_defer(lt);
	}
	spin_unlock_irq(&ctx->timeout_lock);
	return nxt;
}

static void io_link_timeout_expired_tw(struct io_kiocb *req)
{
	struct io_timeout *t = io_kiocb_to_cmd(req, struct io_timeout);
	struct io_ring_ctx *ctx = req->ctx;
	struct io_kiocb *head;

	spin_lock_irq(&ctx->timeout_lock);
	head = t->head;
	t->head = NULL;
	spin_unlock_irq(&ctx->timeout_lock);
	/*
	 * The guarded request has not finished (it would have cleared
	 * t->head under uring_lock, which we hold): cut it off the chain
	 * and cancel it wherever it waits.
	 */
	if (head) {
		head->link = NULL;
		io_cancel_req(head);
	}
	io_timeout_set_etime(req);
	/* firing is what a link timeout is for: a skippable success */
	if (req->flags & IOSQE_CQE_SKIP_SUCCESS)
		req->flags |= REQ_F_SILENT;
	io_req_complete_defer(req);
}

int io_link_timeout(struct io_kiocb *req, unsigned int issue_flags)
{
	/* reached only if the request before it never ran */
	return -ECANCELED;
}
