/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_NET_H
#define IOU_NET_H

struct io_kiocb;
struct io_uring_sqe;

/* CQEs a multishot receive or accept posts before it lets others run */
#define IO_MSHOT_BATCH		32

#ifdef CONFIG_NET
/* prepare: copy and check the SQE */
int io_sendmsg_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_recvmsg_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
/* issue */
int io_send(struct io_kiocb *req, unsigned int issue_flags);
int io_send_zc(struct io_kiocb *req, unsigned int issue_flags);
int io_recv(struct io_kiocb *req, unsigned int issue_flags);
void io_netmsg_cleanup(struct io_kiocb *req);
void io_send_zc_cleanup(struct io_kiocb *req);
u32 io_send_zc_cqe_flags(struct io_kiocb *req);
int io_net_would_block(struct io_kiocb *req, unsigned int issue_flags,
		       __poll_t events);
#else
/* without networking the socket opcodes are not offered */
#define io_sendmsg_prep		NULL
#define io_recvmsg_prep		NULL
#define io_send			NULL
#define io_recv			NULL
#define io_send_zc		NULL
#define io_netmsg_cleanup	NULL
#define io_send_zc_cleanup	NULL
#define io_send_zc_cqe_flags	NULL
#endif

#endif
