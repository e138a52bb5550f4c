// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_WAITID: waitid(2) without blocking. The request hangs a wait
 * entry on the task's wait_chldexit queue, as do_wait() does, and looks
 * again from task_work each time a child that matches changes state.
 *
 * IO_WAITID_REF_MASK counts wakeups: the one that finds it at zero owns
 * the request and runs the next look; a cancel also takes a reference
 * and sets IO_WAITID_CANCEL, so whoever owns the request ends it.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <uapi/linux/wait.h>
#include <linux/uaccess.h>
#include <linux/io_uring_types.h>

#include "../kernel/exit.h"

#include "io_uring.h"
#include "cancel.h"
#include "waitid.h"

#define IO_WAITID_CANCEL	BIT(31)
#define IO_WAITID_REF_MASK	(BIT(31) - 1)

/* waitid(2)'s arguments, what it found, and who owns the request. */
struct io_waitid {
	struct file		*file;
	struct siginfo __user	*infop;
	struct waitid_info	info;
	atomic_t		refs;
	int			which;
	int			options;
	pid_t			upid;
};

struct io_waitid_async {
	struct io_kiocb		*req;
	struct wait_queue_head	*head;
	struct wait_opts	wo;
};

int io_waitid_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_waitid *iw = io_kiocb_to_cmd(req, struct io_waitid);

	req->async_data = NULL;
	if (READ_ONCE(sqe->addr) || READ_ONCE(sqe->buf_index) ||
	    READ_ONCE(sqe->addr3) || READ_ONCE(sqe->waitid_flags))
		return -EINVAL;
	iw->which = READ_ONCE(sqe->len);
	iw->upid = READ_ONCE(sqe->fd);
	iw->options = READ_ONCE(sqe->file_index);
	iw->infop = u64_to_user_ptr(READ_ONCE(sqe->addr2));
	/* what waitid(2) reports when nothing was found (WNOHANG) */
	memset(&iw->info, 0, sizeof(iw->info));
	return 0;
}

void io_waitid_cleanup(struct io_kiocb *req)
{
	struct io_waitid_async *iwa = req->async_data;

	if (!iwa)
		return;
	put_pid(iwa->wo.wo_pid);
	kfree(iwa);
	req->async_data = NULL;
}

/* The siginfo fields waitid(2) fills in; no rusage (as 6.12). */
static int io_waitid_copyout(struct io_waitid *iw, int signo)
{
	struct siginfo __user *si = iw->infop;
	int err = 0;

	if (!si)
		return 0;
	err |= put_user(signo, &si->si_signo);
	err |= put_user(0, &si->si_errno);
	err |= put_user(iw->info.cause, &si->si_code);
	err |= put_user(iw->info.pid, &si->si_pid);
	err |= put_user(iw->info.uid, &si->si_uid);
	err |= put_user(iw->info.status, &si->si_status);
	return err ? -EFAULT : 0;
}

/* __do_wait()'s answer as waitid(2) gives it; fills infop. */
static int io_waitid_result(struct io_kiocb *req, long ret)
{
	struct io_waitid *iw = io_kiocb_to_cmd(req, struct io_waitid);
	struct io_waitid_async *iwa = req->async_data;
	int signo = 0;

	if (ret > 0) {
		signo = SIGCHLD;
		ret = 0;
	} else if (!ret && !(iw->options & WNOHANG) &&
		   (iwa->wo.wo_flags & WNOHANG)) {
		/* a pidfd opened O_NONBLOCK, and nothing to report */
		ret = -EAGAIN;
	}
	if (ret >= 0)
		ret = io_waitid_copyout(iw, signo);
	return ret;
}

static void io_waitid_finish(struct io_kiocb *req, int res)
{
	struct io_waitid_async *iwa = req->async_data;

	remove_wait_queue(iwa->head, &iwa->wo.child_wait);
	io_waiter_del(req);
	io_waitid_cleanup(req);
	req->flags &= ~REQ_F_NEED_CLEANUP;
	io_req_set_res(req, res, 0);
	io_req_complete_defer(req);
}

/* task_work, uring_lock held: we own the request; look again. */
static void io_waitid_tw(struct io_kiocb *req)
{
	struct io_waitid *iw = io_kiocb_to_cmd(req, struct io_waitid);
	struct io_waitid_async *iwa = req->async_data;
	int refs;
	long ret;

	do {
		refs = atomic_read(&iw->refs);
		if ((refs & IO_WAITID_CANCEL) || io_tw_cancelled(req)) {
			io_waitid_finish(req, -ECANCELED);
			return;
		}
		ret = __do_wait(&iwa->wo);
		if (ret != -ERESTARTSYS) {
			io_waitid_finish(req, io_waitid_result(req, ret));
			return;
		}
		/* nothing yet: wait on, unless wakeups came meanwhile */
	} while (atomic_sub_return(refs & IO_WAITID_REF_MASK, &iw->refs) &
		 IO_WAITID_REF_MASK);
}

static int io_waitid_wake(struct wait_queue_entry *wait, unsigned int mode,
			  int sync, void *key)
{
	struct wait_opts *wo = container_of(wait, struct wait_opts, child_wait);
	struct io_waitid_async *iwa = container_of(wo, struct io_waitid_async,
						   wo);
	struct io_kiocb *req = iwa->req;
	struct io_waitid *iw = io_kiocb_to_cmd(req, struct io_waitid);
	struct task_struct *p = key;

	if (!pid_child_should_wake(wo, p))
		return 0;
	/* the owner looks again anyway */
	if (atomic_fetch_inc(&iw->refs) & IO_WAITID_REF_MASK)
		return 1;
	req->tw_func = io_waitid_tw;
	io_req_task_work_add(req);
	return 1;
}

bool io_waitid_cancel(struct io_kiocb *req)
{
	struct io_waitid *iw = io_kiocb_to_cmd(req, struct io_waitid);

	atomic_or(IO_WAITID_CANCEL, &iw->refs);
	/* owned by a wakeup's task_work: it sees the flag and cancels */
	if (atomic_fetch_inc(&iw->refs) & IO_WAITID_REF_MASK)
		return true;
	io_waitid_finish(req, -ECANCELED);
	return true;
}

int io_waitid(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_waitid *iw = io_kiocb_to_cmd(req, struct io_waitid);
	struct io_waitid_async *iwa;
	long ret;

	io_waiter_init(req);
	iwa = kzalloc(sizeof(*iwa), GFP_KERNEL_ACCOUNT);
	if (!iwa) {
		ret = -ENOMEM;
		goto done;
	}
	ret = kernel_waitid_prepare(&iwa->wo, iw->which, iw->upid, &iw->info,
				    iw->options, NULL);
	if (ret) {
		kfree(iwa);
		goto done;
	}
	iwa->req = req;
	req->async_data = iwa;
	req->flags |= REQ_F_NEED_CLEANUP;
	atomic_set(&iw->refs, 1);
	/* hung first, so that no child event between look and wait is lost */
	iwa->head = &current->signal->wait_chldexit;
	init_waitqueue_func_entry(&iwa->wo.child_wait, io_waitid_wake);
	iwa->wo.child_wait.private = req->task;
	add_wait_queue(iwa->head, &iwa->wo.child_wait);
	io_waiter_add(req);
	ret = __do_wait(&iwa->wo);
	if (ret == -ERESTARTSYS) {
		/* give up the reference we took: wakeups may have come */
		if (atomic_sub_return(1, &iw->refs) & IO_WAITID_REF_MASK) {
			req->tw_func = io_waitid_tw;
			io_req_task_work_add(req);
		}
		return IOU_ISSUE_SKIP_COMPLETE;
	}
	ret = io_waitid_result(req, ret);
	remove_wait_queue(iwa->head, &iwa->wo.child_wait);
	io_waiter_del(req);
	io_waitid_cleanup(req);
	req->flags &= ~REQ_F_NEED_CLEANUP;
done:
	io_req_set_res(req, ret, 0);
	return IOU_OK;
}
