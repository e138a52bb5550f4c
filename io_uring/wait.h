/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Waiting in io_uring_enter(2) for completions (wait.c).
 */
#ifndef IOU_WAIT_H
#define IOU_WAIT_H

#include <linux/io_uring_types.h>
#include <linux/llist.h>
#include <trace/events/io_uring.h>
#include "io_uring.h"

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

int __io_get_wait_args(struct io_ring_ctx *ctx, unsigned int flags,
		       const void __user *argp, size_t argsz,
		       struct io_wait_args *args);
int __io_cqring_wait(struct io_ring_ctx *ctx, unsigned int min_events,
		     unsigned int flags, const struct io_wait_args *args);

/*
 * The wait arguments of io_uring_enter(2). Inline for the plain enter of
 * a submit-and-wait loop: a sigmask at most, and no timeout to apply
 * (IORING_ENTER_ABS_TIMER then has no effect).
 */
static __always_inline int io_get_wait_args(struct io_ring_ctx *ctx,
					    unsigned int flags,
					    const void __user *argp,
					    size_t argsz,
					    struct io_wait_args *args)
{
	/* (reg_ts is read only where ts is set) */
	args->ts = NULL;
	args->min_wait_usec = 0;
	/* EXT_ARG_REG qualifies EXT_ARG; alone it means nothing (upstream) */
	if (likely(!(flags & IORING_ENTER_EXT_ARG))) {
		args->sig = (const sigset_t __user *)argp;
		args->sigsz = argsz;
		return 0;
	}
	return __io_get_wait_args(ctx, flags, argp, argsz, args);
}

/*
 * The CQEs waited for are there already, and no DEFER_TASKRUN work or
 * overflow is to be flushed first (task_work still queued runs on the way
 * out of the system call anyway, and a wait would find no more than
 * that): the common case of inline completions, or of a submit-and-reap
 * loop asking for none (fio's). Else __io_cqring_wait() waits.
 */
static __always_inline bool io_cqring_wait_ready(struct io_ring_ctx *ctx,
						 unsigned int min_events)
{
	return io_cqring_events(ctx) >= min_events &&
	       llist_empty(&ctx->work_llist) && !READ_ONCE(ctx->check_cq);
}

#endif
