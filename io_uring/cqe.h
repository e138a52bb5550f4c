/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writing one CQE into the ring: inline, for the completion flush and
 * the submission's fast path.
 */
#ifndef IOU_CQE_H
#define IOU_CQE_H

#include <linux/io_uring_types.h>
#include <linux/seq_file.h>
#include <linux/poll.h>
#include <trace/events/io_uring.h>
#include "eventfd.h"

void io_cq_overflow_free(struct io_ring_ctx *ctx);

static inline struct io_uring_cqe *io_cqe_slot(struct io_ring_ctx *ctx)
{
	unsigned int idx = ctx->cached_cq_tail & (ctx->cq_entries - 1);

	return &ctx->rings->cqes[idx << ctx->cq_shift];
}

static __always_inline void io_write_cqe(struct io_ring_ctx *ctx,
					 u64 user_data, s32 res, u32 cflags,
					 u64 extra1, u64 extra2)
{
	struct io_uring_cqe *cqe = io_cqe_slot(ctx);

	/*
	 * (the static key tested here, inline: at -Os the tracepoint's own
	 * wrapper is an out-of-line call made for every CQE)
	 */
	if (trace_io_uring_complete_enabled())
		trace_io_uring_complete(ctx, NULL, user_data, res, cflags,
					extra1, extra2);
	WRITE_ONCE(cqe->user_data, user_data);
	WRITE_ONCE(cqe->res, res);
	WRITE_ONCE(cqe->flags, cflags);
	if (ctx->cq_shift) {
		WRITE_ONCE(cqe->big_cqe[0], extra1);
		WRITE_ONCE(cqe->big_cqe[1], extra2);
	}
	ctx->cached_cq_tail++;
}

/**
 * io_cq_commit - publish the CQEs written so far
 * @ctx: the ring, with uring_lock held
 *
 * The tail is stored under the lock the CQEs were written under: two
 * posters (a MSG_RING sender and the ring's own flush) can never store
 * their tails out of order, so user space never sees it move backwards.
 *
 * Return: true if the tail moved (io_cq_wake() is due).
 */
static inline bool io_cq_commit(struct io_ring_ctx *ctx)
{
	unsigned int tail = ctx->cached_cq_tail;

	lockdep_assert_held(&ctx->uring_lock);
	/* our own copy: user space may scribble over the shared one */
	if (ctx->cq_published == tail)
		return false;
	WRITE_ONCE(ctx->cq_published, tail);
	/* CQE contents before the tail that makes them visible */
	smp_store_release(&ctx->rings->cq.tail, tail);
	return true;
}

/**
 * io_cq_wake - tell waiters, pollers and the eventfd about new CQEs
 * @ctx: the ring
 *
 * Pollers are woken with EPOLL_URING_WAKE: a multishot poll that this
 * wakes (one on this very ring, or on its eventfd) ends instead of
 * feeding itself a CQE per CQE it posts. (Inline: the flush's.)
 */
static __always_inline void io_cq_wake(struct io_ring_ctx *ctx)
{
	/*
	 * One barrier for both queues (wq_has_sleeper() has one each): the
	 * tail store before the looks, against a waiter's queueing before
	 * its look at the tail.
	 */
	smp_mb();
	/* waiters in io_uring_enter(2), ordered by the barrier above */
	if (waitqueue_active(&ctx->cq_wait))
		wake_up(&ctx->cq_wait);
	/* most rings are never polled and have no eventfd: one test */
	if (unlikely(READ_ONCE(ctx->cq_watched))) {
		/* poll(2)/epoll of the ring fd, ordered by the same barrier */
		if (waitqueue_active(&ctx->poll_wq))
			wake_up_interruptible_poll(&ctx->poll_wq,
						   EPOLLIN | EPOLLRDNORM |
						   EPOLL_URING_WAKE);
		io_eventfd_signal(ctx);
	}
}

/*
 * Publish what was written and, if the tail moved, tell waiters: with no
 * lock to drop between the two (uring_lock is held throughout), one call.
 * Return: true if the tail moved.
 */
static __always_inline bool io_cq_publish(struct io_ring_ctx *ctx)
{
	if (!io_cq_commit(ctx))
		return false;
	io_cq_wake(ctx);
	return true;
}

bool io_post_cqe(struct io_ring_ctx *ctx, u64 user_data, s32 res, u32 cflags,
		 u64 extra1, u64 extra2);
bool io_post_aux_cqe(struct io_ring_ctx *ctx, u64 user_data, s32 res,
		     u32 cflags, unsigned int issue_flags);
void io_cqring_overflow_flush_locked(struct io_ring_ctx *ctx);
void io_cqring_overflow_flush(struct io_ring_ctx *ctx);
void io_cq_overflow_show_fdinfo(struct seq_file *m, struct io_ring_ctx *ctx,
				bool locked);

#endif
