// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_STATX: statx(2) from io-wq. The path is copied at prep.
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
	int				dfd;
	unsigned int			mask;
	unsigned int			flags;
	struct filename			*filename;
	struct statx __user		*buffer;
};

int io_statx_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_statx *sx = io_kiocb_to_cmd(req, struct io_statx);
	const char __user *path;

	if (READ_ONCE(sqe->buf_index) || READ_ONCE(sqe->splice_fd_in))
		return -EINVAL;
	if (req->flags & IOSQE_FIXED_FILE)
		return -EBADF;
	sx->dfd = READ_ONCE(sqe->fd);
	sx->mask = READ_ONCE(sqe->len);
	sx->flags = READ_ONCE(sqe->statx_flags);
	sx->buffer = u64_to_user_ptr(READ_ONCE(sqe->addr2));
	path = u64_to_user_ptr(READ_ONCE(sqe->addr));
	/* AT_EMPTY_PATH lets "" name dfd itself, as statx(2) does */
	sx->filename = getname_flags(path, getname_statx_lookup_flags(sx->flags));
	if (IS_ERR(sx->filename)) {
		int ret = PTR_ERR(sx->filename);

		sx->filename = NULL;
		return ret;
	}
	req->flags |= REQ_F_NEED_CLEANUP;
	return 0;
}

int io_statx(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_statx *sx = io_kiocb_to_cmd(req, struct io_statx);
	int ret;

	/* getattr may go to disk or the network */
	if (issue_flags & IO_URING_F_NONBLOCK)
		return -EAGAIN;
	ret = do_statx(sx->dfd, sx->filename, sx->flags, sx->mask, sx->buffer);
	io_req_set_res(req, ret, 0);
	return IOU_OK;
}

void io_statx_cleanup(struct io_kiocb *req)
{
	struct io_statx *sx = io_kiocb_to_cmd(req, struct io_statx);

	if (sx->filename)
		putname(sx->filename);
	sx->filename = NULL;
}
