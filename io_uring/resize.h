/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_RESIZE_H
#define IOU_RESIZE_H

struct io_ring_ctx;

int io_register_resize_rings(struct io_ring_ctx *ctx, void __user *arg);

#endif
