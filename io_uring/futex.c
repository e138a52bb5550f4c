// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_FUTEX_WAIT, FUTEX_WAKE and FUTEX_WAITV, on the futex2 flags.
 *
 * A wait queues a futex_q with no task and a wake callback of ours; the
 * callback, run by whoever wakes the futex, completes the request from
 * task_work. A wakeup and a cancellation race for the request: the one
 * that sets IO_FUTEX_OWNED first completes it. The waker sets it before
 * it unqueues the futex_q, the last time it touches our memory, and the
 * canceller unqueues (waiting for the waker's bucket lock) before it
 * frees anything.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/futex.h>
#include <linux/io_uring_types.h>

#include "../kernel/futex/futex.h"

#include "io_uring.h"
#include "cancel.h"
#include "futex.h"

#define IO_FUTEX_OWNED	0

struct io_futex {
	struct file	*file;
	void __user	*uaddr;
	u64		val;
	u64		mask;
	u32		flags;		/* FLAGS_*, from the futex2 flags */
	u32		nr;		/* FUTEX_WAITV: entries */
};

/* The waiting state of a request: one futex_q, or a vector of them. */
struct io_futex_data {
	unsigned long		owned;
	struct io_kiocb		*req;
	unsigned int		nr;
	int			woken;	/* FUTEX_WAITV: the entry that woke */
	/* FUTEX_WAITV: setup took every entry off the queues already */
	bool			unqueued;
	union {
		struct futex_q		q;
		DECLARE_FLEX_ARRAY(struct futex_vector, v);
	};
};

static int io_futex_common_prep(struct io_kiocb *req,
				const struct io_uring_sqe *sqe)
{
	struct io_futex *iof = io_kiocb_to_cmd(req, struct io_futex);
	u32 flags2 = READ_ONCE(sqe->fd);

	if (READ_ONCE(sqe->len) || READ_ONCE(sqe->futex_flags) ||
	    READ_ONCE(sqe->buf_index) || READ_ONCE(sqe->file_index))
		return -EINVAL;
	if (flags2 & ~FUTEX2_VALID_MASK)
		return -EINVAL;
	iof->flags = futex2_to_flags(flags2);
	if (!futex_flags_valid(iof->flags))
		return -EINVAL;
	iof->uaddr = u64_to_user_ptr(READ_ONCE(sqe->addr));
	iof->val = READ_ONCE(sqe->addr2);
	iof->mask = READ_ONCE(sqe->addr3);
	if (!futex_validate_input(iof->flags, iof->val) ||
	    !futex_validate_input(iof->flags, iof->mask) || !iof->mask)
		return -EINVAL;
	return 0;
}

int io_futex_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	req->async_data = NULL;
	return io_futex_common_prep(req, sqe);
}

int io_futexv_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_futex *iof = io_kiocb_to_cmd(req, struct io_futex);

	req->async_data = NULL;
	/* the vector holds addresses, values and flags */
	if (READ_ONCE(sqe->fd) || READ_ONCE(sqe->buf_index) ||
	    READ_ONCE(sqe->file_index) || READ_ONCE(sqe->addr2) ||
	    READ_ONCE(sqe->futex_flags) || READ_ONCE(sqe->addr3))
		return -EINVAL;
	iof->uaddr = u64_to_user_ptr(READ_ONCE(sqe->addr));
	iof->nr = READ_ONCE(sqe->len);
	if (!iof->nr || iof->nr > FUTEX_WAITV_MAX)
		return -EINVAL;
	return 0;
}

void io_futex_cleanup(struct io_kiocb *req)
{
	kfree(req->async_data);
	req->async_data = NULL;
}

/* task_work, uring_lock held: the request is ours, post it. */
static void io_futex_complete(struct io_kiocb *req)
{
	io_waiter_del(req);
	io_futex_cleanup(req);
	req->flags &= ~REQ_F_NEED_CLEANUP;
	io_req_complete_defer(req);
}

/* Called by the waker with the bucket lock held. */
static void io_futex_wake_fn(struct wake_q_head *wake_q, struct futex_q *q)
{
	struct io_futex_data *ifd = q->wake_data;
	struct io_kiocb *req = ifd->req;
	bool won = !test_and_set_bit(IO_FUTEX_OWNED, &ifd->owned);

	if (won && ifd->nr)
		ifd->woken = container_of(q, struct futex_vector, q) - ifd->v;
	/* after this the canceller may free ifd: touch nothing */
	if (!__futex_wake_mark(q) || !won)
		return;
	io_req_set_res(req, ifd->nr ? ifd->woken : 0, 0);
	req->tw_func = io_futex_complete;
	io_req_task_work_add(req);
}

static void io_futexv_complete(struct io_kiocb *req)
{
	struct io_futex_data *ifd = req->async_data;

	/*
	 * The entries that did not wake are still queued, unless setup saw
	 * the wakeup and unqueued them itself: then one of them was never
	 * queued at all (and its futex_q must not be touched).
	 */
	if (!ifd->unqueued)
		futex_unqueue_multiple(ifd->v, ifd->nr);
	io_futex_complete(req);
}

static void io_futexv_wake_fn(struct wake_q_head *wake_q, struct futex_q *q)
{
	struct io_futex_data *ifd = q->wake_data;
	struct io_kiocb *req = ifd->req;
	bool won = !test_and_set_bit(IO_FUTEX_OWNED, &ifd->owned);

	if (won)
		ifd->woken = container_of(q, struct futex_vector, q) - ifd->v;
	if (!__futex_wake_mark(q) || !won)
		return;
	io_req_set_res(req, ifd->woken, 0);
	req->tw_func = io_futexv_complete;
	io_req_task_work_add(req);
}

bool io_futex_cancel(struct io_kiocb *req)
{
	struct io_futex_data *ifd = req->async_data;

	if (test_and_set_bit(IO_FUTEX_OWNED, &ifd->owned))
		return false;
	/* waits for a waker holding the bucket lock to be done with it */
	if (req->opcode == IORING_OP_FUTEX_WAITV)
		futex_unqueue_multiple(ifd->v, ifd->nr);
	else
		futex_unqueue(&ifd->q);
	io_req_set_res(req, -ECANCELED, 0);
	io_futex_complete(req);
	return true;
}

int io_futex_wait(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_futex *iof = io_kiocb_to_cmd(req, struct io_futex);
	struct io_futex_data *ifd;
	struct futex_hash_bucket *hb;
	int ret;

	io_waiter_init(req);
	ifd = kzalloc(sizeof(*ifd), GFP_KERNEL_ACCOUNT);
	if (!ifd) {
		ret = -ENOMEM;
		goto fail;
	}
	ifd->req = req;
	ifd->q = futex_q_init;
	ifd->q.bitset = iof->mask;
	ifd->q.wake = io_futex_wake_fn;
	ifd->q.wake_data = ifd;
	/* locks the bucket and compares *uaddr with val */
	ret = futex_wait_setup(iof->uaddr, iof->val, iof->flags, &ifd->q, &hb);
	if (ret) {
		kfree(ifd);
		goto fail;
	}
	req->async_data = ifd;
	req->flags |= REQ_F_NEED_CLEANUP;
	io_waiter_add(req);
	futex_queue(&ifd->q, hb, NULL);
	return IOU_ISSUE_SKIP_COMPLETE;
fail:
	/* -EWOULDBLOCK (the value changed) is the answer, not a retry */
	io_req_set_res(req, ret, 0);
	return IOU_OK;
}

int io_futexv_wait(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_futex *iof = io_kiocb_to_cmd(req, struct io_futex);
	struct io_futex_data *ifd;
	int ret, woken = -1;

	io_waiter_init(req);
	ifd = kzalloc(struct_size(ifd, v, iof->nr), GFP_KERNEL_ACCOUNT);
	if (!ifd) {
		ret = -ENOMEM;
		goto fail;
	}
	ifd->req = req;
	ifd->nr = iof->nr;
	ret = futex_parse_waitv(ifd->v, iof->uaddr, iof->nr,
				io_futexv_wake_fn, ifd);
	if (ret)
		goto fail_free;
	/* visible to wakers from the first queued entry on */
	req->async_data = ifd;
	req->flags |= REQ_F_NEED_CLEANUP;
	ret = futex_wait_multiple_setup(ifd->v, ifd->nr, &woken);
	/* it set TASK_INTERRUPTIBLE for a sleep we do not take */
	__set_current_state(TASK_RUNNING);
	if (ret < 0)
		goto fail;
	if (ret == 1) {
		/*
		 * An entry was woken while the others were being queued, and
		 * setup unqueued them all. The waker ran our callback: if it
		 * claimed the request, its task_work completes it (with the
		 * index it saw) and we must not; else we complete it here.
		 * That task_work runs in this task, after we return.
		 */
		ifd->unqueued = true;
		if (test_and_set_bit(IO_FUTEX_OWNED, &ifd->owned))
			return IOU_ISSUE_SKIP_COMPLETE;
		io_req_set_res(req, woken, 0);
		return IOU_OK;
	}
	io_waiter_add(req);
	return IOU_ISSUE_SKIP_COMPLETE;
fail_free:
	kfree(ifd);
	req->async_data = NULL;
fail:
	io_req_set_res(req, ret, 0);
	return IOU_OK;
}

int io_futex_wake(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_futex *iof = io_kiocb_to_cmd(req, struct io_futex);
	int ret;

	/*
	 * val is how many to wake; the result is how many were woken. Strict,
	 * as futex_wake(2): asking for none wakes none (not one).
	 */
	ret = futex_wake(iof->uaddr, FLAGS_STRICT | iof->flags, iof->val,
			 iof->mask);
	io_req_set_res(req, ret, 0);
	return IOU_OK;
}
