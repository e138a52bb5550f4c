// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_FADVISE and IORING_OP_MADVISE: posix_fadvise(2) on a file,
 * madvise(2) on the submitter's memory.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/fadvise.h>
#include <linux/mman.h>
#include <linux/io_uring_types.h>

#include "io_uring.h"
#include "advise.h"

/* FADVISE: a range of the file; MADVISE: a range of the address space. */
struct io_advise {
	struct file	*file;
	u64		start;
	u64		len;
	u32		advice;
};

/*
 * The length is sqe->len, or a 64-bit one in the field the op does not
 * use for its start: sqe->addr for FADVISE, sqe->off for MADVISE.
 */
static int io_advise_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe,
			  bool memory)
{
	struct io_advise *adv = io_kiocb_to_cmd(req, struct io_advise);
	u64 len64;

	if (READ_ONCE(sqe->buf_index) || READ_ONCE(sqe->splice_fd_in))
		return -EINVAL;
	if (memory) {
		adv->start = READ_ONCE(sqe->addr);
		len64 = READ_ONCE(sqe->off);
	} else {
		adv->start = READ_ONCE(sqe->off);
		len64 = READ_ONCE(sqe->addr);
	}
	adv->len = len64 ?: READ_ONCE(sqe->len);
	adv->advice = READ_ONCE(sqe->fadvise_advice);
	return 0;
}

int io_fadvise_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	return io_advise_prep(req, sqe, false);
}

int io_fadvise(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_advise *adv = io_kiocb_to_cmd(req, struct io_advise);

	switch (adv->advice) {
	case POSIX_FADV_NORMAL:
	case POSIX_FADV_RANDOM:
	case POSIX_FADV_SEQUENTIAL:
		/* these only set f_mode bits */
		break;
	default:
		/* WILLNEED reads ahead, DONTNEED writes back */
		if (issue_flags & IO_URING_F_NONBLOCK)
			return -EAGAIN;
	}
	io_req_set_res(req, vfs_fadvise(req->file, adv->start, adv->len,
					adv->advice), 0);
	return IOU_OK;
}

#if defined(CONFIG_ADVISE_SYSCALLS) && defined(CONFIG_MMU)
int io_madvise_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	return io_advise_prep(req, sqe, true);
}

int io_madvise(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_advise *adv = io_kiocb_to_cmd(req, struct io_advise);

	io_req_set_res(req, do_madvise(current->mm, adv->start, adv->len,
				       adv->advice), 0);
	return IOU_OK;
}
#else
int io_madvise_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	return -EOPNOTSUPP;
}

int io_madvise(struct io_kiocb *req, unsigned int issue_flags)
{
	return -EOPNOTSUPP;
}
#endif
