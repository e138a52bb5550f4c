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

bool io_post_cqe(struct io_ring_ctx *ctx, u64 user_data, s32 res, u32 cflags,
		 u64 extra1, u64 extra2);
bool io_cq_commit(struct io_ring_ctx *ctx);
void io_cq_wake(struct io_ring_ctx *ctx);
bool io_post_aux_cqe(struct io_ring_ctx *ctx, u64 user_data, s32 res,
		     u32 cflags);
void io_req_complete_defer(struct io_kiocb *req);
struct io_kiocb *io_req_alloc_aux(struct io_ring_ctx *ctx);
void io_req_fail(struct io_kiocb *req, int err);
void io_req_detach_task(struct io_kiocb *req);
void io_req_retry(struct io_kiocb *req);
void io_req_complete_unlocked(struct io_kiocb *req);
void io_flush_completions(struct io_ring_ctx *ctx);
int io_submit_sqes(struct io_ring_ctx *ctx, unsigned int nr);
/* io_uring.c: the ring file and the ring's end */
struct file *io_ring_file_create(struct io_ring_ctx *ctx);
void io_ring_ctx_free(struct io_ring_ctx *ctx);
void io_ring_ctx_ref_free(struct percpu_ref *ref);
void io_ring_exit_work(struct work_struct *work);
void io_queue_iowq(struct io_kiocb *req);
void io_iowq_limits(struct io_ring_ctx *ctx, u32 limits[2]);
int io_iowq_cancel(struct io_ring_ctx *ctx,
		   bool (*match)(struct io_kiocb *req, void *data), void *data,
		   bool all, int *running);
struct io_wq *io_tctx_wq(struct io_ring_ctx *ctx);
bool io_tw_cancelled(struct io_kiocb *req);
void io_req_task_work_add(struct io_kiocb *req);
bool io_run_local_work(struct io_ring_ctx *ctx);
void io_req_task_complete(struct io_kiocb *req);
void io_tctx_run_task_work(struct io_uring_task *tctx);
int __io_uring_alloc_task_context(struct task_struct *task);

/* @task's io_uring state, created at its first use; 0 or -ENOMEM */
static inline int io_uring_alloc_task_context(struct task_struct *task)
{
	if (likely(task->io_uring))
		return 0;
	return __io_uring_alloc_task_context(task);
}
int __io_tctx_track_ctx(struct io_ring_ctx *ctx);
void io_ctx_untrack_tasks(struct io_ring_ctx *ctx);
void io_cancel_task_reqs(struct io_ring_ctx *ctx, struct task_struct *task,
			 bool exec);
int io_drain_cancel(struct io_ring_ctx *ctx,
		    bool (*match)(struct io_kiocb *req, void *data), void *data);

/* Remember that current submits to @ctx, so that its exit reaches it. */
static inline int io_tctx_track_ctx(struct io_ring_ctx *ctx)
{
	if (likely(READ_ONCE(current->io_uring->last_ctx) == ctx))
		return 0;
	return __io_tctx_track_ctx(ctx);
}

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

/* What this kernel takes: setup and IORING_REGISTER_QUERY report it. */
#define IO_SETUP_FLAGS_SUPPORTED	(IORING_SETUP_IOPOLL | IORING_SETUP_SQPOLL | \
					 IORING_SETUP_SQ_AFF | \
					 IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP | \
					 IORING_SETUP_R_DISABLED | IORING_SETUP_SUBMIT_ALL | \
					 IORING_SETUP_SQE128 | IORING_SETUP_CQE32 | \
					 IORING_SETUP_ATTACH_WQ | \
					 IORING_SETUP_COOP_TASKRUN | \
					 IORING_SETUP_TASKRUN_FLAG | \
					 IORING_SETUP_SINGLE_ISSUER | \
					 IORING_SETUP_DEFER_TASKRUN | \
					 IORING_SETUP_NO_MMAP | \
					 IORING_SETUP_REGISTERED_FD_ONLY | \
					 IORING_SETUP_NO_SQARRAY | \
					 IORING_SETUP_HYBRID_IOPOLL | \
					 IORING_SETUP_CQE_MIXED | \
					 IORING_SETUP_SQE_MIXED)

#define IO_ENTER_FLAGS		(IORING_ENTER_GETEVENTS | IORING_ENTER_SQ_WAKEUP | \
				 IORING_ENTER_SQ_WAIT | IORING_ENTER_EXT_ARG | \
				 IORING_ENTER_REGISTERED_RING | IORING_ENTER_ABS_TIMER | \
				 IORING_ENTER_NO_IOWAIT | IORING_ENTER_EXT_ARG_REG)

#define IO_SQE_FLAGS_SUPPORTED	(IOSQE_FIXED_FILE | IOSQE_IO_DRAIN | \
				 IOSQE_IO_LINK | IOSQE_IO_HARDLINK | \
				 IOSQE_ASYNC | IOSQE_BUFFER_SELECT | \
				 IOSQE_CQE_SKIP_SUCCESS)

#define IO_FEATURES	(IORING_FEAT_SINGLE_MMAP | IORING_FEAT_NODROP | \
			 IORING_FEAT_SUBMIT_STABLE | IORING_FEAT_RW_CUR_POS | \
			 IORING_FEAT_CUR_PERSONALITY | IORING_FEAT_EXT_ARG | \
			 IORING_FEAT_NATIVE_WORKERS | IORING_FEAT_RSRC_TAGS | \
			 IORING_FEAT_CQE_SKIP | IORING_FEAT_LINKED_FILE | \
			 IORING_FEAT_REG_REG_RING | IORING_FEAT_FAST_POLL | \
			 IORING_FEAT_POLL_32BITS | IORING_FEAT_SQPOLL_NONFIXED | \
			 IORING_FEAT_NO_IOWAIT | \
			 IORING_FEAT_RECVSEND_BUNDLE | IORING_FEAT_MIN_TIMEOUT)

#define IO_TCTX_REFS_BATCH	32

/*
 * Count a request current submits in its inflight: from the counts it
 * took ahead (tctx->cached_refs), refilled a batch at a time.
 */
static __always_inline void io_tctx_take_ref(struct io_uring_task *tctx)
{
	if (unlikely(tctx->cached_refs <= 0)) {
		percpu_counter_add(&tctx->inflight, IO_TCTX_REFS_BATCH);
		tctx->cached_refs += IO_TCTX_REFS_BATCH;
	}
	tctx->cached_refs--;
}

/* Give back the counts current holds ahead: inflight is exact again. */
static inline void io_tctx_drop_refs(struct io_uring_task *tctx)
{
	if (tctx->cached_refs) {
		percpu_counter_sub(&tctx->inflight, tctx->cached_refs);
		tctx->cached_refs = 0;
	}
}

int io_ringfd_register(struct io_ring_ctx *ctx, void __user *arg,
		       unsigned int nr_args);
int io_ringfd_unregister(struct io_ring_ctx *ctx, void __user *arg,
			 unsigned int nr_args);
void io_ringfd_unregister_all(struct io_uring_task *tctx);
int io_ringfd_free_slot(void);
struct file *io_uring_ctx_get_file(unsigned int fd, bool registered);
#ifdef CONFIG_PROC_FS
void io_uring_show_fdinfo(struct seq_file *m, struct file *file);
#else
#define io_uring_show_fdinfo	NULL
#endif
void io_cqring_overflow_flush(struct io_ring_ctx *ctx);

/* A set of rings and SQEs, as setup and IORING_REGISTER_RESIZE_RINGS build. */
struct io_rings_mem {
	struct io_region	ring_region;
	struct io_region	sqe_region;
	struct io_rings		*rings;
	struct io_uring_sqe	*sqes;
	u32			*sq_array;	/* NULL with NO_SQARRAY */
	unsigned int		sq_entries;
	unsigned int		cq_entries;
};

int io_setup_sizes(u32 entries, struct io_uring_params *p);
int io_rings_alloc(struct io_ring_ctx *ctx, struct io_uring_params *p,
		   struct io_rings_mem *m);
void io_rings_free(struct io_ring_ctx *ctx, struct io_rings_mem *m);
void io_rings_install(struct io_ring_ctx *ctx, struct io_rings_mem *m);
struct seq_file;
void io_cq_overflow_show_fdinfo(struct seq_file *m, struct io_ring_ctx *ctx);

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
