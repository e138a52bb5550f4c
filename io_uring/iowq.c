// SPDX-License-Identifier: GPL-2.0
/*
 * Requests in io worker pools: a task's pool, punting a request to it,
 * chaining a link's next request in the same worker, the pool's run and
 * cancel callbacks, and cancelling what a ring has in pools.
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
#include "opdef.h"
#include "io-wq.h"
#include "poll.h"
#include "kbuf.h"
#include "napi.h"
#include "iowq.h"
#include "issue.h"
#include "issue_fast.h"
#include "tctx.h"

#include <trace/events/io_uring.h>

/*
 * The pool of a request that went to io-wq: its task's. Only the task
 * queues there (io_queue_iowq(); io_queue_iowq_next() from one of its
 * workers), and the task's exit or exec drops the pool only once no
 * request counts in its inflight any more; a request that outlives that
 * (REQ_F_DETACHED: a poll, a timeout, a page wait) is never in io-wq.
 */
static struct io_wq *io_req_wq(struct io_kiocb *req)
{
	return req->task->io_uring->io_wq;
}

/* Take a request that went to io-wq off the ring's list of such. */
void io_iowq_unlink(struct io_kiocb *req)
{
	struct io_ring_ctx *ctx = req->ctx;

	spin_lock(&ctx->iowq_lock);
	list_del(&req->list);
	spin_unlock(&ctx->iowq_lock);
	req->flags &= ~REQ_F_IOWQ;
	io_wq_put(io_req_wq(req));
}

static const struct io_wq_ops io_wq_ops;

/**
 * io_iowq_limits - the worker limits a new io worker pool starts with
 * @ctx: the ring whose IORING_REGISTER_IOWQ_MAX_WORKERS values apply
 * @limits: out: bounded and unbounded workers
 *
 * As 6.12 sizes a task's pool: bounded workers up to the SQ size and four
 * per CPU, unbounded ones up to RLIMIT_NPROC, unless the ring set others.
 */
void io_iowq_limits(struct io_ring_ctx *ctx, u32 limits[2])
{
	limits[0] = ctx->iowq_limits[0] ?:
		    min(ctx->sq_entries, 4 * num_online_cpus());
	limits[1] = ctx->iowq_limits[1] ?:
		    min_t(unsigned long, task_rlimit(current, RLIMIT_NPROC),
			  U32_MAX);
}

/**
 * io_tctx_wq - the current task's io worker pool, created if needed
 * @ctx: the ring whose limits a new pool starts with
 *
 * Return: the pool, or an ERR_PTR (-ENOMEM).
 */
struct io_wq *io_tctx_wq(struct io_ring_ctx *ctx)
{
	struct io_uring_task *tctx;
	struct io_wq *wq;
	u32 limits[2];
	int ret;

	ret = io_uring_alloc_task_context(current);
	if (ret)
		return ERR_PTR(ret);
	tctx = current->io_uring;
	if (likely(tctx->io_wq))
		return tctx->io_wq;
	io_iowq_limits(ctx, limits);
	wq = io_wq_create(&io_wq_ops, limits[0], limits[1]);
	if (IS_ERR(wq))
		return wq;
	/* io_ctx_untrack_tasks() reads it from another CPU: pool set up first */
	smp_store_release(&tctx->io_wq, wq);
	return wq;
}

/*
 * The work flags of a request headed for a pool: regular-file writes of
 * one inode serialized (hashed), what may wait forever unbound.
 */
static void io_iowq_set_work(struct io_kiocb *req)
{
	const struct io_op_def *def = &io_op_defs[req->opcode];

	req->work.flags = 0;
	req->work.worker_pid = 0;
	if (req->file) {
		umode_t mode = file_inode(req->file)->i_mode;

		if (def->hash_reg_file && S_ISREG(mode)) {
			req->work.flags |= IO_WQ_WORK_HASHED;
			req->work.hash = io_wq_hash_key(file_inode(req->file));
		}
		if (def->unbound_nonreg_file && !S_ISREG(mode) && !S_ISBLK(mode))
			req->work.flags |= IO_WQ_WORK_UNBOUND;
	}
}

/* In @wq: cancellation finds the request in ctx->iowq_list. */
static void __io_iowq_link(struct io_kiocb *req, struct io_wq *wq)
{
	struct io_ring_ctx *ctx = req->ctx;

	/* the request's reference: the pool outlives its dequeue */
	io_wq_get(wq);
	req->flags |= REQ_F_IOWQ;
	spin_lock(&ctx->iowq_lock);
	list_add_tail(&req->list, &ctx->iowq_list);
	spin_unlock(&ctx->iowq_lock);
}

/* About to be queued to @wq */
static void io_iowq_link(struct io_kiocb *req, struct io_wq *wq)
{
	/* back from an earlier trip (a retried device -EAGAIN) */
	if (req->flags & REQ_F_IOWQ)
		io_iowq_unlink(req);
	trace_io_uring_queue_async_work(req,
					!!(req->work.flags & IO_WQ_WORK_UNBOUND));
	__io_iowq_link(req, wq);
}

/**
 * io_queue_iowq - hand a request to the submitter's io worker pool
 * @req: the request; runs in req->task with uring_lock held
 *
 * The workers run it with blocking allowed, with the submitter's
 * credentials as of now (IORING_FEAT_CUR_PERSONALITY).
 */
void io_queue_iowq(struct io_kiocb *req)
{
	struct io_wq *wq;
	int ret;

	ret = io_assign_file(req);
	if (unlikely(ret))
		goto fail;
	wq = io_tctx_wq(req->ctx);
	if (IS_ERR(wq)) {
		ret = PTR_ERR(wq);
		goto fail;
	}
	if (!(req->flags & REQ_F_CREDS)) {
		req->creds = get_current_cred();
		req->flags |= REQ_F_CREDS;
	}
	io_iowq_set_work(req);
	io_iowq_link(req, wq);
	ret = io_wq_enqueue(wq, &req->work);
	if (likely(!ret))
		return;
fail:
	io_req_fail(req, ret);
}

/*
 * @prev completed in the io worker that ran it, and @req, the next of its
 * chain, goes to io-wq too: queue it from here, for this worker to run
 * next, rather than through the submitter's task_work (a wakeup of the
 * task, then one of a worker, for each link). Only where the submitter
 * would do the same: not once it cancels (exit, exec), not on a dying
 * ring, not if the task no longer shares its file table with its
 * workers (unshare); and only if this worker runs it next (see
 * io_wq_enqueue_self()). The credentials are the task's as of now, as
 * the task would take them. Returns false to leave @req to the task.
 */
bool io_queue_iowq_next(struct io_kiocb *prev, struct io_kiocb *req)
{
	const struct io_op_def *def = &io_op_defs[req->opcode];
	struct task_struct *task = req->task;
	bool creds = false;
	int ret;

	if (!(prev->flags & REQ_F_IOWQ) ||
	    prev->work.worker_pid != task_pid_nr(current) ||
	    !io_req_goes_iowq(req, def))
		return false;
	/* a link timeout is armed by the task (io_req_issue()) */
	if (req->link && req->link->opcode == IORING_OP_LINK_TIMEOUT)
		return false;
	if ((req->flags & REQ_F_DETACHED) || READ_ONCE(task->io_uring->in_exit) ||
	    percpu_ref_is_dying(&req->ctx->refs) ||
	    current->files != READ_ONCE(task->files))
		return false;
	if (io_assign_file(req))
		return false;
	if (!(req->flags & REQ_F_CREDS)) {
		req->creds = get_task_cred(task);
		req->flags |= REQ_F_CREDS;
		creds = true;
	}
	io_iowq_set_work(req);
	io_iowq_link(req, io_req_wq(prev));
	ret = io_wq_enqueue_self(io_req_wq(prev), &req->work);
	if (likely(!ret))
		return true;
	if (ret != -EAGAIN) {
		io_req_fail(req, ret);
		return true;
	}
	io_iowq_unlink(req);
	if (creds) {
		put_cred(req->creds);
		req->flags &= ~REQ_F_CREDS;
	}
	return false;
}

/*
 * From an io worker: move the request to an internal poll if we can. The
 * poll's state shares storage with the io-wq state (struct io_kiocb), so
 * the request leaves io-wq first, and comes back (still running in this
 * worker) if the file cannot be polled after all. All under uring_lock:
 * cancellation sees it in io-wq or in the poll, never in between.
 */
static bool io_wq_to_apoll(struct io_kiocb *req, const struct io_op_def *def)
{
	struct io_ring_ctx *ctx = req->ctx;
	struct io_wq_work work;
	struct io_wq *wq;
	bool armed;

	mutex_lock(&ctx->uring_lock);
	io_kbuf_recycle(req);
	work = req->work;
	/* (the pool lives on: we are one of its workers) */
	wq = io_req_wq(req);
	io_iowq_unlink(req);
	armed = !io_arm_apoll(req, def->poll_events);
	if (!armed) {
		req->work = work;
		__io_iowq_link(req, wq);
	}
	mutex_unlock(&ctx->uring_lock);
	return armed;
}

static void io_wq_run(struct io_wq_work *work)
{
	struct io_kiocb *req = container_of(work, struct io_kiocb, work);
	const struct io_op_def *def = &io_op_defs[req->opcode];
	const struct cred *old;
	int ret;

	old = override_creds(req->creds);
	/*
	 * A pollable file is not waited on here: a try that would block
	 * parks the request in a poll, and the worker is free again.
	 */
	if (def->poll_events && file_can_poll(req->file) &&
	    !(req->flags & REQ_F_NOPOLL)) {
		ret = io_issue_op(req, def,
				  IO_URING_F_UNLOCKED | IO_URING_F_NONBLOCK);
		if (ret == -EAGAIN && io_wq_to_apoll(req, def)) {
			revert_creds(old);
			return;
		}
		if (ret == -EAGAIN)
			ret = io_issue_op(req, def, IO_URING_F_UNLOCKED);
	} else {
		ret = io_issue_op(req, def, IO_URING_F_UNLOCKED);
	}
	revert_creds(old);
	if (ret == IOU_ISSUE_SKIP_COMPLETE)
		return;
	if (ret < 0)
		io_req_set_res(req, io_restart_to_eintr(ret), 0);
	io_req_complete_unlocked(req);
}

static void io_wq_cancel(struct io_wq_work *work)
{
	struct io_kiocb *req = container_of(work, struct io_kiocb, work);

	req->flags |= REQ_F_FAIL;
	io_req_set_res(req, -ECANCELED, 0);
	io_req_complete_unlocked(req);
}

static const struct io_wq_ops io_wq_ops = {
	.run	= io_wq_run,
	.cancel	= io_wq_cancel,
};

/**
 * io_iowq_cancel - cancel requests of @ctx that sit in an io worker pool
 * @ctx: the ring, with uring_lock held
 * @match: which requests; NULL for all
 * @data: passed to @match
 * @all: every match, not just the first
 * @running: incremented for each match that already runs
 *
 * A queued match is taken off its queue and completes with -ECANCELED (in
 * this batch); a running one is interrupted and completes on its own.
 *
 * Return: how many were taken off.
 */
int io_iowq_cancel(struct io_ring_ctx *ctx,
		   bool (*match)(struct io_kiocb *req, void *data), void *data,
		   bool all, int *running)
{
	struct io_kiocb *req, *tmp;
	LIST_HEAD(dequeued);
	int nr = 0;

	lockdep_assert_held(&ctx->uring_lock);
	spin_lock(&ctx->iowq_lock);
	list_for_each_entry_safe(req, tmp, &ctx->iowq_list, list) {
		if (match && !match(req, data))
			continue;
		if (io_wq_cancel_work(io_req_wq(req), &req->work))
			list_move_tail(&req->list, &dequeued);
		else
			(*running)++;
		if (!all)
			break;
	}
	spin_unlock(&ctx->iowq_lock);

	list_for_each_entry_safe(req, tmp, &dequeued, list) {
		/* already off the ring's list: only the pool ref is left */
		list_del(&req->list);
		req->flags &= ~REQ_F_IOWQ;
		io_wq_put(io_req_wq(req));
		io_req_fail(req, -ECANCELED);
		nr++;
	}
	return nr;
}
