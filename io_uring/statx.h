/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_STATX_H
#define IOU_STATX_H

struct io_kiocb;
struct io_uring_sqe;

int io_statx_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_statx(struct io_kiocb *req, unsigned int issue_flags);
void io_statx_cleanup(struct io_kiocb *req);

#endif
