// SPDX-License-Identifier: GPL-2.0
/*
 * The opcode table: one entry per IORING_OP_*, the only place the core
 * learns how to prepare and issue a request.
 */
#include <linux/kernel.h>
#include <linux/build_bug.h>
#include <linux/io_uring_types.h>

#include "io_uring.h"
#include "opdef.h"
#include "nop.h"

const struct io_op_def io_op_defs[] = {
	[IORING_OP_NOP] = {
		.name		= "NOP",
		.prep		= io_nop_prep,
		.issue		= io_nop,
	},
	[IORING_OP_READV] = {
		.name		= "READV",
	},
	[IORING_OP_WRITEV] = {
		.name		= "WRITEV",
	},
	[IORING_OP_FSYNC] = {
		.name		= "FSYNC",
	},
	[IORING_OP_READ_FIXED] = {
		.name		= "READ_FIXED",
	},
	[IORING_OP_WRITE_FIXED] = {
		.name		= "WRITE_FIXED",
	},
	[IORING_OP_POLL_ADD] = {
		.name		= "POLL_ADD",
	},
	[IORING_OP_POLL_REMOVE] = {
		.name		= "POLL_REMOVE",
	},
	[IORING_OP_SYNC_FILE_RANGE] = {
		.name		= "SYNC_FILE_RANGE",
	},
	[IORING_OP_SENDMSG] = {
		.name		= "SENDMSG",
	},
	[IORING_OP_RECVMSG] = {
		.name		= "RECVMSG",
	},
	[IORING_OP_TIMEOUT] = {
		.name		= "TIMEOUT",
	},
	[IORING_OP_TIMEOUT_REMOVE] = {
		.name		= "TIMEOUT_REMOVE",
	},
	[IORING_OP_ACCEPT] = {
		.name		= "ACCEPT",
	},
	[IORING_OP_ASYNC_CANCEL] = {
		.name		= "ASYNC_CANCEL",
	},
	[IORING_OP_LINK_TIMEOUT] = {
		.name		= "LINK_TIMEOUT",
	},
	[IORING_OP_CONNECT] = {
		.name		= "CONNECT",
	},
	[IORING_OP_FALLOCATE] = {
		.name		= "FALLOCATE",
	},
	[IORING_OP_OPENAT] = {
		.name		= "OPENAT",
	},
	[IORING_OP_CLOSE] = {
		.name		= "CLOSE",
	},
	[IORING_OP_FILES_UPDATE] = {
		.name		= "FILES_UPDATE",
	},
	[IORING_OP_STATX] = {
		.name		= "STATX",
	},
	[IORING_OP_READ] = {
		.name		= "READ",
	},
	[IORING_OP_WRITE] = {
		.name		= "WRITE",
	},
	[IORING_OP_FADVISE] = {
		.name		= "FADVISE",
	},
	[IORING_OP_MADVISE] = {
		.name		= "MADVISE",
	},
	[IORING_OP_SEND] = {
		.name		= "SEND",
	},
	[IORING_OP_RECV] = {
		.name		= "RECV",
	},
	[IORING_OP_OPENAT2] = {
		.name		= "OPENAT2",
	},
	[IORING_OP_EPOLL_CTL] = {
		.name		= "EPOLL_CTL",
	},
	[IORING_OP_SPLICE] = {
		.name		= "SPLICE",
	},
	[IORING_OP_PROVIDE_BUFFERS] = {
		.name		= "PROVIDE_BUFFERS",
	},
	[IORING_OP_REMOVE_BUFFERS] = {
		.name		= "REMOVE_BUFFERS",
	},
	[IORING_OP_TEE] = {
		.name		= "TEE",
	},
	[IORING_OP_SHUTDOWN] = {
		.name		= "SHUTDOWN",
	},
	[IORING_OP_RENAMEAT] = {
		.name		= "RENAMEAT",
	},
	[IORING_OP_UNLINKAT] = {
		.name		= "UNLINKAT",
	},
	[IORING_OP_MKDIRAT] = {
		.name		= "MKDIRAT",
	},
	[IORING_OP_SYMLINKAT] = {
		.name		= "SYMLINKAT",
	},
	[IORING_OP_LINKAT] = {
		.name		= "LINKAT",
	},
	[IORING_OP_MSG_RING] = {
		.name		= "MSG_RING",
	},
	[IORING_OP_FSETXATTR] = {
		.name		= "FSETXATTR",
	},
	[IORING_OP_SETXATTR] = {
		.name		= "SETXATTR",
	},
	[IORING_OP_FGETXATTR] = {
		.name		= "FGETXATTR",
	},
	[IORING_OP_GETXATTR] = {
		.name		= "GETXATTR",
	},
	[IORING_OP_SOCKET] = {
		.name		= "SOCKET",
	},
	[IORING_OP_URING_CMD] = {
		.name		= "URING_CMD",
	},
	[IORING_OP_SEND_ZC] = {
		.name		= "SEND_ZC",
	},
	[IORING_OP_SENDMSG_ZC] = {
		.name		= "SENDMSG_ZC",
	},
	[IORING_OP_READ_MULTISHOT] = {
		.name		= "READ_MULTISHOT",
	},
	[IORING_OP_WAITID] = {
		.name		= "WAITID",
	},
	[IORING_OP_FUTEX_WAIT] = {
		.name		= "FUTEX_WAIT",
	},
	[IORING_OP_FUTEX_WAKE] = {
		.name		= "FUTEX_WAKE",
	},
	[IORING_OP_FUTEX_WAITV] = {
		.name		= "FUTEX_WAITV",
	},
	[IORING_OP_FIXED_FD_INSTALL] = {
		.name		= "FIXED_FD_INSTALL",
	},
	[IORING_OP_FTRUNCATE] = {
		.name		= "FTRUNCATE",
	},
	[IORING_OP_BIND] = {
		.name		= "BIND",
	},
	[IORING_OP_LISTEN] = {
		.name		= "LISTEN",
	},
};

bool io_op_supported(u8 opcode)
{
	return opcode < IORING_OP_LAST && io_op_defs[opcode].prep;
}

const char *io_op_name(u8 opcode)
{
	if (opcode < IORING_OP_LAST)
		return io_op_defs[opcode].name;
	return "INVALID";
}

void __init io_op_defs_check(void)
{
	int i;

	BUILD_BUG_ON(ARRAY_SIZE(io_op_defs) != IORING_OP_LAST);
	for (i = 0; i < IORING_OP_LAST; i++) {
		/* an op with a prep must be able to run */
		BUG_ON(io_op_defs[i].prep && !io_op_defs[i].issue);
		BUG_ON(!io_op_defs[i].name);
	}
}
