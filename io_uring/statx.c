// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_STATX: statx(2), always from io-wq (getattr may go to disk or
 * over the network). The path is copied at prep.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/io_uring_types.h>

#include "../fs/internal.h"

#include "io_uring.h"
#include "statx.h"

struct io_statx {
	struct file			*file;
	struct filename			*name;
	struct statx __user		*out;
	int				dirfd;
	u32				mask;
	u32				at_flags;
};

int io_statx_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_statx *sx = io_kiocb_to_cmd(req, struct io_statx);
	struct filename *name;

	sx->name = NULL;
	if (req->flags & IOSQE_FIXED_FILE)
		return -EBADF;
	if (READ_ONCE(sqe->buf_index) || READ_ONCE(sqe->splice_fd_in))
		return -EINVAL;
	sx->at_flags = READ_ONCE(sqe->statx_flags);
	/* with AT_EMPTY_PATH, "" names the directory fd itself */
	name = getname_flags(u64_to_user_ptr(READ_ONCE(sqe->addr)),
			     getname_statx_lookup_flags(sx->at_flags));
	if (IS_ERR(name))
		return PTR_ERR(name);
	sx->name = name;
	req->flags |= REQ_F_NEED_CLEANUP;
	sx->dirfd = READ_ONCE(sqe->fd);
	sx->mask = READ_ONCE(sqe->len);
	sx->out = u64_to_user_ptr(READ_ONCE(sqe->addr2));
	return 0;
}

void io_statx_cleanup(struct io_kiocb *req)
{
	struct io_statx *sx = io_kiocb_to_cmd(req, struct io_statx);
	struct filename *name = sx->name;

	sx->name = NULL;
	if (name)
		putname(name);
}

int io_statx(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_statx *sx = io_kiocb_to_cmd(req, struct io_statx);

	io_req_set_res(req, do_statx(sx->dirfd, sx->name, sx->at_flags,
				     sx->mask, sx->out), 0);
	/* the name is ours to put: do_statx() only borrows it */
	io_statx_cleanup(req);
	req->flags &= ~REQ_F_NEED_CLEANUP;
	return IOU_OK;
}
