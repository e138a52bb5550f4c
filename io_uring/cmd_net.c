// SPDX-License-Identifier: GPL-2.0
/*
 * ->uring_cmd for sockets: queue sizes and socket options without a
 * syscall per call.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/net.h>
#include <linux/sockptr.h>
#include <linux/compat.h>
#include <net/sock.h>
#include <uapi/asm-generic/ioctls.h>
#include <linux/io_uring/cmd.h>
#include <linux/io_uring/net.h>

static int io_sock_queued(struct sock *sk, int which)
{
	struct proto *prot = READ_ONCE(sk->sk_prot);
	int ret, arg = 0;

	if (!prot || !prot->ioctl)
		return -EOPNOTSUPP;
	ret = prot->ioctl(sk, which, &arg);
	return ret ? ret : arg;
}

static int io_sock_getsockopt(struct socket *sock, const struct io_uring_sqe *sqe)
{
	int optlen = READ_ONCE(sqe->optlen);
	int level = READ_ONCE(sqe->level);
	int ret;

	/*
	 * SOL_SOCKET only (as documented): optlen lives in the kernel here,
	 * and a protocol's own ->getsockopt takes user pointers only.
	 */
	if (level != SOL_SOCKET)
		return -EOPNOTSUPP;
	ret = do_sock_getsockopt(sock, in_compat_syscall(),
				 level, READ_ONCE(sqe->optname),
				 USER_SOCKPTR(u64_to_user_ptr(READ_ONCE(sqe->optval))),
				 KERNEL_SOCKPTR(&optlen));
	/* on success the result is the length the option filled */
	return ret ? ret : optlen;
}

static int io_sock_setsockopt(struct socket *sock, const struct io_uring_sqe *sqe)
{
	return do_sock_setsockopt(sock, in_compat_syscall(),
				  READ_ONCE(sqe->level), READ_ONCE(sqe->optname),
				  USER_SOCKPTR(u64_to_user_ptr(READ_ONCE(sqe->optval))),
				  READ_ONCE(sqe->optlen));
}

/**
 * io_uring_cmd_sock - socket file_operations->uring_cmd
 * @cmd: the command; cmd->cmd_op is a SOCKET_URING_OP_*
 * @issue_flags: IO_URING_F_* flags
 */
int io_uring_cmd_sock(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	struct socket *sock = cmd->file->private_data;

	switch (cmd->cmd_op) {
	case SOCKET_URING_OP_SIOCINQ:
		return io_sock_queued(sock->sk, SIOCINQ);
	case SOCKET_URING_OP_SIOCOUTQ:
		return io_sock_queued(sock->sk, SIOCOUTQ);
	case SOCKET_URING_OP_GETSOCKOPT:
		return io_sock_getsockopt(sock, cmd->sqe);
	case SOCKET_URING_OP_SETSOCKOPT:
		return io_sock_setsockopt(sock, cmd->sqe);
	default:
		return -EOPNOTSUPP;
	}
}
EXPORT_SYMBOL_GPL(io_uring_cmd_sock);
