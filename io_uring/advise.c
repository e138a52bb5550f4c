// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_FADVISE and IORING_OP_MADVISE. The length is sqe->len, or a
 * 64-bit one in sqe->addr (fadvise) or sqe->off (madvise) when set there.
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

struct io_fadvise {
	struct file		*file;
	u64			offset;
	u64			len;
	u32			advice;
};

struct io_madvise {
	struct file		*file;
	u64			addr;
	u64			len;
	u32			advice;
};

int io_madvise_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
#if defined(CONFIG_ADVISE_SYSCALLS) && defined(CONFIG_MMU)
	struct io_madvise *ma = io_kiocb_to_cmd(req, struct io_madvise);

	if (READ_ONCE(sqe->buf_index) || READ_ONCE(sqe->splice_fd_in))
		return -EINVAL;
	ma->addr = READ_ONCE(sqe->addr);
	ma->len = READ_ONCE(sqe->off);
	if (!ma->len)
		ma->len = READ_ONCE(sqe->len);
	ma->advice = READ_ONCE(sqe->fadvise_advice);
	return 0;
#else
	return -EOPNOTSUPP;
#endif
}

int io_madvise(struct io_kiocb *req, unsigned int issue_flags)
{
#if defined(CONFIG_ADVISE_SYSCALLS) && defined(CONFIG_MMU)
	struct io_madvise *ma = io_kiocb_to_cmd(req, struct io_madvise);
	int ret;

	/* takes mmap_lock and may fault pages in */
	if (issue_flags & IO_URING_F_NONBLOCK)
		return -EAGAIN;
	ret = do_madvise(current->mm, ma->addr, ma->len, ma->advice);
	io_req_set_res(req, ret, 0);
	return IOU_OK;
#else
	return -EOPNOTSUPP;
#endif
}

/* Advice that only sets file->f_mode bits never blocks. */
static bool io_fadvise_nonblocking(u32 advice)
{
	return advice == POSIX_FADV_NORMAL || advice == POSIX_FADV_RANDOM ||
	       advice == POSIX_FADV_SEQUENTIAL;
}

int io_fadvise_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_fadvise *fa = io_kiocb_to_cmd(req, struct io_fadvise);

	if (READ_ONCE(sqe->buf_index) || READ_ONCE(sqe->splice_fd_in))
		return -EINVAL;
	fa->offset = READ_ONCE(sqe->off);
	fa->len = READ_ONCE(sqe->addr);
	if (!fa->len)
		fa->len = READ_ONCE(sqe->len);
	fa->advice = READ_ONCE(sqe->fadvise_advice);
	return 0;
}

int io_fadvise(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_fadvise *fa = io_kiocb_to_cmd(req, struct io_fadvise);
	int ret;

	/* WILLNEED reads ahead, DONTNEED writes back: io-wq for those */
	if ((issue_flags & IO_URING_F_NONBLOCK) &&
	    !io_fadvise_nonblocking(fa->advice))
		return -EAGAIN;
	ret = vfs_fadvise(req->file, fa->offset, fa->len, fa->advice);
	io_req_set_res(req, ret, 0);
	return IOU_OK;
}
