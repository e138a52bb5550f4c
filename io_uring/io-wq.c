// SPDX-License-Identifier: GPL-2.0
/*
 * io-wq: the per-task pool of io worker threads.
 *
 * Requests that would block the submitter are queued here. Each pool has
 * two accounts: bounded work (regular files, block devices), whose run
 * time is finite, and unbounded work (sockets, pipes, ttys), which may
 * wait forever and so must not starve the first kind. A worker belongs to
 * one account. Work with the same hash (buffered writes to one inode) runs
 * one item at a time, in queue order. Idle workers exit after a while,
 * keeping one per account while the owner has a ring (7.0: none once it
 * has none).
 *
 * A worker never touches a work item after ->run() returns: the item may
 * already be completed and freed, and its memory reused for another item.
 * So a running item is found for cancellation by two marks, both set
 * under the pool's lock when a worker takes it off the queue: the
 * worker's cur_work (cleared when ->run() returns) and the item's
 * work->worker_pid. Only a worker that carries both is running this item;
 * one that ran an earlier item at the same address lacks the second.
 *
 * Workers run on the CPUs the owner's cpuset allows, or a subset of them
 * (IORING_REGISTER_IOWQ_AFF); never outside it.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/kcov.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/sched/signal.h>
#include <linux/cpumask.h>
#include <linux/cpuset.h>
#include <linux/hash.h>
#include <linux/refcount.h>
#include <linux/completion.h>
#include <linux/task_work.h>

#include "io-wq.h"

#define IO_WQ_HASH_ORDER	6
#define IO_WORKER_IDLE_TIMEOUT	(5 * HZ)

struct io_worker {
	struct list_head	all_list;
	struct list_head	idle_list;
	struct task_struct	*task;
	struct io_wq		*wq;
	/* the item being run: compared, never dereferenced */
	struct io_wq_work	*cur_work;
	unsigned int		acct;
	unsigned int		aff_gen;
	bool			idle;
	/* no longer counted in its account: it is leaving, idle */
	bool			uncounted;
};

struct io_wq_acct {
	unsigned int		max_workers;
	unsigned int		nr_workers;
	struct list_head	work_list;
	struct list_head	idle_list;
};

struct io_wq {
	/* the queues, the worker lists and counts, hash_running */
	spinlock_t		lock;
	refcount_t		refs;
	const struct io_wq_ops	*ops;
	struct io_wq_acct	acct[IO_WQ_ACCT_NR];
	struct list_head	all_workers;
	unsigned int		nr_workers;
	/* hashes with an item running, one bit per hash */
	DECLARE_BITMAP(hash_running, 1U << IO_WQ_HASH_ORDER);
	bool			exiting;
	/* the owner has no ring left: idle workers go, the last one too */
	bool			idle_exit;
	struct completion	workers_done;
	pid_t			owner_pid;
	cpumask_var_t		cpu_mask;
	unsigned int		aff_gen;
};

unsigned int io_wq_hash_key(const void *key)
{
	return hash_ptr((void *)key, IO_WQ_HASH_ORDER);
}

void io_wq_get(struct io_wq *wq)
{
	refcount_inc(&wq->refs);
}

void io_wq_put(struct io_wq *wq)
{
	if (refcount_dec_and_test(&wq->refs)) {
		free_cpumask_var(wq->cpu_mask);
		kfree(wq);
	}
}

/**
 * io_wq_create - create a worker pool for the current task
 * @ops: how to run and cancel work
 * @bounded: most workers for bounded work
 * @unbounded: most workers for unbounded work
 *
 * Return: the pool, or an ERR_PTR (-ENOMEM).
 */
struct io_wq *io_wq_create(const struct io_wq_ops *ops, unsigned int bounded,
			   unsigned int unbounded)
{
	struct io_wq *wq;
	int i;

	wq = kzalloc(sizeof(*wq), GFP_KERNEL_ACCOUNT);
	if (!wq)
		return ERR_PTR(-ENOMEM);
	if (!alloc_cpumask_var(&wq->cpu_mask, GFP_KERNEL_ACCOUNT)) {
		kfree(wq);
		return ERR_PTR(-ENOMEM);
	}
	/* the owner's cpuset, as a thread it created would get */
	cpuset_cpus_allowed(current, wq->cpu_mask);
	spin_lock_init(&wq->lock);
	refcount_set(&wq->refs, 1);
	wq->ops = ops;
	wq->owner_pid = task_pid_nr(current);
	INIT_LIST_HEAD(&wq->all_workers);
	init_completion(&wq->workers_done);
	for (i = 0; i < IO_WQ_ACCT_NR; i++) {
		INIT_LIST_HEAD(&wq->acct[i].work_list);
		INIT_LIST_HEAD(&wq->acct[i].idle_list);
	}
	wq->acct[IO_WQ_BOUND].max_workers = max(bounded, 1U);
	wq->acct[IO_WQ_UNBOUND].max_workers = max(unbounded, 1U);
	return wq;
}

/* The first item of @acct that may run now; under wq->lock. */
static struct io_wq_work *io_wq_next_work(struct io_wq *wq,
					  struct io_wq_acct *acct)
{
	struct io_wq_work *work;

	list_for_each_entry(work, &acct->work_list, list) {
		if (!(work->flags & IO_WQ_WORK_HASHED))
			return work;
		if (!test_bit(work->hash, wq->hash_running)) {
			__set_bit(work->hash, wq->hash_running);
			return work;
		}
	}
	return NULL;
}

/* True if the worker was asked to die (SIGKILL to the process). */
static bool io_worker_signalled(void)
{
	struct ksignal ksig;

	if (test_thread_flag(TIF_NOTIFY_SIGNAL))
		clear_notify_signal();
	if (!signal_pending(current))
		return false;
	return get_signal(&ksig);
}

static void io_worker_exit(struct io_worker *worker)
{
	struct io_wq *wq = worker->wq;

	/* under wq->lock, which this drops */
	if (!worker->uncounted)
		wq->acct[worker->acct].nr_workers--;
	list_del(&worker->all_list);
	if (!--wq->nr_workers && wq->exiting)
		complete(&wq->workers_done);
	spin_unlock(&wq->lock);
	current->worker_private = NULL;
	kfree(worker);
	io_wq_put(wq);
}

/*
 * One wakeup's worth of work: run what is queued, then either queue the
 * worker idle (true) or tell it to leave (false).
 */
static bool io_wq_worker_pass(struct io_worker *worker, long left)
{
	struct io_wq *wq = worker->wq;
	struct io_wq_acct *acct = &wq->acct[worker->acct];

	for (;;) {
		struct io_wq_work *work;
		int hash;

		if (io_worker_signalled())
			return false;
		if (READ_ONCE(wq->aff_gen) != worker->aff_gen) {
			worker->aff_gen = READ_ONCE(wq->aff_gen);
			set_cpus_allowed_ptr(current, wq->cpu_mask);
		}
		spin_lock(&wq->lock);
		work = io_wq_next_work(wq, acct);
		if (!work)
			break;
		hash = (work->flags & IO_WQ_WORK_HASHED) ? work->hash : -1;
		list_del_init(&work->list);
		work->flags &= ~IO_WQ_WORK_QUEUED;
		work->worker_pid = task_pid_nr(current);
		worker->cur_work = work;
		spin_unlock(&wq->lock);

		wq->ops->run(work);

		/* @work may be freed (and reused) by now */
		spin_lock(&wq->lock);
		worker->cur_work = NULL;
		if (hash >= 0)
			__clear_bit(hash, wq->hash_running);
		spin_unlock(&wq->lock);
		left = 1;
	}
	if (wq->exiting) {
		spin_unlock(&wq->lock);
		return false;
	}
	/*
	 * Idle for a whole timeout: leave, unless we are the last (the
	 * last leaves too once the owner has no ring). Uncounted at once,
	 * under the lock: two workers timing out together must not both
	 * see the other and leave none.
	 */
	if (wq->idle_exit || (!left && acct->nr_workers > 1)) {
		acct->nr_workers--;
		worker->uncounted = true;
		spin_unlock(&wq->lock);
		return false;
	}
	worker->idle = true;
	list_add(&worker->idle_list, &acct->idle_list);
	spin_unlock(&wq->lock);
	return true;
}

/*
 * Sleep until woken or idle for a whole timeout. Whoever claims an idle
 * worker, or wakes it for exit or new affinity, does so under wq->lock:
 * checked under the lock after our state is set, no wakeup is lost.
 */
static long io_wq_worker_sleep(struct io_worker *worker)
{
	struct io_wq *wq = worker->wq;

	set_current_state(TASK_INTERRUPTIBLE);
	spin_lock(&wq->lock);
	if (!worker->idle || wq->exiting || wq->idle_exit ||
	    READ_ONCE(wq->aff_gen) != worker->aff_gen)
		__set_current_state(TASK_RUNNING);
	spin_unlock(&wq->lock);
	return schedule_timeout(IO_WORKER_IDLE_TIMEOUT);
}

static int io_wq_worker(void *data)
{
	struct io_worker *worker = data;
	struct io_wq *wq = worker->wq;
	char name[TASK_COMM_LEN];
	long left = 1;

	snprintf(name, sizeof(name), "iou-wrk-%d", wq->owner_pid);
	set_task_comm(current, name);
	/* for io_wq_enqueue_self(); io threads are not kthreads */
	current->worker_private = worker;

	/*
	 * Coverage of each pass goes to the fuzzer that made our task (KCOV
	 * remote; a no-op otherwise), and reaches it before we sleep. The
	 * section ends while we are still running: it may free.
	 */
	for (;;) {
		bool stay;

		kcov_remote_start_common(kcov_common_handle());
		stay = io_wq_worker_pass(worker, left);
		kcov_remote_stop();
		if (!stay)
			break;
		left = io_wq_worker_sleep(worker);

		spin_lock(&wq->lock);
		if (worker->idle) {
			list_del(&worker->idle_list);
			worker->idle = false;
		}
		spin_unlock(&wq->lock);
	}

	kcov_remote_start_common(kcov_common_handle());
	spin_lock(&wq->lock);
	if (worker->idle)
		list_del(&worker->idle_list);
	io_worker_exit(worker);
	kcov_remote_stop();
	do_exit(0);
}

/* Start one more worker for @acct; the caller counted it already. */
static int io_wq_create_worker(struct io_wq *wq, unsigned int acct)
{
	struct io_worker *worker;
	struct task_struct *tsk;

	worker = kzalloc(sizeof(*worker), GFP_KERNEL_ACCOUNT);
	if (!worker)
		return -ENOMEM;
	worker->wq = wq;
	worker->acct = acct;
	worker->aff_gen = READ_ONCE(wq->aff_gen);
	io_wq_get(wq);

	tsk = create_io_thread(io_wq_worker, worker, NUMA_NO_NODE);
	if (IS_ERR(tsk)) {
		io_wq_put(wq);
		kfree(worker);
		return PTR_ERR(tsk);
	}
	worker->task = tsk;
	spin_lock(&wq->lock);
	list_add_tail(&worker->all_list, &wq->all_workers);
	spin_unlock(&wq->lock);
	set_cpus_allowed_ptr(tsk, wq->cpu_mask);
	wake_up_new_task(tsk);
	return 0;
}

/**
 * io_wq_enqueue - queue work, waking or starting a worker for it
 * @wq: the pool, owned by current
 * @work: the work, with IO_WQ_WORK_HASHED/UNBOUND and hash set
 *
 * Return: 0, or a negative errno if the work could not be queued (the
 * pool is exiting, or no worker exists and none could be started); the
 * caller then completes the work itself.
 */
int io_wq_enqueue(struct io_wq *wq, struct io_wq_work *work)
{
	unsigned int idx = (work->flags & IO_WQ_WORK_UNBOUND) ?
			   IO_WQ_UNBOUND : IO_WQ_BOUND;
	struct io_wq_acct *acct = &wq->acct[idx];
	struct io_worker *worker;
	bool create = false;
	int ret;

	spin_lock(&wq->lock);
	if (unlikely(wq->exiting)) {
		spin_unlock(&wq->lock);
		return -ECANCELED;
	}
	work->flags |= IO_WQ_WORK_QUEUED;
	work->worker_pid = 0;
	list_add_tail(&work->list, &acct->work_list);
	worker = list_first_entry_or_null(&acct->idle_list, struct io_worker,
					  idle_list);
	if (worker) {
		/* claim it, so that the next enqueue wakes another */
		list_del(&worker->idle_list);
		worker->idle = false;
		wake_up_process(worker->task);
	} else if (acct->nr_workers < acct->max_workers &&
		   (!(current->flags & PF_IO_WORKER) ||
		    task_pid_nr(current) == wq->owner_pid)) {
		/* the owner (a task, or an SQPOLL thread) starts workers */
		acct->nr_workers++;
		wq->nr_workers++;
		create = true;
	}
	spin_unlock(&wq->lock);
	if (!create)
		return 0;

	ret = io_wq_create_worker(wq, idx);
	if (!ret)
		return 0;
	spin_lock(&wq->lock);
	acct->nr_workers--;
	wq->nr_workers--;
	/* with no worker at all the work would never run */
	if (acct->nr_workers || !(work->flags & IO_WQ_WORK_QUEUED)) {
		ret = 0;
	} else {
		list_del_init(&work->list);
		work->flags &= ~IO_WQ_WORK_QUEUED;
	}
	spin_unlock(&wq->lock);
	return ret;
}

/**
 * io_wq_enqueue_self - queue work for the calling worker to run next
 * @wq: a pool
 * @work: the work, with IO_WQ_WORK_HASHED/UNBOUND and hash set
 *
 * Only for a worker of @wq in @work's account, and only if that account
 * has nothing queued: then this worker takes @work as soon as its current
 * item returns, and nobody needs waking or starting for it (a worker
 * never starts workers; only the owner does). Behind other queued work it
 * could wait for as long as that work blocks, where the owner would have
 * started another worker: the caller hands it to the owner instead.
 *
 * Return: 0 if queued; -EAGAIN if this is not such a worker or the queue
 * is not empty; -ECANCELED if the pool is exiting.
 */
int io_wq_enqueue_self(struct io_wq *wq, struct io_wq_work *work)
{
	struct io_worker *worker = current->worker_private;
	unsigned int idx = (work->flags & IO_WQ_WORK_UNBOUND) ?
			   IO_WQ_UNBOUND : IO_WQ_BOUND;
	struct io_wq_acct *acct = &wq->acct[idx];
	int ret = 0;

	if (!(current->flags & PF_IO_WORKER) || !worker || worker->wq != wq ||
	    worker->acct != idx)
		return -EAGAIN;
	spin_lock(&wq->lock);
	if (unlikely(wq->exiting)) {
		ret = -ECANCELED;
	} else if (!list_empty(&acct->work_list)) {
		ret = -EAGAIN;
	} else {
		work->flags |= IO_WQ_WORK_QUEUED;
		work->worker_pid = 0;
		list_add_tail(&work->list, &acct->work_list);
	}
	spin_unlock(&wq->lock);
	return ret;
}

/**
 * io_wq_cancel_work - cancel one work item
 * @wq: the pool it was queued to
 * @work: the item; the caller guarantees it is not freed meanwhile
 *
 * A running item is interrupted (its worker gets TIF_NOTIFY_SIGNAL,
 * which ends interruptible waits) and completes on its own. The worker
 * is the one the item names, never one that ran an earlier item at the
 * same address.
 *
 * Return: true if the item was still queued: it is dequeued, and the
 * caller completes it.
 */
bool io_wq_cancel_work(struct io_wq *wq, struct io_wq_work *work)
{
	struct io_worker *worker;
	bool dequeued = false;

	spin_lock(&wq->lock);
	if (work->flags & IO_WQ_WORK_QUEUED) {
		list_del_init(&work->list);
		work->flags &= ~IO_WQ_WORK_QUEUED;
		dequeued = true;
	} else {
		list_for_each_entry(worker, &wq->all_workers, all_list) {
			if (worker->cur_work == work &&
			    work->worker_pid == task_pid_nr(worker->task)) {
				set_notify_signal(worker->task);
				break;
			}
		}
	}
	spin_unlock(&wq->lock);
	return dequeued;
}

/*
 * Take the queued work of the accounts in @accts; signal every worker
 * that runs an item, whatever its account (an OPENAT of a FIFO is
 * bounded work that blocks like a socket read).
 */
static void io_wq_cancel_locked(struct io_wq *wq, struct list_head *out,
				unsigned int accts)
{
	struct io_worker *worker;
	int i;

	for (i = 0; i < IO_WQ_ACCT_NR; i++) {
		struct io_wq_work *work, *tmp;

		if (!(accts & BIT(i)))
			continue;
		list_for_each_entry_safe(work, tmp, &wq->acct[i].work_list, list) {
			work->flags &= ~IO_WQ_WORK_QUEUED;
			list_move_tail(&work->list, out);
		}
	}
	list_for_each_entry(worker, &wq->all_workers, all_list)
		if (worker->cur_work)
			set_notify_signal(worker->task);
}

static void io_wq_cancel_list(struct io_wq *wq, struct list_head *list)
{
	struct io_wq_work *work, *tmp;

	list_for_each_entry_safe(work, tmp, list, list) {
		list_del_init(&work->list);
		wq->ops->cancel(work);
	}
}

/**
 * io_wq_cancel_all - cancel every queued and running item of @wq
 * @wq: the pool
 * @bounded: queued bounded work too, not just unbounded work
 *
 * Running items are signalled (TIF_NOTIFY_SIGNAL): an interruptible
 * wait in them ends, and they complete with their own result. Queued
 * bounded work (regular files, block devices) left in place runs to
 * completion: at thread exit, as in 6.12, a thread pool's writes are
 * not lost because the thread that submitted them ended.
 */
void io_wq_cancel_all(struct io_wq *wq, bool bounded)
{
	unsigned int accts = BIT(IO_WQ_UNBOUND);
	LIST_HEAD(list);

	if (bounded)
		accts |= BIT(IO_WQ_BOUND);
	spin_lock(&wq->lock);
	io_wq_cancel_locked(wq, &list, accts);
	spin_unlock(&wq->lock);
	io_wq_cancel_list(wq, &list);
}

/**
 * io_wq_exit - stop the pool: cancel its work and wait for the workers
 * @wq: the pool; the owner's reference is dropped
 */
void io_wq_exit(struct io_wq *wq)
{
	struct io_worker *worker;
	LIST_HEAD(list);
	bool wait;
	int i;

	spin_lock(&wq->lock);
	wq->exiting = true;
	io_wq_cancel_locked(wq, &list, BIT(IO_WQ_BOUND) | BIT(IO_WQ_UNBOUND));
	for (i = 0; i < IO_WQ_ACCT_NR; i++) {
		list_for_each_entry(worker, &wq->acct[i].idle_list, idle_list)
			wake_up_process(worker->task);
	}
	wait = wq->nr_workers != 0;
	spin_unlock(&wq->lock);
	io_wq_cancel_list(wq, &list);
	if (wait)
		wait_for_completion(&wq->workers_done);
	io_wq_put(wq);
}

/**
 * io_wq_set_idle_exit - let idle workers go, all of them, or keep one
 * @wq: the pool
 * @on: true when the owner has no ring left (its idle workers then exit
 *	at once, and later ones once idle); false when it has one again
 *
 * Work queued meanwhile still runs: a worker leaves only with its queue
 * empty, and the owner starts workers again for new work.
 */
void io_wq_set_idle_exit(struct io_wq *wq, bool on)
{
	struct io_worker *worker;
	int i;

	spin_lock(&wq->lock);
	wq->idle_exit = on;
	for (i = 0; on && i < IO_WQ_ACCT_NR; i++) {
		list_for_each_entry(worker, &wq->acct[i].idle_list, idle_list)
			wake_up_process(worker->task);
	}
	spin_unlock(&wq->lock);
}

/**
 * io_wq_max_workers - IORING_REGISTER_IOWQ_MAX_WORKERS for one pool
 * @wq: the pool
 * @new_count: bounded and unbounded limits, 0 to keep one; the old
 *	limits are written back
 *
 * Return: 0.
 */
int io_wq_max_workers(struct io_wq *wq, u32 *new_count)
{
	int i;

	spin_lock(&wq->lock);
	for (i = 0; i < IO_WQ_ACCT_NR; i++) {
		u32 old = wq->acct[i].max_workers;

		if (new_count[i])
			wq->acct[i].max_workers = new_count[i];
		new_count[i] = old;
	}
	spin_unlock(&wq->lock);
	return 0;
}

/**
 * io_wq_set_affinity - set the CPUs the pool's workers may run on
 * @wq: the pool, owned by current
 * @mask: the CPUs, or NULL for all that current's cpuset allows
 *
 * Return: 0, -EINVAL if @mask reaches outside the cpuset or holds no
 * online CPU, -ENOMEM.
 */
int io_wq_set_affinity(struct io_wq *wq, const struct cpumask *mask)
{
	struct io_worker *worker;
	cpumask_var_t allowed;
	int i;

	if (!alloc_cpumask_var(&allowed, GFP_KERNEL))
		return -ENOMEM;
	cpuset_cpus_allowed(current, allowed);
	if (mask && (!cpumask_subset(mask, allowed) ||
		     !cpumask_intersects(mask, cpu_online_mask))) {
		free_cpumask_var(allowed);
		return -EINVAL;
	}
	spin_lock(&wq->lock);
	cpumask_copy(wq->cpu_mask, mask ?: allowed);
	/* workers apply it themselves; wake the idle ones to do so */
	WRITE_ONCE(wq->aff_gen, wq->aff_gen + 1);
	for (i = 0; i < IO_WQ_ACCT_NR; i++) {
		list_for_each_entry(worker, &wq->acct[i].idle_list, idle_list)
			wake_up_process(worker->task);
	}
	spin_unlock(&wq->lock);
	free_cpumask_var(allowed);
	return 0;
}
