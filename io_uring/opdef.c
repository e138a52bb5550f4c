// SPDX-License-Identifier: GPL-2.0
/*
 * The opcode table: one entry per IORING_OP_*, the only place the core
 * learns how to prepare and issue a request.
 */
#include <linux/kernel.h>
#include <linux/build_bug.h>
#include <linux/poll.h>
#include <linux/io_uring_types.h>
#include <uapi/linux/io_uring/bpf_filter.h>

#include "io_uring.h"
#include "opdef.h"
#include "nop.h"
#include "rw.h"
#include "sync.h"
#include "filetable.h"
#include "cancel.h"
#include "poll.h"
#include "timeout.h"
#include "net.h"
#include "sock.h"
#include "splice.h"
#include "epoll.h"
#include "uring_cmd.h"
#include "kbuf.h"
#include "openclose.h"
#include "statx.h"
#include "advise.h"
#include "fs.h"
#include "xattr.h"
#include "msg_ring.h"
#include "futex.h"
#include "waitid.h"
#include "bpf_filter.h"

/* the BPF filter payloads of upstream's struct io_uring_bpf_ctx */
#define IO_BPF_PDU_SOCKET	sizeof_field(struct io_uring_bpf_ctx, socket)
#define IO_BPF_PDU_OPEN		sizeof_field(struct io_uring_bpf_ctx, open)

#include <trace/events/io_uring.h>

/* name only: not implemented, fails with -EINVAL and is not probed */
#define IO_OP(op) \
	[IORING_OP_##op] = { .name = #op }
#define IO_OP_RUN(op, p, i) \
	[IORING_OP_##op] = { .name = #op, .prep = p, .issue = i }
/* ... creating or closing descriptors: audited */
#define IO_OP_RUN_AUDIT(op, p, i, ...) \
	[IORING_OP_##op] = { .name = #op, .audit = 1, .prep = p, .issue = i, \
			     __VA_ARGS__ }
/* ... and fine on an IORING_SETUP_IOPOLL ring: it never waits */
#define IO_OP_RUN_POLLED(op, p, i, ...) \
	[IORING_OP_##op] = { .name = #op, .iopoll = 1, .prep = p, .issue = i, \
			     __VA_ARGS__ }
/* read/write: the first attempt never blocks; poll or io-wq the rest */
#define IO_OP_RW(op, p, i, write, c)					\
	[IORING_OP_##op] = { .name = #op, .needs_file = 1,		\
			     .unbound_nonreg_file = 1,			\
			     .poll_events = write ? EPOLLOUT : EPOLLIN,	\
			     .hash_reg_file = write, .iopoll = 1,	\
			     .iopoll_poll = io_rw_iopoll,		\
			     .iopoll_done = io_rw_iopoll_done,		\
			     .prep = p, .issue = i, .cleanup = c }
/* ... and takes a provided buffer (IOSQE_BUFFER_SELECT) */
#define IO_OP_RW_SEL(op, p, i, c)					\
	[IORING_OP_##op] = { .name = #op, .needs_file = 1,		\
			     .unbound_nonreg_file = 1,			\
			     .poll_events = EPOLLIN,			\
			     .buffer_select = 1, .iopoll = 1, .prep = p,	\
			     .iopoll_poll = io_rw_iopoll,		\
			     .iopoll_done = io_rw_iopoll_done,		\
			     .issue = i, .cleanup = c }
/* socket ops: as read/write, and their async state is freed by c */
#define IO_OP_NET(op, p, i, ev, c, ...)					\
	[IORING_OP_##op] = { .name = #op, .needs_file = 1,		\
			     .unbound_nonreg_file = 1,			\
			     .poll_events = ev, .prep = p,		\
			     .issue = i, .cleanup = c, __VA_ARGS__ }
/* ... setting up connections: audited */
#define IO_OP_NET_AUDIT(op, p, i, ev, c)				\
	[IORING_OP_##op] = { .name = #op, .needs_file = 1, .audit = 1,	\
			     .unbound_nonreg_file = 1,			\
			     .poll_events = ev, .prep = p,		\
			     .issue = i, .cleanup = c }
/* ... and takes provided buffers */
#define IO_OP_NET_SEL(op, p, i, ev, c)					\
	[IORING_OP_##op] = { .name = #op, .needs_file = 1,		\
			     .unbound_nonreg_file = 1, .buffer_select = 1, \
			     .poll_events = ev, .prep = p,		\
			     .issue = i, .cleanup = c }
/* ops that only arm something: issued by the submitter, never io-wq */
#define IO_OP_ARM(op, file, p, i, c)					\
	[IORING_OP_##op] = { .name = #op, .needs_file = file,		\
			     .inline_only = 1, .prep = p,		\
			     .issue = i, .cleanup = c }
/* ops on paths: the names are copied at prep and released by c */
#define IO_OP_PATH(op, p, i, c, ...)					\
	[IORING_OP_##op] = { .name = #op, .audit = 1, .prep = p,	\
			     .issue = i, .cleanup = c, __VA_ARGS__ }
/* ops that wait for a wakeup on the ring's waiter list (cancel.c) */
#define IO_OP_WAIT(op, p, i, c, cancel_fn)				\
	[IORING_OP_##op] = { .name = #op, .inline_only = 1, .prep = p,	\
			     .issue = i, .cleanup = c,			\
			     .cancel = cancel_fn }
/* ops that always block (on paths, file state): io-wq, audited */
#define IO_OP_WQ(op, file, p, i, c, hash)				\
	[IORING_OP_##op] = { .name = #op, .needs_file = file,		\
			     .hash_reg_file = hash, .blocking = 1,	\
			     .audit = 1, .prep = p, .issue = i,		\
			     .cleanup = c }
/* file ops that may block: they say -EAGAIN when they would */
#define IO_OP_FILE(op, p, i, hash)					\
	[IORING_OP_##op] = { .name = #op, .needs_file = 1,		\
			     .hash_reg_file = hash, .prep = p, .issue = i }
#define IO_OP_FILE_AUDIT(op, p, i)					\
	[IORING_OP_##op] = { .name = #op, .needs_file = 1, .audit = 1,	\
			     .prep = p, .issue = i }

#ifdef CONFIG_FUTEX
#define IO_OP_FUTEX_WAIT	IO_OP_WAIT(FUTEX_WAIT, io_futex_prep, io_futex_wait, \
					   io_futex_cleanup, io_futex_cancel)
#define IO_OP_FUTEX_WAITV	IO_OP_WAIT(FUTEX_WAITV, io_futexv_prep,	\
					   io_futexv_wait, io_futex_cleanup, \
					   io_futex_cancel)
#define IO_OP_FUTEX_WAKE	IO_OP_RUN(FUTEX_WAKE, io_futex_prep, io_futex_wake)
#else
#define IO_OP_FUTEX_WAIT	IO_OP(FUTEX_WAIT)
#define IO_OP_FUTEX_WAITV	IO_OP(FUTEX_WAITV)
#define IO_OP_FUTEX_WAKE	IO_OP(FUTEX_WAKE)
#endif

const struct io_op_def io_op_defs[] = {
	IO_OP_RUN_POLLED(NOP, io_nop_prep, io_nop, .big_cqe = io_nop_big_cqe),
	IO_OP_RW_SEL(READV, io_prep_readv, io_read, io_rw_cleanup),
	IO_OP_RW(WRITEV, io_prep_writev, io_write, 1, io_rw_cleanup),
	IO_OP_WQ(FSYNC, 1, io_fsync_prep, io_fsync, NULL, 0),
	IO_OP_RW(READ_FIXED, io_prep_read_fixed, io_read, 0, io_rw_cleanup),
	IO_OP_RW(WRITE_FIXED, io_prep_write_fixed, io_write, 1, NULL),
	IO_OP_ARM(POLL_ADD, 1, io_poll_add_prep, io_poll_add, NULL),
	IO_OP_ARM(POLL_REMOVE, 0, io_poll_remove_prep, io_poll_remove, NULL),
	IO_OP_WQ(SYNC_FILE_RANGE, 1, io_sfr_prep, io_sync_file_range, NULL, 0),
	IO_OP_NET(SENDMSG, io_sendmsg_prep, io_send, EPOLLOUT, io_netmsg_cleanup),
	IO_OP_NET_SEL(RECVMSG, io_recvmsg_prep, io_recv, EPOLLIN,
		      io_netmsg_cleanup),
	IO_OP_ARM(TIMEOUT, 0, io_timeout_prep, io_timeout, io_timeout_cleanup),
	IO_OP_ARM(TIMEOUT_REMOVE, 0, io_timeout_remove_prep, io_timeout_remove,
		  NULL),
	IO_OP_NET_AUDIT(ACCEPT, io_accept_prep, io_accept, EPOLLIN, NULL),
	IO_OP_RUN_POLLED(ASYNC_CANCEL, io_async_cancel_prep, io_async_cancel),
	IO_OP_ARM(LINK_TIMEOUT, 0, io_link_timeout_prep, io_link_timeout,
		  io_timeout_cleanup),
	IO_OP_NET_AUDIT(CONNECT, io_connect_prep, io_connect, EPOLLOUT,
			io_sock_addr_cleanup),
	IO_OP_WQ(FALLOCATE, 1, io_fallocate_prep, io_fallocate, NULL, 1),
	IO_OP_PATH(OPENAT, io_openat_prep, io_openat, io_open_cleanup,
		   .bpf_pdu = io_open_bpf_pdu, .bpf_pdu_size = IO_BPF_PDU_OPEN),
	IO_OP_RUN_AUDIT(CLOSE, io_close_prep, io_close),
	IO_OP_RUN_POLLED(FILES_UPDATE, io_files_update_prep, io_files_update),
	IO_OP_WQ(STATX, 0, io_statx_prep, io_statx, io_statx_cleanup, 0),
	IO_OP_RW_SEL(READ, io_prep_read, io_read, io_rw_cleanup),
	IO_OP_RW(WRITE, io_prep_write, io_write, 1, NULL),
	IO_OP_FILE(FADVISE, io_fadvise_prep, io_fadvise, 0),
	IO_OP_WQ(MADVISE, 0, io_madvise_prep, io_madvise, NULL, 0),
	IO_OP_NET_SEL(SEND, io_sendmsg_prep, io_send, EPOLLOUT, io_netmsg_cleanup),
	IO_OP_NET_SEL(RECV, io_recvmsg_prep, io_recv, EPOLLIN, io_netmsg_cleanup),
	IO_OP_PATH(OPENAT2, io_openat2_prep, io_openat, io_open_cleanup,
		   .bpf_pdu = io_open_bpf_pdu, .bpf_pdu_size = IO_BPF_PDU_OPEN),
	IO_OP_RUN_AUDIT(EPOLL_CTL, io_epoll_ctl_prep, io_epoll_ctl),
	IO_OP_FILE(SPLICE, io_splice_prep, io_splice, 0),
	IO_OP_RUN_POLLED(PROVIDE_BUFFERS, io_provide_buffers_prep,
			 io_provide_buffers),
	IO_OP_RUN_POLLED(REMOVE_BUFFERS, io_remove_buffers_prep,
			 io_remove_buffers),
	IO_OP_FILE(TEE, io_tee_prep, io_tee, 0),
	IO_OP_FILE_AUDIT(SHUTDOWN, io_shutdown_prep, io_shutdown),
	IO_OP_WQ(RENAMEAT, 0, io_renameat_prep, io_renameat, io_fs_cleanup, 0),
	IO_OP_WQ(UNLINKAT, 0, io_unlinkat_prep, io_unlinkat, io_fs_cleanup, 0),
	IO_OP_WQ(MKDIRAT, 0, io_mkdirat_prep, io_mkdirat, io_fs_cleanup, 0),
	IO_OP_WQ(SYMLINKAT, 0, io_symlinkat_prep, io_symlinkat, io_fs_cleanup, 0),
	IO_OP_WQ(LINKAT, 0, io_linkat_prep, io_linkat, io_fs_cleanup, 0),
	/* posts a CQE and is done: fine on an IOPOLL ring too, as in 6.12 */
	[IORING_OP_MSG_RING] = { .name = "MSG_RING", .needs_file = 1,
				 .iopoll = 1, .prep = io_msg_ring_prep,
				 .issue = io_msg_ring },
	IO_OP_WQ(FSETXATTR, 1, io_fsetxattr_prep, io_fsetxattr, io_xattr_cleanup, 0),
	IO_OP_WQ(SETXATTR, 0, io_setxattr_prep, io_setxattr, io_xattr_cleanup, 0),
	IO_OP_WQ(FGETXATTR, 1, io_fgetxattr_prep, io_fgetxattr, io_xattr_cleanup, 0),
	IO_OP_WQ(GETXATTR, 0, io_getxattr_prep, io_getxattr, io_xattr_cleanup, 0),
	IO_OP_RUN_AUDIT(SOCKET, io_socket_prep, io_socket,
			.bpf_pdu = io_socket_bpf_pdu,
			.bpf_pdu_size = IO_BPF_PDU_SOCKET),
	[IORING_OP_URING_CMD] = { .name = "URING_CMD", .needs_file = 1,
				  .unbound_nonreg_file = 1, .iopoll = 1,
				  .audit = 1,
				  .iopoll_poll = io_uring_cmd_iopoll,
				  .big_cqe = io_uring_cmd_big_cqe,
				  .prep = io_uring_cmd_prep,
				  .issue = io_uring_cmd,
				  .cleanup = io_uring_cmd_cleanup },
	IO_OP_NET(SEND_ZC, io_sendmsg_prep, io_send_zc, EPOLLOUT,
		  io_send_zc_cleanup, .notif_cqe_flags = io_send_zc_cqe_flags),
	IO_OP_NET(SENDMSG_ZC, io_sendmsg_prep, io_send_zc, EPOLLOUT,
		  io_send_zc_cleanup, .notif_cqe_flags = io_send_zc_cqe_flags),
	[IORING_OP_READ_MULTISHOT] = { .name = "READ_MULTISHOT", .needs_file = 1,
				       .buffer_select = 1,
				       .poll_events = EPOLLIN,
				       .prep = io_prep_read_mshot,
				       .issue = io_read_mshot },
	IO_OP_WAIT(WAITID, io_waitid_prep, io_waitid, io_waitid_cleanup,
		   io_waitid_cancel),
	IO_OP_FUTEX_WAIT,
	IO_OP_FUTEX_WAKE,
	IO_OP_FUTEX_WAITV,
	IO_OP_FILE_AUDIT(FIXED_FD_INSTALL, io_install_fixed_fd_prep,
			 io_install_fixed_fd),
	IO_OP_WQ(FTRUNCATE, 1, io_ftruncate_prep, io_ftruncate, NULL, 1),
	IO_OP_NET_AUDIT(BIND, io_bind_prep, io_bind, 0, io_sock_addr_cleanup),
	IO_OP_NET_AUDIT(LISTEN, io_listen_prep, io_listen, 0, NULL),
	/* zero-copy receive needs a NIC with header/data split: not here */
	IO_OP(RECV_ZC),
	[IORING_OP_EPOLL_WAIT] = { .name = "EPOLL_WAIT", .needs_file = 1,
				   .unbound_nonreg_file = 1,
				   .poll_events = EPOLLIN,
				   .prep = io_epoll_wait_prep,
				   .issue = io_epoll_wait },
	IO_OP_RW(READV_FIXED, io_prep_readv_fixed, io_read, 0, io_rw_cleanup),
	IO_OP_RW(WRITEV_FIXED, io_prep_writev_fixed, io_write, 1,
		 io_rw_cleanup),
	IO_OP_RUN_AUDIT(PIPE, io_pipe_prep, io_pipe),
	/* the same as NOP and URING_CMD, in a 128-byte SQE */
	[IORING_OP_NOP128] = { .name = "NOP128", .iopoll = 1, .sqe128 = 1,
			       .big_cqe = io_nop_big_cqe,
			       .prep = io_nop128_prep, .issue = io_nop },
	[IORING_OP_URING_CMD128] = { .name = "URING_CMD128", .needs_file = 1,
				     .unbound_nonreg_file = 1, .iopoll = 1,
				     .audit = 1, .sqe128 = 1,
				     .iopoll_poll = io_uring_cmd_iopoll,
				     .big_cqe = io_uring_cmd_big_cqe,
				     .prep = io_uring_cmd_prep,
				     .issue = io_uring_cmd,
				     .cleanup = io_uring_cmd_cleanup },
};

static u8 io_op_last_supported __ro_after_init;

/**
 * io_op_last - the highest opcode this kernel implements
 *
 * Newer user space sizes what it believes exists by the probe's last_op
 * and ops_len: opcodes the UAPI names but we do not implement are left
 * out at the end (and flagged unsupported in between).
 *
 * Return: the opcode.
 */
u8 io_op_last(void)
{
	return io_op_last_supported;
}

const char *io_op_name(u8 opcode)
{
	if (opcode < IORING_OP_LAST)
		return io_op_defs[opcode].name;
	return "INVALID";
}

/* For the tracepoints (include/trace/events/io_uring.h). */
const char *io_uring_get_opcode(u8 opcode)
{
	return io_op_name(opcode);
}

void __init io_op_defs_check(void)
{
	int i;

	BUILD_BUG_ON(ARRAY_SIZE(io_op_defs) != IORING_OP_LAST);
	for (i = 0; i < IORING_OP_LAST; i++) {
		/* an op with a prep must be able to run */
		WARN_ON_ONCE(io_op_defs[i].prep && !io_op_defs[i].issue);
		WARN_ON_ONCE(!io_op_defs[i].name);
		/* what goes on the IOPOLL list is polled for by its op */
		WARN_ON_ONCE(io_op_defs[i].iopoll_poll &&
			     !io_op_defs[i].iopoll);
		WARN_ON_ONCE(io_op_defs[i].iopoll_done &&
			     !io_op_defs[i].iopoll_poll);
		if (io_op_defs[i].prep)
			io_op_last_supported = i;
	}
}
