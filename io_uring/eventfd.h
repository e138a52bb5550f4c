/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_EVENTFD_H
#define IOU_EVENTFD_H

#include <linux/io_uring_types.h>

int io_eventfd_register(struct io_ring_ctx *ctx, void __user *arg,
			unsigned int nr_args, bool async);
int io_eventfd_unregister(struct io_ring_ctx *ctx);
void __io_eventfd_signal(struct io_ring_ctx *ctx);

/* After CQEs were posted; inline: most rings have no eventfd. */
static inline void io_eventfd_signal(struct io_ring_ctx *ctx)
{
	if (rcu_access_pointer(ctx->io_ev_fd))
		__io_eventfd_signal(ctx);
}

#endif
