// SPDX-License-Identifier: GPL-2.0
/*
 * The io_uring file: io_uring_enter(2), poll, mmap, release and the ring's
 * teardown, and the module's init.
 *
 * Ordering with user space: the application writes SQEs and then the SQ
 * tail (release); we read the tail with acquire before reading SQEs, and
 * publish the SQ head with release once we are done with them. For the CQ
 * we write CQEs and then the CQ tail with release; the application reads
 * the tail with acquire and writes the CQ head when it has consumed them.
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
#include "eventfd.h"
#include "rsrc.h"
#include "filetable.h"
#include "register.h"
#include "rw.h"
#include "iopoll.h"
#include "poll.h"
#include "cancel.h"
#include "kbuf.h"
#include "memmap.h"
#include "sqpoll.h"
#include "napi.h"
#include "restrict.h"
#include "latency.h"
#include "cqe.h"
#include "req.h"
#include "wait.h"
#include "fdinfo.h"
#include "submit.h"
#include "tctx.h"

#define CREATE_TRACE_POINTS
#include <trace/events/io_uring.h>

static const struct file_operations io_uring_fops;

/**
 * io_is_uring_fops - tell whether a file is an io_uring instance
 * @file: the file
 *
 * SCM_RIGHTS refuses to pass ring files, so that a ring can never hold a
 * reference to itself through a unix socket it owns.
 *
 * Return: true for a ring's file.
 */
bool io_is_uring_fops(struct file *file)
{
	return file->f_op == &io_uring_fops;
}

/*
 * A ring current registered (IORING_REGISTER_RING_FDS), without a new
 * reference: the registration holds one, and the table is current's own,
 * so nothing else can drop it while current is in a system call.
 */
static struct file *io_uring_registered_file(unsigned int fd)
{
	struct io_uring_task *tctx = current->io_uring;
	struct file *file;

	if (!tctx || fd >= IO_RINGFD_REG_MAX)
		return ERR_PTR(-EINVAL);
	fd = array_index_nospec(fd, IO_RINGFD_REG_MAX);
	file = tctx->registered_rings[fd];
	return file ?: ERR_PTR(-EBADF);
}

/**
 * io_uring_ctx_get_file - look up a ring by fd or registered index
 * @fd: file descriptor, or index into the task's registered rings
 * @registered: @fd is a registered index
 *
 * Return: a referenced file, or an ERR_PTR.
 */
struct file *io_uring_ctx_get_file(unsigned int fd, bool registered)
{
	struct file *file;

	if (registered) {
		file = io_uring_registered_file(fd);
		if (!IS_ERR(file))
			get_file(file);
		return file;
	}
	file = fget(fd);
	if (!file)
		return ERR_PTR(-EBADF);
	if (!io_is_uring_fops(file)) {
		fput(file);
		return ERR_PTR(-EOPNOTSUPP);
	}
	return file;
}

/* current's io_uring state, with @ctx among the rings its exit cancels */
static __always_inline int io_submit_prepare(struct io_ring_ctx *ctx)
{
	int ret = io_uring_alloc_task_context(current);

	return ret ?: io_tctx_track_ctx(ctx);
}

/*
 * @getevents: the enter waits next. The DEFER_TASKRUN work it would run
 * first runs now instead, under this hold of uring_lock rather than a
 * second one. Only the issuer runs it, as in the wait.
 */
static long io_submit_locked(struct io_ring_ctx *ctx, unsigned int nr,
			     bool getevents)
{
	int ret;

	ret = io_submit_prepare(ctx);
	if (ret)
		return ret;
	mutex_lock(&ctx->uring_lock);
	ret = io_submit_sqes(ctx, nr);
	if (getevents && ret == nr && io_is_defer_issuer(ctx))
		io_run_local_work_locked(ctx);
	mutex_unlock(&ctx->uring_lock);
	return ret;
}

/*
 * An IOPOLL ring without SQPOLL: the caller finds its completions by
 * polling. Submission and the reaper share one hold of uring_lock, as a
 * polled submit-and-reap loop (fio's) enters once per I/O. An enter that
 * submits nothing and finds CQEs waiting returns without the lock, as
 * before: another thread may hold it for long (a submission faulting in
 * a userfaultfd buffer that this very caller is to serve). The wait
 * arguments are read before the lock (user memory may fault) and only
 * checked: a polled wait has no timeout and no sigmask. Inline in the
 * system call, as io_enter() is: one frame for a polled enter too.
 */
static __always_inline long io_enter_iopoll(struct io_ring_ctx *ctx,
					    u32 to_submit, u32 min_complete,
					    u32 flags,
					    const void __user *argp,
					    size_t argsz)
{
	/* written by io_get_wait_args() before any read: not zeroed first */
	struct io_wait_args args __uninitialized;
	long submitted = 0;
	int ret = 0, wait_ret = 0;

	if (to_submit) {
		if (unlikely(ctx->submitter_task &&
			     ctx->submitter_task != current))
			return -EEXIST;
		ret = io_submit_prepare(ctx);
		if (ret)
			return ret;
	}
	if (flags & IORING_ENTER_GETEVENTS) {
		if ((ctx->flags & IORING_SETUP_DEFER_TASKRUN) &&
		    !io_is_defer_issuer(ctx))
			wait_ret = -EEXIST;
		else
			wait_ret = io_get_wait_args(ctx, flags, argp, argsz,
						    &args);
	}
	if (!to_submit) {
		io_cqring_overflow_flush(ctx);
		if (!(flags & IORING_ENTER_GETEVENTS) || wait_ret ||
		    io_cqring_events(ctx))
			return wait_ret;
	}
	mutex_lock(&ctx->uring_lock);
	if (to_submit) {
		submitted = io_submit_sqes(ctx, to_submit);
		/* a short or failed submission returns without waiting */
		if (submitted != to_submit)
			goto out;
	}
	if (flags & IORING_ENTER_GETEVENTS)
		ret = wait_ret ?: io_iopoll_wait(ctx, min_complete);
out:
	mutex_unlock(&ctx->uring_lock);
	/* what was submitted is reported even if the wait failed */
	return submitted ?: ret;
}

/* inline: the system call's one frame for the whole submit-and-wait */
static __always_inline long io_enter(struct io_ring_ctx *ctx, u32 to_submit,
				     u32 min_complete, u32 flags,
				     const void __user *argp, size_t argsz)
{
	/* written by io_get_wait_args() before any read: not zeroed first */
	struct io_wait_args args __uninitialized;
	long submitted = 0;
	bool ready;
	int ret;

	if (unlikely(READ_ONCE(ctx->int_flags) & IO_CTX_DISABLED))
		return -EBADFD;
	ret = io_restrict_may_use(ctx);
	if (unlikely(ret))
		return ret;
	/* polled completions are found by polling, unless the thread does */
	if ((ctx->flags & (IORING_SETUP_IOPOLL | IORING_SETUP_SQPOLL)) ==
	    IORING_SETUP_IOPOLL)
		return io_enter_iopoll(ctx, to_submit, min_complete, flags,
				       argp, argsz);
	if (ctx->flags & IORING_SETUP_SQPOLL) {
		/* the thread submits: wake it, or wait for SQ room */
		ret = io_sqpoll_enter(ctx, flags);
		if (ret)
			return ret;
		submitted = to_submit;
		io_cqring_overflow_flush(ctx);
	} else if (to_submit) {
		/* IORING_SETUP_SINGLE_ISSUER: nobody else submits */
		if (unlikely(ctx->submitter_task &&
			     ctx->submitter_task != current))
			return -EEXIST;
		submitted = io_submit_locked(ctx, to_submit,
					     flags & IORING_ENTER_GETEVENTS);
		/* a short or failed submission returns without waiting */
		if (submitted != to_submit)
			return submitted;
	} else {
		io_cqring_overflow_flush(ctx);
	}
	if (!(flags & IORING_ENTER_GETEVENTS))
		return submitted;
	/* DEFER_TASKRUN: only the issuer runs the ring's completions */
	if ((ctx->flags & IORING_SETUP_DEFER_TASKRUN) &&
	    !io_is_defer_issuer(ctx))
		return submitted ?: -EEXIST;
	/* (the static key tested inline, as io_write_cqe() does) */
	if (trace_io_uring_cqring_wait_enabled())
		trace_io_uring_cqring_wait(ctx, min_complete);
	/* nothing to wait for, and no argument to check: no wait set up */
	ready = io_cqring_wait_ready(ctx, min_complete);
	if (likely(!(flags & IORING_ENTER_EXT_ARG)) && ready)
		return submitted;
	ret = io_get_wait_args(ctx, flags, argp, argsz, &args);
	if (ret)
		return submitted ?: ret;
	if (!ready)
		ret = __io_cqring_wait(ctx, min_complete, flags, &args);
	/* what was submitted is reported even if the wait failed */
	return submitted ?: ret;
}

SYSCALL_DEFINE6(io_uring_enter, unsigned int, fd, u32, to_submit,
		u32, min_complete, u32, flags, const void __user *, argp,
		size_t, argsz)
{
	struct fd f = EMPTY_FD;
	struct file *file;
	long ret;

	if (flags & ~IO_ENTER_FLAGS)
		return -EINVAL;
	if (flags & IORING_ENTER_REGISTERED_RING) {
		file = io_uring_registered_file(fd);
		if (IS_ERR(file))
			return PTR_ERR(file);
	} else {
		/* as read(2) does: no reference unless the table is shared */
		f = fdget(fd);
		if (fd_empty(f))
			return -EBADF;
		file = fd_file(f);
		if (!io_is_uring_fops(file)) {
			fdput(f);
			return -EOPNOTSUPP;
		}
	}
	ret = io_enter(file->private_data, to_submit, min_complete, flags,
		       argp, argsz);
	/* (nothing to put for a registered ring's file) */
	fdput(f);
	return ret;
}

static __poll_t io_uring_poll(struct file *file, poll_table *wait)
{
	struct io_ring_ctx *ctx = file->private_data;
	struct io_rings *rings;
	__poll_t mask = 0;

	/* before we are on poll_wq: io_cq_wake() looks there only if set */
	WRITE_ONCE(ctx->cq_watched, true);
	poll_wait(file, &ctx->poll_wq, wait);
	/* a resize frees the rings it replaces a grace period later */
	guard(rcu)();
	rings = READ_ONCE(ctx->rings);
	/*
	 * Our flag and queue entry before our look at the tails, against
	 * the poster's tail store before its look at them (io_cq_wake()'s
	 * smp_mb()): one of the two sees the other. A read barrier would
	 * let the look pass the stores, and the wakeup be lost.
	 */
	smp_mb();
	if (READ_ONCE(rings->sq.tail) - ctx->cached_sq_head != ctx->sq_entries)
		mask |= EPOLLOUT | EPOLLWRNORM;
	/*
	 * DEFER_TASKRUN work waits for the issuer to enter: an event loop
	 * that polls the ring must be told to, or it sleeps on completions.
	 */
	if (READ_ONCE(ctx->cq_published) != READ_ONCE(rings->cq.head) ||
	    test_bit(IO_CHECK_CQ_OVERFLOW_BIT, &ctx->check_cq) ||
	    !llist_empty(&ctx->work_llist))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

static int io_uring_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct io_ring_ctx *ctx = file->private_data;
	loff_t off = (loff_t)vma->vm_pgoff << PAGE_SHIFT;
	struct io_region *region;
	int ret;

	/* not a ring from outside a sandbox: its SQ is as good as enter */
	ret = io_restrict_may_use(ctx);
	if (ret)
		return ret;
	/* the group id shares bits with the mask: test this one first */
	if ((off & IORING_OFF_PBUF_RING) == IORING_OFF_PBUF_RING)
		return io_pbuf_mmap(ctx, vma, (off & ~IORING_OFF_PBUF_RING) >>
					      IORING_OFF_PBUF_SHIFT);
	/* a region the kernel allocated (IORING_REGISTER_MEM_REGION) */
	if ((off & IORING_OFF_MMAP_MASK) == IO_OFF_PARAM_REGION) {
		guard(mutex)(&ctx->mmap_lock);
		return io_region_mmap(&ctx->param_region, vma,
				      (off & ~IORING_OFF_MMAP_MASK) >> PAGE_SHIFT);
	}
	/* rings in user memory are user space's own to map */
	if (ctx->flags & IORING_SETUP_NO_MMAP)
		return -EINVAL;
	switch (off & IORING_OFF_MMAP_MASK) {
	case IORING_OFF_SQ_RING:
	case IORING_OFF_CQ_RING:
		region = &ctx->ring_region;
		break;
	case IORING_OFF_SQES:
		region = &ctx->sqe_region;
		break;
	default:
		return -EINVAL;
	}
	/* a resize swaps the regions under this lock: map one or the other */
	guard(mutex)(&ctx->mmap_lock);
	/* a mapping may start at any page of the region; it must fit in it */
	return io_region_mmap(region, vma,
			      (off & ~IORING_OFF_MMAP_MASK) >> PAGE_SHIFT);
}

/**
 * io_ring_ctx_free - free a ring once nothing refers to it
 * @ctx: the ring: no request, no file, no mapping left
 */
void io_ring_ctx_free(struct io_ring_ctx *ctx)
{
	/* no request is left: what removed resources waited for is over */
	mutex_lock(&ctx->uring_lock);
	io_rsrc_gen_free(ctx);
	mutex_unlock(&ctx->uring_lock);

	io_cq_overflow_free(ctx);
	/* each cached request held the ring: the last went with the refs */
	WARN_ON_ONCE(ctx->free_reqs);
	/* nothing may read the rings below once they are gone */
	io_sq_thread_finish(ctx);
	irq_work_sync(&ctx->poll_wq_work);
	io_eventfd_unregister(ctx);
	io_kbuf_destroy_all(ctx);
	io_rw_cache_free(ctx);
	io_apoll_cache_free(ctx);
	io_napi_free(ctx);
	io_restrict_ring_free(ctx);
	io_lat_free(ctx);
	kvfree(ctx->poll_hash);
	xa_destroy(&ctx->personalities);
	/* pinned ring memory is unaccounted against the mm and user below */
	io_region_free(ctx, &ctx->ring_region);
	io_region_free(ctx, &ctx->sqe_region);
	io_region_free(ctx, &ctx->param_region);
	if (ctx->sq_creds)
		put_cred(ctx->sq_creds);
	if (ctx->submitter_task)
		put_task_struct(ctx->submitter_task);
	if (ctx->mm_account)
		mmdrop(ctx->mm_account);
	if (ctx->user)
		free_uid(ctx->user);
	percpu_ref_exit(&ctx->refs);
	mutex_destroy(&ctx->uring_lock);
	kfree(ctx);
}

void io_ring_ctx_ref_free(struct percpu_ref *ref)
{
	struct io_ring_ctx *ctx = container_of(ref, struct io_ring_ctx, refs);

	complete(&ctx->ref_comp);
}

/*
 * Teardown runs from a worker: requests still in flight hold ctx->refs,
 * and we must not make the task that closed the file wait for them.
 *
 * Most are gone in a moment, and the worker waits for them. What is left
 * after a second may stay as long as user space likes (a zero-copy
 * notification waits for the peer to read, a task stopped by a signal
 * runs no task_work): from then on the work comes back once a second
 * instead of keeping a worker of the shared workqueue busy.
 */
void io_ring_exit_work(struct work_struct *work)
{
	struct io_ring_ctx *ctx = container_of(to_delayed_work(work),
					       struct io_ring_ctx, exit_work);

	/* a fuzzer sees the teardown as part of the ring creator's run */
	kcov_remote_start_common(ctx->kcov_handle);
	if (!ctx->exit_began) {
		ctx->exit_began = true;
		ctx->exit_start = jiffies;
		ctx->exit_overdue_start = jiffies;
		/* the submission thread lets go of the ring first */
		io_sq_thread_finish(ctx);
		/* exiting tasks no longer come here to cancel their requests */
		io_ctx_untrack_tasks(ctx);
		mutex_lock(&ctx->uring_lock);
		/* the table's references go; in-flight requests keep their own */
		io_unregister_files(ctx);
		io_unregister_buffers(ctx);
		io_unregister_personalities(ctx);
		mutex_unlock(&ctx->uring_lock);
	}

	/* every wait place, until the last request is gone */
	for (;;) {
		struct io_cancel_walk w = { .all = true };
		/* past the first second, no sleeping in the worker */
		bool late = time_after(jiffies, ctx->exit_start + HZ);
		unsigned int nr_aux;

		/* deferred work whose issuer is gone: it cancels itself */
		io_run_local_work(ctx);
		mutex_lock(&ctx->uring_lock);
		io_cancel_walk(ctx, IO_CANCEL_RING, &w);
		io_flush_completions(ctx);
		/* cached requests hold the ring too (io_req_alloc()) */
		io_req_cache_free(ctx);
		nr_aux = ctx->nr_aux;
		mutex_unlock(&ctx->uring_lock);
		if (late ? try_wait_for_completion(&ctx->ref_comp) :
			   wait_for_completion_timeout(&ctx->ref_comp, HZ / 10))
			break;
		/* waiting for a peer to read is no hang */
		if (nr_aux)
			ctx->exit_overdue_start = jiffies;
		io_wait_overdue(ctx->exit_overdue_start, &ctx->exit_reported,
				"ring exit", -1);
		if (late) {
			kcov_remote_stop();
			queue_delayed_work(system_unbound_wq, &ctx->exit_work,
					   HZ);
			return;
		}
	}
	/* the last fallback run may still be unlocking the ring */
	flush_work(&ctx->fallback_work);
	/*
	 * Whoever queued the last task_work may still be looking at the
	 * ring from inside an RCU read section (io_req_task_work_add()).
	 */
	synchronize_rcu();
	io_ring_ctx_free(ctx);
	kcov_remote_stop();
}

static int io_uring_release(struct inode *inode, struct file *file)
{
	struct io_ring_ctx *ctx = file->private_data;

	file->private_data = NULL;
	/* flushes from now on free the requests they would cache */
	WRITE_ONCE(ctx->closing, true);
	percpu_ref_kill(&ctx->refs);
	queue_delayed_work(system_unbound_wq, &ctx->exit_work, 0);
	return 0;
}

/* A ring fd is only mapped, polled and closed; read/write are refused. */
static const struct file_operations io_uring_fops = {
	.mmap = io_uring_mmap, .poll = io_uring_poll,
	.show_fdinfo = io_uring_show_fdinfo, .release = io_uring_release,
};

/**
 * io_ring_file_create - the anonymous-inode file of a new ring
 * @ctx: the ring, which the file's release tears down
 *
 * Return: the file, or an ERR_PTR.
 */
struct file *io_ring_file_create(struct io_ring_ctx *ctx)
{
	return anon_inode_create_getfile("[io_uring]", &io_uring_fops, ctx,
					 O_RDWR | O_CLOEXEC, NULL);
}
