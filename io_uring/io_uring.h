/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_CORE_H
#define IOU_CORE_H

#include <linux/errno.h>
#include <linux/lockdep.h>
#include <linux/sched/signal.h>
#include <linux/sched/sysctl.h>
#include <linux/jiffies.h>
#include <linux/printk.h>
#include <linux/task_work.h>
#include <linux/io_uring_types.h>

/* the request API every op uses: posting, completing, task_work, io-wq */
#include "cqe.h"
#include "req.h"
#include "tw.h"
#include "iowq.h"
#include "issue.h"

/* Return values of an opcode's ->issue() besides a negative errno. */
enum {
	IOU_OK			= 0,
	/* the request completes later through io_req_task_complete() */
	IOU_ISSUE_SKIP_COMPLETE	= -EIOCBQUEUED,
};

/* ctx->int_flags */
enum {
	IO_CTX_DISABLED		= 1U << 0,	/* IORING_SETUP_R_DISABLED */
};

/* ctx->check_cq bits */
enum {
	IO_CHECK_CQ_OVERFLOW_BIT,
	IO_CHECK_CQ_DROPPED_BIT,
};

#define IORING_MAX_ENTRIES	32768
#define IORING_MAX_CQ_ENTRIES	(2 * IORING_MAX_ENTRIES)

/* io_uring.c: the ring file and the ring's end */
struct file *io_ring_file_create(struct io_ring_ctx *ctx);
void io_ring_ctx_free(struct io_ring_ctx *ctx);
void io_ring_ctx_ref_free(struct percpu_ref *ref);
void io_ring_exit_work(struct work_struct *work);

/**
 * io_submit_plug - block I/O of a submission batch goes out together
 * @req: a read, write or command about to go to a device
 * @issue_flags: as it is issued
 *
 * Inline in io_submit_sqes() with other SQEs in the batch, it starts the
 * batch's plug: the block layer takes the batch's tags at once and
 * dispatches its requests together when the submission ends (or sooner,
 * if the task sleeps). The op calls it, not the submission loop, which
 * stays free of a test per request.
 */
static inline void io_submit_plug(struct io_kiocb *req,
				  unsigned int issue_flags)
{
	struct io_ring_ctx *ctx = req->ctx;

	/* an io worker holds no uring_lock, and is no submission */
	if (issue_flags & IO_URING_F_UNLOCKED)
		return;
	if (ctx->submit_nr > 1 && !ctx->submit_plugged) {
		ctx->submit_plugged = true;
		blk_start_plug_nr_ios(&ctx->submit_plug, ctx->submit_nr);
	}
}

/*
 * What this kernel takes: setup and IORING_REGISTER_QUERY report it. A
 * line per capability, in the order the patch series adds them.
 */
#define IO_SETUP_FLAGS_SUPPORTED	(IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP | \
					 IORING_SETUP_SUBMIT_ALL | \
					 IORING_SETUP_SQE128 | IORING_SETUP_CQE32 | \
					 IORING_SETUP_SQE_MIXED | IORING_SETUP_CQE_MIXED | \
					 IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG | \
					 IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | \
					 IORING_SETUP_REGISTERED_FD_ONLY | \
					 IORING_SETUP_ATTACH_WQ | \
					 IORING_SETUP_R_DISABLED | \
					 IORING_SETUP_IOPOLL | IORING_SETUP_HYBRID_IOPOLL | \
					 IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF | \
					 IORING_SETUP_NO_MMAP | IORING_SETUP_NO_SQARRAY)

#define IO_ENTER_FLAGS		(IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG | \
				 IORING_ENTER_REGISTERED_RING | \
				 IORING_ENTER_SQ_WAKEUP | IORING_ENTER_SQ_WAIT | \
				 IORING_ENTER_ABS_TIMER | IORING_ENTER_NO_IOWAIT | \
				 IORING_ENTER_EXT_ARG_REG)

#define IO_SQE_FLAGS_SUPPORTED	(IOSQE_IO_DRAIN | IOSQE_IO_LINK | \
				 IOSQE_ASYNC | \
				 IOSQE_FIXED_FILE | \
				 IOSQE_BUFFER_SELECT | \
				 IOSQE_IO_HARDLINK | IOSQE_CQE_SKIP_SUCCESS)

#define IO_FEATURES	(IORING_FEAT_SINGLE_MMAP | \
			 IORING_FEAT_EXT_ARG | IORING_FEAT_MIN_TIMEOUT | \
			 IORING_FEAT_NO_IOWAIT | \
			 IORING_FEAT_NATIVE_WORKERS | \
			 IORING_FEAT_CUR_PERSONALITY | IORING_FEAT_REG_REG_RING | \
			 IORING_FEAT_RW_CUR_POS | \
			 IORING_FEAT_RSRC_TAGS | \
			 IORING_FEAT_FAST_POLL | IORING_FEAT_POLL_32BITS | \
			 IORING_FEAT_RECVSEND_BUNDLE | \
			 IORING_FEAT_SQPOLL_NONFIXED | \
			 IORING_FEAT_NODROP | IORING_FEAT_SUBMIT_STABLE | \
			 IORING_FEAT_CQE_SKIP | IORING_FEAT_LINKED_FILE)

struct file *io_uring_ctx_get_file(unsigned int fd, bool registered);

/* An io worker's blocking call interrupted to cancel: -EINTR for user space */
static inline int io_restart_to_eintr(int ret)
{
	if (ret == -ERESTARTSYS || ret == -ERESTARTNOINTR ||
	    ret == -ERESTARTNOHAND || ret == -ERESTART_RESTARTBLOCK)
		return -EINTR;
	return ret;
}

static inline void io_req_set_res(struct io_kiocb *req, s32 res, u32 cflags)
{
	req->cqe.res = res;
	req->cqe.flags = cflags;
}

/*
 * IORING_SETUP_CQE_MIXED: a request whose completion carries the two extra
 * words posts with this flag in its cflags; the flag itself makes the
 * CQE take two slots (the flag is never set on other rings).
 */
static inline u32 io_cqe32_cflag(struct io_ring_ctx *ctx)
{
	return (ctx->flags & IORING_SETUP_CQE_MIXED) ? IORING_CQE_F_32 : 0;
}

/*
 * A 128-byte opcode's SQE has a second half: in a ring of 128-byte SQEs,
 * or of mixed sizes (where io_submit_sqes() checked and took its slot).
 * Their preps refuse them elsewhere, before reading past the first half.
 */
static inline bool io_sqe128_ok(struct io_ring_ctx *ctx)
{
	return ctx->flags & (IORING_SETUP_SQE128 | IORING_SETUP_SQE_MIXED);
}

/* Room for the two extra words: a CQE32 ring, or one of mixed sizes. */
static inline bool io_ring_has_cqe32(struct io_ring_ctx *ctx)
{
	return ctx->flags & (IORING_SETUP_CQE32 | IORING_SETUP_CQE_MIXED);
}

/* Unconsumed CQEs in the ring, as user space will see them. */
static inline unsigned int io_cqring_events(struct io_ring_ctx *ctx)
{
	return ctx->cached_cq_tail - READ_ONCE(ctx->rings->cq.head);
}

static inline unsigned int io_sqring_entries(struct io_ring_ctx *ctx)
{
	unsigned int n;

	/* pairs with the application's release store of the SQ tail */
	n = smp_load_acquire(&ctx->rings->sq.tail) - ctx->cached_sq_head;
	return min(n, ctx->sq_entries);
}

/**
 * io_wait_overdue - report a wait for requests that does not end
 * @start: jiffies when the wait began
 * @reported: false until reported; set then, so it is said once
 * @what: what waits (exit, exec, ring exit)
 * @left: how many requests it still waits for, or -1 if unknown
 *
 * Exit, exec and ring teardown wait in short sleeps while they keep
 * cancelling, so the hung task detector never sees them: past its
 * timeout (120 s without it) they say so in its words, naming the wait.
 */
static inline void io_wait_overdue(unsigned long start, bool *reported,
				   const char *what, s64 left)
{
	unsigned long secs = sysctl_hung_task_timeout_secs ?: 120;

	if (*reported || time_before(jiffies, start + secs * HZ))
		return;
	*reported = true;
	pr_err("INFO: task %s:%d blocked for more than %lu seconds in io_uring %s, %lld requests left\n",
	       current->comm, task_pid_nr(current), secs, what, left);
}

/* Run task_work queued to current; true if any ran. */
static inline bool io_run_task_work(void)
{
	if (test_thread_flag(TIF_NOTIFY_SIGNAL))
		clear_notify_signal();
	if (task_work_pending(current)) {
		__set_current_state(TASK_RUNNING);
		task_work_run();
		return true;
	}
	return false;
}

#endif
