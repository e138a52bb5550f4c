// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring_setup(2): ring sizes, ring memory, the context, the checks on
 * who may create a ring, and the ring's file.
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
#include "rsrc.h"
#include "poll.h"
#include "memmap.h"
#include "sqpoll.h"
#include "uring_cmd.h"
#include "napi.h"
#include "restrict.h"
#include "latency.h"
#include "req.h"
#include "tw.h"
#include "setup.h"
#include "tctx.h"

#include <trace/events/io_uring.h>

static size_t io_rings_size(unsigned int flags, unsigned int sq_entries,
			    unsigned int cq_entries, size_t *sq_array_off)
{
	size_t cqe_size = sizeof(struct io_uring_cqe);
	size_t off;

	if (flags & IORING_SETUP_CQE32)
		cqe_size <<= 1;
	if (check_mul_overflow(cqe_size, (size_t)cq_entries, &off))
		return SIZE_MAX;
	off += offsetof(struct io_rings, cqes);
	off = ALIGN(off, SMP_CACHE_BYTES);
	/* IORING_SETUP_NO_SQARRAY: SQ head and tail index the SQEs */
	if (flags & IORING_SETUP_NO_SQARRAY) {
		*sq_array_off = 0;
		return off;
	}
	*sq_array_off = off;
	return off + sq_entries * sizeof(u32);
}

/* Refuse (or with CLAMP, cap) a size over @max; round up to a power of 2. */
static int io_ring_size(u32 *entries, u32 max, bool clamp)
{
	if (!*entries || (*entries > max && !clamp))
		return -EINVAL;
	*entries = roundup_pow_of_two(min(*entries, max));
	return 0;
}

/**
 * io_setup_sizes - the SQ and CQ sizes @p asks for, as the ring gets them
 * @entries: SQ entries asked for
 * @p: flags (CQSIZE, CLAMP) and cq_entries; sq_entries and cq_entries set
 *
 * Return: 0, or -EINVAL for a size of 0, over the maximum without CLAMP,
 * or a CQ smaller than the SQ.
 */
int io_setup_sizes(u32 entries, struct io_uring_params *p)
{
	bool clamp = p->flags & IORING_SETUP_CLAMP;
	int ret;

	p->sq_entries = entries;
	ret = io_ring_size(&p->sq_entries, IORING_MAX_ENTRIES, clamp);
	if (ret)
		return ret;
	/* by default the CQ has room for two completions per SQ slot */
	if (!(p->flags & IORING_SETUP_CQSIZE)) {
		p->cq_entries = 2 * p->sq_entries;
		return 0;
	}
	ret = io_ring_size(&p->cq_entries, IORING_MAX_CQ_ENTRIES, clamp);
	if (!ret && p->cq_entries < p->sq_entries)
		ret = -EINVAL;
	return ret;
}

/**
 * io_rings_alloc - allocate (or pin) rings and SQEs of @p's geometry
 * @ctx: the ring, whose creator pays for pinned pages
 * @p: sizes and flags; on success the offsets user space maps with
 * @m: filled on success; io_rings_free() releases it
 *
 * Used by setup and by IORING_REGISTER_RESIZE_RINGS, which builds the new
 * rings beside the old ones before it swaps them.
 *
 * Return: 0, or a negative errno with nothing allocated.
 */
int io_rings_alloc(struct io_ring_ctx *ctx, struct io_uring_params *p,
		   struct io_rings_mem *m)
{
	size_t size, sq_array_off, sqes_size = sizeof(struct io_uring_sqe);
	struct io_rings *rings;
	u64 sq_uaddr = p->sq_off.user_addr, cq_uaddr = p->cq_off.user_addr;
	int ret;

	memset(m, 0, sizeof(*m));
	size = io_rings_size(p->flags, p->sq_entries, p->cq_entries,
			     &sq_array_off);
	if (size == SIZE_MAX)
		return -EOVERFLOW;
	sqes_size *= p->sq_entries;
	if (p->flags & IORING_SETUP_SQE128)
		sqes_size *= 2;
	if (p->flags & IORING_SETUP_NO_MMAP) {
		/* user memory, page aligned: pinned and charged for */
		ret = io_region_pin(ctx, &m->ring_region, cq_uaddr, size);
		if (!ret)
			ret = io_region_pin(ctx, &m->sqe_region, sq_uaddr,
					    sqes_size);
	} else {
		ret = io_region_alloc(&m->ring_region, size);
		if (!ret)
			ret = io_region_alloc(&m->sqe_region, sqes_size);
	}
	if (ret) {
		io_rings_free(ctx, m);
		return ret;
	}
	rings = m->ring_region.ptr;
	m->rings = rings;
	/* never read back from the rings: NO_MMAP ones are user memory */
	m->sq_entries = p->sq_entries;
	m->cq_entries = p->cq_entries;
	m->sqes = m->sqe_region.ptr;
	if (!(p->flags & IORING_SETUP_NO_SQARRAY))
		m->sq_array = (u32 *)((char *)rings + sq_array_off);
	/* the geometry user space reads back, each value with its mask */
	rings->sq_ring_entries = p->sq_entries;
	rings->sq_ring_mask = p->sq_entries - 1;
	rings->cq_ring_entries = p->cq_entries;
	rings->cq_ring_mask = p->cq_entries - 1;

	/* where user space finds each field; unused fields stay zero */
#define RING_OFF(field)	offsetof(struct io_rings, field)
	p->sq_off = (struct io_sqring_offsets) {
		RING_OFF(sq.head), RING_OFF(sq.tail), RING_OFF(sq_ring_mask),
		RING_OFF(sq_ring_entries), RING_OFF(sq_flags),
		RING_OFF(sq_dropped), sq_array_off,
	};
	p->cq_off = (struct io_cqring_offsets) {
		RING_OFF(cq.head), RING_OFF(cq.tail), RING_OFF(cq_ring_mask),
		RING_OFF(cq_ring_entries), RING_OFF(cq_overflow),
		RING_OFF(cqes), RING_OFF(cq_flags),
	};
#undef RING_OFF
	/* NO_MMAP: the addresses stay as user space gave them */
	if (p->flags & IORING_SETUP_NO_MMAP) {
		p->sq_off.user_addr = sq_uaddr;
		p->cq_off.user_addr = cq_uaddr;
	}
	return 0;
}

/**
 * io_rings_free - release what io_rings_alloc() allocated or pinned
 * @ctx: the ring
 * @m: the rings; nothing may read them any more
 */
void io_rings_free(struct io_ring_ctx *ctx, struct io_rings_mem *m)
{
	io_region_free(ctx, &m->ring_region);
	io_region_free(ctx, &m->sqe_region);
}

/* Make @m the ring's rings (at setup, and under locks at resize). */
void io_rings_install(struct io_ring_ctx *ctx, struct io_rings_mem *m)
{
	ctx->ring_region = m->ring_region;
	ctx->sqe_region = m->sqe_region;
	/* lockless readers (under RCU) see the rings' contents with them */
	smp_store_release(&ctx->rings, m->rings);
	ctx->sq_sqes = m->sqes;
	ctx->sq_array = m->sq_array;
	ctx->sq_entries = m->sq_entries;
	ctx->cq_entries = m->cq_entries;
}

static struct io_ring_ctx *io_ring_ctx_alloc(struct io_uring_params *p)
{
	struct io_ring_ctx *ctx;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL_ACCOUNT);
	if (!ctx)
		return NULL;
	if (percpu_ref_init(&ctx->refs, io_ring_ctx_ref_free, 0, GFP_KERNEL)) {
		kfree(ctx);
		return NULL;
	}
	ctx->flags = p->flags;
	ctx->sq_entries = p->sq_entries;
	ctx->cq_entries = p->cq_entries;
	ctx->cq_shift = !!(p->flags & IORING_SETUP_CQE32);
	if (p->flags & IORING_SETUP_R_DISABLED)
		ctx->int_flags |= IO_CTX_DISABLED;
	mutex_init(&ctx->uring_lock);
	init_waitqueue_head(&ctx->cq_wait);
	ctx->clockid = CLOCK_MONOTONIC;
	spin_lock_init(&ctx->napi_lock);
	INIT_LIST_HEAD(&ctx->napi_list);
	init_waitqueue_head(&ctx->poll_wq);
	init_irq_work(&ctx->poll_wq_work, io_poll_wq_work);
	init_completion(&ctx->ref_comp);
	INIT_DELAYED_WORK(&ctx->exit_work, io_ring_exit_work);
	init_llist_head(&ctx->fallback_llist);
	init_llist_head(&ctx->work_llist);
	INIT_WORK(&ctx->fallback_work, io_fallback_work);
	ctx->kcov_handle = kcov_common_handle();
	INIT_LIST_HEAD(&ctx->cq_overflow_list);
	INIT_LIST_HEAD(&ctx->defer_list);
	INIT_LIST_HEAD(&ctx->tctx_list);
	spin_lock_init(&ctx->iowq_lock);
	spin_lock_init(&ctx->timeout_lock);
	INIT_LIST_HEAD(&ctx->timeout_list);
	INIT_LIST_HEAD(&ctx->iowq_list);
	INIT_LIST_HEAD(&ctx->iopoll_list);
	INIT_LIST_HEAD(&ctx->rw_waiting);
	INIT_LIST_HEAD(&ctx->sqd_list);
	xa_init_flags(&ctx->personalities, XA_FLAGS_ALLOC1);
	xa_init(&ctx->io_bl_xa);
	mutex_init(&ctx->mmap_lock);
	ctx->compl_tail = &ctx->compl_head;
	ctx->user = get_uid(current_user());
	ctx->limit_mem = !capable(CAP_IPC_LOCK);
	mmgrab(current->mm);
	ctx->mm_account = current->mm;
	return ctx;
}

/*
 * IORING_SETUP_ATTACH_WQ: io workers are per task, so only check wq_fd;
 * an SQPOLL ring shares the thread of wq_fd's ring (sqpoll.c).
 */
static int io_check_attach_wq(struct io_uring_params *p)
{
	struct file *file;
	int ret = 0;

	if (!(p->flags & IORING_SETUP_ATTACH_WQ) ||
	    (p->flags & IORING_SETUP_SQPOLL))
		return 0;
	file = fget(p->wq_fd);
	if (!file)
		return -ENXIO;
	if (!io_is_uring_fops(file))
		ret = -EINVAL;
	else
		ret = io_restrict_may_use(file->private_data);
	fput(file);
	return ret;
}

/* Who may create rings: the kernel.io_uring_* sysctls. */
static struct {
	int disabled;	/* 0: anyone, 1: CAP_SYS_ADMIN or group members, 2: nobody */
	int group;	/* the gid whose members may at level 1; -1: none */
} io_uring_admin = { .group = -1 };

#ifdef CONFIG_SYSCTL
static struct ctl_table io_uring_sysctl_table[] = {
	{
		.procname	= "io_uring_group",
		.mode		= 0644,
		.data		= &io_uring_admin.group,
		.maxlen		= sizeof(int),
		.proc_handler	= proc_dointvec,
	},
	{
		.procname	= "io_uring_disabled",
		.mode		= 0644,
		.data		= &io_uring_admin.disabled,
		.maxlen		= sizeof(int),
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_TWO,
	},
};
#endif

/* Only new rings are refused: existing ones keep working. */
static int io_uring_may_create(void)
{
	kgid_t gid;

	switch (READ_ONCE(io_uring_admin.disabled)) {
	case 0:
		return 0;
	case 1:
		gid = make_kgid(&init_user_ns, READ_ONCE(io_uring_admin.group));
		if ((gid_valid(gid) && in_group_p(gid)) || capable(CAP_SYS_ADMIN))
			return 0;
		fallthrough;
	default:
		return -EPERM;
	}
}

/* io_uring_setup(2)'s flags: known ones, in combinations that mean something */
static int io_setup_check_flags(const struct io_uring_params *p)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(p->resv); i++)
		if (p->resv[i])
			return -EINVAL;
	if (p->flags & ~IO_SETUP_FLAGS_SUPPORTED)
		return -EINVAL;
	/* the flag reports deferred work: only with a mode that defers */
	if ((p->flags & IORING_SETUP_TASKRUN_FLAG) &&
	    !(p->flags & (IORING_SETUP_COOP_TASKRUN |
			 IORING_SETUP_DEFER_TASKRUN)))
		return -EINVAL;
	/* deferred work runs in the one issuer's wait */
	if ((p->flags & IORING_SETUP_DEFER_TASKRUN) &&
	    !(p->flags & IORING_SETUP_SINGLE_ISSUER))
		return -EINVAL;
	/*
	 * An SQPOLL thread runs its task work itself: the modes that choose
	 * how a task is told about it mean nothing there (-EINVAL, as 6.12).
	 */
	if ((p->flags & IORING_SETUP_SQPOLL) &&
	    (p->flags & (IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG |
			IORING_SETUP_DEFER_TASKRUN)))
		return -EINVAL;
	/* without an fd the rings cannot be mmapped: user space owns them */
	if ((p->flags & IORING_SETUP_REGISTERED_FD_ONLY) &&
	    !(p->flags & IORING_SETUP_NO_MMAP))
		return -EINVAL;
	/* a CPU for the thread means there is a thread */
	if ((p->flags & IORING_SETUP_SQ_AFF) &&
	    !(p->flags & IORING_SETUP_SQPOLL))
		return -EINVAL;
	/* one CQE size, or both; one SQE size, or both */
	if ((p->flags & IORING_SETUP_CQE_MIXED) && (p->flags & IORING_SETUP_CQE32))
		return -EINVAL;
	if ((p->flags & IORING_SETUP_SQE_MIXED) && (p->flags & IORING_SETUP_SQE128))
		return -EINVAL;
	/* hybrid polling is a way of polling */
	if ((p->flags & IORING_SETUP_HYBRID_IOPOLL) &&
	    !(p->flags & IORING_SETUP_IOPOLL))
		return -EINVAL;
	return 0;
}

/*
 * The new ring's fd (or registered index): the last step, which cannot
 * fail once the fd is installed. Returns it, or -errno with nothing
 * installed.
 */
static int io_ring_install_fd(struct io_ring_ctx *ctx,
			      struct io_uring_params *p)
{
	struct file *file;
	int fd;

	/* REGISTERED_FD_ONLY: a registered ring index instead of an fd */
	if (p->flags & IORING_SETUP_REGISTERED_FD_ONLY)
		fd = io_ringfd_free_slot();
	else
		fd = get_unused_fd_flags(O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return fd;
	file = io_ring_file_create(ctx);
	if (IS_ERR(file)) {
		if (!(p->flags & IORING_SETUP_REGISTERED_FD_ONLY))
			put_unused_fd(fd);
		return PTR_ERR(file);
	}
	/*
	 * A disabled ring gets its issuer when it is enabled; with SQPOLL
	 * the thread is the one issuer.
	 */
	if ((p->flags & IORING_SETUP_SINGLE_ISSUER) &&
	    !(p->flags & (IORING_SETUP_R_DISABLED | IORING_SETUP_SQPOLL)))
		ctx->submitter_task = get_task_struct(current);
	trace_io_uring_create(fd, ctx, p->sq_entries, p->cq_entries, p->flags);
	/*
	 * Past the last failure, and before the fd exists (a close through
	 * it could free the ring): the submission thread may look at it now.
	 */
	if (p->flags & IORING_SETUP_SQPOLL)
		io_sq_offload_start(ctx);
	if (p->flags & IORING_SETUP_REGISTERED_FD_ONLY)
		current->io_uring->registered_rings[fd] = file;
	else
		fd_install(fd, file);
	return fd;
}

static long io_uring_setup(u32 entries, struct io_uring_params __user *params)
{
	struct io_uring_params p;
	struct io_rings_mem mem;
	struct io_ring_ctx *ctx;
	int ret;

	ret = io_uring_may_create();
	if (ret)
		return ret;
	if (copy_from_user(&p, params, sizeof(p)))
		return -EFAULT;
	ret = io_setup_check_flags(&p);
	if (ret)
		return ret;
	ret = io_setup_sizes(entries, &p);
	if (ret)
		return ret;
	/* a 32-byte CQE takes two slots: a ring of one could never post it */
	if ((p.flags & IORING_SETUP_CQE_MIXED) && p.cq_entries < 2)
		return -EOVERFLOW;
	ret = io_check_attach_wq(&p);
	if (ret)
		return ret;

	ctx = io_ring_ctx_alloc(&p);
	if (!ctx)
		return -ENOMEM;
	/* the creator's restrictions and filters, for the ring's life */
	io_restrict_ring_init(ctx);
	ret = io_rings_alloc(ctx, &p, &mem);
	if (ret)
		goto err_ctx;
	io_rings_install(ctx, &mem);
	ret = io_poll_hash_alloc(ctx);
	if (ret)
		goto err_ctx;
	ret = io_rsrc_gen_init(ctx);
	if (ret)
		goto err_ctx;
	ret = io_uring_alloc_task_context(current);
	if (ret)
		goto err_ctx;

	if (p.flags & IORING_SETUP_SQPOLL) {
		ret = io_sq_offload_create(ctx, &p);
		if (ret)
			goto err_ctx;
	} else {
		p.sq_thread_cpu = 0;
		p.sq_thread_idle = 0;
	}
	p.features = IO_FEATURES;
	if (copy_to_user(params, &p, sizeof(p))) {
		ret = -EFAULT;
		goto err_ctx;
	}

	ret = io_ring_install_fd(ctx, &p);
	if (ret < 0)
		goto err_ctx;
	return ret;
err_ctx:
	/* never used: percpu_ref_exit() without a kill is fine here */
	io_ring_ctx_free(ctx);
	return ret;
}

SYSCALL_DEFINE2(io_uring_setup, u32, entries,
		struct io_uring_params __user *, params)
{
	return io_uring_setup(entries, params);
}

static int __init io_uring_init(void)
{
	BUILD_BUG_ON(sizeof(struct io_uring_sqe) != 64);
	BUILD_BUG_ON(sizeof(struct io_uring_cqe) != 16);
	BUILD_BUG_ON(sizeof(struct io_uring_cmd) > sizeof(struct io_cmd_data));
	/* a request's iopoll_node overlays exactly its work.list */
	BUILD_BUG_ON(offsetof(struct io_kiocb, iopoll_node) !=
		     offsetof(struct io_kiocb, work.list));
	io_op_defs_check();
	io_req_cache_init();
#ifdef CONFIG_SYSCTL
	register_sysctl_init("kernel", io_uring_sysctl_table);
	io_lat_sysctl_init();
#endif
	return 0;
}
device_initcall(io_uring_init);
