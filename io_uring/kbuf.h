/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_KBUF_H
#define IOU_KBUF_H

#include <linux/io_uring_types.h>

struct vm_area_struct;
struct iovec;

int io_provide_buffers_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_provide_buffers(struct io_kiocb *req, unsigned int issue_flags);
int io_remove_buffers_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_remove_buffers(struct io_kiocb *req, unsigned int issue_flags);

int io_register_pbuf_ring(struct io_ring_ctx *ctx, void __user *arg);
int io_unregister_pbuf_ring(struct io_ring_ctx *ctx, void __user *arg);
int io_register_pbuf_status(struct io_ring_ctx *ctx, void __user *arg);
int io_pbuf_mmap(struct io_ring_ctx *ctx, struct vm_area_struct *vma,
		 unsigned int bgid);
void io_kbuf_destroy_all(struct io_ring_ctx *ctx);

void __user *io_buffer_select(struct io_kiocb *req, size_t *len,
			      unsigned int issue_flags);
int io_buffers_select(struct io_kiocb *req, struct iovec *iov,
		      unsigned int max_iov, size_t max_len,
		      unsigned int issue_flags);
u32 __io_put_kbuf(struct io_kiocb *req, int len, const struct iovec *iov,
		  unsigned int issue_flags);
void __io_kbuf_recycle(struct io_kiocb *req);
u32 io_kbuf_drop(struct io_kiocb *req);
void io_kbuf_keep(struct io_kiocb *req);
bool io_buffers_left(struct io_kiocb *req, unsigned int issue_flags);

#define IO_REQ_F_KBUF	(REQ_F_BUFFER_SELECTED | REQ_F_BUFFER_RING)

/* A provided buffer is held (selected and not yet put back or used up). */
static inline bool io_kbuf_selected(struct io_kiocb *req)
{
	return req->flags & IO_REQ_F_KBUF;
}

/**
 * io_put_kbuf - the buffer a request used is consumed: its CQE flags
 * @req: the request
 * @len: bytes the request put into it
 * @issue_flags: as the op was issued with
 *
 * Return: IORING_CQE_F_BUFFER and the buffer id for cqe->flags (with
 * IORING_CQE_F_BUF_MORE if an incremental buffer has room left), or 0
 * if the request holds no provided buffer.
 */
static inline u32 io_put_kbuf(struct io_kiocb *req, int len,
			      unsigned int issue_flags)
{
	if (!io_kbuf_selected(req))
		return 0;
	return __io_put_kbuf(req, len, NULL, issue_flags);
}

/**
 * io_put_kbufs - as io_put_kbuf(), for a bundle
 * @req: the request
 * @len: bytes the request moved
 * @iov: the buffers as io_buffers_select() gave them
 * @issue_flags: as the op was issued with
 *
 * Return: the CQE flags that report the first buffer, or 0.
 */
static inline u32 io_put_kbufs(struct io_kiocb *req, int len,
			       const struct iovec *iov, unsigned int issue_flags)
{
	if (!io_kbuf_selected(req))
		return 0;
	return __io_put_kbuf(req, len, iov, issue_flags);
}

/* The request will try again later: give back what it has not used. */
static inline void io_kbuf_recycle(struct io_kiocb *req)
{
	if (unlikely(io_kbuf_selected(req)))
		__io_kbuf_recycle(req);
}

#endif
