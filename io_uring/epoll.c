// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_EPOLL_CTL: epoll_ctl(2) from the ring. The event is copied at
 * submission; an operation that would have to wait for the epoll mutex
 * goes to io-wq.
 *
 * IORING_OP_EPOLL_WAIT (6.15): epoll_wait(2) without a timeout. With no
 * event ready it waits for the epoll file to poll readable (an internal
 * poll, as any file's read does), then takes what is there.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/eventpoll.h>
#include <linux/uaccess.h>
#include <linux/io_uring_types.h>

#include "io_uring.h"
#include "epoll.h"
#include "poll.h"

/* epoll_ctl(epoll_fd, cmd, target_fd, &ev), as the SQE gives it */
struct io_epoll_ctl {
	struct file		*file;
	struct epoll_event	ev;
	int			cmd;
	int			target_fd;
	int			epoll_fd;
};

int io_epoll_ctl_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_epoll_ctl *ec = io_kiocb_to_cmd(req, struct io_epoll_ctl);
	void __user *uev = u64_to_user_ptr(READ_ONCE(sqe->addr));

	ec->cmd = READ_ONCE(sqe->len);
	ec->target_fd = READ_ONCE(sqe->off);
	ec->epoll_fd = READ_ONCE(sqe->fd);
	if (READ_ONCE(sqe->splice_fd_in) || READ_ONCE(sqe->buf_index))
		return -EINVAL;
	/* EPOLL_CTL_DEL carries no event */
	if (!ep_op_has_event(ec->cmd))
		return 0;
	return copy_from_user(&ec->ev, uev, sizeof(ec->ev)) ? -EFAULT : 0;
}

int io_epoll_ctl(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_epoll_ctl *ec = io_kiocb_to_cmd(req, struct io_epoll_ctl);
	bool nonblock = issue_flags & IO_URING_F_NONBLOCK;
	int ret;

	ret = do_epoll_ctl(ec->epoll_fd, ec->cmd, ec->target_fd, &ec->ev,
			   nonblock);
	if (nonblock && ret == -EAGAIN)
		return -EAGAIN;
	io_req_set_res(req, ret, 0);
	return IOU_OK;
}

/* epoll_wait(epoll_fd, events, maxevents, -1) */
struct io_epoll_wait {
	struct file			*file;
	struct epoll_event __user	*events;
	int				maxevents;
};

int io_epoll_wait_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_epoll_wait *ew = io_kiocb_to_cmd(req, struct io_epoll_wait);

	if (READ_ONCE(sqe->off) || READ_ONCE(sqe->rw_flags) ||
	    READ_ONCE(sqe->buf_index) || READ_ONCE(sqe->splice_fd_in))
		return -EINVAL;
	ew->maxevents = READ_ONCE(sqe->len);
	ew->events = u64_to_user_ptr(READ_ONCE(sqe->addr));
	return 0;
}

int io_epoll_wait(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_epoll_wait *ew = io_kiocb_to_cmd(req, struct io_epoll_wait);
	int ret;

	for (;;) {
		ret = epoll_sendevents(req->file, ew->events, ew->maxevents);
		if (ret)
			break;
		/* nothing ready: wait in a poll of the epoll file */
		if (issue_flags & IO_URING_F_NONBLOCK)
			return -EAGAIN;
		/* an io worker (IOSQE_ASYNC) sleeps on it instead */
		ret = io_file_wait_ready(req->file, EPOLLIN);
		if (ret)
			break;
	}
	io_req_set_res(req, ret, 0);
	return IOU_OK;
}
