// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_FSETXATTR, SETXATTR, FGETXATTR and GETXATTR. The name (and a
 * value to set) are copied at prep; the file system call runs in io-wq.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/xattr.h>
#include <linux/io_uring_types.h>

#include "../fs/internal.h"

#include "io_uring.h"
#include "fs.h"
#include "xattr.h"

/* The VFS's own xattr context, and for the path variants the path. */
struct io_xattr {
	struct file		*file;
	struct filename		*path;
	struct xattr_ctx	ctx;
};

void io_xattr_cleanup(struct io_kiocb *req)
{
	struct io_xattr *ix = io_kiocb_to_cmd(req, struct io_xattr);
	struct xattr_ctx *ctx = &ix->ctx;

	/* each may be NULL: prep can fail half way */
	kvfree(ctx->kvalue);
	kfree(ctx->kname);
	ctx->kvalue = NULL;
	ctx->kname = NULL;
	if (ix->path) {
		putname(ix->path);
		ix->path = NULL;
	}
}

/* Fields common to the four; the name buffer, ready for the copy. */
static int __io_xattr_prep(struct io_kiocb *req,
			   const struct io_uring_sqe *sqe, bool path)
{
	struct io_xattr *ix = io_kiocb_to_cmd(req, struct io_xattr);

	ix->path = NULL;
	ix->ctx.kvalue = NULL;
	ix->ctx.kname = NULL;
	if (READ_ONCE(sqe->buf_index) || READ_ONCE(sqe->splice_fd_in))
		return -EINVAL;
	if (path && (req->flags & IOSQE_FIXED_FILE))
		return -EBADF;
	ix->ctx.value = u64_to_user_ptr(READ_ONCE(sqe->addr2));
	ix->ctx.size = READ_ONCE(sqe->len);
	ix->ctx.flags = READ_ONCE(sqe->xattr_flags);
	ix->ctx.kname = kmalloc(sizeof(*ix->ctx.kname), GFP_KERNEL_ACCOUNT);
	if (!ix->ctx.kname)
		return -ENOMEM;
	req->flags |= REQ_F_NEED_CLEANUP;
	if (path)
		return io_prep_getname(req, &ix->path, READ_ONCE(sqe->addr3), 0);
	return 0;
}

static int io_getxattr_common(struct io_kiocb *req,
			      const struct io_uring_sqe *sqe, bool path)
{
	struct io_xattr *ix = io_kiocb_to_cmd(req, struct io_xattr);
	const char __user *name;
	long ret;

	ret = __io_xattr_prep(req, sqe, path);
	if (ret)
		return ret;
	if (ix->ctx.flags)
		return -EINVAL;
	name = u64_to_user_ptr(READ_ONCE(sqe->addr));
	ret = strncpy_from_user(ix->ctx.kname->name, name,
				sizeof(ix->ctx.kname->name));
	/* empty, or no room for the terminating NUL */
	if (!ret || ret == sizeof(ix->ctx.kname->name))
		return -ERANGE;
	return ret < 0 ? ret : 0;
}

int io_fgetxattr_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	return io_getxattr_common(req, sqe, false);
}

int io_getxattr_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	return io_getxattr_common(req, sqe, true);
}

static int io_setxattr_common(struct io_kiocb *req,
			      const struct io_uring_sqe *sqe, bool path)
{
	struct io_xattr *ix = io_kiocb_to_cmd(req, struct io_xattr);
	int ret;

	ret = __io_xattr_prep(req, sqe, path);
	if (ret)
		return ret;
	/* checks the flags, copies the name and the value */
	return setxattr_copy(u64_to_user_ptr(READ_ONCE(sqe->addr)), &ix->ctx);
}

int io_fsetxattr_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	return io_setxattr_common(req, sqe, false);
}

int io_setxattr_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	return io_setxattr_common(req, sqe, true);
}

static int io_xattr_finish(struct io_kiocb *req, int ret)
{
	io_xattr_cleanup(req);
	req->flags &= ~REQ_F_NEED_CLEANUP;
	io_req_set_res(req, ret, 0);
	return IOU_OK;
}

int io_fgetxattr(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_xattr *ix = io_kiocb_to_cmd(req, struct io_xattr);
	int ret;

	ret = do_getxattr(file_mnt_idmap(req->file), req->file->f_path.dentry,
			  &ix->ctx);
	return io_xattr_finish(req, ret);
}

static int io_getxattr_path(struct io_xattr *ix, const struct path *path)
{
	/* a retry after -ESTALE allocates the value buffer again */
	kvfree(ix->ctx.kvalue);
	ix->ctx.kvalue = NULL;
	return do_getxattr(mnt_idmap(path->mnt), path->dentry, &ix->ctx);
}

static int io_setxattr_path(struct io_xattr *ix, const struct path *path)
{
	int ret = mnt_want_write(path->mnt);

	if (!ret) {
		ret = do_setxattr(mnt_idmap(path->mnt), path->dentry, &ix->ctx);
		mnt_drop_write(path->mnt);
	}
	return ret;
}

/* GETXATTR, SETXATTR: look the path up (again on -ESTALE), then @op it. */
static int io_xattr_on_path(struct io_kiocb *req, unsigned int issue_flags,
			    int (*op)(struct io_xattr *ix,
				      const struct path *path))
{
	struct io_xattr *ix = io_kiocb_to_cmd(req, struct io_xattr);
	unsigned int lookup_flags = LOOKUP_FOLLOW;
	struct path path;
	int ret;

	do {
		ret = filename_lookup(AT_FDCWD, ix->path, lookup_flags, &path,
				      NULL);
		if (ret)
			break;
		ret = op(ix, &path);
		path_put(&path);
		if (!retry_estale(ret, lookup_flags))
			break;
		lookup_flags |= LOOKUP_REVAL;
	} while (1);
	return io_xattr_finish(req, ret);
}

int io_getxattr(struct io_kiocb *req, unsigned int issue_flags)
{
	return io_xattr_on_path(req, issue_flags, io_getxattr_path);
}

int io_fsetxattr(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_xattr *ix = io_kiocb_to_cmd(req, struct io_xattr);
	struct file *file = req->file;
	int ret;

	ret = mnt_want_write_file(file);
	if (!ret) {
		ret = do_setxattr(file_mnt_idmap(file), file->f_path.dentry,
				  &ix->ctx);
		mnt_drop_write_file(file);
	}
	return io_xattr_finish(req, ret);
}

int io_setxattr(struct io_kiocb *req, unsigned int issue_flags)
{
	return io_xattr_on_path(req, issue_flags, io_setxattr_path);
}
