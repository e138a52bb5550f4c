// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_OPENAT, OPENAT2, CLOSE and FIXED_FD_INSTALL: descriptors in
 * and out of the task's file table and the ring's fixed table.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/fdtable.h>
#include <linux/fcntl.h>
#include <linux/namei.h>
#include <linux/openat2.h>
#include <linux/io_uring.h>
#include <linux/io_uring_types.h>

#include "../fs/internal.h"

#include "io_uring.h"
#include "filetable.h"
#include "openclose.h"

struct io_open {
	struct file		*file;
	int			dfd;
	/* sqe->file_index: slot + 1, IORING_FILE_INDEX_ALLOC, or 0 */
	u32			file_slot;
	struct filename		*filename;
	struct open_how		how;
};

struct io_close {
	struct file		*file;
	int			fd;
	u32			file_slot;
};

struct io_fixed_install {
	struct file		*file;
	unsigned int		o_flags;
};

/* These may block inside the file system however the path is cached. */
static bool io_open_must_block(const struct open_how *how)
{
	return how->flags & (O_TRUNC | O_CREAT | __O_TMPFILE);
}

static int __io_open_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_open *open = io_kiocb_to_cmd(req, struct io_open);
	const char __user *path;

	if (READ_ONCE(sqe->buf_index))
		return -EINVAL;
	/* the directory is an fd of the task, never a fixed slot */
	if (req->flags & IOSQE_FIXED_FILE)
		return -EBADF;
	/* as open(2) on a 64-bit kernel: no 2 GiB limit */
	if (force_o_largefile())
		open->how.flags |= O_LARGEFILE;
	open->dfd = READ_ONCE(sqe->fd);
	open->file_slot = READ_ONCE(sqe->file_index);
	/* a fixed slot is not in the fd table: close-on-exec means nothing */
	if (open->file_slot && (open->how.flags & O_CLOEXEC))
		return -EINVAL;
	path = u64_to_user_ptr(READ_ONCE(sqe->addr));
	open->filename = getname(path);
	if (IS_ERR(open->filename)) {
		int ret = PTR_ERR(open->filename);

		open->filename = NULL;
		return ret;
	}
	req->flags |= REQ_F_NEED_CLEANUP;
	return 0;
}

int io_openat_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_open *open = io_kiocb_to_cmd(req, struct io_open);
	u64 mode = READ_ONCE(sqe->len);
	u64 flags = READ_ONCE(sqe->open_flags);

	open->how = build_open_how(flags, mode);
	return __io_open_prep(req, sqe);
}

int io_openat2_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_open *open = io_kiocb_to_cmd(req, struct io_open);
	struct open_how __user *uhow;
	size_t size = READ_ONCE(sqe->len);
	int ret;

	uhow = u64_to_user_ptr(READ_ONCE(sqe->addr2));
	if (size < OPEN_HOW_SIZE_VER0)
		return -EINVAL;
	/* larger structs from newer headers are fine if the tail is zero */
	ret = copy_struct_from_user(&open->how, sizeof(open->how), uhow, size);
	if (ret)
		return ret;
	return __io_open_prep(req, sqe);
}

int io_openat(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_open *open = io_kiocb_to_cmd(req, struct io_open);
	bool nonblock = issue_flags & IO_URING_F_NONBLOCK;
	bool user_cached = open->how.resolve & RESOLVE_CACHED;
	struct open_flags op;
	struct file *file;
	int ret, fd = -1;

	ret = build_open_flags(&open->how, &op);
	if (ret)
		goto out;
	if (nonblock) {
		/* an open that has to create or truncate goes to io-wq */
		if (io_open_must_block(&open->how))
			return -EAGAIN;
		/* try from the dcache only, and without waiting in ->open */
		op.lookup_flags |= LOOKUP_CACHED;
		op.open_flag |= O_NONBLOCK;
	}
	if (!open->file_slot) {
		fd = __get_unused_fd_flags(open->how.flags, rlimit(RLIMIT_NOFILE));
		if (fd < 0) {
			ret = fd;
			goto out;
		}
	}
	file = do_filp_open(open->dfd, open->filename, &op);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		if (fd >= 0)
			put_unused_fd(fd);
		/*
		 * -EAGAIN from the cached attempt: try again blocking, unless
		 * user space asked for RESOLVE_CACHED and takes -EAGAIN.
		 */
		if (ret == -EAGAIN && nonblock && !user_cached)
			return -EAGAIN;
		goto out;
	}
	/* O_NONBLOCK was ours for the attempt, not the application's */
	if (nonblock && !(open->how.flags & O_NONBLOCK))
		file->f_flags &= ~O_NONBLOCK;
	if (fd >= 0) {
		fd_install(fd, file);
		ret = fd;
	} else {
		ret = io_fixed_fd_install(req, issue_flags, file,
					  open->file_slot);
	}
out:
	putname(open->filename);
	open->filename = NULL;
	req->flags &= ~REQ_F_NEED_CLEANUP;
	io_req_set_res(req, ret, 0);
	return IOU_OK;
}

void io_open_cleanup(struct io_kiocb *req)
{
	struct io_open *open = io_kiocb_to_cmd(req, struct io_open);

	if (open->filename)
		putname(open->filename);
	open->filename = NULL;
}

int io_close_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_close *close = io_kiocb_to_cmd(req, struct io_close);

	if (READ_ONCE(sqe->off) || READ_ONCE(sqe->addr) || READ_ONCE(sqe->len) ||
	    READ_ONCE(sqe->rw_flags) || READ_ONCE(sqe->buf_index))
		return -EINVAL;
	if (req->flags & IOSQE_FIXED_FILE)
		return -EBADF;
	close->fd = READ_ONCE(sqe->fd);
	close->file_slot = READ_ONCE(sqe->file_index);
	/* either an fd or a slot, never both */
	if (close->file_slot && close->fd)
		return -EINVAL;
	return 0;
}

static int io_close_fixed(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_close *close = io_kiocb_to_cmd(req, struct io_close);
	struct io_ring_ctx *ctx = req->ctx;
	unsigned int slot = close->file_slot - 1;
	int ret = -ENXIO;

	if (issue_flags & IO_URING_F_UNLOCKED)
		mutex_lock(&ctx->uring_lock);
	if (ctx->file_bitmap) {
		ret = -EINVAL;
		if (slot < ctx->file_table.nr)
			ret = io_fixed_file_clear(ctx, slot) ? 0 : -EBADF;
	}
	if (issue_flags & IO_URING_F_UNLOCKED)
		mutex_unlock(&ctx->uring_lock);
	return ret;
}

int io_close(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_close *close = io_kiocb_to_cmd(req, struct io_close);
	struct files_struct *files = current->files;
	struct file *file;
	int ret;

	if (close->file_slot) {
		ret = io_close_fixed(req, issue_flags);
		goto out;
	}
	spin_lock(&files->file_lock);
	file = files_lookup_fd_locked(files, close->fd);
	/* a ring is closed by close(2) only: its release may wait for us */
	if (!file || io_is_uring_fops(file)) {
		spin_unlock(&files->file_lock);
		ret = -EBADF;
		goto out;
	}
	/* ->flush (NFS, fuse) may block: do it from io-wq */
	if (file->f_op->flush && (issue_flags & IO_URING_F_NONBLOCK)) {
		spin_unlock(&files->file_lock);
		return -EAGAIN;
	}
	file = file_close_fd_locked(files, close->fd);
	spin_unlock(&files->file_lock);
	if (!file) {
		ret = -EBADF;
		goto out;
	}
	ret = filp_close(file, files);
out:
	io_req_set_res(req, ret, 0);
	return IOU_OK;
}

int io_install_fixed_fd_prep(struct io_kiocb *req,
			     const struct io_uring_sqe *sqe)
{
	struct io_fixed_install *ifi = io_kiocb_to_cmd(req,
						       struct io_fixed_install);
	unsigned int flags;

	if (READ_ONCE(sqe->off) || READ_ONCE(sqe->addr) || READ_ONCE(sqe->len) ||
	    READ_ONCE(sqe->buf_index) || READ_ONCE(sqe->splice_fd_in) ||
	    READ_ONCE(sqe->addr3))
		return -EINVAL;
	/* the source is a direct descriptor, by definition */
	if (!(req->flags & IOSQE_FIXED_FILE))
		return -EBADF;
	flags = READ_ONCE(sqe->install_fd_flags);
	if (flags & ~IORING_FIXED_FD_NO_CLOEXEC)
		return -EINVAL;
	/* the new fd belongs to the task, installed with the task's creds */
	if (req->flags & REQ_F_CREDS)
		return -EPERM;
	ifi->o_flags = flags & IORING_FIXED_FD_NO_CLOEXEC ? 0 : O_CLOEXEC;
	return 0;
}

int io_install_fixed_fd(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_fixed_install *ifi = io_kiocb_to_cmd(req,
						       struct io_fixed_install);
	int ret;

	/* receive_fd() takes its own reference and runs the LSM hook */
	ret = receive_fd(req->file, NULL, ifi->o_flags);
	io_req_set_res(req, ret, 0);
	return IOU_OK;
}
