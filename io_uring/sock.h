/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ops that set sockets up (sock.c).
 */
#ifndef IOU_SOCK_H
#define IOU_SOCK_H

#include <linux/io_uring_types.h>

#ifdef CONFIG_NET
int io_accept_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_accept(struct io_kiocb *req, unsigned int issue_flags);
int io_connect_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_connect(struct io_kiocb *req, unsigned int issue_flags);
int io_socket_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_socket(struct io_kiocb *req, unsigned int issue_flags);
int io_shutdown_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_shutdown(struct io_kiocb *req, unsigned int issue_flags);
int io_bind_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_bind(struct io_kiocb *req, unsigned int issue_flags);
int io_listen_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_listen(struct io_kiocb *req, unsigned int issue_flags);
void io_sock_addr_cleanup(struct io_kiocb *req);
#else
/* without networking the socket opcodes are not offered */
#define io_accept_prep		NULL
#define io_accept		NULL
#define io_connect_prep		NULL
#define io_connect		NULL
#define io_socket_prep		NULL
#define io_socket		NULL
#define io_shutdown_prep	NULL
#define io_shutdown		NULL
#define io_bind_prep		NULL
#define io_bind			NULL
#define io_listen_prep		NULL
#define io_listen		NULL
#define io_sock_addr_cleanup	NULL
#endif

#endif
