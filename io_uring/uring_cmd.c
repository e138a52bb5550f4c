// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers for drivers that implement file_operations->uring_cmd. The
 * IORING_OP_URING_CMD opcode that reaches them is not offered yet (the
 * probe does not report it); the helpers already follow the semantics the
 * in-tree NVMe, ublk and block drivers rely on.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/io_uring/cmd.h>

#include "io_uring.h"
#include "opdef.h"

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

	io_req_set_res(req, ret, 0);
	if (req->ctx->flags & IORING_SETUP_CQE32)
		req->extra1 = res2;
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
 * Registered buffers arrive with IORING_REGISTER_BUFFERS; until then no
 * index is valid.
 */
int io_uring_cmd_import_fixed(u64 ubuf, unsigned long len, int rw,
			      struct iov_iter *iter, void *ioucmd)
{
	return -EFAULT;
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
	cmd->flags |= IORING_URING_CMD_CANCELABLE;
}
EXPORT_SYMBOL_GPL(io_uring_cmd_mark_cancelable);

static void io_uring_cmd_reissue(struct io_kiocb *req)
{
	struct io_uring_cmd *cmd = io_kiocb_to_cmd(req, struct io_uring_cmd);
	int ret;

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
 */
struct task_struct *io_uring_cmd_get_task(struct io_uring_cmd *cmd)
{
	return cmd_to_io_kiocb(cmd)->task;
}
EXPORT_SYMBOL_GPL(io_uring_cmd_get_task);
