// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_OPENAT, OPENAT2, CLOSE, FIXED_FD_INSTALL and PIPE (6.16):
 * descriptors in and out of the task's file table and the ring's fixed
 * table.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/fdtable.h>
#include <linux/fcntl.h>
#include <linux/namei.h>
#include <linux/openat2.h>
#include <linux/audit.h>
#include <linux/pipe_fs_i.h>
#include <linux/watch_queue.h>
#include <linux/io_uring.h>
#include <linux/io_uring_types.h>
#include <uapi/linux/io_uring/bpf_filter.h>

#include "../fs/internal.h"

#include "io_uring.h"
#include "filetable.h"
#include "fs.h"
#include "openclose.h"
#include "bpf_filter.h"

/*
 * OPENAT and OPENAT2 differ only in how user space describes the open;
 * both end up with a struct open_how.
 */
struct io_open {
	struct file		*file;
	struct filename		*name;
	struct open_how		how;
	int			dirfd;
	/* 0: a new fd; else sqe->file_index, a slot + 1 or _ALLOC */
	u32			slot;
};

/* CLOSE names an fd or a slot; FIXED_FD_INSTALL needs only flags. */
struct io_fd_op {
	struct file		*file;
	u32			slot;
	int			fd;
	unsigned int		o_flags;
};

static int io_open_setup(struct io_kiocb *req, const struct io_uring_sqe *sqe,
			 const struct open_how *how)
{
	struct io_open *op = io_kiocb_to_cmd(req, struct io_open);

	op->name = NULL;
	op->how = *how;
	op->slot = READ_ONCE(sqe->file_index);
	op->dirfd = READ_ONCE(sqe->fd);
	/* the directory is one of the task's fds, never a fixed slot */
	if (req->flags & IOSQE_FIXED_FILE)
		return -EBADF;
	if (READ_ONCE(sqe->buf_index))
		return -EINVAL;
	/* close-on-exec is about the fd table, where a slot's file is not */
	if ((op->how.flags & O_CLOEXEC) && op->slot)
		return -EINVAL;
	/* like open(2): no 2 GiB limit where longs are 64 bits */
	if (force_o_largefile())
		op->how.flags |= O_LARGEFILE;
	return io_prep_getname(req, &op->name, READ_ONCE(sqe->addr), 0);
}

int io_openat_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct open_how how = build_open_how(READ_ONCE(sqe->open_flags),
					     READ_ONCE(sqe->len));

	return io_open_setup(req, sqe, &how);
}

int io_openat2_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	void __user *uhow = u64_to_user_ptr(READ_ONCE(sqe->addr2));
	size_t len = READ_ONCE(sqe->len);
	struct open_how how;
	int ret = -EINVAL;

	/* a newer, bigger struct is taken if what we do not know is zero */
	if (len >= OPEN_HOW_SIZE_VER0)
		ret = copy_struct_from_user(&how, sizeof(how), uhow, len);
	return ret ?: io_open_setup(req, sqe, &how);
}

/* The open itself; nonblocking: from the dcache, without waiting in ->open. */
static struct file *io_open_file(struct io_open *op, bool nonblock)
{
	struct open_flags of;
	int ret = build_open_flags(&op->how, &of);

	if (ret)
		return ERR_PTR(ret);
	if (nonblock) {
		/* creating or truncating may block however cached the path */
		if (op->how.flags & (O_TRUNC | O_CREAT | __O_TMPFILE))
			return ERR_PTR(-EAGAIN);
		of.lookup_flags |= LOOKUP_CACHED;
		of.open_flag |= O_NONBLOCK;
	}
	return do_filp_open(op->dirfd, op->name, &of);
}

#ifdef CONFIG_NET
/**
 * io_open_bpf_pdu - an OPENAT/OPENAT2 request's open_how, for BPF filters
 * @req: the prepared request
 * @bctx: the filters' context, whose open payload this fills
 */
void io_open_bpf_pdu(struct io_kiocb *req, struct io_uring_bpf_ctx *bctx)
{
	struct io_open *op = io_kiocb_to_cmd(req, struct io_open);

	bctx->open.flags = op->how.flags;
	bctx->open.mode = op->how.mode;
	bctx->open.resolve = op->how.resolve;
}
#endif

int io_openat(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_open *op = io_kiocb_to_cmd(req, struct io_open);
	bool nonblock = issue_flags & IO_URING_F_NONBLOCK;
	struct file *file;
	int ret, fd = -1;

	file = io_open_file(op, nonblock);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		/* io-wq retries blocking, unless RESOLVE_CACHED wants -EAGAIN */
		if (ret == -EAGAIN && nonblock &&
		    !(op->how.resolve & RESOLVE_CACHED))
			return -EAGAIN;
		goto done;
	}
	/* the attempt's O_NONBLOCK stays only if the application asked */
	if (nonblock && !(op->how.flags & O_NONBLOCK))
		file->f_flags &= ~O_NONBLOCK;
	if (op->slot) {
		ret = io_fixed_fd_install(req, issue_flags, file, op->slot);
		goto done;
	}
	fd = __get_unused_fd_flags(op->how.flags, rlimit(RLIMIT_NOFILE));
	if (fd < 0) {
		fput(file);
		ret = fd;
		goto done;
	}
	fd_install(fd, file);
	ret = fd;
done:
	io_open_cleanup(req);
	req->flags &= ~REQ_F_NEED_CLEANUP;
	io_req_set_res(req, ret, 0);
	return IOU_OK;
}

void io_open_cleanup(struct io_kiocb *req)
{
	struct io_open *op = io_kiocb_to_cmd(req, struct io_open);

	if (op->name)
		putname(op->name);
	op->name = NULL;
}

int io_close_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_fd_op *cl = io_kiocb_to_cmd(req, struct io_fd_op);

	if (req->flags & IOSQE_FIXED_FILE)
		return -EBADF;
	cl->fd = READ_ONCE(sqe->fd);
	cl->slot = READ_ONCE(sqe->file_index);
	/* one fd or one slot; nothing else of the SQE means anything */
	if ((cl->fd && cl->slot) || READ_ONCE(sqe->off) ||
	    READ_ONCE(sqe->addr) || READ_ONCE(sqe->len) ||
	    READ_ONCE(sqe->rw_flags) || READ_ONCE(sqe->buf_index))
		return -EINVAL;
	return 0;
}

static int io_close_slot(struct io_ring_ctx *ctx, unsigned int slot,
			 unsigned int issue_flags)
{
	int ret;

	if (issue_flags & IO_URING_F_UNLOCKED)
		mutex_lock(&ctx->uring_lock);
	if (!ctx->file_bitmap)
		ret = -ENXIO;
	else if (slot >= ctx->file_table.nr)
		ret = -EINVAL;
	else
		ret = io_fixed_file_clear(ctx, slot) ? 0 : -EBADF;
	if (issue_flags & IO_URING_F_UNLOCKED)
		mutex_unlock(&ctx->uring_lock);
	return ret;
}

static int io_close_fd(int fd, unsigned int issue_flags)
{
	struct files_struct *files = current->files;
	struct file *file;

	spin_lock(&files->file_lock);
	file = files_lookup_fd_locked(files, fd);
	/* a ring goes through close(2): its release may wait on us */
	if (!file || io_is_uring_fops(file))
		file = ERR_PTR(-EBADF);
	/* ->flush (NFS, fuse) may block: io-wq does it */
	else if (file->f_op->flush && (issue_flags & IO_URING_F_NONBLOCK))
		file = ERR_PTR(-EAGAIN);
	else
		file = file_close_fd_locked(files, fd);
	spin_unlock(&files->file_lock);
	if (IS_ERR_OR_NULL(file))
		return file ? PTR_ERR(file) : -EBADF;
	return filp_close(file, files);
}

int io_close(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_fd_op *cl = io_kiocb_to_cmd(req, struct io_fd_op);
	int ret;

	if (cl->slot)
		ret = io_close_slot(req->ctx, cl->slot - 1, issue_flags);
	else
		ret = io_close_fd(cl->fd, issue_flags);
	if (ret == -EAGAIN)
		return -EAGAIN;
	io_req_set_res(req, ret, 0);
	return IOU_OK;
}

int io_install_fixed_fd_prep(struct io_kiocb *req,
			     const struct io_uring_sqe *sqe)
{
	struct io_fd_op *ifd = io_kiocb_to_cmd(req, struct io_fd_op);
	u32 flags = READ_ONCE(sqe->install_fd_flags);

	/* its source is a direct descriptor, by definition */
	if (!(req->flags & IOSQE_FIXED_FILE))
		return -EBADF;
	if ((flags & ~IORING_FIXED_FD_NO_CLOEXEC) || READ_ONCE(sqe->off) ||
	    READ_ONCE(sqe->addr) || READ_ONCE(sqe->len) ||
	    READ_ONCE(sqe->buf_index) || READ_ONCE(sqe->splice_fd_in) ||
	    READ_ONCE(sqe->addr3))
		return -EINVAL;
	/* the fd is the task's: it is installed with the task's own creds */
	if (req->flags & REQ_F_CREDS)
		return -EPERM;
	ifd->o_flags = (flags & IORING_FIXED_FD_NO_CLOEXEC) ? 0 : O_CLOEXEC;
	return 0;
}

int io_install_fixed_fd(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_fd_op *ifd = io_kiocb_to_cmd(req, struct io_fd_op);

	/* receive_fd() takes its own reference and asks the LSM */
	io_req_set_res(req, receive_fd(req->file, NULL, ifd->o_flags), 0);
	return IOU_OK;
}

/* PIPE: pipe2(2), the two ends as fds or in two fixed slots */
struct io_pipe {
	struct file		*file;
	int __user		*fds;
	int			flags;
	/* 0: new fds; else sqe->file_index, a slot + 1 or _ALLOC */
	u32			slot;
	unsigned long		nofile;
};

int io_pipe_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_pipe *p = io_kiocb_to_cmd(req, struct io_pipe);

	/* the fields upstream refuses; len and buf_index it ignores */
	if (READ_ONCE(sqe->fd) || READ_ONCE(sqe->off) ||
	    READ_ONCE(sqe->ioprio) || READ_ONCE(sqe->addr3))
		return -EINVAL;
	p->fds = u64_to_user_ptr(READ_ONCE(sqe->addr));
	p->flags = READ_ONCE(sqe->pipe_flags);
	if (p->flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT | O_NOTIFICATION_PIPE))
		return -EINVAL;
	p->slot = READ_ONCE(sqe->file_index);
	/* close-on-exec is about the fd table, where a slot's file is not */
	if (p->slot && (p->flags & O_CLOEXEC))
		return -EINVAL;
	/* the limit of the submitter, not of an io worker's later view */
	p->nofile = rlimit(RLIMIT_NOFILE);
	return 0;
}

/*
 * Both ends into free slots, or into slot and slot + 1, replacing what is
 * there as any direct install does (6.16; its man page says the slots
 * must be free, its code does not ask).
 */
static int io_pipe_fixed(struct io_kiocb *req, struct file **files,
			 unsigned int issue_flags, int fds[2])
{
	struct io_pipe *p = io_kiocb_to_cmd(req, struct io_pipe);
	struct io_ring_ctx *ctx = req->ctx;
	bool alloc = p->slot == IORING_FILE_INDEX_ALLOC;
	int ret;

	if (issue_flags & IO_URING_F_UNLOCKED)
		mutex_lock(&ctx->uring_lock);
	/* the write end's slot too, before anything is replaced */
	if (!alloc && ctx->file_bitmap && p->slot >= ctx->file_table.nr) {
		fput(files[0]);
		fput(files[1]);
		ret = -EINVAL;
		goto out;
	}
	/* each install takes its file's reference, or drops it */
	ret = __io_fixed_fd_install(ctx, files[0], p->slot);
	if (ret < 0) {
		fput(files[1]);
		goto out;
	}
	fds[0] = alloc ? ret : p->slot - 1;
	ret = __io_fixed_fd_install(ctx, files[1], alloc ? p->slot : p->slot + 1);
	if (ret < 0) {
		/* one end alone is no pipe */
		io_fixed_file_clear(ctx, fds[0]);
		goto out;
	}
	fds[1] = alloc ? ret : p->slot;
	/*
	 * Under uring_lock, as any inline op's copy to user memory is: a
	 * slow fault (userfaultfd) stalls this ring only.
	 */
	ret = 0;
	if (copy_to_user(p->fds, fds, 2 * sizeof(int))) {
		io_fixed_file_clear(ctx, fds[0]);
		io_fixed_file_clear(ctx, fds[1]);
		ret = -EFAULT;
	}
out:
	if (issue_flags & IO_URING_F_UNLOCKED)
		mutex_unlock(&ctx->uring_lock);
	return ret;
}

static int io_pipe_fds(struct io_kiocb *req, struct file **files, int fds[2])
{
	struct io_pipe *p = io_kiocb_to_cmd(req, struct io_pipe);
	int ret;

	fds[0] = __get_unused_fd_flags(p->flags, p->nofile);
	if (fds[0] < 0) {
		ret = fds[0];
		goto out_files;
	}
	fds[1] = __get_unused_fd_flags(p->flags, p->nofile);
	if (fds[1] < 0) {
		ret = fds[1];
		goto out_fd;
	}
	if (copy_to_user(p->fds, fds, 2 * sizeof(int))) {
		ret = -EFAULT;
		put_unused_fd(fds[1]);
		goto out_fd;
	}
	/* the record pipe2(2) leaves; PIPE is audited as a system call */
	audit_fd_pair(fds[0], fds[1]);
	fd_install(fds[0], files[0]);
	fd_install(fds[1], files[1]);
	return 0;
out_fd:
	put_unused_fd(fds[0]);
out_files:
	fput(files[0]);
	fput(files[1]);
	return ret;
}

int io_pipe(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_pipe *p = io_kiocb_to_cmd(req, struct io_pipe);
	struct file *files[2];
	int fds[2], ret;

	ret = create_pipe_files(files, p->flags);
	if (!ret) {
		/* pipes take IOCB_NOWAIT, as pipe2(2)'s do */
		files[0]->f_mode |= FMODE_NOWAIT;
		files[1]->f_mode |= FMODE_NOWAIT;
		if (p->slot)
			ret = io_pipe_fixed(req, files, issue_flags, fds);
		else
			ret = io_pipe_fds(req, files, fds);
	}
	io_req_set_res(req, ret, 0);
	return IOU_OK;
}
