/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-ring request cache: inline allocation for the submission loop.
 */
#ifndef IOU_REQ_H
#define IOU_REQ_H

#include <linux/io_uring_types.h>

bool io_req_cache_refill(struct io_ring_ctx *ctx);
void io_req_cache_free(struct io_ring_ctx *ctx);
void __init io_req_cache_init(void);
void io_req_link_cancel(struct io_kiocb *req, bool silent);

/*
 * Clear the request's init group a word at a time: at -Os a memset() of
 * it becomes "rep stosl", a count per four bytes, the largest single cost
 * of submitting a NOP. Its last word, submit_ns, takes @stamp instead.
 */
static __always_inline void io_req_zero_init(struct io_kiocb *req, u64 stamp)
{
	u64 *word = (u64 *)&req->init;
	unsigned int i;

	BUILD_BUG_ON(sizeof(req->init) % sizeof(u64));
	BUILD_BUG_ON(offsetof(struct io_kiocb, submit_ns) !=
		     offsetof(struct io_kiocb, init) + sizeof(req->init) -
		     sizeof(u64));
#pragma GCC unroll 64
	for (i = 0; i < sizeof(req->init) / sizeof(u64) - 1; i++)
		WRITE_ONCE(word[i], 0);
	WRITE_ONCE(word[i], stamp);
}

static inline void io_req_to_cache(struct io_ring_ctx *ctx, struct io_kiocb *req)
{
	req->next = ctx->free_reqs;
	ctx->free_reqs = req;
}

/*
 * A request from the ring's cache. Each request holds a reference on
 * ctx->refs from its allocation from the slab (io_req_cache_refill()) to
 * its return to it (io_req_cache_free()), in the cache as well as in
 * flight: submission and completion touch no shared counter for it.
 */
static __always_inline struct io_kiocb *io_req_alloc(struct io_ring_ctx *ctx)
{
	struct io_kiocb *req;

	lockdep_assert_held(&ctx->uring_lock);
	req = ctx->free_reqs;
	if (unlikely(!req)) {
		if (!io_req_cache_refill(ctx))
			return NULL;
		req = ctx->free_reqs;
	}
	ctx->free_reqs = req->next;
	return req;
}

struct io_kiocb *io_req_alloc_aux(struct io_ring_ctx *ctx);
void io_req_fail(struct io_kiocb *req, int err);
void io_req_detach_task(struct io_kiocb *req);
void io_req_complete_unlocked(struct io_kiocb *req);
void __io_flush_completions(struct io_ring_ctx *ctx);

/**
 * io_flush_completions - post the batch's CQEs, then free the requests
 * @ctx: the ring, with uring_lock held
 *
 * Inline for the test: most calls (the end of a submission whose
 * requests all went async, a run of task work that completed none) have
 * nothing to flush.
 */
static __always_inline void io_flush_completions(struct io_ring_ctx *ctx)
{
	if (ctx->compl_head)
		__io_flush_completions(ctx);
}

/**
 * io_req_complete_defer - complete a request at the end of this batch
 * @req: the request, with its result set
 *
 * Must run under uring_lock; the CQEs of a batch are posted together.
 * Inline: every completion of every op comes here.
 */
static __always_inline void io_req_complete_defer(struct io_kiocb *req)
{
	struct io_ring_ctx *ctx = req->ctx;

	lockdep_assert_held(&ctx->uring_lock);
	/* (the flush ends the list: no req->next = NULL per request) */
	*ctx->compl_tail = req;
	ctx->compl_tail = &req->next;
}

#endif
