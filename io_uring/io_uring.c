// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring core: ring setup and memory, submission, completion posting,
 * CQ overflow, waiting for completions, and ring teardown.
 *
 * Ordering with user space: the application writes SQEs and then the SQ
 * tail (release); we read the tail with acquire before reading SQEs, and
 * publish the SQ head with release once we are done with them. For the CQ
 * we write CQEs and then the CQ tail with release; the application reads
 * the tail with acquire and writes the CQ head when it has consumed them.
 */
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/errno.h>
#include <linux/syscalls.h>
#include <linux/compat.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/anon_inodes.h>
#include <linux/uaccess.h>
#include <linux/poll.h>
#include <linux/hrtimer.h>
#include <linux/sysctl.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/sched/signal.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/cred.h>
#include <linux/seq_file.h>
#include <linux/irq_work.h>
#include <linux/audit.h>
#include <linux/security.h>
#include <linux/kcov.h>
#include <linux/blkdev.h>
#include <linux/io_uring.h>
#include <linux/io_uring/cmd.h>

#include "io_uring.h"
#include "opdef.h"
#include "eventfd.h"
#include "io-wq.h"
#include "rsrc.h"
#include "filetable.h"
#include "register.h"
#include "rw.h"
#include "poll.h"
#include "timeout.h"
#include "cancel.h"
#include "net.h"
#include "kbuf.h"
#include "memmap.h"
#include "sqpoll.h"
#include "uring_cmd.h"
#include "napi.h"
#include "nop.h"
#include "restrict.h"
#include "latency.h"
#include "bpf_filter.h"

#define CREATE_TRACE_POINTS
#include <trace/events/io_uring.h>

/* requests allocated at once when the per-ring cache runs dry */
#define IO_REQ_ALLOC_BATCH	8

static struct kmem_cache *req_cachep;
static const struct file_operations io_uring_fops;

/**
 * io_is_uring_fops - tell whether a file is an io_uring instance
 * @file: the file
 *
 * SCM_RIGHTS refuses to pass ring files, so that a ring can never hold a
 * reference to itself through a unix socket it owns.
 */
bool io_is_uring_fops(struct file *file)
{
	return file->f_op == &io_uring_fops;
}

static size_t io_rings_size(unsigned int flags, unsigned int sq_entries,
			    unsigned int cq_entries, size_t *sq_array_off)
{
	size_t cqe_size = sizeof(struct io_uring_cqe);
	size_t off;

	if (flags & IORING_SETUP_CQE32)
		cqe_size <<= 1;
	if (check_mul_overflow(cqe_size, (size_t)cq_entries, &off))
		return SIZE_MAX;
	off += offsetof(struct io_rings, cqes);
	off = ALIGN(off, SMP_CACHE_BYTES);
	/* IORING_SETUP_NO_SQARRAY: SQ head and tail index the SQEs */
	if (flags & IORING_SETUP_NO_SQARRAY) {
		*sq_array_off = 0;
		return off;
	}
	*sq_array_off = off;
	return off + sq_entries * sizeof(u32);
}

/* ---- completions ---------------------------------------------------- */

struct io_overflow_cqe {
	struct list_head	list;
	struct io_uring_cqe	cqe;
	u64			big[2];
};

static struct io_uring_cqe *io_cqe_slot(struct io_ring_ctx *ctx)
{
	unsigned int idx = ctx->cached_cq_tail & (ctx->cq_entries - 1);

	return &ctx->rings->cqes[idx << ctx->cq_shift];
}

/* (io_cqe_slot() for the mixed sizes' slow paths: kept apart from it) */
static noinline struct io_uring_cqe *io_mixed_slot(struct io_ring_ctx *ctx)
{
	return &ctx->rings->cqes[ctx->cached_cq_tail & (ctx->cq_entries - 1)];
}

static bool io_cq_full(struct io_ring_ctx *ctx)
{
	return io_cqring_events(ctx) >= ctx->cq_entries;
}

/* The filler CQE of a mixed ring's last slot: no user_data, no result. */
static void io_write_skip_cqe(struct io_ring_ctx *ctx)
{
	struct io_uring_cqe *cqe = io_mixed_slot(ctx);

	WRITE_ONCE(cqe->user_data, 0);
	WRITE_ONCE(cqe->res, 0);
	WRITE_ONCE(cqe->flags, IORING_CQE_F_SKIP);
	ctx->cached_cq_tail++;
}

/*
 * A 32-byte CQE in a ring of mixed sizes. Only there: the flag may come
 * from user space (MSG_RING's IORING_MSG_RING_FLAGS_PASS), and nowhere
 * else is there a second slot's worth of room behind a CQE.
 */
static __always_inline bool io_cqe_is_big(struct io_ring_ctx *ctx, u32 cflags)
{
	return unlikely(cflags & IORING_CQE_F_32) &&
	       (ctx->flags & IORING_SETUP_CQE_MIXED);
}

/*
 * Slots a CQE with @cflags takes if posted now: two for a 32-byte one in
 * a ring of mixed sizes, plus a skip CQE first when only the ring's last
 * slot is left before it wraps.
 */
static unsigned int io_cqe_slots(struct io_ring_ctx *ctx, u32 cflags)
{
	unsigned int last = ctx->cq_entries - 1;

	if (likely(!io_cqe_is_big(ctx, cflags)))
		return 1;
	return 2 + ((ctx->cached_cq_tail & last) == last);
}

static bool io_cq_fits(struct io_ring_ctx *ctx, u32 cflags)
{
	unsigned int used = io_cqring_events(ctx);

	/* a head user space got wrong may put "used" past the size */
	return used < ctx->cq_entries &&
	       ctx->cq_entries - used >= io_cqe_slots(ctx, cflags);
}

/*
 * Before a 32-byte CQE is posted or queued: if the tail is at the ring's
 * last slot and that slot is free, fill it with a skip CQE now. The CQE
 * then needs two slots at the ring's start, which a ring of two can have
 * (it could never have three); user space reaps the skip like any CQE.
 */
static void io_cq_skip_last_slot(struct io_ring_ctx *ctx, u32 cflags)
{
	unsigned int last = ctx->cq_entries - 1;

	if (!io_cqe_is_big(ctx, cflags) ||
	    (ctx->cached_cq_tail & last) != last || io_cq_full(ctx))
		return;
	io_write_skip_cqe(ctx);
}

static __always_inline void io_write_cqe(struct io_ring_ctx *ctx,
					 u64 user_data, s32 res, u32 cflags,
					 u64 extra1, u64 extra2)
{
	struct io_uring_cqe *cqe = io_cqe_slot(ctx);

	/*
	 * (the static key tested here, inline: at -Os the tracepoint's own
	 * wrapper is an out-of-line call made for every CQE)
	 */
	if (trace_io_uring_complete_enabled())
		trace_io_uring_complete(ctx, NULL, user_data, res, cflags,
					extra1, extra2);
	WRITE_ONCE(cqe->user_data, user_data);
	WRITE_ONCE(cqe->res, res);
	WRITE_ONCE(cqe->flags, cflags);
	if (ctx->cq_shift) {
		WRITE_ONCE(cqe->big_cqe[0], extra1);
		WRITE_ONCE(cqe->big_cqe[1], extra2);
	}
	ctx->cached_cq_tail++;
}

/*
 * A 32-byte CQE in a ring of 16-byte slots (IORING_SETUP_CQE_MIXED): its
 * extra words are the next slot's, so it never starts in the last slot;
 * a CQE flagged IORING_CQE_F_SKIP fills that one first. The caller saw to
 * room for both (io_cqe_slots()).
 */
static noinline void io_write_mixed_cqe(struct io_ring_ctx *ctx,
					u64 user_data, s32 res, u32 cflags,
					u64 extra1, u64 extra2)
{
	unsigned int last = ctx->cq_entries - 1;
	struct io_uring_cqe *cqe;

	if ((ctx->cached_cq_tail & last) == last)
		io_write_skip_cqe(ctx);
	cqe = io_mixed_slot(ctx);
	WRITE_ONCE(cqe->user_data, user_data);
	WRITE_ONCE(cqe->res, res);
	WRITE_ONCE(cqe->flags, cflags);
	WRITE_ONCE(cqe->big_cqe[0], extra1);
	WRITE_ONCE(cqe->big_cqe[1], extra2);
	ctx->cached_cq_tail += 2;
}

/**
 * io_post_aux_cqe - post an extra CQE for a request that goes on
 * @ctx: the ring
 * @user_data: cqe->user_data
 * @res: cqe->res
 * @cflags: cqe->flags (IORING_CQE_F_MORE)
 *
 * For multishot requests. Returns false, posting nothing, if the CQ has
 * no room: the request must then end with a final CQE.
 */
bool io_post_aux_cqe(struct io_ring_ctx *ctx, u64 user_data, s32 res,
		     u32 cflags)
{
	bool posted = false;

	spin_lock(&ctx->completion_lock);
	/* (multishot CQEs, never 32 bytes: io_write_cqe() is for those) */
	if (list_empty(&ctx->cq_overflow_list) && !io_cq_full(ctx)) {
		io_write_cqe(ctx, user_data, res, cflags, 0, 0);
		ctx->cq_seq++;
		posted = io_cq_commit(ctx);
	}
	spin_unlock(&ctx->completion_lock);
	if (posted)
		io_cq_wake(ctx);
	return posted;
}

/*
 * Keep a CQE that did not fit. Ordering is preserved because nothing is
 * written to the ring while the overflow list is not empty.
 */
static bool io_cqe_overflow(struct io_ring_ctx *ctx, u64 user_data, s32 res,
			    u32 cflags, u64 extra1, u64 extra2)
{
	struct io_overflow_cqe *ocqe;

	lockdep_assert_held(&ctx->completion_lock);
	ocqe = kmalloc(sizeof(*ocqe), GFP_ATOMIC | __GFP_ACCOUNT | __GFP_NOWARN);
	trace_io_uring_cqe_overflow(ctx, user_data, res, cflags, ocqe);
	if (!ocqe) {
		/* lost: tell user space through cq.overflow and -EBADR */
		WRITE_ONCE(ctx->rings->cq_overflow, ctx->rings->cq_overflow + 1);
		set_bit(IO_CHECK_CQ_DROPPED_BIT, &ctx->check_cq);
		return false;
	}
	ocqe->cqe.user_data = user_data;
	ocqe->cqe.res = res;
	ocqe->cqe.flags = cflags;
	ocqe->big[0] = extra1;
	ocqe->big[1] = extra2;
	if (list_empty(&ctx->cq_overflow_list)) {
		set_bit(IO_CHECK_CQ_OVERFLOW_BIT, &ctx->check_cq);
		atomic_or(IORING_SQ_CQ_OVERFLOW, &ctx->rings->sq_flags);
	}
	list_add_tail(&ocqe->list, &ctx->cq_overflow_list);
	ctx->nr_overflow++;
	return true;
}

/**
 * io_post_cqe - write one CQE, or queue it on the overflow list
 * @ctx: the ring
 * @user_data: cqe->user_data
 * @res: cqe->res
 * @cflags: cqe->flags
 * @extra1: first extra word of a 32-byte CQE
 * @extra2: second extra word of a 32-byte CQE
 *
 * Called with completion_lock held; io_cq_commit() publishes, under the
 * same lock, and io_cq_wake() tells waiters after it is dropped.
 * Returns false if the CQE had to be dropped.
 */
bool io_post_cqe(struct io_ring_ctx *ctx, u64 user_data, s32 res, u32 cflags,
		 u64 extra1, u64 extra2)
{
	lockdep_assert_held(&ctx->completion_lock);
	ctx->cq_seq++;
	if (unlikely(!list_empty(&ctx->cq_overflow_list)))
		return io_cqe_overflow(ctx, user_data, res, cflags, extra1, extra2);
	io_cq_skip_last_slot(ctx, cflags);
	if (unlikely(!io_cq_fits(ctx, cflags)))
		return io_cqe_overflow(ctx, user_data, res, cflags, extra1, extra2);
	if (io_cqe_is_big(ctx, cflags))
		io_write_mixed_cqe(ctx, user_data, res, cflags, extra1, extra2);
	else
		io_write_cqe(ctx, user_data, res, cflags, extra1, extra2);
	return true;
}

/* Move overflowed CQEs into the ring while it has room. */
static void __io_cqring_overflow_flush(struct io_ring_ctx *ctx)
{
	struct io_overflow_cqe *ocqe, *tmp;

	lockdep_assert_held(&ctx->completion_lock);
	list_for_each_entry_safe(ocqe, tmp, &ctx->cq_overflow_list, list) {
		io_cq_skip_last_slot(ctx, ocqe->cqe.flags);
		if (!io_cq_fits(ctx, ocqe->cqe.flags))
			break;
		if (io_cqe_is_big(ctx, ocqe->cqe.flags))
			io_write_mixed_cqe(ctx, ocqe->cqe.user_data,
					   ocqe->cqe.res, ocqe->cqe.flags,
					   ocqe->big[0], ocqe->big[1]);
		else
			io_write_cqe(ctx, ocqe->cqe.user_data, ocqe->cqe.res,
				     ocqe->cqe.flags, ocqe->big[0],
				     ocqe->big[1]);
		list_del(&ocqe->list);
		ctx->nr_overflow--;
		kfree(ocqe);
	}
	if (list_empty(&ctx->cq_overflow_list)) {
		clear_bit(IO_CHECK_CQ_OVERFLOW_BIT, &ctx->check_cq);
		atomic_andnot(IORING_SQ_CQ_OVERFLOW, &ctx->rings->sq_flags);
	}
}

#ifdef CONFIG_PROC_FS
/**
 * io_cq_overflow_show_fdinfo - list the CQEs waiting for room
 * @m: the seq_file
 * @ctx: the ring
 */
void io_cq_overflow_show_fdinfo(struct seq_file *m, struct io_ring_ctx *ctx)
{
	struct io_overflow_cqe *ocqe;

	spin_lock(&ctx->completion_lock);
	seq_printf(m, "CqOverflowList:\t%u\n", ctx->nr_overflow);
	list_for_each_entry(ocqe, &ctx->cq_overflow_list, list)
		seq_printf(m, "  user_data=0x%llx res=%d flags=0x%x\n",
			   ocqe->cqe.user_data, ocqe->cqe.res, ocqe->cqe.flags);
	spin_unlock(&ctx->completion_lock);
}
#endif

void io_cqring_overflow_flush(struct io_ring_ctx *ctx)
{
	bool posted;

	if (!test_bit(IO_CHECK_CQ_OVERFLOW_BIT, &ctx->check_cq))
		return;
	spin_lock(&ctx->completion_lock);
	__io_cqring_overflow_flush(ctx);
	posted = io_cq_commit(ctx);
	spin_unlock(&ctx->completion_lock);
	if (posted)
		io_cq_wake(ctx);
}

/**
 * io_cq_commit - publish the CQEs written so far
 * @ctx: the ring, with completion_lock held
 *
 * The tail is stored under the lock the CQEs were written under: two
 * posters (a MSG_RING sender and the ring's own flush) can never store
 * their tails out of order, so user space never sees it move backwards.
 *
 * Return: true if the tail moved (io_cq_wake() is due).
 */
bool io_cq_commit(struct io_ring_ctx *ctx)
{
	lockdep_assert_held(&ctx->completion_lock);
	/* our own copy: user space may scribble over the shared one */
	if (ctx->cq_published == ctx->cached_cq_tail)
		return false;
	WRITE_ONCE(ctx->cq_published, ctx->cached_cq_tail);
	/* CQE contents before the tail that makes them visible */
	smp_store_release(&ctx->rings->cq.tail, ctx->cached_cq_tail);
	return true;
}

/**
 * io_cq_wake - tell waiters, pollers and the eventfd about new CQEs
 * @ctx: the ring, completion_lock not held
 *
 * Pollers are woken with EPOLL_URING_WAKE: a multishot poll that this
 * wakes (one on this very ring, or on its eventfd) ends instead of
 * feeding itself a CQE per CQE it posts.
 */
void io_cq_wake(struct io_ring_ctx *ctx)
{
	if (wq_has_sleeper(&ctx->cq_wait))
		wake_up(&ctx->cq_wait);
	if (wq_has_sleeper(&ctx->poll_wq))
		wake_up_interruptible_poll(&ctx->poll_wq, EPOLLIN | EPOLLRDNORM |
					   EPOLL_URING_WAKE);
	io_eventfd_signal(ctx);
}

/* ---- requests ------------------------------------------------------- */

/*
 * Clear the request's init group a word at a time: at -Os a memset() of
 * it becomes "rep stosl", a count per four bytes, the largest single cost
 * of submitting a NOP. Its last word, submit_ns, takes @stamp instead.
 */
static __always_inline void io_req_zero_init(struct io_kiocb *req, u64 stamp)
{
	u64 *word = (u64 *)&req->init;
	unsigned int i;

	BUILD_BUG_ON(sizeof(req->init) % sizeof(u64));
	BUILD_BUG_ON(offsetof(struct io_kiocb, submit_ns) !=
		     offsetof(struct io_kiocb, init) + sizeof(req->init) -
		     sizeof(u64));
#pragma GCC unroll 64
	for (i = 0; i < sizeof(req->init) / sizeof(u64) - 1; i++)
		WRITE_ONCE(word[i], 0);
	WRITE_ONCE(word[i], stamp);
}

static void io_req_to_cache(struct io_ring_ctx *ctx, struct io_kiocb *req)
{
	req->next = ctx->free_reqs;
	ctx->free_reqs = req;
}

static noinline bool io_req_cache_refill(struct io_ring_ctx *ctx)
{
	void *reqs[IO_REQ_ALLOC_BATCH];
	int i, n;

	n = kmem_cache_alloc_bulk(req_cachep, GFP_KERNEL_ACCOUNT | __GFP_NOWARN,
				  ARRAY_SIZE(reqs), reqs);
	if (unlikely(n <= 0)) {
		reqs[0] = kmem_cache_alloc(req_cachep, GFP_KERNEL_ACCOUNT);
		if (!reqs[0])
			return false;
		n = 1;
	}
	/* what the cache keeps clear (see struct io_kiocb) starts clear */
	for (i = 0; i < n; i++) {
		memset(reqs[i], 0, sizeof(struct io_kiocb));
		io_req_to_cache(ctx, reqs[i]);
	}
	return true;
}

/*
 * A request from the ring's cache. Each request holds a reference on
 * ctx->refs, taken and dropped a batch at a time by the submission and
 * the completion flush.
 */
static __always_inline struct io_kiocb *io_req_alloc(struct io_ring_ctx *ctx)
{
	struct io_kiocb *req;

	lockdep_assert_held(&ctx->uring_lock);
	if (unlikely(!ctx->free_reqs) && !io_req_cache_refill(ctx))
		return NULL;
	req = ctx->free_reqs;
	ctx->free_reqs = req->next;
	return req;
}

/**
 * io_req_alloc_aux - a request that is no SQE's (a SEND_ZC notification)
 * @ctx: the ring, with uring_lock held
 *
 * It completes like any request but counts in neither IOSQE_IO_DRAIN nor
 * the per-op statistics. It holds a ring reference and current's task
 * struct, not a count in current's inflight (REQ_F_DETACHED): it only
 * ever posts a CQE, and must not hold up the task's exit or exec.
 *
 * Return: the request, its CQE fields zero, or NULL.
 */
struct io_kiocb *io_req_alloc_aux(struct io_ring_ctx *ctx)
{
	struct io_kiocb *req = io_req_alloc(ctx);

	if (!req)
		return NULL;
	io_req_zero_init(req, 0);
	req->opcode = IORING_OP_NOP;
	req->flags = REQ_F_AUX | REQ_F_DETACHED;
	req->buf_index = 0;
	req->fd = -1;
	req->seq = 0;
	req->ctx = ctx;
	req->task = get_task_struct(current);
	percpu_ref_get(&ctx->refs);
	ctx->nr_aux++;
	return req;
}

/* Take a request that went to io-wq off the ring's list of such. */
static void io_iowq_unlink(struct io_kiocb *req)
{
	struct io_ring_ctx *ctx = req->ctx;

	spin_lock(&ctx->iowq_lock);
	list_del(&req->list);
	spin_unlock(&ctx->iowq_lock);
	req->flags &= ~REQ_F_IOWQ;
	io_wq_put(req->wq);
}

#define IO_REQ_F_SLOW	(REQ_F_NEED_CLEANUP | REQ_F_CREDS | REQ_F_IOWQ | \
			 REQ_F_DETACHED)

static void io_req_free_slow(struct io_kiocb *req)
{
	if (req->flags & REQ_F_NEED_CLEANUP)
		io_op_defs[req->opcode].cleanup(req);
	if (req->flags & REQ_F_CREDS)
		put_cred(req->creds);
	if (req->flags & REQ_F_IOWQ)
		io_iowq_unlink(req);
}

/*
 * Under uring_lock: give back what the request holds, then the request.
 * Its reference on ctx->refs is the caller's to drop.
 */
static void io_req_free(struct io_kiocb *req)
{
	struct io_ring_ctx *ctx = req->ctx;
	struct io_uring_task *tctx = req->task->io_uring;

	if (unlikely(req->flags & IO_REQ_F_SLOW))
		io_req_free_slow(req);
	/* (io_req_link_next() cleared req->link; these go clear too) */
	if (req->file_node) {
		io_rsrc_node_put(ctx, req->file_node);
		req->file_node = NULL;
	} else if (req->file) {
		fput(req->file);
	}
	if (req->buf_node) {
		io_rsrc_node_put(ctx, req->buf_node);
		req->buf_node = NULL;
	}
	if (req->rsrc_gen) {
		io_rsrc_gen_put(ctx, req->rsrc_gen);
		req->rsrc_gen = NULL;
	}
	if (unlikely(req->flags & REQ_F_DETACHED)) {
		if (req->flags & REQ_F_AUX)
			ctx->nr_aux--;
		/* outlived its thread's exit: it holds the task, not a count */
		io_req_to_cache(ctx, req);
		put_task_struct(req->task);
		return;
	}
	if (likely(req->task == current)) {
		/* the task itself: nobody to wake, it is running this */
		tctx->cached_refs++;
	} else {
		/*
		 * The last request of an exiting task lets it finish its exit
		 * and free tctx with the task, which happens an RCU grace
		 * period after the exit at the earliest: the wakeup stays
		 * inside one.
		 */
		rcu_read_lock();
		percpu_counter_dec(&tctx->inflight);
		if (unlikely(READ_ONCE(tctx->in_exit)))
			wake_up(&tctx->exit_wait);
		rcu_read_unlock();
	}
	io_req_to_cache(ctx, req);
}

/**
 * io_req_detach_task - let a request outlive its thread's exit
 * @req: a request that will complete without the task (a poll or a
 *	timeout at exit, a read waiting for a page at exit or exec), and
 *	each request linked after it (uring_lock held)
 *
 * A detached request can only complete or be cancelled, never issue
 * again: io_tw_cancelled() holds for it, in the fallback worker after an
 * exit and in the task itself after an exec. The task stops waiting for
 * it; the request keeps the task struct (and so its io_uring state)
 * until it is freed.
 */
void io_req_detach_task(struct io_kiocb *req)
{
	for (; req; req = req->link) {
		if (req->flags & REQ_F_DETACHED)
			continue;
		get_task_struct(req->task);
		req->flags |= REQ_F_DETACHED;
		percpu_counter_dec(&req->task->io_uring->inflight);
	}
}

/*
 * Free CQ slots, read once per flush: the CQEs of a batch go straight
 * into the ring while it lasts, without io_post_cqe()'s per-CQE check of
 * the shared head. A head user space moved past the tail reads as full.
 */
static unsigned int io_cq_room(struct io_ring_ctx *ctx)
{
	unsigned int events = io_cqring_events(ctx);

	/*
	 * IORING_SETUP_CQE_MIXED: a CQE may take one slot or more, so none
	 * is written by counting; each goes through io_post_cqe(). (Here,
	 * once per batch, and not in the inlined writes of the flush loop,
	 * where even a test for it costs a plain ring's flush 3%.)
	 */
	if (unlikely(ctx->flags & IORING_SETUP_CQE_MIXED))
		return 0;
	if (!list_empty(&ctx->cq_overflow_list) || events >= ctx->cq_entries)
		return 0;
	return ctx->cq_entries - events;
}

/* A CQE of a flush: into the ring if @room says so, else the slow way. */
static __always_inline void io_flush_cqe(struct io_ring_ctx *ctx,
					 unsigned int *room, u64 user_data,
					 s32 res, u32 cflags, u64 extra1,
					 u64 extra2)
{
	if (likely(*room)) {
		(*room)--;
		ctx->cq_seq++;
		io_write_cqe(ctx, user_data, res, cflags, extra1, extra2);
		return;
	}
	io_post_cqe(ctx, user_data, res, cflags, extra1, extra2);
}

/*
 * The second half of a 32-byte CQE: only NOPs and uring_cmds have one
 * to post; kept by the op rather than in every request.
 */
static void io_req_big_cqe(struct io_kiocb *req, u64 big[2])
{
	big[0] = 0;
	big[1] = 0;
	if (req->flags & REQ_F_AUX)
		return;
	if (req->opcode == IORING_OP_NOP || req->opcode == IORING_OP_NOP128)
		io_nop_big_cqe(req, big);
	else if (io_is_uring_cmd(req))
		io_uring_cmd_big_cqe(req, big);
}

/* A ring of 32-byte or mixed CQEs: a CQE with its second half, if any */
static noinline void io_flush_big_cqe(struct io_ring_ctx *ctx,
				      struct io_kiocb *req, unsigned int *room)
{
	u64 big[2];

	io_req_big_cqe(req, big);
	io_flush_cqe(ctx, room, req->cqe.user_data, req->cqe.res,
		     req->cqe.flags, big[0], big[1]);
}

/* @big: the ring has 32-byte CQEs, or mixed sizes (a constant) */
static __always_inline void io_req_fill_cqe(struct io_ring_ctx *ctx,
					    struct io_kiocb *req,
					    unsigned int *room, const bool big)
{
	if (likely(!(req->flags & (REQ_F_DRAIN_ERASED | REQ_F_AUX)))) {
		ctx->nr_completed++;
		ctx->op_completed[req->opcode]++;
	} else if (!(req->flags & REQ_F_AUX)) {
		ctx->op_completed[req->opcode]++;
	}
	if (req->cqe.res < 0 && !(req->flags & REQ_F_ETIME_OK))
		req->flags |= REQ_F_FAIL;
	/* SEND_ZC: F_MORE if its notification will follow */
	if (unlikely(req->flags & REQ_F_NOTIF))
		req->cqe.flags |= io_send_zc_cqe_flags(req);
	/*
	 * IOSQE_CQE_SKIP_SUCCESS: only a failure is worth a CQE; a request
	 * cancelled behind such a failure posts nothing at all.
	 */
	/* a provided buffer still held: back to its group, or reported */
	if (unlikely(io_kbuf_selected(req)))
		req->cqe.flags |= io_kbuf_drop(req);
	if (unlikely(req->flags & (IOSQE_CQE_SKIP_SUCCESS | REQ_F_SILENT))) {
		if ((req->flags & REQ_F_SILENT) || !(req->flags & REQ_F_FAIL))
			return;
	}
	if (big) {
		io_flush_big_cqe(ctx, req, room);
		return;
	}
	io_flush_cqe(ctx, room, req->cqe.user_data, req->cqe.res,
		     req->cqe.flags, 0, 0);
}

/* The CQEs of a batch on a ring of 32-byte or mixed CQEs: kept apart */
static noinline void io_fill_big_cqes(struct io_ring_ctx *ctx,
				      struct io_kiocb *req, unsigned int *room)
{
	for (; req; req = req->next)
		io_req_fill_cqe(ctx, req, room, true);
}

/**
 * io_req_complete_defer - complete a request at the end of this batch
 * @req: the request, with its result set
 *
 * Must run under uring_lock; the CQEs of a batch are posted together.
 */
void io_req_complete_defer(struct io_kiocb *req)
{
	struct io_ring_ctx *ctx = req->ctx;

	lockdep_assert_held(&ctx->uring_lock);
	req->next = NULL;
	*ctx->compl_tail = req;
	ctx->compl_tail = &req->next;
}

/**
 * io_req_fail - complete a request with an error at the end of the batch
 * @req: the request (uring_lock held)
 * @err: the negative errno for its CQE
 */
void io_req_fail(struct io_kiocb *req, int err)
{
	req->flags |= REQ_F_FAIL;
	io_req_set_res(req, err, 0);
	io_req_complete_defer(req);
}

/**
 * io_req_complete_unlocked - complete a request from a context that does
 *	not hold the ring's uring_lock (an io worker, a cancellation)
 * @req: the request, with its result set
 */
void io_req_complete_unlocked(struct io_kiocb *req)
{
	struct io_ring_ctx *ctx = req->ctx;

	mutex_lock(&ctx->uring_lock);
	io_req_complete_defer(req);
	io_flush_completions(ctx);
	mutex_unlock(&ctx->uring_lock);
}

static void io_queue_deferred(struct io_ring_ctx *ctx);
static void io_req_queue(struct io_kiocb *req);
static bool io_queue_iowq_next(struct io_kiocb *prev, struct io_kiocb *req);

/* Cancel a request of a chain that will not run; @silent: no CQE */
static void io_req_link_cancel(struct io_kiocb *req, bool silent)
{
	req->flags |= REQ_F_LINK_CANCEL | (silent ? REQ_F_SILENT : 0);
	io_req_fail(req, -ECANCELED);
}

/*
 * A request with a successor in its chain completed: start the successor,
 * or, if this one failed and the link is a soft one, cancel it (and so,
 * one by one, the rest of the chain).
 */
static void io_req_link_next(struct io_kiocb *req)
{
	struct io_kiocb *nxt = req->link;

	req->link = NULL;
	if (unlikely(nxt->flags & REQ_F_LTIMEOUT)) {
		/* stop the link timeout; NULL: it fired and handles the rest */
		nxt = io_link_timeout_disarm(req, nxt);
		if (!nxt)
			return;
	}
	if ((req->flags & REQ_F_FAIL) &&
	    (!(req->flags & IOSQE_IO_HARDLINK) || (req->flags & REQ_F_LINK_CANCEL))) {
		/*
		 * A failure of a request that asked for failures only
		 * (IOSQE_CQE_SKIP_SUCCESS) is the one CQE of its chain: the
		 * requests cancelled after it post none.
		 */
		bool silent = req->flags & REQ_F_LINK_CANCEL ?
			      req->flags & REQ_F_SILENT :
			      req->flags & IOSQE_CQE_SKIP_SUCCESS;

		trace_io_uring_fail_link(req, nxt);
		io_req_link_cancel(nxt, silent);
		return;
	}
	if (unlikely(current->flags & PF_IO_WORKER) && io_queue_iowq_next(req, nxt))
		return;
	io_req_queue(nxt);
}

/**
 * io_flush_completions - post the batch's CQEs, then free the requests
 * @ctx: the ring, with uring_lock held
 *
 * Completing a request may start or cancel its successor in a chain and
 * release drained requests; their completions join the same loop.
 */
void io_flush_completions(struct io_ring_ctx *ctx)
{
	struct io_kiocb *req, *next;
	unsigned int room, nr;
	bool posted;

	lockdep_assert_held(&ctx->uring_lock);
	while (ctx->compl_head) {
		req = ctx->compl_head;
		ctx->compl_head = NULL;
		ctx->compl_tail = &ctx->compl_head;

		io_lat_complete(ctx, req);
		spin_lock(&ctx->completion_lock);
		room = io_cq_room(ctx);
		if (unlikely(io_ring_has_cqe32(ctx)))
			io_fill_big_cqes(ctx, req, &room);
		else
			for (next = req; next; next = next->next)
				io_req_fill_cqe(ctx, next, &room, false);
		posted = io_cq_commit(ctx);
		spin_unlock(&ctx->completion_lock);
		if (posted)
			io_cq_wake(ctx);

		for (nr = 0; req; req = next, nr++) {
			next = req->next;
			if (unlikely(req->link))
				io_req_link_next(req);
			io_req_free(req);
		}
		/* uring_lock keeps the ring alive even if these were the last */
		percpu_ref_put_many(&ctx->refs, nr);
		if (unlikely(ctx->drain_active))
			io_queue_deferred(ctx);
		if (unlikely(ctx->nr_count_timeouts))
			io_flush_timeouts(ctx);
	}
}

/* ---- task_work: completions handed back to the submitting task ------ */

/**
 * io_tctx_run_task_work - run the request callbacks queued to a task
 * @tctx: the task's io_uring state
 */
void io_tctx_run_task_work(struct io_uring_task *tctx)
{
	struct llist_node *node = llist_reverse_order(llist_del_all(&tctx->task_list));
	struct io_ring_ctx *locked = NULL;
	unsigned int count = 0;

	while (node) {
		struct io_kiocb *req = llist_entry(node, struct io_kiocb, task_node);

		node = node->next;
		count++;
		if (req->ctx != locked) {
			if (locked) {
				io_flush_completions(locked);
				mutex_unlock(&locked->uring_lock);
			}
			locked = req->ctx;
			mutex_lock(&locked->uring_lock);
			/* cleared before the work runs: later adds set it again */
			if (locked->flags & IORING_SETUP_TASKRUN_FLAG)
				atomic_andnot(IORING_SQ_TASKRUN,
					      &locked->rings->sq_flags);
		}
		req->tw_func(req);
	}
	if (locked) {
		io_flush_completions(locked);
		mutex_unlock(&locked->uring_lock);
	}
	trace_io_uring_task_work_run(tctx, count);
}

/*
 * A task past exit_task_work() cannot take task_work any more: its queued
 * requests run from the ring's fallback worker instead. They hold ring
 * references, so the ring outlives them.
 */
static void io_fallback_work(struct work_struct *work)
{
	struct io_ring_ctx *ctx = container_of(work, struct io_ring_ctx,
					       fallback_work);
	struct llist_node *node = llist_reverse_order(llist_del_all(&ctx->fallback_llist));

	kcov_remote_start_common(ctx->kcov_handle);
	mutex_lock(&ctx->uring_lock);
	while (node) {
		struct io_kiocb *req = llist_entry(node, struct io_kiocb, task_node);

		node = node->next;
		req->tw_func(req);
	}
	io_flush_completions(ctx);
	mutex_unlock(&ctx->uring_lock);
	kcov_remote_stop();
}

static void io_tctx_fallback(struct io_uring_task *tctx)
{
	struct llist_node *node = llist_del_all(&tctx->task_list);

	while (node) {
		struct io_kiocb *req = llist_entry(node, struct io_kiocb, task_node);
		/* once added, a running fallback worker may free the request */
		struct io_ring_ctx *ctx = req->ctx;

		node = node->next;
		if (llist_add(&req->task_node, &ctx->fallback_llist))
			schedule_work(&ctx->fallback_work);
	}
}

/*
 * IORING_SETUP_DEFER_TASKRUN: the work waits on the ring until its one
 * issuer asks for completions (io_uring_enter with GETEVENTS); nobody is
 * interrupted. A waiter is woken to run it (see io_wake_function()).
 */
static void io_req_local_work_add(struct io_kiocb *req)
{
	struct io_ring_ctx *ctx = req->ctx;
	struct io_uring_task *tctx = req->task->io_uring;
	/* (its task does not wait for it, and it may free task and tctx) */
	bool detached = req->flags & REQ_F_DETACHED;

	/*
	 * Once the request is on the list it may run, complete and free
	 * the last thing holding the ring or the task: the ring is freed an
	 * RCU grace period later at the earliest (io_ring_exit_work()), as
	 * is a task that exited, unless a detached request held its last
	 * reference; so after the add we touch the ring, and the task only
	 * for a request that is not detached.
	 */
	guard(rcu)();

	/* (a resize sets the flag again if it raced with this) */
	if (ctx->flags & IORING_SETUP_TASKRUN_FLAG)
		atomic_or(IORING_SQ_TASKRUN, &READ_ONCE(ctx->rings)->sq_flags);
	/*
	 * The first of a batch tells an eventfd or poller to come in. We
	 * may be inside a wakeup of poll_wq itself (a poll on this ring's
	 * own fd) or of another ring polling us back: never wake poll_wq
	 * from here, hand it to an irq_work (eventfd guards itself).
	 */
	if (llist_add(&req->task_node, &ctx->work_llist)) {
		io_eventfd_signal(ctx);
		if (wq_has_sleeper(&ctx->poll_wq))
			irq_work_queue(&ctx->poll_wq_work);
	}
	if (wq_has_sleeper(&ctx->cq_wait))
		wake_up(&ctx->cq_wait);
	/* an issuer cancelling at exit waits for its requests */
	if (unlikely(!detached && tctx && READ_ONCE(tctx->in_exit)))
		wake_up(&tctx->exit_wait);
}

/* Pollers of a DEFER_TASKRUN ring: there is work, enter to run it. */
static void io_poll_wq_work(struct irq_work *work)
{
	struct io_ring_ctx *ctx = container_of(work, struct io_ring_ctx,
					       poll_wq_work);

	wake_up_interruptible_poll(&ctx->poll_wq, EPOLLIN | EPOLL_URING_WAKE);
}

/**
 * io_run_local_work - run the DEFER_TASKRUN work queued on @ctx
 * @ctx: the ring; uring_lock not held
 *
 * From the issuer's wait, or at its exit and the ring's, where the
 * callbacks see io_tw_cancelled() and cancel. Returns true if any ran.
 */
bool io_run_local_work(struct io_ring_ctx *ctx)
{
	struct llist_node *node;
	unsigned int count = 0;

	if (llist_empty(&ctx->work_llist))
		return false;
	mutex_lock(&ctx->uring_lock);
	node = llist_reverse_order(llist_del_all(&ctx->work_llist));
	/* cleared before the work runs: later adds set it again */
	if (ctx->flags & IORING_SETUP_TASKRUN_FLAG)
		atomic_andnot(IORING_SQ_TASKRUN, &ctx->rings->sq_flags);
	while (node) {
		struct io_kiocb *req = llist_entry(node, struct io_kiocb, task_node);

		node = node->next;
		req->tw_func(req);
		count++;
	}
	io_flush_completions(ctx);
	mutex_unlock(&ctx->uring_lock);
	trace_io_uring_local_work_run(ctx, count);
	return true;
}

/**
 * io_req_task_work_add - run req->tw_func in the context of req->task
 * @req: the request
 *
 * Safe from any context, interrupts included. The callback runs with the
 * ring's uring_lock held; it runs from a kworker instead if the task is
 * exiting, which io_tw_cancelled() tells it.
 */
void io_req_task_work_add(struct io_kiocb *req)
{
	/* the request may be run, freed and reused once it is on the list */
	struct task_struct *task = req->task;
	struct io_uring_task *tctx = task->io_uring;
	struct io_ring_ctx *ctx = req->ctx;
	enum task_work_notify_mode notify = TWA_SIGNAL;
	/*
	 * A detached request may hold the last reference on the task, and
	 * its run may free task and tctx at once (not an RCU grace period
	 * later): after the add, only the first adder (nothing can run the
	 * list before it kicks it) may touch them. Its task does not wait
	 * for it at exit either.
	 */
	bool detached = req->flags & REQ_F_DETACHED;

	/* as in io_req_local_work_add(): ctx and tctx outlive this section */
	guard(rcu)();
	if (ctx->flags & IORING_SETUP_DEFER_TASKRUN) {
		io_req_local_work_add(req);
		return;
	}
	/*
	 * COOP_TASKRUN: no interrupt, the task runs it on its next entry.
	 * An SQPOLL thread may be asleep, and only a signal wakes it.
	 */
	if ((ctx->flags & (IORING_SETUP_COOP_TASKRUN | IORING_SETUP_SQPOLL)) ==
	    IORING_SETUP_COOP_TASKRUN)
		notify = TWA_SIGNAL_NO_IPI;
	/* TASKRUN_FLAG: tell user space that entering the kernel helps */
	if (ctx->flags & IORING_SETUP_TASKRUN_FLAG)
		atomic_or(IORING_SQ_TASKRUN, &ctx->rings->sq_flags);
	/* only the first entry of a batch needs to kick the task */
	if (llist_add(&req->task_node, &tctx->task_list) &&
	    unlikely(task_work_add(task, &tctx->task_work, notify)))
		io_tctx_fallback(tctx);
	if (!detached && unlikely(READ_ONCE(tctx->in_exit)))
		wake_up(&tctx->exit_wait);
}

static void io_req_tw_complete(struct io_kiocb *req)
{
	io_req_complete_defer(req);
}

/**
 * io_req_task_complete - complete a request from any context
 * @req: the request, with its result set
 */
void io_req_task_complete(struct io_kiocb *req)
{
	req->tw_func = io_req_tw_complete;
	io_req_task_work_add(req);
}

/* ---- issue ---------------------------------------------------------- */

static __always_inline int io_assign_file(struct io_kiocb *req)
{
	if (req->file || !io_op_defs[req->opcode].needs_file)
		return 0;
	if (trace_io_uring_file_get_enabled())
		trace_io_uring_file_get(req, req->fd);
	if (req->flags & IOSQE_FIXED_FILE)
		return io_file_get_fixed(req);
	req->file = fget(req->fd);
	return req->file ? 0 : -EBADF;
}

static const struct io_wq_ops io_wq_ops;

/**
 * io_iowq_limits - the worker limits a new io worker pool starts with
 * @ctx: the ring whose IORING_REGISTER_IOWQ_MAX_WORKERS values apply
 * @limits: out: bounded and unbounded workers
 *
 * As 6.12 sizes a task's pool: bounded workers up to the SQ size and four
 * per CPU, unbounded ones up to RLIMIT_NPROC, unless the ring set others.
 */
void io_iowq_limits(struct io_ring_ctx *ctx, u32 limits[2])
{
	limits[0] = ctx->iowq_limits[0] ?:
		    min(ctx->sq_entries, 4 * num_online_cpus());
	limits[1] = ctx->iowq_limits[1] ?:
		    min_t(unsigned long, task_rlimit(current, RLIMIT_NPROC),
			  U32_MAX);
}

/**
 * io_tctx_wq - the current task's io worker pool, created if needed
 * @ctx: the ring whose limits a new pool starts with
 */
struct io_wq *io_tctx_wq(struct io_ring_ctx *ctx)
{
	struct io_uring_task *tctx;
	struct io_wq *wq;
	u32 limits[2];
	int ret;

	ret = io_uring_alloc_task_context(current);
	if (ret)
		return ERR_PTR(ret);
	tctx = current->io_uring;
	if (likely(tctx->io_wq))
		return tctx->io_wq;
	io_iowq_limits(ctx, limits);
	wq = io_wq_create(&io_wq_ops, limits[0], limits[1]);
	if (IS_ERR(wq))
		return wq;
	/* io_ctx_untrack_tasks() reads it from another CPU: pool set up first */
	smp_store_release(&tctx->io_wq, wq);
	return wq;
}

/*
 * The work flags of a request headed for a pool: regular-file writes of
 * one inode serialized (hashed), what may wait forever unbound.
 */
static void io_iowq_set_work(struct io_kiocb *req)
{
	const struct io_op_def *def = &io_op_defs[req->opcode];

	req->work.flags = 0;
	req->work.worker = NULL;
	if (req->file) {
		umode_t mode = file_inode(req->file)->i_mode;

		if (def->hash_reg_file && S_ISREG(mode)) {
			req->work.flags |= IO_WQ_WORK_HASHED;
			req->work.hash = io_wq_hash_key(file_inode(req->file));
		}
		if (def->unbound_nonreg_file && !S_ISREG(mode) && !S_ISBLK(mode))
			req->work.flags |= IO_WQ_WORK_UNBOUND;
	}
}

/* Queue to @wq: cancellation finds the request in ctx->iowq_list. */
static void io_iowq_link(struct io_kiocb *req, struct io_wq *wq)
{
	struct io_ring_ctx *ctx = req->ctx;

	/* back from an earlier trip (a retried device -EAGAIN) */
	if (req->flags & REQ_F_IOWQ)
		io_iowq_unlink(req);
	trace_io_uring_queue_async_work(req,
					!!(req->work.flags & IO_WQ_WORK_UNBOUND));
	io_wq_get(wq);
	req->wq = wq;
	req->flags |= REQ_F_IOWQ;
	spin_lock(&ctx->iowq_lock);
	list_add_tail(&req->list, &ctx->iowq_list);
	spin_unlock(&ctx->iowq_lock);
}

/**
 * io_queue_iowq - hand a request to the submitter's io worker pool
 * @req: the request; runs in req->task with uring_lock held
 *
 * The workers run it with blocking allowed, with the submitter's
 * credentials as of now (IORING_FEAT_CUR_PERSONALITY).
 */
void io_queue_iowq(struct io_kiocb *req)
{
	struct io_wq *wq;
	int ret;

	ret = io_assign_file(req);
	if (unlikely(ret))
		goto fail;
	wq = io_tctx_wq(req->ctx);
	if (IS_ERR(wq)) {
		ret = PTR_ERR(wq);
		goto fail;
	}
	if (!(req->flags & REQ_F_CREDS)) {
		req->creds = get_current_cred();
		req->flags |= REQ_F_CREDS;
	}
	io_iowq_set_work(req);
	io_iowq_link(req, wq);
	ret = io_wq_enqueue(wq, &req->work);
	if (likely(!ret))
		return;
fail:
	io_req_fail(req, ret);
}

/*
 * Does the request skip the inline attempt? An op that always blocks
 * does, and IOSQE_ASYNC, except for what must run inline and for a
 * multishot op taking provided buffers: that one waits in a poll, never
 * in a worker, and IOSQE_ASYNC just skips its first attempt.
 */
static bool io_req_goes_iowq(struct io_kiocb *req, const struct io_op_def *def)
{
	if (def->blocking)
		return true;
	return (req->flags & IOSQE_ASYNC) && !def->inline_only &&
	       (req->flags & (REQ_F_MSHOT | IOSQE_BUFFER_SELECT)) !=
	       (REQ_F_MSHOT | IOSQE_BUFFER_SELECT);
}

/*
 * @prev completed in the io worker that ran it, and @req, the next of its
 * chain, goes to io-wq too: queue it from here, for this worker to run
 * next, rather than through the submitter's task_work (a wakeup of the
 * task, then one of a worker, for each link). Only where the submitter
 * would do the same: not once it cancels (exit, exec), not on a dying
 * ring, not if the task no longer shares its file table with its
 * workers (unshare); and only if this worker runs it next (see
 * io_wq_enqueue_self()). The credentials are the task's as of now, as
 * the task would take them. Returns false to leave @req to the task.
 */
static bool io_queue_iowq_next(struct io_kiocb *prev, struct io_kiocb *req)
{
	const struct io_op_def *def = &io_op_defs[req->opcode];
	struct task_struct *task = req->task;
	bool creds = false;
	int ret;

	if (!(prev->flags & REQ_F_IOWQ) || prev->work.worker != current ||
	    !io_req_goes_iowq(req, def))
		return false;
	/* a link timeout is armed by the task (io_req_issue()) */
	if (req->link && req->link->opcode == IORING_OP_LINK_TIMEOUT)
		return false;
	if ((req->flags & REQ_F_DETACHED) || READ_ONCE(task->io_uring->in_exit) ||
	    percpu_ref_is_dying(&req->ctx->refs) ||
	    current->files != READ_ONCE(task->files))
		return false;
	if (io_assign_file(req))
		return false;
	if (!(req->flags & REQ_F_CREDS)) {
		req->creds = get_task_cred(task);
		req->flags |= REQ_F_CREDS;
		creds = true;
	}
	io_iowq_set_work(req);
	io_iowq_link(req, prev->wq);
	ret = io_wq_enqueue_self(prev->wq, &req->work);
	if (likely(!ret))
		return true;
	if (ret != -EAGAIN) {
		io_req_fail(req, ret);
		return true;
	}
	io_iowq_unlink(req);
	if (creds) {
		put_cred(req->creds);
		req->flags &= ~REQ_F_CREDS;
	}
	return false;
}

/*
 * Run the op. Audited ops are wrapped the way a system call is: inline
 * this adds a URINGOP record to io_uring_enter's, from an io worker or
 * the SQPOLL thread it is a record of its own.
 */
static __always_inline int io_issue_op(struct io_kiocb *req,
				       const struct io_op_def *def,
				       unsigned int issue_flags)
{
	int ret;

	if (likely(!def->audit))
		return def->issue(req, issue_flags);
	audit_uring_entry(req->opcode);
	ret = def->issue(req, issue_flags);
	audit_uring_exit(ret >= 0, ret);
	return ret;
}

/*
 * Issue inline, without blocking; an op that would block is punted.
 * Inlined into the submission loop's fast path.
 */
static __always_inline void __io_issue_req(struct io_kiocb *req)
{
	const struct io_op_def *def = &io_op_defs[req->opcode];
	const struct cred *old = NULL;
	int ret;

	ret = io_assign_file(req);
	if (unlikely(ret)) {
		io_req_fail(req, ret);
		return;
	}
	if (unlikely(req->flags & REQ_F_CREDS))
		old = override_creds(req->creds);
	ret = io_issue_op(req, def,
			  IO_URING_F_NONBLOCK | IO_URING_F_COMPLETE_DEFER);
	if (unlikely(old))
		revert_creds(old);
	if (ret == IOU_ISSUE_SKIP_COMPLETE)
		return;
	if (ret == -EAGAIN) {
		/* a buffer it took is not needed while it waits */
		io_kbuf_recycle(req);
		/* wait for the file in a poll, or else in an io worker */
		if (!def->poll_events || io_arm_apoll(req, def->poll_events))
			io_queue_iowq(req);
		return;
	}
	if (ret < 0)
		io_req_set_res(req, ret, 0);
	io_req_complete_defer(req);
}

static void io_issue_req(struct io_kiocb *req)
{
	__io_issue_req(req);
}

/**
 * io_req_retry - issue a request again, its file being ready now
 * @req: the request, in its task with uring_lock held
 */
void io_req_retry(struct io_kiocb *req)
{
	io_issue_req(req);
}

static void io_req_issue(struct io_kiocb *req)
{
	const struct io_op_def *def = &io_op_defs[req->opcode];

	if (unlikely(req->link) && req->link->opcode == IORING_OP_LINK_TIMEOUT &&
	    !(req->link->flags & REQ_F_LTIMEOUT))
		io_link_timeout_arm(req, req->link);
	if (unlikely(io_req_goes_iowq(req, def)))
		io_queue_iowq(req);
	else
		io_issue_req(req);
}

/**
 * io_tw_cancelled - tell a task_work callback it must not issue
 * @req: the request whose callback runs
 *
 * True when the callback runs from the fallback kworker (the task is
 * gone), while the task cancels its requests at exit or exec (after
 * exec no request of the old image is left: the cancel waits for all of
 * them), or once the ring is closing.
 */
bool io_tw_cancelled(struct io_kiocb *req)
{
	/* detached from its task at exit or exec: it only completes */
	return current != req->task || (req->flags & REQ_F_DETACHED) ||
	       (current->flags & PF_EXITING) ||
	       READ_ONCE(req->task->io_uring->in_exit) ||
	       percpu_ref_is_dying(&req->ctx->refs);
}

static void io_req_issue_tw(struct io_kiocb *req)
{
	if (io_tw_cancelled(req))
		io_req_fail(req, -ECANCELED);
	else
		io_req_issue(req);
}

/* Issue a request whose turn came: inline if we are its task. */
static void io_req_queue(struct io_kiocb *req)
{
	/* io_tw_cancelled() is also true for any task but req->task */
	if (!io_tw_cancelled(req)) {
		io_req_issue(req);
		return;
	}
	req->tw_func = io_req_issue_tw;
	io_req_task_work_add(req);
}

/* ---- io worker callbacks ------------------------------------------- */

/* From an io worker: move the request to an internal poll if we can. */
static bool io_wq_to_apoll(struct io_kiocb *req, const struct io_op_def *def)
{
	struct io_ring_ctx *ctx = req->ctx;
	bool armed;

	/* under uring_lock, cancellation sees it in io-wq or in the poll */
	mutex_lock(&ctx->uring_lock);
	io_kbuf_recycle(req);
	armed = !io_arm_apoll(req, def->poll_events);
	if (armed)
		io_iowq_unlink(req);
	mutex_unlock(&ctx->uring_lock);
	return armed;
}

static void io_wq_run(struct io_wq_work *work)
{
	struct io_kiocb *req = container_of(work, struct io_kiocb, work);
	const struct io_op_def *def = &io_op_defs[req->opcode];
	const struct cred *old;
	int ret;

	old = override_creds(req->creds);
	/*
	 * A pollable file is not waited on here: a try that would block
	 * parks the request in a poll, and the worker is free again.
	 */
	if (def->poll_events && file_can_poll(req->file) &&
	    !(req->flags & REQ_F_NOPOLL)) {
		ret = io_issue_op(req, def,
				  IO_URING_F_UNLOCKED | IO_URING_F_NONBLOCK);
		if (ret == -EAGAIN && io_wq_to_apoll(req, def)) {
			revert_creds(old);
			return;
		}
		if (ret == -EAGAIN)
			ret = io_issue_op(req, def, IO_URING_F_UNLOCKED);
	} else {
		ret = io_issue_op(req, def, IO_URING_F_UNLOCKED);
	}
	revert_creds(old);
	if (ret == IOU_ISSUE_SKIP_COMPLETE)
		return;
	if (ret < 0)
		io_req_set_res(req, io_restart_to_eintr(ret), 0);
	io_req_complete_unlocked(req);
}

static void io_wq_cancel(struct io_wq_work *work)
{
	struct io_kiocb *req = container_of(work, struct io_kiocb, work);

	req->flags |= REQ_F_FAIL;
	io_req_set_res(req, -ECANCELED, 0);
	io_req_complete_unlocked(req);
}

static const struct io_wq_ops io_wq_ops = {
	.run	= io_wq_run,
	.cancel	= io_wq_cancel,
};

/**
 * io_iowq_cancel - cancel requests of @ctx that sit in an io worker pool
 * @ctx: the ring, with uring_lock held
 * @match: which requests; NULL for all
 * @data: passed to @match
 * @all: every match, not just the first
 * @running: incremented for each match that already runs
 *
 * A queued match is taken off its queue and completes with -ECANCELED (in
 * this batch); a running one is interrupted and completes on its own.
 * Returns how many were taken off.
 */
int io_iowq_cancel(struct io_ring_ctx *ctx,
		   bool (*match)(struct io_kiocb *req, void *data), void *data,
		   bool all, int *running)
{
	struct io_kiocb *req, *tmp;
	LIST_HEAD(dequeued);
	int nr = 0;

	lockdep_assert_held(&ctx->uring_lock);
	spin_lock(&ctx->iowq_lock);
	list_for_each_entry_safe(req, tmp, &ctx->iowq_list, list) {
		if (match && !match(req, data))
			continue;
		if (io_wq_cancel_work(req->wq, &req->work))
			list_move_tail(&req->list, &dequeued);
		else
			(*running)++;
		if (!all)
			break;
	}
	spin_unlock(&ctx->iowq_lock);

	list_for_each_entry_safe(req, tmp, &dequeued, list) {
		/* already off the ring's list: only the pool ref is left */
		list_del(&req->list);
		req->flags &= ~REQ_F_IOWQ;
		io_wq_put(req->wq);
		io_req_fail(req, -ECANCELED);
		nr++;
	}
	return nr;
}

/* ---- submission ----------------------------------------------------- */

/*
 * IOSQE_IO_DRAIN: a draining request starts once every request submitted
 * before it has completed, and requests submitted after it start once it
 * has completed. Waiting requests keep submission order on defer_list.
 */
static bool io_drain_defer(struct io_kiocb *req, u32 last_seq)
{
	struct io_ring_ctx *ctx = req->ctx;

	if (req->flags & IOSQE_IO_DRAIN) {
		/* a drained chain: what follows waits for all of it */
		req->drain_wait = req->seq;
		ctx->drain_until = last_seq + 1;
		ctx->drain_active = true;
	} else {
		req->drain_wait = ctx->drain_until;
	}
	if (list_empty(&ctx->defer_list) &&
	    (s32)(ctx->nr_completed - req->drain_wait) >= 0)
		return false;
	trace_io_uring_defer(req);
	list_add_tail(&req->list, &ctx->defer_list);
	return true;
}

/*
 * The drain counts completions against submissions: a request that is
 * completed without running while a drain is pending (cancelled while
 * held back, or failed at submission) would count for one that is still
 * in flight, and release what waits for that one. So it is erased from
 * the sequence, with the rest of its chain, as if never submitted: every
 * request after it is held back or not submitted yet (the defer list is
 * kept in order), so only the targets past it move down.
 */
static void io_drain_erase(struct io_ring_ctx *ctx, struct io_kiocb *req)
{
	struct io_kiocb *r, *w;
	u32 seq = req->seq;
	unsigned int n = 0;

	for (r = req; r; r = r->link) {
		r->flags |= REQ_F_DRAIN_ERASED;
		n++;
	}
	list_for_each_entry(w, &ctx->defer_list, list) {
		/* later ones, chains included, move down into the gap */
		if ((s32)(w->seq - seq) > 0)
			for (r = w; r; r = r->link)
				r->seq -= n;
		if ((s32)(w->drain_wait - seq) > 0)
			w->drain_wait -= n;
	}
	if ((s32)(ctx->drain_until - seq) > 0)
		ctx->drain_until -= n;
	ctx->nr_submitted -= n;
}

static void io_queue_deferred(struct io_ring_ctx *ctx)
{
	struct io_kiocb *req;

	while (!list_empty(&ctx->defer_list)) {
		req = list_first_entry(&ctx->defer_list, struct io_kiocb, list);
		if ((s32)(ctx->nr_completed - req->drain_wait) < 0)
			return;
		list_del(&req->list);
		io_req_queue(req);
	}
	if ((s32)(ctx->nr_completed - ctx->drain_until) >= 0)
		ctx->drain_active = false;
}

#define IO_REQ_LINK_FLAGS	(IOSQE_IO_LINK | IOSQE_IO_HARDLINK)
/* what takes a request past io_submit_req() rather than straight to issue */
#define IO_SUBMIT_SLOW_FLAGS	(IO_REQ_LINK_FLAGS | IOSQE_IO_DRAIN | \
				 IOSQE_ASYNC)

/* @last_seq: the sequence number of the last request of @req's chain */
static void io_queue_sqe(struct io_kiocb *req, u32 last_seq)
{
	struct io_ring_ctx *ctx = req->ctx;

	if (unlikely(ctx->drain_active || (req->flags & IOSQE_IO_DRAIN)) &&
	    io_drain_defer(req, last_seq))
		return;
	io_req_issue(req);
}

/*
 * A chain in which a request failed before issue: that request posts its
 * error, every other one -ECANCELED, none runs.
 */
static void io_fail_chain(struct io_kiocb *req)
{
	struct io_kiocb *nxt;

	if (unlikely(req->ctx->drain_active))
		io_drain_erase(req->ctx, req);
	for (; req; req = nxt) {
		nxt = req->link;
		req->link = NULL;
		if (req->flags & REQ_F_FAIL)
			io_req_complete_defer(req);
		else
			io_req_link_cancel(req, false);
	}
}

/* Queue the chain collected so far (complete, or open at batch end). */
static void io_submit_flush_link(struct io_ring_ctx *ctx)
{
	struct io_kiocb *req = ctx->link_head;

	ctx->link_head = NULL;
	if (ctx->link_failed) {
		ctx->link_failed = false;
		io_fail_chain(req);
	} else {
		io_queue_sqe(req, ctx->link_tail->seq);
	}
}

/* Collect a chain, and queue the request or the finished chain. */
static void io_submit_req(struct io_ring_ctx *ctx, struct io_kiocb *req)
{
	if (unlikely(ctx->link_head)) {
		trace_io_uring_link(req, ctx->link_head);
		ctx->link_tail->link = req;
		ctx->link_tail = req;
		/* IOSQE_IO_DRAIN anywhere in a chain drains the whole chain */
		if (req->flags & IOSQE_IO_DRAIN)
			ctx->link_head->flags |= IOSQE_IO_DRAIN;
		if (req->flags & IO_REQ_LINK_FLAGS)
			return;
		io_submit_flush_link(ctx);
		return;
	} else if (unlikely(req->flags & IO_REQ_LINK_FLAGS)) {
		ctx->link_head = req;
		ctx->link_tail = req;
		return;
	}
	io_queue_sqe(req, req->seq);
}

/*
 * A request failed before issue. Alone, it completes with the error and
 * (without IORING_SETUP_SUBMIT_ALL) ends the batch; in a chain, the chain
 * is collected to its end and failed as a whole. Returns true to stop.
 */
static bool io_submit_fail(struct io_ring_ctx *ctx, struct io_kiocb *req,
			   int err)
{
	req->flags |= REQ_F_FAIL;
	io_req_set_res(req, err, 0);
	if (ctx->link_head || (req->flags & IO_REQ_LINK_FLAGS)) {
		ctx->link_failed = true;
		io_submit_req(ctx, req);
		return false;
	}
	if (unlikely(ctx->drain_active))
		io_drain_erase(ctx, req);
	io_req_complete_defer(req);
	return !(ctx->flags & IORING_SETUP_SUBMIT_ALL);
}

/*
 * A restricted ring's BPF filters (if it has any: its restriction sets
 * were checked before) run on what prep made of the SQE; a denied
 * request has run nothing.
 */
static noinline int io_prep_filtered(struct io_kiocb *req,
				     const struct io_uring_sqe *sqe,
				     u8 sqe_flags)
{
	struct io_ring_ctx *ctx = req->ctx;
	int ret = io_op_defs[req->opcode].prep(req, sqe);

	if (!ret && ctx->bpf_filters)
		ret = io_bpf_filter_req(ctx->bpf_filters, req, sqe_flags);
	return ret;
}

/*
 * A 128-byte opcode (NOP128, URING_CMD128) in an IORING_SETUP_SQE_MIXED
 * ring: this slot and the next, which must be there (submitted in this
 * batch; with an SQ array, the next entry must name it) and must not be
 * the first slot after a wrap. Otherwise -EINVAL, and only this slot is
 * consumed. (Other rings: the ops' prep, io_sqe128_ok().)
 */
static __always_inline int io_init_sqe128(struct io_ring_ctx *ctx,
					  const struct io_uring_sqe *sqe,
					  unsigned int *left,
					  unsigned int *extra)
{
	unsigned int slot = sqe - ctx->sq_sqes, next;

	if (!*left || slot == ctx->sq_entries - 1)
		return -EINVAL;
	if (ctx->sq_array) {
		next = ctx->cached_sq_head & (ctx->sq_entries - 1);
		if (READ_ONCE(ctx->sq_array[next]) != slot + 1)
			return -EINVAL;
	}
	/* a slot, not a request: its batch reference goes back at the end */
	ctx->cached_sq_head++;
	(*left)--;
	(*extra)++;
	return 0;
}

/*
 * @mixed: an IORING_SETUP_SQE_MIXED ring, where a 128-byte SQE takes two
 * of the batch's slots (@left, @extra); a constant, so that the other
 * rings' submission has no trace of it. @stamp: the batch's submission
 * time (io_lat_now()).
 */
static __always_inline int io_init_req(struct io_ring_ctx *ctx,
				       struct io_kiocb *req,
				       const struct io_uring_sqe *sqe,
				       unsigned int *left, unsigned int *extra,
				       u64 stamp, const bool mixed)
{
	const struct io_op_def *def;
	u8 opcode, sqe_flags;
	u16 personality;
	int ret;

	opcode = READ_ONCE(sqe->opcode);
	sqe_flags = READ_ONCE(sqe->flags);
	/* the SQE's flags, so that a failing request still joins its chain */
	req->flags = sqe_flags & IO_SQE_FLAGS_SUPPORTED;
	req->ctx = ctx;
	req->task = current;
	req->fd = READ_ONCE(sqe->fd);
	req->buf_index = READ_ONCE(sqe->buf_index);
	io_req_zero_init(req, stamp);
	req->cqe.user_data = READ_ONCE(sqe->user_data);
	/* an invalid opcode is failed as a NOP so nothing indexes past the table */
	req->opcode = opcode < IORING_OP_LAST ? opcode : IORING_OP_NOP;
	req->seq = ctx->nr_submitted++;
	ctx->op_submitted[req->opcode]++;
	io_tctx_take_ref(current->io_uring);

	if (unlikely(!io_op_supported(opcode)))
		return -EINVAL;
	/* before anything reads the SQE's second half */
	if (mixed && unlikely(io_op_defs[opcode].sqe128)) {
		ret = io_init_sqe128(ctx, sqe, left, extra);
		if (ret)
			return ret;
	}
	if (unlikely(sqe_flags & ~IO_SQE_FLAGS_SUPPORTED))
		return -EINVAL;
	/* before anything of it is looked at: the personality's LSM hook */
	if (unlikely(ctx->restricted) &&
	    io_restrict_sqe(ctx, opcode, sqe_flags))
		return -EACCES;

	personality = READ_ONCE(sqe->personality);
	if (unlikely(personality)) {
		const struct cred *creds = xa_load(&ctx->personalities,
						   personality);

		if (!creds)
			return -EINVAL;
		/* the LSMs decide whether we may act as the personality */
		ret = security_uring_override_creds(creds);
		if (ret)
			return ret;
		req->creds = get_cred(creds);
		req->flags |= REQ_F_CREDS;
	}

	def = &io_op_defs[opcode];
	if ((sqe_flags & IOSQE_BUFFER_SELECT) && !def->buffer_select)
		return -EINVAL;
	/* a polled ring takes polled I/O, and what never waits, only */
	if ((ctx->flags & IORING_SETUP_IOPOLL) && !def->iopoll)
		return -EINVAL;
	/*
	 * The file is looked up when the request is issued, not here: an
	 * earlier request (linked, or drained before it) may be the one that
	 * opens it into a fixed slot (IORING_FEAT_LINKED_FILE).
	 */
	if (unlikely(ctx->restricted))
		return io_prep_filtered(req, sqe, sqe_flags);
	return def->prep(req, sqe);
}

static __always_inline const struct io_uring_sqe *io_get_sqe(struct io_ring_ctx *ctx)
{
	unsigned int idx = ctx->cached_sq_head++ & (ctx->sq_entries - 1);

	if (likely(ctx->sq_array))
		idx = READ_ONCE(ctx->sq_array[idx]);
	if (likely(idx < ctx->sq_entries)) {
		if (ctx->flags & IORING_SETUP_SQE128)
			idx <<= 1;
		return &ctx->sq_sqes[idx];
	}
	/* an index user space got wrong: count it and move on */
	WRITE_ONCE(ctx->rings->sq_dropped, READ_ONCE(ctx->rings->sq_dropped) + 1);
	return NULL;
}

/* io_submit_sqes(), made once for mixed SQE sizes and once for the rest */
static __always_inline int __io_submit_sqes(struct io_ring_ctx *ctx,
					    unsigned int nr, const bool mixed)
{
	unsigned int entries = min(nr, io_sqring_entries(ctx));
	unsigned int left = entries, extra = 0;
	u64 stamp;
	int done;

	lockdep_assert_held(&ctx->uring_lock);
	if (unlikely(!entries)) {
		done = 0;
		goto out;
	}
	stamp = io_lat_now(ctx);
	/*
	 * The batch's ring references, one per slot: a request holds one;
	 * the rest go back below, with those of the second slots of 128-byte
	 * SQEs of a mixed ring (@extra, counted by io_init_sqe128()).
	 */
	percpu_ref_get_many(&ctx->refs, entries);
	/* its block I/O may go out under one plug (io_submit_plug()) */
	ctx->submit_nr = entries;
	while (left) {
		const struct io_uring_sqe *sqe;
		struct io_kiocb *req;
		int ret;

		req = io_req_alloc(ctx);
		if (unlikely(!req)) {
			if (left != entries)
				break;
			percpu_ref_put_many(&ctx->refs, entries);
			done = -EAGAIN;
			goto out;
		}
		sqe = io_get_sqe(ctx);
		if (unlikely(!sqe)) {
			/*
			 * The slot is consumed (and counted in sq.dropped) but
			 * is not a submission; the batch ends here, as in 6.12.
			 */
			io_req_to_cache(ctx, req);
			break;
		}
		left--;
		ret = io_init_req(ctx, req, sqe, &left, &extra, stamp, mixed);
		if (unlikely(ret)) {
			trace_io_uring_req_failed(sqe, req, ret);
			if (io_submit_fail(ctx, req, ret))
				break;
			continue;
		}
		/* (the static key tested inline, as io_write_cqe() does) */
		if (trace_io_uring_submit_req_enabled())
			trace_io_uring_submit_req(req);
		/*
		 * Most requests are not in a chain, not drained and not
		 * forced async: straight to the inline attempt.
		 */
		if (likely(!ctx->link_head && !ctx->drain_active &&
			   !(req->flags & IO_SUBMIT_SLOW_FLAGS) &&
			   !io_op_defs[req->opcode].blocking))
			__io_issue_req(req);
		else
			io_submit_req(ctx, req);
	}
	if (unlikely(left + extra))
		percpu_ref_put_many(&ctx->refs, left + extra);
	/* the count is of slots: a 128-byte SQE's second one too */
	done = entries - left;
out:
	if (unlikely(ctx->link_head))
		io_submit_flush_link(ctx);
	ctx->submit_nr = 0;
	if (unlikely(ctx->submit_plugged)) {
		ctx->submit_plugged = false;
		blk_finish_plug(&ctx->submit_plug);
	}
	/* done with the SQEs: user space may reuse the slots */
	smp_store_release(&ctx->rings->sq.head, ctx->cached_sq_head);
	io_flush_completions(ctx);
	return done;
}

static noinline int io_submit_sqes_mixed(struct io_ring_ctx *ctx,
					 unsigned int nr)
{
	return __io_submit_sqes(ctx, nr, true);
}

/**
 * io_submit_sqes - consume up to @nr SQEs
 * @ctx: the ring, uring_lock held
 * @nr: at most this many slots of the SQ
 *
 * Return: how many slots were consumed (a 128-byte SQE of a mixed ring
 * counts two), or -EAGAIN if not even one request could be allocated.
 */
int io_submit_sqes(struct io_ring_ctx *ctx, unsigned int nr)
{
	if (unlikely(ctx->flags & IORING_SETUP_SQE_MIXED))
		return io_submit_sqes_mixed(ctx, nr);
	return __io_submit_sqes(ctx, nr, false);
}

/* ---- waiting -------------------------------------------------------- */

struct io_wait {
	struct wait_queue_entry	wq;
	struct io_ring_ctx	*ctx;
	unsigned int		cq_tail;	/* wake when the tail gets here */
	unsigned int		nr_timeouts;	/* or when a timeout expires */
};

static bool io_wait_done(struct io_wait *iowq)
{
	struct io_ring_ctx *ctx = iowq->ctx;

	return (int)(READ_ONCE(ctx->cq_published) - iowq->cq_tail) >= 0 ||
	       READ_ONCE(ctx->cq_timeouts) != iowq->nr_timeouts ||
	       !llist_empty(&ctx->work_llist) ||
	       test_bit(IO_CHECK_CQ_DROPPED_BIT, &ctx->check_cq);
}

static bool io_wait_done_cb(void *data)
{
	return io_wait_done(data);
}

static int io_wake_function(struct wait_queue_entry *curr, unsigned int mode,
			    int wake_flags, void *key)
{
	struct io_wait *iowq = container_of(curr, struct io_wait, wq);

	/* only the waiters whose condition holds: no thundering herd */
	if (!io_wait_done(iowq))
		return 0;
	return autoremove_wake_function(curr, mode, wake_flags, key);
}

/*
 * (On the stack of every enter, which with CONFIG_INIT_STACK_ALL_ZERO
 * zeroes it: kept to four words, the wait of a NOP costs each one.)
 */
struct io_wait_args {
	const sigset_t __user	*sig;
	size_t			sigsz;
	union {
		struct __kernel_timespec __user *ts;
		/* IORING_ENTER_EXT_ARG_REG with IORING_REG_WAIT_TS */
		const struct io_uring_reg_wait	*reg;
	};
	/* IORING_FEAT_MIN_TIMEOUT: after this, one CQE is enough */
	u32			min_wait_usec;
	bool			reg_ts;
};

/*
 * IORING_ENTER_EXT_ARG_REG: @offset is the byte offset of a struct
 * io_uring_reg_wait in the registered wait region. User space may write
 * it at any time: each field is read once, and checked after that read.
 */
static noinline int io_get_reg_wait_args(struct io_ring_ctx *ctx,
					 unsigned long offset, size_t argsz,
					 struct io_wait_args *args)
{
	const struct io_uring_reg_wait *w;
	u32 wflags;

	if (argsz != sizeof(*w))
		return -EINVAL;
	w = io_reg_wait_arg(ctx, offset);
	if (IS_ERR(w))
		return PTR_ERR(w);
	wflags = READ_ONCE(w->flags);
	if (wflags & ~IORING_REG_WAIT_TS)
		return -EINVAL;
	args->min_wait_usec = READ_ONCE(w->min_wait_usec);
	args->sig = u64_to_user_ptr(READ_ONCE(w->sigmask));
	args->sigsz = READ_ONCE(w->sigmask_sz);
	/* the timeout itself is read (once) when the wait starts */
	if (wflags & IORING_REG_WAIT_TS) {
		args->reg = w;
		args->reg_ts = true;
	}
	return 0;
}

static int io_get_wait_args(struct io_ring_ctx *ctx, unsigned int flags,
			    const void __user *argp, size_t argsz,
			    struct io_wait_args *args)
{
	struct io_uring_getevents_arg arg;

	/* (reg_ts is read only where ts is set) */
	args->ts = NULL;
	args->min_wait_usec = 0;
	/* EXT_ARG_REG qualifies EXT_ARG; alone it means nothing (upstream) */
	if (!(flags & IORING_ENTER_EXT_ARG)) {
		/* no timeout to apply: IORING_ENTER_ABS_TIMER has no effect */
		args->sig = (const sigset_t __user *)argp;
		args->sigsz = argsz;
		return 0;
	}
	args->reg_ts = false;
	if (flags & IORING_ENTER_EXT_ARG_REG)
		return io_get_reg_wait_args(ctx, (uintptr_t)argp, argsz, args);
	if (argsz != sizeof(arg))
		return -EINVAL;
	if (copy_from_user(&arg, argp, sizeof(arg)))
		return -EFAULT;
	args->min_wait_usec = arg.min_wait_usec;
	args->sig = u64_to_user_ptr(arg.sigmask);
	args->sigsz = arg.sigmask_sz;
	args->ts = u64_to_user_ptr(arg.ts);
	return 0;
}

static int io_set_sigmask(const sigset_t __user *sig, size_t sigsz)
{
	if (!sig)
		return 0;
#ifdef CONFIG_COMPAT
	if (in_compat_syscall())
		return set_compat_user_sigmask((const compat_sigset_t __user *)sig,
					       sigsz);
#endif
	return set_user_sigmask(sig, sigsz);
}

/* Now, on the clock the ring's wait timeouts use (IORING_REGISTER_CLOCK). */
static ktime_t io_wait_now(struct io_ring_ctx *ctx)
{
	return ctx->clockid == CLOCK_BOOTTIME ? ktime_get_boottime() :
						ktime_get();
}

/*
 * A wait counts as iowait (as 6.12's does) while the waiter has requests
 * in flight, unless it says otherwise (IORING_ENTER_NO_IOWAIT, 6.15):
 * iowait keeps CPUs out of deep idle states and confuses monitoring on
 * rings that mostly wait for the network.
 */
static bool io_wait_is_iowait(unsigned int flags)
{
	struct io_uring_task *tctx = current->io_uring;

	if ((flags & IORING_ENTER_NO_IOWAIT) || !tctx)
		return false;
	/* as 6.12 asks: an estimate, without walking every CPU's count */
	return percpu_counter_read_positive(&tctx->inflight) > tctx->cached_refs;
}

static int io_cqring_wait(struct io_ring_ctx *ctx, unsigned int min_events,
			  unsigned int flags, const struct io_wait_args *args)
{
	ktime_t timeout = KTIME_MAX, min_timeout = KTIME_MAX;
	struct io_wait iowq;
	bool iowait, old_iowait = current->in_iowait;
	int ret = 0;

	if (trace_io_uring_cqring_wait_enabled())
		trace_io_uring_cqring_wait(ctx, min_events);
	/*
	 * Enough CQEs already (inline completions), and no DEFER_TASKRUN
	 * work or overflow to flush: task_work still queued runs on the way
	 * out of the system call anyway.
	 */
	if (likely(min_events && io_cqring_events(ctx) >= min_events &&
		   llist_empty(&ctx->work_llist) && !READ_ONCE(ctx->check_cq)))
		return 0;
	/* completions queued to us count: make them visible first */
	io_run_task_work();
	io_run_local_work(ctx);
	io_cqring_overflow_flush(ctx);
	if (io_cqring_events(ctx) >= min_events)
		return 0;
	/* reported once, when no CQE is there to read instead */
	if (test_and_clear_bit(IO_CHECK_CQ_DROPPED_BIT, &ctx->check_cq))
		return -EBADR;
	/*
	 * A backlog left after the flush means the CQ is full: nothing can
	 * arrive until user space reaps, so return rather than sleep.
	 */
	if (test_bit(IO_CHECK_CQ_OVERFLOW_BIT, &ctx->check_cq))
		return 0;

	if (args->ts) {
		struct timespec64 ts;

		if (!args->reg_ts) {
			if (get_timespec64(&ts, args->ts))
				return -EFAULT;
		} else {
			ts.tv_sec = READ_ONCE(args->reg->ts.tv_sec);
			ts.tv_nsec = READ_ONCE(args->reg->ts.tv_nsec);
			/* as get_timespec64(): a 32-bit task's is 32 bits */
			if (in_compat_syscall())
				ts.tv_nsec &= 0xFFFFFFFFUL;
		}
		/* like 6.12, an unnormalized tv_nsec just adds up */
		timeout = timespec64_to_ktime(ts);
		if (!(flags & IORING_ENTER_ABS_TIMER))
			timeout = ktime_add_safe(io_wait_now(ctx), timeout);
	}
	/*
	 * First wait for min_events until then, afterwards for any one. The
	 * overall timeout is only looked at once the min wait is over, even
	 * if it is the shorter one (6.12: then -ETIME at the min wait's end).
	 */
	if (args->min_wait_usec)
		min_timeout = ktime_add_us(io_wait_now(ctx), args->min_wait_usec);
	ret = io_set_sigmask(args->sig, args->sigsz);
	if (ret)
		return ret;

	init_waitqueue_func_entry(&iowq.wq, io_wake_function);
	INIT_LIST_HEAD(&iowq.wq.entry);
	iowq.wq.private = current;
	iowq.ctx = ctx;
	iowq.cq_tail = READ_ONCE(ctx->rings->cq.head) + min_events;
	iowq.nr_timeouts = READ_ONCE(ctx->cq_timeouts);
	/* IORING_REGISTER_NAPI: spin on the sockets' queues before sleeping */
	io_napi_busy_poll(ctx, io_wait_done_cb, &iowq);

	iowait = io_wait_is_iowait(flags);
	for (;;) {
		/* set for the sleep below only: not for task_work that sleeps */
		current->in_iowait = old_iowait;
		/*
		 * Task work (our requests' completions, mostly) runs off the
		 * wait queue: the CQEs it posts then have no waiter to wake,
		 * us least of all.
		 */
		if (task_work_pending(current) ||
		    test_thread_flag(TIF_NOTIFY_SIGNAL)) {
			finish_wait(&ctx->cq_wait, &iowq.wq);
			io_run_task_work();
			continue;
		}
		prepare_to_wait_exclusive(&ctx->cq_wait, &iowq.wq,
					  TASK_INTERRUPTIBLE);
		/* queued since we looked: it interrupts the sleep anyway */
		if (task_work_pending(current) ||
		    test_thread_flag(TIF_NOTIFY_SIGNAL))
			continue;
		if (!llist_empty(&ctx->work_llist)) {
			__set_current_state(TASK_RUNNING);
			io_run_local_work(ctx);
			/* what it posted may be all we wait for */
			if ((int)(READ_ONCE(ctx->cq_published) - iowq.cq_tail) >= 0)
				break;
			continue;
		}
		if (test_bit(IO_CHECK_CQ_OVERFLOW_BIT, &ctx->check_cq)) {
			__set_current_state(TASK_RUNNING);
			io_cqring_overflow_flush(ctx);
			/* still a backlog: the CQ is full, let user space reap */
			if (test_bit(IO_CHECK_CQ_OVERFLOW_BIT, &ctx->check_cq))
				break;
			continue;
		}
		if (test_and_clear_bit(IO_CHECK_CQ_DROPPED_BIT, &ctx->check_cq)) {
			ret = -EBADR;
			break;
		}
		if (io_wait_done(&iowq))
			break;
		if (task_sigpending(current)) {
			ret = -EINTR;
			break;
		}
		/* the scheduler counts iowait when we sleep */
		current->in_iowait = iowait || old_iowait;
		if (min_timeout != KTIME_MAX) {
			if (schedule_hrtimeout_range_clock(&min_timeout, 0,
							   HRTIMER_MODE_ABS,
							   ctx->clockid))
				continue;
			/* the batch window closed: one CQE will do now */
			min_timeout = KTIME_MAX;
			if (io_cqring_events(ctx))
				break;
			iowq.cq_tail = READ_ONCE(ctx->rings->cq.head) + 1;
		} else if (timeout == KTIME_MAX) {
			schedule();
		} else if (!schedule_hrtimeout_range_clock(&timeout, 0,
							   HRTIMER_MODE_ABS,
							   ctx->clockid)) {
			if (!io_wait_done(&iowq))
				ret = -ETIME;
			break;
		}
	}
	current->in_iowait = old_iowait;
	finish_wait(&ctx->cq_wait, &iowq.wq);
	restore_saved_sigmask_unless(ret == -EINTR);
	/* a wait cut short still succeeds if there is something to reap */
	if ((ret == -ETIME || ret == -EINTR) && io_cqring_events(ctx))
		ret = 0;
	return ret;
}

/* ---- the ring file -------------------------------------------------- */

/*
 * A ring current registered (IORING_REGISTER_RING_FDS), without a new
 * reference: the registration holds one, and the table is current's own,
 * so nothing else can drop it while current is in a system call.
 */
static struct file *io_uring_registered_file(unsigned int fd)
{
	struct io_uring_task *tctx = current->io_uring;
	struct file *file;

	if (!tctx || fd >= IO_RINGFD_REG_MAX)
		return ERR_PTR(-EINVAL);
	fd = array_index_nospec(fd, IO_RINGFD_REG_MAX);
	file = tctx->registered_rings[fd];
	return file ?: ERR_PTR(-EBADF);
}

/**
 * io_uring_ctx_get_file - look up a ring by fd or registered index
 * @fd: file descriptor, or index into the task's registered rings
 * @registered: @fd is a registered index
 *
 * Return: a referenced file, or an ERR_PTR.
 */
struct file *io_uring_ctx_get_file(unsigned int fd, bool registered)
{
	struct file *file;

	if (registered) {
		file = io_uring_registered_file(fd);
		if (!IS_ERR(file))
			get_file(file);
		return file;
	}
	file = fget(fd);
	if (!file)
		return ERR_PTR(-EBADF);
	if (!io_is_uring_fops(file)) {
		fput(file);
		return ERR_PTR(-EOPNOTSUPP);
	}
	return file;
}

/*
 * IORING_SETUP_HYBRID_IOPOLL (6.13): before polling, sleep for half of
 * what a wait for a completion took on average (capped): the CPU is free
 * for most of a device's latency, and polling still catches the
 * completion close to when it happens.
 */
#define IO_HYBRID_MAX_SLEEP_NS	(10 * NSEC_PER_MSEC)

static void io_hybrid_sleep(struct io_ring_ctx *ctx)
{
	u64 ns = min_t(u64, READ_ONCE(ctx->hybrid_poll_ns) / 2,
		       IO_HYBRID_MAX_SLEEP_NS);
	ktime_t kt = ns_to_ktime(ns);

	if (!ns)
		return;
	set_current_state(TASK_INTERRUPTIBLE);
	schedule_hrtimeout(&kt, HRTIMER_MODE_REL);
}

/* A wait that found a completion after @ns: the average moves 1/8 there. */
static void io_hybrid_account(struct io_ring_ctx *ctx, u64 ns)
{
	u64 avg = READ_ONCE(ctx->hybrid_poll_ns);

	WRITE_ONCE(ctx->hybrid_poll_ns, avg ? avg - avg / 8 + ns / 8 : ns);
}

/*
 * IORING_SETUP_IOPOLL, as io_uring_enter(2) has it: CQEs already in the
 * ring are returned at once, without polling; otherwise poll until there
 * is one (@min 0: one pass, without spinning), or nothing is left to
 * poll for. Polling no more than that lets completions gather in the
 * device between polls, so that each poll completes a batch. Task work
 * (passthrough completions) runs between rounds, without uring_lock.
 */
static int io_iopoll_wait(struct io_ring_ctx *ctx, unsigned int min)
{
	bool hybrid = (ctx->flags & IORING_SETUP_HYBRID_IOPOLL) && min;
	u64 start = 0;
	int ret = 0;

	if (hybrid) {
		io_cqring_overflow_flush(ctx);
		if (io_cqring_events(ctx) || !io_iopoll_pending(ctx))
			hybrid = false;
		else
			start = ktime_get_ns();
		if (hybrid)
			io_hybrid_sleep(ctx);
	}
	for (;;) {
		io_cqring_overflow_flush(ctx);
		if (io_cqring_events(ctx))
			break;
		mutex_lock(&ctx->uring_lock);
		ret = io_iopoll_reap(ctx, min);
		mutex_unlock(&ctx->uring_lock);
		if (ret < 0)
			break;
		ret = 0;
		io_run_task_work();
		io_run_local_work(ctx);
		if (!min || io_cqring_events(ctx))
			break;
		if (!io_iopoll_pending(ctx) && !task_work_pending(current) &&
		    llist_empty(&ctx->work_llist))
			break;
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	if (hybrid && io_cqring_events(ctx))
		io_hybrid_account(ctx, ktime_get_ns() - start);
	return ret;
}

static long io_submit_locked(struct io_ring_ctx *ctx, unsigned int nr)
{
	int ret = io_uring_alloc_task_context(current);

	if (!ret)
		ret = io_tctx_track_ctx(ctx);
	if (ret)
		return ret;
	guard(mutex)(&ctx->uring_lock);
	return io_submit_sqes(ctx, nr);
}

static long io_enter(struct io_ring_ctx *ctx, u32 to_submit, u32 min_complete,
		     u32 flags, const void __user *argp, size_t argsz)
{
	struct io_wait_args args;
	long submitted = 0;
	int ret;

	if (unlikely(READ_ONCE(ctx->int_flags) & IO_CTX_DISABLED))
		return -EBADFD;
	ret = io_restrict_may_use(ctx);
	if (unlikely(ret))
		return ret;
	if (ctx->flags & IORING_SETUP_SQPOLL) {
		/* the thread submits: wake it, or wait for SQ room */
		ret = io_sqpoll_enter(ctx, flags);
		if (ret)
			return ret;
		submitted = to_submit;
		io_cqring_overflow_flush(ctx);
	} else if (to_submit) {
		/* IORING_SETUP_SINGLE_ISSUER: nobody else submits */
		if (unlikely(ctx->submitter_task &&
			     ctx->submitter_task != current))
			return -EEXIST;
		submitted = io_submit_locked(ctx, to_submit);
		/* a short or failed submission returns without waiting */
		if (submitted != to_submit)
			return submitted;
	} else {
		io_cqring_overflow_flush(ctx);
	}
	if (!(flags & IORING_ENTER_GETEVENTS))
		return submitted;
	/* DEFER_TASKRUN: only the issuer runs the ring's completions */
	if ((ctx->flags & IORING_SETUP_DEFER_TASKRUN) &&
	    ctx->submitter_task != current)
		return submitted ?: -EEXIST;
	ret = io_get_wait_args(ctx, flags, argp, argsz, &args);
	if (ret)
		return submitted ?: ret;
	/* polled completions are found by polling, unless the thread does */
	if ((ctx->flags & (IORING_SETUP_IOPOLL | IORING_SETUP_SQPOLL)) ==
	    IORING_SETUP_IOPOLL)
		ret = io_iopoll_wait(ctx, min_complete);
	else
		ret = io_cqring_wait(ctx, min_complete, flags, &args);
	/* what was submitted is reported even if the wait failed */
	return submitted ?: ret;
}

SYSCALL_DEFINE6(io_uring_enter, unsigned int, fd, u32, to_submit,
		u32, min_complete, u32, flags, const void __user *, argp,
		size_t, argsz)
{
	struct file *file;
	struct fd f;
	long ret;

	if (flags & ~IO_ENTER_FLAGS)
		return -EINVAL;
	if (flags & IORING_ENTER_REGISTERED_RING) {
		file = io_uring_registered_file(fd);
		if (IS_ERR(file))
			return PTR_ERR(file);
		return io_enter(file->private_data, to_submit, min_complete,
				flags, argp, argsz);
	}
	/* as read(2) does: no reference unless the file table is shared */
	f = fdget(fd);
	if (fd_empty(f))
		return -EBADF;
	ret = -EOPNOTSUPP;
	if (io_is_uring_fops(fd_file(f)))
		ret = io_enter(fd_file(f)->private_data, to_submit,
			       min_complete, flags, argp, argsz);
	fdput(f);
	return ret;
}

static __poll_t io_uring_poll(struct file *file, poll_table *wait)
{
	struct io_ring_ctx *ctx = file->private_data;
	struct io_rings *rings;
	__poll_t mask = 0;

	poll_wait(file, &ctx->poll_wq, wait);
	/* a resize frees the rings it replaces a grace period later */
	guard(rcu)();
	rings = READ_ONCE(ctx->rings);
	/* pairs with the release stores of the tails */
	smp_rmb();
	if (READ_ONCE(rings->sq.tail) - ctx->cached_sq_head != ctx->sq_entries)
		mask |= EPOLLOUT | EPOLLWRNORM;
	/*
	 * DEFER_TASKRUN work waits for the issuer to enter: an event loop
	 * that polls the ring must be told to, or it sleeps on completions.
	 */
	if (READ_ONCE(ctx->cq_published) != READ_ONCE(rings->cq.head) ||
	    test_bit(IO_CHECK_CQ_OVERFLOW_BIT, &ctx->check_cq) ||
	    !llist_empty(&ctx->work_llist))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

static int io_uring_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct io_ring_ctx *ctx = file->private_data;
	loff_t off = (loff_t)vma->vm_pgoff << PAGE_SHIFT;
	struct io_region *region;
	int ret;

	/* not a ring from outside a sandbox: its SQ is as good as enter */
	ret = io_restrict_may_use(ctx);
	if (ret)
		return ret;
	/* the group id shares bits with the mask: test this one first */
	if ((off & IORING_OFF_PBUF_RING) == IORING_OFF_PBUF_RING)
		return io_pbuf_mmap(ctx, vma, (off & ~IORING_OFF_PBUF_RING) >>
					      IORING_OFF_PBUF_SHIFT);
	/* a region the kernel allocated (IORING_REGISTER_MEM_REGION) */
	if ((off & IORING_OFF_MMAP_MASK) == IO_OFF_PARAM_REGION) {
		guard(mutex)(&ctx->mmap_lock);
		return io_region_mmap(&ctx->param_region, vma,
				      (off & ~IORING_OFF_MMAP_MASK) >> PAGE_SHIFT);
	}
	/* rings in user memory are user space's own to map */
	if (ctx->flags & IORING_SETUP_NO_MMAP)
		return -EINVAL;
	switch (off & IORING_OFF_MMAP_MASK) {
	case IORING_OFF_SQ_RING:
	case IORING_OFF_CQ_RING:
		region = &ctx->ring_region;
		break;
	case IORING_OFF_SQES:
		region = &ctx->sqe_region;
		break;
	default:
		return -EINVAL;
	}
	/* a resize swaps the regions under this lock: map one or the other */
	guard(mutex)(&ctx->mmap_lock);
	/* a mapping may start at any page of the region; it must fit in it */
	return io_region_mmap(region, vma,
			      (off & ~IORING_OFF_MMAP_MASK) >> PAGE_SHIFT);
}

static void io_ring_ctx_free(struct io_ring_ctx *ctx)
{
	struct io_overflow_cqe *ocqe, *tmp;

	/* no request is left: what removed resources waited for is over */
	mutex_lock(&ctx->uring_lock);
	io_rsrc_gen_free(ctx);
	mutex_unlock(&ctx->uring_lock);

	list_for_each_entry_safe(ocqe, tmp, &ctx->cq_overflow_list, list) {
		list_del(&ocqe->list);
		kfree(ocqe);
	}
	while (ctx->free_reqs) {
		struct io_kiocb *req = ctx->free_reqs;

		ctx->free_reqs = req->next;
		kmem_cache_free(req_cachep, req);
	}
	/* nothing may read the rings below once they are gone */
	io_sq_thread_finish(ctx);
	irq_work_sync(&ctx->poll_wq_work);
	io_eventfd_unregister(ctx);
	io_kbuf_destroy_all(ctx);
	io_rw_cache_free(ctx);
	io_apoll_cache_free(ctx);
	io_napi_free(ctx);
	io_restrict_ring_free(ctx);
	io_lat_free(ctx);
	kvfree(ctx->poll_hash);
	xa_destroy(&ctx->personalities);
	/* pinned ring memory is unaccounted against the mm and user below */
	io_region_free(ctx, &ctx->ring_region);
	io_region_free(ctx, &ctx->sqe_region);
	io_region_free(ctx, &ctx->param_region);
	if (ctx->sq_creds)
		put_cred(ctx->sq_creds);
	if (ctx->submitter_task)
		put_task_struct(ctx->submitter_task);
	if (ctx->mm_account)
		mmdrop(ctx->mm_account);
	if (ctx->user)
		free_uid(ctx->user);
	percpu_ref_exit(&ctx->refs);
	mutex_destroy(&ctx->uring_lock);
	kfree(ctx);
}

static void io_ring_ctx_ref_free(struct percpu_ref *ref)
{
	struct io_ring_ctx *ctx = container_of(ref, struct io_ring_ctx, refs);

	complete(&ctx->ref_comp);
}

static bool io_match_task(struct io_kiocb *req, void *task)
{
	return req->task == task;
}

/**
 * io_drain_cancel - cancel requests held back by IOSQE_IO_DRAIN
 * @ctx: the ring, with uring_lock held
 * @match: which requests; NULL for all
 * @data: passed to @match
 *
 * They wait on other requests, possibly for ever, and never started.
 * Return: how many were cancelled.
 */
int io_drain_cancel(struct io_ring_ctx *ctx,
		    bool (*match)(struct io_kiocb *req, void *data), void *data)
{
	struct io_kiocb *req, *tmp;
	int nr = 0;

	lockdep_assert_held(&ctx->uring_lock);
	list_for_each_entry_safe(req, tmp, &ctx->defer_list, list) {
		if (match && !match(req, data))
			continue;
		list_del(&req->list);
		io_drain_erase(ctx, req);
		io_req_fail(req, -ECANCELED);
		nr++;
	}
	/* drain_active ends in io_queue_deferred(), once drain_until passes */
	return nr;
}

/**
 * io_cancel_task_reqs - stop what @task submitted to @ctx
 * @ctx: the ring, pinned by the caller
 * @task: the task exiting or calling exec (current)
 * @exec: exec, not exit
 *
 * Nothing a task submitted may run in the image that follows its exec:
 * every place a request can wait is walked (cancel.c) and each request
 * there completes with -ECANCELED. At thread exit polls and timeouts
 * stay armed without the thread, as in 6.12 (a thread pool's requests
 * outlive the thread that happened to submit them); the rest is
 * cancelled. Requests running in the task's io workers are stopped by
 * the caller through the pool; I/O in flight in a driver ends on its
 * own, and the caller waits for it.
 */
void io_cancel_task_reqs(struct io_ring_ctx *ctx, struct task_struct *task,
			 bool exec)
{
	struct io_cancel_walk w = {
		.match	= io_match_task,
		.data	= task,
		.all	= true,
	};

	/* the issuer's deferred work: it runs now (and cancels), or never */
	if (ctx->submitter_task == task)
		io_run_local_work(ctx);
	mutex_lock(&ctx->uring_lock);
	io_cancel_walk(ctx, exec ? IO_CANCEL_EXEC : IO_CANCEL_EXIT, &w);
	io_flush_completions(ctx);
	mutex_unlock(&ctx->uring_lock);
}

/*
 * Teardown runs from a worker: requests still in flight hold ctx->refs,
 * and we must not make the task that closed the file wait for them.
 *
 * Most are gone in a moment, and the worker waits for them. What is left
 * after a second may stay as long as user space likes (a zero-copy
 * notification waits for the peer to read, a task stopped by a signal
 * runs no task_work): from then on the work comes back once a second
 * instead of keeping a worker of the shared workqueue busy.
 */
static void io_ring_exit_work(struct work_struct *work)
{
	struct io_ring_ctx *ctx = container_of(to_delayed_work(work),
					       struct io_ring_ctx, exit_work);

	/* a fuzzer sees the teardown as part of the ring creator's run */
	kcov_remote_start_common(ctx->kcov_handle);
	if (!ctx->exit_began) {
		ctx->exit_began = true;
		ctx->exit_start = jiffies;
		ctx->exit_overdue_start = jiffies;
		/* the submission thread lets go of the ring first */
		io_sq_thread_finish(ctx);
		/* exiting tasks no longer come here to cancel their requests */
		io_ctx_untrack_tasks(ctx);
		mutex_lock(&ctx->uring_lock);
		/* the table's references go; in-flight requests keep their own */
		io_unregister_files(ctx);
		io_unregister_buffers(ctx);
		io_unregister_personalities(ctx);
		mutex_unlock(&ctx->uring_lock);
	}

	/* every wait place, until the last request is gone */
	for (;;) {
		struct io_cancel_walk w = { .all = true };
		/* past the first second, no sleeping in the worker */
		bool late = time_after(jiffies, ctx->exit_start + HZ);
		unsigned int nr_aux;

		/* deferred work whose issuer is gone: it cancels itself */
		io_run_local_work(ctx);
		mutex_lock(&ctx->uring_lock);
		io_cancel_walk(ctx, IO_CANCEL_RING, &w);
		io_flush_completions(ctx);
		nr_aux = ctx->nr_aux;
		mutex_unlock(&ctx->uring_lock);
		if (late ? try_wait_for_completion(&ctx->ref_comp) :
			   wait_for_completion_timeout(&ctx->ref_comp, HZ / 10))
			break;
		/* waiting for a peer to read is no hang */
		if (nr_aux)
			ctx->exit_overdue_start = jiffies;
		io_wait_overdue(ctx->exit_overdue_start, &ctx->exit_reported,
				"ring exit", -1);
		if (late) {
			kcov_remote_stop();
			queue_delayed_work(system_unbound_wq, &ctx->exit_work,
					   HZ);
			return;
		}
	}
	/* the last fallback run may still be unlocking the ring */
	flush_work(&ctx->fallback_work);
	/*
	 * Whoever queued the last task_work may still be looking at the
	 * ring from inside an RCU read section (io_req_task_work_add()).
	 */
	synchronize_rcu();
	io_ring_ctx_free(ctx);
	kcov_remote_stop();
}

static int io_uring_release(struct inode *inode, struct file *file)
{
	struct io_ring_ctx *ctx = file->private_data;

	file->private_data = NULL;
	percpu_ref_kill(&ctx->refs);
	queue_delayed_work(system_unbound_wq, &ctx->exit_work, 0);
	return 0;
}

/* A ring fd is only mapped, polled and closed; read/write are refused. */
static const struct file_operations io_uring_fops = {
	.mmap = io_uring_mmap, .poll = io_uring_poll,
	.show_fdinfo = io_uring_show_fdinfo, .release = io_uring_release,
};

/* ---- setup ---------------------------------------------------------- */

/* Refuse (or with CLAMP, cap) a size over @max; round up to a power of 2. */
static int io_ring_size(u32 *entries, u32 max, bool clamp)
{
	if (!*entries || (*entries > max && !clamp))
		return -EINVAL;
	*entries = roundup_pow_of_two(min(*entries, max));
	return 0;
}

/**
 * io_setup_sizes - the SQ and CQ sizes @p asks for, as the ring gets them
 * @entries: SQ entries asked for
 * @p: flags (CQSIZE, CLAMP) and cq_entries; sq_entries and cq_entries set
 *
 * Return: 0, or -EINVAL for a size of 0, over the maximum without CLAMP,
 * or a CQ smaller than the SQ.
 */
int io_setup_sizes(u32 entries, struct io_uring_params *p)
{
	bool clamp = p->flags & IORING_SETUP_CLAMP;
	int ret;

	p->sq_entries = entries;
	ret = io_ring_size(&p->sq_entries, IORING_MAX_ENTRIES, clamp);
	if (ret)
		return ret;
	/* by default the CQ has room for two completions per SQ slot */
	if (!(p->flags & IORING_SETUP_CQSIZE)) {
		p->cq_entries = 2 * p->sq_entries;
		return 0;
	}
	ret = io_ring_size(&p->cq_entries, IORING_MAX_CQ_ENTRIES, clamp);
	if (!ret && p->cq_entries < p->sq_entries)
		ret = -EINVAL;
	return ret;
}

/**
 * io_rings_alloc - allocate (or pin) rings and SQEs of @p's geometry
 * @ctx: the ring, whose creator pays for pinned pages
 * @p: sizes and flags; on success the offsets user space maps with
 * @m: filled on success; io_rings_free() releases it
 *
 * Used by setup and by IORING_REGISTER_RESIZE_RINGS, which builds the new
 * rings beside the old ones before it swaps them.
 *
 * Return: 0, or a negative errno with nothing allocated.
 */
int io_rings_alloc(struct io_ring_ctx *ctx, struct io_uring_params *p,
		   struct io_rings_mem *m)
{
	size_t size, sq_array_off, sqes_size = sizeof(struct io_uring_sqe);
	struct io_rings *rings;
	u64 sq_uaddr = p->sq_off.user_addr, cq_uaddr = p->cq_off.user_addr;
	int ret;

	memset(m, 0, sizeof(*m));
	size = io_rings_size(p->flags, p->sq_entries, p->cq_entries,
			     &sq_array_off);
	if (size == SIZE_MAX)
		return -EOVERFLOW;
	sqes_size *= p->sq_entries;
	if (p->flags & IORING_SETUP_SQE128)
		sqes_size *= 2;
	if (p->flags & IORING_SETUP_NO_MMAP) {
		/* user memory, page aligned: pinned and charged for */
		ret = io_region_pin(ctx, &m->ring_region, cq_uaddr, size);
		if (!ret)
			ret = io_region_pin(ctx, &m->sqe_region, sq_uaddr,
					    sqes_size);
	} else {
		ret = io_region_alloc(&m->ring_region, size);
		if (!ret)
			ret = io_region_alloc(&m->sqe_region, sqes_size);
	}
	if (ret) {
		io_rings_free(ctx, m);
		return ret;
	}
	rings = m->ring_region.ptr;
	m->rings = rings;
	/* never read back from the rings: NO_MMAP ones are user memory */
	m->sq_entries = p->sq_entries;
	m->cq_entries = p->cq_entries;
	m->sqes = m->sqe_region.ptr;
	if (!(p->flags & IORING_SETUP_NO_SQARRAY))
		m->sq_array = (u32 *)((char *)rings + sq_array_off);
	/* the geometry user space reads back, each value with its mask */
	rings->sq_ring_entries = p->sq_entries;
	rings->sq_ring_mask = p->sq_entries - 1;
	rings->cq_ring_entries = p->cq_entries;
	rings->cq_ring_mask = p->cq_entries - 1;

	/* where user space finds each field; unused fields stay zero */
#define RING_OFF(field)	offsetof(struct io_rings, field)
	p->sq_off = (struct io_sqring_offsets) {
		RING_OFF(sq.head), RING_OFF(sq.tail), RING_OFF(sq_ring_mask),
		RING_OFF(sq_ring_entries), RING_OFF(sq_flags),
		RING_OFF(sq_dropped), sq_array_off,
	};
	p->cq_off = (struct io_cqring_offsets) {
		RING_OFF(cq.head), RING_OFF(cq.tail), RING_OFF(cq_ring_mask),
		RING_OFF(cq_ring_entries), RING_OFF(cq_overflow),
		RING_OFF(cqes), RING_OFF(cq_flags),
	};
#undef RING_OFF
	/* NO_MMAP: the addresses stay as user space gave them */
	if (p->flags & IORING_SETUP_NO_MMAP) {
		p->sq_off.user_addr = sq_uaddr;
		p->cq_off.user_addr = cq_uaddr;
	}
	return 0;
}

/**
 * io_rings_free - release what io_rings_alloc() allocated or pinned
 * @ctx: the ring
 * @m: the rings; nothing may read them any more
 */
void io_rings_free(struct io_ring_ctx *ctx, struct io_rings_mem *m)
{
	io_region_free(ctx, &m->ring_region);
	io_region_free(ctx, &m->sqe_region);
}

/* Make @m the ring's rings (at setup, and under locks at resize). */
void io_rings_install(struct io_ring_ctx *ctx, struct io_rings_mem *m)
{
	ctx->ring_region = m->ring_region;
	ctx->sqe_region = m->sqe_region;
	/* lockless readers (under RCU) see the rings' contents with them */
	smp_store_release(&ctx->rings, m->rings);
	ctx->sq_sqes = m->sqes;
	ctx->sq_array = m->sq_array;
	ctx->sq_entries = m->sq_entries;
	ctx->cq_entries = m->cq_entries;
}

static struct io_ring_ctx *io_ring_ctx_alloc(struct io_uring_params *p)
{
	struct io_ring_ctx *ctx;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL_ACCOUNT);
	if (!ctx)
		return NULL;
	if (percpu_ref_init(&ctx->refs, io_ring_ctx_ref_free, 0, GFP_KERNEL)) {
		kfree(ctx);
		return NULL;
	}
	ctx->flags = p->flags;
	ctx->sq_entries = p->sq_entries;
	ctx->cq_entries = p->cq_entries;
	ctx->cq_shift = !!(p->flags & IORING_SETUP_CQE32);
	if (p->flags & IORING_SETUP_R_DISABLED)
		ctx->int_flags |= IO_CTX_DISABLED;
	mutex_init(&ctx->uring_lock);
	spin_lock_init(&ctx->completion_lock);
	init_waitqueue_head(&ctx->cq_wait);
	ctx->clockid = CLOCK_MONOTONIC;
	spin_lock_init(&ctx->napi_lock);
	INIT_LIST_HEAD(&ctx->napi_list);
	init_waitqueue_head(&ctx->poll_wq);
	init_irq_work(&ctx->poll_wq_work, io_poll_wq_work);
	init_completion(&ctx->ref_comp);
	INIT_DELAYED_WORK(&ctx->exit_work, io_ring_exit_work);
	init_llist_head(&ctx->fallback_llist);
	init_llist_head(&ctx->work_llist);
	INIT_WORK(&ctx->fallback_work, io_fallback_work);
	ctx->kcov_handle = kcov_common_handle();
	INIT_LIST_HEAD(&ctx->cq_overflow_list);
	INIT_LIST_HEAD(&ctx->defer_list);
	INIT_LIST_HEAD(&ctx->tctx_list);
	spin_lock_init(&ctx->iowq_lock);
	spin_lock_init(&ctx->timeout_lock);
	INIT_LIST_HEAD(&ctx->timeout_list);
	INIT_LIST_HEAD(&ctx->iowq_list);
	INIT_LIST_HEAD(&ctx->iopoll_list);
	INIT_LIST_HEAD(&ctx->rw_waiting);
	INIT_LIST_HEAD(&ctx->sqd_list);
	xa_init_flags(&ctx->personalities, XA_FLAGS_ALLOC1);
	xa_init(&ctx->io_bl_xa);
	mutex_init(&ctx->mmap_lock);
	ctx->compl_tail = &ctx->compl_head;
	ctx->user = get_uid(current_user());
	ctx->limit_mem = !capable(CAP_IPC_LOCK);
	mmgrab(current->mm);
	ctx->mm_account = current->mm;
	return ctx;
}

/*
 * IORING_SETUP_ATTACH_WQ: io workers are per task, so only check wq_fd;
 * an SQPOLL ring shares the thread of wq_fd's ring (sqpoll.c).
 */
static int io_check_attach_wq(struct io_uring_params *p)
{
	struct file *file;
	int ret = 0;

	if (!(p->flags & IORING_SETUP_ATTACH_WQ) ||
	    (p->flags & IORING_SETUP_SQPOLL))
		return 0;
	file = fget(p->wq_fd);
	if (!file)
		return -ENXIO;
	if (!io_is_uring_fops(file))
		ret = -EINVAL;
	else
		ret = io_restrict_may_use(file->private_data);
	fput(file);
	return ret;
}

/* Who may create rings: the kernel.io_uring_* sysctls. */
static struct {
	int disabled;	/* 0: anyone, 1: CAP_SYS_ADMIN or group members, 2: nobody */
	int group;	/* the gid whose members may at level 1; -1: none */
} io_uring_admin = { .group = -1 };

#ifdef CONFIG_SYSCTL
static struct ctl_table io_uring_sysctl_table[] = {
	{
		.procname	= "io_uring_group",
		.mode		= 0644,
		.data		= &io_uring_admin.group,
		.maxlen		= sizeof(int),
		.proc_handler	= proc_dointvec,
	},
	{
		.procname	= "io_uring_disabled",
		.mode		= 0644,
		.data		= &io_uring_admin.disabled,
		.maxlen		= sizeof(int),
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_TWO,
	},
};
#endif

/* Only new rings are refused: existing ones keep working. */
static int io_uring_may_create(void)
{
	kgid_t gid;

	switch (READ_ONCE(io_uring_admin.disabled)) {
	case 0:
		return 0;
	case 1:
		gid = make_kgid(&init_user_ns, READ_ONCE(io_uring_admin.group));
		if ((gid_valid(gid) && in_group_p(gid)) || capable(CAP_SYS_ADMIN))
			return 0;
		fallthrough;
	default:
		return -EPERM;
	}
}

static long io_uring_setup(u32 entries, struct io_uring_params __user *params)
{
	struct io_uring_params p;
	struct io_rings_mem mem;
	struct io_ring_ctx *ctx;
	struct file *file;
	int ret, fd, i;

	ret = io_uring_may_create();
	if (ret)
		return ret;
	if (copy_from_user(&p, params, sizeof(p)))
		return -EFAULT;
	for (i = 0; i < ARRAY_SIZE(p.resv); i++)
		if (p.resv[i])
			return -EINVAL;
	if (p.flags & ~IO_SETUP_FLAGS_SUPPORTED)
		return -EINVAL;
	/* the flag reports deferred work: only with a mode that defers */
	if ((p.flags & IORING_SETUP_TASKRUN_FLAG) &&
	    !(p.flags & (IORING_SETUP_COOP_TASKRUN |
			 IORING_SETUP_DEFER_TASKRUN)))
		return -EINVAL;
	/* deferred work runs in the one issuer's wait */
	if ((p.flags & IORING_SETUP_DEFER_TASKRUN) &&
	    !(p.flags & IORING_SETUP_SINGLE_ISSUER))
		return -EINVAL;
	/*
	 * An SQPOLL thread runs its task work itself: the modes that choose
	 * how a task is told about it mean nothing there (-EINVAL, as 6.12).
	 */
	if ((p.flags & IORING_SETUP_SQPOLL) &&
	    (p.flags & (IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG |
			IORING_SETUP_DEFER_TASKRUN)))
		return -EINVAL;
	/* without an fd the rings cannot be mmapped: user space owns them */
	if ((p.flags & IORING_SETUP_REGISTERED_FD_ONLY) &&
	    !(p.flags & IORING_SETUP_NO_MMAP))
		return -EINVAL;
	/* a CPU for the thread means there is a thread */
	if ((p.flags & IORING_SETUP_SQ_AFF) &&
	    !(p.flags & IORING_SETUP_SQPOLL))
		return -EINVAL;
	/* one CQE size, or both; one SQE size, or both */
	if ((p.flags & IORING_SETUP_CQE_MIXED) && (p.flags & IORING_SETUP_CQE32))
		return -EINVAL;
	if ((p.flags & IORING_SETUP_SQE_MIXED) && (p.flags & IORING_SETUP_SQE128))
		return -EINVAL;
	/* hybrid polling is a way of polling */
	if ((p.flags & IORING_SETUP_HYBRID_IOPOLL) &&
	    !(p.flags & IORING_SETUP_IOPOLL))
		return -EINVAL;
	ret = io_setup_sizes(entries, &p);
	if (ret)
		return ret;
	/* a 32-byte CQE takes two slots: a ring of one could never post it */
	if ((p.flags & IORING_SETUP_CQE_MIXED) && p.cq_entries < 2)
		return -EOVERFLOW;
	ret = io_check_attach_wq(&p);
	if (ret)
		return ret;

	ctx = io_ring_ctx_alloc(&p);
	if (!ctx)
		return -ENOMEM;
	/* the creator's restrictions and filters, for the ring's life */
	io_restrict_ring_init(ctx);
	ret = io_rings_alloc(ctx, &p, &mem);
	if (!ret) {
		io_rings_install(ctx, &mem);
		ret = io_poll_hash_alloc(ctx);
	}
	if (!ret)
		ret = io_rsrc_gen_init(ctx);
	if (ret)
		goto err_ctx;
	ret = io_uring_alloc_task_context(current);
	if (ret)
		goto err_ctx;

	if (p.flags & IORING_SETUP_SQPOLL) {
		ret = io_sq_offload_create(ctx, &p);
		if (ret)
			goto err_ctx;
	} else {
		p.sq_thread_cpu = 0;
		p.sq_thread_idle = 0;
	}
	p.features = IO_FEATURES;
	if (copy_to_user(params, &p, sizeof(p))) {
		ret = -EFAULT;
		goto err_ctx;
	}

	/* REGISTERED_FD_ONLY: a registered ring index instead of an fd */
	if (p.flags & IORING_SETUP_REGISTERED_FD_ONLY)
		fd = io_ringfd_free_slot();
	else
		fd = get_unused_fd_flags(O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto err_ctx;
	}
	file = anon_inode_create_getfile("[io_uring]", &io_uring_fops, ctx,
					 O_RDWR | O_CLOEXEC, NULL);
	if (IS_ERR(file)) {
		if (!(p.flags & IORING_SETUP_REGISTERED_FD_ONLY))
			put_unused_fd(fd);
		ret = PTR_ERR(file);
		goto err_ctx;
	}
	/*
	 * A disabled ring gets its issuer when it is enabled; with SQPOLL
	 * the thread is the one issuer.
	 */
	if ((p.flags & IORING_SETUP_SINGLE_ISSUER) &&
	    !(p.flags & (IORING_SETUP_R_DISABLED | IORING_SETUP_SQPOLL)))
		ctx->submitter_task = get_task_struct(current);
	trace_io_uring_create(fd, ctx, p.sq_entries, p.cq_entries, p.flags);
	/*
	 * Past the last failure, and before the fd exists (a close through
	 * it could free the ring): the submission thread may look at it now.
	 */
	if (p.flags & IORING_SETUP_SQPOLL)
		io_sq_offload_start(ctx);
	if (p.flags & IORING_SETUP_REGISTERED_FD_ONLY)
		current->io_uring->registered_rings[fd] = file;
	else
		fd_install(fd, file);
	return fd;
err_ctx:
	/* never used: percpu_ref_exit() without a kill is fine here */
	io_ring_ctx_free(ctx);
	return ret;
}

SYSCALL_DEFINE2(io_uring_setup, u32, entries,
		struct io_uring_params __user *, params)
{
	return io_uring_setup(entries, params);
}

static int __init io_uring_init(void)
{
	BUILD_BUG_ON(sizeof(struct io_uring_sqe) != 64);
	BUILD_BUG_ON(sizeof(struct io_uring_cqe) != 16);
	BUILD_BUG_ON(sizeof(struct io_uring_cmd) > sizeof(struct io_cmd_data));
	/* a request's iopoll_node overlays exactly its work.list */
	BUILD_BUG_ON(offsetof(struct io_kiocb, iopoll_node) !=
		     offsetof(struct io_kiocb, work.list));
	io_op_defs_check();
	req_cachep = KMEM_CACHE(io_kiocb, SLAB_HWCACHE_ALIGN | SLAB_PANIC |
				SLAB_ACCOUNT);
#ifdef CONFIG_SYSCTL
	register_sysctl_init("kernel", io_uring_sysctl_table);
	io_lat_sysctl_init();
#endif
	return 0;
}
device_initcall(io_uring_init);
