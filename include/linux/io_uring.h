/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hooks the rest of the kernel calls into io_uring: task exit, exec,
 * fork, task free, and the SCM_RIGHTS check for ring files.
 */
#ifndef _LINUX_IO_URING_H
#define _LINUX_IO_URING_H

#include <linux/sched.h>
#include <linux/io_uring_types.h>

/* the SCM_RIGHTS check: rings never travel over unix sockets */
#if defined(CONFIG_IO_URING)
bool io_is_uring_fops(struct file *file);
#else
static inline bool io_is_uring_fops(struct file *file)
{
	return false;
}
#endif

/* task exit, exec and free */
#if defined(CONFIG_IO_URING)
void __io_uring_task_exit(bool exec);
void __io_uring_free(struct task_struct *tsk);
void __io_uring_free_restrict(struct task_struct *tsk);

/**
 * io_uring_files_cancel - cancel the exiting task's io_uring requests
 *
 * Called from do_exit(): requests the task submitted are cancelled and
 * waited for, and the task's registered ring fds are dropped.
 */
static inline void io_uring_files_cancel(void)
{
	if (current->io_uring)
		__io_uring_task_exit(false);
}

/**
 * io_uring_task_cancel - cancel io_uring activity across execve()
 */
static inline void io_uring_task_cancel(void)
{
	if (current->io_uring)
		__io_uring_task_exit(true);
}

/**
 * io_uring_free - release the io_uring state of a task being freed
 * @tsk: the task
 */
static inline void io_uring_free(struct task_struct *tsk)
{
	if (tsk->io_uring)
		__io_uring_free(tsk);
	if (tsk->io_uring_restrict)
		__io_uring_free_restrict(tsk);
}
#else
static inline void io_uring_files_cancel(void)
{
}

static inline void io_uring_task_cancel(void)
{
}

static inline void io_uring_free(struct task_struct *tsk)
{
}
#endif

/* the policy a task hands down to its children */
#if defined(CONFIG_IO_URING)
void __io_uring_fork(struct task_struct *p);

/**
 * io_uring_fork - a new task shares its parent's io_uring policy
 * @p: the child, in copy_process() past its last failure point
 *
 * The restrictions and BPF filters a task registered on fd -1 apply to
 * the rings its children create, as they do to its own.
 */
static inline void io_uring_fork(struct task_struct *p)
{
	if (current->io_uring_restrict)
		__io_uring_fork(p);
}
#else
static inline void io_uring_fork(struct task_struct *p)
{
}
#endif

#endif /* _LINUX_IO_URING_H */
