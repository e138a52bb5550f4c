/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_REGISTER_H
#define IOU_REGISTER_H

struct io_ring_ctx;

void io_unregister_personalities(struct io_ring_ctx *ctx);

#endif
