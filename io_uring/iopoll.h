/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IORING_SETUP_IOPOLL's list and reaper (iopoll.c).
 */
#ifndef IOU_IOPOLL_H
#define IOU_IOPOLL_H

#include <linux/io_uring_types.h>

void io_iopoll_add(struct io_kiocb *req, unsigned int issue_flags);
int io_iopoll_reap(struct io_ring_ctx *ctx, unsigned int min);
int io_iopoll_wait(struct io_ring_ctx *ctx, unsigned int min);

/* Requests of @ctx waiting for their device's poll. */
static inline bool io_iopoll_pending(struct io_ring_ctx *ctx)
{
	return !list_empty_careful(&ctx->iopoll_list);
}

#endif
