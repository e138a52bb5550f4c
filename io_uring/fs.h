/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_FS_H
#define IOU_FS_H

struct io_kiocb;
struct io_uring_sqe;

int io_renameat_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_renameat(struct io_kiocb *req, unsigned int issue_flags);
int io_unlinkat_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_unlinkat(struct io_kiocb *req, unsigned int issue_flags);
int io_mkdirat_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_mkdirat(struct io_kiocb *req, unsigned int issue_flags);
int io_symlinkat_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_symlinkat(struct io_kiocb *req, unsigned int issue_flags);
int io_linkat_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_linkat(struct io_kiocb *req, unsigned int issue_flags);
void io_fs_cleanup(struct io_kiocb *req);

#include <linux/types.h>

struct filename;
int io_prep_getname(struct io_kiocb *req, struct filename **name, u64 uaddr,
		    int flags);

#endif
