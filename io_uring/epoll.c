// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_EPOLL_CTL: epoll_ctl(2) from the ring. The event is copied at
 * submission; an operation that would have to wait for the epoll mutex
 * goes to io-wq.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/eventpoll.h>
#include <linux/uaccess.h>
#include <linux/io_uring_types.h>

#include "io_uring.h"
#include "epoll.h"

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
