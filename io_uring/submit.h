/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Submission, links and drain (submit.c).
 */
#ifndef IOU_SUBMIT_H
#define IOU_SUBMIT_H

#include <linux/io_uring_types.h>

void io_queue_deferred(struct io_ring_ctx *ctx);

int io_submit_sqes(struct io_ring_ctx *ctx, unsigned int nr);
int io_drain_cancel(struct io_ring_ctx *ctx,
		    bool (*match)(struct io_kiocb *req, void *data), void *data);

#endif
