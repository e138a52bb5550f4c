// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring_register(2): everything that changes a ring's configuration
 * runs here, under the ring's uring_lock.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/syscalls.h>
#include <linux/file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/sched/task.h>
#include <linux/cred.h>
#include <linux/cpumask.h>
#include <linux/compat.h>
#include <linux/io_uring.h>

#include "io_uring.h"
#include "opdef.h"
#include "eventfd.h"
#include "io-wq.h"
#include "rsrc.h"
#include "filetable.h"
#include "register.h"
#include "cancel.h"
#include "kbuf.h"
#include "napi.h"
#include "msg_ring.h"
#include "query.h"
#include "resize.h"
#include "memmap.h"
#include "restrict.h"
#include "bpf_filter.h"
#include "tctx.h"

#include <trace/events/io_uring.h>

static int io_probe(struct io_ring_ctx *ctx, void __user *arg,
		    unsigned int nr_args)
{
	struct io_uring_probe *p;
	size_t size;
	int i, ret = 0;

	nr_args = min_t(unsigned int, nr_args, io_op_last() + 1);
	size = struct_size(p, ops, nr_args);
	p = memdup_user(arg, size);
	if (IS_ERR(p))
		return PTR_ERR(p);
	/* the caller must hand us a zeroed probe: room for future fields */
	if (memchr_inv(p, 0, size)) {
		ret = -EINVAL;
		goto out;
	}
	p->last_op = io_op_last();
	p->ops_len = nr_args;
	for (i = 0; i < nr_args; i++) {
		p->ops[i].op = i;
		if (io_op_supported(i))
			p->ops[i].flags = IO_URING_OP_SUPPORTED;
	}
	if (copy_to_user(arg, p, size))
		ret = -EFAULT;
out:
	kfree(p);
	return ret;
}

static int io_register_enable_rings(struct io_ring_ctx *ctx)
{
	if (!(ctx->int_flags & IO_CTX_DISABLED))
		return -EBADFD;
	/* restrictions registered while disabled apply from now on */
	io_restrict_enable(ctx);
	/* IORING_SETUP_SINGLE_ISSUER: the task that enables it submits */
	if ((ctx->flags & IORING_SETUP_SINGLE_ISSUER) && !ctx->submitter_task &&
	    !(ctx->flags & IORING_SETUP_SQPOLL))
		ctx->submitter_task = get_task_struct(current);
	WRITE_ONCE(ctx->int_flags, ctx->int_flags & ~IO_CTX_DISABLED);
	return 0;
}

static int io_register_personality(struct io_ring_ctx *ctx)
{
	const struct cred *creds = get_current_cred();
	u32 id;
	int ret;

	ret = xa_alloc_cyclic(&ctx->personalities, &id, (void *)creds,
			      XA_LIMIT(1, USHRT_MAX), &ctx->pers_next,
			      GFP_KERNEL_ACCOUNT);
	if (ret < 0) {
		put_cred(creds);
		return ret;
	}
	return id;
}

static int io_unregister_personality(struct io_ring_ctx *ctx, unsigned int id)
{
	const struct cred *creds = xa_erase(&ctx->personalities, id);

	if (!creds)
		return -EINVAL;
	put_cred(creds);
	return 0;
}

void io_unregister_personalities(struct io_ring_ctx *ctx)
{
	const struct cred *creds;
	unsigned long id;

	xa_for_each(&ctx->personalities, id, creds)
		io_unregister_personality(ctx, id);
}

static int io_register_iowq_aff(struct io_ring_ctx *ctx, void __user *arg,
				unsigned int len)
{
	struct io_wq *wq;
	cpumask_var_t mask;
	int ret;

	wq = io_tctx_wq(ctx);
	if (IS_ERR(wq))
		return PTR_ERR(wq);
	if (!arg)
		return io_wq_set_affinity(wq, NULL);
	if (!len)
		return -EINVAL;
	if (!alloc_cpumask_var(&mask, GFP_KERNEL))
		return -ENOMEM;
	cpumask_clear(mask);
	len = min_t(unsigned int, len, cpumask_size());
#ifdef CONFIG_COMPAT
	if (in_compat_syscall())
		ret = compat_get_bitmap(cpumask_bits(mask), arg, len * 8);
	else
#endif
		ret = copy_from_user(mask, arg, len) ? -EFAULT : 0;
	if (!ret)
		ret = io_wq_set_affinity(wq, mask);
	free_cpumask_var(mask);
	return ret;
}

static int io_register_iowq_max_workers(struct io_ring_ctx *ctx,
					void __user *arg)
{
	struct io_uring_task *tctx = current->io_uring;
	u32 count[2], old[2];
	int i;

	if (copy_from_user(count, arg, sizeof(count)))
		return -EFAULT;
	for (i = 0; i < 2; i++)
		if (count[i] > INT_MAX)
			return -EINVAL;
	/* more workers than the task may have threads is not a limit */
	for (i = 0; i < 2; i++)
		count[i] = min_t(u64, count[i], task_rlimit(current, RLIMIT_NPROC));
	/* no pool yet: the old values are those a pool would start with */
	io_iowq_limits(ctx, old);
	for (i = 0; i < 2; i++) {
		if (count[i])
			ctx->iowq_limits[i] = count[i];
		if (!tctx || !tctx->io_wq)
			count[i] = old[i];
	}
	/* the pool reports its own old limits */
	if (tctx && tctx->io_wq)
		io_wq_max_workers(tctx->io_wq, count);
	if (copy_to_user(arg, count, sizeof(count)))
		return -EFAULT;
	return 0;
}

static int io_register_clock(struct io_ring_ctx *ctx, void __user *arg)
{
	struct io_uring_clock_register reg;

	if (copy_from_user(&reg, arg, sizeof(reg)))
		return -EFAULT;
	if (memchr_inv(&reg.__resv, 0, sizeof(reg.__resv)))
		return -EINVAL;
	/* the clocks hrtimers offer that never jump */
	if (reg.clockid != CLOCK_MONOTONIC && reg.clockid != CLOCK_BOOTTIME)
		return -EINVAL;
	ctx->clockid = reg.clockid;
	return 0;
}

/* IORING_REGISTER_{FILES_UPDATE2,BUFFERS_UPDATE} */
static int io_register_rsrc_update(struct io_ring_ctx *ctx, void __user *arg,
				   unsigned int size, unsigned int type)
{
	struct io_uring_rsrc_update2 up;

	/* the struct's size is the "nr_args" of this op */
	if (size != sizeof(up))
		return -EINVAL;
	if (copy_from_user(&up, arg, size))
		return -EFAULT;
	if (up.resv || up.resv2 || !up.nr)
		return -EINVAL;
	if (type == IO_RSRC_FILE)
		return io_rsrc_update(ctx, &ctx->file_table, up.offset,
				      u64_to_user_ptr(up.data),
				      u64_to_user_ptr(up.tags), up.nr,
				      io_files_update_one);
	return io_rsrc_update(ctx, &ctx->buf_table, up.offset,
			      u64_to_user_ptr(up.data),
			      u64_to_user_ptr(up.tags), up.nr,
			      io_buffers_update_one);
}

/* IORING_REGISTER_{FILES2,BUFFERS2} */
static int io_register_rsrc(struct io_ring_ctx *ctx, void __user *arg,
			    unsigned int size, unsigned int type)
{
	struct io_uring_rsrc_register rr;
	bool sparse;

	if (size != sizeof(rr))
		return -EINVAL;
	if (copy_from_user(&rr, arg, sizeof(rr)))
		return -EFAULT;
	if (!rr.nr || rr.resv2 || (rr.flags & ~IORING_RSRC_REGISTER_SPARSE))
		return -EINVAL;
	sparse = rr.flags & IORING_RSRC_REGISTER_SPARSE;
	if (sparse && rr.data)
		return -EINVAL;
	if (type == IO_RSRC_FILE)
		return io_register_files(ctx, u64_to_user_ptr(rr.data), rr.nr,
					 u64_to_user_ptr(rr.tags), sparse);
	return io_register_buffers(ctx, u64_to_user_ptr(rr.data), rr.nr,
				   u64_to_user_ptr(rr.tags), sparse);
}

static int __io_uring_register(struct io_ring_ctx *ctx, unsigned int opcode,
			       void __user *arg, unsigned int nr_args)
{
	/* a single-issuer ring is registered to by its issuer only */
	if (ctx->submitter_task && ctx->submitter_task != current)
		return -EEXIST;
	if (!io_restrict_register_op(ctx, opcode))
		return -EACCES;

	switch (opcode) {
	case IORING_REGISTER_BUFFERS:
		return io_register_buffers(ctx, arg, nr_args, NULL, false);
	case IORING_UNREGISTER_BUFFERS:
		if (arg || nr_args)
			return -EINVAL;
		return io_unregister_buffers(ctx);
	case IORING_REGISTER_FILES:
		return io_register_files(ctx, arg, nr_args, NULL, false);
	case IORING_UNREGISTER_FILES:
		if (arg || nr_args)
			return -EINVAL;
		return io_unregister_files(ctx);
	case IORING_REGISTER_FILES_UPDATE:
		return io_register_files_update(ctx, arg, nr_args);
	case IORING_REGISTER_FILES2:
		return io_register_rsrc(ctx, arg, nr_args, IO_RSRC_FILE);
	case IORING_REGISTER_FILES_UPDATE2:
		return io_register_rsrc_update(ctx, arg, nr_args, IO_RSRC_FILE);
	case IORING_REGISTER_BUFFERS2:
		return io_register_rsrc(ctx, arg, nr_args, IO_RSRC_BUFFER);
	case IORING_REGISTER_BUFFERS_UPDATE:
		return io_register_rsrc_update(ctx, arg, nr_args, IO_RSRC_BUFFER);
	case IORING_REGISTER_FILE_ALLOC_RANGE:
		if (!arg || nr_args)
			return -EINVAL;
		return io_register_file_alloc_range(ctx, arg);
	case IORING_REGISTER_PERSONALITY:
		if (arg || nr_args)
			return -EINVAL;
		return io_register_personality(ctx);
	case IORING_UNREGISTER_PERSONALITY:
		if (arg)
			return -EINVAL;
		return io_unregister_personality(ctx, nr_args);
	case IORING_REGISTER_RESTRICTIONS:
		return io_register_restrictions(ctx, arg, nr_args);
	case IORING_REGISTER_BPF_FILTER:
		return io_register_bpf_filter(ctx, arg, nr_args);
	case IORING_REGISTER_IOWQ_AFF:
		if (!arg || !nr_args)
			return -EINVAL;
		return io_register_iowq_aff(ctx, arg, nr_args);
	case IORING_UNREGISTER_IOWQ_AFF:
		if (arg || nr_args)
			return -EINVAL;
		return io_register_iowq_aff(ctx, NULL, 0);
	case IORING_REGISTER_IOWQ_MAX_WORKERS:
		if (!arg || nr_args != 2)
			return -EINVAL;
		return io_register_iowq_max_workers(ctx, arg);
	case IORING_REGISTER_PROBE:
		if (!arg || nr_args > 256)
			return -EINVAL;
		return io_probe(ctx, arg, nr_args);
	case IORING_REGISTER_EVENTFD:
	case IORING_REGISTER_EVENTFD_ASYNC:
		return io_eventfd_register(ctx, arg, nr_args,
					   opcode == IORING_REGISTER_EVENTFD_ASYNC);
	case IORING_UNREGISTER_EVENTFD:
		if (arg || nr_args)
			return -EINVAL;
		return io_eventfd_unregister(ctx);
	case IORING_REGISTER_ENABLE_RINGS:
		if (arg || nr_args)
			return -EINVAL;
		return io_register_enable_rings(ctx);
	case IORING_REGISTER_PBUF_RING:
		if (!arg || nr_args != 1)
			return -EINVAL;
		return io_register_pbuf_ring(ctx, arg);
	case IORING_UNREGISTER_PBUF_RING:
		if (!arg || nr_args != 1)
			return -EINVAL;
		return io_unregister_pbuf_ring(ctx, arg);
	case IORING_REGISTER_PBUF_STATUS:
		if (!arg || nr_args != 1)
			return -EINVAL;
		return io_register_pbuf_status(ctx, arg);
	case IORING_REGISTER_CLOCK:
		if (!arg || nr_args)
			return -EINVAL;
		return io_register_clock(ctx, arg);
	case IORING_REGISTER_NAPI:
		if (!arg || nr_args != 1)
			return -EINVAL;
		return io_register_napi(ctx, arg);
	case IORING_UNREGISTER_NAPI:
		if (nr_args != 1)
			return -EINVAL;
		return io_unregister_napi(ctx, arg);
	case IORING_REGISTER_RING_FDS:
		return io_ringfd_register(ctx, arg, nr_args);
	case IORING_REGISTER_QUERY:
		return io_register_query(arg, nr_args);
	case IORING_REGISTER_MEM_REGION:
		if (!arg || nr_args != 1)
			return -EINVAL;
		return io_register_mem_region(ctx, arg);
	case IORING_REGISTER_RESIZE_RINGS:
		if (!arg || nr_args != 1)
			return -EINVAL;
		return io_register_resize_rings(ctx, arg);
	case IORING_UNREGISTER_RING_FDS:
		return io_ringfd_unregister(ctx, arg, nr_args);
	default:
		/* not (yet) implemented register opcodes fail cleanly */
		return -EINVAL;
	}
}

/* The register ops that take uring_lock themselves, or never hold it. */
static long io_register_unlocked(struct io_ring_ctx *ctx, unsigned int opcode,
				 void __user *arg, unsigned int nr_args)
{
	if (!io_restrict_register_op(ctx, opcode))
		return -EACCES;
	if (ctx->submitter_task && ctx->submitter_task != current)
		return -EEXIST;
	if (!arg || nr_args != 1)
		return -EINVAL;
	if (opcode == IORING_REGISTER_SYNC_CANCEL)
		return io_sync_cancel(ctx, arg);
	return io_register_clone_buffers(ctx, arg);
}

static long io_register_locked(struct io_ring_ctx *ctx, unsigned int opcode,
			       void __user *arg, unsigned int nr_args)
{
	/*
	 * SYNC_CANCEL waits for cancelled requests, which need the lock;
	 * CLONE_BUFFERS locks two rings, in its own order.
	 */
	if (opcode == IORING_REGISTER_SYNC_CANCEL ||
	    opcode == IORING_REGISTER_CLONE_BUFFERS)
		return io_register_unlocked(ctx, opcode, arg, nr_args);
	guard(mutex)(&ctx->uring_lock);
	return __io_uring_register(ctx, opcode, arg, nr_args);
}

SYSCALL_DEFINE4(io_uring_register, unsigned int, fd, unsigned int, opcode,
		void __user *, arg, unsigned int, nr_args)
{
	unsigned int op = opcode & ~IORING_REGISTER_USE_REGISTERED_RING;
	struct io_ring_ctx *ctx;
	struct file *file;
	long ret = -EINVAL;

	/* the operations that need no ring (6.13, 6.15): fd -1 */
	if (fd == -1U && opcode == op) {
		switch (op) {
		case IORING_REGISTER_SEND_MSG_RING:
			return io_msg_ring_sync(arg, nr_args);
		case IORING_REGISTER_QUERY:
			return io_register_query(arg, nr_args);
		/* the task's policy (7.0): what its future rings allow */
		case IORING_REGISTER_RESTRICTIONS:
			return io_register_task_restrictions(arg, nr_args);
		case IORING_REGISTER_BPF_FILTER:
			return io_register_bpf_filter(NULL, arg, nr_args);
		}
	}
	if (op < IORING_REGISTER_LAST) {
		file = io_uring_ctx_get_file(fd, opcode != op);
		if (IS_ERR(file))
			return PTR_ERR(file);
		ctx = file->private_data;
		/* a sandboxed task leaves rings from outside alone */
		ret = io_restrict_may_use(ctx);
		if (!ret)
			ret = io_register_locked(ctx, op, arg, nr_args);
		trace_io_uring_register(ctx, op, READ_ONCE(ctx->file_table.nr),
					READ_ONCE(ctx->buf_table.nr), ret);
		fput(file);
	}
	return ret;
}
