// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_RENAMEAT, UNLINKAT, MKDIRAT, SYMLINKAT and LINKAT: the
 * namespace operations. Paths are copied at prep, so user space may reuse
 * its buffers once the SQE is submitted; the operation itself blocks in
 * the file system and always runs from io-wq.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/fcntl.h>
#include <linux/namei.h>
#include <linux/io_uring_types.h>

#include "../fs/internal.h"

#include "io_uring.h"
#include "fs.h"

struct io_fs_op {
	struct file		*file;
	int			dfd;
	int			new_dfd;
	int			flags;
	umode_t			mode;
	/* both consumed by the VFS call, which puts them */
	struct filename		*old;
	struct filename		*new;
};

/**
 * io_prep_getname - copy a path named by the SQE, at prep
 * @req: the request; REQ_F_NEED_CLEANUP is set once a name is held
 * @name: where the name goes (its op's ->cleanup puts it)
 * @uaddr: the user pointer from the SQE
 * @flags: AT_EMPTY_PATH lets "" through
 *
 * Return: 0, or getname's -errno (-EFAULT, -ENAMETOOLONG, -ENOENT).
 */
int io_prep_getname(struct io_kiocb *req, struct filename **name, u64 uaddr,
		    int flags)
{
	struct filename *f = getname_uflags(u64_to_user_ptr(uaddr), flags);

	if (IS_ERR(f))
		return PTR_ERR(f);
	*name = f;
	req->flags |= REQ_F_NEED_CLEANUP;
	return 0;
}

/* Fields none of these ops use, and the fixed-file flag they refuse. */
static int io_fs_check(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_fs_op *op = io_kiocb_to_cmd(req, struct io_fs_op);

	op->old = NULL;
	op->new = NULL;
	if (READ_ONCE(sqe->buf_index) || READ_ONCE(sqe->splice_fd_in))
		return -EINVAL;
	if (req->flags & IOSQE_FIXED_FILE)
		return -EBADF;
	return 0;
}

/* Two paths: sqe->addr (old, relative to fd) and sqe->addr2 (new, to len) */
static int io_fs_two_names(struct io_kiocb *req, const struct io_uring_sqe *sqe,
			   int old_flags)
{
	struct io_fs_op *op = io_kiocb_to_cmd(req, struct io_fs_op);
	int ret;

	op->dfd = READ_ONCE(sqe->fd);
	op->new_dfd = READ_ONCE(sqe->len);
	ret = io_prep_getname(req, &op->old, READ_ONCE(sqe->addr), old_flags);
	if (ret)
		return ret;
	return io_prep_getname(req, &op->new, READ_ONCE(sqe->addr2), 0);
}

/* The names went to the VFS call, which put them. */
static int io_fs_done(struct io_kiocb *req, int ret)
{
	struct io_fs_op *op = io_kiocb_to_cmd(req, struct io_fs_op);

	op->old = NULL;
	op->new = NULL;
	req->flags &= ~REQ_F_NEED_CLEANUP;
	io_req_set_res(req, ret, 0);
	return IOU_OK;
}

int io_renameat_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_fs_op *op = io_kiocb_to_cmd(req, struct io_fs_op);
	int ret = io_fs_check(req, sqe);

	if (ret)
		return ret;
	op->flags = READ_ONCE(sqe->rename_flags);
	return io_fs_two_names(req, sqe, 0);
}

int io_renameat(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_fs_op *op = io_kiocb_to_cmd(req, struct io_fs_op);

	return io_fs_done(req, do_renameat2(op->dfd, op->old, op->new_dfd,
					    op->new, op->flags));
}

int io_unlinkat_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_fs_op *op = io_kiocb_to_cmd(req, struct io_fs_op);
	int ret = io_fs_check(req, sqe);

	if (ret)
		return ret;
	if (READ_ONCE(sqe->off) || READ_ONCE(sqe->len))
		return -EINVAL;
	op->flags = READ_ONCE(sqe->unlink_flags);
	if (op->flags & ~AT_REMOVEDIR)
		return -EINVAL;
	op->dfd = READ_ONCE(sqe->fd);
	return io_prep_getname(req, &op->old, READ_ONCE(sqe->addr), 0);
}

int io_unlinkat(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_fs_op *op = io_kiocb_to_cmd(req, struct io_fs_op);
	int ret;

	if (op->flags & AT_REMOVEDIR)
		ret = do_rmdir(op->dfd, op->old);
	else
		ret = do_unlinkat(op->dfd, op->old);
	return io_fs_done(req, ret);
}

int io_mkdirat_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_fs_op *op = io_kiocb_to_cmd(req, struct io_fs_op);
	int ret = io_fs_check(req, sqe);

	if (ret)
		return ret;
	if (READ_ONCE(sqe->off) || READ_ONCE(sqe->rw_flags))
		return -EINVAL;
	op->dfd = READ_ONCE(sqe->fd);
	op->mode = READ_ONCE(sqe->len);
	return io_prep_getname(req, &op->old, READ_ONCE(sqe->addr), 0);
}

int io_mkdirat(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_fs_op *op = io_kiocb_to_cmd(req, struct io_fs_op);

	return io_fs_done(req, do_mkdirat(op->dfd, op->old, op->mode));
}

int io_symlinkat_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_fs_op *op = io_kiocb_to_cmd(req, struct io_fs_op);
	int ret = io_fs_check(req, sqe);

	if (ret)
		return ret;
	if (READ_ONCE(sqe->len) || READ_ONCE(sqe->rw_flags))
		return -EINVAL;
	/* the target is stored as is: it is not a lookup */
	op->new_dfd = READ_ONCE(sqe->fd);
	ret = io_prep_getname(req, &op->old, READ_ONCE(sqe->addr), 0);
	if (ret)
		return ret;
	return io_prep_getname(req, &op->new, READ_ONCE(sqe->addr2), 0);
}

int io_symlinkat(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_fs_op *op = io_kiocb_to_cmd(req, struct io_fs_op);

	return io_fs_done(req, do_symlinkat(op->old, op->new_dfd, op->new));
}

int io_linkat_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_fs_op *op = io_kiocb_to_cmd(req, struct io_fs_op);
	int ret = io_fs_check(req, sqe);

	if (ret)
		return ret;
	op->flags = READ_ONCE(sqe->hardlink_flags);
	/* AT_EMPTY_PATH: the old "path" may be "" (link the fd itself) */
	return io_fs_two_names(req, sqe, op->flags);
}

int io_linkat(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_fs_op *op = io_kiocb_to_cmd(req, struct io_fs_op);

	return io_fs_done(req, do_linkat(op->dfd, op->old, op->new_dfd,
					 op->new, op->flags));
}

void io_fs_cleanup(struct io_kiocb *req)
{
	struct io_fs_op *op = io_kiocb_to_cmd(req, struct io_fs_op);

	if (op->old)
		putname(op->old);
	if (op->new)
		putname(op->new);
	op->old = NULL;
	op->new = NULL;
}
