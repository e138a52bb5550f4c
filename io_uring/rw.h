/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_RW_H
#define IOU_RW_H

#include <linux/io_uring_types.h>

struct file;
struct io_kiocb;
struct io_ring_ctx;
struct io_uring_sqe;

int io_prep_readv(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_prep_writev(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_prep_read(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_prep_write(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_prep_read_fixed(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_prep_readv_fixed(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_prep_writev_fixed(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_prep_write_fixed(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_prep_read_mshot(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_read(struct io_kiocb *req, unsigned int issue_flags);
int io_read_mshot(struct io_kiocb *req, unsigned int issue_flags);
int io_write(struct io_kiocb *req, unsigned int issue_flags);
void io_rw_cleanup(struct io_kiocb *req);
void io_rw_cache_free(struct io_ring_ctx *ctx);
int io_rw_detach_waiting(struct io_ring_ctx *ctx,
			 bool (*match)(struct io_kiocb *req, void *data),
			 void *data);

int io_rw_iopoll(struct io_kiocb *req, struct io_comp_batch *iob,
		 unsigned int poll_flags);
bool io_rw_iopoll_done(struct io_kiocb *req);

#endif
