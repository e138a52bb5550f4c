// SPDX-License-Identifier: GPL-2.0
/*
 * The life of a request after submission: the per-ring request cache,
 * auxiliary requests, freeing what a request holds, and the completion
 * flush, which posts the CQEs of a batch, starts the next request of each
 * chain and recycles the requests.
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
#include "rsrc.h"
#include "timeout.h"
#include "kbuf.h"
#include "napi.h"
#include "latency.h"
#include "cqe.h"
#include "req.h"
#include "iowq.h"
#include "issue.h"
#include "submit.h"

#include <trace/events/io_uring.h>

/* requests allocated at once when the per-ring cache runs dry */
#define IO_REQ_ALLOC_BATCH	8

static struct kmem_cache *req_cachep;

noinline bool io_req_cache_refill(struct io_ring_ctx *ctx)
{
	void *reqs[IO_REQ_ALLOC_BATCH];
	int i, n;

	n = kmem_cache_alloc_bulk(req_cachep, GFP_KERNEL_ACCOUNT | __GFP_NOWARN,
				  ARRAY_SIZE(reqs), reqs);
	if (unlikely(n <= 0)) {
		reqs[0] = kmem_cache_alloc(req_cachep, GFP_KERNEL_ACCOUNT);
		if (!reqs[0])
			return false;
		n = 1;
	}
	/* what the cache keeps clear (see struct io_kiocb) starts clear */
	for (i = 0; i < n; i++) {
		memset(reqs[i], 0, sizeof(struct io_kiocb));
		io_req_to_cache(ctx, reqs[i]);
	}
	/* each holds the ring while it exists (io_req_alloc()) */
	percpu_ref_get_many(&ctx->refs, n);
	return true;
}

/**
 * io_req_alloc_aux - a request that is no SQE's (a SEND_ZC notification)
 * @ctx: the ring, with uring_lock held
 *
 * It completes like any request but counts in neither IOSQE_IO_DRAIN nor
 * the per-op statistics. It holds a ring reference and current's task
 * struct, not a count in current's inflight (REQ_F_DETACHED): it only
 * ever posts a CQE, and must not hold up the task's exit or exec.
 *
 * Return: the request, its CQE fields zero, or NULL.
 */
struct io_kiocb *io_req_alloc_aux(struct io_ring_ctx *ctx)
{
	struct io_kiocb *req = io_req_alloc(ctx);

	if (!req)
		return NULL;
	io_req_zero_init(req, 0);
	req->opcode = IORING_OP_NOP;
	req->flags = REQ_F_AUX | REQ_F_DETACHED;
	req->buf_index = 0;
	req->fd = -1;
	req->seq = 0;
	req->ctx = ctx;
	req->task = get_task_struct(current);
	ctx->nr_aux++;
	return req;
}

#define IO_REQ_F_SLOW	(REQ_F_NEED_CLEANUP | REQ_F_CREDS | REQ_F_IOWQ | \
			 REQ_F_DETACHED)

/*
 * What a request holds of the fixed resources; rsrc_gen is set with any
 * of them (io_req_rsrc_gen()), so that the flush tests one pointer. (A
 * SEND_ZC notification holds a buffer without a generation, and gives it
 * back itself: io_notif_tw().)
 */
static noinline void io_req_put_rsrc(struct io_ring_ctx *ctx,
				     struct io_kiocb *req)
{
	if (req->file_node) {
		io_rsrc_node_put(ctx, req->file_node);
		req->file_node = NULL;
	} else if (req->file) {
		fput(req->file);
	}
	if (req->buf_node) {
		io_rsrc_node_put(ctx, req->buf_node);
		req->buf_node = NULL;
	}
	io_rsrc_gen_put(ctx, req->rsrc_gen);
	req->rsrc_gen = NULL;
}

/* (io_req_link_next() cleared req->link; these go clear too) */
static __always_inline void io_req_put_files(struct io_ring_ctx *ctx,
					     struct io_kiocb *req)
{
	if (unlikely(req->rsrc_gen))
		io_req_put_rsrc(ctx, req);
	else if (req->file)
		fput(req->file);
}

static void io_req_link_next(struct io_kiocb *req);

/* io_req_free()'s slow path. Return: true if done with (detached) */
static noinline bool io_req_free_slow(struct io_ring_ctx *ctx,
				      struct io_kiocb *req)
{
	/* (only a request with a link flag has a successor) */
	if (req->link)
		io_req_link_next(req);
	if (req->flags & REQ_F_NEED_CLEANUP)
		io_op_defs[req->opcode].cleanup(req);
	if (req->flags & REQ_F_CREDS)
		put_cred(req->creds);
	if (req->flags & REQ_F_IOWQ)
		io_iowq_unlink(req);
	if (!(req->flags & REQ_F_DETACHED))
		return false;
	io_req_put_files(ctx, req);
	if (req->flags & REQ_F_AUX)
		ctx->nr_aux--;
	/* outlived its thread's exit: it holds the task, not a count */
	put_task_struct(req->task);
	return true;
}

/*
 * A request completed by someone other than its task (a submission
 * thread, another thread of the process, the ring's teardown) gives its
 * count back to the task's inflight.
 */
static noinline void io_req_put_inflight(struct io_kiocb *req)
{
	struct io_uring_task *tctx = req->task->io_uring;

	/*
	 * The last request of an exiting task lets it finish its exit and
	 * free tctx with the task, which happens an RCU grace period after
	 * the exit at the earliest: the wakeup stays inside one.
	 */
	rcu_read_lock();
	percpu_counter_dec(&tctx->inflight);
	if (unlikely(READ_ONCE(tctx->in_exit)))
		wake_up(&tctx->exit_wait);
	rcu_read_unlock();
}

/*
 * Under uring_lock: start the request's successor, give back what it
 * holds; the flush returns it to the cache with its batch. Return: true
 * if it was current's, whose inflight counts the caller gives back once
 * for the batch (io_uring_task.cached_refs).
 */
static __always_inline bool io_req_free(struct io_ring_ctx *ctx,
					struct io_kiocb *req)
{
	if (unlikely(req->flags & (IO_REQ_F_SLOW | IOSQE_IO_LINK |
				   IOSQE_IO_HARDLINK)) &&
	    io_req_free_slow(ctx, req))
		return false;
	io_req_put_files(ctx, req);
	if (unlikely(req->task != current)) {
		io_req_put_inflight(req);
		return false;
	}
	return true;
}

/**
 * io_req_detach_task - let a request outlive its thread's exit
 * @req: a request that will complete without the task (a poll or a
 *	timeout at exit, a read waiting for a page at exit or exec), and
 *	each request linked after it (uring_lock held)
 *
 * A detached request can only complete or be cancelled, never issue
 * again: io_tw_cancelled() holds for it, in the fallback worker after an
 * exit and in the task itself after an exec. The task stops waiting for
 * it; the request keeps the task struct (and so its io_uring state)
 * until it is freed.
 */
void io_req_detach_task(struct io_kiocb *req)
{
	for (; req; req = req->link) {
		if (req->flags & REQ_F_DETACHED)
			continue;
		get_task_struct(req->task);
		req->flags |= REQ_F_DETACHED;
		percpu_counter_dec(&req->task->io_uring->inflight);
	}
}

/*
 * Free CQ slots, read once per flush: the CQEs of a batch go straight
 * into the ring while it lasts, without io_post_cqe()'s per-CQE check of
 * the shared head. A head user space moved past the tail reads as full.
 */
static __always_inline unsigned int io_cq_room(struct io_ring_ctx *ctx)
{
	unsigned int events = io_cqring_events(ctx);

	/*
	 * IORING_SETUP_CQE_MIXED: a CQE may take one slot or more, so none
	 * is written by counting; each goes through io_post_cqe(). (Here,
	 * once per batch, and not in the inlined writes of the flush loop,
	 * where even a test for it costs a plain ring's flush 3%.)
	 */
	if (unlikely(ctx->flags & IORING_SETUP_CQE_MIXED))
		return 0;
	if (!list_empty(&ctx->cq_overflow_list) || events >= ctx->cq_entries)
		return 0;
	return ctx->cq_entries - events;
}

/*
 * The second half of a 32-byte CQE: only NOPs and uring_cmds have one
 * to post; kept by the op rather than in every request.
 */
static void io_req_big_cqe(struct io_kiocb *req, u64 big[2])
{
	big[0] = 0;
	big[1] = 0;
	if (req->flags & REQ_F_AUX)
		return;
	if (io_op_defs[req->opcode].big_cqe)
		io_op_defs[req->opcode].big_cqe(req, big);
}

/* What takes a completing request off the flush's fast path */
#define IO_REQ_F_CQE_SLOW	(REQ_F_DRAIN_ERASED | REQ_F_AUX | REQ_F_NOTIF | \
				 IOSQE_CQE_SKIP_SUCCESS | REQ_F_SILENT | \
				 IO_REQ_F_KBUF)

/* io_req_cqe_prepare() for a request with any of IO_REQ_F_CQE_SLOW */
static noinline bool io_req_cqe_prepare_slow(struct io_ring_ctx *ctx,
					     struct io_kiocb *req)
{
	if (!(req->flags & (REQ_F_DRAIN_ERASED | REQ_F_AUX))) {
		ctx->nr_completed++;
		ctx->op_completed[req->opcode]++;
	} else if (!(req->flags & REQ_F_AUX)) {
		ctx->op_completed[req->opcode]++;
	}
	if (req->cqe.res < 0 && !(req->flags & REQ_F_ETIME_OK))
		req->flags |= REQ_F_FAIL;
	/* SEND_ZC: F_MORE if its notification will follow */
	if (req->flags & REQ_F_NOTIF)
		req->cqe.flags |= io_op_defs[req->opcode].notif_cqe_flags(req);
	/* a provided buffer still held: back to its group, or reported */
	if (io_kbuf_selected(req))
		req->cqe.flags |= io_kbuf_drop(req);
	/*
	 * IOSQE_CQE_SKIP_SUCCESS: only a failure is worth a CQE; a request
	 * cancelled behind such a failure posts nothing at all.
	 */
	if (req->flags & (IOSQE_CQE_SKIP_SUCCESS | REQ_F_SILENT)) {
		if ((req->flags & REQ_F_SILENT) || !(req->flags & REQ_F_FAIL))
			return false;
	}
	return true;
}

/*
 * A completing request is counted (IOSQE_IO_DRAIN, the per-op
 * statistics), what it holds of a provided buffer settled. (Its failure
 * is noted where it matters: for IOSQE_CQE_SKIP_SUCCESS here, for its
 * chain in io_req_link_next().) Return: false if it posts no CQE.
 */
static __always_inline bool io_req_cqe_prepare(struct io_ring_ctx *ctx,
					       struct io_kiocb *req)
{
	if (unlikely(req->flags & IO_REQ_F_CQE_SLOW))
		return io_req_cqe_prepare_slow(ctx, req);
	ctx->nr_completed++;
	ctx->op_completed[req->opcode]++;
	return true;
}

/* The CQEs past io_cq_room()'s: io_post_cqe() each (@req is prepared) */
static noinline void io_post_cqes(struct io_ring_ctx *ctx,
				  struct io_kiocb *req)
{
	do {
		io_post_cqe(ctx, req->cqe.user_data, req->cqe.res,
			    req->cqe.flags, 0, 0);
		do {
			req = req->next;
		} while (req && !io_req_cqe_prepare(ctx, req));
	} while (req);
}

/*
 * The CQEs of a batch on a ring of 16-byte CQEs. While @room lasts they
 * go straight into the ring, the slot computed from a tail kept in a
 * register: this loop runs for every request, and io_write_cqe()'s
 * per-CQE work is a tenth of a NOP's cost. Past it, io_post_cqes().
 */
static __always_inline void io_fill_cqes(struct io_ring_ctx *ctx,
					 struct io_kiocb *req,
					 unsigned int room)
{
	struct io_uring_cqe *cqes = ctx->rings->cqes;
	unsigned int mask = ctx->cq_entries - 1;
	unsigned int tail = ctx->cached_cq_tail;
	unsigned int end;

	/* traced, each CQE goes through io_post_cqe(), which traces it */
	if (trace_io_uring_complete_enabled())
		room = 0;
	end = tail + room;

	BUILD_BUG_ON(sizeof(struct io_cqe) != 16 ||
		     offsetof(struct io_uring_cqe, res) !=
		     offsetof(struct io_cqe, res) ||
		     offsetof(struct io_uring_cqe, flags) !=
		     offsetof(struct io_cqe, flags));

	for (; req; req = req->next) {
		struct io_uring_cqe *cqe;

		if (unlikely(!io_req_cqe_prepare(ctx, req)))
			continue;
		if (unlikely(tail == end))
			break;
		cqe = &cqes[tail++ & mask];
		/* user_data, res, flags: the layout of struct io_cqe */
		memcpy(cqe, &req->cqe, sizeof(req->cqe));
	}
	/* (io_post_cqe() counts its own) */
	ctx->cq_seq += tail - ctx->cached_cq_tail;
	ctx->cached_cq_tail = tail;
	if (unlikely(req))
		io_post_cqes(ctx, req);
}

/*
 * The CQEs of a batch on a ring of 32-byte or mixed CQEs (room is 0 for
 * mixed sizes: each goes through io_post_cqe()): kept apart
 */
static noinline void io_fill_big_cqes(struct io_ring_ctx *ctx,
				      struct io_kiocb *req, unsigned int room)
{
	u64 big[2];

	for (; req; req = req->next) {
		if (!io_req_cqe_prepare(ctx, req))
			continue;
		io_req_big_cqe(req, big);
		if (room) {
			room--;
			ctx->cq_seq++;
			io_write_cqe(ctx, req->cqe.user_data, req->cqe.res,
				     req->cqe.flags, big[0], big[1]);
		} else {
			io_post_cqe(ctx, req->cqe.user_data, req->cqe.res,
				    req->cqe.flags, big[0], big[1]);
		}
	}
}

/**
 * io_req_fail - complete a request with an error at the end of the batch
 * @req: the request (uring_lock held)
 * @err: the negative errno for its CQE
 */
void io_req_fail(struct io_kiocb *req, int err)
{
	req->flags |= REQ_F_FAIL;
	io_req_set_res(req, err, 0);
	io_req_complete_defer(req);
}

/**
 * io_req_complete_unlocked - complete a request from a context that does
 *	not hold the ring's uring_lock (an io worker, a cancellation)
 * @req: the request, with its result set
 */
void io_req_complete_unlocked(struct io_kiocb *req)
{
	struct io_ring_ctx *ctx = req->ctx;

	mutex_lock(&ctx->uring_lock);
	io_req_complete_defer(req);
	io_flush_completions(ctx);
	mutex_unlock(&ctx->uring_lock);
}

/* Cancel a request of a chain that will not run; @silent: no CQE */
void io_req_link_cancel(struct io_kiocb *req, bool silent)
{
	req->flags |= REQ_F_LINK_CANCEL | (silent ? REQ_F_SILENT : 0);
	io_req_fail(req, -ECANCELED);
}

/*
 * A request with a successor in its chain completed: start the successor,
 * or, if this one failed and the link is a soft one, cancel it (and so,
 * one by one, the rest of the chain).
 */
static void io_req_link_next(struct io_kiocb *req)
{
	struct io_kiocb *nxt = req->link;

	req->link = NULL;
	/* (only a chain looks at a plain error: the flush leaves it here) */
	if (req->cqe.res < 0 && !(req->flags & REQ_F_ETIME_OK))
		req->flags |= REQ_F_FAIL;
	if (unlikely(nxt->flags & REQ_F_LTIMEOUT)) {
		/* stop the link timeout; NULL: it fired and handles the rest */
		nxt = io_link_timeout_disarm(req, nxt);
		if (!nxt)
			return;
	}
	if ((req->flags & REQ_F_FAIL) &&
	    (!(req->flags & IOSQE_IO_HARDLINK) || (req->flags & REQ_F_LINK_CANCEL))) {
		/*
		 * A failure of a request that asked for failures only
		 * (IOSQE_CQE_SKIP_SUCCESS) is the one CQE of its chain: the
		 * requests cancelled after it post none.
		 */
		bool silent = req->flags & REQ_F_LINK_CANCEL ?
			      req->flags & REQ_F_SILENT :
			      req->flags & IOSQE_CQE_SKIP_SUCCESS;

		trace_io_uring_fail_link(req, nxt);
		io_req_link_cancel(nxt, silent);
		return;
	}
	if (unlikely(current->flags & PF_IO_WORKER) && io_queue_iowq_next(req, nxt))
		return;
	io_req_queue(nxt);
}

/* What a flush does after its CQEs on a ring that has any of it to do */
static noinline void io_flush_more(struct io_ring_ctx *ctx)
{
	/*
	 * A closed ring's requests go back to the slab, with their
	 * references: the teardown waits for the last. (uring_lock keeps
	 * the ring alive even if these were the last.)
	 */
	if (READ_ONCE(ctx->closing))
		io_req_cache_free(ctx);
	if (ctx->drain_active)
		io_queue_deferred(ctx);
	if (ctx->count_timeouts)
		io_flush_timeouts(ctx);
}

/**
 * __io_flush_completions - post the batch's CQEs, then free the requests
 * @ctx: the ring, with uring_lock held
 *
 * Completing a request may start or cancel its successor in a chain and
 * release drained requests; their completions join the same loop.
 */
void __io_flush_completions(struct io_ring_ctx *ctx)
{
	struct io_kiocb *first, *req, *next, **tail;
	unsigned int own;

	lockdep_assert_held(&ctx->uring_lock);
	while (ctx->compl_head) {
		first = ctx->compl_head;
		req = first;
		/* the list ends here (io_req_complete_defer() leaves it open) */
		tail = ctx->compl_tail;
		*tail = NULL;
		ctx->compl_head = NULL;
		ctx->compl_tail = &ctx->compl_head;

		io_lat_complete(ctx, req);
		/* (room apart: a plain ring's skips io_cq_room()'s mixed test) */
		if (unlikely(io_ring_has_cqe32(ctx)))
			io_fill_big_cqes(ctx, req, io_cq_room(ctx));
		else
			io_fill_cqes(ctx, req, io_cq_room(ctx));
		io_cq_publish(ctx);

		own = 0;
		for (; req; req = next) {
			next = req->next;
			if (io_req_free(ctx, req))
				own++;
		}
		/* the task itself: nobody to wake, it is running this */
		if (own)
			current->io_uring->cached_refs += own;
		/* the batch joins the cache linked as it is, by ->next */
		*tail = ctx->free_reqs;
		ctx->free_reqs = first;
		if (unlikely(READ_ONCE(ctx->flush_more)))
			io_flush_more(ctx);
	}
}

/**
 * io_req_cache_free - free the requests a ring keeps for reuse
 * @ctx: the ring, being torn down (uring_lock held)
 *
 * Each cached request holds a reference on ctx->refs, which goes with it:
 * the last one lets the teardown go on.
 */
void io_req_cache_free(struct io_ring_ctx *ctx)
{
	unsigned int nr = 0;

	lockdep_assert_held(&ctx->uring_lock);
	while (ctx->free_reqs) {
		struct io_kiocb *req = ctx->free_reqs;

		ctx->free_reqs = req->next;
		kmem_cache_free(req_cachep, req);
		nr++;
	}
	if (nr)
		percpu_ref_put_many(&ctx->refs, nr);
}

/**
 * io_req_cache_init - create the slab cache of requests, at boot
 *
 * Requests get slabs of their own (SLAB_NO_MERGE), not those of another
 * cache of the same size: memory a request held is reused only as a
 * request, which is what a use-after-free exploit would have to defeat,
 * and slabinfo counts requests alone.
 */
void __init io_req_cache_init(void)
{
	req_cachep = KMEM_CACHE(io_kiocb, SLAB_HWCACHE_ALIGN | SLAB_PANIC |
				SLAB_ACCOUNT | SLAB_NO_MERGE);
}
