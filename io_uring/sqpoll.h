/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_SQPOLL_H
#define IOU_SQPOLL_H

struct io_ring_ctx;
struct io_uring_params;

int io_sq_offload_create(struct io_ring_ctx *ctx, struct io_uring_params *p);
void io_sq_offload_start(struct io_ring_ctx *ctx);
void io_sq_thread_finish(struct io_ring_ctx *ctx);
int io_sqpoll_enter(struct io_ring_ctx *ctx, unsigned int flags);
int io_sq_thread_pid(struct io_ring_ctx *ctx);

#endif
