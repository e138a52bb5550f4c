/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_EVENTFD_H
#define IOU_EVENTFD_H

struct io_ring_ctx;

int io_eventfd_register(struct io_ring_ctx *ctx, void __user *arg,
			unsigned int nr_args, bool async);
int io_eventfd_unregister(struct io_ring_ctx *ctx);
void io_eventfd_signal(struct io_ring_ctx *ctx);

#endif
