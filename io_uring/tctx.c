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
#include <linux/io_uring.h>

#include "io_uring.h"

static void io_tctx_task_work_fn(struct callback_head *cb);

/**
 * io_uring_alloc_task_context - give @task its io_uring state, once
 * @task: the task (current)
 */
int io_uring_alloc_task_context(struct task_struct *task)
{
	struct io_uring_task *tctx;

	if (likely(task->io_uring))
		return 0;
	tctx = kzalloc(sizeof(*tctx), GFP_KERNEL_ACCOUNT);
	if (!tctx)
		return -ENOMEM;
	init_llist_head(&tctx->task_list);
	init_task_work(&tctx->task_work, io_tctx_task_work_fn);
	task->io_uring = tctx;
	return 0;
}

static void io_tctx_task_work_fn(struct callback_head *cb)
{
	io_tctx_run_task_work(container_of(cb, struct io_uring_task, task_work));
}

void io_ringfd_unregister_all(struct io_uring_task *tctx)
{
	int i;

	for (i = 0; i < IO_RINGFD_REG_MAX; i++) {
		if (tctx->registered_rings[i]) {
			fput(tctx->registered_rings[i]);
			tctx->registered_rings[i] = NULL;
		}
	}
}

/*
 * Registered ring fds are references only this task can use; they do not
 * survive exec and must not keep rings alive after the task is gone.
 */
void __io_uring_task_exit(bool exec)
{
	struct io_uring_task *tctx = current->io_uring;

	io_ringfd_unregister_all(tctx);
	/* completions still queued to us run now, while we still can */
	io_run_task_work();
}

void __io_uring_free(struct task_struct *tsk)
{
	struct io_uring_task *tctx = tsk->io_uring;

	WARN_ON_ONCE(!llist_empty(&tctx->task_list));
	tsk->io_uring = NULL;
	kfree(tctx);
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

/**
 * io_ringfd_register - IORING_REGISTER_RING_FDS
 * @ctx: the ring the call came in on (unused: any ring may be registered)
 * @arg: array of struct io_uring_rsrc_update, offset -1U to pick a slot
 * @nr_args: entries in @arg
 *
 * Returns the number of entries registered; the chosen offsets are
 * written back. Stops at the first entry that fails.
 */
int io_ringfd_register(struct io_ring_ctx *ctx, void __user *arg,
		       unsigned int nr_args)
{
	struct io_uring_rsrc_update __user *uarg = arg;
	struct io_uring_rsrc_update reg;
	struct io_uring_task *tctx;
	int ret, i;

	if (!nr_args || nr_args > IO_RINGFD_REG_MAX)
		return -EINVAL;
	ret = io_uring_alloc_task_context(current);
	if (ret)
		return ret;
	tctx = current->io_uring;
	for (i = 0; i < nr_args; i++) {
		if (copy_from_user(&reg, &uarg[i], sizeof(reg))) {
			ret = -EFAULT;
			break;
		}
		if (reg.resv) {
			ret = -EINVAL;
			break;
		}
		ret = io_ringfd_add(tctx, reg.data, reg.offset);
		if (ret < 0)
			break;
		reg.offset = ret;
		if (copy_to_user(&uarg[i], &reg, sizeof(reg))) {
			fput(tctx->registered_rings[reg.offset]);
			tctx->registered_rings[reg.offset] = NULL;
			ret = -EFAULT;
			break;
		}
	}
	return i ? i : ret;
}

/**
 * io_ringfd_unregister - IORING_UNREGISTER_RING_FDS
 * @ctx: the ring the call came in on
 * @arg: array of struct io_uring_rsrc_update; only offset is used
 * @nr_args: entries in @arg
 */
int io_ringfd_unregister(struct io_ring_ctx *ctx, void __user *arg,
			 unsigned int nr_args)
{
	struct io_uring_rsrc_update __user *uarg = arg;
	struct io_uring_task *tctx = current->io_uring;
	struct io_uring_rsrc_update reg;
	int ret = 0, i;

	if (!nr_args || nr_args > IO_RINGFD_REG_MAX)
		return -EINVAL;
	if (!tctx)
		return 0;
	for (i = 0; i < nr_args; i++) {
		if (copy_from_user(&reg, &uarg[i], sizeof(reg))) {
			ret = -EFAULT;
			break;
		}
		if (reg.resv || reg.data || reg.offset >= IO_RINGFD_REG_MAX) {
			ret = -EINVAL;
			break;
		}
		reg.offset = array_index_nospec(reg.offset, IO_RINGFD_REG_MAX);
		if (tctx->registered_rings[reg.offset]) {
			fput(tctx->registered_rings[reg.offset]);
			tctx->registered_rings[reg.offset] = NULL;
		}
	}
	return i ? i : ret;
}
