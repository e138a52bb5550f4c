// SPDX-License-Identifier: GPL-2.0
/*
 * Networking ops that set sockets up: ACCEPT (multishot too), CONNECT,
 * SOCKET, SHUTDOWN, BIND, LISTEN. A socket made by ACCEPT or SOCKET goes
 * into a new fd or a fixed file slot (a direct descriptor).
 *
 * As for data (net.c), the first attempt never blocks; an accept or a
 * connect that would parks the request in an internal poll.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/file.h>
#include <linux/net.h>
#include <linux/socket.h>
#include <linux/slab.h>
#include <net/sock.h>
#include <linux/io_uring_types.h>
#include <uapi/linux/io_uring/bpf_filter.h>

#include "io_uring.h"
#include "filetable.h"
#include "net.h"
#include "sock.h"
#include "bpf_filter.h"

#define IO_ACCEPT_FLAGS		(IORING_ACCEPT_MULTISHOT | \
				 IORING_ACCEPT_DONTWAIT | \
				 IORING_ACCEPT_POLL_FIRST)

struct io_accept {
	struct file			*file;
	struct sockaddr __user		*addr;
	int __user			*addr_len;
	int				flags;
	u32				file_slot;
	u16				ioprio;
	bool				polled;
};

struct io_connect {
	struct file			*file;
	int				addr_len;
	bool				in_progress;
	bool				polled;
};

/* socket(domain, type, protocol), into an fd or a fixed slot */
struct io_socket {
	struct file			*file;
	u32				file_slot;
	int				flags;
	int				domain;
	int				type;
	int				protocol;
};

struct io_shutdown {
	struct file			*file;
	int				how;
};

struct io_bind {
	struct file			*file;
	int				addr_len;
	int				backlog;
};

/* CONNECT and BIND: the kernel copy of the address */
struct io_sock_addr {
	struct sockaddr_storage		addr;
};

static struct io_sock_addr *io_sock_addr_alloc(struct io_kiocb *req)
{
	struct io_sock_addr *sa = kmalloc(sizeof(*sa), GFP_KERNEL_ACCOUNT);

	if (!sa)
		return NULL;
	req->async_data = sa;
	req->flags |= REQ_F_NEED_CLEANUP;
	return sa;
}

/**
 * io_sock_addr_cleanup - free the address of a CONNECT or BIND
 * @req: the request
 */
void io_sock_addr_cleanup(struct io_kiocb *req)
{
	kfree(req->async_data);
	req->async_data = NULL;
}

/* ---- ACCEPT ---------------------------------------------------------- */

int io_accept_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_accept *accept = io_kiocb_to_cmd(req, struct io_accept);

	if (READ_ONCE(sqe->len) || READ_ONCE(sqe->buf_index))
		return -EINVAL;
	accept->addr = u64_to_user_ptr(READ_ONCE(sqe->addr));
	accept->addr_len = u64_to_user_ptr(READ_ONCE(sqe->addr2));
	accept->flags = READ_ONCE(sqe->accept_flags);
	accept->file_slot = READ_ONCE(sqe->file_index);
	accept->ioprio = READ_ONCE(sqe->ioprio);
	accept->polled = false;
	if (accept->ioprio & ~IO_ACCEPT_FLAGS)
		return -EINVAL;
	if (accept->flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	/* a direct descriptor has no close-on-exec */
	if (accept->file_slot && (accept->flags & SOCK_CLOEXEC))
		return -EINVAL;
	if (accept->ioprio & IORING_ACCEPT_MULTISHOT) {
		/* many sockets cannot go to one fixed slot */
		if (accept->file_slot &&
		    accept->file_slot != IORING_FILE_INDEX_ALLOC)
			return -EINVAL;
		if (req->flags & IOSQE_CQE_SKIP_SUCCESS)
			return -EINVAL;
		req->flags |= REQ_F_MSHOT;
	}
	/* the new file's flags: SOCK_NONBLOCK is O_NONBLOCK on most arches */
	if (accept->flags & SOCK_NONBLOCK)
		accept->flags = (accept->flags & ~SOCK_NONBLOCK) | O_NONBLOCK;
	return 0;
}

/*
 * One connection: its fd or slot, or -errno. *nonempty says whether the
 * listener has more queued (IORING_CQE_F_SOCK_NONEMPTY); protocols that
 * cannot tell leave it false.
 */
static int io_accept_one(struct io_kiocb *req, unsigned int issue_flags,
			 bool *nonempty)
{
	struct io_accept *accept = io_kiocb_to_cmd(req, struct io_accept);
	struct proto_accept_arg arg = {
		.flags = (issue_flags & IO_URING_F_NONBLOCK) ? O_NONBLOCK : 0,
		.is_empty = -1,
	};
	struct file *file;
	int fd = 0;

	*nonempty = false;
	if (!accept->file_slot) {
		fd = get_unused_fd_flags(accept->flags);
		if (fd < 0)
			return fd;
	}
	file = do_accept(req->file, &arg, accept->addr, accept->addr_len,
			 accept->flags);
	if (IS_ERR(file)) {
		if (!accept->file_slot)
			put_unused_fd(fd);
		return PTR_ERR(file);
	}
	*nonempty = arg.is_empty == 0;
	if (!accept->file_slot) {
		fd_install(fd, file);
		return fd;
	}
	return io_fixed_fd_install(req, issue_flags, file, accept->file_slot);
}

int io_accept(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_accept *accept = io_kiocb_to_cmd(req, struct io_accept);
	bool mshot = req->flags & REQ_F_MSHOT;
	unsigned int nr_cqes = 0;
	u32 cflags = 0;
	bool nonempty;
	int ret;

	if (unlikely(!sock_from_file(req->file)))
		return -ENOTSOCK;
	if ((accept->ioprio & IORING_ACCEPT_POLL_FIRST) && !accept->polled &&
	    (issue_flags & IO_URING_F_NONBLOCK)) {
		accept->polled = true;
		return -EAGAIN;
	}
	for (;;) {
		ret = io_accept_one(req, issue_flags, &nonempty);
		if (ret == -EAGAIN && !(accept->ioprio & IORING_ACCEPT_DONTWAIT)) {
			ret = io_net_would_block(req, issue_flags, EPOLLIN);
			if (ret <= 0)
				return ret;
			continue;
		}
		cflags = nonempty ? IORING_CQE_F_SOCK_NONEMPTY : 0;
		if (ret < 0 || !mshot)
			break;
		/* multishot: one CQE per connection, until one cannot post */
		if (!io_post_aux_cqe(req->ctx, req->cqe.user_data, ret,
				     cflags | IORING_CQE_F_MORE, issue_flags))
			break;
		/* a flood of connections: let others run, poll finds the rest */
		if ((issue_flags & IO_URING_F_NONBLOCK) &&
		    ++nr_cqes >= IO_MSHOT_BATCH)
			return -EAGAIN;
		cond_resched();
	}
	ret = io_restart_to_eintr(ret);
	io_req_set_res(req, ret, ret < 0 ? 0 : cflags);
	return IOU_OK;
}

/* ---- CONNECT, SOCKET, SHUTDOWN, BIND, LISTEN --------------------------- */

int io_connect_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_connect *conn = io_kiocb_to_cmd(req, struct io_connect);
	struct io_sock_addr *am;

	if (READ_ONCE(sqe->len) || READ_ONCE(sqe->buf_index) ||
	    READ_ONCE(sqe->rw_flags) || READ_ONCE(sqe->splice_fd_in))
		return -EINVAL;
	conn->addr_len = READ_ONCE(sqe->addr2);
	conn->in_progress = false;
	conn->polled = false;
	am = io_sock_addr_alloc(req);
	if (!am)
		return -ENOMEM;
	return move_addr_to_kernel(u64_to_user_ptr(READ_ONCE(sqe->addr)),
				   conn->addr_len, &am->addr);
}

int io_connect(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_connect *conn = io_kiocb_to_cmd(req, struct io_connect);
	struct io_sock_addr *am = req->async_data;
	struct socket *sock = sock_from_file(req->file);
	int ret;

	if (unlikely(!sock))
		return -ENOTSOCK;
	for (;;) {
		ret = __sys_connect_file(req->file, &am->addr, conn->addr_len,
					 (issue_flags & IO_URING_F_NONBLOCK) ?
					 O_NONBLOCK : 0);
		if (conn->in_progress) {
			/* the connect we started earlier: how did it end? */
			if (ret == -EISCONN) {
				ret = 0;
				break;
			}
			if (ret == -EALREADY)
				ret = -EAGAIN;
			else if (ret != -EAGAIN && ret != -EINPROGRESS)
				break;
		}
		if (ret != -EINPROGRESS && ret != -EAGAIN)
			break;
		conn->in_progress = true;
		/* connect again once writable: it reports how it ended */
		ret = io_net_would_block(req, issue_flags, EPOLLOUT);
		if (ret <= 0)
			return ret;
	}
	io_req_set_res(req, io_restart_to_eintr(ret), 0);
	return IOU_OK;
}

int io_socket_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_socket *sk = io_kiocb_to_cmd(req, struct io_socket);
	int type = READ_ONCE(sqe->off);
	u32 slot = READ_ONCE(sqe->file_index);
	int flags = type & ~SOCK_TYPE_MASK;

	/* socket(2) arguments only: no address, rw flags or buffer */
	if (READ_ONCE(sqe->addr) || READ_ONCE(sqe->rw_flags) ||
	    READ_ONCE(sqe->buf_index))
		return -EINVAL;
	/* the flags socket(2) takes; a fixed slot has no close-on-exec */
	if ((flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) ||
	    (slot && (flags & SOCK_CLOEXEC)))
		return -EINVAL;
	sk->file_slot = slot;
	sk->flags = flags;
	sk->protocol = READ_ONCE(sqe->len);
	sk->type = type;
	sk->domain = READ_ONCE(sqe->fd);
	return 0;
}

/**
 * io_socket_bpf_pdu - a SOCKET request's arguments, for BPF filters
 * @req: the prepared request
 * @bctx: the filters' context, whose socket payload this fills
 */
void io_socket_bpf_pdu(struct io_kiocb *req, struct io_uring_bpf_ctx *bctx)
{
	struct io_socket *sk = io_kiocb_to_cmd(req, struct io_socket);

	bctx->socket.family = sk->domain;
	bctx->socket.type = sk->type;
	bctx->socket.protocol = sk->protocol;
}

int io_socket(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_socket *sk = io_kiocb_to_cmd(req, struct io_socket);
	struct file *file;
	int fd = 0, ret;

	if (!sk->file_slot) {
		fd = get_unused_fd_flags(sk->flags & SOCK_CLOEXEC ? O_CLOEXEC : 0);
		if (fd < 0) {
			io_req_set_res(req, fd, 0);
			return IOU_OK;
		}
	}
	file = __sys_socket_file(sk->domain, sk->type, sk->protocol);
	if (IS_ERR(file)) {
		if (!sk->file_slot)
			put_unused_fd(fd);
		ret = PTR_ERR(file);
	} else if (!sk->file_slot) {
		fd_install(fd, file);
		ret = fd;
	} else {
		ret = io_fixed_fd_install(req, issue_flags, file, sk->file_slot);
	}
	io_req_set_res(req, ret, 0);
	return IOU_OK;
}

int io_shutdown_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_shutdown *shut = io_kiocb_to_cmd(req, struct io_shutdown);

	if (READ_ONCE(sqe->off) || READ_ONCE(sqe->addr) ||
	    READ_ONCE(sqe->rw_flags) || READ_ONCE(sqe->buf_index) ||
	    READ_ONCE(sqe->splice_fd_in))
		return -EINVAL;
	shut->how = READ_ONCE(sqe->len);
	return 0;
}

int io_shutdown(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_shutdown *shut = io_kiocb_to_cmd(req, struct io_shutdown);
	struct socket *sock = sock_from_file(req->file);

	if (!sock)
		return -ENOTSOCK;
	io_req_set_res(req, __sys_shutdown_sock(sock, shut->how), 0);
	return IOU_OK;
}

int io_bind_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_bind *bind = io_kiocb_to_cmd(req, struct io_bind);
	struct io_sock_addr *am;

	if (READ_ONCE(sqe->len) || READ_ONCE(sqe->buf_index) ||
	    READ_ONCE(sqe->rw_flags) || READ_ONCE(sqe->splice_fd_in))
		return -EINVAL;
	bind->addr_len = READ_ONCE(sqe->addr2);
	am = io_sock_addr_alloc(req);
	if (!am)
		return -ENOMEM;
	return move_addr_to_kernel(u64_to_user_ptr(READ_ONCE(sqe->addr)),
				   bind->addr_len, &am->addr);
}

int io_bind(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_bind *bind = io_kiocb_to_cmd(req, struct io_bind);
	struct io_sock_addr *am = req->async_data;
	struct socket *sock = sock_from_file(req->file);

	if (!sock)
		return -ENOTSOCK;
	io_req_set_res(req, __sys_bind_socket(sock, &am->addr, bind->addr_len), 0);
	return IOU_OK;
}

int io_listen_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_bind *bind = io_kiocb_to_cmd(req, struct io_bind);

	if (READ_ONCE(sqe->addr) || READ_ONCE(sqe->buf_index) ||
	    READ_ONCE(sqe->rw_flags) || READ_ONCE(sqe->splice_fd_in) ||
	    READ_ONCE(sqe->addr2))
		return -EINVAL;
	bind->backlog = READ_ONCE(sqe->len);
	return 0;
}

int io_listen(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_bind *bind = io_kiocb_to_cmd(req, struct io_bind);
	struct socket *sock = sock_from_file(req->file);

	if (!sock)
		return -ENOTSOCK;
	io_req_set_res(req, __sys_listen_socket(sock, bind->backlog), 0);
	return IOU_OK;
}
