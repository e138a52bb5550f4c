// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_READ, WRITE, READV, WRITEV, READ_FIXED, WRITE_FIXED, and
 * READV_FIXED, WRITEV_FIXED (6.15: iovecs inside a registered buffer).
 *
 * The first attempt runs inline with IOCB_NOWAIT. If the file would
 * block, the request goes to io-wq, where it runs without IOCB_NOWAIT; a
 * read that got part of its data inline continues there for the rest, so
 * a regular file or block device only returns short at end of file.
 * Direct I/O completes from ->ki_complete, possibly in interrupt context:
 * the result travels to the submitter as task_work, and an -EAGAIN from
 * the device (REQ_NOWAIT) sends the request to io-wq.
 *
 * READ and READV (one iovec) may take a provided buffer instead
 * (IOSQE_BUFFER_SELECT); READ_MULTISHOT keeps reading a pollable file
 * into provided buffers, a CQE per buffer, until EOF or an error.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/uio.h>
#include <linux/slab.h>
#include <linux/compat.h>
#include <linux/ioprio.h>
#include <linux/blkdev.h>
#include <linux/blk-mq.h>
#include <linux/fsnotify.h>
#include <linux/poll.h>
#include <linux/pagemap.h>
#include <linux/io_uring_types.h>
#include <linux/io_uring/cmd.h>

#include "io_uring.h"
#include "opdef.h"
#include "rsrc.h"
#include "kbuf.h"
#include "rw.h"
#include "iopoll.h"
#include "poll.h"

#include <trace/events/io_uring.h>

struct io_rw {
	/* ki_filp aliases req->file */
	struct kiocb		kiocb;
	u64			addr;
	u32			len;
	rwf_t			flags;
};

/*
 * What a read or write keeps beyond the SQE: for READV/WRITEV the
 * imported iovec, stable for the life of the request (has_iter); for a
 * buffered read, the entry it waits on a locked folio with (IOCB_WAITQ).
 */
struct io_async_rw {
	union {
		struct iovec		fast_iov[UIO_FASTIOV];
		struct io_async_rw	*next_free;
	};
	struct iovec			*free_iov;
	/* READV_FIXED/WRITEV_FIXED: the registered pages the iovecs name */
	struct bio_vec			*bvec;
	struct iov_iter			iter;
	struct iov_iter_state		state;
	bool				has_iter;
	struct wait_page_queue		wpq;
	/* on ctx->rw_waiting while wpq may be queued */
	struct list_head		wait_node;
};

/* READV/WRITEV: the request's own iterator, in async_data */
static __always_inline bool io_rw_has_iter(struct io_kiocb *req)
{
	struct io_async_rw *async = req->async_data;

	return async && async->has_iter;
}

static __always_inline bool io_rw_is_write(struct io_kiocb *req)
{
	return req->opcode == IORING_OP_WRITE ||
	       req->opcode == IORING_OP_WRITEV ||
	       req->opcode == IORING_OP_WRITE_FIXED ||
	       req->opcode == IORING_OP_WRITEV_FIXED;
}

static int io_rw_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_rw *rw = io_kiocb_to_cmd(req, struct io_rw);
	u16 prio = READ_ONCE(sqe->ioprio);

	rw->addr = READ_ONCE(sqe->addr);
	rw->len = READ_ONCE(sqe->len);
	rw->flags = READ_ONCE(sqe->rw_flags);
	rw->kiocb.ki_pos = READ_ONCE(sqe->off);
	/* offset -1: the file position, read and updated at issue */
	if (rw->kiocb.ki_pos == -1)
		req->flags |= REQ_F_CUR_POS;
	/* no ioprio in the SQE: the submitter's own, as for read(2) */
	rw->kiocb.ki_ioprio = prio ?: get_current_ioprio();
	return prio ? ioprio_check_cap(prio) : 0;
}

/* Sockets, pipes, ttys: no file position to read or write at. */
static __always_inline bool io_file_is_stream(struct file *file, bool write)
{
	return (file->f_mode & FMODE_STREAM) ||
	       !(file->f_mode & (write ? FMODE_PWRITE : FMODE_PREAD));
}

static struct io_async_rw *io_rw_alloc_async(struct io_ring_ctx *ctx)
{
	struct io_async_rw *async = ctx->rw_cache;

	if (async)
		ctx->rw_cache = async->next_free;
	else
		async = kmalloc(sizeof(*async), GFP_KERNEL_ACCOUNT);
	if (async) {
		async->free_iov = NULL;
		async->bvec = NULL;
		async->has_iter = false;
		INIT_LIST_HEAD(&async->wait_node);
	}
	return async;
}

void io_rw_cleanup(struct io_kiocb *req)
{
	struct io_async_rw *async = req->async_data;

	kfree(async->free_iov);
	kvfree(async->bvec);
	async->next_free = req->ctx->rw_cache;
	req->ctx->rw_cache = async;
	req->async_data = NULL;
}

void io_rw_cache_free(struct io_ring_ctx *ctx)
{
	while (ctx->rw_cache) {
		struct io_async_rw *async = ctx->rw_cache;

		ctx->rw_cache = async->next_free;
		kfree(async);
	}
}

/* Import the iovec now: user space may reuse it once submit returns. */
static int io_prep_rwv(struct io_kiocb *req, const struct io_uring_sqe *sqe,
		       int ddir)
{
	struct io_rw *rw = io_kiocb_to_cmd(req, struct io_rw);
	struct io_async_rw *async;
	struct iovec *iov;
	ssize_t ret;

	ret = io_rw_prep(req, sqe);
	if (ret)
		return ret;
	if (req->flags & IOSQE_BUFFER_SELECT) {
		struct iovec uiov;

		/* one iovec, whose length caps the buffer's */
		if (rw->len != 1)
			return -EINVAL;
		if (copy_from_user(&uiov, u64_to_user_ptr(rw->addr), sizeof(uiov)))
			return -EFAULT;
		req->buf_cap = uiov.iov_len;
		return 0;
	}
	async = io_rw_alloc_async(req->ctx);
	if (!async)
		return -ENOMEM;
	iov = async->fast_iov;
	ret = __import_iovec(ddir, u64_to_user_ptr(rw->addr), rw->len,
			     UIO_FASTIOV, &iov, &async->iter,
			     in_compat_syscall());
	if (ret < 0) {
		async->next_free = req->ctx->rw_cache;
		req->ctx->rw_cache = async;
		return ret;
	}
	async->free_iov = iov;
	async->has_iter = true;
	iov_iter_save_state(&async->iter, &async->state);
	req->async_data = async;
	req->flags |= REQ_F_NEED_CLEANUP;
	return 0;
}

int io_prep_readv(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	return io_prep_rwv(req, sqe, ITER_DEST);
}

int io_prep_writev(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	return io_prep_rwv(req, sqe, ITER_SOURCE);
}

int io_prep_read(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_rw *rw = io_kiocb_to_cmd(req, struct io_rw);
	int ret = io_rw_prep(req, sqe);

	req->buf_cap = rw->len;
	return ret;
}

int io_prep_read_mshot(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	int ret;

	/* every CQE needs a buffer of its own */
	if (!(req->flags & IOSQE_BUFFER_SELECT) ||
	    (req->flags & IOSQE_CQE_SKIP_SUCCESS))
		return -EINVAL;
	ret = io_prep_read(req, sqe);
	req->flags |= REQ_F_MSHOT;
	return ret;
}

int io_prep_write(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	return io_rw_prep(req, sqe);
}

static int io_prep_rw_fixed(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	int ret = io_rw_prep(req, sqe);

	if (ret)
		return ret;
	return io_buf_node_get(req, req->buf_index);
}

/*
 * READV_FIXED, WRITEV_FIXED: the iovecs, imported as for READV, must lie
 * inside registered buffer buf_index; the request then works on those
 * pages (a bvec iterator), as READ_FIXED does on one range of them.
 */
static int io_prep_rwv_fixed(struct io_kiocb *req,
			     const struct io_uring_sqe *sqe, int ddir)
{
	struct io_async_rw *async;
	int ret;

	/* a registered buffer, not one picked from a group */
	if (req->flags & IOSQE_BUFFER_SELECT)
		return -EINVAL;
	ret = io_prep_rwv(req, sqe, ddir);
	if (ret)
		return ret;
	ret = io_buf_node_get(req, req->buf_index);
	if (ret)
		return ret;
	async = req->async_data;
	ret = io_import_fixed_iov(ddir, &async->iter, req->buf_node->buf,
				  &async->bvec);
	if (ret)
		return ret;
	iov_iter_save_state(&async->iter, &async->state);
	return 0;
}

int io_prep_readv_fixed(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	return io_prep_rwv_fixed(req, sqe, ITER_DEST);
}

int io_prep_writev_fixed(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	return io_prep_rwv_fixed(req, sqe, ITER_SOURCE);
}

int io_prep_read_fixed(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	return io_prep_rw_fixed(req, sqe);
}

int io_prep_write_fixed(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	return io_prep_rw_fixed(req, sqe);
}

static int io_rw_import(struct io_kiocb *req, int ddir, struct iov_iter *local,
			struct iov_iter **iter, unsigned int issue_flags)
{
	struct io_rw *rw = io_kiocb_to_cmd(req, struct io_rw);

	if ((req->flags & IOSQE_BUFFER_SELECT) && !io_kbuf_selected(req)) {
		size_t len = req->buf_cap;
		void __user *buf = io_buffer_select(req, &len, issue_flags);

		if (!buf)
			return -ENOBUFS;
		rw->addr = (u64)(uintptr_t)buf;
		rw->len = len;
	}

	if (io_rw_has_iter(req)) {
		struct io_async_rw *async = req->async_data;

		/* the attempt's starting point, for a retry from io-wq */
		iov_iter_save_state(&async->iter, &async->state);
		*iter = &async->iter;
		return 0;
	}
	*iter = local;
	if (req->buf_node)
		return io_import_fixed(ddir, local, req->buf_node->buf,
				       rw->addr, rw->len);
	return import_ubuf(ddir, u64_to_user_ptr(rw->addr), rw->len, local);
}

/* Undo what an attempt did to the iterator before it goes to io-wq. */
static void io_rw_rewind(struct io_kiocb *req)
{
	struct io_async_rw *async = req->async_data;

	if (io_rw_has_iter(req))
		iov_iter_restore(&async->iter, &async->state);
}

/* Keep the progress of a partial attempt; io-wq does the rest. */
static void io_rw_advance(struct io_kiocb *req, ssize_t done)
{
	struct io_rw *rw = io_kiocb_to_cmd(req, struct io_rw);

	req->cqe.res += done;
	/* the rest goes into the same provided buffer */
	io_kbuf_keep(req);
	/* a vectored request's iterator has advanced by itself */
	if (!io_rw_has_iter(req)) {
		rw->addr += done;
		rw->len -= done;
	}
	if ((req->flags & REQ_F_CUR_POS) &&
	    !io_file_is_stream(req->file, io_rw_is_write(req)))
		req->file->f_pos = rw->kiocb.ki_pos;
}

static __always_inline void io_rw_end_write(struct io_kiocb *req)
{
	struct io_rw *rw = io_kiocb_to_cmd(req, struct io_rw);

	if (io_rw_is_write(req) && S_ISREG(file_inode(req->file)->i_mode))
		kiocb_end_write(&rw->kiocb);
}

/* The final result of an attempt that transferred @ret of @want bytes. */
static void io_rw_finish(struct io_kiocb *req, ssize_t ret, size_t want)
{
	struct io_rw *rw = io_kiocb_to_cmd(req, struct io_rw);
	s32 done = req->cqe.res;
	u32 cflags = 0;

	if (ret >= 0 && (req->flags & REQ_F_CUR_POS) &&
	    !io_file_is_stream(req->file, io_rw_is_write(req)))
		req->file->f_pos = rw->kiocb.ki_pos;
	/*
	 * read_iter/write_iter bypass vfs_read/vfs_write, which tell fsnotify:
	 * we do, here, where direct I/O and polled completions end too.
	 */
	if (ret > 0) {
		if (io_rw_is_write(req))
			fsnotify_modify(req->file);
		else
			fsnotify_access(req->file);
	}
	ret = io_restart_to_eintr(ret);
	/* short: a soft link after this request does not run */
	if (ret < 0 || ret < want)
		req->flags |= REQ_F_FAIL;
	if (ret < 0 && !done) {
		io_req_set_res(req, ret, 0);
		return;
	}
	ret = ret < 0 ? done : done + ret;
	/* end of file takes no buffer from a multishot read */
	if (ret || !(req->flags & REQ_F_MSHOT))
		cflags = io_put_kbuf(req, ret, 0);
	io_req_set_res(req, ret, cflags);
}

static __always_inline size_t io_rw_want(struct io_kiocb *req)
{
	struct io_rw *rw = io_kiocb_to_cmd(req, struct io_rw);
	struct io_async_rw *async = req->async_data;

	return io_rw_has_iter(req) ? async->state.count : rw->len;
}

static void io_rw_complete_tw(struct io_kiocb *req)
{
	long res = req->tw_res;

	io_rw_end_write(req);
	if (res == -EAGAIN && (req->flags & REQ_F_NOWAIT_TRY) &&
	    !(req->flags & REQ_F_NOWAIT) && !io_tw_cancelled(req)) {
		/* the device had no room: try again, allowed to wait */
		io_rw_rewind(req);
		io_queue_iowq(req);
		return;
	}
	io_rw_finish(req, res, io_rw_want(req));
	io_req_complete_defer(req);
}

/* ->ki_complete: any context, interrupts included */
static void io_rw_complete(struct kiocb *kiocb, long res)
{
	struct io_kiocb *req = cmd_to_io_kiocb(kiocb);
	struct io_uring_task *tctx;

	req->tw_res = res;
	/*
	 * Called from inside io_rw()'s own call of the file's method (in
	 * that task, not an interrupt of it): io_rw() finishes it as soon
	 * as the call returns, with no task_work round trip. Only the task
	 * itself sets its rw_issuing, so nobody else can match it.
	 */
	tctx = current->io_uring;
	if (in_task() && tctx && tctx->rw_issuing == req) {
		tctx->rw_issuing = NULL;
		return;
	}
	req->tw_func = io_rw_complete_tw;
	io_req_task_work_add(req);
}

/* ->ki_complete of a polled request: the reaper posts it (any context) */
static void io_rw_iopoll_complete(struct kiocb *kiocb, long res)
{
	struct io_kiocb *req = cmd_to_io_kiocb(kiocb);

	req->tw_res = res;
	/* the result before the flag the reaper tests */
	smp_store_release(&req->iopoll_done, 1);
}

/**
 * io_rw_iopoll - poll the device of a polled read or write
 * @req: the request, on the ring's IOPOLL list
 * @iob: the batch the driver's completions go to
 * @poll_flags: BLK_POLL_ONESHOT not to spin
 *
 * The opcode table's ->iopoll_poll for reads and writes.
 *
 * Return: what the driver's ->iopoll returns: how many completed, or
 * -errno.
 */
int io_rw_iopoll(struct io_kiocb *req, struct io_comp_batch *iob,
		 unsigned int poll_flags)
{
	struct kiocb *kiocb = &io_kiocb_to_cmd(req, struct io_rw)->kiocb;

	return req->file->f_op->iopoll(kiocb, iob, poll_flags);
}

/**
 * io_rw_iopoll_done - finish a polled read or write the device completed
 * @req: the request, off the ring's IOPOLL list
 *
 * The opcode table's ->iopoll_done for reads and writes.
 *
 * Return: true to post its CQE now, false if it was issued again (the
 * device had no room).
 */
bool io_rw_iopoll_done(struct io_kiocb *req)
{
	long res = req->tw_res;

	io_rw_end_write(req);
	/* not from a ring's exit or a task's: nobody would wait for it */
	if (res == -EAGAIN && (req->flags & REQ_F_NOWAIT_TRY) &&
	    !(req->flags & REQ_F_NOWAIT) && !io_tw_cancelled(req)) {
		/* the device had no room: again, allowed to wait */
		io_rw_rewind(req);
		io_queue_iowq(req);
		return false;
	}
	io_rw_finish(req, res, io_rw_want(req));
	return true;
}

/* For files with ->read/->write only: one call per segment, blocking. */
static ssize_t io_loop_rw(struct kiocb *kiocb, struct iov_iter *iter,
			  bool write)
{
	struct file *file = kiocb->ki_filp;
	loff_t *ppos = io_file_is_stream(file, write) ? NULL : &kiocb->ki_pos;
	ssize_t ret = 0, nr;

	/* O_NONBLOCK: the call itself will not block */
	if ((kiocb->ki_flags & IOCB_NOWAIT) && !(file->f_flags & O_NONBLOCK))
		return -EAGAIN;
	if (!user_backed_iter(iter))
		return -EOPNOTSUPP;
	for (;;) {
		size_t seg = iter_iov_len(iter);
		void __user *ubuf = iter_iov_addr(iter);

		if (!iov_iter_count(iter))
			break;
		nr = write ? file->f_op->write(file, ubuf, seg, ppos) :
			     file->f_op->read(file, ubuf, seg, ppos);
		if (nr <= 0) {
			/* an error only counts if nothing was transferred */
			ret = ret ?: nr;
			break;
		}
		ret += nr;
		iov_iter_advance(iter, nr);
		if (nr < seg)
			break;
	}
	return ret;
}

/*
 * Buffered reads wait for their page without a thread (IOCB_WAITQ): a
 * read that would block on a folio under I/O queues an entry on the
 * folio's wait queue instead, and the unlock of the folio sends the
 * request back to its task as task_work, which issues it again. Only
 * that unlock takes the entry off (the queue is the page cache's), so
 * the request lives until the I/O ends, which may be never on a stuck
 * device: exit and exec detach it instead of waiting
 * (io_rw_detach_waiting()), ring close waits in its worker, and cancel
 * does not find it (see lifetimes.rst).
 *
 * The attempt that arms the entry runs without IOCB_NOWAIT: it may sleep
 * in the file system (read-ahead, locks) like a blocking read, though
 * never for the page's I/O.
 */
static void io_rw_waitq_tw(struct io_kiocb *req)
{
	struct io_async_rw *async = req->async_data;

	list_del_init(&async->wait_node);
	if (unlikely(io_tw_cancelled(req))) {
		/* what it read so far counts (io_rw_finish()) */
		io_rw_finish(req, -ECANCELED, io_rw_want(req));
		io_req_complete_defer(req);
		return;
	}
	io_req_retry(req);
}

/* The folio's wait queue lock is held, interrupts off, any context. */
static int io_rw_wake_page(struct wait_queue_entry *wait, unsigned int mode,
			   int sync, void *key)
{
	struct wait_page_queue *wpq = container_of(wait, struct wait_page_queue,
						   wait);
	struct io_kiocb *req = wait->private;

	/* the queue is shared by other folios and bits: ours only */
	if (!wake_page_match(wpq, key))
		return 0;
	/* only a wakeup takes the entry off: the request waits until one */
	list_del_init(&wait->entry);
	req->tw_func = io_rw_waitq_tw;
	io_req_task_work_add(req);
	return 1;
}

static bool io_rw_can_waitq(struct io_kiocb *req, struct kiocb *kiocb,
			    unsigned int issue_flags)
{
	/* inline, under uring_lock: the retry is task_work of the issuer */
	if ((issue_flags & (IO_URING_F_NONBLOCK | IO_URING_F_UNLOCKED)) !=
	    IO_URING_F_NONBLOCK)
		return false;
	if (io_rw_is_write(req) || (req->flags & (REQ_F_NOWAIT | REQ_F_MSHOT)))
		return false;
	if (kiocb->ki_flags & (IOCB_DIRECT | IOCB_HIPRI))
		return false;
	return req->file->f_op->fop_flags & FOP_BUFFER_RASYNC;
}

static int io_rw_arm_waitq(struct io_kiocb *req, struct kiocb *kiocb)
{
	struct io_async_rw *async = req->async_data;

	if (!async) {
		async = io_rw_alloc_async(req->ctx);
		if (!async)
			return -ENOMEM;
		req->async_data = async;
		req->flags |= REQ_F_NEED_CLEANUP;
	}
	/*
	 * An entry comes off its queue in a wakeup, or in the page cache
	 * when it got the lock at once (list_del(): poisoned, not empty).
	 * Either way the last attempt left it unqueued, or it would have
	 * said -EIOCBQUEUED.
	 */
	init_waitqueue_func_entry(&async->wpq.wait, io_rw_wake_page);
	async->wpq.wait.private = req;
	/* the page cache may have set NOWAIT itself on the last attempt */
	kiocb->ki_flags = (kiocb->ki_flags & ~IOCB_NOWAIT) | IOCB_WAITQ;
	kiocb->ki_waitq = &async->wpq;
	return 0;
}

/**
 * io_rw_detach_waiting - let reads waiting for a page outlive the task
 * @ctx: the ring, with uring_lock held
 * @match: which requests (the exiting or exec'ing task's)
 * @data: passed to @match
 *
 * A page's I/O may never end (a stuck device, a FUSE server that is the
 * exiting process itself), and its wait queue is not ours to take the
 * entry off. So the request no longer holds up the task: it is detached
 * (io_req_detach_task()) and, when the page unlocks, only completes,
 * with what it read so far or -ECANCELED (io_tw_cancelled() holds for a
 * detached request); it never reads again, in this image or the next.
 *
 * Return: 0; nothing is cancelled now.
 */
int io_rw_detach_waiting(struct io_ring_ctx *ctx,
			 bool (*match)(struct io_kiocb *req, void *data),
			 void *data)
{
	struct io_async_rw *async;

	lockdep_assert_held(&ctx->uring_lock);
	list_for_each_entry(async, &ctx->rw_waiting, wait_node) {
		struct io_kiocb *req = async->wpq.wait.private;

		if (!match || match(req, data))
			io_req_detach_task(req);
	}
	return 0;
}

/*
 * Set the kiocb up for an attempt: flags, completion, position, and
 * whether it may block. Returns 0, or -errno (-EAGAIN: to io-wq).
 */
static __always_inline int io_rw_setup_kiocb(struct io_kiocb *req,
					     unsigned int issue_flags,
					     bool write, umode_t mode)
{
	struct io_rw *rw = io_kiocb_to_cmd(req, struct io_rw);
	struct kiocb *kiocb = &rw->kiocb;
	struct file *file = req->file;
	int ret;

	if (unlikely(!(file->f_mode & (write ? FMODE_WRITE : FMODE_READ))))
		return -EBADF;
	/*
	 * The bio of a direct I/O may come from the per-CPU cache: its put
	 * is safe from task or hard interrupt context, where ours complete.
	 */
	kiocb->ki_flags = file->f_iocb_flags | IOCB_ALLOC_CACHE;
	kiocb->ki_complete = io_rw_complete;
	kiocb->private = NULL;
	ret = kiocb_set_rw_flags(kiocb, rw->flags, write ? WRITE : READ);
	if (unlikely(ret))
		return ret;
	if (req->ctx->flags & IORING_SETUP_IOPOLL) {
		/* completions are polled for: O_DIRECT on a file that can */
		if (!(kiocb->ki_flags & IOCB_DIRECT) || !file->f_op->iopoll)
			return -EOPNOTSUPP;
		kiocb->ki_flags |= IOCB_HIPRI;
		kiocb->ki_complete = io_rw_iopoll_complete;
		req->iopoll_done = 0;
	} else {
		/*
		 * RWF_HIPRI means "poll if possible". Only an IOPOLL ring
		 * polls: a polled bio on any other ring would sit in a poll
		 * queue that nobody polls, and the request never completes.
		 */
		kiocb->ki_flags &= ~IOCB_HIPRI;
	}
	/* O_NONBLOCK does not count: io_uring exists to wait for the data */
	if (rw->flags & RWF_NOWAIT)
		req->flags |= REQ_F_NOWAIT;
	if (S_ISREG(mode) || S_ISBLK(mode)) {
		req->flags |= REQ_F_ISREG;
		io_submit_plug(req, issue_flags);
	}
	if (io_file_is_stream(file, write))
		kiocb->ki_pos = 0;	/* no position: the offset is ignored */
	else if (req->flags & REQ_F_CUR_POS)
		kiocb->ki_pos = file->f_pos;

	req->flags &= ~REQ_F_NOWAIT_TRY;
	if (issue_flags & IO_URING_F_NONBLOCK) {
		/*
		 * A file that cannot say "would block" goes to io-wq, unless
		 * it is O_NONBLOCK: then it says so itself, and can be polled.
		 */
		if (!(file->f_mode & FMODE_NOWAIT) &&
		    !(file->f_flags & O_NONBLOCK)) {
			req->flags |= REQ_F_NOPOLL;
			return -EAGAIN;
		}
		kiocb->ki_flags |= IOCB_NOWAIT;
		req->flags |= REQ_F_NOWAIT_TRY;
	} else if (req->flags & REQ_F_NOWAIT) {
		kiocb->ki_flags |= IOCB_NOWAIT;
	}
	return 0;
}

/* The file's own read or write, on @iter. */
static __always_inline ssize_t io_rw_call(struct kiocb *kiocb,
					  struct file *file,
					  struct iov_iter *iter, bool write,
					  umode_t mode)
{
	if (write) {
		if (S_ISREG(mode))
			kiocb_start_write(kiocb);
		kiocb->ki_flags |= IOCB_WRITE;
		if (file->f_op->write_iter)
			return file->f_op->write_iter(kiocb, iter);
		if (file->f_op->write)
			return io_loop_rw(kiocb, iter, true);
		return -EINVAL;
	}
	if (file->f_op->read_iter)
		return file->f_op->read_iter(kiocb, iter);
	if (file->f_op->read)
		return io_loop_rw(kiocb, iter, false);
	return -EINVAL;
}

/* io_rw_nowait_short(): try again */
#define IO_RW_AGAIN	1

/*
 * An attempt that must not block came back with -EAGAIN, or short: try
 * again (IO_RW_AGAIN, waiting for the folio in a buffered read's wait
 * queue), leave the rest to io-wq (-EAGAIN), or complete with @ret (0).
 */
static __always_inline int io_rw_nowait_short(struct io_kiocb *req,
					      unsigned int issue_flags,
					      ssize_t ret, size_t want,
					      bool write, umode_t mode,
					      bool *waitq)
{
	struct kiocb *kiocb = &io_kiocb_to_cmd(req, struct io_rw)->kiocb;
	struct file *file = req->file;
	bool part;

	if (!(req->flags & REQ_F_NOWAIT_TRY) || (req->flags & REQ_F_NOWAIT))
		return 0;
	/* part done without blocking: the rest may block */
	part = ret > 0 && ret < want && (req->flags & REQ_F_ISREG) &&
	       !(S_ISREG(mode) &&
		 kiocb->ki_pos >= i_size_read(file_inode(file)));
	/* some file systems refuse NOWAIT outright (buffered writes) */
	if (ret != -EAGAIN && ret != -EOPNOTSUPP && !part)
		return 0;
	if (part && write)
		trace_io_uring_short_write(req->ctx, kiocb->ki_pos - ret,
					   want, ret);
	if (part)
		io_rw_advance(req, ret);
	else
		io_rw_rewind(req);
	/*
	 * A buffered read waits for its folio (IOCB_WAITQ) rather than in
	 * io-wq; a second time only after progress, so the attempts are
	 * bounded by the length.
	 */
	if (ret != -EOPNOTSUPP && (!*waitq || part) &&
	    io_rw_can_waitq(req, kiocb, issue_flags) &&
	    !io_rw_arm_waitq(req, kiocb)) {
		*waitq = true;
		/* one folio per turn at worst, under uring_lock */
		cond_resched();
		return IO_RW_AGAIN;
	}
	/* else io-wq waits for it, or for the rest */
	if (part)
		req->flags |= REQ_F_NOPOLL;
	return -EAGAIN;
}

/* io_rw_call_inline(): ->ki_complete ran inside the call (tw_res is set) */
#define IO_RW_DONE_INLINE	((ssize_t)LONG_MIN)

/*
 * The file's method, with the request marked as in it (rw_issuing) when
 * issued inline by its task with uring_lock held: a device that completes
 * at submission (null_blk, brd, zram) calls ->ki_complete from inside
 * the call, and the request is finished right here rather than through
 * task_work. (A nested issue in the same task keeps its own mark.)
 *
 * Return: what the method returned, or IO_RW_DONE_INLINE.
 */
static __always_inline ssize_t io_rw_call_inline(struct io_kiocb *req,
						 unsigned int issue_flags,
						 struct iov_iter *iter,
						 bool write, umode_t mode)
{
	struct kiocb *kiocb = &io_kiocb_to_cmd(req, struct io_rw)->kiocb;
	struct io_uring_task *tctx = current->io_uring;
	struct io_kiocb *prev;
	ssize_t ret;

	if (!(issue_flags & IO_URING_F_COMPLETE_DEFER) || unlikely(!tctx))
		return io_rw_call(kiocb, req->file, iter, write, mode);
	prev = tctx->rw_issuing;
	tctx->rw_issuing = req;
	ret = io_rw_call(kiocb, req->file, iter, write, mode);
	/* (an IOPOLL ring's ->ki_complete never clears it) */
	if (!tctx->rw_issuing)
		ret = IO_RW_DONE_INLINE;
	tctx->rw_issuing = prev;
	return ret;
}

static int io_rw(struct io_kiocb *req, unsigned int issue_flags, int ddir)
{
	struct io_rw *rw = io_kiocb_to_cmd(req, struct io_rw);
	struct kiocb *kiocb = &rw->kiocb;
	struct file *file = req->file;
	bool write = ddir == ITER_SOURCE;
	umode_t mode = file_inode(file)->i_mode;
	/* io_rw_import() writes it whole before use: not zeroed first */
	struct iov_iter local __uninitialized;
	struct iov_iter *iter;
	bool waitq = false, verified = false;
	size_t want;
	ssize_t ret;

	ret = io_rw_setup_kiocb(req, issue_flags, write, mode);
	if (unlikely(ret))
		return ret;
retry:
	ret = io_rw_import(req, ddir, &local, &iter, issue_flags);
	if (unlikely(ret))
		return ret;
	want = iov_iter_count(iter);
	/*
	 * Once per issue: a retry in this call covers the same range or,
	 * after progress, the rest of it (the buffered read that waits for
	 * its folio does so once per cache miss).
	 */
	if (!verified) {
		loff_t *ppos = io_file_is_stream(file, write) ? NULL :
							       &kiocb->ki_pos;

		ret = rw_verify_area(write ? WRITE : READ, file, ppos, want);
		if (unlikely(ret))
			return ret;
		verified = true;
	}

	ret = io_rw_call_inline(req, issue_flags, iter, write, mode);
	if (ret == IO_RW_DONE_INLINE) {
		io_rw_complete_tw(req);
		return IOU_ISSUE_SKIP_COMPLETE;
	}
	if (ret == -EIOCBQUEUED) {
		/*
		 * By the ring, not by IOCB_HIPRI: the file system may clear
		 * it (iomap does, for a write that needs more than one bio)
		 * and still complete through ->ki_complete, which on an
		 * IOPOLL ring only marks the request for the reaper.
		 */
		if (req->ctx->flags & IORING_SETUP_IOPOLL)
			io_iopoll_add(req, issue_flags);
		/* uring_lock held: its task_work cannot run before this */
		else if (waitq)
			list_add_tail(&((struct io_async_rw *)req->async_data)->wait_node,
				      &req->ctx->rw_waiting);
		return IOU_ISSUE_SKIP_COMPLETE;
	}

	if (write && S_ISREG(mode))
		kiocb_end_write(kiocb);
	/*
	 * In a worker, an O_NONBLOCK file still says -EAGAIN: wait until it
	 * is ready, as a blocking read or write would.
	 */
	if (ret == -EAGAIN && !(issue_flags & IO_URING_F_NONBLOCK) &&
	    !(req->flags & REQ_F_NOWAIT) && file_can_poll(file)) {
		io_rw_rewind(req);
		ret = io_file_wait_ready(file, write ? EPOLLOUT : EPOLLIN);
		if (!ret)
			goto retry;
	}
	switch (io_rw_nowait_short(req, issue_flags, ret, want, write, mode,
				   &waitq)) {
	case IO_RW_AGAIN:
		goto retry;
	case -EAGAIN:
		return -EAGAIN;
	}
	io_rw_finish(req, ret, want);
	return IOU_OK;
}

int io_read(struct io_kiocb *req, unsigned int issue_flags)
{
	return io_rw(req, issue_flags, ITER_DEST);
}

int io_write(struct io_kiocb *req, unsigned int issue_flags)
{
	return io_rw(req, issue_flags, ITER_SOURCE);
}

/* A multishot read posts at most this many CQEs per turn. */
#define IO_READ_MSHOT_BATCH	32

/*
 * READ_MULTISHOT: read whenever the file has data, each time into a new
 * provided buffer; -EAGAIN parks the request in a poll until more comes.
 */
int io_read_mshot(struct io_kiocb *req, unsigned int issue_flags)
{
	struct file *file = req->file;
	unsigned int nr = 0;
	int ret;

	/* only files that say "would block" and can be waited on */
	if (!file_can_poll(file) ||
	    (!(file->f_mode & FMODE_NOWAIT) && !(file->f_flags & O_NONBLOCK)))
		return -EBADFD;
	for (;;) {
		req->cqe.res = 0;
		req->flags &= ~REQ_F_FAIL;
		ret = io_rw(req, issue_flags | IO_URING_F_NONBLOCK, ITER_DEST);
		if (ret != IOU_OK)
			return ret;
		if (req->cqe.res <= 0)
			return IOU_OK;
		/* a CQ without room: this CQE is the last */
		if (!io_post_aux_cqe(req->ctx, req->cqe.user_data, req->cqe.res,
				     req->cqe.flags | IORING_CQE_F_MORE,
				     issue_flags))
			return IOU_OK;
		if (++nr >= IO_READ_MSHOT_BATCH)
			return -EAGAIN;
	}
}
