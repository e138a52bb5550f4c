// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_NOP: completes at once, with 0 or the result the SQE asks for.
 *
 * Its flags make it walk the paths a real op takes, without the op, for
 * tests and benchmarks of the core (6.13-6.18): look up a file or a
 * fixed file, a registered buffer, complete from task_work, post a
 * 32-byte CQE. The flag values other than INJECT_RESULT and CQE32 are not
 * in the UAPI header (upstream keeps them out of it too); liburing's
 * tests use these numbers.
 */
#include <linux/kernel.h>
#include <linux/file.h>
#include <linux/io_uring_types.h>

#include "io_uring.h"
#include "filetable.h"
#include "rsrc.h"
#include "nop.h"

#define IORING_NOP_FILE		BIT(1)	/* look up sqe->fd */
#define IORING_NOP_FIXED_FILE	BIT(2)	/* ... a fixed one (with FILE) */
#define IORING_NOP_FIXED_BUFFER	BIT(3)	/* take sqe->buf_index */
#define IORING_NOP_TW		BIT(4)	/* complete from task_work */

#define IO_NOP_FLAGS	(IORING_NOP_INJECT_RESULT | IORING_NOP_FILE | \
			 IORING_NOP_FIXED_FILE | IORING_NOP_FIXED_BUFFER | \
			 IORING_NOP_TW | IORING_NOP_CQE32)

struct io_nop {
	struct file	*file;
	s32		result;
	u32		flags;
	/* IORING_NOP_CQE32: the second half of its CQE */
	u64		big_cqe[2];
};

/* The flags' work, out of line: a plain NOP saves no registers for it. */
static noinline int io_nop_prep_flags(struct io_kiocb *req,
				      const struct io_uring_sqe *sqe, u32 flags)
{
	struct io_nop *nop = io_kiocb_to_cmd(req, struct io_nop);

	if (flags & ~IO_NOP_FLAGS)
		return -EINVAL;
	if (flags & IORING_NOP_INJECT_RESULT)
		nop->result = READ_ONCE(sqe->len);
	if (flags & IORING_NOP_CQE32) {
		/* only a ring with 32-byte CQEs has room for the two words */
		if (!io_ring_has_cqe32(req->ctx))
			return -EINVAL;
		nop->big_cqe[0] = READ_ONCE(sqe->off);
		nop->big_cqe[1] = READ_ONCE(sqe->addr);
	}
	/* held from here, as READ_FIXED holds its buffer */
	if (flags & IORING_NOP_FIXED_BUFFER)
		return io_buf_node_get(req, req->buf_index);
	return 0;
}

/**
 * io_nop_big_cqe - the second half of a NOP's 32-byte CQE
 * @req: a NOP or NOP128 (not an aux request: its cmd area is another's)
 * @big: filled with the words IORING_NOP_CQE32 asked for, else zeroes
 */
void io_nop_big_cqe(struct io_kiocb *req, u64 big[2])
{
	struct io_nop *nop = io_kiocb_to_cmd(req, struct io_nop);

	big[0] = nop->big_cqe[0];
	big[1] = nop->big_cqe[1];
}

/* IORING_OP_NOP128: a NOP in a 128-byte SQE */
int io_nop128_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	if (!io_sqe128_ok(req->ctx))
		return -EINVAL;
	return io_nop_prep(req, sqe);
}

int io_nop_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_nop *nop = io_kiocb_to_cmd(req, struct io_nop);
	u32 flags = READ_ONCE(sqe->nop_flags);

	nop->flags = flags;
	nop->result = 0;
	/* the benchmark's NOP: nothing more to look at */
	if (likely(!flags))
		return 0;
	return io_nop_prep_flags(req, sqe, flags);
}

/*
 * The file is looked up at issue, like any op's, so that a request before
 * it in a chain may be the one that installs it.
 */
static int io_nop_file(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_nop *nop = io_kiocb_to_cmd(req, struct io_nop);
	struct io_ring_ctx *ctx = req->ctx;
	int ret;

	if (req->file)
		return 0;
	if (!(nop->flags & IORING_NOP_FIXED_FILE) &&
	    !(req->flags & IOSQE_FIXED_FILE)) {
		req->file = fget(req->fd);
		return req->file ? 0 : -EBADF;
	}
	if (issue_flags & IO_URING_F_UNLOCKED)
		mutex_lock(&ctx->uring_lock);
	ret = io_file_get_fixed(req);
	if (issue_flags & IO_URING_F_UNLOCKED)
		mutex_unlock(&ctx->uring_lock);
	return ret;
}

/* IORING_NOP_CQE32 on a ring of mixed CQE sizes: a 32-byte CQE */
static u32 io_nop_cflags(struct io_kiocb *req)
{
	struct io_nop *nop = io_kiocb_to_cmd(req, struct io_nop);

	return (nop->flags & IORING_NOP_CQE32) ? io_cqe32_cflag(req->ctx) : 0;
}

static void io_nop_tw(struct io_kiocb *req)
{
	struct io_nop *nop = io_kiocb_to_cmd(req, struct io_nop);

	io_req_set_res(req, nop->result, io_nop_cflags(req));
	io_req_complete_defer(req);
}

static noinline int io_nop_flags(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_nop *nop = io_kiocb_to_cmd(req, struct io_nop);

	if (nop->flags & IORING_NOP_FILE) {
		int ret = io_nop_file(req, issue_flags);

		if (ret)
			return ret;
	}
	if (nop->flags & IORING_NOP_TW) {
		req->tw_func = io_nop_tw;
		io_req_task_work_add(req);
		return IOU_ISSUE_SKIP_COMPLETE;
	}
	io_req_set_res(req, nop->result, io_nop_cflags(req));
	return IOU_OK;
}

int io_nop(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_nop *nop = io_kiocb_to_cmd(req, struct io_nop);

	if (unlikely(nop->flags))
		return io_nop_flags(req, issue_flags);
	io_req_set_res(req, 0, 0);
	return IOU_OK;
}
