/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Submission, links and drain (submit.c).
 */
#ifndef IOU_SUBMIT_H
#define IOU_SUBMIT_H

#include <linux/io_uring_types.h>

void io_queue_deferred(struct io_ring_ctx *ctx);

#endif
