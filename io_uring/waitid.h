/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_WAITID_H
#define IOU_WAITID_H

#include <linux/types.h>

struct io_kiocb;
struct io_uring_sqe;

int io_waitid_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_waitid(struct io_kiocb *req, unsigned int issue_flags);
void io_waitid_cleanup(struct io_kiocb *req);
bool io_waitid_cancel(struct io_kiocb *req);

#endif
