// SPDX-License-Identifier: GPL-2.0
/*
 * Submission: reading SQEs from the SQ ring, turning each into a request
 * (validation, restrictions, filters, the op's prep), IOSQE_IO_LINK
 * chains and IOSQE_IO_DRAIN ordering.
 *
 * Ordering with user space: the application writes SQEs and then the SQ
 * tail (release); we read the tail with acquire before reading SQEs, and
 * publish the SQ head with release once we are done with them.
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
#include "napi.h"
#include "restrict.h"
#include "latency.h"
#include "bpf_filter.h"
#include "req.h"
#include "issue.h"
#include "issue_fast.h"
#include "submit.h"
#include "tctx.h"

#include <trace/events/io_uring.h>

/*
 * IOSQE_IO_DRAIN: a draining request starts once every request submitted
 * before it has completed, and requests submitted after it start once it
 * has completed. Waiting requests keep submission order on defer_list.
 */
static bool io_drain_defer(struct io_kiocb *req, u32 last_seq)
{
	struct io_ring_ctx *ctx = req->ctx;

	if (req->flags & IOSQE_IO_DRAIN) {
		/* a drained chain: what follows waits for all of it */
		req->drain_wait = req->seq;
		ctx->drain_until = last_seq + 1;
		ctx->drain_active = true;
	} else {
		req->drain_wait = ctx->drain_until;
	}
	if (list_empty(&ctx->defer_list) &&
	    (s32)(ctx->nr_completed - req->drain_wait) >= 0)
		return false;
	trace_io_uring_defer(req);
	list_add_tail(&req->list, &ctx->defer_list);
	return true;
}

/*
 * The drain counts completions against submissions: a request that is
 * completed without running while a drain is pending (cancelled while
 * held back, or failed at submission) would count for one that is still
 * in flight, and release what waits for that one. So it is erased from
 * the sequence, with the rest of its chain, as if never submitted: every
 * request after it is held back or not submitted yet (the defer list is
 * kept in order), so only the targets past it move down.
 */
static void io_drain_erase(struct io_ring_ctx *ctx, struct io_kiocb *req)
{
	struct io_kiocb *r, *w;
	u32 seq = req->seq;
	unsigned int n = 0;

	for (r = req; r; r = r->link) {
		r->flags |= REQ_F_DRAIN_ERASED;
		n++;
	}
	list_for_each_entry(w, &ctx->defer_list, list) {
		/* later ones, chains included, move down into the gap */
		if ((s32)(w->seq - seq) > 0)
			for (r = w; r; r = r->link)
				r->seq -= n;
		if ((s32)(w->drain_wait - seq) > 0)
			w->drain_wait -= n;
	}
	if ((s32)(ctx->drain_until - seq) > 0)
		ctx->drain_until -= n;
	ctx->nr_submitted -= n;
}

void io_queue_deferred(struct io_ring_ctx *ctx)
{
	struct io_kiocb *req;

	while (!list_empty(&ctx->defer_list)) {
		req = list_first_entry(&ctx->defer_list, struct io_kiocb, list);
		if ((s32)(ctx->nr_completed - req->drain_wait) < 0)
			return;
		list_del(&req->list);
		io_req_queue(req);
	}
	if ((s32)(ctx->nr_completed - ctx->drain_until) >= 0)
		ctx->drain_active = false;
}

#define IO_REQ_LINK_FLAGS	(IOSQE_IO_LINK | IOSQE_IO_HARDLINK)
/* what takes a request past io_submit_req() rather than straight to issue */
#define IO_SUBMIT_SLOW_FLAGS	(IO_REQ_LINK_FLAGS | IOSQE_IO_DRAIN | \
				 IOSQE_ASYNC)

/* @last_seq: the sequence number of the last request of @req's chain */
static void io_queue_sqe(struct io_kiocb *req, u32 last_seq)
{
	struct io_ring_ctx *ctx = req->ctx;

	if (unlikely(ctx->drain_active || (req->flags & IOSQE_IO_DRAIN)) &&
	    io_drain_defer(req, last_seq))
		return;
	io_req_issue(req);
}

/*
 * A chain in which a request failed before issue: that request posts its
 * error, every other one -ECANCELED, none runs.
 */
static void io_fail_chain(struct io_kiocb *req)
{
	struct io_kiocb *nxt;

	if (unlikely(req->ctx->drain_active))
		io_drain_erase(req->ctx, req);
	for (; req; req = nxt) {
		nxt = req->link;
		req->link = NULL;
		if (req->flags & REQ_F_FAIL)
			io_req_complete_defer(req);
		else
			io_req_link_cancel(req, false);
	}
}

/* Queue the chain collected so far (complete, or open at batch end). */
static void io_submit_flush_link(struct io_ring_ctx *ctx)
{
	struct io_kiocb *req = ctx->link_head;

	ctx->link_head = NULL;
	if (ctx->link_failed) {
		ctx->link_failed = false;
		io_fail_chain(req);
	} else {
		io_queue_sqe(req, ctx->link_tail->seq);
	}
}

/* Collect a chain, and queue the request or the finished chain. */
static void io_submit_req(struct io_ring_ctx *ctx, struct io_kiocb *req)
{
	if (unlikely(ctx->link_head)) {
		trace_io_uring_link(req, ctx->link_head);
		/*
		 * (the one place a link is set: on a request with a link
		 * flag, which the flush relies on, io_req_free())
		 */
		ctx->link_tail->link = req;
		ctx->link_tail = req;
		/* IOSQE_IO_DRAIN anywhere in a chain drains the whole chain */
		if (req->flags & IOSQE_IO_DRAIN)
			ctx->link_head->flags |= IOSQE_IO_DRAIN;
		if (req->flags & IO_REQ_LINK_FLAGS)
			return;
		io_submit_flush_link(ctx);
		return;
	} else if (unlikely(req->flags & IO_REQ_LINK_FLAGS)) {
		ctx->link_head = req;
		ctx->link_tail = req;
		return;
	}
	io_queue_sqe(req, req->seq);
}

/*
 * A request failed before issue. Alone, it completes with the error and
 * (without IORING_SETUP_SUBMIT_ALL) ends the batch; in a chain, the chain
 * is collected to its end and failed as a whole. Returns true to stop.
 */
static bool io_submit_fail(struct io_ring_ctx *ctx, struct io_kiocb *req,
			   int err)
{
	req->flags |= REQ_F_FAIL;
	io_req_set_res(req, err, 0);
	if (ctx->link_head || (req->flags & IO_REQ_LINK_FLAGS)) {
		ctx->link_failed = true;
		io_submit_req(ctx, req);
		return false;
	}
	if (unlikely(ctx->drain_active))
		io_drain_erase(ctx, req);
	io_req_complete_defer(req);
	return !(ctx->flags & IORING_SETUP_SUBMIT_ALL);
}

/*
 * A restricted ring's BPF filters (if it has any: its restriction sets
 * were checked before) run on what prep made of the SQE; a denied
 * request has run nothing.
 */
static noinline int io_prep_filtered(struct io_kiocb *req,
				     const struct io_uring_sqe *sqe,
				     u8 sqe_flags)
{
	struct io_ring_ctx *ctx = req->ctx;
	int ret = io_op_defs[req->opcode].prep(req, sqe);

	if (!ret && ctx->bpf_filters)
		ret = io_bpf_filter_req(ctx->bpf_filters, req, sqe_flags);
	return ret;
}

/*
 * A 128-byte opcode (NOP128, URING_CMD128) in an IORING_SETUP_SQE_MIXED
 * ring: this slot and the next, which must be there (submitted in this
 * batch; with an SQ array, the next entry must name it) and must not be
 * the first slot after a wrap. Otherwise -EINVAL, and only this slot is
 * consumed. (Other rings: the ops' prep, io_sqe128_ok().)
 */
static __always_inline int io_init_sqe128(struct io_ring_ctx *ctx,
					  const struct io_uring_sqe *sqe,
					  unsigned int *left,
					  unsigned int *extra)
{
	unsigned int slot = sqe - ctx->sq_sqes, next;

	if (!*left || slot == ctx->sq_entries - 1)
		return -EINVAL;
	if (ctx->sq_array) {
		next = ctx->cached_sq_head & (ctx->sq_entries - 1);
		if (READ_ONCE(ctx->sq_array[next]) != slot + 1)
			return -EINVAL;
	}
	/* a slot, not a request: its inflight count goes back at the end */
	ctx->cached_sq_head++;
	(*left)--;
	(*extra)++;
	return 0;
}

/*
 * @mixed: an IORING_SETUP_SQE_MIXED ring, where a 128-byte SQE takes two
 * of the batch's slots (@left, @extra); a constant, so that the other
 * rings' submission has no trace of it. @stamp: the batch's submission
 * time (io_lat_now()).
 */
static __always_inline int io_init_req(struct io_ring_ctx *ctx,
				       struct io_kiocb *req,
				       const struct io_uring_sqe *sqe,
				       unsigned int *left, unsigned int *extra,
				       u64 stamp, const bool mixed,
				       const struct io_op_def **defp)
{
	const struct io_op_def *def;
	u8 opcode, op, sqe_flags;
	u16 personality;
	int ret;

	opcode = READ_ONCE(sqe->opcode);
	sqe_flags = READ_ONCE(sqe->flags);
	/* the SQE's flags, so that a failing request still joins its chain */
	req->flags = sqe_flags & IO_SQE_FLAGS_SUPPORTED;
	req->ctx = ctx;
	req->task = current;
	req->fd = READ_ONCE(sqe->fd);
	req->buf_index = READ_ONCE(sqe->buf_index);
	io_req_zero_init(req, stamp);
	req->cqe.user_data = READ_ONCE(sqe->user_data);
	/* an invalid opcode is failed as a NOP so nothing indexes past the table */
	op = opcode < IORING_OP_LAST ? opcode : IORING_OP_NOP;
	def = &io_op_defs[op];
	*defp = def;
	req->opcode = op;
	req->seq = ctx->nr_submitted++;
	ctx->op_submitted[op]++;

	/* (io_op_supported(), on the entry already at hand) */
	if (unlikely(op != opcode || !def->prep))
		return -EINVAL;
	/* before anything reads the SQE's second half */
	if (mixed && unlikely(def->sqe128)) {
		ret = io_init_sqe128(ctx, sqe, left, extra);
		if (ret)
			return ret;
	}
	if (unlikely(sqe_flags & ~IO_SQE_FLAGS_SUPPORTED))
		return -EINVAL;
	/* before anything of it is looked at: the personality's LSM hook */
	if (unlikely(ctx->restricted) &&
	    io_restrict_sqe(ctx, opcode, sqe_flags))
		return -EACCES;

	personality = READ_ONCE(sqe->personality);
	if (unlikely(personality)) {
		const struct cred *creds = xa_load(&ctx->personalities,
						   personality);

		if (!creds)
			return -EINVAL;
		/* the LSMs decide whether we may act as the personality */
		ret = security_uring_override_creds(creds);
		if (ret)
			return ret;
		req->creds = get_cred(creds);
		req->flags |= REQ_F_CREDS;
	}

	if ((sqe_flags & IOSQE_BUFFER_SELECT) && !def->buffer_select)
		return -EINVAL;
	/* a polled ring takes polled I/O, and what never waits, only */
	if ((ctx->flags & IORING_SETUP_IOPOLL) && !def->iopoll)
		return -EINVAL;
	/*
	 * The file is looked up when the request is issued, not here: an
	 * earlier request (linked, or drained before it) may be the one that
	 * opens it into a fixed slot (IORING_FEAT_LINKED_FILE).
	 */
	if (unlikely(ctx->restricted))
		return io_prep_filtered(req, sqe, sqe_flags);
	return def->prep(req, sqe);
}

static __always_inline const struct io_uring_sqe *io_get_sqe(struct io_ring_ctx *ctx)
{
	unsigned int idx = ctx->cached_sq_head++ & (ctx->sq_entries - 1);

	if (likely(ctx->sq_array))
		idx = READ_ONCE(ctx->sq_array[idx]);
	if (likely(idx < ctx->sq_entries)) {
		if (ctx->flags & IORING_SETUP_SQE128)
			idx <<= 1;
		return &ctx->sq_sqes[idx];
	}
	/* an index user space got wrong: count it and move on */
	WRITE_ONCE(ctx->rings->sq_dropped, READ_ONCE(ctx->rings->sq_dropped) + 1);
	return NULL;
}

/*
 * The end of a submission batch: a chain left open fails, the plugged
 * block I/O goes out, the SQ slots go back, and the CQEs of what
 * completed inline are posted.
 */
static __always_inline void io_submit_end(struct io_ring_ctx *ctx)
{
	if (unlikely(ctx->link_head))
		io_submit_flush_link(ctx);
	ctx->submit_nr = 0;
	if (unlikely(ctx->submit_plugged)) {
		ctx->submit_plugged = false;
		blk_finish_plug(&ctx->submit_plug);
	}
	/* done with the SQEs: user space may reuse the slots */
	smp_store_release(&ctx->rings->sq.head, ctx->cached_sq_head);
	io_flush_completions(ctx);
}

/* io_submit_sqes(), made once for mixed SQE sizes and once for the rest */
static __always_inline int __io_submit_sqes(struct io_ring_ctx *ctx,
					    unsigned int nr, const bool mixed)
{
	unsigned int entries = min(nr, io_sqring_entries(ctx));
	unsigned int left = entries, extra = 0;
	struct io_uring_task *tctx = current->io_uring;
	u64 stamp;
	int done;

	lockdep_assert_held(&ctx->uring_lock);
	if (unlikely(!entries)) {
		done = 0;
		goto out;
	}
	stamp = io_lat_now(ctx);
	/* the task's inflight counts, one per slot, taken for the batch */
	io_tctx_take_refs(tctx, entries);
	/* its block I/O may go out under one plug (io_submit_plug()) */
	ctx->submit_nr = entries;
	while (left) {
		const struct io_uring_sqe *sqe;
		const struct io_op_def *def;
		struct io_kiocb *req;
		int ret;

		req = io_req_alloc(ctx);
		if (unlikely(!req)) {
			if (left != entries)
				break;
			tctx->cached_refs += entries;
			done = -EAGAIN;
			goto out;
		}
		sqe = io_get_sqe(ctx);
		if (unlikely(!sqe)) {
			/*
			 * The slot is consumed (and counted in sq.dropped) but
			 * is not a submission; the batch ends here, as in 6.12.
			 */
			io_req_to_cache(ctx, req);
			break;
		}
		left--;
		ret = io_init_req(ctx, req, sqe, &left, &extra, stamp, mixed,
				  &def);
		if (unlikely(ret)) {
			trace_io_uring_req_failed(sqe, req, ret);
			if (io_submit_fail(ctx, req, ret))
				break;
			continue;
		}
		/* (the static key tested inline, as io_write_cqe() does) */
		if (trace_io_uring_submit_req_enabled())
			trace_io_uring_submit_req(req);
		/*
		 * Most requests are not in a chain, not drained and not
		 * forced async: straight to the inline attempt.
		 */
		if (likely(!ctx->link_head && !ctx->drain_active &&
			   !(req->flags & IO_SUBMIT_SLOW_FLAGS) &&
			   !def->blocking))
			__io_issue_req(req, def);
		else
			io_submit_req(ctx, req);
	}
	/* unused counts (slots left, second slots: @extra) stay the task's */
	tctx->cached_refs += left + extra;
	/* the count is of slots: a 128-byte SQE's second one too */
	done = entries - left;
out:
	io_submit_end(ctx);
	return done;
}

static noinline int io_submit_sqes_mixed(struct io_ring_ctx *ctx,
					 unsigned int nr)
{
	return __io_submit_sqes(ctx, nr, true);
}

/**
 * io_submit_sqes - consume up to @nr SQEs
 * @ctx: the ring, uring_lock held
 * @nr: at most this many slots of the SQ
 *
 * Return: how many slots were consumed (a 128-byte SQE of a mixed ring
 * counts two), or -EAGAIN if not even one request could be allocated.
 */
int io_submit_sqes(struct io_ring_ctx *ctx, unsigned int nr)
{
	if (unlikely(ctx->flags & IORING_SETUP_SQE_MIXED))
		return io_submit_sqes_mixed(ctx, nr);
	return __io_submit_sqes(ctx, nr, false);
}

/**
 * io_drain_cancel - cancel requests held back by IOSQE_IO_DRAIN
 * @ctx: the ring, with uring_lock held
 * @match: which requests; NULL for all
 * @data: passed to @match
 *
 * They wait on other requests, possibly for ever, and never started.
 * Return: how many were cancelled.
 */
int io_drain_cancel(struct io_ring_ctx *ctx,
		    bool (*match)(struct io_kiocb *req, void *data), void *data)
{
	struct io_kiocb *req, *tmp;
	int nr = 0;

	lockdep_assert_held(&ctx->uring_lock);
	list_for_each_entry_safe(req, tmp, &ctx->defer_list, list) {
		if (match && !match(req, data))
			continue;
		list_del(&req->list);
		io_drain_erase(ctx, req);
		io_req_fail(req, -ECANCELED);
		nr++;
	}
	/* drain_active ends in io_queue_deferred(), once drain_until passes */
	return nr;
}
