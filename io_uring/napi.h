/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_NAPI_H
#define IOU_NAPI_H

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/io_uring_types.h>

struct io_kiocb;
struct io_ring_ctx;

#ifdef CONFIG_NET
int io_register_napi(struct io_ring_ctx *ctx, void __user *arg);
int io_unregister_napi(struct io_ring_ctx *ctx, void __user *arg);
#else
static inline int io_register_napi(struct io_ring_ctx *ctx, void __user *arg)
{
	return -EOPNOTSUPP;
}

static inline int io_unregister_napi(struct io_ring_ctx *ctx,
				     void __user *arg)
{
	return -EOPNOTSUPP;
}
#endif

#ifdef CONFIG_NET_RX_BUSY_POLL
void io_napi_add(struct io_kiocb *req);
void __io_napi_busy_poll(struct io_ring_ctx *ctx, bool (*done)(void *data),
			 void *data);
void io_napi_free(struct io_ring_ctx *ctx);

/* Most rings never register NAPI: keep the wait path to one load. */
static inline void io_napi_busy_poll(struct io_ring_ctx *ctx,
				     bool (*done)(void *data), void *data)
{
	if (READ_ONCE(ctx->napi_busy_poll_to))
		__io_napi_busy_poll(ctx, done, data);
}
#else
static inline void io_napi_add(struct io_kiocb *req) { }
static inline void io_napi_busy_poll(struct io_ring_ctx *ctx,
				     bool (*done)(void *data), void *data) { }
static inline void io_napi_free(struct io_ring_ctx *ctx) { }
#endif

#endif
