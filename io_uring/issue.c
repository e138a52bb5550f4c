// SPDX-License-Identifier: GPL-2.0
/*
 * Issuing a request whose turn came: inline in its task, with a link
 * timeout armed first, or through task_work from any other context.
 */
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/errno.h>
#include <linux/syscalls.h>
#include <linux/compat.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/anon_inodes.h>
#include <linux/uaccess.h>
#include <linux/poll.h>
#include <linux/hrtimer.h>
#include <linux/sysctl.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/sched/signal.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/cred.h>
#include <linux/seq_file.h>
#include <linux/irq_work.h>
#include <linux/audit.h>
#include <linux/security.h>
#include <linux/kcov.h>
#include <linux/blkdev.h>
#include <linux/io_uring.h>
#include <linux/io_uring/cmd.h>

#include "io_uring.h"
#include "opdef.h"
#include "timeout.h"
#include "napi.h"
#include "issue.h"
#include "issue_fast.h"

#include <trace/events/io_uring.h>

static void io_issue_req(struct io_kiocb *req)
{
	__io_issue_req(req, &io_op_defs[req->opcode]);
}

/**
 * io_req_retry - issue a request again, its file being ready now
 * @req: the request, in its task with uring_lock held
 */
void io_req_retry(struct io_kiocb *req)
{
	io_issue_req(req);
}

void io_req_issue(struct io_kiocb *req)
{
	const struct io_op_def *def = &io_op_defs[req->opcode];

	if (unlikely(req->link) && req->link->opcode == IORING_OP_LINK_TIMEOUT &&
	    !(req->link->flags & REQ_F_LTIMEOUT))
		io_link_timeout_arm(req, req->link);
	if (unlikely(io_req_goes_iowq(req, def)))
		io_queue_iowq(req);
	else
		io_issue_req(req);
}

/**
 * io_tw_cancelled - tell a task_work callback it must not issue
 * @req: the request whose callback runs
 *
 * Return: true when the callback runs from the fallback kworker (the
 * task is gone), while the task cancels its requests at exit or exec (after
 * exec no request of the old image is left: the cancel waits for all of
 * them), or once the ring is closing.
 */
bool io_tw_cancelled(struct io_kiocb *req)
{
	/* detached from its task at exit or exec: it only completes */
	return current != req->task || (req->flags & REQ_F_DETACHED) ||
	       (current->flags & PF_EXITING) ||
	       READ_ONCE(req->task->io_uring->in_exit) ||
	       percpu_ref_is_dying(&req->ctx->refs);
}

static void io_req_issue_tw(struct io_kiocb *req)
{
	if (io_tw_cancelled(req))
		io_req_fail(req, -ECANCELED);
	else
		io_req_issue(req);
}

/* Issue a request whose turn came: inline if we are its task. */
void io_req_queue(struct io_kiocb *req)
{
	/* io_tw_cancelled() is also true for any task but req->task */
	if (!io_tw_cancelled(req)) {
		io_req_issue(req);
		return;
	}
	req->tw_func = io_req_issue_tw;
	io_req_task_work_add(req);
}
