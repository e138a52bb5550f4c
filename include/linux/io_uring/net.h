/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Socket side of IORING_OP_URING_CMD, wired up in net/socket.c. */
#ifndef _LINUX_IO_URING_NET_H
#define _LINUX_IO_URING_NET_H

struct io_uring_cmd;

#if IS_ENABLED(CONFIG_IO_URING)
int io_uring_cmd_sock(struct io_uring_cmd *cmd, unsigned int issue_flags);
#else
/* no io_uring, no ->uring_cmd for sockets */
#define io_uring_cmd_sock	NULL
#endif

#endif /* _LINUX_IO_URING_NET_H */
