// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_ASYNC_CANCEL and IORING_REGISTER_SYNC_CANCEL: find requests
 * by user_data, file, opcode or all of them, wherever they wait (armed
 * polls, internal polls, futex and waitid waits, timeouts, io-wq), and
 * cancel them.
 *
 * A poll, a timeout or a request queued in io-wq has not finished: it
 * completes with -ECANCELED, before the cancel request does when it can.
 * One running in an io worker is interrupted and completes on its own;
 * for it the answer is -EALREADY. (A request held back by IOSQE_IO_DRAIN
 * cannot be reached: the cancel request, submitted after it, is held back
 * too.) SYNC_CANCEL waits until what it cancelled has completed.
 *
 * The same walk serves the submitter's exit and exec and the ring's
 * close: io_wait_places[] below is the one list of the places a request
 * can wait, with the events that reach each. Documentation/io_uring/
 * lifetimes.rst states what each event does to each place.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/file.h>
#include <linux/hrtimer.h>
#include <linux/time.h>
#include <linux/uaccess.h>
#include <linux/io_uring.h>
#include <linux/io_uring_types.h>

#include "io_uring.h"
#include "rsrc.h"
#include "filetable.h"
#include "poll.h"
#include "timeout.h"
#include "opdef.h"
#include "rw.h"
#include "iopoll.h"
#include "uring_cmd.h"
#include "cancel.h"
#include "submit.h"

#define IO_CANCEL_FLAGS	(IORING_ASYNC_CANCEL_ALL | IORING_ASYNC_CANCEL_FD | \
			 IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_FD_FIXED | \
			 IORING_ASYNC_CANCEL_USERDATA | IORING_ASYNC_CANCEL_OP)

struct io_cancel {
	struct file	*file;
	u64		user_data;
	u32		flags;
	s32		fd;
	u8		opcode;
};

/* What to match, with the file looked up once (FD_FIXED alone: no fd). */
struct io_cancel_match {
	struct io_kiocb	*self;
	struct file	*file;
	bool		file_ref;	/* @file holds a reference (not FIXED) */
	u64		user_data;
	u32		flags;
	u8		opcode;
};

int io_async_cancel_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_cancel *c = io_kiocb_to_cmd(req, struct io_cancel);
	u32 flags = READ_ONCE(sqe->cancel_flags);

	if (READ_ONCE(sqe->off) || READ_ONCE(sqe->splice_fd_in))
		return -EINVAL;
	if (flags & ~IO_CANCEL_FLAGS)
		return -EINVAL;
	/* ANY matches everything: an fd or opcode with it makes no sense */
	if ((flags & IORING_ASYNC_CANCEL_ANY) &&
	    (flags & (IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_OP)))
		return -EINVAL;
	c->flags = flags;
	c->user_data = READ_ONCE(sqe->addr);
	c->fd = READ_ONCE(sqe->fd);
	c->opcode = READ_ONCE(sqe->len);
	return 0;
}

static bool io_cancel_matches(struct io_kiocb *req, void *data)
{
	struct io_cancel_match *m = data;

	if (req == m->self)
		return false;
	if (m->flags & IORING_ASYNC_CANCEL_ANY)
		return true;
	if ((m->flags & IORING_ASYNC_CANCEL_FD) && req->file != m->file)
		return false;
	if ((m->flags & IORING_ASYNC_CANCEL_OP) && req->opcode != m->opcode)
		return false;
	/* user_data counts unless another criterion replaces it */
	if ((m->flags & IORING_ASYNC_CANCEL_USERDATA) ||
	    !(m->flags & (IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_OP)))
		return req->cqe.user_data == m->user_data;
	return true;
}

static int io_cancel_file(struct io_ring_ctx *ctx, struct io_cancel *c,
			  struct io_cancel_match *m)
{
	if (!(c->flags & IORING_ASYNC_CANCEL_FD))
		return 0;
	if (c->flags & IORING_ASYNC_CANCEL_FD_FIXED) {
		struct io_rsrc_node *node = io_fixed_file_node(ctx, c->fd);

		if (!node)
			return -EBADF;
		m->file = node->file;
		return 0;
	}
	/*
	 * Held until the walk is over: a file compared after its last fput
	 * could be a new one at the same address.
	 */
	m->file = fget(c->fd);
	if (!m->file)
		return -EBADF;
	m->file_ref = true;
	return 0;
}

/**
 * io_waiter_add - a request now waits for a wakeup, and may be cancelled
 * @req: the request (futex wait, waitid); uring_lock held
 *
 * Its op's ->cancel claims it against the wakeup; whoever completes it
 * takes it off with io_waiter_del().
 */
void io_waiter_add(struct io_kiocb *req)
{
	lockdep_assert_held(&req->ctx->uring_lock);
	hlist_add_head(&req->hash_node, &req->ctx->waiter_list);
}

/**
 * io_waiter_del - the request stopped waiting
 * @req: the request io_waiter_add() took; uring_lock held
 */
void io_waiter_del(struct io_kiocb *req)
{
	lockdep_assert_held(&req->ctx->uring_lock);
	hlist_del_init(&req->hash_node);
}

/**
 * io_waiter_cancel - cancel waiting requests (futex waits, waitids)
 * @ctx: the ring, with uring_lock held
 * @match: which requests; NULL for all
 * @data: passed to @match
 * @all: every match, not just the first
 *
 * Return: how many were cancelled; a request whose wakeup came first
 * completes on its own.
 */
int io_waiter_cancel(struct io_ring_ctx *ctx,
		     bool (*match)(struct io_kiocb *req, void *data),
		     void *data, bool all)
{
	struct hlist_node *tmp;
	struct io_kiocb *req;
	int nr = 0;

	lockdep_assert_held(&ctx->uring_lock);
	hlist_for_each_entry_safe(req, tmp, &ctx->waiter_list, hash_node) {
		if (match && !match(req, data))
			continue;
		if (io_op_defs[req->opcode].cancel(req))
			nr++;
		if (!all)
			break;
	}
	return nr;
}

static int io_place_drain(struct io_ring_ctx *ctx, struct io_cancel_walk *w)
{
	return io_drain_cancel(ctx, w->match, w->data);
}

static int io_place_poll(struct io_ring_ctx *ctx, struct io_cancel_walk *w)
{
	return io_poll_cancel(ctx, w->match, w->data, w->all);
}

static int io_place_waiters(struct io_ring_ctx *ctx, struct io_cancel_walk *w)
{
	return io_waiter_cancel(ctx, w->match, w->data, w->all);
}

static int io_place_timeouts(struct io_ring_ctx *ctx, struct io_cancel_walk *w)
{
	return io_timeout_cancel(ctx, w->match, w->data, w->all, &w->running);
}

/* Drivers are asked; they complete the commands when they can. */
static int io_place_uring_cmd(struct io_ring_ctx *ctx, struct io_cancel_walk *w)
{
	w->running += io_uring_cmd_cancel(ctx, w->match, w->data);
	return 0;
}

/*
 * A buffered read waiting for its page cannot be stopped either; at exit
 * and exec it stops holding up the task (io_rw_detach_waiting()).
 */
static int io_place_page(struct io_ring_ctx *ctx, struct io_cancel_walk *w)
{
	return io_rw_detach_waiting(ctx, w->match, w->data);
}

/* Polled I/O cannot be stopped, only polled for until it is done. */
static int io_place_iopoll(struct io_ring_ctx *ctx, struct io_cancel_walk *w)
{
	if (io_iopoll_pending(ctx))
		io_iopoll_reap(ctx, 0);
	return 0;
}

static int io_place_iowq(struct io_ring_ctx *ctx, struct io_cancel_walk *w)
{
	return io_iowq_cancel(ctx, w->match, w->data, w->all, &w->running);
}

static bool io_match_task_ring_file(struct io_kiocb *req, void *task)
{
	return req->task == task && req->file && io_is_uring_fops(req->file);
}

/*
 * Thread exit (6.12): a poll on a ring file could keep that ring alive
 * for ever and is cancelled; other polls stay armed without the thread,
 * and end with -ECANCELED when they fire. Never at exec.
 */
static int io_place_poll_exit(struct io_ring_ctx *ctx, struct io_cancel_walk *w)
{
	int nr = io_poll_cancel(ctx, io_match_task_ring_file, w->data, true);

	io_poll_detach_task(ctx, w->data);
	return nr;
}

/* Thread exit (6.12): timeouts still expire, and post -ETIME. */
static int io_place_timeouts_exit(struct io_ring_ctx *ctx,
				  struct io_cancel_walk *w)
{
	io_timeout_detach_task(ctx, w->data);
	return 0;
}

#define IO_ON_MATCH	BIT(IO_CANCEL_MATCH)
#define IO_ON_EXIT	BIT(IO_CANCEL_EXIT)
#define IO_ON_EXEC	BIT(IO_CANCEL_EXEC)
#define IO_ON_RING	BIT(IO_CANCEL_RING)
#define IO_ON_TASK	(IO_ON_EXIT | IO_ON_EXEC)
#define IO_ON_ALL	(IO_ON_MATCH | IO_ON_TASK | IO_ON_RING)

/*
 * Every place a request can wait for something outside io_uring, and the
 * events that reach it. A request anywhere else is running (issue, an io
 * worker's blocking call) or in transit (task_work queued to its task,
 * the ring's DEFER_TASKRUN list or the fallback worker), and transit
 * callbacks check io_tw_cancelled() before they issue anything. Anything
 * new that can wait must be added here, and to the table in
 * Documentation/io_uring/lifetimes.rst.
 *
 * @cancel runs for the events in @events; @exit, where set, replaces it
 * at thread exit, when (as in 6.12) some requests outlive the thread.
 * At exec nothing does: the image that follows must not see any.
 */
static const struct io_wait_place {
	const char	*name;
	unsigned int	events;
	int		(*cancel)(struct io_ring_ctx *ctx,
				  struct io_cancel_walk *w);
	int		(*exit)(struct io_ring_ctx *ctx,
				struct io_cancel_walk *w);
} io_wait_places[] = {
	/* held back by IOSQE_IO_DRAIN behind requests that may never end */
	{ "drain",	IO_ON_TASK | IO_ON_RING,	io_place_drain },
	/* POLL_ADD, and fast poll parking an op until its file is ready */
	{ "poll",	IO_ON_ALL,	io_place_poll, io_place_poll_exit },
	/* FUTEX_WAIT, FUTEX_WAITV, WAITID */
	{ "waiter",	IO_ON_ALL,			io_place_waiters },
	/* TIMEOUT; a LINK_TIMEOUT goes with the request it guards */
	{ "timeout",	IO_ON_ALL, io_place_timeouts, io_place_timeouts_exit },
	/* commands a driver keeps until told (io_uring_cmd_mark_cancelable) */
	{ "uring_cmd",	IO_ON_TASK | IO_ON_RING,	io_place_uring_cmd },
	/* IORING_SETUP_IOPOLL requests in flight */
	{ "iopoll",	IO_ON_TASK | IO_ON_RING,	io_place_iopoll },
	/* buffered reads waiting for a page under I/O (IOCB_WAITQ) */
	{ "page",	IO_ON_TASK,			io_place_page },
	/*
	 * Queued to or running in an io worker. At thread exit the task's
	 * own pool is stopped as a whole instead (tctx.c): its queued file
	 * and block I/O still runs, as in 6.12.
	 */
	{ "io-wq",	IO_ON_MATCH | IO_ON_EXEC | IO_ON_RING,	io_place_iowq },
};

/**
 * io_cancel_walk - cancel requests in every place they can wait
 * @ctx: the ring, with uring_lock held
 * @why: the event; it decides which places are walked
 * @w: what to match (NULL match: all), whether to go on after the first
 *	match, and (out) how many matches could only be told to stop
 *
 * Cancelled requests complete with -ECANCELED in this batch, or from
 * their pending task_work.
 *
 * Return: how many were cancelled.
 */
int io_cancel_walk(struct io_ring_ctx *ctx, enum io_cancel_why why,
		   struct io_cancel_walk *w)
{
	int i, nr = 0;

	lockdep_assert_held(&ctx->uring_lock);
	for (i = 0; i < ARRAY_SIZE(io_wait_places); i++) {
		const struct io_wait_place *place = &io_wait_places[i];

		if (!(place->events & BIT(why)))
			continue;
		if (why == IO_CANCEL_EXIT && place->exit)
			nr += place->exit(ctx, w);
		else
			nr += place->cancel(ctx, w);
		if (!w->all && (nr || w->running))
			break;
	}
	return nr;
}

static bool io_cancel_is_req(struct io_kiocb *req, void *data)
{
	return req == data;
}

/**
 * io_cancel_req - cancel one request wherever it waits
 * @req: the request (uring_lock held); it completes with -ECANCELED, or
 *	-EINTR if an io worker was running it
 */
void io_cancel_req(struct io_kiocb *req)
{
	struct io_cancel_walk w = { .match = io_cancel_is_req, .data = req };

	io_cancel_walk(req->ctx, IO_CANCEL_MATCH, &w);
}

/* Under uring_lock: cancel what @c names; the ASYNC_CANCEL answer. */
static int io_cancel_run(struct io_ring_ctx *ctx, struct io_cancel *c,
			 struct io_kiocb *self, int *running)
{
	bool all = c->flags & (IORING_ASYNC_CANCEL_ALL | IORING_ASYNC_CANCEL_ANY);
	struct io_cancel_match m = {
		.self		= self,
		.user_data	= c->user_data,
		.flags		= c->flags,
		.opcode		= c->opcode,
	};
	struct io_cancel_walk w = {
		.match	= io_cancel_matches,
		.data	= &m,
		.all	= all,
	};
	int nr, ret;

	ret = io_cancel_file(ctx, c, &m);
	if (ret)
		return ret;
	nr = io_cancel_walk(ctx, IO_CANCEL_MATCH, &w);
	if (m.file_ref)
		fput(m.file);
	*running = w.running;
	/* ALL and ANY report a count, 0 included */
	if (all)
		return nr + *running;
	return nr ? 0 : *running ? -EALREADY : -ENOENT;
}

int io_async_cancel(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_cancel *c = io_kiocb_to_cmd(req, struct io_cancel);
	struct io_ring_ctx *ctx = req->ctx;
	int running = 0, ret;

	if (issue_flags & IO_URING_F_UNLOCKED)
		mutex_lock(&ctx->uring_lock);
	ret = io_cancel_run(ctx, c, req, &running);
	/* the cancelled requests post before this one */
	if (issue_flags & IO_URING_F_UNLOCKED) {
		io_flush_completions(ctx);
		mutex_unlock(&ctx->uring_lock);
	}
	io_req_set_res(req, ret, 0);
	return IOU_OK;
}

/**
 * io_sync_cancel - IORING_REGISTER_SYNC_CANCEL
 * @ctx: the ring (uring_lock not held: we wait)
 * @arg: struct io_uring_sync_cancel_reg
 *
 * Cancel as ASYNC_CANCEL would, then wait (up to the given timeout) until
 * the requests that could only be told to stop have completed.
 *
 * Return: with IORING_ASYNC_CANCEL_ALL or _ANY how many matched, else
 * 0 once the match is gone; -ENOENT for no match, -ETIME at the timeout,
 * -EINTR on a signal, -EINVAL or -EFAULT for a bad argument.
 */
int io_sync_cancel(struct io_ring_ctx *ctx, void __user *arg)
{
	struct io_uring_sync_cancel_reg reg;
	struct io_cancel c;
	ktime_t timeout = KTIME_MAX;
	int total = 0, seen_running = 0, ret, i;
	DEFINE_WAIT(wait);

	if (copy_from_user(&reg, arg, sizeof(reg)))
		return -EFAULT;
	for (i = 0; i < ARRAY_SIZE(reg.pad); i++)
		if (reg.pad[i])
			return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(reg.pad2); i++)
		if (reg.pad2[i])
			return -EINVAL;
	if (reg.flags & ~IO_CANCEL_FLAGS)
		return -EINVAL;
	if ((reg.flags & IORING_ASYNC_CANCEL_ANY) &&
	    (reg.flags & (IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_OP)))
		return -EINVAL;
	if (reg.timeout.tv_sec != -1 || reg.timeout.tv_nsec != -1) {
		struct timespec64 ts = {
			.tv_sec = reg.timeout.tv_sec,
			.tv_nsec = reg.timeout.tv_nsec,
		};

		if (!timespec64_valid(&ts))
			return -EINVAL;
		timeout = ktime_add_safe(ktime_get(), timespec64_to_ktime(ts));
	}
	c = (struct io_cancel) {
		.flags		= reg.flags,
		.user_data	= reg.addr,
		.fd		= reg.fd,
		.opcode		= reg.opcode,
	};

	for (;;) {
		int running = 0;

		mutex_lock(&ctx->uring_lock);
		ret = io_cancel_run(ctx, &c, NULL, &running);
		io_flush_completions(ctx);
		mutex_unlock(&ctx->uring_lock);
		if (c.flags & (IORING_ASYNC_CANCEL_ALL | IORING_ASYNC_CANCEL_ANY)) {
			/* count what we cancelled; wait for the rest */
			if (ret < 0)
				return ret;
			total += ret - running;
			seen_running = max(seen_running, running);
			if (!running)
				return total + seen_running;
		} else if (ret != -EALREADY) {
			/* cancelled now, or gone since we last saw it run */
			return total && ret == -ENOENT ? 0 : ret;
		}
		/* one match, running: wait until it is gone */
		if (ret == -EALREADY)
			total = 1;
		/* completions of this task may be queued to it or the ring */
		io_run_task_work();
		if (ctx->submitter_task == current)
			io_run_local_work(ctx);
		prepare_to_wait(&ctx->cq_wait, &wait, TASK_INTERRUPTIBLE);
		if (signal_pending(current)) {
			finish_wait(&ctx->cq_wait, &wait);
			return -EINTR;
		}
		if (timeout == KTIME_MAX) {
			schedule_timeout(HZ / 10);
		} else if (!schedule_hrtimeout(&timeout, HRTIMER_MODE_ABS)) {
			finish_wait(&ctx->cq_wait, &wait);
			return -ETIME;
		}
		finish_wait(&ctx->cq_wait, &wait);
	}
}

static bool io_match_task(struct io_kiocb *req, void *task)
{
	return req->task == task;
}

/**
 * io_cancel_task_reqs - stop what @task submitted to @ctx
 * @ctx: the ring, pinned by the caller
 * @task: the task exiting or calling exec (current)
 * @exec: exec, not exit
 *
 * Nothing a task submitted may run in the image that follows its exec:
 * every place a request can wait is walked (above) and each request
 * there completes with -ECANCELED. At thread exit polls and timeouts
 * stay armed without the thread, as in 6.12 (a thread pool's requests
 * outlive the thread that happened to submit them); the rest is
 * cancelled. Requests running in the task's io workers are stopped by
 * the caller through the pool; I/O in flight in a driver ends on its
 * own, and the caller waits for it.
 */
void io_cancel_task_reqs(struct io_ring_ctx *ctx, struct task_struct *task,
			 bool exec)
{
	struct io_cancel_walk w = {
		.match	= io_match_task,
		.data	= task,
		.all	= true,
	};

	/* the issuer's deferred work: it runs now (and cancels), or never */
	if (ctx->submitter_task == task)
		io_run_local_work(ctx);
	mutex_lock(&ctx->uring_lock);
	io_cancel_walk(ctx, exec ? IO_CANCEL_EXEC : IO_CANCEL_EXIT, &w);
	io_flush_completions(ctx);
	mutex_unlock(&ctx->uring_lock);
}
