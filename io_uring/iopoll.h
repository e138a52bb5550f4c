/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IORING_SETUP_IOPOLL's list and reaper (iopoll.c).
 */
#ifndef IOU_IOPOLL_H
#define IOU_IOPOLL_H

#include <linux/io_uring_types.h>

int io_iopoll_reap(struct io_ring_ctx *ctx, unsigned int min);
int io_iopoll_wait(struct io_ring_ctx *ctx, unsigned int min);

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
