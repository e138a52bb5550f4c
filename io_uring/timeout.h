/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_TIMEOUT_H
#define IOU_TIMEOUT_H

struct io_kiocb;
struct io_ring_ctx;
struct io_uring_sqe;

int io_timeout_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_timeout(struct io_kiocb *req, unsigned int issue_flags);
int io_link_timeout_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_link_timeout(struct io_kiocb *req, unsigned int issue_flags);
int io_timeout_remove_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_timeout_remove(struct io_kiocb *req, unsigned int issue_flags);
void io_timeout_cleanup(struct io_kiocb *req);
void io_flush_timeouts(struct io_ring_ctx *ctx);
int io_timeout_cancel(struct io_ring_ctx *ctx,
		      bool (*match)(struct io_kiocb *req, void *data),
		      void *data, bool all, int *running);
struct task_struct;
void io_timeout_detach_task(struct io_ring_ctx *ctx, struct task_struct *task);
void io_link_timeout_arm(struct io_kiocb *req, struct io_kiocb *lt);
struct io_kiocb *io_link_timeout_disarm(struct io_kiocb *req,
					struct io_kiocb *lt);

#endif
