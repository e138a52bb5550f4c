// SPDX-License-Identifier: GPL-2.0
/*
 * Per-task io_uring state: the registered ring fds of a task and what
 * happens to them at exec and exit.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/nospec.h>
#include <linux/sched/signal.h>
#include <linux/io_uring.h>
#include <linux/kcov.h>

#include "io_uring.h"
#include "io-wq.h"
#include "cancel.h"
#include "tctx.h"

static void io_tctx_task_work_fn(struct callback_head *cb);

/*
 * Which tasks submitted to which rings: a task at exit or exec cancels
 * its requests in each, and a ring at exit forgets the tasks. The mutex
 * covers the two lists only, and is never held while a ring's uring_lock
 * is taken or anything is waited for: one stuck ring must not stall the
 * first submissions and the exits of every other process. A task that
 * works on a ring outside it pins the ring with a reference on its refs,
 * taken under the mutex while the node proves the ring is not freed
 * (a ring unlinks its nodes before it frees itself).
 */
static DEFINE_MUTEX(io_tctx_nodes_lock);

struct io_tctx_node {
	struct list_head	ctx_entry;
	struct list_head	task_entry;
	struct io_ring_ctx	*ctx;
	struct io_uring_task	*tctx;
};

int __io_tctx_track_ctx(struct io_ring_ctx *ctx)
{
	struct io_uring_task *tctx = current->io_uring;
	struct io_tctx_node *node;
	int ret = 0;

	mutex_lock(&io_tctx_nodes_lock);
	list_for_each_entry(node, &tctx->ctx_nodes, task_entry)
		if (node->ctx == ctx)
			goto found;
	node = kmalloc(sizeof(*node), GFP_KERNEL_ACCOUNT);
	if (!node) {
		ret = -ENOMEM;
		goto out;
	}
	node->ctx = ctx;
	node->tctx = tctx;
	/* a ring again: keep an idle worker per account, as before */
	if (list_empty(&tctx->ctx_nodes) && tctx->io_wq)
		io_wq_set_idle_exit(tctx->io_wq, false);
	list_add(&node->ctx_entry, &ctx->tctx_list);
	list_add(&node->task_entry, &tctx->ctx_nodes);
found:
	WRITE_ONCE(tctx->last_ctx, ctx);
out:
	mutex_unlock(&io_tctx_nodes_lock);
	return ret;
}

static void io_tctx_node_free(struct io_tctx_node *node)
{
	if (READ_ONCE(node->tctx->last_ctx) == node->ctx)
		WRITE_ONCE(node->tctx->last_ctx, NULL);
	list_del(&node->ctx_entry);
	list_del(&node->task_entry);
	kfree(node);
}

/**
 * io_ctx_untrack_tasks - a ring going away forgets its submitters
 * @ctx: the ring
 *
 * A task left with no ring lets its idle io workers go (7.0): they would
 * otherwise sit there, one per account, until it exits. Its pool is
 * alive while the mutex is held: the task takes it away under it.
 */
void io_ctx_untrack_tasks(struct io_ring_ctx *ctx)
{
	struct io_tctx_node *node, *tmp;
	struct io_uring_task *tctx;
	struct io_wq *wq;

	mutex_lock(&io_tctx_nodes_lock);
	list_for_each_entry_safe(node, tmp, &ctx->tctx_list, ctx_entry) {
		tctx = node->tctx;
		io_tctx_node_free(node);
		/* pairs with io_tctx_wq(): a pool seen is set up */
		wq = smp_load_acquire(&tctx->io_wq);
		if (list_empty(&tctx->ctx_nodes) && wq)
			io_wq_set_idle_exit(wq, true);
	}
	mutex_unlock(&io_tctx_nodes_lock);
}

/* Cancel what current submitted to each ring it submitted to. */
static void io_tctx_cancel_rings(struct io_uring_task *tctx, bool exec)
{
	struct io_tctx_node *node;
	LIST_HEAD(done);

	mutex_lock(&io_tctx_nodes_lock);
	while ((node = list_first_entry_or_null(&tctx->ctx_nodes,
						struct io_tctx_node,
						task_entry))) {
		struct io_ring_ctx *ctx = node->ctx;
		bool pinned;

		/* a ring exiting meanwhile unlinks the node from @done */
		list_move_tail(&node->task_entry, &done);
		/* fails only once no request, cached or not, is left in it */
		pinned = percpu_ref_tryget(&ctx->refs);
		mutex_unlock(&io_tctx_nodes_lock);
		if (pinned) {
			io_cancel_task_reqs(ctx, current, exec);
			percpu_ref_put(&ctx->refs);
		}
		cond_resched();
		mutex_lock(&io_tctx_nodes_lock);
	}
	list_splice(&done, &tctx->ctx_nodes);
	mutex_unlock(&io_tctx_nodes_lock);
}

/* An exited task submits nothing again: it forgets its rings. */
static void io_tctx_forget_rings(struct io_uring_task *tctx)
{
	struct io_tctx_node *node, *tmp;

	mutex_lock(&io_tctx_nodes_lock);
	list_for_each_entry_safe(node, tmp, &tctx->ctx_nodes, task_entry)
		io_tctx_node_free(node);
	mutex_unlock(&io_tctx_nodes_lock);
}

/**
 * __io_uring_alloc_task_context - give @task its io_uring state
 * @task: the task (current), which has none yet
 *
 * Return: 0, or -ENOMEM.
 */
int __io_uring_alloc_task_context(struct task_struct *task)
{
	struct io_uring_task *tctx;

	tctx = kzalloc(sizeof(*tctx), GFP_KERNEL_ACCOUNT);
	if (!tctx)
		return -ENOMEM;
	if (percpu_counter_init(&tctx->inflight, 0, GFP_KERNEL_ACCOUNT)) {
		kfree(tctx);
		return -ENOMEM;
	}
	init_waitqueue_head(&tctx->exit_wait);
	INIT_LIST_HEAD(&tctx->ctx_nodes);
	init_llist_head(&tctx->task_list);
	init_task_work(&tctx->task_work, io_tctx_task_work_fn);
	tctx->kcov_handle = kcov_common_handle();
	task->io_uring = tctx;
	return 0;
}

static void io_tctx_task_work_fn(struct callback_head *cb)
{
	io_tctx_run_task_work(container_of(cb, struct io_uring_task, task_work));
}

static void io_ringfd_drop(struct io_uring_task *tctx, unsigned int slot)
{
	if (tctx->registered_rings[slot]) {
		fput(tctx->registered_rings[slot]);
		tctx->registered_rings[slot] = NULL;
	}
}

void io_ringfd_unregister_all(struct io_uring_task *tctx)
{
	int i;

	for (i = 0; i < IO_RINGFD_REG_MAX; i++)
		io_ringfd_drop(tctx, i);
}

/* The whole process is exiting, or another of its threads execs. */
static bool io_process_dying(void)
{
	struct signal_struct *sig = current->signal;

	return (READ_ONCE(sig->flags) & SIGNAL_GROUP_EXIT) ||
	       READ_ONCE(sig->group_exec_task);
}

/*
 * Stop the requests this task submitted and wait until none is left:
 * they point at the task (for task_work), its io workers share its mm
 * and files, and none of that outlives exit or may be used by the image
 * an exec loads. At exec every one is cancelled; at exit polls and
 * timeouts are detached instead (io_cancel_task_reqs()), and no longer
 * counted. Completions come back to us as task_work, which we keep
 * running while we wait; with in_exit set, task_work callbacks cancel
 * instead of issuing (io_tw_cancelled()).
 */
static void io_tctx_cancel_wait(struct io_uring_task *tctx, bool exec)
{
	unsigned long start = jiffies;
	bool reported = false;
	struct io_wq *wq;
	DEFINE_WAIT(wait);

	WRITE_ONCE(tctx->in_exit, true);
	for (;;) {
		io_tctx_cancel_rings(tctx, exec);
		/*
		 * Every running item is signalled, bounded or not (again on
		 * each round, for items that started since): an OPENAT of a
		 * FIFO blocks as long as a socket read. Queued unbounded work
		 * is cancelled; queued file and block I/O still runs at exit
		 * (6.12: thread pools), and is cancelled too at exec, or when
		 * the whole process dies or execs (its workers are killed
		 * with it: what is queued would never run).
		 */
		if (tctx->io_wq)
			io_wq_cancel_all(tctx->io_wq,
					 exec || io_process_dying());
		io_run_task_work();
		/* our own frees counted ahead: the sum must be exact */
		io_tctx_drop_refs(tctx);
		prepare_to_wait(&tctx->exit_wait, &wait, TASK_UNINTERRUPTIBLE);
		if (!percpu_counter_sum(&tctx->inflight) &&
		    !task_work_pending(current))
			break;
		if (!task_work_pending(current))
			schedule_timeout(HZ / 10);
		/* the next round takes mutexes: not while !TASK_RUNNING */
		__set_current_state(TASK_RUNNING);
		io_wait_overdue(start, &reported, exec ? "exec" : "exit",
				percpu_counter_sum(&tctx->inflight));
	}
	finish_wait(&tctx->exit_wait, &wait);
	/* out of io_ctx_untrack_tasks()' sight before it goes */
	mutex_lock(&io_tctx_nodes_lock);
	wq = tctx->io_wq;
	WRITE_ONCE(tctx->io_wq, NULL);
	mutex_unlock(&io_tctx_nodes_lock);
	if (wq)
		io_wq_exit(wq);
	WRITE_ONCE(tctx->in_exit, false);
}

/*
 * A fuzzer collects the coverage of a task's exit and exec through the
 * KCOV remote handle the task had when it first used io_uring: do_exit()
 * has ended the task's own KCOV by then, and a forked child never had
 * any. A task whose own KCOV is live (exec) reports there instead.
 */
static bool io_kcov_remote_allowed(void)
{
#ifdef CONFIG_KCOV
	return !READ_ONCE(current->kcov_mode);
#else
	return false;
#endif
}

/*
 * Registered ring fds are references only this task can use; they do not
 * survive exec and must not keep rings alive after the task is gone.
 */
void __io_uring_task_exit(bool exec)
{
	struct io_uring_task *tctx = current->io_uring;
	bool kcov = io_kcov_remote_allowed();

	if (kcov)
		kcov_remote_start_common(tctx->kcov_handle);
	io_ringfd_unregister_all(tctx);
	io_tctx_cancel_wait(tctx, exec);
	/* past exit nothing is submitted again; exec keeps its rings */
	if (!exec)
		io_tctx_forget_rings(tctx);
	/* completions still queued to us run now, while we still can */
	io_run_task_work();
	if (kcov)
		kcov_remote_stop();
}

void __io_uring_free(struct task_struct *tsk)
{
	struct io_uring_task *tctx = tsk->io_uring;

	WARN_ON_ONCE(!llist_empty(&tctx->task_list));
	WARN_ON_ONCE(tctx->io_wq);
	WARN_ON_ONCE(!list_empty(&tctx->ctx_nodes));
	percpu_counter_destroy(&tctx->inflight);
	tsk->io_uring = NULL;
	kfree(tctx);
}

/**
 * io_ringfd_free_slot - a free registered-ring slot of current
 *
 * For IORING_SETUP_REGISTERED_FD_ONLY, which fills it at once.
 *
 * Return: the slot, or -EBUSY if all are taken.
 */
int io_ringfd_free_slot(void)
{
	struct io_uring_task *tctx = current->io_uring;
	int i;

	for (i = 0; i < IO_RINGFD_REG_MAX; i++)
		if (!tctx->registered_rings[i])
			return i;
	return -EBUSY;
}

static int io_ringfd_add(struct io_uring_task *tctx, unsigned int fd,
			 unsigned int offset)
{
	struct file *file;

	if (offset == -1U) {
		for (offset = 0; offset < IO_RINGFD_REG_MAX; offset++)
			if (!tctx->registered_rings[offset])
				break;
		if (offset == IO_RINGFD_REG_MAX)
			return -EBUSY;
	} else if (offset >= IO_RINGFD_REG_MAX) {
		return -EINVAL;
	}
	offset = array_index_nospec(offset, IO_RINGFD_REG_MAX);
	if (tctx->registered_rings[offset])
		return -EBUSY;
	file = fget(fd);
	if (!file)
		return -EBADF;
	if (!io_is_uring_fops(file)) {
		fput(file);
		return -EOPNOTSUPP;
	}
	tctx->registered_rings[offset] = file;
	return offset;
}

/* Copy in and sanity-check the whole array before touching any slot. */
static struct io_uring_rsrc_update *io_ringfd_args(void __user *arg,
						   unsigned int nr_args)
{
	struct io_uring_rsrc_update *regs;
	unsigned int i;

	if (!nr_args || nr_args > IO_RINGFD_REG_MAX)
		return ERR_PTR(-EINVAL);
	regs = memdup_array_user(arg, nr_args, sizeof(*regs));
	if (IS_ERR(regs))
		return regs;
	for (i = 0; i < nr_args; i++) {
		if (regs[i].resv) {
			kfree(regs);
			return ERR_PTR(-EINVAL);
		}
	}
	return regs;
}

/**
 * io_ringfd_register - IORING_REGISTER_RING_FDS
 * @ctx: the ring the call came in on (any ring file may be registered)
 * @arg: array of struct io_uring_rsrc_update, offset -1U to pick a slot
 * @nr_args: entries in @arg
 *
 * Return: how many entries were registered, their slots written back to
 * @arg, or the error of the first entry if none was.
 */
int io_ringfd_register(struct io_ring_ctx *ctx, void __user *arg,
		       unsigned int nr_args)
{
	struct io_uring_rsrc_update *regs;
	struct io_uring_task *tctx;
	unsigned int done;
	int ret;

	regs = io_ringfd_args(arg, nr_args);
	if (IS_ERR(regs))
		return PTR_ERR(regs);
	ret = io_uring_alloc_task_context(current);
	tctx = current->io_uring;
	for (done = 0; !ret && done < nr_args; done++) {
		ret = io_ringfd_add(tctx, regs[done].data, regs[done].offset);
		if (ret < 0)
			break;
		regs[done].offset = ret;
		ret = 0;
	}
	if (done && copy_to_user(arg, regs, done * sizeof(*regs))) {
		/* user space cannot learn the slots: undo them */
		while (done--)
			io_ringfd_drop(tctx, regs[done].offset);
		ret = -EFAULT;
	}
	kfree(regs);
	return done ? done : ret;
}

/**
 * io_ringfd_unregister - IORING_UNREGISTER_RING_FDS
 * @ctx: the ring the call came in on
 * @arg: array of struct io_uring_rsrc_update; only offset is used
 * @nr_args: entries in @arg
 *
 * Return: @nr_args, or -EINVAL (and nothing dropped) if an entry is bad.
 */
int io_ringfd_unregister(struct io_ring_ctx *ctx, void __user *arg,
			 unsigned int nr_args)
{
	struct io_uring_task *tctx = current->io_uring;
	struct io_uring_rsrc_update *regs;
	unsigned int i, slot;
	int ret = nr_args;

	regs = io_ringfd_args(arg, nr_args);
	if (IS_ERR(regs))
		return PTR_ERR(regs);
	for (i = 0; i < nr_args; i++)
		if (regs[i].data || regs[i].offset >= IO_RINGFD_REG_MAX)
			ret = -EINVAL;
	for (i = 0; ret > 0 && tctx && i < nr_args; i++) {
		slot = array_index_nospec(regs[i].offset, IO_RINGFD_REG_MAX);
		io_ringfd_drop(tctx, slot);
	}
	kfree(regs);
	return ret;
}
