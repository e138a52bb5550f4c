/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The interface between io_uring and drivers implementing
 * file_operations->uring_cmd (IORING_OP_URING_CMD).
 */
#ifndef _LINUX_IO_URING_CMD_H
#define _LINUX_IO_URING_CMD_H

#include <uapi/linux/io_uring.h>
#include <linux/io_uring_types.h>

/* cmd->flags: only uring_cmd_flags from the SQE plus these */
#define IORING_URING_CMD_CANCELABLE	BIT(30)
/* on an IOPOLL ring, issued to ->uring_cmd_iopoll: the reaper posts it */
#define IORING_URING_CMD_POLLED		BIT(29)

/**
 * struct io_uring_cmd - a passthrough command as the driver sees it
 * @file: the file the command was issued on
 * @sqe: the SQE (stable for the life of the command)
 * @task_work_cb: set by io_uring_cmd_complete_in_task()
 * @cmd_op: the driver-specific operation (sqe->cmd_op)
 * @flags: IORING_URING_CMD_* flags
 * @pdu: private space for the driver
 */
struct io_uring_cmd {
	struct file	*file;
	const struct io_uring_sqe *sqe;
	void (*task_work_cb)(struct io_uring_cmd *cmd, unsigned int flags);
	u32		cmd_op;
	u32		flags;
	u8		pdu[32];
};

static inline const void *io_uring_sqe_cmd(const struct io_uring_sqe *sqe)
{
	return sqe->cmd;
}

#define io_uring_cmd_to_pdu(cmd, pdu_type) ({				\
	BUILD_BUG_ON(sizeof(pdu_type) > sizeof_field(struct io_uring_cmd, pdu)); \
	((pdu_type *)&(cmd)->pdu);	/* pdu_type is a type name */	\
})

#if defined(CONFIG_IO_URING)
int io_uring_cmd_import_fixed(u64 ubuf, unsigned long len, int rw,
			      struct iov_iter *iter, void *ioucmd);
void io_uring_cmd_done(struct io_uring_cmd *cmd, ssize_t ret, u64 res2,
		       unsigned int issue_flags);
typedef void (*io_uring_cmd_tw_t)(struct io_uring_cmd *cmd,
				  unsigned int issue_flags);

void __io_uring_cmd_do_in_task(struct io_uring_cmd *cmd,
			       io_uring_cmd_tw_t task_work_cb,
			       unsigned int flags);
void io_uring_cmd_mark_cancelable(struct io_uring_cmd *cmd,
				  unsigned int issue_flags);
void io_uring_cmd_issue_blocking(struct io_uring_cmd *cmd);
struct task_struct *io_uring_cmd_get_task(struct io_uring_cmd *cmd);
#else
static inline int io_uring_cmd_import_fixed(u64 ubuf, unsigned long len,
					    int rw, struct iov_iter *iter,
					    void *ioucmd)
{
	return -EOPNOTSUPP;
}

static inline void io_uring_cmd_done(struct io_uring_cmd *cmd, ssize_t ret,
				     u64 res2, unsigned int issue_flags)
{
}

typedef void (*io_uring_cmd_tw_t)(struct io_uring_cmd *cmd,
				  unsigned int issue_flags);

static inline void __io_uring_cmd_do_in_task(struct io_uring_cmd *cmd,
					     io_uring_cmd_tw_t task_work_cb,
					     unsigned int flags)
{
}

static inline void io_uring_cmd_mark_cancelable(struct io_uring_cmd *cmd,
						unsigned int issue_flags)
{
}

static inline void io_uring_cmd_issue_blocking(struct io_uring_cmd *cmd)
{
}

static inline struct task_struct *io_uring_cmd_get_task(struct io_uring_cmd *cmd)
{
	return NULL;
}
#endif

/* Complete later from the submitting task; a later completion may batch. */
static inline void io_uring_cmd_do_in_task_lazy(struct io_uring_cmd *cmd,
						io_uring_cmd_tw_t task_work_cb)
{
	__io_uring_cmd_do_in_task(cmd, task_work_cb, 1);
}

static inline void io_uring_cmd_complete_in_task(struct io_uring_cmd *cmd,
						 io_uring_cmd_tw_t task_work_cb)
{
	__io_uring_cmd_do_in_task(cmd, task_work_cb, 0);
}

#endif /* _LINUX_IO_URING_CMD_H */
