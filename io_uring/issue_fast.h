/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The inline first attempt of a request, shared by the submission loop
 * and the io worker callbacks (issue.c's callers on the hot path).
 */
#ifndef IOU_ISSUE_FAST_H
#define IOU_ISSUE_FAST_H

#include <linux/io_uring_types.h>
#include <linux/audit.h>
#include <trace/events/io_uring.h>
#include "io_uring.h"
#include "opdef.h"
#include "filetable.h"
#include "kbuf.h"
#include "poll.h"

static __always_inline int __io_assign_file(struct io_kiocb *req,
					    const struct io_op_def *def)
{
	if (req->file || !def->needs_file)
		return 0;
	if (trace_io_uring_file_get_enabled())
		trace_io_uring_file_get(req, req->fd);
	if (req->flags & IOSQE_FIXED_FILE)
		return io_file_get_fixed(req);
	req->file = fget(req->fd);
	return req->file ? 0 : -EBADF;
}

static __always_inline int io_assign_file(struct io_kiocb *req)
{
	return __io_assign_file(req, &io_op_defs[req->opcode]);
}

/*
 * Does the request skip the inline attempt? An op that always blocks
 * does, and IOSQE_ASYNC, except for what must run inline and for a
 * multishot op taking provided buffers: that one waits in a poll, never
 * in a worker, and IOSQE_ASYNC just skips its first attempt.
 */
static inline bool io_req_goes_iowq(struct io_kiocb *req, const struct io_op_def *def)
{
	if (def->blocking)
		return true;
	return (req->flags & IOSQE_ASYNC) && !def->inline_only &&
	       (req->flags & (REQ_F_MSHOT | IOSQE_BUFFER_SELECT)) !=
	       (REQ_F_MSHOT | IOSQE_BUFFER_SELECT);
}

/*
 * Run the op. Audited ops are wrapped the way a system call is: inline
 * this adds a URINGOP record to io_uring_enter's, from an io worker or
 * the SQPOLL thread it is a record of its own.
 */
static __always_inline int io_issue_op(struct io_kiocb *req,
				       const struct io_op_def *def,
				       unsigned int issue_flags)
{
	int ret;

	if (likely(!def->audit))
		return def->issue(req, issue_flags);
	audit_uring_entry(req->opcode);
	ret = def->issue(req, issue_flags);
	audit_uring_exit(ret >= 0, ret);
	return ret;
}

/*
 * Issue inline, without blocking; an op that would block is punted.
 * Inlined into the submission loop's fast path, which has @def (the
 * request's io_op_defs[] entry) at hand already.
 */
static __always_inline void __io_issue_req(struct io_kiocb *req,
					   const struct io_op_def *def)
{
	const struct cred *old = NULL;
	int ret;

	ret = __io_assign_file(req, def);
	if (unlikely(ret)) {
		io_req_fail(req, ret);
		return;
	}
	if (unlikely(req->flags & REQ_F_CREDS))
		old = override_creds(req->creds);
	ret = io_issue_op(req, def,
			  IO_URING_F_NONBLOCK | IO_URING_F_COMPLETE_DEFER);
	if (unlikely(old))
		revert_creds(old);
	if (ret == IOU_ISSUE_SKIP_COMPLETE)
		return;
	if (ret == -EAGAIN) {
		/* a buffer it took is not needed while it waits */
		io_kbuf_recycle(req);
		/* wait for the file in a poll, or else in an io worker */
		if (!def->poll_events || io_arm_apoll(req, def->poll_events))
			io_queue_iowq(req);
		return;
	}
	if (ret < 0)
		io_req_set_res(req, ret, 0);
	io_req_complete_defer(req);
}

#endif
