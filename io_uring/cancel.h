/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_CANCEL_H
#define IOU_CANCEL_H

struct io_kiocb;
struct io_uring_sqe;
struct io_ring_ctx;

/* Why requests are being cancelled: it decides where the walk looks. */
enum io_cancel_why {
	IO_CANCEL_MATCH,	/* ASYNC_CANCEL, SYNC_CANCEL, a link timeout */
	IO_CANCEL_EXIT,		/* the submitting thread exits */
	IO_CANCEL_EXEC,		/* the submitting task calls exec */
	IO_CANCEL_RING,		/* the ring is being closed */
};

/**
 * struct io_cancel_walk - one cancellation over the wait places
 * @match: which requests; NULL for all
 * @data: passed to @match
 * @all: every match, not just the first
 * @running: (out) matches that can only be told to stop and end later
 */
struct io_cancel_walk {
	bool		(*match)(struct io_kiocb *req, void *data);
	void		*data;
	bool		all;
	int		running;
};

int io_cancel_walk(struct io_ring_ctx *ctx, enum io_cancel_why why,
		   struct io_cancel_walk *w);

int io_async_cancel_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_async_cancel(struct io_kiocb *req, unsigned int issue_flags);
void io_cancel_req(struct io_kiocb *req);
int io_sync_cancel(struct io_ring_ctx *ctx, void __user *arg);
/*
 * A waiting op's issue starts with this: io_waiter_del() is safe from
 * then on whether io_waiter_add() ran or not. (hash_node shares storage
 * with the io-wq state, so a request does not come with it clear.)
 */
static inline void io_waiter_init(struct io_kiocb *req)
{
	INIT_HLIST_NODE(&req->hash_node);
}

void io_waiter_add(struct io_kiocb *req);
void io_waiter_del(struct io_kiocb *req);
int io_waiter_cancel(struct io_ring_ctx *ctx,
		     bool (*match)(struct io_kiocb *req, void *data),
		     void *data, bool all);

void io_cancel_task_reqs(struct io_ring_ctx *ctx, struct task_struct *task,
			 bool exec);

#endif
