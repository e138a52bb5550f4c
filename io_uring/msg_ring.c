// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_MSG_RING: post a CQE to another ring (IORING_MSG_DATA), or
 * pass it one of our fixed files (IORING_MSG_SEND_FD).
 *
 * Both write to the target under its uring_lock, the lock of every CQ
 * write, so a DEFER_TASKRUN or SQPOLL target needs nothing special. With
 * our own held (an inline issue) the target's is only tried: if it is
 * busy the request goes to an io worker, which holds nothing else and
 * waits for it. Two rings messaging each other never deadlock.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/file.h>
#include <linux/io_uring.h>
#include <linux/io_uring_types.h>

#include "io_uring.h"
#include "filetable.h"
#include "rsrc.h"
#include "msg_ring.h"
#include "restrict.h"

struct io_msg {
	struct file	*file;
	/* IORING_MSG_DATA or _SEND_FD, and IORING_MSG_RING_* flags */
	u32		cmd, flags;
	/* the CQE the target gets: user_data, res and (FLAGS_PASS) flags */
	u64		user_data;
	s32		res;
	u32		cqe_flags;
	/* SEND_FD: our slot, and the target's (slot + 1 or _ALLOC) */
	u32		src_slot, dst_slot;
};

static int io_msg_parse(struct io_msg *msg, const struct io_uring_sqe *sqe)
{
	u32 index = READ_ONCE(sqe->file_index);

	msg->flags = READ_ONCE(sqe->msg_ring_flags);
	if (msg->flags & ~(IORING_MSG_RING_CQE_SKIP | IORING_MSG_RING_FLAGS_PASS))
		return -EINVAL;
	if (READ_ONCE(sqe->personality) || READ_ONCE(sqe->buf_index))
		return -EINVAL;
	msg->cmd = READ_ONCE(sqe->addr);
	msg->res = READ_ONCE(sqe->len);
	msg->user_data = READ_ONCE(sqe->off);
	msg->src_slot = READ_ONCE(sqe->addr3);
	/* file_index is a slot for SEND_FD and the CQE's flags for DATA */
	msg->dst_slot = index;
	msg->cqe_flags = index;
	switch (msg->cmd) {
	case IORING_MSG_DATA:
		/* the CQE is the message: it cannot be skipped */
		if (msg->src_slot || (msg->flags & IORING_MSG_RING_CQE_SKIP))
			return -EINVAL;
		if (msg->cqe_flags && !(msg->flags & IORING_MSG_RING_FLAGS_PASS))
			return -EINVAL;
		return 0;
	case IORING_MSG_SEND_FD:
		if (msg->flags & IORING_MSG_RING_FLAGS_PASS)
			return -EINVAL;
		return 0;
	}
	return -EINVAL;
}

int io_msg_ring_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	return io_msg_parse(io_kiocb_to_cmd(req, struct io_msg), sqe);
}

/*
 * The target's uring_lock, unless it is ours and held: with ours held
 * only tried (-EAGAIN: an io worker will wait for it instead).
 */
static int io_msg_lock(struct io_ring_ctx *ctx, struct io_ring_ctx *target,
		       unsigned int issue_flags)
{
	if (issue_flags & IO_URING_F_UNLOCKED) {
		mutex_lock(&target->uring_lock);
		return 0;
	}
	if (target == ctx)
		return 0;
	return mutex_trylock(&target->uring_lock) ? 0 : -EAGAIN;
}

static void io_msg_unlock(struct io_ring_ctx *ctx, struct io_ring_ctx *target,
			  unsigned int issue_flags)
{
	if ((issue_flags & IO_URING_F_UNLOCKED) || target != ctx)
		mutex_unlock(&target->uring_lock);
}

/* Post to @target, whose uring_lock is held */
static int io_msg_post(struct io_ring_ctx *target, u64 user_data, s32 res,
		       u32 cflags)
{
	bool posted;

	lockdep_assert_held(&target->uring_lock);
	posted = io_post_cqe(target, user_data, res, cflags, 0, 0);
	io_cq_publish(target);
	return posted ? 0 : -EOVERFLOW;
}

/*
 * @ctx: the sending ring, NULL for IORING_REGISTER_SEND_MSG_RING (no
 * ring, no lock held: @issue_flags then says IO_URING_F_UNLOCKED)
 */
static int io_msg_data(const struct io_msg *msg, struct io_ring_ctx *ctx,
		       struct io_ring_ctx *target, unsigned int issue_flags)
{
	u32 cflags = 0;
	int ret;

	if (msg->flags & IORING_MSG_RING_FLAGS_PASS)
		cflags = msg->cqe_flags;
	ret = io_msg_lock(ctx, target, issue_flags);
	if (ret)
		return ret;
	ret = io_msg_post(target, msg->user_data, msg->res, cflags);
	io_msg_unlock(ctx, target, issue_flags);
	return ret;
}

/* A new reference to the file in our slot src_slot, or NULL. */
static struct file *io_msg_grab_file(struct io_kiocb *req,
				     unsigned int issue_flags)
{
	struct io_msg *msg = io_kiocb_to_cmd(req, struct io_msg);
	struct io_ring_ctx *ctx = req->ctx;
	struct io_rsrc_node *node;
	struct file *file = NULL;

	if (issue_flags & IO_URING_F_UNLOCKED)
		mutex_lock(&ctx->uring_lock);
	if (msg->src_slot < ctx->file_table.nr) {
		node = io_fixed_file_node(ctx, msg->src_slot);
		if (node)
			file = get_file(node->file);
	}
	if (issue_flags & IO_URING_F_UNLOCKED)
		mutex_unlock(&ctx->uring_lock);
	return file;
}

static int io_msg_send_fd(struct io_kiocb *req, struct io_ring_ctx *target,
			  unsigned int issue_flags)
{
	struct io_msg *msg = io_kiocb_to_cmd(req, struct io_msg);
	struct file *file;
	int ret;

	/* taken before the target's lock: never hold both of them */
	file = io_msg_grab_file(req, issue_flags);
	if (!file)
		return -EBADF;
	/* (never our own ring: io_msg_ring() refuses that) */
	ret = io_msg_lock(req->ctx, target, issue_flags);
	if (ret) {
		fput(file);
		return ret;
	}
	ret = __io_fixed_fd_install(target, file, msg->dst_slot);
	/* both sides learn the slot; the file is there even if a CQE is not */
	if (ret >= 0 && !(msg->flags & IORING_MSG_RING_CQE_SKIP))
		ret = io_msg_post(target, msg->user_data, ret, 0) ?: ret;
	io_msg_unlock(req->ctx, target, issue_flags);
	return ret;
}

int io_msg_ring(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_msg *msg = io_kiocb_to_cmd(req, struct io_msg);
	struct io_ring_ctx *target;
	int ret;

	ret = -EBADFD;
	if (!io_is_uring_fops(req->file))
		goto out;
	target = req->file->private_data;
	if (target->int_flags & IO_CTX_DISABLED)
		goto out;
	/* from a sandbox's ring only into rings of the sandbox */
	ret = -EACCES;
	if (!io_restrict_covers(target->task_policy, req->ctx->task_policy))
		goto out;
	if (msg->cmd == IORING_MSG_DATA) {
		ret = io_msg_data(msg, req->ctx, target, issue_flags);
	} else {
		ret = -EINVAL;
		/* our own lock is held: a ring cannot lend itself a file */
		if (target == req->ctx)
			goto out;
		ret = io_msg_send_fd(req, target, issue_flags);
	}
	/* the target's lock was busy: an io worker waits for it */
	if (ret == -EAGAIN)
		return -EAGAIN;
out:
	io_req_set_res(req, ret, 0);
	return IOU_OK;
}

/**
 * io_msg_ring_sync - IORING_REGISTER_SEND_MSG_RING (6.13): a MSG_RING
 *	sent by a task that has no ring of its own (io_uring_register() on fd -1)
 * @arg: a struct io_uring_sqe, prepared as for IORING_OP_MSG_RING
 * @nr_args: 1
 *
 * Only IORING_MSG_DATA: there is no source ring to pass a file from. The
 * SQE's flags must be 0 (no fixed file: the target is sqe->fd).
 *
 * Return: 0 once the target has the CQE, or -errno (-EBADFD if sqe->fd is
 * no ring or a disabled one, -EOVERFLOW if its CQ could not take it,
 * -EACCES if the task's policy denies MSG_RING or the target ring).
 */
int io_msg_ring_sync(void __user *arg, unsigned int nr_args)
{
	struct io_uring_sqe sqe;
	struct io_ring_ctx *target;
	struct io_msg msg;
	struct file *file;
	int ret;

	if (nr_args != 1)
		return -EINVAL;
	if (copy_from_user(&sqe, arg, sizeof(sqe)))
		return -EFAULT;
	if (sqe.opcode != IORING_OP_MSG_RING || sqe.flags)
		return -EINVAL;
	ret = io_msg_parse(&msg, &sqe);
	if (ret)
		return ret;
	if (msg.cmd != IORING_MSG_DATA)
		return -EINVAL;
	/* the task's policy has a say, as it would over its rings' SQEs */
	ret = io_restrict_task_op(IORING_OP_MSG_RING,
				  IORING_REGISTER_SEND_MSG_RING, sqe.user_data);
	if (ret)
		return ret;
	file = fget(sqe.fd);
	if (!file)
		return -EBADF;
	ret = -EBADFD;
	if (io_is_uring_fops(file)) {
		target = file->private_data;
		if (target->int_flags & IO_CTX_DISABLED)
			ret = -EBADFD;
		else if (io_restrict_may_use(target))
			ret = -EACCES;
		else
			ret = io_msg_data(&msg, NULL, target,
					  IO_URING_F_UNLOCKED);
	}
	fput(file);
	return ret;
}
