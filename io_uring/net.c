// SPDX-License-Identifier: GPL-2.0
/*
 * Networking ops that move data: SEND, RECV, SENDMSG, RECVMSG, SEND_ZC,
 * SENDMSG_ZC (the ops that set sockets up are in sock.c).
 *
 * The first attempt never blocks (MSG_DONTWAIT); a socket that would
 * block parks the request in an internal poll and the op runs again
 * when the socket is ready. O_NONBLOCK on the socket does not change
 * that: io_uring waits for the data, as read(2) on a blocking socket
 * would. Stream sockets get the whole buffer with MSG_WAITALL, and sends
 * on them are finished across retries; the progress is kept in the
 * request.
 *
 * With IOSQE_BUFFER_SELECT a receive takes a provided buffer once data
 * is there (kbuf.c); IORING_RECV_MULTISHOT keeps receiving, one CQE with
 * IORING_CQE_F_MORE per buffer filled, until an error, end of stream, no
 * buffer (-ENOBUFS) or a full CQ ends it with a CQE without F_MORE.
 * RECVMSG multishot lays each buffer out as struct io_uring_recvmsg_out,
 * the name, the control data and the payload. IORING_RECVSEND_BUNDLE
 * fills (or sends) several consecutive ring buffers at once.
 *
 * SEND_ZC and SENDMSG_ZC keep the zero-copy protocol (a result CQE with
 * IORING_CQE_F_MORE, then an IORING_CQE_F_NOTIF CQE once the buffer is
 * free again) but copy the data: the buffer is free as soon as the send
 * returns, and IORING_SEND_ZC_REPORT_USAGE says so
 * (IORING_NOTIF_USAGE_ZC_COPIED).
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/file.h>
#include <linux/net.h>
#include <linux/socket.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/compat.h>
#include <net/sock.h>
#include <linux/io_uring_types.h>

#include "io_uring.h"
#include "opdef.h"
#include "rsrc.h"
#include "poll.h"
#include "kbuf.h"
#include "net.h"
#include "notif.h"

#define IO_SEND_FLAGS		(IORING_RECVSEND_POLL_FIRST | \
				 IORING_RECVSEND_BUNDLE | \
				 IORING_SEND_VECTORIZED)
#define IO_RECV_FLAGS		(IORING_RECVSEND_POLL_FIRST | \
				 IORING_RECV_MULTISHOT | \
				 IORING_RECVSEND_BUNDLE)
/* a multishot receive posts at most this many CQEs per turn */
#define IO_SEND_ZC_FLAGS	(IORING_RECVSEND_POLL_FIRST | \
				 IORING_RECVSEND_FIXED_BUF | \
				 IORING_SEND_ZC_REPORT_USAGE | \
				 IORING_SEND_VECTORIZED)

struct io_sr_msg {
	struct file			*file;
	union {
		void __user		*buf;
		struct user_msghdr __user *umsg;
	};
	/* SEND, SEND_ZC: destination address (sqe->addr2), if any */
	void __user			*addr;
	u32				len;
	/* bytes moved by earlier attempts of this request */
	u32				done_io;
	unsigned int			msg_flags;
	u16				flags;
	u16				addr_len;
	bool				polled;
	/* SEND_ZC: the send reached the socket; its notification */
	bool				zc_issued;
	/* multishot RECV: bytes until its total (sqe->optlen) is reached */
	u32				mshot_left;
	struct io_kiocb			*notif;
};

/* SENDMSG/RECVMSG, and SEND with an address: the kernel copy of it all */
struct io_async_msghdr {
	struct iovec			fast_iov[UIO_FASTIOV];
	struct iovec			*free_iov;
	struct msghdr			msg;
	struct sockaddr_storage		addr;
	/* RECVMSG: where the peer address goes */
	struct sockaddr __user		*uaddr;
	void __user			*control;
	__kernel_size_t			controllen;
	/* RECVMSG with provided buffers: the name room user space asked for */
	u32				namelen;
	/* SENDMSG_ZC with a registered buffer: its pages the iovecs cover */
	struct bio_vec			*bvec;
};

static bool io_net_stream(struct socket *sock)
{
	return sock->type == SOCK_STREAM || sock->type == SOCK_SEQPACKET;
}

void io_netmsg_cleanup(struct io_kiocb *req)
{
	struct io_async_msghdr *am = req->async_data;

	kfree(am->free_iov);
	kvfree(am->bvec);
	kfree(am);
	req->async_data = NULL;
}

static struct io_async_msghdr *io_netmsg_alloc(struct io_kiocb *req)
{
	struct io_async_msghdr *am;

	am = kmalloc(sizeof(*am), GFP_KERNEL_ACCOUNT);
	if (!am)
		return NULL;
	am->free_iov = NULL;
	am->uaddr = NULL;
	am->bvec = NULL;
	req->async_data = am;
	req->flags |= REQ_F_NEED_CLEANUP;
	return am;
}

/**
 * io_net_would_block - a socket op that would block
 * @req: the request
 * @issue_flags: as it was issued
 * @events: what it waits for (EPOLLIN, EPOLLOUT)
 *
 * Inline, it waits for the socket in a poll; in an io worker, right here
 * (the socket may be O_NONBLOCK).
 *
 * Return: -EAGAIN inline, 1 to try again once ready, -EINTR when the
 * worker is told to cancel.
 */
int io_net_would_block(struct io_kiocb *req, unsigned int issue_flags,
		       __poll_t events)
{
	int ret;

	if (issue_flags & IO_URING_F_NONBLOCK)
		return -EAGAIN;
	ret = io_file_wait_ready(req->file, events);
	return ret ?: 1;
}

/* ---- SEND, RECV, SENDMSG, RECVMSG ------------------------------------ */

static int io_sr_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe,
		      u16 allowed)
{
	struct io_sr_msg *sr = io_kiocb_to_cmd(req, struct io_sr_msg);

	sr->buf = u64_to_user_ptr(READ_ONCE(sqe->addr));
	sr->len = READ_ONCE(sqe->len);
	sr->flags = READ_ONCE(sqe->ioprio);
	sr->msg_flags = READ_ONCE(sqe->msg_flags);
	sr->done_io = 0;
	sr->polled = false;
	sr->addr = NULL;
	sr->zc_issued = false;
	sr->mshot_left = 0;
	sr->notif = NULL;
	/*
	 * Not user space's to pass, and ignored as upstream does: the flags
	 * of in-kernel senders (MSG_SPLICE_PAGES: the skb would take the
	 * user's pages with a pin nobody drops) and MSG_CMSG_COMPAT (the
	 * compat syscalls' layout of control messages).
	 */
	sr->msg_flags &= ~(MSG_INTERNAL_SENDMSG_FLAGS | MSG_CMSG_COMPAT);
	if (sr->flags & ~allowed)
		return -EINVAL;
	if ((sr->flags & IORING_RECVSEND_BUNDLE) &&
	    !(req->flags & IOSQE_BUFFER_SELECT))
		return -EINVAL;
	if (sr->flags & IORING_RECV_MULTISHOT) {
		/* each CQE needs a buffer of its own; WAITALL cannot apply */
		if (!(req->flags & IOSQE_BUFFER_SELECT) ||
		    (sr->msg_flags & MSG_WAITALL) ||
		    (req->flags & IOSQE_CQE_SKIP_SUCCESS))
			return -EINVAL;
		req->flags |= REQ_F_MSHOT;
	}
	return 0;
}

static int io_msg_copy_hdr(struct io_kiocb *req, struct io_sr_msg *sr,
			   bool recv)
{
	struct io_async_msghdr *am;
	struct user_msghdr umsg;
	struct iovec *iov;
	int ret;

	if (in_compat_syscall())
		return -EOPNOTSUPP;
	if (copy_from_user(&umsg, sr->umsg, sizeof(umsg)))
		return -EFAULT;
	am = io_netmsg_alloc(req);
	if (!am)
		return -ENOMEM;
	memset(&am->msg, 0, sizeof(am->msg));
	am->msg.msg_name = &am->addr;
	ret = __copy_msghdr(&am->msg, &umsg, recv ? &am->uaddr : NULL);
	if (ret)
		return ret;
	if (req->flags & IOSQE_BUFFER_SELECT) {
		/* one iovec at most: its length caps the buffer's */
		if (umsg.msg_iovlen > 1)
			return -EINVAL;
		if (umsg.msg_iovlen) {
			struct iovec uiov;

			if (copy_from_user(&uiov, umsg.msg_iov, sizeof(uiov)))
				return -EFAULT;
			sr->len = uiov.iov_len;
		}
		am->namelen = umsg.msg_namelen;
		/*
		 * Multishot lays out header, name room and control room in
		 * each buffer: their sum must be a length (-EOVERFLOW, as
		 * 6.12), or the offsets computed from it would wrap.
		 */
		if (recv && (req->flags & REQ_F_MSHOT)) {
			size_t hdr;

			if (check_add_overflow(sizeof(struct io_uring_recvmsg_out),
					       (size_t)umsg.msg_namelen, &hdr) ||
			    check_add_overflow(hdr, (size_t)umsg.msg_controllen,
					       &hdr) ||
			    hdr > INT_MAX)
				return -EOVERFLOW;
		}
	} else {
		iov = am->fast_iov;
		ret = __import_iovec(recv ? ITER_DEST : ITER_SOURCE,
				     umsg.msg_iov, umsg.msg_iovlen, UIO_FASTIOV,
				     &iov, &am->msg.msg_iter, false);
		if (ret < 0)
			return ret;
		am->free_iov = iov;
	}
	/* the control buffer pointer moves as it is used: keep the start */
	am->control = am->msg.msg_control_user;
	am->controllen = am->msg.msg_controllen;
	return 0;
}

/*
 * IORING_SEND_VECTORIZED: sqe->addr is an iovec array of sqe->len
 * entries, read once here; the iterator goes on from where a partial
 * send left it.
 */
static int io_send_import_iovec(struct io_async_msghdr *am,
				struct io_sr_msg *sr)
{
	struct iovec *iov = am->fast_iov;
	ssize_t ret;

	memset(&am->msg, 0, sizeof(am->msg));
	ret = __import_iovec(ITER_SOURCE, sr->buf, sr->len, UIO_FASTIOV, &iov,
			     &am->msg.msg_iter, in_compat_syscall());
	if (ret < 0)
		return ret;
	am->free_iov = iov;
	return 0;
}

/* SEND_ZC, SENDMSG_ZC: the notification, once everything else checked out */
static int io_send_zc_prep_notif(struct io_kiocb *req, struct io_sr_msg *sr)
{
	if (req->opcode != IORING_OP_SEND_ZC &&
	    req->opcode != IORING_OP_SENDMSG_ZC)
		return 0;
	sr->notif = io_notif_alloc(req, sr->flags &
				   IORING_SEND_ZC_REPORT_USAGE);
	if (!sr->notif)
		return -ENOMEM;
	req->flags |= REQ_F_NOTIF | REQ_F_NEED_CLEANUP;
	return 0;
}

/**
 * io_send_zc_cqe_flags - a zero-copy send's CQE is being filled
 * @req: the SEND_ZC or SENDMSG_ZC request (uring_lock held)
 *
 * Return: IORING_CQE_F_MORE if its notification CQE follows.
 */
u32 io_send_zc_cqe_flags(struct io_kiocb *req)
{
	struct io_sr_msg *sr = io_kiocb_to_cmd(req, struct io_sr_msg);

	return io_notif_posts(sr->notif, sr->zc_issued) ? IORING_CQE_F_MORE :
							  0;
}

/**
 * io_send_zc_cleanup - free what a zero-copy send holds
 * @req: the request being freed, its CQE posted (uring_lock held)
 *
 * The notification goes on alone: its CQE comes when the last skb lets
 * go of the pages (or at once, if none has them).
 */
void io_send_zc_cleanup(struct io_kiocb *req)
{
	struct io_sr_msg *sr = io_kiocb_to_cmd(req, struct io_sr_msg);

	if (sr->notif) {
		io_notif_release(sr->notif);
		sr->notif = NULL;
	}
	if (req->async_data)
		io_netmsg_cleanup(req);
}

/*
 * SENDMSG_ZC with IORING_RECVSEND_FIXED_BUF (6.15): the msghdr's iovecs
 * must lie inside registered buffer buf_index (-EFAULT otherwise); the
 * send then attaches those pages, as SEND_ZC does one range of them.
 */
static int io_sendmsg_zc_fixed(struct io_kiocb *req,
			       const struct io_uring_sqe *sqe)
{
	struct io_async_msghdr *am = req->async_data;
	int ret;

	/* a registered buffer, not one picked from a group */
	if (req->flags & IOSQE_BUFFER_SELECT)
		return -EINVAL;
	ret = io_buf_node_get(req, READ_ONCE(sqe->buf_index));
	if (ret)
		return ret;
	return io_import_fixed_iov(ITER_SOURCE, &am->msg.msg_iter,
				   req->buf_node->buf, &am->bvec);
}

int io_sendmsg_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_sr_msg *sr = io_kiocb_to_cmd(req, struct io_sr_msg);
	int ret;

	if (req->opcode == IORING_OP_SEND_ZC ||
	    req->opcode == IORING_OP_SENDMSG_ZC) {
		ret = io_sr_prep(req, sqe, IO_SEND_ZC_FLAGS);
		/* the notification CQE cannot be skipped */
		if (!ret && (req->flags & IOSQE_CQE_SKIP_SUCCESS))
			ret = -EINVAL;
	} else {
		ret = io_sr_prep(req, sqe, IO_SEND_FLAGS);
	}
	if (ret)
		return ret;
	if (req->opcode == IORING_OP_SENDMSG ||
	    req->opcode == IORING_OP_SENDMSG_ZC) {
		/* the msghdr has the iovecs already */
		if (READ_ONCE(sqe->addr2) || READ_ONCE(sqe->file_index) ||
		    (sr->flags & IORING_SEND_VECTORIZED))
			return -EINVAL;
		ret = io_msg_copy_hdr(req, sr, false);
		if (ret)
			return ret;
		if (sr->flags & IORING_RECVSEND_FIXED_BUF) {
			ret = io_sendmsg_zc_fixed(req, sqe);
			if (ret)
				return ret;
		}
		/* (after the buffer: the notification holds it too) */
		return io_send_zc_prep_notif(req, sr);
	}
	/* SEND and SEND_ZC: sendto(2) with sqe->addr2 / addr_len */
	sr->addr = u64_to_user_ptr(READ_ONCE(sqe->addr2));
	sr->addr_len = READ_ONCE(sqe->addr_len);
	/* an iovec array (6.17) is the data: no buffer from elsewhere */
	if ((sr->flags & IORING_SEND_VECTORIZED) &&
	    ((sr->flags & (IORING_RECVSEND_FIXED_BUF | IORING_RECVSEND_BUNDLE)) ||
	     (req->flags & IOSQE_BUFFER_SELECT)))
		return -EINVAL;
	if (sr->flags & IORING_RECVSEND_FIXED_BUF) {
		ret = io_buf_node_get(req, READ_ONCE(sqe->buf_index));
		if (ret)
			return ret;
	} else if (READ_ONCE(sqe->buf_index) &&
		   !(req->flags & IOSQE_BUFFER_SELECT)) {
		return -EINVAL;
	}
	if (sr->addr || (sr->flags & IORING_SEND_VECTORIZED)) {
		struct io_async_msghdr *am = io_netmsg_alloc(req);

		if (!am)
			return -ENOMEM;
		if (sr->addr) {
			ret = move_addr_to_kernel(sr->addr, sr->addr_len,
						  &am->addr);
			if (ret)
				return ret;
		}
		if (sr->flags & IORING_SEND_VECTORIZED) {
			ret = io_send_import_iovec(am, sr);
			if (ret)
				return ret;
		}
	}
	return io_send_zc_prep_notif(req, sr);
}

int io_recvmsg_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_sr_msg *sr = io_kiocb_to_cmd(req, struct io_sr_msg);
	int ret;

	ret = io_sr_prep(req, sqe, IO_RECV_FLAGS);
	if (ret)
		return ret;
	if (READ_ONCE(sqe->addr2))
		return -EINVAL;
	/*
	 * optlen (file_index's bytes): a multishot RECV's total (6.17); 0
	 * is none. Nothing else receives with one: -EINVAL, as upstream.
	 */
	sr->mshot_left = READ_ONCE(sqe->optlen);
	if (sr->mshot_left && (req->opcode != IORING_OP_RECV ||
			       !(req->flags & REQ_F_MSHOT)))
		return -EINVAL;
	/* buf_index is the buffer group with IOSQE_BUFFER_SELECT */
	if (READ_ONCE(sqe->buf_index) && !(req->flags & IOSQE_BUFFER_SELECT))
		return -EINVAL;
	if ((sr->flags & IORING_RECVSEND_BUNDLE) &&
	    req->opcode == IORING_OP_RECVMSG)
		return -EINVAL;
	if (sr->msg_flags & MSG_ERRQUEUE)
		req->flags |= REQ_F_NOPOLL;
	if (req->opcode == IORING_OP_RECVMSG)
		return io_msg_copy_hdr(req, sr, true);
	return 0;
}

/* Give the op's iterator the provided buffer(s) it takes now. */
static int io_sr_select(struct io_kiocb *req, struct io_sr_msg *sr,
			struct msghdr *msg, struct iovec *iov, int ddir,
			unsigned int issue_flags)
{
	void __user *buf;
	size_t len = sr->len;
	int nr;

	if (sr->flags & IORING_RECVSEND_BUNDLE) {
		nr = io_buffers_select(req, iov, UIO_FASTIOV, sr->len,
				       issue_flags);
		if (nr < 0)
			return nr;
		iov_iter_init(&msg->msg_iter, ddir, iov, nr, req->sel.len);
		return 0;
	}
	buf = io_buffer_select(req, &len, issue_flags);
	if (!buf)
		return -ENOBUFS;
	return import_ubuf(ddir, buf + sr->done_io, len - sr->done_io,
			   &msg->msg_iter);
}

/*
 * RECVMSG multishot: the buffer gets struct io_uring_recvmsg_out, then
 * room for the name and the control data as large as the msghdr asked
 * for, then the payload. Returns the bytes of the buffer used, 0 at the
 * end of a stream, or -errno.
 */
static int io_recvmsg_mshot_once(struct io_kiocb *req, struct socket *sock,
				 unsigned int flags, unsigned int issue_flags,
				 u32 *cflags)
{
	struct io_async_msghdr *am = req->async_data;
	struct io_uring_recvmsg_out out;
	size_t hdr = sizeof(out) + am->namelen + am->controllen;
	size_t len = 0, room;
	struct msghdr msg = { };
	void __user *buf;
	int ret;

	buf = io_buffer_select(req, &len, issue_flags);
	if (!buf)
		return -ENOBUFS;
	if (len < hdr)
		return -EFAULT;
	room = len - hdr;
	msg.msg_name = &am->addr;
	msg.msg_control_user = buf + sizeof(out) + am->namelen;
	msg.msg_controllen = am->controllen;
	msg.msg_control_is_user = true;
	msg.msg_get_inq = 1;
	ret = import_ubuf(ITER_DEST, buf + hdr, room, &msg.msg_iter);
	if (ret)
		return ret;
	ret = sock_recvmsg(sock, &msg, flags);
	if (ret < 0)
		return ret;
	if (!ret && io_net_stream(sock))
		return 0;
	if (msg.msg_inq > 0)
		*cflags |= IORING_CQE_F_SOCK_NONEMPTY;
	out = (struct io_uring_recvmsg_out) {
		.namelen	= msg.msg_namelen,
		.controllen	= am->controllen - msg.msg_controllen,
		.payloadlen	= ret,
		.flags		= msg.msg_flags & ~MSG_CMSG_COMPAT,
	};
	if (copy_to_user(buf, &out, sizeof(out)) ||
	    copy_to_user(buf + sizeof(out), &am->addr,
			 min_t(u32, am->namelen, msg.msg_namelen)))
		return -EFAULT;
	/* MSG_TRUNC may report more than there was room for */
	return hdr + min_t(size_t, ret, room);
}

/* The message of one attempt, and the iterator over its data. */
static __always_inline int io_sr_msg_setup(struct io_kiocb *req,
					   struct msghdr *local,
					   struct msghdr **msgp, bool vectored,
					   int ddir, struct iovec *iov,
					   unsigned int issue_flags)
{
	struct io_sr_msg *sr = io_kiocb_to_cmd(req, struct io_sr_msg);
	struct io_async_msghdr *am = req->async_data;
	bool select = req->flags & IOSQE_BUFFER_SELECT;
	struct msghdr *msg;
	int ret = 0;

	if (vectored) {
		msg = &am->msg;
		msg->msg_control_user = am->control;
		msg->msg_controllen = am->controllen;
		msg->msg_control_is_user = true;
		*msgp = msg;
		if (select)
			ret = io_sr_select(req, sr, msg, iov, ddir, issue_flags);
		return ret;
	}
	msg = local;
	*msgp = msg;
	/*
	 * Every field but the iterator, which each branch below sets: a
	 * store apiece rather than clearing the whole struct on every send
	 * and receive.
	 */
	msg->msg_name = NULL;
	msg->msg_namelen = 0;
	msg->msg_inq = 0;
	msg->msg_control = NULL;
	msg->msg_control_is_user = false;
	msg->msg_get_inq = 0;
	msg->msg_flags = 0;
	msg->msg_controllen = 0;
	msg->msg_iocb = NULL;
	msg->msg_ubuf = NULL;
	msg->sg_from_iter = NULL;
	if (sr->addr) {
		msg->msg_name = &am->addr;
		msg->msg_namelen = sr->addr_len;
	}
	if (sr->flags & IORING_SEND_VECTORIZED)
		msg->msg_iter = am->msg.msg_iter;
	else if (select)
		ret = io_sr_select(req, sr, msg, iov, ddir, issue_flags);
	else if (req->buf_node)
		ret = io_import_fixed(ITER_SOURCE, &msg->msg_iter,
				      req->buf_node->buf,
				      (u64)(uintptr_t)sr->buf + sr->done_io,
				      sr->len - sr->done_io);
	else
		ret = import_ubuf(ddir, sr->buf + sr->done_io,
				  sr->len - sr->done_io, &msg->msg_iter);
	return ret;
}

/* The socket's send or receive of @msg. */
static __always_inline int io_sr_call(struct io_kiocb *req,
				      struct socket *sock, struct msghdr *msg,
				      unsigned int flags, bool send,
				      bool vectored, u32 *cflags)
{
	struct io_sr_msg *sr = io_kiocb_to_cmd(req, struct io_sr_msg);
	struct io_async_msghdr *am = req->async_data;
	int ret;

	if (send) {
		msg->msg_flags = flags;
		ret = vectored ? __sys_sendmsg_sock(sock, msg, flags) :
				 sock_sendmsg(sock, msg);
		/* the next attempt goes on where this one stopped */
		if (sr->flags & IORING_SEND_VECTORIZED)
			am->msg.msg_iter = msg->msg_iter;
		return ret;
	}
	msg->msg_get_inq = 1;
	msg->msg_inq = 0;
	if (vectored)
		ret = __sys_recvmsg_sock(sock, msg, sr->umsg, am->uaddr, flags);
	else
		ret = sock_recvmsg(sock, msg, flags);
	if (ret > 0 && msg->msg_inq > 0)
		*cflags |= IORING_CQE_F_SOCK_NONEMPTY;
	return ret;
}

/*
 * One attempt at the transfer; returns bytes moved, or -errno. Progress
 * of a partial transfer on a stream socket that must go on (a send, or
 * a MSG_WAITALL receive) is kept and -EAGAIN returned.
 */
static int io_sr_once(struct io_kiocb *req, struct socket *sock,
		      unsigned int issue_flags, bool send, u32 *cflags,
		      struct iovec *iov)
{
	struct io_sr_msg *sr = io_kiocb_to_cmd(req, struct io_sr_msg);
	bool vectored = req->opcode == IORING_OP_SENDMSG ||
			req->opcode == IORING_OP_RECVMSG ||
			req->opcode == IORING_OP_SENDMSG_ZC;
	bool select = req->flags & IOSQE_BUFFER_SELECT;
	int ddir = send ? ITER_SOURCE : ITER_DEST;
	unsigned int flags = sr->msg_flags;
	/* io_sr_msg_setup() writes what is used of it */
	struct msghdr local __uninitialized, *msg;
	size_t want;
	int ret;

	if (issue_flags & IO_URING_F_NONBLOCK)
		flags |= MSG_DONTWAIT;
	if (vectored && select && (req->flags & REQ_F_MSHOT))
		return io_recvmsg_mshot_once(req, sock, flags, issue_flags,
					     cflags);
	ret = io_sr_msg_setup(req, &local, &msg, vectored, ddir, iov,
			      issue_flags);
	if (unlikely(ret))
		return ret;
	want = iov_iter_count(&msg->msg_iter);
	if (send && sr->notif) {
		/* a registered buffer was charged when it was registered */
		if (!req->buf_node) {
			ret = io_notif_account(sr->notif, want);
			if (ret)
				return ret;
		}
		/* zero copy: the skbs hold the pages, and the notification */
		msg->msg_ubuf = io_notif_uarg(sr->notif);
		msg->sg_from_iter = NULL;
		flags |= MSG_ZEROCOPY;
	}
	ret = io_sr_call(req, sock, msg, flags, send, vectored, cflags);
	if (ret > 0 && ret < want && io_net_stream(sock) &&
	    (send || (sr->msg_flags & MSG_WAITALL)) &&
	    !(msg->msg_flags & MSG_TRUNC) &&
	    !(sr->flags & IORING_RECVSEND_BUNDLE)) {
		/* part of it: keep going from here, in the same buffer */
		sr->done_io += ret;
		if (select)
			io_kbuf_keep(req);
		return -EAGAIN;
	}
	return ret;
}

/*
 * Did a bundle's send of @ret bytes end on a boundary of its @nr buffers
 * (@iov as selected)? Then the next send starts with the next buffer;
 * otherwise the rest of one is unsent and the stream must stop there.
 */
static bool io_bundle_whole_bufs(const struct iovec *iov, unsigned int nr,
				 size_t ret)
{
	unsigned int i;

	for (i = 0; i < nr && i < UIO_FASTIOV && ret; i++) {
		if (ret < iov[i].iov_len)
			return false;
		ret -= iov[i].iov_len;
	}
	return !ret;
}

/* io_sr_more(): besides IOU_OK and -EAGAIN */
#define IO_SR_NEXT	1	/* the next attempt */
#define IO_SR_STOP	2	/* the request's own CQE for this transfer */

/*
 * After a transfer of @ret bytes by a multishot receive or a send bundle:
 * post its CQE with IORING_CQE_F_MORE and go on (IO_SR_NEXT), stop with
 * the request's own CQE for @ret (IO_SR_STOP: the caller finishes), or
 * end the request here (IOU_OK, or -EAGAIN to wait in a poll).
 */
static int io_sr_more(struct io_kiocb *req, int ret, u32 *cflags,
		      const struct iovec *iov, unsigned int issue_flags,
		      unsigned int *nr_cqes)
{
	struct io_sr_msg *sr = io_kiocb_to_cmd(req, struct io_sr_msg);
	bool mshot = req->flags & REQ_F_MSHOT;

	/*
	 * Multishot: a CQE per buffer filled, while the CQ has room. A
	 * send bundle likewise goes on with the group's next buffers
	 * until it has none left (6.12): each send's CQE says F_MORE.
	 * Unlike 6.12, a send that stops inside a buffer ends it (the
	 * stream must not skip that buffer's unsent rest), as do
	 * CQE_SKIP_SUCCESS (its last CQE would be skipped) and a
	 * batch's worth of sends.
	 */
	if (!mshot && (!io_bundle_whole_bufs(iov, req->sel.nr, ret) ||
		       (req->flags & IOSQE_CQE_SKIP_SUCCESS) ||
		       *nr_cqes + 1 >= IO_MSHOT_BATCH))
		return IO_SR_STOP;
	*cflags |= io_put_kbufs(req, ret, iov, issue_flags);
	if (!mshot && !io_buffers_left(req, issue_flags)) {
		io_req_set_res(req, ret, *cflags);
		return IOU_OK;
	}
	/*
	 * A multishot RECV's total: the receive that reaches it is the
	 * last (what it took is not trimmed to the total, as upstream).
	 */
	if (mshot && sr->mshot_left) {
		if (ret >= sr->mshot_left) {
			io_req_set_res(req, ret, *cflags);
			return IOU_OK;
		}
		sr->mshot_left -= ret;
	}
	if (!io_post_aux_cqe(req->ctx, req->cqe.user_data, ret,
			     *cflags | IORING_CQE_F_MORE, issue_flags)) {
		io_req_set_res(req, ret, *cflags);
		return IOU_OK;
	}
	/* let others run; the re-armed poll finds the data waiting */
	if ((issue_flags & IO_URING_F_NONBLOCK) &&
	    ++*nr_cqes >= IO_MSHOT_BATCH)
		return -EAGAIN;
	/* an io worker loops on its own: counted, and rescheduling */
	if (!(issue_flags & IO_URING_F_NONBLOCK)) {
		(*nr_cqes)++;
		cond_resched();
	}
	return IO_SR_NEXT;
}

/* The request's own CQE: its result, progress included, and buffers. */
static void io_sr_done(struct io_kiocb *req, int ret, u32 cflags,
		       const struct iovec *iov, unsigned int issue_flags,
		       bool send)
{
	struct io_sr_msg *sr = io_kiocb_to_cmd(req, struct io_sr_msg);
	bool mshot = req->flags & REQ_F_MSHOT;

	if (ret == -EAGAIN && (sr->msg_flags & MSG_DONTWAIT) && sr->done_io)
		ret = 0;
	if (ret < 0) {
		ret = io_restart_to_eintr(ret);
		/* an error after some data: the data counts */
		if (sr->done_io)
			ret = 0;
		else
			req->flags |= REQ_F_FAIL;
	}
	if (ret >= 0)
		ret += sr->done_io;
	/* the end of a multishot stream takes no buffer */
	if (ret > 0 || (ret == 0 && !mshot))
		cflags |= io_put_kbufs(req, ret, iov, issue_flags);
	/* a short MSG_WAITALL receive severs a soft link */
	if (ret >= 0 && (sr->msg_flags & MSG_WAITALL) && !send &&
	    req->opcode == IORING_OP_RECV && ret < sr->len)
		req->flags |= REQ_F_FAIL;
	io_req_set_res(req, ret, cflags);
}

static int io_sendrecv(struct io_kiocb *req, unsigned int issue_flags,
		       bool send)
{
	struct io_sr_msg *sr = io_kiocb_to_cmd(req, struct io_sr_msg);
	struct socket *sock = sock_from_file(req->file);
	bool mshot = req->flags & REQ_F_MSHOT;
	bool send_bundle = send && (sr->flags & IORING_RECVSEND_BUNDLE) &&
			   (req->flags & IOSQE_BUFFER_SELECT);
	/*
	 * A bundle's buffers as selected: what the put counts them by. Only
	 * a bundle's selection writes it, in this call, and only the put of
	 * that selection (req->sel.nr of them) reads it; not zeroed on every
	 * send and receive (CONFIG_INIT_STACK_ALL_ZERO: 128 bytes a call).
	 */
	struct iovec iov[UIO_FASTIOV] __uninitialized;
	unsigned int nr_cqes = 0;
	u32 cflags;
	int ret, more;

	if (unlikely(!sock))
		return -ENOTSOCK;
	/* IORING_RECVSEND_POLL_FIRST: wait for the socket before trying */
	if ((sr->flags & IORING_RECVSEND_POLL_FIRST) && !sr->polled &&
	    (issue_flags & IO_URING_F_NONBLOCK)) {
		sr->polled = true;
		return -EAGAIN;
	}
	for (;;) {
		cflags = 0;
		ret = io_sr_once(req, sock, issue_flags, send, &cflags, iov);
		if (ret == -EAGAIN && !(sr->msg_flags & MSG_DONTWAIT)) {
			ret = io_net_would_block(req, issue_flags,
						 send ? EPOLLOUT : EPOLLIN);
			if (ret <= 0)
				return ret;
			continue;
		}
		if (ret <= 0 || !(mshot || send_bundle))
			break;
		more = io_sr_more(req, ret, &cflags, iov, issue_flags,
				  &nr_cqes);
		if (more == IO_SR_STOP)
			break;
		if (more != IO_SR_NEXT)
			return more;
	}
	io_sr_done(req, ret, cflags, iov, issue_flags, send);
	return IOU_OK;
}

int io_send(struct io_kiocb *req, unsigned int issue_flags)
{
	return io_sendrecv(req, issue_flags, true);
}

int io_recv(struct io_kiocb *req, unsigned int issue_flags)
{
	return io_sendrecv(req, issue_flags, false);
}

/*
 * SEND_ZC, SENDMSG_ZC: the skbs take the user's pages (io_sr_once() hands
 * the notification's ubuf_info to the protocol); the result CQE says
 * IORING_CQE_F_MORE, and the notification follows once the network stack
 * is done with the pages (notif.c).
 */
int io_send_zc(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_sr_msg *sr = io_kiocb_to_cmd(req, struct io_sr_msg);
	struct socket *sock = sock_from_file(req->file);
	int ret;

	/* only where MSG_ZEROCOPY exists (TCP, UDP), as 6.12 answers */
	if (sock && !test_bit(SOCK_SUPPORT_ZC, &sock->flags))
		ret = -EOPNOTSUPP;
	else
		ret = io_sendrecv(req, issue_flags, true);
	if (ret == -EAGAIN || ret == IOU_ISSUE_SKIP_COMPLETE)
		return ret;
	/*
	 * Once issued, even a failed send has its notification (as 6.12):
	 * user space frees the buffer on it, whatever the result.
	 */
	if (ret < 0)
		io_req_set_res(req, io_restart_to_eintr(ret), 0);
	sr->zc_issued = true;
	return IOU_OK;
}
