/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Requests in io worker pools (iowq.c).
 */
#ifndef IOU_IOWQ_H
#define IOU_IOWQ_H

#include <linux/io_uring_types.h>

void io_iowq_unlink(struct io_kiocb *req);
bool io_queue_iowq_next(struct io_kiocb *prev, struct io_kiocb *req);

void io_queue_iowq(struct io_kiocb *req);
void io_iowq_limits(struct io_ring_ctx *ctx, u32 limits[2]);
int io_iowq_cancel(struct io_ring_ctx *ctx,
		   bool (*match)(struct io_kiocb *req, void *data), void *data,
		   bool all, int *running);
struct io_wq *io_tctx_wq(struct io_ring_ctx *ctx);

#endif
