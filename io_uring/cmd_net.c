// SPDX-License-Identifier: GPL-2.0
/*
 * ->uring_cmd for sockets: queue sizes, socket options and addresses
 * (getsockname/getpeername, 6.19) without a syscall per call.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/net.h>
#include <linux/sockptr.h>
#include <linux/compat.h>
#include <linux/audit.h>
#include <linux/security.h>
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

/*
 * SOCKET_URING_OP_GETSOCKNAME: getsockname(2) (sqe->optlen 0) or
 * getpeername(2) (1) into sqe->addr, with the length in and out through
 * sqe->addr3, as the system calls do it (the LSM asked, the address
 * truncated to the room given, the whole length written back).
 */
static int io_sock_getname(struct socket *sock, const struct io_uring_sqe *sqe)
{
	void __user *uaddr = u64_to_user_ptr(READ_ONCE(sqe->addr));
	int __user *ulen = u64_to_user_ptr(READ_ONCE(sqe->addr3));
	u32 peer = READ_ONCE(sqe->optlen);
	struct sockaddr_storage address;
	int ret, len;

	if (peer > 1)
		return -EINVAL;
	ret = peer ? security_socket_getpeername(sock) :
		     security_socket_getsockname(sock);
	if (ret)
		return ret;
	ret = READ_ONCE(sock->ops)->getname(sock, (struct sockaddr *)&address,
					    peer);
	if (ret < 0)
		return ret;
	if (get_user(len, ulen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	len = min(len, ret);
	if (len) {
		if (audit_sockaddr(ret, &address))
			return -ENOMEM;
		if (copy_to_user(uaddr, &address, len))
			return -EFAULT;
	}
	return put_user(ret, ulen);
}

/**
 * io_uring_cmd_sock - socket file_operations->uring_cmd
 * @cmd: the command; cmd->cmd_op is a SOCKET_URING_OP_*
 * @issue_flags: IO_URING_F_* flags
 *
 * Return: the command's result (a queue size, an option's length, 0), or
 * -errno; -EOPNOTSUPP for a command sockets do not have.
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
	case SOCKET_URING_OP_GETSOCKNAME:
		return io_sock_getname(sock, cmd->sqe);
	default:
		return -EOPNOTSUPP;
	}
}
EXPORT_SYMBOL_GPL(io_uring_cmd_sock);
