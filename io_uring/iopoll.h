/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IORING_SETUP_IOPOLL's list and reaper (iopoll.c).
 */
#ifndef IOU_IOPOLL_H
#define IOU_IOPOLL_H

#include <linux/io_uring_types.h>
#include "io_uring.h"

int io_iopoll_reap(struct io_ring_ctx *ctx, unsigned int min);
int __io_iopoll_wait(struct io_ring_ctx *ctx, unsigned int min);

/**
 * io_iopoll_wait - io_uring_enter(2)'s wait on an IORING_SETUP_IOPOLL ring
 * @ctx: the ring (no SQPOLL thread polls it), uring_lock held
 * @min: CQEs the caller waits for
 *
 * As io_uring_enter(2) has it: CQEs already in the
 * ring are returned at once, without polling; otherwise poll until there
 * is one (@min 0: one pass, without spinning), or nothing is left to
 * poll for. Polling no more than that lets completions gather in the
 * device between polls, so that each poll completes a batch. Task work
 * (passthrough completions) runs between rounds, without uring_lock;
 * before each further round the lock is let go of too, for the io
 * workers that add to the list and for the scheduler.
 *
 * Inline for a submit-and-reap loop's usual case, CQEs already there.
 *
 * Return: 0, -EINTR on a signal, or a driver's -errno.
 */
static inline int io_iopoll_wait(struct io_ring_ctx *ctx, unsigned int min)
{
	if (!test_bit(IO_CHECK_CQ_OVERFLOW_BIT, &ctx->check_cq) &&
	    io_cqring_events(ctx))
		return 0;
	return __io_iopoll_wait(ctx, min);
}

/* Requests of @ctx waiting for their device's poll. */
static inline bool io_iopoll_pending(struct io_ring_ctx *ctx)
{
	return !list_empty_careful(&ctx->iopoll_list);
}

/**
 * io_iopoll_add - a polled request was issued: the reaper looks for it
 * @req: the request
 * @issue_flags: as it was issued (an io worker holds no uring_lock)
 *
 * Inline: once per polled read or write, from the submission.
 */
static inline void io_iopoll_add(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_ring_ctx *ctx = req->ctx;

	if (issue_flags & IO_URING_F_UNLOCKED)
		mutex_lock(&ctx->uring_lock);
	list_add_tail(&req->iopoll_node, &ctx->iopoll_list);
	if (issue_flags & IO_URING_F_UNLOCKED)
		mutex_unlock(&ctx->uring_lock);
}

#endif
