// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_REGISTER_NAPI: busy-poll the NAPI contexts of the sockets a ring
 * waits on, from io_uring_enter() before it sleeps for completions.
 *
 * Sockets are noted when a request starts waiting on one (a poll); an
 * id not seen for IO_NAPI_ID_TIMEOUT is dropped. The list is RCU: the
 * waiter walks it while requests add to it.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/net.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <net/busy_poll.h>
#include <net/sock.h>
#include <linux/io_uring_types.h>

#include "io_uring.h"
#include "napi.h"

#ifdef CONFIG_NET_RX_BUSY_POLL

#define IO_NAPI_ID_TIMEOUT	(60 * HZ)
#define IO_NAPI_MAX_IDS		64

struct io_napi_entry {
	struct list_head	list;
	unsigned int		napi_id;
	unsigned long		last_seen;
	struct rcu_head		rcu;
};

/**
 * io_napi_add - note the NAPI context of a socket a request waits on
 * @req: the request; its file may be anything
 */
void io_napi_add(struct io_kiocb *req)
{
	struct io_ring_ctx *ctx = req->ctx;
	struct io_napi_entry *e;
	struct socket *sock;
	unsigned int id;

	if (!READ_ONCE(ctx->napi_busy_poll_to) || !req->file)
		return;
	sock = sock_from_file(req->file);
	if (!sock || !sock->sk)
		return;
	id = READ_ONCE(sock->sk->sk_napi_id);
	if (id < MIN_NAPI_ID)
		return;
	rcu_read_lock();
	list_for_each_entry_rcu(e, &ctx->napi_list, list) {
		if (e->napi_id == id) {
			WRITE_ONCE(e->last_seen, jiffies);
			rcu_read_unlock();
			return;
		}
	}
	rcu_read_unlock();
	e = kmalloc(sizeof(*e), GFP_NOWAIT | __GFP_ACCOUNT);
	if (!e)
		return;
	e->napi_id = id;
	e->last_seen = jiffies;
	spin_lock(&ctx->napi_lock);
	if (ctx->napi_nr < IO_NAPI_MAX_IDS) {
		list_add_tail_rcu(&e->list, &ctx->napi_list);
		ctx->napi_nr++;
		e = NULL;
	}
	spin_unlock(&ctx->napi_lock);
	kfree(e);
}

/* Drop ids not seen for a while; all of them if @all. */
static void io_napi_prune(struct io_ring_ctx *ctx, bool all)
{
	struct io_napi_entry *e, *tmp;

	spin_lock(&ctx->napi_lock);
	list_for_each_entry_safe(e, tmp, &ctx->napi_list, list) {
		if (!all && time_before(jiffies, READ_ONCE(e->last_seen) +
					IO_NAPI_ID_TIMEOUT))
			continue;
		list_del_rcu(&e->list);
		ctx->napi_nr--;
		kfree_rcu(e, rcu);
	}
	spin_unlock(&ctx->napi_lock);
}

struct io_napi_loop {
	bool (*done)(void *data);
	void *data;
	unsigned long start;
	unsigned long budget_usec;
};

/* busy_loop_current_time() counts in about microseconds */
static bool io_napi_expired(struct io_napi_loop *l)
{
	return time_after(busy_loop_current_time(), l->start + l->budget_usec);
}

static bool io_napi_loop_end(void *arg, unsigned long start)
{
	struct io_napi_loop *l = arg;

	return l->done(l->data) || signal_pending(current) ||
	       need_resched() || io_napi_expired(l);
}

/**
 * __io_napi_busy_poll - busy-poll the ring's NAPI ids before sleeping
 * @ctx: the ring
 * @done: true once the wait is over (enough CQEs)
 * @data: passed to @done
 */
void __io_napi_busy_poll(struct io_ring_ctx *ctx, bool (*done)(void *data),
			 void *data)
{
	struct io_napi_loop l = {
		.done = done,
		.data = data,
		.start = busy_loop_current_time(),
		.budget_usec = READ_ONCE(ctx->napi_busy_poll_to),
	};
	bool prefer = READ_ONCE(ctx->napi_prefer_busy_poll);
	struct io_napi_entry *e;

	if (!l.budget_usec || list_empty_careful(&ctx->napi_list))
		return;
	rcu_read_lock();
	do {
		list_for_each_entry_rcu(e, &ctx->napi_list, list) {
			napi_busy_loop_rcu(e->napi_id, io_napi_loop_end, &l,
					   prefer, BUSY_POLL_BUDGET);
			if (io_napi_loop_end(&l, 0))
				break;
		}
	} while (!io_napi_loop_end(&l, 0));
	rcu_read_unlock();
	io_napi_prune(ctx, false);
}

int io_register_napi(struct io_ring_ctx *ctx, void __user *arg)
{
	struct io_uring_napi napi, prev = { };

	if (copy_from_user(&napi, arg, sizeof(napi)))
		return -EFAULT;
	if (memchr_inv(napi.pad, 0, sizeof(napi.pad)) || napi.resv)
		return -EINVAL;
	if (napi.prefer_busy_poll > 1)
		return -EINVAL;
	/* user space gets the settings it replaced */
	prev.busy_poll_to = ctx->napi_busy_poll_to;
	prev.prefer_busy_poll = ctx->napi_prefer_busy_poll;
	if (copy_to_user(arg, &prev, sizeof(prev)))
		return -EFAULT;
	WRITE_ONCE(ctx->napi_busy_poll_to, napi.busy_poll_to);
	WRITE_ONCE(ctx->napi_prefer_busy_poll, napi.prefer_busy_poll);
	return 0;
}

int io_unregister_napi(struct io_ring_ctx *ctx, void __user *arg)
{
	struct io_uring_napi cur = {
		.busy_poll_to = ctx->napi_busy_poll_to,
		.prefer_busy_poll = ctx->napi_prefer_busy_poll,
	};

	if (arg && copy_to_user(arg, &cur, sizeof(cur)))
		return -EFAULT;
	WRITE_ONCE(ctx->napi_busy_poll_to, 0);
	WRITE_ONCE(ctx->napi_prefer_busy_poll, false);
	io_napi_prune(ctx, true);
	return 0;
}

/** io_napi_free - the ring goes: forget its ids */
void io_napi_free(struct io_ring_ctx *ctx)
{
	io_napi_prune(ctx, true);
}

#else

int io_register_napi(struct io_ring_ctx *ctx, void __user *arg)
{
	return -EOPNOTSUPP;
}

int io_unregister_napi(struct io_ring_ctx *ctx, void __user *arg)
{
	return -EOPNOTSUPP;
}

#endif
