// SPDX-License-Identifier: GPL-2.0
/*
 * Waiting in io_uring_enter(2) for completions: the wait arguments
 * (sigmask, timeout, min_wait, registered wait regions), the wait queue
 * entry that wakes on the CQ tail, iowait accounting.
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
#include "memmap.h"
#include "napi.h"
#include "wait.h"

#include <trace/events/io_uring.h>

struct io_wait {
	struct wait_queue_entry	wq;
	struct io_ring_ctx	*ctx;
	unsigned int		cq_tail;	/* wake when the tail gets here */
	unsigned int		nr_timeouts;	/* or when a timeout expires */
	ktime_t			timeout;	/* the wait's deadline */
	ktime_t			min_timeout;	/* min_wait_usec's */
};

/* The CQEs waited for are posted. */
static bool io_wait_cq_reached(struct io_wait *iowq)
{
	return (int)(READ_ONCE(iowq->ctx->cq_published) - iowq->cq_tail) >= 0;
}

static bool io_wait_done(struct io_wait *iowq)
{
	struct io_ring_ctx *ctx = iowq->ctx;

	return io_wait_cq_reached(iowq) ||
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

/**
 * __io_get_wait_args - read IORING_ENTER_EXT_ARG's wait arguments
 * @ctx: the ring
 * @flags: IORING_ENTER_* flags, EXT_ARG among them
 * @argp: a struct io_uring_getevents_arg, or with IORING_ENTER_EXT_ARG_REG
 *	the offset of a struct io_uring_reg_wait in the registered region
 * @argsz: its size
 * @args: out: the arguments, read once
 *
 * Return: 0, -EINVAL for a bad size or offset, -EFAULT.
 */
int __io_get_wait_args(struct io_ring_ctx *ctx, unsigned int flags,
		       const void __user *argp, size_t argsz,
		       struct io_wait_args *args)
{
	struct io_uring_getevents_arg arg;

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

/*
 * The deadlines of a wait: first wait for min_events until the min wait's
 * end, afterwards for any one CQE. The overall timeout is only looked at
 * once the min wait is over, even if it is the shorter one (6.12: then
 * -ETIME at the min wait's end).
 */
static int io_wait_deadlines(struct io_wait *iowq, unsigned int flags,
			     const struct io_wait_args *args)
{
	struct io_ring_ctx *ctx = iowq->ctx;
	struct timespec64 ts;

	iowq->timeout = KTIME_MAX;
	iowq->min_timeout = KTIME_MAX;
	if (args->ts) {
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
		iowq->timeout = timespec64_to_ktime(ts);
		if (!(flags & IORING_ENTER_ABS_TIMER))
			iowq->timeout = ktime_add_safe(io_wait_now(ctx),
						       iowq->timeout);
	}
	if (args->min_wait_usec)
		iowq->min_timeout = ktime_add_us(io_wait_now(ctx),
						 args->min_wait_usec);
	return 0;
}

/* Besides a wait's result (0 or -errno): */
#define IO_WAIT_AGAIN	1	/* look again */
#define IO_WAIT_SLEEP	2	/* nothing to do: sleep */

/*
 * With the entry on the wait queue: run what is queued for us, or find
 * the wait over.
 */
static int io_wait_check(struct io_wait *iowq)
{
	struct io_ring_ctx *ctx = iowq->ctx;

	/* queued since we looked: it interrupts the sleep anyway */
	if (task_work_pending(current) || test_thread_flag(TIF_NOTIFY_SIGNAL))
		return IO_WAIT_AGAIN;
	if (!llist_empty(&ctx->work_llist)) {
		__set_current_state(TASK_RUNNING);
		io_run_local_work(ctx);
		/* what it posted may be all we wait for */
		if (io_wait_cq_reached(iowq))
			return 0;
		return IO_WAIT_AGAIN;
	}
	if (test_bit(IO_CHECK_CQ_OVERFLOW_BIT, &ctx->check_cq)) {
		__set_current_state(TASK_RUNNING);
		io_cqring_overflow_flush(ctx);
		/* a backlog (the CQ is full, or its lock busy): go reap */
		if (test_bit(IO_CHECK_CQ_OVERFLOW_BIT, &ctx->check_cq))
			return 0;
		return IO_WAIT_AGAIN;
	}
	if (test_and_clear_bit(IO_CHECK_CQ_DROPPED_BIT, &ctx->check_cq))
		return -EBADR;
	if (io_wait_done(iowq))
		return 0;
	if (task_sigpending(current))
		return -EINTR;
	return IO_WAIT_SLEEP;
}

/* Sleep until a wakeup or a deadline: IO_WAIT_AGAIN, or the result. */
static int io_wait_sleep(struct io_wait *iowq)
{
	struct io_ring_ctx *ctx = iowq->ctx;

	if (iowq->min_timeout != KTIME_MAX) {
		if (schedule_hrtimeout_range_clock(&iowq->min_timeout, 0,
						   HRTIMER_MODE_ABS,
						   ctx->clockid))
			return IO_WAIT_AGAIN;
		/* the batch window closed: one CQE will do now */
		iowq->min_timeout = KTIME_MAX;
		if (io_cqring_events(ctx))
			return 0;
		iowq->cq_tail = READ_ONCE(ctx->rings->cq.head) + 1;
		return IO_WAIT_AGAIN;
	}
	if (iowq->timeout == KTIME_MAX) {
		schedule();
		return IO_WAIT_AGAIN;
	}
	if (schedule_hrtimeout_range_clock(&iowq->timeout, 0,
					   HRTIMER_MODE_ABS, ctx->clockid))
		return IO_WAIT_AGAIN;
	return io_wait_done(iowq) ? 0 : -ETIME;
}

/*
 * Task work (our requests' completions, mostly) runs off the wait queue:
 * the CQEs it posts then have no waiter to wake, us least of all. True
 * if they are all we wait for: then we are done without queueing the
 * entry again.
 */
static bool io_wait_run_task_work(struct io_wait *iowq)
{
	finish_wait(&iowq->ctx->cq_wait, &iowq->wq);
	io_run_task_work();
	return io_wait_cq_reached(iowq);
}

/**
 * __io_cqring_wait - wait in io_uring_enter(2) for completions
 * @ctx: the ring
 * @min_events: CQEs to wait for
 * @flags: IORING_ENTER_* flags
 * @args: sigmask, timeout and min wait, as io_get_wait_args() read them
 *
 * The slow path of io_enter(): too few CQEs, or work to do first
 * (io_cqring_wait_ready()).
 *
 * Return: 0 once @min_events CQEs are there (or fewer once a min wait
 * is over, or a full CQ needs reaping), -ETIME at the timeout, -EINTR on
 * a signal, -EBADR once after CQEs were dropped, -EFAULT.
 */
int __io_cqring_wait(struct io_ring_ctx *ctx, unsigned int min_events,
		     unsigned int flags, const struct io_wait_args *args)
{
	bool iowait, old_iowait = current->in_iowait;
	/* every field is set below before the entry is queued */
	struct io_wait iowq __uninitialized;
	int ret = 0;

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

	iowq.ctx = ctx;
	ret = io_wait_deadlines(&iowq, flags, args);
	if (ret)
		return ret;
	ret = io_set_sigmask(args->sig, args->sigsz);
	if (ret)
		return ret;

	init_waitqueue_func_entry(&iowq.wq, io_wake_function);
	INIT_LIST_HEAD(&iowq.wq.entry);
	iowq.wq.private = current;
	iowq.cq_tail = READ_ONCE(ctx->rings->cq.head) + min_events;
	iowq.nr_timeouts = READ_ONCE(ctx->cq_timeouts);
	/* IORING_REGISTER_NAPI: spin on the sockets' queues before sleeping */
	io_napi_busy_poll(ctx, io_wait_done_cb, &iowq);

	iowait = io_wait_is_iowait(flags);
	for (;;) {
		/* set for the sleep below only: not for task_work that sleeps */
		current->in_iowait = old_iowait;
		if (task_work_pending(current) ||
		    test_thread_flag(TIF_NOTIFY_SIGNAL)) {
			if (io_wait_run_task_work(&iowq)) {
				ret = 0;
				break;
			}
			continue;
		}
		prepare_to_wait_exclusive(&ctx->cq_wait, &iowq.wq,
					  TASK_INTERRUPTIBLE);
		ret = io_wait_check(&iowq);
		if (ret == IO_WAIT_SLEEP) {
			/* the scheduler counts iowait when we sleep */
			current->in_iowait = iowait || old_iowait;
			ret = io_wait_sleep(&iowq);
		}
		if (ret != IO_WAIT_AGAIN)
			break;
	}
	current->in_iowait = old_iowait;
	finish_wait(&ctx->cq_wait, &iowq.wq);
	restore_saved_sigmask_unless(ret == -EINTR);
	/* a wait cut short still succeeds if there is something to reap */
	if ((ret == -ETIME || ret == -EINTR) && io_cqring_events(ctx))
		ret = 0;
	return ret;
}
