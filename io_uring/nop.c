// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_NOP: completes at once, with 0 or the result the SQE asks for.
 */
#include <linux/kernel.h>
#include <linux/io_uring_types.h>

#include "io_uring.h"
#include "nop.h"

struct io_nop {
	struct file	*file;
	s32		result;
};

int io_nop_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_nop *nop = io_kiocb_to_cmd(req, struct io_nop);
	u32 flags = READ_ONCE(sqe->nop_flags);

	if (flags & ~IORING_NOP_INJECT_RESULT)
		return -EINVAL;
	nop->result = 0;
	if (flags & IORING_NOP_INJECT_RESULT)
		nop->result = READ_ONCE(sqe->len);
	return 0;
}

int io_nop(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_nop *nop = io_kiocb_to_cmd(req, struct io_nop);

	io_req_set_res(req, nop->result, 0);
	return IOU_OK;
}
