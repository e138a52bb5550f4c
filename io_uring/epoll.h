/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_EPOLL_H
#define IOU_EPOLL_H

struct io_kiocb;
struct io_uring_sqe;

#ifdef CONFIG_EPOLL
int io_epoll_ctl_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_epoll_ctl(struct io_kiocb *req, unsigned int issue_flags);
int io_epoll_wait_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_epoll_wait(struct io_kiocb *req, unsigned int issue_flags);
#else
#define io_epoll_ctl_prep	NULL
#define io_epoll_ctl		NULL
#define io_epoll_wait_prep	NULL
#define io_epoll_wait		NULL
#endif

#endif
