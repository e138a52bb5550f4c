/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_NET_H
#define IOU_NET_H

struct io_kiocb;
struct io_uring_sqe;

#ifdef CONFIG_NET
/* prepare: copy and check the SQE */
int io_sendmsg_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_recvmsg_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_accept_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_connect_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_socket_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_shutdown_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_bind_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_listen_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
/* issue */
int io_send(struct io_kiocb *req, unsigned int issue_flags);
int io_send_zc(struct io_kiocb *req, unsigned int issue_flags);
int io_recv(struct io_kiocb *req, unsigned int issue_flags);
int io_accept(struct io_kiocb *req, unsigned int issue_flags);
int io_connect(struct io_kiocb *req, unsigned int issue_flags);
int io_socket(struct io_kiocb *req, unsigned int issue_flags);
int io_shutdown(struct io_kiocb *req, unsigned int issue_flags);
int io_bind(struct io_kiocb *req, unsigned int issue_flags);
int io_listen(struct io_kiocb *req, unsigned int issue_flags);
void io_netmsg_cleanup(struct io_kiocb *req);
void io_send_zc_cleanup(struct io_kiocb *req);
u32 io_send_zc_cqe_flags(struct io_kiocb *req);
#else
/* without networking the socket opcodes are not offered */
#define io_sendmsg_prep		NULL
#define io_recvmsg_prep		NULL
#define io_send			NULL
#define io_recv			NULL
#define io_send_zc		NULL
#define io_netmsg_cleanup	NULL
#define io_send_zc_cleanup	NULL
/* (never called: no request has REQ_F_NOTIF) */
static inline u32 io_send_zc_cqe_flags(struct io_kiocb *req)
{
	return 0;
}
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
#endif

#endif
