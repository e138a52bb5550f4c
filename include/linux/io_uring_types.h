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
#include <linux/percpu_counter.h>
#include <linux/irq_work.h>
#include <linux/blkdev.h>
#include <uapi/linux/io_uring.h>

/* How many ring fds one task may register (IORING_REGISTER_RING_FDS). */

#define IO_RINGFD_REG_MAX	16

/*
 * issue_flags: how an opcode's ->issue (and a driver's ->uring_cmd) is
 * being called.
 */
/* must not block: return -EAGAIN (or arm a retry) instead */
#define IO_URING_F_NONBLOCK		BIT(31)
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
struct io_wq;

/* Per-task io_uring state, hung off task_struct->io_uring. */
struct io_uring_task {
	struct file		*registered_rings[IO_RINGFD_REG_MAX];
	/* completions handed back to the task (see io_req_task_work_add) */
	struct llist_head	task_list;
	struct callback_head	task_work;
	/* this task's io worker pool, created on the first punt */
	struct io_wq		*io_wq;
	/* requests this task submitted that are not freed yet */
	struct percpu_counter	inflight;
	/*
	 * Counts of inflight taken ahead by the task's own submissions and
	 * given back by its own frees: the shared counter moves once per
	 * batch, not twice per request. Only the task touches it.
	 */
	int			cached_refs;
	/*
	 * The read or write whose ->read_iter/->write_iter the task is in,
	 * issued inline: its ->ki_complete, called from inside that call
	 * (a device that completes at submission), only clears this, and
	 * io_rw() finishes the request when the call returns.
	 */
	struct io_kiocb		*rw_issuing;
	/* set while the task cancels and waits for them at exit/exec */
	bool			in_exit;
	struct wait_queue_head	exit_wait;
	/* rings this task submitted to (struct io_tctx_node), and the last */
	struct list_head	ctx_nodes;
	struct io_ring_ctx	*last_ctx;
	/* KCOV remote handle of the task: coverage of its exit (fuzzing) */
	u64			kcov_handle;
};

/**
 * struct io_wq_work - a request's link into an io worker pool
 * @list: entry in the pool's queue (free once a worker takes the item:
 *	an IOPOLL request's iopoll_node overlays it)
 * @flags: IO_WQ_WORK_* state, under the pool's lock
 * @hash: serialization key for IO_WQ_WORK_HASHED work (< 64)
 * @worker_pid: the pid of the worker running it, 0 while queued; a pid,
 *	not the task, as it is only compared, and it keeps the request small
 */
struct io_wq_work {
	struct list_head	list;
	u16			flags;
	u16			hash;
	pid_t			worker_pid;
};

/* A table of registered files or buffers, indexed by the SQE. */
struct io_rsrc_node;

struct io_rsrc_gen;

struct io_rsrc_table {
	struct io_rsrc_node	**nodes;
	unsigned int		nr;
};

struct io_restrictions {
	DECLARE_BITMAP(register_op, IORING_REGISTER_LAST);
	DECLARE_BITMAP(sqe_op, IORING_OP_LAST);
	u8			sqe_flags_allowed;
	u8			sqe_flags_required;
	bool			registered;
};

struct io_ev_fd;
struct io_sq_data;
struct io_uring_restrict;
struct io_bpf_table;
struct io_op_latency;
struct page;

/*
 * Memory shared with user space (memmap.c): allocated here and mmapped by
 * user space (@pages NULL), or user memory pinned and mapped into the
 * kernel (IORING_SETUP_NO_MMAP, buffer rings user space allocates).
 */
struct io_region {
	void		*ptr;
	struct page	**pages;
	unsigned int	nr_pages;
	size_t		size;
};

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
		/*
		 * Work for the completion flush after its CQEs, a flag per
		 * kind, all tested at once as @flush_more (whose last byte
		 * stays zero).
		 */
		union {
			struct {
				/* IOSQE_IO_DRAIN: requests wait in defer_list */
				bool	drain_active;
				/* armed timeouts count CQEs (nr_count_timeouts) */
				bool	count_timeouts;
				/* the ring fd is released: cache nothing more */
				bool	closing;
			};
			u32		flush_more;
		};
		/*
		 * Free requests, and requests completed in this batch: that
		 * list ends at compl_tail, not at a NULL (the flush ends it).
		 */
		struct io_kiocb		*free_reqs;
		struct io_kiocb		*compl_head;
		struct io_kiocb		**compl_tail;
		/* the chain being collected from IOSQE_IO_LINK SQEs */
		struct io_kiocb		*link_head;
		struct io_kiocb		*link_tail;
		bool			link_failed;
		struct io_rsrc_table	file_table;
		unsigned long		*file_bitmap;
		unsigned int		file_alloc_start;
		unsigned int		file_alloc_end;
		unsigned int		file_alloc_hint;
		struct io_rsrc_table	buf_table;
		/* tags post when the requests older than a removal are done */
		struct io_rsrc_gen	*rsrc_gen;
		struct list_head	rsrc_gen_list;
		/* retired async rw state, reused without allocating */
		void			*rw_cache;
		/*
		 * a set applies (the ring's own, enabled, or its policy's),
		 * or BPF filters: the slow path of submission
		 */
		bool			restricted;
		struct io_restrictions	restrictions;
		/* the creator's policy (restrict.c) and the filters to run */
		struct io_uring_restrict *task_policy;
		struct io_bpf_table	*bpf_filters;
		struct xarray		personalities;
		u32			pers_next;
		/* IORING_REGISTER_IOWQ_MAX_WORKERS: bounded, unbounded */
		u32			iowq_limits[2];
		u64			op_submitted[IORING_OP_LAST];
		u64			op_completed[IORING_OP_LAST];
		/* kernel.io_uring_op_latency's counters (latency.c) */
		struct io_op_latency	*op_latency;
	} ____cacheline_aligned_in_smp;

	/*
	 * completion side: the CQ tail, the CQEs and the overflow list are
	 * written under uring_lock only (MSG_RING takes the target's)
	 */
	struct {
		unsigned int		cached_cq_tail;
		/* the tail user space was shown (ours, not the ring's copy) */
		unsigned int		cq_published;
		struct list_head	cq_overflow_list;
		unsigned int		nr_overflow;
		/* IO_CHECK_CQ_* bits: overflow pending, CQEs dropped */
		unsigned long		check_cq;
		struct wait_queue_head	cq_wait;
		struct wait_queue_head	poll_wq;
		/* wakes poll_wq for DEFER_TASKRUN work, outside any wakeup */
		struct irq_work		poll_wq_work;
		struct io_ev_fd	__rcu	*io_ev_fd;
		/*
		 * Set for good once the ring fd is polled or an eventfd is
		 * registered: only then does io_cq_wake() look at poll_wq
		 * and io_ev_fd.
		 */
		bool			cq_watched;
	} ____cacheline_aligned_in_smp;

	/* the memory of the rings and of the SQEs */
	struct io_region	ring_region;
	struct io_region	sqe_region;
	/*
	 * IORING_REGISTER_MEM_REGION: one for the ring's life; with
	 * IORING_MEM_REGION_REG_WAIT_ARG its struct io_uring_reg_wait
	 * entries, set before the ring is enabled and fixed from then on
	 */
	struct io_region	param_region;
	void			*cq_wait_arg;
	size_t			cq_wait_size;

	/* provided buffer groups by bgid (kbuf.c); uring_lock */
	struct xarray		io_bl_xa;
	/*
	 * mmap of the rings or of a buffer ring vs the resize or the
	 * (un)registration that replaces them; never held across a user copy
	 */
	struct mutex		mmap_lock;

	/* armed polls (POLL_ADD and internal ones), by user_data; uring_lock */
	struct hlist_head	*poll_hash;
	unsigned int		poll_hash_bits;
	void			*apoll_cache;
	/* pending timeouts, in arming order; timeout_lock (irq safe) */
	spinlock_t		timeout_lock;
	struct list_head	timeout_list;
	/* CQEs posted, and those posted by expired timeouts (counting) */
	u32			cq_seq;
	u32			cq_timeouts;
	u32			nr_count_timeouts;

	/* tasks that submitted here (struct io_tctx_node), for their exit */
	struct list_head	tctx_list;
	/* requests queued to or running in an io worker pool */
	spinlock_t		iowq_lock;
	struct list_head	iowq_list;
	/* IORING_SETUP_SQPOLL: the thread (sqpoll.c), shared by rings */
	struct io_sq_data	*sq_data;
	struct list_head	sqd_list;
	unsigned long		sq_thread_idle;
	const struct cred	*sq_creds;
	struct wait_queue_head	sqo_sq_wait;
	/* uring_cmds a driver marked cancelable (via req->hash_node) */
	struct hlist_head	cancelable_uring_cmd;
	/* futex waits, waitids: waiting for a wakeup (req->hash_node) */
	struct hlist_head	waiter_list;
	/* IORING_SETUP_IOPOLL: issued requests to poll for, under uring_lock */
	struct list_head	iopoll_list;
	/* IORING_SETUP_HYBRID_IOPOLL: average wait for a completion, ns */
	u64			hybrid_poll_ns;
	/*
	 * io_submit_sqes(): SQEs in the batch being submitted, and the plug
	 * its block I/O goes out under once an op starts it
	 */
	unsigned int		submit_nr;
	bool			submit_plugged;
	struct blk_plug		submit_plug;
	/* buffered reads waiting for a page (IOCB_WAITQ), under uring_lock */
	struct list_head	rw_waiting;
	/* IORING_REGISTER_NAPI (napi.c): busy-poll settings */
	u32			napi_busy_poll_to;
	bool			napi_prefer_busy_poll;
	/* the NAPI ids seen: RCU readers, writers under napi_lock */
	spinlock_t		napi_lock;
	unsigned int		napi_nr;
	struct list_head	napi_list;
	/* IORING_REGISTER_CLOCK: the clock of io_uring_enter() timeouts */
	clockid_t		clockid;
	/* IORING_SETUP_SINGLE_ISSUER: the one task allowed to submit */
	struct task_struct	*submitter_task;
	/* who pays for pinned buffer pages (RLIMIT_MEMLOCK) */
	struct user_struct	*user;
	bool			limit_mem;
	struct mm_struct	*mm_account;

	struct completion	ref_comp;
	/* teardown after the last close (io_ring_exit_work()) */
	struct delayed_work	exit_work;
	unsigned long		exit_start;
	unsigned long		exit_overdue_start;
	bool			exit_began;
	bool			exit_reported;
	/* requests of no SQE in flight (zero-copy notifications) */
	unsigned int		nr_aux;
	/* IORING_SETUP_DEFER_TASKRUN: task work kept for the issuer's wait */
	struct llist_head	work_llist;
	/* requests whose task can no longer run task_work */
	struct llist_head	fallback_llist;
	struct work_struct	fallback_work;
	/* KCOV remote handle of the creator: coverage of the workers above */
	u64			kcov_handle;
};

/*
 * req->flags: the low byte holds the SQE's IOSQE_* flags as submitted,
 * the bits above it are the core's own.
 */
/* (bit 7 is not an IOSQE_* flag: io_init_req() keeps it clear) */
#define REQ_F_AUX		BIT(7)	/* not an SQE's: a SEND_ZC notification */
#define REQ_F_NEED_CLEANUP	BIT(8)	/* ->cleanup runs when freed */
#define REQ_F_CREDS		BIT(9)	/* req->creds holds a reference */
#define REQ_F_FAIL		BIT(10)	/* failed or short: severs a soft link */
#define REQ_F_LINK_CANCEL	BIT(11)	/* cancelled with its chain */
#define REQ_F_IOWQ		BIT(12)	/* queued to or running in io-wq */
#define REQ_F_NOWAIT_TRY	BIT(13)	/* this attempt ran with IOCB_NOWAIT */
#define REQ_F_ASYNC_DATA	BIT(14)	/* req->async_data is set */
#define REQ_F_CUR_POS		BIT(15)	/* read/write at the file position */
#define REQ_F_ISREG		BIT(16)	/* regular file or block device */
#define REQ_F_NOWAIT		BIT(17)	/* -EAGAIN is the answer, not a retry */
#define REQ_F_SILENT		BIT(18)	/* cancelled with no CQE at all */
#define REQ_F_APOLL		BIT(19)	/* waits in an internal poll */
#define REQ_F_POLL_MULTI	BIT(20)	/* multishot: CQEs with F_MORE */
#define REQ_F_NOPOLL		BIT(21)	/* -EAGAIN means io-wq, not poll */
#define REQ_F_LTIMEOUT		BIT(22)	/* LINK_TIMEOUT armed on it */
#define REQ_F_MSHOT		BIT(23)	/* multishot op (accept, timeout) */
#define REQ_F_ETIME_OK		BIT(24)	/* -ETIME does not sever the chain */
#define REQ_F_NOTIF		BIT(25)	/* SEND_ZC: has a notification request */
#define REQ_F_DETACHED		BIT(26)	/* holds req->task, not its inflight */
#define REQ_F_BUFFER_SELECTED	BIT(27)	/* holds a buffer of a list group */
#define REQ_F_BUFFER_RING	BIT(28)	/* holds buffer(s) of a ring group */
#define REQ_F_BL_COMMITTED	BIT(29)	/* ... and the ring's head moved on */
#define REQ_F_DRAIN_ERASED	BIT(30)	/* not counted by IOSQE_IO_DRAIN */
#define REQ_F_BUF_MORE		BIT(31)	/* committed, yet the buffer has room */

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

struct io_buffer;
struct io_buffer_list;

/* IOSQE_BUFFER_SELECT: the provided buffer(s) a request holds (kbuf.c) */
struct io_buf_sel {
	union {
		struct io_buffer_list	*bl;	/* a ring group, until committed */
		struct io_buffer	*kbuf;	/* a list group's buffer */
	};
	u64			addr;
	u32			len;
	u16			bid;
	u16			nr;	/* buffers in a bundle */
};

/*
 * A request. io_init_req() zeroes the @init group and sets the fields
 * after it from the SQE. Of the rest, some are clear whenever a request
 * is in the ring's cache (io_req_free() clears them as it releases what
 * they hold, and new ones come zeroed), the others are written before
 * they are read (list links, io-wq and task_work state): a request from
 * the cache does not pay for clearing them. The op's data (cmd) stays
 * first: cmd_to_io_kiocb().
 */
struct io_kiocb {
	struct_group(init,
		union {
			struct file		*file;
			struct io_cmd_data	cmd;
		};
		struct io_cqe			cqe;
		void				*async_data;
		/*
		 * when it was submitted, if op latencies are being counted
		 * (kernel.io_uring_op_latency), else 0; last: io_init_req()
		 * writes it in place of the zero
		 */
		u64				submit_ns;
	);

	u8				opcode;
	/* IOPOLL: "completed" (any context), cleared at issue */
	u8				iopoll_done;
	u16				buf_index;
	unsigned int			flags;
	struct io_ring_ctx		*ctx;
	struct task_struct		*task;
	union {
		/*
		 * Submission order, for IOSQE_IO_DRAIN, and what a request
		 * held back in the drain list waits for (io_drain_defer()):
		 * read only before the request is issued.
		 */
		struct {
			u32		seq;
			u32		drain_wait;
		};
		/* queued task_work: set by whoever queues it */
		void (*tw_func)(struct io_kiocb *req);
	};
	union {
		/* sqe->fd until the file is looked up */
		s32			fd;
		/*
		 * read/write: an async completion's result, until its
		 * task_work; the file is looked up by then
		 */
		s32			tw_res;
	};
	/* read/readv with IOSQE_BUFFER_SELECT: the most bytes wanted */
	u32				buf_cap;

	/* clear in the cache */
	/* the next request of an IOSQE_IO_LINK chain */
	struct io_kiocb			*link;
	struct io_rsrc_node		*file_node;
	struct io_rsrc_node		*buf_node;
	/* the resource generation it uses fixed files or buffers in */
	struct io_rsrc_gen		*rsrc_gen;

	/* set before they are read: flags say whether they hold anything */
	struct io_buf_sel		sel;		/* IO_REQ_F_KBUF */
	const struct cred		*creds;		/* REQ_F_CREDS */
	union {
		/* free list or per-batch completion list */
		struct io_kiocb		*next;
		/* queued task_work; the runners read its next first */
		struct llist_node	task_node;
	};
	/*
	 * What it waits in: one place at a time, so they share storage.
	 * Each user sets its part up when the request enters it, and the
	 * request leaves one (io_iowq_unlink()) before it enters another.
	 */
	union {
		/* io-wq (REQ_F_IOWQ), or the drain list (list only) */
		struct {
			struct io_wq_work	work;
			/* IOSQE_IO_DRAIN defer list, or the ring's io-wq list */
			struct list_head	list;
		};
		/*
		 * IOPOLL: entry in ctx->iopoll_list. Only an issued request
		 * is there, and io-wq's queue no longer holds an issued one:
		 * work.list (which this overlays) is free by then.
		 */
		struct list_head		iopoll_node;
		/* a poll (POLL_ADD, internal poll) or a waiter (futex, waitid) */
		struct {
			/* poll hash or waiter list */
			struct hlist_node	hash_node;
			/* poll ownership: wakeups counted, plus a cancel bit */
			atomic_t		poll_refs;
			/* events reported by wakeups the owner has not seen */
			atomic_t		poll_woken;
			union {
				/*
				 * POLL_ADD: its entry on a second wait queue
				 * (ttys have one per direction)
				 */
				struct io_poll	*poll2;
				/*
				 * internal poll of an op that would block
				 * (REQ_F_APOLL); it has its own second entry
				 */
				struct io_apoll	*apoll;
			};
		};
	};
};

#endif /* _LINUX_IO_URING_TYPES_H */
