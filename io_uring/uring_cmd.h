/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_URING_CMD_H
#define IOU_URING_CMD_H

#include <linux/io_uring_types.h>

/* IORING_OP_URING_CMD, and URING_CMD128 in a 128-byte SQE */
static inline bool io_is_uring_cmd(struct io_kiocb *req)
{
	return req->opcode == IORING_OP_URING_CMD ||
	       req->opcode == IORING_OP_URING_CMD128;
}

/* the SQE is 128 bytes: a ring of them, or URING_CMD128 */
static inline bool io_uring_cmd_sqe128(struct io_kiocb *req)
{
	return (req->ctx->flags & IORING_SETUP_SQE128) ||
	       req->opcode == IORING_OP_URING_CMD128;
}

int io_uring_cmd_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_uring_cmd(struct io_kiocb *req, unsigned int issue_flags);
void io_uring_cmd_cleanup(struct io_kiocb *req);
void io_uring_cmd_big_cqe(struct io_kiocb *req, u64 big[2]);

/* ring and task exit: drivers end the commands they hold */
int io_uring_cmd_cancel(struct io_ring_ctx *ctx,
			bool (*match)(struct io_kiocb *req, void *data),
			void *data);

/* IORING_SETUP_IOPOLL: the reaper polls a command in flight */
struct io_comp_batch;
int io_uring_cmd_iopoll(struct io_kiocb *req, struct io_comp_batch *iob,
			unsigned int poll_flags);

#endif
