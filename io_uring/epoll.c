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

struct io_epoll {
	struct file		*file;
	int			epfd;
	int			op;
	int			fd;
	struct epoll_event	event;
};

int io_epoll_ctl_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_epoll *ep = io_kiocb_to_cmd(req, struct io_epoll);

	if (READ_ONCE(sqe->buf_index) || READ_ONCE(sqe->splice_fd_in))
		return -EINVAL;
	ep->epfd = READ_ONCE(sqe->fd);
	ep->op = READ_ONCE(sqe->len);
	ep->fd = READ_ONCE(sqe->off);
	if (ep_op_has_event(ep->op) &&
	    copy_from_user(&ep->event, u64_to_user_ptr(READ_ONCE(sqe->addr)),
			   sizeof(ep->event)))
		return -EFAULT;
	return 0;
}

int io_epoll_ctl(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_epoll *ep = io_kiocb_to_cmd(req, struct io_epoll);
	bool nonblock = issue_flags & IO_URING_F_NONBLOCK;
	int ret;

	ret = do_epoll_ctl(ep->epfd, ep->op, ep->fd, &ep->event, nonblock);
	if (nonblock && ret == -EAGAIN)
		return -EAGAIN;
	io_req_set_res(req, ret, 0);
	return IOU_OK;
}
