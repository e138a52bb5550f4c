/* SPDX-License-Identifier: GPL-2.0 */
/*
 * io-wq: a task's pool of io worker threads, which run the requests that
 * would block the submitter. Workers are threads of the submitting
 * process (create_io_thread), so they see its mm, files and credentials.
 */
#ifndef IOU_IO_WQ_H
#define IOU_IO_WQ_H

#include <linux/io_uring_types.h>

struct task_struct;
struct cpumask;

/* struct io_wq_work.flags */
enum {
	IO_WQ_WORK_QUEUED	= 1U << 0,	/* on the queue */
	IO_WQ_WORK_RUNNING	= 1U << 1,	/* a worker has it */
	IO_WQ_WORK_HASHED	= 1U << 2,	/* serialize on work->hash */
	IO_WQ_WORK_UNBOUND	= 1U << 3,	/* may block indefinitely */
	IO_WQ_WORK_CANCEL	= 1U << 4,	/* cancelled while queued */
};

/* Worker accounts: IO_WQ_BOUND and IO_WQ_UNBOUND, as in the UAPI */
#define IO_WQ_ACCT_NR	2

/**
 * struct io_wq_ops - what the pool calls back into io_uring for
 * @run: run a work item in a worker (blocking allowed)
 * @cancel: complete a work item that was dequeued without running
 */
struct io_wq_ops {
	void (*run)(struct io_wq_work *work);
	void (*cancel)(struct io_wq_work *work);
};

struct io_wq *io_wq_create(const struct io_wq_ops *ops, unsigned int bounded,
			   unsigned int unbounded);
void io_wq_get(struct io_wq *wq);
void io_wq_put(struct io_wq *wq);
int io_wq_enqueue(struct io_wq *wq, struct io_wq_work *work);
int io_wq_enqueue_self(struct io_wq *wq, struct io_wq_work *work);
bool io_wq_cancel_work(struct io_wq *wq, struct io_wq_work *work);
void io_wq_cancel_all(struct io_wq *wq, bool bounded);
void io_wq_exit(struct io_wq *wq);
void io_wq_set_idle_exit(struct io_wq *wq, bool on);
int io_wq_max_workers(struct io_wq *wq, u32 *new_count);
int io_wq_set_affinity(struct io_wq *wq, const struct cpumask *mask);
unsigned int io_wq_hash_key(const void *key);

/* Scheduler hooks for PF_IO_WORKER tasks; the pool needs neither. */
static inline void io_wq_worker_sleeping(struct task_struct *tsk)
{
}

static inline void io_wq_worker_running(struct task_struct *tsk)
{
}

#endif
