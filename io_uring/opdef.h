/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_OPDEF_H
#define IOU_OPDEF_H

#include <linux/types.h>

struct io_kiocb;
struct io_uring_sqe;
struct io_comp_batch;
struct io_uring_bpf_ctx;

/**
 * struct io_op_def - how the core handles one opcode
 * @name: name for fdinfo and tracing
 * @needs_file: sqe->fd names a file the core looks up before ->issue
 * @hash_reg_file: in io-wq, serialize with other work on the same
 *	regular file (buffered writes)
 * @unbound_nonreg_file: in io-wq, work on anything but a regular file or
 *	block device may block for ever: give it an unbounded worker
 * @inline_only: always issued by the submitting task, IOSQE_ASYNC or not
 *	(polls, timeouts: they only arm something and never block)
 * @buffer_select: takes IOSQE_BUFFER_SELECT (a provided buffer)
 * @iopoll: IORING_SETUP_IOPOLL rings may issue it (polled completion)
 * @sqe128: a 128-byte SQE: two slots of an IORING_SETUP_SQE_MIXED ring
 * @blocking: always blocks (fsync, path lookups, xattrs): issued from
 *	io-wq straight away, never tried inline; ->issue never sees
 *	IO_URING_F_NONBLOCK
 * @audit: ->issue is wrapped in audit_uring_entry()/audit_uring_exit(),
 *	so auditd sees it as it would the system call (ops on paths, fds,
 *	sockets and file state; the data path and ring-internal ops are
 *	not audited, as a read(2) usually is not)
 * @poll_events: an -EAGAIN from ->issue parks the request in an internal
 *	poll for these events (EPOLLIN/EPOLLOUT) instead of io-wq
 * @prep: validate the SQE and copy what the op needs; no side effects
 * @issue: run the op; returns IOU_OK, IOU_ISSUE_SKIP_COMPLETE or -errno
 * @cleanup: release what ->prep took; an op that sets REQ_F_NEED_CLEANUP
 *	must provide it
 * @iopoll_poll: for a request on the ring's IOPOLL list (iopoll.c): poll
 *	its device; how many completed, or -errno. Required of an op whose
 *	->issue calls io_iopoll_add()
 * @iopoll_done: for one the poll found done: finish it; false if it was
 *	issued again instead. Without it, the request just completes.
 * @big_cqe: the second half of its 32-byte CQE (NOP's extra words, a
 *	command's res2); without it, zeroes
 * @notif_cqe_flags: cqe->flags of a request with a notification still
 *	to come (REQ_F_NOTIF: SEND_ZC's IORING_CQE_F_MORE)
 * @bpf_pdu: fill its payload of struct io_uring_bpf_ctx for the task's
 *	and ring's BPF filters (bpf_filter.c)
 * @bpf_pdu_size: the size of that payload (upstream's ABI: what a filter
 *	may read, and what IORING_REGISTER_BPF_FILTER reports)
 * @cancel: for a request on the ring's waiter list (io_waiter_add()):
 *	claim it against its wakeup and complete it with -ECANCELED; false
 *	if the wakeup won and completes it
 *
 * An opcode without @prep is not implemented and fails with -EINVAL.
 */
struct io_op_def {
	const char	*name;
	unsigned int	needs_file : 1;
	unsigned int	hash_reg_file : 1;
	unsigned int	unbound_nonreg_file : 1;
	unsigned int	inline_only : 1;
	unsigned int	buffer_select : 1;
	unsigned int	iopoll : 1;
	unsigned int	blocking : 1;
	unsigned int	audit : 1;
	unsigned int	sqe128 : 1;
	u8		bpf_pdu_size;
	__poll_t	poll_events;
	int (*prep)(struct io_kiocb *req, const struct io_uring_sqe *sqe);
	int (*issue)(struct io_kiocb *req, unsigned int issue_flags);
	void (*cleanup)(struct io_kiocb *req);
	int (*iopoll_poll)(struct io_kiocb *req, struct io_comp_batch *iob,
			   unsigned int poll_flags);
	bool (*iopoll_done)(struct io_kiocb *req);
	void (*big_cqe)(struct io_kiocb *req, u64 big[2]);
	u32 (*notif_cqe_flags)(struct io_kiocb *req);
	void (*bpf_pdu)(struct io_kiocb *req, struct io_uring_bpf_ctx *bctx);
	bool (*cancel)(struct io_kiocb *req);
};

extern const struct io_op_def io_op_defs[];

/* an opcode this kernel knows and implements */
static inline bool io_op_supported(u8 opcode)
{
	return opcode < IORING_OP_LAST && io_op_defs[opcode].prep;
}

const char *io_op_name(u8 opcode);
u8 io_op_last(void);
void io_op_defs_check(void);

#endif
