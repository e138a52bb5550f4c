// SPDX-License-Identifier: GPL-2.0
/*
 * Completion queue entries: posting one CQE (auxiliary and multishot
 * CQEs, those of requests completed outside a flush), the CQEs of rings
 * with mixed sizes, the overflow list for CQEs the ring has no room for,
 * and publishing the tail (io_cq_commit()) and waking waiters.
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
#include "cqe.h"

#include <trace/events/io_uring.h>

struct io_overflow_cqe {
	struct list_head	list;
	struct io_uring_cqe	cqe;
	u64			big[2];
};

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
 * @issue_flags: IO_URING_F_UNLOCKED if uring_lock is not held (an io
 *	worker's issue); it is taken then
 *
 * For multishot requests. The CQ is written under uring_lock only.
 *
 * Return: false, posting nothing, if the CQ has
 * no room: the request must then end with a final CQE.
 */
bool io_post_aux_cqe(struct io_ring_ctx *ctx, u64 user_data, s32 res,
		     u32 cflags, unsigned int issue_flags)
{
	bool posted = false;

	if (issue_flags & IO_URING_F_UNLOCKED)
		mutex_lock(&ctx->uring_lock);
	lockdep_assert_held(&ctx->uring_lock);
	/* (multishot CQEs, never 32 bytes: io_write_cqe() is for those) */
	if (list_empty(&ctx->cq_overflow_list) && !io_cq_full(ctx)) {
		io_write_cqe(ctx, user_data, res, cflags, 0, 0);
		ctx->cq_seq++;
		posted = io_cq_publish(ctx);
	}
	if (issue_flags & IO_URING_F_UNLOCKED)
		mutex_unlock(&ctx->uring_lock);
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

	lockdep_assert_held(&ctx->uring_lock);
	/*
	 * No reclaim with the ring's lock held for a whole batch: a CQE
	 * that gets no entry is counted as dropped (cq_overflow, -EBADR).
	 */
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
 * Called with uring_lock held, the lock of every CQ write;
 * io_cq_commit() publishes, and io_cq_wake() then tells waiters.
 *
 * Return: false if the CQE had to be dropped.
 */
bool io_post_cqe(struct io_ring_ctx *ctx, u64 user_data, s32 res, u32 cflags,
		 u64 extra1, u64 extra2)
{
	lockdep_assert_held(&ctx->uring_lock);
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

	lockdep_assert_held(&ctx->uring_lock);
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
 * @locked: uring_lock is held; without it only their number is shown
 */
void io_cq_overflow_show_fdinfo(struct seq_file *m, struct io_ring_ctx *ctx,
				bool locked)
{
	struct io_overflow_cqe *ocqe;

	seq_printf(m, "CqOverflowList:\t%u\n", READ_ONCE(ctx->nr_overflow));
	if (!locked)
		return;
	list_for_each_entry(ocqe, &ctx->cq_overflow_list, list)
		seq_printf(m, "  user_data=0x%llx res=%d flags=0x%x\n",
			   ocqe->cqe.user_data, ocqe->cqe.res, ocqe->cqe.flags);
}
#endif

/**
 * io_cqring_overflow_flush_locked - move overflowed CQEs into the CQ
 * @ctx: the ring, with uring_lock held
 */
void io_cqring_overflow_flush_locked(struct io_ring_ctx *ctx)
{
	lockdep_assert_held(&ctx->uring_lock);
	if (!test_bit(IO_CHECK_CQ_OVERFLOW_BIT, &ctx->check_cq))
		return;
	__io_cqring_overflow_flush(ctx);
	io_cq_publish(ctx);
}

/**
 * io_cqring_overflow_flush - io_cqring_overflow_flush_locked() for an enter
 * @ctx: the ring, uring_lock not held by the caller
 *
 * With CQEs in the ring to reap, not waiting for uring_lock: its holder
 * may be waiting for this very caller (a submission faulting in a
 * userfaultfd page that the caller serves, or an SQPOLL thread's). The
 * backlog then stays for a later enter; the overflow bit makes a waiter
 * return to user space, which reaps and comes back.
 */
void io_cqring_overflow_flush(struct io_ring_ctx *ctx)
{
	if (!test_bit(IO_CHECK_CQ_OVERFLOW_BIT, &ctx->check_cq))
		return;
	if (!mutex_trylock(&ctx->uring_lock)) {
		if (io_cqring_events(ctx))
			return;
		mutex_lock(&ctx->uring_lock);
	}
	io_cqring_overflow_flush_locked(ctx);
	mutex_unlock(&ctx->uring_lock);
}

/**
 * io_cq_overflow_free - drop the CQEs that never made it into the ring
 * @ctx: the ring, at its end
 */
void io_cq_overflow_free(struct io_ring_ctx *ctx)
{
	struct io_overflow_cqe *ocqe, *tmp;

	list_for_each_entry_safe(ocqe, tmp, &ctx->cq_overflow_list, list) {
		list_del(&ocqe->list);
		kfree(ocqe);
	}
}
