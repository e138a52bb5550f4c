/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types shared by the io_uring core and the code that extends it
 * (drivers implementing ->uring_cmd, the scheduler hooks for io workers).
 */
#ifndef _LINUX_IO_URING_TYPES_H
#define _LINUX_IO_URING_TYPES_H

#include <linux/types.h>
#include <linux/bits.h>
#include <linux/limits.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include <linux/percpu-refcount.h>
#include <linux/workqueue.h>
#include <linux/completion.h>
#include <linux/task_work.h>
#include <uapi/linux/io_uring.h>

/* How many ring fds one task may register (IORING_REGISTER_RING_FDS). */
#define IO_RINGFD_REG_MAX	16

/*
 * issue_flags: how an opcode's ->issue (and a driver's ->uring_cmd) is
 * being called.
 */
/* must not block: return -EAGAIN (or arm a retry) instead */
#define IO_URING_F_NONBLOCK		INT_MIN
/* called without the ring's uring_lock held (io worker, task_work) */
#define IO_URING_F_UNLOCKED		BIT(0)
/* the completion may be batched until the end of the submission */
#define IO_URING_F_COMPLETE_DEFER	BIT(1)
/* ring geometry, for drivers that read the SQE or fill big CQEs */
#define IO_URING_F_SQE128		BIT(4)
#define IO_URING_F_CQE32		BIT(5)
/* polled completion (IORING_SETUP_IOPOLL) */
#define IO_URING_F_IOPOLL		BIT(6)
/* a cancelable command is being asked to cancel */
#define IO_URING_F_CANCEL		BIT(7)
/* the submitter is a 32-bit task on a 64-bit kernel */
#define IO_URING_F_COMPAT		BIT(8)

/*
 * The part of the ring memory that user space maps. The layout is ours:
 * user space finds every field through io_uring_params.sq_off/cq_off.
 * Head and tail sit on their own cache lines; the side that produces
 * writes the tail, the side that consumes writes the head.
 */
struct io_ring_idx {
	u32 head;
	u32 tail;
};

struct io_rings {
	struct io_ring_idx	sq ____cacheline_aligned_in_smp;
	struct io_ring_idx	cq ____cacheline_aligned_in_smp;
	u32			sq_ring_mask;
	u32			cq_ring_mask;
	u32			sq_ring_entries;
	u32			cq_ring_entries;
	/* SQEs dropped because their index was out of range */
	u32			sq_dropped;
	/* IORING_SQ_*: written by the kernel, read by user space */
	atomic_t		sq_flags;
	/* IORING_CQ_*: written by user space */
	u32			cq_flags;
	/* CQEs lost because not even the overflow list could keep them */
	u32			cq_overflow;
	struct io_uring_cqe	cqes[] ____cacheline_aligned_in_smp;
};

struct io_kiocb;
struct io_ring_ctx;

/* Per-task io_uring state, hung off task_struct->io_uring. */
struct io_uring_task {
	struct file		*registered_rings[IO_RINGFD_REG_MAX];
	/* completions handed back to the task (see io_req_task_work_add) */
	struct llist_head	task_list;
	struct callback_head	task_work;
};

struct io_ev_fd;

struct io_ring_ctx {
	/* read-mostly state, set at setup */
	struct {
		unsigned int		flags;
		unsigned int		int_flags;
		unsigned int		sq_entries;
		unsigned int		cq_entries;
		unsigned int		cq_shift;	/* 1 for CQE32 */
		struct io_rings		*rings;
		struct io_uring_sqe	*sq_sqes;
		u32			*sq_array;
		size_t			sqes_size;
		struct percpu_ref	refs;
	} ____cacheline_aligned_in_smp;

	/* submission side, under uring_lock */
	struct {
		/* serializes submission, registration and the request cache */
		struct mutex		uring_lock;
		unsigned int		cached_sq_head;
		/* requests taken from the SQ so far, and completed so far */
		u32			nr_submitted;
		u32			nr_completed;
		/* IOSQE_IO_DRAIN: requests waiting for earlier ones */
		struct list_head	defer_list;
		u32			drain_until;
		bool			drain_active;
		/* free requests, and requests completed in this batch */
		struct io_kiocb		*free_reqs;
		struct io_kiocb		*compl_head;
		struct io_kiocb		**compl_tail;
		u64			op_submitted[IORING_OP_LAST];
		u64			op_completed[IORING_OP_LAST];
	} ____cacheline_aligned_in_smp;

	/* completion side */
	struct {
		/* protects the CQ tail and the overflow list */
		spinlock_t		completion_lock;
		unsigned int		cached_cq_tail;
		struct list_head	cq_overflow_list;
		unsigned int		nr_overflow;
		/* IO_CHECK_CQ_* bits: overflow pending, CQEs dropped */
		unsigned long		check_cq;
		struct wait_queue_head	cq_wait;
		struct wait_queue_head	poll_wq;
		struct io_ev_fd	__rcu	*io_ev_fd;
	} ____cacheline_aligned_in_smp;

	struct completion	ref_comp;
	struct work_struct	exit_work;
	/* requests whose task can no longer run task_work */
	struct llist_head	fallback_llist;
	struct work_struct	fallback_work;
};

/*
 * req->flags: the low byte holds the SQE's IOSQE_* flags as submitted,
 * the bits above it are the core's own.
 */
#define REQ_F_NEED_CLEANUP	BIT(8)	/* ->cleanup runs when freed */

/*
 * Per-opcode state lives in the first cache line of the request and is
 * reached with io_kiocb_to_cmd(); the file pointer is always first.
 */
struct io_cmd_data {
	struct file		*file;
	__u8			data[56];
};

#define io_kiocb_to_cmd(req, cmd_type) ({				\
	BUILD_BUG_ON(sizeof(cmd_type) > sizeof(struct io_cmd_data));	\
	((cmd_type *)&(req)->cmd);	/* cmd_type is a type name */	\
})
#define cmd_to_io_kiocb(ptr)	((struct io_kiocb *)(ptr))

/* What the request will post in its CQE. */
struct io_cqe {
	__u64	user_data;
	__s32	res;
	__u32	flags;
};

struct io_kiocb {
	union {
		struct file		*file;
		struct io_cmd_data	cmd;
	};
	u8				opcode;
	unsigned int			flags;
	struct io_cqe			cqe;
	struct io_ring_ctx		*ctx;
	struct task_struct		*task;
	/* free list or per-batch completion list */
	struct io_kiocb			*next;
	/* IOSQE_IO_DRAIN defer list */
	struct list_head		list;
	u32				seq;
	u32				drain_wait;
	/* second half of a 32-byte CQE */
	u64				extra1;
	u64				extra2;
	struct callback_head		task_work;
	struct llist_node		task_node;
	void (*tw_func)(struct io_kiocb *req);
};

#endif /* _LINUX_IO_URING_TYPES_H */
