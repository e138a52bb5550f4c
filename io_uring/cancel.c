// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_ASYNC_CANCEL: find requests by user_data, file, opcode or
 * all of them, wherever they wait, and cancel them.
 *
 * A request queued in io-wq has not started: it completes with
 * -ECANCELED before the cancel request does. One running in an io worker
 * is interrupted and completes on its own; for it the answer is
 * -EALREADY. (A request held back by IOSQE_IO_DRAIN cannot be reached:
 * the cancel request, submitted after it, is held back too.)
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/file.h>
#include <linux/nospec.h>
#include <linux/io_uring_types.h>

#include "io_uring.h"
#include "rsrc.h"
#include "cancel.h"

#define IO_CANCEL_FLAGS	(IORING_ASYNC_CANCEL_ALL | IORING_ASYNC_CANCEL_FD | \
			 IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_FD_FIXED | \
			 IORING_ASYNC_CANCEL_USERDATA | IORING_ASYNC_CANCEL_OP)

struct io_cancel {
	struct file	*file;
	u64		user_data;
	u32		flags;
	s32		fd;
	u8		opcode;
};

/* What to match, with the file looked up once (FD_FIXED alone: no fd). */
struct io_cancel_match {
	struct io_kiocb	*self;
	struct file	*file;
	u64		user_data;
	u32		flags;
	u8		opcode;
};

int io_async_cancel_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_cancel *c = io_kiocb_to_cmd(req, struct io_cancel);
	u32 flags = READ_ONCE(sqe->cancel_flags);

	if (READ_ONCE(sqe->off) || READ_ONCE(sqe->splice_fd_in))
		return -EINVAL;
	if (flags & ~IO_CANCEL_FLAGS)
		return -EINVAL;
	/* ANY matches everything: an fd or opcode with it makes no sense */
	if ((flags & IORING_ASYNC_CANCEL_ANY) &&
	    (flags & (IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_OP)))
		return -EINVAL;
	c->flags = flags;
	c->user_data = READ_ONCE(sqe->addr);
	c->fd = READ_ONCE(sqe->fd);
	c->opcode = READ_ONCE(sqe->len);
	return 0;
}

static bool io_cancel_matches(struct io_kiocb *req, void *data)
{
	struct io_cancel_match *m = data;

	if (req == m->self)
		return false;
	if (m->flags & IORING_ASYNC_CANCEL_ANY)
		return true;
	if ((m->flags & IORING_ASYNC_CANCEL_FD) && req->file != m->file)
		return false;
	if ((m->flags & IORING_ASYNC_CANCEL_OP) && req->opcode != m->opcode)
		return false;
	/* user_data counts unless another criterion replaces it */
	if ((m->flags & IORING_ASYNC_CANCEL_USERDATA) ||
	    !(m->flags & (IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_OP)))
		return req->cqe.user_data == m->user_data;
	return true;
}

static int io_cancel_file(struct io_kiocb *req, struct io_cancel *c,
			  struct io_cancel_match *m)
{
	struct io_ring_ctx *ctx = req->ctx;
	unsigned int idx = c->fd;

	if (!(c->flags & IORING_ASYNC_CANCEL_FD))
		return 0;
	if (c->flags & IORING_ASYNC_CANCEL_FD_FIXED) {
		if (idx >= ctx->file_table.nr)
			return -EBADF;
		idx = array_index_nospec(idx, ctx->file_table.nr);
		if (!ctx->file_table.nodes[idx])
			return -EBADF;
		m->file = ctx->file_table.nodes[idx]->file;
		return 0;
	}
	/* only compared, never used: no reference is kept */
	m->file = fget(c->fd);
	if (!m->file)
		return -EBADF;
	fput(m->file);
	return 0;
}

int io_async_cancel(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_cancel *c = io_kiocb_to_cmd(req, struct io_cancel);
	bool all = c->flags & (IORING_ASYNC_CANCEL_ALL | IORING_ASYNC_CANCEL_ANY);
	struct io_ring_ctx *ctx = req->ctx;
	struct io_cancel_match m = {
		.self		= req,
		.user_data	= c->user_data,
		.flags		= c->flags,
		.opcode		= c->opcode,
	};
	int nr = 0, running = 0, ret;

	if (issue_flags & IO_URING_F_UNLOCKED)
		mutex_lock(&ctx->uring_lock);
	ret = io_cancel_file(req, c, &m);
	if (!ret) {
		nr = io_iowq_cancel(ctx, io_cancel_matches, &m, all, &running);
		/* ALL and ANY report a count, 0 included */
		if (all)
			ret = nr + running;
		else
			ret = nr ? 0 : running ? -EALREADY : -ENOENT;
	}
	/* the cancelled requests post before this one */
	if (issue_flags & IO_URING_F_UNLOCKED) {
		io_flush_completions(ctx);
		mutex_unlock(&ctx->uring_lock);
	}
	io_req_set_res(req, ret, 0);
	return IOU_OK;
}
