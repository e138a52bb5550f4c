/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_CANCEL_H
#define IOU_CANCEL_H

struct io_kiocb;
struct io_uring_sqe;

int io_async_cancel_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_async_cancel(struct io_kiocb *req, unsigned int issue_flags);
void io_cancel_req(struct io_kiocb *req);
struct io_ring_ctx;
int io_sync_cancel(struct io_ring_ctx *ctx, void __user *arg);
void io_waiter_add(struct io_kiocb *req);
void io_waiter_del(struct io_kiocb *req);
int io_waiter_cancel(struct io_ring_ctx *ctx,
		     bool (*match)(struct io_kiocb *req, void *data),
		     void *data, bool all);

#endif
