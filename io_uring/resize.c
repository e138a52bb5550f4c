// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_REGISTER_RESIZE_RINGS: new SQ and CQ rings for a ring in use,
 * with the SQEs not yet submitted and the CQEs not yet reaped moved over.
 *
 * Only a DEFER_TASKRUN ring can be resized (-EINVAL otherwise, as
 * upstream). Its SQ is read by its one issuer, and its CQEs are written
 * by the issuer or by a MSG_RING sender of any task, all under
 * uring_lock, which the caller holds. What reads the rings without it
 * (a poll of the ring fd, fdinfo, the eventfd's "disabled" flag, the
 * TASKRUN flag of a task_work add) does so under RCU, and the old rings
 * are freed a grace period after the swap. A mapping user space has of
 * the old rings keeps its pages (memmap.c); it maps the new ones at the
 * same offsets, as after setup.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/io_uring.h>
#include <linux/uaccess.h>
#include <linux/rcupdate.h>
#include <linux/llist.h>
#include <uapi/linux/io_uring.h>

#include "io_uring.h"
#include "resize.h"
#include "setup.h"

/* the flags a resize takes; the ones below come from the ring's setup */
#define IO_RESIZE_FLAGS	(IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP)
#define IO_RESIZE_KEPT	(IORING_SETUP_NO_SQARRAY | IORING_SETUP_SQE128 | \
			 IORING_SETUP_CQE32 | IORING_SETUP_NO_MMAP | \
			 IORING_SETUP_CQE_MIXED | IORING_SETUP_SQE_MIXED)

/* The SQEs user space queued and we have not consumed; uring_lock. */
static int io_resize_move_sq(struct io_ring_ctx *ctx, struct io_rings_mem *n)
{
	unsigned int new_mask = n->sq_entries - 1;
	unsigned int old_mask = ctx->sq_entries - 1;
	unsigned int head = ctx->cached_sq_head;
	size_t size = sizeof(struct io_uring_sqe);
	unsigned int nr, i, src, dst;

	if (ctx->flags & IORING_SETUP_SQE128)
		size *= 2;
	/* as submission counts them: a tail past a full ring is a full ring */
	nr = min(READ_ONCE(ctx->rings->sq.tail) - head, ctx->sq_entries);
	if (nr > new_mask + 1)
		return -EOVERFLOW;
	for (i = 0; i < nr; i++) {
		src = (head + i) & old_mask;
		dst = (head + i) & new_mask;
		if (ctx->sq_array) {
			src = READ_ONCE(ctx->sq_array[src]);
			/* a bad index stays bad: submission drops it */
			n->sq_array[dst] = src <= old_mask ? dst : new_mask + 1;
			if (src > old_mask)
				continue;
		}
		memcpy((char *)n->sqes + dst * size,
		       (char *)ctx->sq_sqes + src * size, size);
	}
	n->rings->sq.head = head;
	n->rings->sq.tail = head + nr;
	return 0;
}

/*
 * A ring of mixed CQE sizes: a 32-byte CQE (two slots) must not start in
 * the new ring's last slot, so a skip CQE may go before it and the tail
 * move on. The flags are user memory: each is read once, and a CQE is
 * copied a slot at a time, wherever user space says it ends.
 */
static int io_resize_move_mixed_cq(struct io_ring_ctx *ctx,
				   struct io_rings_mem *n, unsigned int head,
				   unsigned int *tail)
{
	unsigned int new_mask = n->cq_entries - 1;
	unsigned int old_mask = ctx->cq_entries - 1;
	struct io_uring_cqe *src_cqes = ctx->rings->cqes;
	struct io_uring_cqe *dst_cqes = n->rings->cqes;
	unsigned int src = head, dst = head, slots, i;

	while ((int)(*tail - src) > 0) {
		slots = 1;
		if ((READ_ONCE(src_cqes[src & old_mask].flags) &
		     IORING_CQE_F_32) && *tail - src >= 2)
			slots = 2;
		if (slots == 2 && (dst & new_mask) == new_mask) {
			dst_cqes[dst & new_mask] = (struct io_uring_cqe) {
				.flags = IORING_CQE_F_SKIP,
			};
			dst++;
		}
		if (dst + slots - head > new_mask + 1)
			return -EOVERFLOW;
		for (i = 0; i < slots; i++)
			dst_cqes[(dst + i) & new_mask] =
				src_cqes[(src + i) & old_mask];
		src += slots;
		dst += slots;
	}
	*tail = dst;
	return 0;
}

/* The CQEs user space has not reaped, and the counters; uring_lock. */
static int io_resize_move_cq(struct io_ring_ctx *ctx, struct io_rings_mem *n)
{
	unsigned int new_mask = n->cq_entries - 1;
	unsigned int old_mask = ctx->cq_entries - 1;
	struct io_rings *old = ctx->rings;
	unsigned int head = READ_ONCE(old->cq.head);
	unsigned int tail = ctx->cached_cq_tail;
	unsigned int nr = tail - head;
	size_t size = sizeof(struct io_uring_cqe) << ctx->cq_shift;
	unsigned int i;
	int ret;

	/* more than the old ring holds means a head user space got wrong */
	if (nr > min(old_mask, new_mask) + 1)
		return -EOVERFLOW;
	if (ctx->flags & IORING_SETUP_CQE_MIXED) {
		ret = io_resize_move_mixed_cq(ctx, n, head, &tail);
		if (ret)
			return ret;
	} else {
		for (i = 0; i < nr; i++)
			memcpy(&n->rings->cqes[((head + i) & new_mask) <<
					       ctx->cq_shift],
			       &old->cqes[((head + i) & old_mask) <<
					  ctx->cq_shift], size);
	}
	/* (only a skip CQE added in front of a 32-byte one moves the tail) */
	ctx->cached_cq_tail = tail;
	WRITE_ONCE(ctx->cq_published, tail);
	n->rings->cq.head = head;
	n->rings->cq.tail = tail;
	n->rings->cq_flags = READ_ONCE(old->cq_flags);
	n->rings->cq_overflow = READ_ONCE(old->cq_overflow);
	n->rings->sq_dropped = READ_ONCE(old->sq_dropped);
	atomic_set(&n->rings->sq_flags, atomic_read(&old->sq_flags));
	return 0;
}

/**
 * io_register_resize_rings - IORING_REGISTER_RESIZE_RINGS
 * @ctx: the ring, uring_lock held
 * @arg: struct io_uring_params: sq_entries, cq_entries and flags (CQSIZE,
 *	 CLAMP) in, the new sizes and mmap offsets out; with NO_MMAP, the
 *	 user memory of the new rings in sq_off.user_addr and cq_off.user_addr
 *
 * CQEs waiting in the overflow list move into the new CQ as far as it has
 * room (upstream accepts a ring in overflow too). @arg is written back
 * before the rings are swapped, so also when the swap then fails, as
 * upstream does. Sizes are never read back from the rings: with NO_MMAP
 * they are user memory, which may even overlap.
 *
 * Return: 0; -EINVAL for a ring without DEFER_TASKRUN, other flags or a
 * size setup would refuse; -EOVERFLOW if the new SQ or CQ cannot hold
 * what is pending in the old one; -EFAULT, -ENOMEM.
 */
int io_register_resize_rings(struct io_ring_ctx *ctx, void __user *arg)
{
	struct io_rings_mem n, old;
	struct io_uring_params p;
	u32 flags;
	int ret;

	lockdep_assert_held(&ctx->uring_lock);
	if (!(ctx->flags & IORING_SETUP_DEFER_TASKRUN))
		return -EINVAL;
	if (copy_from_user(&p, arg, sizeof(p)))
		return -EFAULT;
	/* the other fields are ignored, as upstream ignores them */
	flags = p.flags;
	if (flags & ~IO_RESIZE_FLAGS)
		return -EINVAL;
	p.flags |= ctx->flags & IO_RESIZE_KEPT;
	ret = io_setup_sizes(p.sq_entries, &p);
	if (ret)
		return ret;
	/* as at setup: a 32-byte CQE takes two slots */
	if ((p.flags & IORING_SETUP_CQE_MIXED) && p.cq_entries < 2)
		return -EOVERFLOW;
	ret = io_rings_alloc(ctx, &p, &n);
	if (ret)
		return ret;
	p.flags = flags;
	if (copy_to_user(arg, &p, sizeof(p))) {
		ret = -EFAULT;
		goto out;
	}
	ret = io_resize_move_sq(ctx, &n);
	if (ret)
		goto out;

	/* mmap sees the old regions or the new ones; posters the same */
	mutex_lock(&ctx->mmap_lock);
	ret = io_resize_move_cq(ctx, &n);
	if (!ret) {
		old = (struct io_rings_mem) {
			.ring_region = ctx->ring_region,
			.sqe_region = ctx->sqe_region,
		};
		io_rings_install(ctx, &n);
	}
	mutex_unlock(&ctx->mmap_lock);
	if (ret)
		goto out;

	/* no lockless reader is left on the old rings after this */
	synchronize_rcu();
	/* a task_work add that set its flag in the old rings: set it here */
	if ((ctx->flags & IORING_SETUP_TASKRUN_FLAG) &&
	    !llist_empty(&ctx->work_llist))
		atomic_or(IORING_SQ_TASKRUN, &ctx->rings->sq_flags);
	io_rings_free(ctx, &old);
	io_cqring_overflow_flush_locked(ctx);
	return 0;
out:
	io_rings_free(ctx, &n);
	return ret;
}
