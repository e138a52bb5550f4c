// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_URING_CMD: a command for the file's ->uring_cmd (sockets'
 * SOCKET_URING_OP_*, NVMe passthrough, ublk), and the helpers drivers
 * call, with the semantics the in-tree NVMe, ublk and block drivers rely
 * on. The SQE (64 or 128 bytes) is copied at submission: the driver may
 * read it after the SQ slot was reused. On an IORING_SETUP_IOPOLL ring a
 * command to a driver with ->uring_cmd_iopoll is polled for (iopoll.c's
 * reaper finds its completion); to any other file it completes as on any
 * ring (7.1: a socket command on a polled ring used to be -EOPNOTSUPP).
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/compat.h>
#include <linux/security.h>
#include <linux/io_uring/cmd.h>

#include "io_uring.h"
#include "rsrc.h"
#include "iopoll.h"
#include "uring_cmd.h"

/* Driver calls may come with or without the ring's uring_lock held. */
static void io_cmd_lock(struct io_ring_ctx *ctx, unsigned int issue_flags)
{
	if (issue_flags & IO_URING_F_UNLOCKED)
		mutex_lock(&ctx->uring_lock);
}

static void io_cmd_unlock(struct io_ring_ctx *ctx, unsigned int issue_flags)
{
	if (issue_flags & IO_URING_F_UNLOCKED)
		mutex_unlock(&ctx->uring_lock);
}

/*
 * What a command keeps beyond its cmd area (which the driver's pdu
 * fills): a copy of its SQE, stable for the driver however long it
 * holds the command, res2 for a 32-byte CQE until it is posted, and its
 * entry in the ring's cancelable list. That entry is not the request's
 * hash_node: a command may mark itself cancelable while it runs in
 * io-wq, whose state in the request hash_node shares storage with.
 */
struct io_cmd_async {
	struct hlist_node	cancel_node;
	struct io_kiocb		*req;
	u64			big_cqe[2];
	struct io_uring_sqe	sqe[];
};

static struct io_cmd_async *io_cmd_async(struct io_kiocb *req)
{
	return req->async_data;
}

static void io_uring_cmd_del_cancelable(struct io_uring_cmd *cmd,
					unsigned int issue_flags)
{
	struct io_kiocb *req = cmd_to_io_kiocb(cmd);

	if (!(cmd->flags & IORING_URING_CMD_CANCELABLE))
		return;
	io_cmd_lock(req->ctx, issue_flags);
	cmd->flags &= ~IORING_URING_CMD_CANCELABLE;
	hlist_del(&io_cmd_async(req)->cancel_node);
	io_cmd_unlock(req->ctx, issue_flags);
}

/**
 * io_uring_cmd_done - complete a passthrough command
 * @cmd: the command
 * @ret: result for cqe->res
 * @res2: second result, in the first extra word of a 32-byte CQE
 * @issue_flags: flags the driver was called with
 */
void io_uring_cmd_done(struct io_uring_cmd *cmd, ssize_t ret, u64 res2,
		       unsigned int issue_flags)
{
	struct io_kiocb *req = cmd_to_io_kiocb(cmd);

	io_uring_cmd_del_cancelable(cmd, issue_flags);
	if (ret < 0)
		req->flags |= REQ_F_FAIL;
	/* with mixed sizes, the CQE that carries res2 is a 32-byte one */
	io_req_set_res(req, ret, io_cqe32_cflag(req->ctx));
	if (io_ring_has_cqe32(req->ctx))
		io_cmd_async(req)->big_cqe[0] = res2;
	if (cmd->flags & IORING_URING_CMD_POLLED) {
		/* the reaper posts it; the result before the flag */
		smp_store_release(&req->iopoll_done, 1);
		return;
	}
	if (issue_flags & IO_URING_F_UNLOCKED)
		io_req_task_complete(req);
	else
		io_req_complete_defer(req);
}
EXPORT_SYMBOL_GPL(io_uring_cmd_done);

static void io_uring_cmd_work(struct io_kiocb *req)
{
	struct io_uring_cmd *cmd = io_kiocb_to_cmd(req, struct io_uring_cmd);

	cmd->task_work_cb(cmd, IO_URING_F_COMPLETE_DEFER);
}

/**
 * __io_uring_cmd_do_in_task - run @task_work_cb in the submitter's context
 * @cmd: the command
 * @task_work_cb: called with the ring locked, may call io_uring_cmd_done()
 * @flags: 1 if the work may be batched with later completions
 */
void __io_uring_cmd_do_in_task(struct io_uring_cmd *cmd,
			       io_uring_cmd_tw_t task_work_cb, unsigned int flags)
{
	struct io_kiocb *req = cmd_to_io_kiocb(cmd);

	cmd->task_work_cb = task_work_cb;
	req->tw_func = io_uring_cmd_work;
	io_req_task_work_add(req);
}
EXPORT_SYMBOL_GPL(__io_uring_cmd_do_in_task);

/**
 * io_uring_cmd_import_fixed - map a registered buffer for a command
 * @ubuf: user address inside the registered buffer
 * @len: length
 * @rw: ITER_SOURCE or ITER_DEST
 * @iter: filled on success
 * @ioucmd: the command (its sqe->buf_index names the buffer)
 *
 * Only for commands submitted with IORING_URING_CMD_FIXED, whose buffer
 * the request holds a reference on.
 *
 * Return: 0, -EFAULT without such a buffer or outside it.
 */
int io_uring_cmd_import_fixed(u64 ubuf, unsigned long len, int rw,
			      struct iov_iter *iter, void *ioucmd)
{
	struct io_kiocb *req = cmd_to_io_kiocb(ioucmd);

	if (!req->buf_node)
		return -EFAULT;
	return io_import_fixed(rw, iter, req->buf_node->buf, ubuf, len);
}
EXPORT_SYMBOL_GPL(io_uring_cmd_import_fixed);

/**
 * io_uring_cmd_mark_cancelable - let ring teardown cancel this command
 * @cmd: the command
 * @issue_flags: flags the driver was called with
 */
void io_uring_cmd_mark_cancelable(struct io_uring_cmd *cmd,
				  unsigned int issue_flags)
{
	struct io_kiocb *req = cmd_to_io_kiocb(cmd);

	if (cmd->flags & IORING_URING_CMD_CANCELABLE)
		return;
	io_cmd_lock(req->ctx, issue_flags);
	cmd->flags |= IORING_URING_CMD_CANCELABLE;
	hlist_add_head(&io_cmd_async(req)->cancel_node,
		       &req->ctx->cancelable_uring_cmd);
	io_cmd_unlock(req->ctx, issue_flags);
}
EXPORT_SYMBOL_GPL(io_uring_cmd_mark_cancelable);

/**
 * io_uring_cmd_cancel - ask drivers to end their cancelable commands
 * @ctx: the ring, uring_lock held
 * @match: which commands (task exit: the task's); NULL for all
 * @data: passed to @match
 *
 * The driver's ->uring_cmd runs with IO_URING_F_CANCEL and completes the
 * command (now or later) with io_uring_cmd_done().
 *
 * Return: how many commands were asked.
 */
int io_uring_cmd_cancel(struct io_ring_ctx *ctx,
			bool (*match)(struct io_kiocb *req, void *data),
			void *data)
{
	struct io_cmd_async *async;
	struct hlist_node *tmp;
	int nr = 0;

	lockdep_assert_held(&ctx->uring_lock);
	hlist_for_each_entry_safe(async, tmp, &ctx->cancelable_uring_cmd,
				  cancel_node) {
		struct io_kiocb *req = async->req;
		struct io_uring_cmd *cmd = io_kiocb_to_cmd(req,
						struct io_uring_cmd);

		if (match && !match(req, data))
			continue;
		cmd->file->f_op->uring_cmd(cmd, IO_URING_F_CANCEL |
					   IO_URING_F_COMPLETE_DEFER);
		nr++;
	}
	return nr;
}

static void io_uring_cmd_reissue(struct io_kiocb *req)
{
	struct io_uring_cmd *cmd = io_kiocb_to_cmd(req, struct io_uring_cmd);
	int ret;

	/* never issued in a process image other than the submitter's */
	if (io_tw_cancelled(req)) {
		io_uring_cmd_done(cmd, -ECANCELED, 0, 0);
		return;
	}
	/* task context: the driver may block now */
	ret = cmd->file->f_op->uring_cmd(cmd, 0);
	if (ret != -EIOCBQUEUED)
		io_uring_cmd_done(cmd, ret, 0, 0);
}

/**
 * io_uring_cmd_issue_blocking - issue the command again, allowed to block
 * @cmd: a command whose non-blocking attempt could not proceed
 */
void io_uring_cmd_issue_blocking(struct io_uring_cmd *cmd)
{
	struct io_kiocb *req = cmd_to_io_kiocb(cmd);

	req->tw_func = io_uring_cmd_reissue;
	io_req_task_work_add(req);
}
EXPORT_SYMBOL_GPL(io_uring_cmd_issue_blocking);

/**
 * io_uring_cmd_get_task - the task that submitted the command
 * @cmd: the command
 *
 * Return: the submitting task (the SQPOLL thread for an SQPOLL ring).
 */
struct task_struct *io_uring_cmd_get_task(struct io_uring_cmd *cmd)
{
	return cmd_to_io_kiocb(cmd)->task;
}
EXPORT_SYMBOL_GPL(io_uring_cmd_get_task);

int io_uring_cmd_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_uring_cmd *cmd = io_kiocb_to_cmd(req, struct io_uring_cmd);
	size_t size = io_uring_cmd_sqe128(req) ? 128 : 64;
	struct io_cmd_async *copy;
	int ret;

	/* URING_CMD128 in a ring without a second half to its SQE */
	if (req->opcode == IORING_OP_URING_CMD128 && !io_sqe128_ok(req->ctx))
		return -EINVAL;
	if (READ_ONCE(sqe->__pad1))
		return -EINVAL;
	cmd->flags = READ_ONCE(sqe->uring_cmd_flags);
	if (cmd->flags & ~IORING_URING_CMD_FIXED)
		return -EINVAL;
	if (cmd->flags & IORING_URING_CMD_FIXED) {
		ret = io_buf_node_get(req, READ_ONCE(sqe->buf_index));
		if (ret)
			return ret;
	}
	cmd->cmd_op = READ_ONCE(sqe->cmd_op);
	copy = kmalloc(sizeof(*copy) + size, GFP_KERNEL_ACCOUNT);
	if (!copy)
		return -ENOMEM;
	copy->req = req;
	copy->big_cqe[0] = 0;
	copy->big_cqe[1] = 0;
	memcpy(copy->sqe, sqe, size);
	req->async_data = copy;
	req->flags |= REQ_F_NEED_CLEANUP;
	cmd->sqe = copy->sqe;
	return 0;
}

/**
 * io_uring_cmd_big_cqe - the second half of a command's 32-byte CQE
 * @req: a URING_CMD or URING_CMD128, completed (or failed, maybe before
 *	its prep allocated anything)
 * @big: filled with res2 and a zero
 */
void io_uring_cmd_big_cqe(struct io_kiocb *req, u64 big[2])
{
	struct io_cmd_async *async = io_cmd_async(req);

	/* none if it failed before its prep got that far */
	big[0] = async ? async->big_cqe[0] : 0;
	big[1] = async ? async->big_cqe[1] : 0;
}

void io_uring_cmd_cleanup(struct io_kiocb *req)
{
	kfree(req->async_data);
	req->async_data = NULL;
}

int io_uring_cmd(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_uring_cmd *cmd = io_kiocb_to_cmd(req, struct io_uring_cmd);
	struct file *file = req->file;
	int ret;

	if (!file->f_op->uring_cmd)
		return -EOPNOTSUPP;
	/* the LSMs decide on each command, as on an ioctl */
	ret = security_uring_cmd(cmd);
	if (ret)
		return ret;
	if (io_uring_cmd_sqe128(req))
		issue_flags |= IO_URING_F_SQE128;
	if (io_ring_has_cqe32(req->ctx))
		issue_flags |= IO_URING_F_CQE32;
	if (in_compat_syscall())
		issue_flags |= IO_URING_F_COMPAT;
	cmd->flags &= ~IORING_URING_CMD_POLLED;
	if ((req->ctx->flags & IORING_SETUP_IOPOLL) &&
	    file->f_op->uring_cmd_iopoll) {
		cmd->flags |= IORING_URING_CMD_POLLED;
		issue_flags |= IO_URING_F_IOPOLL;
		req->iopoll_done = 0;
	}
	io_submit_plug(req, issue_flags);
	ret = file->f_op->uring_cmd(cmd, issue_flags);
	if (ret == -EAGAIN && (issue_flags & IO_URING_F_NONBLOCK))
		return -EAGAIN;
	if (ret == -EIOCBQUEUED) {
		if (issue_flags & IO_URING_F_IOPOLL)
			io_iopoll_add(req, issue_flags);
		return IOU_ISSUE_SKIP_COMPLETE;
	}
	io_req_set_res(req, io_restart_to_eintr(ret), 0);
	return IOU_OK;
}

/**
 * io_uring_cmd_iopoll - poll the device of a polled command
 * @req: the command, on the ring's IOPOLL list
 * @iob: the batch the driver's completions go to
 * @poll_flags: BLK_POLL_ONESHOT not to spin
 *
 * The opcode table's ->iopoll_poll for URING_CMD and URING_CMD128.
 *
 * Return: what the driver's ->uring_cmd_iopoll returns: how many
 * completed, or -errno.
 */
int io_uring_cmd_iopoll(struct io_kiocb *req, struct io_comp_batch *iob,
			unsigned int poll_flags)
{
	struct io_uring_cmd *cmd = io_kiocb_to_cmd(req, struct io_uring_cmd);

	return req->file->f_op->uring_cmd_iopoll(cmd, iob, poll_flags);
}
