/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_MSG_RING_H
#define IOU_MSG_RING_H

struct io_kiocb;
struct io_uring_sqe;

int io_msg_ring_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_msg_ring(struct io_kiocb *req, unsigned int issue_flags);
int io_msg_ring_sync(void __user *arg, unsigned int nr_args);

#endif
