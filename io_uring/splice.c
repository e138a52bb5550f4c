// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_SPLICE and IORING_OP_TEE: move pipe data without a copy to
 * user space. They may block on either end, so they run in io-wq.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/splice.h>
#include <linux/io_uring_types.h>

#include "io_uring.h"
#include "rsrc.h"
#include "filetable.h"
#include "splice.h"

struct io_splice {
	struct file	*file_out;
	loff_t		off_out;
	loff_t		off_in;
	u64		len;
	int		fd_in;
	unsigned int	flags;
};

static int __io_splice_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_splice *sp = io_kiocb_to_cmd(req, struct io_splice);

	sp->len = READ_ONCE(sqe->len);
	sp->flags = READ_ONCE(sqe->splice_flags);
	if (sp->flags & ~(SPLICE_F_ALL | SPLICE_F_FD_IN_FIXED))
		return -EINVAL;
	sp->fd_in = READ_ONCE(sqe->splice_fd_in);
	return 0;
}

int io_splice_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_splice *sp = io_kiocb_to_cmd(req, struct io_splice);

	sp->off_in = READ_ONCE(sqe->splice_off_in);
	sp->off_out = READ_ONCE(sqe->off);
	return __io_splice_prep(req, sqe);
}

int io_tee_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	if (READ_ONCE(sqe->splice_off_in) || READ_ONCE(sqe->off))
		return -EINVAL;
	return __io_splice_prep(req, sqe);
}

/* The input end: a plain fd, or a fixed slot (SPLICE_F_FD_IN_FIXED). */
static struct file *io_splice_get_in(struct io_kiocb *req, struct io_splice *sp)
{
	struct io_ring_ctx *ctx = req->ctx;
	struct io_rsrc_node *node;
	struct file *file = NULL;

	if (!(sp->flags & SPLICE_F_FD_IN_FIXED))
		return fget(sp->fd_in);
	mutex_lock(&ctx->uring_lock);
	node = io_fixed_file_node(ctx, sp->fd_in);
	if (node)
		file = get_file(node->file);
	mutex_unlock(&ctx->uring_lock);
	return file;
}

static int io_splice_run(struct io_kiocb *req, unsigned int issue_flags,
			 bool tee)
{
	struct io_splice *sp = io_kiocb_to_cmd(req, struct io_splice);
	unsigned int flags = sp->flags & SPLICE_F_ALL;
	struct file *in;
	long ret = 0;

	/* either end may block */
	if (issue_flags & IO_URING_F_NONBLOCK)
		return -EAGAIN;
	in = io_splice_get_in(req, sp);
	if (!in) {
		ret = -EBADF;
	} else if (tee) {
		if (sp->len)
			ret = do_tee(in, req->file, sp->len, flags);
	} else if (sp->len) {
		loff_t *poff_in = sp->off_in == -1 ? NULL : &sp->off_in;
		loff_t *poff_out = sp->off_out == -1 ? NULL : &sp->off_out;

		ret = do_splice(in, poff_in, req->file, poff_out, sp->len, flags);
	}
	if (in)
		fput(in);
	ret = io_restart_to_eintr(ret);
	if (ret != sp->len)
		req->flags |= REQ_F_FAIL;
	io_req_set_res(req, ret, 0);
	return IOU_OK;
}

int io_splice(struct io_kiocb *req, unsigned int issue_flags)
{
	return io_splice_run(req, issue_flags, false);
}

int io_tee(struct io_kiocb *req, unsigned int issue_flags)
{
	return io_splice_run(req, issue_flags, true);
}
