// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_SETUP_SQPOLL: a kernel thread (an io thread of the creating
 * process: its mm, files and, for each ring, the creator's credentials)
 * takes SQEs off the ring as user space writes them, so submission needs
 * no system call. After sq_thread_idle of nothing to do it sets
 * IORING_SQ_NEED_WAKEUP in each ring's sq_flags and sleeps until
 * io_uring_enter(IORING_ENTER_SQ_WAKEUP) wakes it. Rings created with
 * IORING_SETUP_ATTACH_WQ on an SQPOLL ring share its thread.
 *
 * The thread is the submitter of what it submits: completions run as its
 * task_work, its io workers do the blocking work, and its exit (the
 * process is killed, or exec) cancels what it left in flight like any
 * task's. A ring whose thread is gone answers -EOWNERDEAD.
 *
 * The thread only sees a ring once its setup can no longer fail
 * (io_sq_offload_start()), and stops submitting to it as soon as it is
 * closed (its refs are killed): it never reads rings that are being
 * freed, and never adds requests to a ring on its way out.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/file.h>
#include <linux/kcov.h>
#include <linux/slab.h>
#include <linux/cred.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/cpumask.h>
#include <linux/cpuset.h>
#include <linux/security.h>
#include <linux/io_uring.h>

#include "io_uring.h"
#include "iopoll.h"
#include "sqpoll.h"
#include "restrict.h"
#include "submit.h"
#include "tctx.h"

enum {
	IO_SQD_STOP,		/* the last ring is gone: exit */
	IO_SQD_WAKE,		/* IORING_ENTER_SQ_WAKEUP since the last look */
};

struct io_sq_data {
	refcount_t		refs;
	/* the rings served, and the thread's state, under lock */
	struct mutex		lock;
	struct list_head	ctx_list;
	struct task_struct	*thread;
	struct wait_queue_head	wait;
	unsigned long		idle;		/* jiffies, the longest asked */
	int			cpu;		/* IORING_SETUP_SQ_AFF, or -1 */
	pid_t			task_tgid;
	pid_t			task_pid;
	unsigned long		state;
	struct completion	exited;
};

static void io_put_sq_data(struct io_sq_data *sqd)
{
	if (!refcount_dec_and_test(&sqd->refs))
		return;
	set_bit(IO_SQD_STOP, &sqd->state);
	wake_up(&sqd->wait);
	wait_for_completion(&sqd->exited);
	kfree(sqd);
}

static void io_sqd_update_idle(struct io_sq_data *sqd)
{
	struct io_ring_ctx *ctx;
	unsigned long idle = 0;

	list_for_each_entry(ctx, &sqd->ctx_list, sqd_list)
		idle = max(idle, ctx->sq_thread_idle);
	sqd->idle = idle;
}

/**
 * io_sq_thread_finish - a ring leaves its submission thread
 * @ctx: the ring, going away
 *
 * Once this returns the thread no longer looks at @ctx; the last ring to
 * leave stops the thread and waits for it to exit.
 */
void io_sq_thread_finish(struct io_ring_ctx *ctx)
{
	struct io_sq_data *sqd = ctx->sq_data;

	if (!sqd)
		return;
	mutex_lock(&sqd->lock);
	list_del_init(&ctx->sqd_list);
	io_sqd_update_idle(sqd);
	mutex_unlock(&sqd->lock);
	ctx->sq_data = NULL;
	io_put_sq_data(sqd);
}

/* A ring the thread takes nothing from: disabled, or being closed. */
static bool io_sq_ctx_idle(struct io_ring_ctx *ctx)
{
	return (READ_ONCE(ctx->int_flags) & IO_CTX_DISABLED) ||
	       percpu_ref_is_dying(&ctx->refs);
}

/* Submit what @ctx has queued; true if there was anything to do. */
static bool io_sq_submit_ctx(struct io_ring_ctx *ctx)
{
	const struct cred *old;
	unsigned int nr;
	bool work;

	if (io_sq_ctx_idle(ctx))
		return false;
	nr = io_sqring_entries(ctx);
	work = nr || io_iopoll_pending(ctx);
	if (!work)
		return false;
	/* a closed ring takes nothing new; its exit work cancels the rest */
	if (!percpu_ref_tryget_live(&ctx->refs))
		return false;
	if (nr && io_tctx_track_ctx(ctx)) {
		percpu_ref_put(&ctx->refs);
		return false;
	}
	/* the ring creator's credentials, not those of the first ring */
	old = override_creds(ctx->sq_creds);
	mutex_lock(&ctx->uring_lock);
	if (io_iopoll_pending(ctx))
		io_iopoll_reap(ctx, 0);
	if (nr)
		io_submit_sqes(ctx, nr);
	mutex_unlock(&ctx->uring_lock);
	revert_creds(old);
	/* IORING_ENTER_SQ_WAIT: there is room in the SQ again */
	if (wq_has_sleeper(&ctx->sqo_sq_wait))
		wake_up(&ctx->sqo_sq_wait);
	percpu_ref_put(&ctx->refs);
	return true;
}

static void io_sqd_set_wakeup(struct io_sq_data *sqd, bool on)
{
	struct io_ring_ctx *ctx;

	list_for_each_entry(ctx, &sqd->ctx_list, sqd_list) {
		if (on)
			atomic_or(IORING_SQ_NEED_WAKEUP, &ctx->rings->sq_flags);
		else
			atomic_andnot(IORING_SQ_NEED_WAKEUP,
				      &ctx->rings->sq_flags);
	}
}

static bool io_sqd_has_work(struct io_sq_data *sqd)
{
	struct io_ring_ctx *ctx;

	/* as io_sq_submit_ctx() sees it: a ring it skips is no work */
	list_for_each_entry(ctx, &sqd->ctx_list, sqd_list) {
		if (io_sq_ctx_idle(ctx))
			continue;
		if (io_sqring_entries(ctx) || io_iopoll_pending(ctx))
			return true;
	}
	return false;
}

static int io_sq_thread(void *data)
{
	struct io_sq_data *sqd = data;
	unsigned long timeout = jiffies + sqd->idle;
	char buf[TASK_COMM_LEN];
	DEFINE_WAIT(wait);

	snprintf(buf, sizeof(buf), "iou-sqp-%d", sqd->task_pid);
	set_task_comm(current, buf);
	if (sqd->cpu >= 0)
		set_cpus_allowed_ptr(current, cpumask_of(sqd->cpu));

	/* what we submit is ours: its completions come back to us */
	while (!io_uring_alloc_task_context(current) &&
	       !test_bit(IO_SQD_STOP, &sqd->state)) {
		struct io_ring_ctx *ctx;
		bool work = false;

		if (task_sigpending(current)) {
			struct ksignal ksig;

			/* only SIGKILL reaches an io thread: the process ends */
			if (get_signal(&ksig))
				break;
			continue;
		}
		/* the fuzzer's coverage of the task that made us */
		kcov_remote_start_common(kcov_common_handle());
		mutex_lock(&sqd->lock);
		list_for_each_entry(ctx, &sqd->ctx_list, sqd_list)
			work |= io_sq_submit_ctx(ctx);
		mutex_unlock(&sqd->lock);
		if (io_run_task_work())
			work = true;
		kcov_remote_stop();
		if (work || time_before(jiffies, timeout)) {
			if (work)
				timeout = jiffies + sqd->idle;
			cond_resched();
			continue;
		}

		/*
		 * Idle: ask user space for a wakeup, then look once more. A
		 * wakeup between that look and the sleep is kept in
		 * IO_SQD_WAKE (the lock may not be taken once we are asleep).
		 */
		clear_bit(IO_SQD_WAKE, &sqd->state);
		mutex_lock(&sqd->lock);
		io_sqd_set_wakeup(sqd, true);
		/* the flag before the SQ tail check; pairs with liburing's mb */
		smp_mb__after_atomic();
		work = io_sqd_has_work(sqd);
		mutex_unlock(&sqd->lock);
		if (!work) {
			prepare_to_wait(&sqd->wait, &wait, TASK_INTERRUPTIBLE);
			if (!test_bit(IO_SQD_WAKE, &sqd->state) &&
			    !test_bit(IO_SQD_STOP, &sqd->state) &&
			    !task_work_pending(current))
				schedule();
			finish_wait(&sqd->wait, &wait);
		}
		mutex_lock(&sqd->lock);
		io_sqd_set_wakeup(sqd, false);
		mutex_unlock(&sqd->lock);
		timeout = jiffies + sqd->idle;
	}

	/* rings that outlive us answer -EOWNERDEAD from now on */
	mutex_lock(&sqd->lock);
	WRITE_ONCE(sqd->thread, NULL);
	io_sqd_set_wakeup(sqd, true);
	mutex_unlock(&sqd->lock);
	complete(&sqd->exited);
	do_exit(0);
}

/* IORING_SETUP_ATTACH_WQ: share the thread of the ring p->wq_fd. */
static struct io_sq_data *io_attach_sq_data(struct io_uring_params *p)
{
	struct io_ring_ctx *target;
	struct io_sq_data *sqd;
	struct file *file;

	file = fget(p->wq_fd);
	if (!file)
		return ERR_PTR(-ENXIO);
	if (!io_is_uring_fops(file)) {
		fput(file);
		return ERR_PTR(-EINVAL);
	}
	target = file->private_data;
	sqd = target->sq_data;
	if (!sqd) {
		fput(file);
		return ERR_PTR(-EINVAL);
	}
	if (io_restrict_may_use(target)) {
		fput(file);
		return ERR_PTR(-EACCES);
	}
	/* the thread works in its process' mm and file table */
	if (sqd->task_tgid != current->tgid) {
		fput(file);
		return ERR_PTR(-EPERM);
	}
	/* a thread that is gone submits for nobody (-ENXIO, as 6.12) */
	mutex_lock(&sqd->lock);
	if (!sqd->thread) {
		mutex_unlock(&sqd->lock);
		fput(file);
		return ERR_PTR(-ENXIO);
	}
	refcount_inc(&sqd->refs);
	mutex_unlock(&sqd->lock);
	fput(file);
	return sqd;
}

/* IORING_SETUP_SQ_AFF: a CPU that exists, is online and is ours. */
static int io_sq_check_cpu(int cpu)
{
	cpumask_var_t allowed;
	int ret = 0;

	if (cpu < 0 || cpu >= nr_cpu_ids || !cpu_online(cpu))
		return -EINVAL;
	if (!alloc_cpumask_var(&allowed, GFP_KERNEL))
		return -ENOMEM;
	/* the thread stays inside the creator's cpuset */
	cpuset_cpus_allowed(current, allowed);
	if (!cpumask_test_cpu(cpu, allowed))
		ret = -EINVAL;
	free_cpumask_var(allowed);
	return ret;
}

/**
 * io_sq_offload_create - give a new SQPOLL ring its submission thread
 * @ctx: the ring
 * @p: the setup parameters (sq_thread_idle in ms, sq_thread_cpu)
 *
 * The thread is created (or an existing one attached), but does not see
 * the ring until io_sq_offload_start(): setup may still fail, and then
 * the ring is freed without the thread ever having looked at it.
 *
 * Return: 0, or the LSM's verdict, -EINVAL, -ENXIO, -ENOMEM, ...
 */
int io_sq_offload_create(struct io_ring_ctx *ctx, struct io_uring_params *p)
{
	struct task_struct *tsk;
	struct io_sq_data *sqd;
	bool attached = false;
	int ret;

	/* a kernel thread working for the task: the LSMs may refuse it */
	ret = security_uring_sqpoll();
	if (ret)
		return ret;
	ctx->sq_thread_idle = msecs_to_jiffies(p->sq_thread_idle);
	if (!ctx->sq_thread_idle)
		ctx->sq_thread_idle = HZ;
	init_waitqueue_head(&ctx->sqo_sq_wait);
	ctx->sq_creds = get_current_cred();

	if (p->flags & IORING_SETUP_ATTACH_WQ) {
		sqd = io_attach_sq_data(p);
		/* another process' thread: start our own, as 6.12 does */
		if (IS_ERR(sqd) && PTR_ERR(sqd) != -EPERM)
			return PTR_ERR(sqd);
		attached = !IS_ERR(sqd);
	}
	if (!attached) {
		int cpu = -1;

		if (p->flags & IORING_SETUP_SQ_AFF) {
			cpu = p->sq_thread_cpu;
			ret = io_sq_check_cpu(cpu);
			if (ret)
				return ret;
		}
		sqd = kzalloc(sizeof(*sqd), GFP_KERNEL_ACCOUNT);
		if (!sqd)
			return -ENOMEM;
		refcount_set(&sqd->refs, 1);
		mutex_init(&sqd->lock);
		INIT_LIST_HEAD(&sqd->ctx_list);
		init_waitqueue_head(&sqd->wait);
		init_completion(&sqd->exited);
		sqd->cpu = cpu;
		sqd->task_tgid = current->tgid;
		sqd->task_pid = current->pid;
	}

	INIT_LIST_HEAD(&ctx->sqd_list);
	ctx->sq_data = sqd;
	if (attached) {
		/* the thread may be gone by the time we start: -EOWNERDEAD */
		return 0;
	}

	tsk = create_io_thread(io_sq_thread, sqd, NUMA_NO_NODE);
	if (IS_ERR(tsk)) {
		ctx->sq_data = NULL;
		kfree(sqd);
		return PTR_ERR(tsk);
	}
	sqd->thread = tsk;
	wake_up_new_task(tsk);
	return 0;
}

/**
 * io_sq_offload_start - let the submission thread serve a ring
 * @ctx: the ring, whose setup has succeeded
 */
void io_sq_offload_start(struct io_ring_ctx *ctx)
{
	struct io_sq_data *sqd = ctx->sq_data;

	mutex_lock(&sqd->lock);
	list_add(&ctx->sqd_list, &sqd->ctx_list);
	io_sqd_update_idle(sqd);
	mutex_unlock(&sqd->lock);
	/* it may be asleep with nothing else to do, or about to be */
	set_bit(IO_SQD_WAKE, &sqd->state);
	wake_up(&sqd->wait);
}

/*
 * Room as user space sees it: the thread's cached head moves before it
 * publishes sq.head, at the end of its batch, and only then are the slots
 * free to reuse.
 */
static bool io_sq_has_room(struct io_ring_ctx *ctx)
{
	/* pairs with the release store of sq.head in io_submit_sqes() */
	u32 head = smp_load_acquire(&ctx->rings->sq.head);

	return READ_ONCE(ctx->rings->sq.tail) - head < ctx->sq_entries;
}

/**
 * io_sqpoll_enter - io_uring_enter(2) on an SQPOLL ring
 * @ctx: the ring
 * @flags: IORING_ENTER_* flags
 *
 * The thread submits; we only wake it, or wait for room in the SQ.
 *
 * Return: 0, or -EOWNERDEAD if the thread is gone.
 */
int io_sqpoll_enter(struct io_ring_ctx *ctx, unsigned int flags)
{
	struct io_sq_data *sqd = ctx->sq_data;
	DEFINE_WAIT(wait);

	if (unlikely(!READ_ONCE(sqd->thread)))
		return -EOWNERDEAD;
	if (flags & IORING_ENTER_SQ_WAKEUP) {
		set_bit(IO_SQD_WAKE, &sqd->state);
		wake_up(&sqd->wait);
	}
	if (!(flags & IORING_ENTER_SQ_WAIT))
		return 0;
	for (;;) {
		prepare_to_wait(&ctx->sqo_sq_wait, &wait, TASK_INTERRUPTIBLE);
		if (io_sq_has_room(ctx) ||
		    signal_pending(current) || !READ_ONCE(sqd->thread))
			break;
		schedule();
	}
	finish_wait(&ctx->sqo_sq_wait, &wait);
	return 0;
}

/* For fdinfo: the submission thread's pid, -1 without one. */
int io_sq_thread_pid(struct io_ring_ctx *ctx)
{
	struct io_sq_data *sqd = ctx->sq_data;
	struct task_struct *tsk;
	int pid = -1;

	if (!sqd)
		return -1;
	/* no sqd->lock: the thread may hold it submitting our own read */
	rcu_read_lock();
	tsk = READ_ONCE(sqd->thread);
	if (tsk)
		pid = task_pid_nr(tsk);
	rcu_read_unlock();
	return pid;
}
