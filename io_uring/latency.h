/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_LATENCY_H
#define IOU_LATENCY_H

#include <linux/jump_label.h>
#include <linux/io_uring_types.h>

struct seq_file;

DECLARE_STATIC_KEY_FALSE(io_op_latency_key);

u64 __io_lat_now(struct io_ring_ctx *ctx);
void __io_lat_complete(struct io_ring_ctx *ctx, struct io_kiocb *req);
void io_lat_show_fdinfo(struct seq_file *m, struct io_ring_ctx *ctx, u8 op);
void io_lat_free(struct io_ring_ctx *ctx);
#ifdef CONFIG_SYSCTL
void io_lat_sysctl_init(void);
#else
static inline void io_lat_sysctl_init(void)
{
}
#endif

/* The stamp for a batch of submissions: 0 while latencies are off. */
static __always_inline u64 io_lat_now(struct io_ring_ctx *ctx)
{
	if (static_branch_unlikely(&io_op_latency_key))
		return __io_lat_now(ctx);
	return 0;
}

/* Count a batch of completions (@req linked by ->next). */
static __always_inline void io_lat_complete(struct io_ring_ctx *ctx,
					    struct io_kiocb *req)
{
	if (static_branch_unlikely(&io_op_latency_key))
		__io_lat_complete(ctx, req);
}

#endif
