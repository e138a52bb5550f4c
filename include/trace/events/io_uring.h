/* SPDX-License-Identifier: GPL-2.0 */
/*
 * io_uring tracepoints. The event names and the fields tools read
 * (ctx, req, user_data, opcode, res, ...) follow the ones user space
 * already knows; op_str gives the opcode's name.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM io_uring

#if !defined(_TRACE_IO_URING_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_IO_URING_H

#include <linux/tracepoint.h>
#include <linux/io_uring_types.h>
#include <uapi/linux/io_uring.h>

const char *io_uring_get_opcode(u8 opcode);

/* Request events start their line with this. */
#define IO_URING_REQ_FMT	"ring %p req %p user_data 0x%llx"

/*
 * Events about one request as it moves on: its flags and whether the
 * SQPOLL thread took it.
 */
DECLARE_EVENT_CLASS(io_uring_req_event,
	TP_PROTO(struct io_kiocb *req), TP_ARGS(req),
	TP_STRUCT__entry(
		__field(void *, ctx) __field(void *, req)
		__field(unsigned long long, user_data) __field(u8, opcode)
		__field(unsigned int, flags) __field(bool, sq_thread)
		__string(op_str,	io_uring_get_opcode(req->opcode))
	),
	TP_fast_assign(
		__entry->ctx = req->ctx; __entry->req = req;
		__entry->user_data = req->cqe.user_data; __entry->opcode = req->opcode;
		__entry->flags = req->flags;
		__entry->sq_thread = req->ctx->flags & IORING_SETUP_SQPOLL;
		__assign_str(op_str);
	),
	TP_printk(IO_URING_REQ_FMT " %s flags 0x%x%s",
		  __entry->ctx, __entry->req, __entry->user_data,
		  __get_str(op_str), __entry->flags,
		  __entry->sq_thread ? " (sqpoll)" : "")
);

/* io_uring_submit_req - a request was taken from the SQ */
DEFINE_EVENT(io_uring_req_event, io_uring_submit_req,
	TP_PROTO(struct io_kiocb *req), TP_ARGS(req)
);

/* io_uring_defer - a request waits for IOSQE_IO_DRAIN */
DEFINE_EVENT(io_uring_req_event, io_uring_defer,
	TP_PROTO(struct io_kiocb *req), TP_ARGS(req)
);

/**
 * io_uring_complete - a CQE is written to the ring
 * @ctx: the ring
 * @req: the request, or NULL for a CQE of no request (tags, messages)
 * @user_data: cqe->user_data
 * @res: cqe->res
 * @cflags: cqe->flags
 * @extra1: big_cqe[0] (IORING_SETUP_CQE32)
 * @extra2: big_cqe[1]
 */
TRACE_EVENT(io_uring_complete,
	TP_PROTO(void *ctx, void *req, u64 user_data, int res, unsigned int cflags,
		 u64 extra1, u64 extra2),
	TP_ARGS(ctx, req, user_data, res, cflags, extra1, extra2),
	TP_STRUCT__entry(
		__field(void *, ctx) __field(void *, req)
		__field(u64, user_data) __field(int, res)
		__field(unsigned int, cflags) __field(u64, extra1)
		__field(u64,		extra2)
	),
	TP_fast_assign(
		__entry->ctx = ctx; __entry->req = req;
		__entry->user_data = user_data; __entry->res = res;
		__entry->cflags = cflags; __entry->extra1 = extra1;
		__entry->extra2		= extra2;
	),
	TP_printk(IO_URING_REQ_FMT " res %d cflags 0x%x extra 0x%llx 0x%llx",
		  __entry->ctx, __entry->req, __entry->user_data, __entry->res,
		  __entry->cflags, __entry->extra1, __entry->extra2)
);

/**
 * io_uring_cqe_overflow - a CQE did not fit and waits on the overflow list
 * @ctx: the ring
 * @user_data: cqe->user_data
 * @res: cqe->res
 * @cflags: cqe->flags
 * @ocqe: the list entry, NULL if it could not be allocated (CQE lost)
 */
TRACE_EVENT(io_uring_cqe_overflow,
	TP_PROTO(void *ctx, u64 user_data, s32 res, u32 cflags, void *ocqe),
	TP_ARGS(ctx, user_data, res, cflags, ocqe),
	TP_STRUCT__entry(
		__field(void *, ctx) __field(u64, user_data)
		__field(s32, res) __field(u32, cflags)
		__field(void *,	ocqe)
	),
	TP_fast_assign(
		__entry->ctx = ctx; __entry->user_data = user_data;
		__entry->res = res; __entry->cflags = cflags;
		__entry->ocqe		= ocqe;
	),
	TP_printk("ring %p user_data 0x%llx res %d cflags 0x%x %s",
		  __entry->ctx, __entry->user_data, __entry->res,
		  __entry->cflags, __entry->ocqe ? "kept" : "dropped")
);

/**
 * io_uring_cqring_wait - io_uring_enter(2) waits for completions
 * @ctx: the ring
 * @min_events: how many it waits for
 */
TRACE_EVENT(io_uring_cqring_wait,
	TP_PROTO(void *ctx, int min_events), TP_ARGS(ctx, min_events),
	TP_STRUCT__entry(
		__field(void *, ctx) __field(int, min_events)
	),
	TP_fast_assign(
		__entry->ctx = ctx; __entry->min_events = min_events;
	),
	TP_printk("ring %p waits for %d", __entry->ctx, __entry->min_events)
);

/**
 * io_uring_create - a ring was set up
 * @fd: the ring's fd (or registered index)
 * @ctx: the ring
 * @sq_entries: SQ size
 * @cq_entries: CQ size
 * @flags: IORING_SETUP_* flags
 */
TRACE_EVENT(io_uring_create,
	TP_PROTO(int fd, void *ctx, u32 sq_entries, u32 cq_entries, u32 flags),
	TP_ARGS(fd, ctx, sq_entries, cq_entries, flags),
	TP_STRUCT__entry(
		__field(int, fd) __field(void *, ctx)
		__field(u32, sq_entries) __field(u32, cq_entries)
		__field(u32,	flags)
	),
	TP_fast_assign(
		__entry->fd = fd; __entry->ctx = ctx;
		__entry->sq_entries = sq_entries; __entry->cq_entries = cq_entries;
		__entry->flags		= flags;
	),
	TP_printk("ring %p fd %d sq %u cq %u setup flags 0x%x",
		  __entry->ctx, __entry->fd, __entry->sq_entries,
		  __entry->cq_entries, __entry->flags)
);

/**
 * io_uring_fail_link - a linked request is cancelled by an earlier failure
 * @req: the request that failed
 * @link: the request cancelled after it
 */
TRACE_EVENT(io_uring_fail_link,
	TP_PROTO(struct io_kiocb *req, struct io_kiocb *link), TP_ARGS(req, link),
	TP_STRUCT__entry(
		__field(void *, ctx) __field(void *, req)
		__field(unsigned long long, user_data) __field(u8, opcode)
		__field(void *,	link)
		__string(op_str,	io_uring_get_opcode(req->opcode))
	),
	TP_fast_assign(
		__entry->ctx = req->ctx; __entry->req = req;
		__entry->user_data = req->cqe.user_data; __entry->opcode = req->opcode;
		__entry->link		= link;
		__assign_str(op_str);
	),
	TP_printk(IO_URING_REQ_FMT " %s failed: cancels %p",
		  __entry->ctx, __entry->req, __entry->user_data,
		  __get_str(op_str), __entry->link)
);

/**
 * io_uring_file_get - a request's file is looked up, at issue
 * @req: the request
 * @fd: the fd or fixed slot it names
 */
TRACE_EVENT(io_uring_file_get,
	TP_PROTO(struct io_kiocb *req, int fd), TP_ARGS(req, fd),
	TP_STRUCT__entry(
		__field(void *, ctx) __field(void *, req)
		__field(unsigned long long, user_data) __field(u8, opcode)
		__field(int,	fd)
	),
	TP_fast_assign(
		__entry->ctx = req->ctx; __entry->req = req;
		__entry->user_data = req->cqe.user_data; __entry->opcode = req->opcode;
		__entry->fd		= fd;
	),
	TP_printk(IO_URING_REQ_FMT " fd %d",
		  __entry->ctx, __entry->req, __entry->user_data, __entry->fd)
);

/**
 * io_uring_link - a request joins an IOSQE_IO_LINK chain
 * @req: the request
 * @target_req: the chain's head
 */
TRACE_EVENT(io_uring_link,
	TP_PROTO(struct io_kiocb *req, struct io_kiocb *target_req), TP_ARGS(req, target_req),
	TP_STRUCT__entry(
		__field(void *, ctx) __field(void *, req)
		__field(void *,	target_req)
	),
	TP_fast_assign(
		__entry->ctx = req->ctx; __entry->req = req;
		__entry->target_req	= target_req;
	),
	TP_printk("ring %p req %p linked after head %p",
		  __entry->ctx, __entry->req, __entry->target_req)
);

/**
 * io_uring_local_work_run - DEFER_TASKRUN work ran in the issuer's wait
 * @ctx: the ring
 * @count: how many requests it handled
 */
TRACE_EVENT(io_uring_local_work_run,
	TP_PROTO(void *ctx, unsigned int count), TP_ARGS(ctx, count),
	TP_STRUCT__entry(
		__field(void *, ctx) __field(unsigned int, count)
	),
	TP_fast_assign(
		__entry->ctx = ctx; __entry->count = count;
	),
	TP_printk("ring %p ran %u deferred", __entry->ctx, __entry->count)
);

/**
 * io_uring_poll_arm - a request waits in a poll (POLL_ADD or internal)
 * @req: the request
 * @mask: what the file reported when armed
 * @events: what it waits for
 */
TRACE_EVENT(io_uring_poll_arm,
	TP_PROTO(struct io_kiocb *req, int mask, int events), TP_ARGS(req, mask, events),
	TP_STRUCT__entry(
		__field(void *, ctx) __field(void *, req)
		__field(unsigned long long, user_data) __field(u8, opcode)
		__field(int, mask) __field(int, events)
		__string(op_str,	io_uring_get_opcode(req->opcode))
	),
	TP_fast_assign(
		__entry->ctx = req->ctx; __entry->req = req;
		__entry->user_data = req->cqe.user_data; __entry->opcode = req->opcode;
		__entry->mask = mask; __entry->events = events;
		__assign_str(op_str);
	),
	TP_printk(IO_URING_REQ_FMT " %s waits for 0x%x (ready 0x%x)",
		  __entry->ctx, __entry->req, __entry->user_data,
		  __get_str(op_str), __entry->events, __entry->mask)
);

/**
 * io_uring_queue_async_work - a request goes to an io worker
 * @req: the request
 * @rw: 1 for an unbound (may block for ever) worker, 0 for a bounded one
 */
TRACE_EVENT(io_uring_queue_async_work,
	TP_PROTO(struct io_kiocb *req, int rw), TP_ARGS(req, rw),
	TP_STRUCT__entry(
		__field(void *, ctx) __field(void *, req)
		__field(unsigned long long, user_data) __field(u8, opcode)
		__field(unsigned int, flags) __field(struct io_wq_work *, work)
		__field(int,		rw)
		__string(op_str,	io_uring_get_opcode(req->opcode))
	),
	TP_fast_assign(
		__entry->ctx = req->ctx; __entry->req = req;
		__entry->user_data = req->cqe.user_data; __entry->opcode = req->opcode;
		__entry->flags = req->flags; __entry->work = &req->work;
		__entry->rw		= rw;
		__assign_str(op_str);
	),
	TP_printk(IO_URING_REQ_FMT " %s flags 0x%x %s work %p",
		  __entry->ctx, __entry->req, __entry->user_data,
		  __get_str(op_str), __entry->flags,
		  __entry->rw ? "unbound" : "bound", __entry->work)
);

/**
 * io_uring_register - io_uring_register(2) returned
 * @ctx: the ring
 * @opcode: IORING_REGISTER_* op
 * @nr_files: registered files afterwards
 * @nr_bufs: registered buffers afterwards
 * @ret: the syscall's result
 */
TRACE_EVENT(io_uring_register,
	TP_PROTO(void *ctx, unsigned int opcode, unsigned int nr_files,
		 unsigned int nr_bufs, long ret),
	TP_ARGS(ctx, opcode, nr_files, nr_bufs, ret),
	TP_STRUCT__entry(
		__field(void *, ctx) __field(unsigned int, opcode)
		__field(unsigned int, nr_files) __field(unsigned int, nr_bufs)
		__field(long,		ret)
	),
	TP_fast_assign(
		__entry->ctx = ctx; __entry->opcode = opcode;
		__entry->nr_files = nr_files; __entry->nr_bufs = nr_bufs;
		__entry->ret		= ret;
	),
	TP_printk("ring %p register op %u -> %ld (files %u, buffers %u)",
		  __entry->ctx, __entry->opcode, __entry->ret,
		  __entry->nr_files, __entry->nr_bufs)
);

/**
 * io_uring_req_failed - an SQE was refused at submission
 * @sqe: the SQE as user space wrote it
 * @req: the request made of it
 * @error: the errno its CQE carries
 */
TRACE_EVENT(io_uring_req_failed,
	TP_PROTO(const struct io_uring_sqe *sqe, struct io_kiocb *req, int error),
	TP_ARGS(sqe, req, error),
	TP_STRUCT__entry(
		__field(void *, ctx) __field(void *, req)
		__field(unsigned long long, user_data) __field(u8, opcode)
		__field(u8, flags) __field(u8, ioprio)
		__field(u64, off) __field(u64, addr)
		__field(u32, len) __field(u32, op_flags)
		__field(u16, buf_index) __field(u16, personality)
		__field(u32, file_index) __field(u64, addr3)
		__field(int,	error)
		__string(op_str,	io_uring_get_opcode(sqe->opcode))
	),
	TP_fast_assign(
		__entry->ctx = req->ctx; __entry->req = req;
		__entry->user_data = sqe->user_data; __entry->opcode = sqe->opcode;
		__entry->flags = sqe->flags; __entry->ioprio = sqe->ioprio;
		__entry->off = sqe->off; __entry->addr = sqe->addr;
		__entry->len = sqe->len; __entry->op_flags = sqe->rw_flags;
		__entry->buf_index = sqe->buf_index; __entry->personality = sqe->personality;
		__entry->file_index = sqe->file_index; __entry->addr3 = sqe->addr3;
		__entry->error		= error;
		__assign_str(op_str);
	),
	TP_printk(IO_URING_REQ_FMT " %s: error %d (flags 0x%x off %llu addr 0x%llx len %u op_flags 0x%x buf_index %u personality %u file_index %u addr3 0x%llx)",
		  __entry->ctx, __entry->req, __entry->user_data,
		  __get_str(op_str), __entry->error, __entry->flags,
		  __entry->off, __entry->addr, __entry->len,
		  __entry->op_flags, __entry->buf_index,
		  __entry->personality, __entry->file_index, __entry->addr3)
);

/**
 * io_uring_short_write - a buffered write on a regular file came up short
 * @ctx: the ring
 * @fpos: where it wrote
 * @wanted: bytes asked for
 * @got: bytes written
 */
TRACE_EVENT(io_uring_short_write,
	TP_PROTO(void *ctx, u64 fpos, u64 wanted, u64 got), TP_ARGS(ctx, fpos, wanted, got),
	TP_STRUCT__entry(
		__field(void *, ctx) __field(u64, fpos)
		__field(u64, wanted) __field(u64, got)
	),
	TP_fast_assign(
		__entry->ctx = ctx; __entry->fpos = fpos;
		__entry->wanted = wanted; __entry->got = got;
	),
	TP_printk("ring %p at %llu: %llu of %llu bytes", __entry->ctx,
		  __entry->fpos, __entry->got, __entry->wanted)
);

/**
 * io_uring_task_add - a poll wakeup hands the request to its task
 * @req: the request
 * @mask: the events that woke it
 */
TRACE_EVENT(io_uring_task_add,
	TP_PROTO(struct io_kiocb *req, int mask), TP_ARGS(req, mask),
	TP_STRUCT__entry(
		__field(void *, ctx) __field(void *, req)
		__field(unsigned long long, user_data) __field(u8, opcode)
		__field(int,	mask)
		__string(op_str,	io_uring_get_opcode(req->opcode))
	),
	TP_fast_assign(
		__entry->ctx = req->ctx; __entry->req = req;
		__entry->user_data = req->cqe.user_data; __entry->opcode = req->opcode;
		__entry->mask		= mask;
		__assign_str(op_str);
	),
	TP_printk(IO_URING_REQ_FMT " %s woken by 0x%x",
		  __entry->ctx, __entry->req, __entry->user_data,
		  __get_str(op_str), __entry->mask)
);

/**
 * io_uring_task_work_run - a task ran its queued io_uring work
 * @tctx: the task's io_uring state
 * @count: how many requests it handled
 */
TRACE_EVENT(io_uring_task_work_run,
	TP_PROTO(void *tctx, unsigned int count), TP_ARGS(tctx, count),
	TP_STRUCT__entry(
		__field(void *, tctx) __field(unsigned int, count)
	),
	TP_fast_assign(
		__entry->tctx = tctx; __entry->count = count;
	),
	TP_printk("tctx %p ran %u", __entry->tctx, __entry->count)
);

#endif /* _TRACE_IO_URING_H */

/* This part must be outside protection */
#include <trace/define_trace.h>
