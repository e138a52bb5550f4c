/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_SPLICE_H
#define IOU_SPLICE_H

struct io_kiocb;
struct io_uring_sqe;

int io_splice_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_splice(struct io_kiocb *req, unsigned int issue_flags);
int io_tee_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_tee(struct io_kiocb *req, unsigned int issue_flags);

#endif
