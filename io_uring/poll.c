// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_POLL_ADD and POLL_REMOVE, and the internal poll that parks a
 * request which would block (IORING_FEAT_FAST_POLL) until its file is
 * ready, instead of a blocked io worker.
 *
 * A poll sits on the file's wait queue(s). Wakeups can come from any
 * context; they only count themselves in req->poll_refs, and the one that
 * finds the count at zero becomes the owner and queues task_work. The
 * owner (task_work, or the issuer while arming, or a canceller) runs the
 * poll check under uring_lock and, before it lets go, takes away the
 * count it saw: wakeups that came meanwhile make it loop. A cancellation
 * sets IO_POLL_CANCEL and takes a count the same way, so exactly one
 * party ever finishes a poll. The count saturates at IO_POLL_REF_MAX: a
 * flood of wakeups while the owner is away (2^30 of them would carry
 * into the flag bits and hand out a second ownership) only has to make
 * the owner look once more, and an owner that saw the saturated count
 * keeps one reference back so that it does.
 *
 * A multishot poll woken by io_uring's own CQE posting (EPOLL_URING_WAKE:
 * a poll on this or another ring's fd, or on a ring's eventfd) ends after
 * that event instead of posting a CQE per CQE it causes.
 *
 * Wait queues that go away under us (signalfd, binder: POLLFREE) are
 * freed after an RCU grace period; the POLLFREE wakeup unhooks us and
 * clears poll->head, and removal reads the head under rcu_read_lock().
 */
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/rculist.h>
#include <linux/io_uring_types.h>

#include "io_uring.h"
#include "opdef.h"
#include "poll.h"
#include "napi.h"

#include <trace/events/io_uring.h>

#define IO_POLL_CANCEL		BIT(31)
#define IO_POLL_REF_MASK	GENMASK(29, 0)
#define IO_POLL_REF_MAX		BIT(20)

#define IO_POLL_ADD_FLAGS	(IORING_POLL_ADD_MULTI | IORING_POLL_ADD_LEVEL)
#define IO_POLL_UPDATE_FLAGS	(IORING_POLL_UPDATE_EVENTS | \
				 IORING_POLL_UPDATE_USER_DATA)

struct io_poll {
	struct file		*file;
	struct wait_queue_head	*head;
	__poll_t		events;
	struct wait_queue_entry	wait;
};

struct io_apoll {
	struct io_poll		poll;
	union {
		/* armed: the entry on a second wait queue, if any */
		struct io_poll	*poll2;
		/* in the ring's cache */
		struct io_apoll	*next_free;
	};
};

struct io_poll_remove {
	struct file		*file;
	u64			old_user_data;
	u64			new_user_data;
	__poll_t		events;
	u32			flags;
};

struct io_poll_table {
	struct poll_table_struct pt;
	struct io_kiocb		*req;
	struct io_poll		*poll;
	int			error;
};

enum {
	IO_POLL_KEEP,		/* still armed, ownership given back */
	IO_POLL_READY,		/* one-shot poll fired: finish */
	IO_POLL_CANCELLED,	/* finish with -ECANCELED */
};

static struct io_poll *io_poll_of(struct io_kiocb *req)
{
	if (req->flags & REQ_F_APOLL)
		return &req->apoll->poll;
	return io_kiocb_to_cmd(req, struct io_poll);
}

/* Where the entry on a second wait queue is kept (NULL: none) */
static struct io_poll **io_poll2_of(struct io_kiocb *req)
{
	if (req->flags & REQ_F_APOLL)
		return &req->apoll->poll2;
	return &req->poll2;
}

/* Count a wakeup (or a cancel); true if the caller now owns the poll. */
static bool io_poll_get_ownership(struct io_kiocb *req)
{
	/*
	 * The owner will look again anyway: nothing to add. Racing wakers
	 * may each pass the check, overshooting by at most their number,
	 * far below the flag bits: one plain increment, no cmpxchg loop.
	 */
	if (unlikely((atomic_read(&req->poll_refs) & IO_POLL_REF_MASK) >=
		     IO_POLL_REF_MAX))
		return false;
	return !(atomic_fetch_inc(&req->poll_refs) & IO_POLL_REF_MASK);
}

static void io_poll_task_func(struct io_kiocb *req);

static void io_poll_queue_tw(struct io_kiocb *req)
{
	req->tw_func = io_poll_task_func;
	io_req_task_work_add(req);
}

static int io_poll_wake(struct wait_queue_entry *wait, unsigned int mode,
			int sync, void *key)
{
	struct io_poll *poll = container_of(wait, struct io_poll, wait);
	struct io_kiocb *req = wait->private;
	__poll_t mask = key_to_poll(key);

	if (unlikely(mask & POLLFREE)) {
		/* the queue is about to be freed: leave it, and give up */
		list_del_init(&wait->entry);
		atomic_or(IO_POLL_CANCEL, &req->poll_refs);
		if (io_poll_get_ownership(req))
			io_poll_queue_tw(req);
		/*
		 * Last: once an owner's io_poll_unhook() sees NULL it skips
		 * the queue's lock (which we hold) and may finish and free
		 * the request, so nothing of it may be touched after this.
		 * Pairs with the acquire there.
		 */
		smp_store_release(&poll->head, NULL);
		return 1;
	}
	if (mask && !(mask & READ_ONCE(poll->events)))
		return 0;
	/*
	 * Remember what woke us: with deferred task work the data may be
	 * gone by the time we look, and the event still counts. So does
	 * EPOLL_URING_WAKE, which is not one of the events asked for.
	 */
	if (mask)
		atomic_or((__force int)(mask & (poll->events | EPOLL_URING_WAKE)),
			  &req->poll_woken);
	if (io_poll_get_ownership(req)) {
		trace_io_uring_task_add(req, (__force int)mask);
		io_poll_queue_tw(req);
	}
	return 1;
}

static void io_poll_init(struct io_poll *poll, struct io_kiocb *req,
			 __poll_t events)
{
	poll->head = NULL;
	poll->events = events;
	init_waitqueue_func_entry(&poll->wait, io_poll_wake);
	poll->wait.private = req;
	INIT_LIST_HEAD(&poll->wait.entry);
}

static void io_poll_queue_proc(struct file *file, struct wait_queue_head *head,
			       struct poll_table_struct *pt)
{
	struct io_poll_table *ipt = container_of(pt, struct io_poll_table, pt);
	struct io_kiocb *req = ipt->req;
	struct io_poll *poll = ipt->poll;
	struct io_poll **poll2;

	if (unlikely(ipt->error))
		return;
	if (poll->head) {
		/* one more queue (a tty: read and write side); two at most */
		if (poll->head == head)
			return;
		poll2 = io_poll2_of(req);
		if (*poll2) {
			ipt->error = -EOPNOTSUPP;
			return;
		}
		*poll2 = kmalloc(sizeof(**poll2), GFP_ATOMIC | __GFP_ACCOUNT);
		if (!*poll2) {
			ipt->error = -ENOMEM;
			return;
		}
		io_poll_init(*poll2, req, poll->events);
		poll = *poll2;
	}
	poll->head = head;
	add_wait_queue(head, &poll->wait);
}

static void io_poll_unhook(struct io_poll *poll)
{
	struct wait_queue_head *head;

	rcu_read_lock();
	/* pairs with the POLLFREE release: NULL once the queue is left */
	head = smp_load_acquire(&poll->head);
	if (head) {
		spin_lock_irq(&head->lock);
		list_del_init(&poll->wait.entry);
		WRITE_ONCE(poll->head, NULL);
		spin_unlock_irq(&head->lock);
	}
	rcu_read_unlock();
}

/* Off every wait queue: no wakeup can reach @req after this returns. */
static void io_poll_remove_entries(struct io_kiocb *req)
{
	struct io_poll **poll2 = io_poll2_of(req);

	io_poll_unhook(io_poll_of(req));
	if (*poll2) {
		io_poll_unhook(*poll2);
		kfree(*poll2);
		*poll2 = NULL;
	}
}

static u32 io_poll_res(__poll_t mask)
{
	u32 res = (__force u32)mask;

#ifdef __BIG_ENDIAN
	res = swahw32(res);
#endif
	return res;
}

/*
 * The owner's loop: look at the file once for every batch of wakeups.
 * A multishot poll posts a CQE per batch that found the file ready.
 */
static int io_poll_check(struct io_kiocb *req)
{
	struct io_poll *poll = io_poll_of(req);
	__poll_t mask, woken;
	int v, seen;

	do {
		v = atomic_read(&req->poll_refs);
		if (unlikely(v & IO_POLL_CANCEL) || io_tw_cancelled(req))
			return IO_POLL_CANCELLED;
		woken = (__force __poll_t)atomic_xchg(&req->poll_woken, 0);
		/*
		 * An internal poll only needs to know that the op may try
		 * again (if it finds nothing after all it waits anew): the
		 * event the wakeup named is enough, without asking the file.
		 */
		mask = woken & poll->events;
		if (!mask || !(req->flags & REQ_F_APOLL))
			mask = (vfs_poll(req->file, NULL) | woken) & poll->events;
		if (mask && (req->flags & REQ_F_APOLL))
			return IO_POLL_READY;	/* the op's result is its own */
		if (mask) {
			/* our own posting woke it: one CQE, not a loop */
			if (!(req->flags & REQ_F_POLL_MULTI) ||
			    (woken & EPOLL_URING_WAKE)) {
				io_req_set_res(req, io_poll_res(mask), 0);
				return IO_POLL_READY;
			}
			/* a CQ without room ends a multishot poll */
			if (!io_post_aux_cqe(req->ctx, req->cqe.user_data,
					     io_poll_res(mask),
					     IORING_CQE_F_MORE, 0)) {
				io_req_set_res(req, io_poll_res(mask), 0);
				return IO_POLL_READY;
			}
		}
		seen = v & IO_POLL_REF_MASK;
		/* saturated: wakeups went uncounted, so look once more */
		if (seen >= IO_POLL_REF_MAX)
			seen--;
	} while (atomic_sub_return(seen, &req->poll_refs) & IO_POLL_REF_MASK);
	return IO_POLL_KEEP;
}

static void io_apoll_free(struct io_kiocb *req)
{
	struct io_ring_ctx *ctx = req->ctx;

	req->apoll->next_free = ctx->apoll_cache;
	ctx->apoll_cache = req->apoll;
	req->apoll = NULL;
	req->flags &= ~REQ_F_APOLL;
}

/* The owner ends the poll: a CQE, or the parked op's next attempt. */
static void io_poll_finish(struct io_kiocb *req, int state)
{
	io_poll_remove_entries(req);
	hlist_del_init(&req->hash_node);
	if (req->flags & REQ_F_APOLL) {
		io_apoll_free(req);
		if (state == IO_POLL_CANCELLED)
			io_req_fail(req, -ECANCELED);
		else
			io_req_retry(req);
		return;
	}
	if (state == IO_POLL_CANCELLED)
		io_req_fail(req, -ECANCELED);
	else
		io_req_complete_defer(req);
}

static void io_poll_task_func(struct io_kiocb *req)
{
	int state = io_poll_check(req);

	if (state != IO_POLL_KEEP)
		io_poll_finish(req, state);
}

static struct hlist_head *io_poll_bucket(struct io_ring_ctx *ctx, u64 key)
{
	return &ctx->poll_hash[hash_64(key, ctx->poll_hash_bits)];
}

/**
 * io_poll_hash_alloc - the ring's table of armed polls
 * @ctx: the ring
 *
 * Sized by the CQ: a ring with room for many completions may have many
 * polls armed, and removal by user_data should not walk long chains.
 *
 * Return: 0 or -ENOMEM.
 */
int io_poll_hash_alloc(struct io_ring_ctx *ctx)
{
	ctx->poll_hash_bits = clamp_t(unsigned int, ilog2(ctx->cq_entries), 5, 10);
	ctx->poll_hash = kvcalloc(1U << ctx->poll_hash_bits,
				  sizeof(*ctx->poll_hash), GFP_KERNEL_ACCOUNT);
	return ctx->poll_hash ? 0 : -ENOMEM;
}

static void io_poll_hash(struct io_kiocb *req)
{
	struct io_ring_ctx *ctx = req->ctx;

	hlist_add_head(&req->hash_node, io_poll_bucket(ctx, req->cqe.user_data));
}

/*
 * Hook @req onto its file's wait queues. Returns 0 once the poll is armed
 * or already finished; an error means nothing is armed.
 */
static int io_poll_arm(struct io_kiocb *req, struct io_poll *poll,
		       __poll_t events)
{
	struct io_poll_table ipt = { .req = req, .poll = poll };
	__poll_t mask;

	io_poll_init(poll, req, events);
	/* (an io_apoll from the cache has its next_free there) */
	*io_poll2_of(req) = NULL;
	/* we own the poll until the end of arming */
	atomic_set(&req->poll_refs, 1);
	atomic_set(&req->poll_woken, 0);
	init_poll_funcptr(&ipt.pt, io_poll_queue_proc);
	ipt.pt._key = events;
	mask = vfs_poll(req->file, &ipt.pt) & events;
	trace_io_uring_poll_arm(req, (__force int)mask, (__force int)events);
	if (unlikely(ipt.error) || (!poll->head && !mask)) {
		io_poll_remove_entries(req);
		return ipt.error ?: -EOPNOTSUPP;
	}
	io_poll_hash(req);
	if (mask) {
		/*
		 * Ready already: a retry goes through task_work, no recursion.
		 * So does a multishot poll's first CQE, as in 6.12: events
		 * that come before the task_work runs join it, rather than
		 * the program seeing one CQE now and the rest only after it
		 * enters again (DEFER_TASKRUN).
		 */
		if (req->flags & (REQ_F_APOLL | REQ_F_POLL_MULTI))
			io_poll_queue_tw(req);
		else
			io_poll_task_func(req);
		return 0;
	}
	/* wakeups while we armed: we are still the owner */
	if (atomic_sub_return(1, &req->poll_refs) & IO_POLL_REF_MASK)
		io_poll_queue_tw(req);
	return 0;
}

/**
 * io_arm_apoll - park a request that would block until its file is ready
 * @req: the request; its ->issue returned -EAGAIN
 * @events: EPOLLIN or EPOLLOUT, what the op waits for
 *
 * Return: 0 if the request now waits (it is issued again from task_work
 * once the file polls ready), or an error if the file cannot be polled
 * and the request should go to io-wq.
 */
int io_arm_apoll(struct io_kiocb *req, __poll_t events)
{
	struct io_ring_ctx *ctx = req->ctx;
	struct io_apoll *apoll;
	int ret;

	if (!req->file || !file_can_poll(req->file) ||
	    (req->flags & REQ_F_NOPOLL))
		return -EOPNOTSUPP;
	apoll = ctx->apoll_cache;
	if (apoll) {
		ctx->apoll_cache = apoll->next_free;
	} else {
		apoll = kmalloc(sizeof(*apoll), GFP_KERNEL_ACCOUNT);
		if (!apoll)
			return -ENOMEM;
	}
	apoll->poll.file = req->file;
	req->apoll = apoll;
	req->flags |= REQ_F_APOLL;
	/*
	 * Errors and hangups end the wait too: the op reports them. But
	 * EPOLLRDHUP only for a read: a socket whose peer stopped sending
	 * still takes data, and the flag stays up, so a send waiting for
	 * room would find its poll ready at once, fail again, and go round
	 * for ever (an unkillable task).
	 */
	events |= EPOLLERR | EPOLLHUP;
	if (events & EPOLLIN)
		events |= EPOLLRDHUP;
	ret = io_poll_arm(req, &apoll->poll, events);
	if (ret)
		io_apoll_free(req);
	else
		io_napi_add(req);
	return ret;
}

void io_apoll_cache_free(struct io_ring_ctx *ctx)
{
	while (ctx->apoll_cache) {
		struct io_apoll *apoll = ctx->apoll_cache;

		ctx->apoll_cache = apoll->next_free;
		kfree(apoll);
	}
}

static __poll_t io_poll_events(const struct io_uring_sqe *sqe, u32 flags)
{
	u32 events = READ_ONCE(sqe->poll32_events);

#ifdef __BIG_ENDIAN
	events = swahw32(events);
#endif
	/* errors and hangups are always reported, as with poll(2) */
	return ((__force __poll_t)events & ~(EPOLLONESHOT | EPOLLEXCLUSIVE |
					     EPOLLET)) | EPOLLERR | EPOLLHUP;
}

int io_poll_add_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_poll *poll = io_kiocb_to_cmd(req, struct io_poll);
	u32 flags = READ_ONCE(sqe->len);

	if (READ_ONCE(sqe->addr) || READ_ONCE(sqe->off) ||
	    READ_ONCE(sqe->buf_index) || READ_ONCE(sqe->splice_fd_in))
		return -EINVAL;
	if (flags & ~IO_POLL_ADD_FLAGS)
		return -EINVAL;
	/* a multishot poll cannot both skip its CQEs and report them */
	if ((flags & IORING_POLL_ADD_MULTI) &&
	    (req->flags & IOSQE_CQE_SKIP_SUCCESS))
		return -EINVAL;
	if (flags & IORING_POLL_ADD_MULTI)
		req->flags |= REQ_F_POLL_MULTI;
	poll->events = io_poll_events(sqe, flags);
	return 0;
}

int io_poll_add(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_poll *poll = io_kiocb_to_cmd(req, struct io_poll);
	int ret;

	ret = io_poll_arm(req, poll, poll->events);
	if (ret)
		return ret;
	io_napi_add(req);
	return IOU_ISSUE_SKIP_COMPLETE;
}

/*
 * Unfindable at once; finished now if we get ownership, else by the
 * owner's pending task_work, which sees IO_POLL_CANCEL.
 */
static void io_poll_cancel_req(struct io_kiocb *req)
{
	hlist_del_init(&req->hash_node);
	atomic_or(IO_POLL_CANCEL, &req->poll_refs);
	if (io_poll_get_ownership(req))
		io_poll_finish(req, IO_POLL_CANCELLED);
}

/**
 * io_poll_cancel - cancel armed polls (POLL_ADD and internal) that match
 * @ctx: the ring, with uring_lock held
 * @match: which requests; NULL for all
 * @data: passed to @match
 * @all: every match, not just the first
 *
 * Each match finishes with -ECANCELED, now or from its pending
 * task_work.
 *
 * Return: how many matched.
 */
int io_poll_cancel(struct io_ring_ctx *ctx,
		   bool (*match)(struct io_kiocb *req, void *data), void *data,
		   bool all)
{
	struct hlist_node *tmp;
	struct io_kiocb *req;
	int i, nr = 0;

	lockdep_assert_held(&ctx->uring_lock);
	for (i = 0; i < (1U << ctx->poll_hash_bits); i++) {
		hlist_for_each_entry_safe(req, tmp, &ctx->poll_hash[i], hash_node) {
			if (match && !match(req, data))
				continue;
			io_poll_cancel_req(req);
			nr++;
			if (!all)
				return nr;
		}
	}
	return nr;
}

/**
 * io_poll_detach_task - an exiting task's polls stay armed without it
 * @ctx: the ring, with uring_lock held
 * @task: the task
 *
 * As in 6.12, a poll outlives the thread that submitted it (it ends with
 * -ECANCELED when it fires, or when the ring goes): only the exit stops
 * waiting for it. Never at exec, which cancels everything instead.
 */
void io_poll_detach_task(struct io_ring_ctx *ctx, struct task_struct *task)
{
	struct io_kiocb *req;
	int i;

	lockdep_assert_held(&ctx->uring_lock);
	for (i = 0; i < (1U << ctx->poll_hash_bits); i++)
		hlist_for_each_entry(req, &ctx->poll_hash[i], hash_node)
			if (req->task == task)
				io_req_detach_task(req);
}

static struct io_kiocb *io_poll_find(struct io_ring_ctx *ctx, u64 user_data)
{
	struct io_kiocb *req;

	hlist_for_each_entry(req, io_poll_bucket(ctx, user_data), hash_node) {
		if (req->cqe.user_data == user_data &&
		    !(req->flags & REQ_F_APOLL) &&
		    !(atomic_read(&req->poll_refs) & IO_POLL_CANCEL))
			return req;
	}
	return NULL;
}

int io_poll_remove_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_poll_remove *upd = io_kiocb_to_cmd(req, struct io_poll_remove);
	u32 flags = READ_ONCE(sqe->len);

	if (READ_ONCE(sqe->buf_index) || READ_ONCE(sqe->splice_fd_in))
		return -EINVAL;
	if (flags & ~(IO_POLL_UPDATE_FLAGS | IORING_POLL_ADD_MULTI))
		return -EINVAL;
	/* multishot only makes sense with new events */
	if ((flags & IORING_POLL_ADD_MULTI) &&
	    !(flags & IORING_POLL_UPDATE_EVENTS))
		return -EINVAL;
	upd->flags = flags;
	upd->old_user_data = READ_ONCE(sqe->addr);
	upd->new_user_data = READ_ONCE(sqe->off);
	if (flags & IORING_POLL_UPDATE_EVENTS)
		upd->events = io_poll_events(sqe, flags);
	else if (READ_ONCE(sqe->poll32_events))
		return -EINVAL;
	if (!(flags & IORING_POLL_UPDATE_USER_DATA) && upd->new_user_data)
		return -EINVAL;
	return 0;
}

/*
 * POLL_REMOVE: cancel the poll whose user_data is sqe->addr, or, with
 * update flags, change its events and/or user_data and keep it armed.
 */
int io_poll_remove(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_poll_remove *upd = io_kiocb_to_cmd(req, struct io_poll_remove);
	struct io_ring_ctx *ctx = req->ctx;
	struct io_kiocb *target;
	struct io_poll *poll;

	target = io_poll_find(ctx, upd->old_user_data);
	if (!target) {
		io_req_set_res(req, -ENOENT, 0);
		return IOU_OK;
	}
	if (!(upd->flags & IO_POLL_UPDATE_FLAGS)) {
		io_poll_cancel_req(target);
		io_req_set_res(req, 0, 0);
		return IOU_OK;
	}
	/* the owner (if any) runs under uring_lock too: update in place */
	poll = io_kiocb_to_cmd(target, struct io_poll);
	if (upd->flags & IORING_POLL_UPDATE_EVENTS) {
		WRITE_ONCE(poll->events, upd->events);
		if (*io_poll2_of(target))
			WRITE_ONCE((*io_poll2_of(target))->events,
				   upd->events);
		if (upd->flags & IORING_POLL_ADD_MULTI)
			target->flags |= REQ_F_POLL_MULTI;
		else
			target->flags &= ~REQ_F_POLL_MULTI;
	}
	if (upd->flags & IORING_POLL_UPDATE_USER_DATA) {
		hlist_del_init(&target->hash_node);
		target->cqe.user_data = upd->new_user_data;
		io_poll_hash(target);
	}
	/* look at the file again with the new events, in its task */
	if (io_poll_get_ownership(target)) {
		if (target->task == current)
			io_poll_task_func(target);
		else
			io_poll_queue_tw(target);
	}
	io_req_set_res(req, 0, 0);
	return IOU_OK;
}

#ifdef CONFIG_PROC_FS
/**
 * io_poll_show_fdinfo - list the armed polls in /proc/<pid>/fdinfo
 * @m: the seq_file
 * @ctx: the ring, with uring_lock held
 */
void io_poll_show_fdinfo(struct seq_file *m, struct io_ring_ctx *ctx)
{
	unsigned int i, nr = 0;
	struct io_kiocb *req;

	lockdep_assert_held(&ctx->uring_lock);
	seq_puts(m, "PollList:\n");
	for (i = 0; i < (1U << ctx->poll_hash_bits); i++) {
		hlist_for_each_entry(req, &ctx->poll_hash[i], hash_node) {
			struct io_poll *poll = req->flags & REQ_F_APOLL ?
				&req->apoll->poll :
				io_kiocb_to_cmd(req, struct io_poll);

			seq_printf(m, "  op=%s user_data=0x%llx events=0x%x%s\n",
				   io_op_name(req->opcode), req->cqe.user_data,
				   (__force u32)READ_ONCE(poll->events),
				   req->flags & REQ_F_APOLL ? " (internal)" : "");
			nr++;
		}
	}
	seq_printf(m, "PollCount:\t%u\n", nr);
}
#endif

/* A file's poll may name several wait queues (a tty: read and write). */
#define IO_READY_QUEUES	4

struct io_ready_wait {
	struct poll_table_struct	pt;
	unsigned int			nr;
	struct task_struct		*task;
	/* a wakeup came since the last poll */
	bool				triggered;
	struct {
		struct wait_queue_entry	entry;
		struct wait_queue_head	*head;
	} q[IO_READY_QUEUES];
};

static int io_ready_wake(struct wait_queue_entry *entry, unsigned int mode,
			 int sync, void *key)
{
	struct io_ready_wait *w = entry->private;

	/* the flag before the wakeup: the sleeper tests it once it is set */
	WRITE_ONCE(w->triggered, true);
	return wake_up_process(w->task);
}

static void io_ready_queue(struct file *file, struct wait_queue_head *head,
			   struct poll_table_struct *pt)
{
	struct io_ready_wait *w = container_of(pt, struct io_ready_wait, pt);

	if (w->nr == IO_READY_QUEUES)
		return;
	init_waitqueue_func_entry(&w->q[w->nr].entry, io_ready_wake);
	w->q[w->nr].entry.private = w;
	w->q[w->nr].head = head;
	add_wait_queue(head, &w->q[w->nr].entry);
	w->nr++;
}

/**
 * io_file_wait_ready - sleep until @file polls ready (an io worker's wait)
 * @file: the file
 * @events: EPOLLIN or EPOLLOUT
 *
 * The file is polled while we run (its ->poll may sleep: an epoll file
 * takes a mutex), and we sleep only if no wakeup came since: the pattern
 * of poll(2). Past the queues we can wait on, a periodic re-poll keeps
 * the wait finite.
 *
 * Return: 0 once the file is ready, -EINTR when the worker is told to
 * cancel.
 */
int io_file_wait_ready(struct file *file, __poll_t events)
{
	struct io_ready_wait w = { .nr = 0 };
	unsigned int i;
	int ret = 0;

	init_poll_funcptr(&w.pt, io_ready_queue);
	events |= EPOLLERR | EPOLLHUP;
	w.task = current;
	if (!(vfs_poll(file, &w.pt) & events)) {
		for (;;) {
			set_current_state(TASK_INTERRUPTIBLE);
			if (!READ_ONCE(w.triggered) && !signal_pending(current)) {
				if (w.nr < IO_READY_QUEUES)
					schedule();
				else
					schedule_timeout(HZ / 10);
			}
			__set_current_state(TASK_RUNNING);
			if (signal_pending(current)) {
				ret = -EINTR;
				break;
			}
			WRITE_ONCE(w.triggered, false);
			if (vfs_poll(file, NULL) & events)
				break;
		}
	}
	for (i = 0; i < w.nr; i++)
		remove_wait_queue(w.q[i].head, &w.q[i].entry);
	return ret;
}
