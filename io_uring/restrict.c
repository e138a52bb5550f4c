// SPDX-License-Identifier: GPL-2.0
/*
 * Restrictions: which opcodes, SQE flags and register opcodes a ring
 * takes.
 *
 * A ring's own set (IORING_REGISTER_RESTRICTIONS on a ring created with
 * IORING_SETUP_R_DISABLED) applies once it is enabled. A task's policy
 * (the same call, and IORING_REGISTER_BPF_FILTER, on fd -1; upstream
 * 7.0) applies to every ring the task and its descendants create from
 * then on: fork() shares it with the child (io_uring_fork()), exec()
 * keeps it, and a registration can only make it stricter. It is what a
 * container manager installs once, like a seccomp filter.
 *
 * A request must pass both sets, before its prep; the policy's filters
 * run after it (bpf_filter.c). A task under a policy uses only rings
 * made under it (io_restrict_may_use()) and sends MSG_RING only to
 * those.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/sched.h>
#include <linux/mm.h>
#include <linux/io_uring.h>

#include "io_uring.h"
#include "restrict.h"
#include "bpf_filter.h"

#define IORING_MAX_RESTRICTIONS	(IORING_RESTRICTION_LAST + \
				 IORING_REGISTER_LAST + IORING_OP_LAST)
/* registrations on the way to a policy (each adds a link to walk) */
#define IO_RESTRICT_MAX_DEPTH	64

/**
 * io_restrict_privileged - may current install a policy or a filter?
 *
 * As for seccomp: only with no_new_privs (so that no setuid program it
 * execs runs under a policy meant to fool it) or CAP_SYS_ADMIN.
 *
 * Return: 0, or -EACCES.
 */
int io_restrict_privileged(void)
{
	if (task_no_new_privs(current) ||
	    ns_capable_noaudit(current_user_ns(), CAP_SYS_ADMIN))
		return 0;
	return -EACCES;
}

/*
 * Parse an array of struct io_uring_restriction. The allowed flags
 * include the required ones, so that two sets combine by intersection.
 */
static int io_parse_restrictions(struct io_restrictions *r,
				 void __user *arg, unsigned int nr)
{
	struct io_uring_restriction *res;
	unsigned int i;
	int ret = 0;

	memset(r, 0, sizeof(*r));
	if (nr > IORING_MAX_RESTRICTIONS)
		return -EINVAL;
	res = memdup_array_user(arg, nr, sizeof(*res));
	if (IS_ERR(res))
		return PTR_ERR(res);
	for (i = 0; i < nr && !ret; i++) {
		switch (res[i].opcode) {
		case IORING_RESTRICTION_REGISTER_OP:
			if (res[i].register_op >= IORING_REGISTER_LAST)
				ret = -EINVAL;
			else
				__set_bit(res[i].register_op, r->register_op);
			break;
		case IORING_RESTRICTION_SQE_OP:
			if (res[i].sqe_op >= IORING_OP_LAST)
				ret = -EINVAL;
			else
				__set_bit(res[i].sqe_op, r->sqe_op);
			break;
		case IORING_RESTRICTION_SQE_FLAGS_ALLOWED:
			r->sqe_flags_allowed = res[i].sqe_flags;
			break;
		case IORING_RESTRICTION_SQE_FLAGS_REQUIRED:
			r->sqe_flags_required = res[i].sqe_flags;
			break;
		default:
			ret = -EINVAL;
			break;
		}
	}
	kfree(res);
	r->sqe_flags_allowed |= r->sqe_flags_required;
	r->registered = !ret;
	return ret;
}

/**
 * io_register_restrictions - IORING_REGISTER_RESTRICTIONS on a ring
 * @ctx: the ring, created disabled and not enabled yet (uring_lock held)
 * @arg: the struct io_uring_restriction array
 * @nr_args: its entries; none is valid (the ring then allows nothing)
 *
 * Return: 0, -EBADFD if the ring is not disabled, -EBUSY if it has its
 * set already, -EINVAL for a bad entry, -EFAULT.
 */
int io_register_restrictions(struct io_ring_ctx *ctx, void __user *arg,
			     unsigned int nr_args)
{
	struct io_restrictions r;
	int ret;

	if (!(ctx->int_flags & IO_CTX_DISABLED))
		return -EBADFD;
	if (ctx->restrictions.registered)
		return -EBUSY;
	if (!arg)
		return -EINVAL;
	ret = io_parse_restrictions(&r, arg, nr_args);
	if (!ret)
		ctx->restrictions = r;
	return ret;
}

/**
 * io_restrict_enable - the ring's own set applies from now on
 * @ctx: the ring, being enabled (IORING_REGISTER_ENABLE_RINGS)
 */
void io_restrict_enable(struct io_ring_ctx *ctx)
{
	if (ctx->restrictions.registered)
		ctx->restricted = true;
}

static bool io_restrictions_deny(const struct io_restrictions *r, u8 opcode,
				 u8 sqe_flags)
{
	if (!test_bit(opcode, r->sqe_op))
		return true;
	if ((sqe_flags & r->sqe_flags_required) != r->sqe_flags_required)
		return true;
	return sqe_flags & ~r->sqe_flags_allowed;
}

static bool io_ring_own_restricted(struct io_ring_ctx *ctx)
{
	return ctx->restrictions.registered &&
	       !(ctx->int_flags & IO_CTX_DISABLED);
}

/**
 * io_restrict_sqe - may a restricted ring take this SQE?
 * @ctx: the ring (ctx->restricted set)
 * @opcode: the SQE's opcode
 * @sqe_flags: its flags
 *
 * Return: 0, or -EACCES.
 */
int io_restrict_sqe(struct io_ring_ctx *ctx, u8 opcode, u8 sqe_flags)
{
	struct io_uring_restrict *p = ctx->task_policy;

	if (io_ring_own_restricted(ctx) &&
	    io_restrictions_deny(&ctx->restrictions, opcode, sqe_flags))
		return -EACCES;
	if (p && p->res.registered &&
	    io_restrictions_deny(&p->res, opcode, sqe_flags))
		return -EACCES;
	return 0;
}

/**
 * io_restrict_register_op - may this ring take this register opcode?
 * @ctx: the ring
 * @opcode: the IORING_REGISTER_* code
 *
 * Return: true if no set of the ring's denies it.
 */
bool io_restrict_register_op(struct io_ring_ctx *ctx, unsigned int opcode)
{
	struct io_uring_restrict *p = ctx->task_policy;

	if (!READ_ONCE(ctx->restricted))
		return true;
	if (io_ring_own_restricted(ctx) &&
	    !test_bit(opcode, ctx->restrictions.register_op))
		return false;
	return !(p && p->res.registered && !test_bit(opcode, p->res.register_op));
}

/**
 * io_restrict_covers - is a ring's policy a task's, or stricter?
 * @ring: the policy a ring was created under (NULL: none)
 * @task: a task's policy (NULL: none)
 *
 * Return: true if @task is @ring or one of the policies @ring narrowed.
 */
bool io_restrict_covers(const struct io_uring_restrict *ring,
			const struct io_uring_restrict *task)
{
	if (!task)
		return true;
	for (; ring; ring = ring->parent)
		if (ring == task)
			return true;
	return false;
}

/**
 * io_restrict_task_op - may current's policy do @opcode without a ring?
 * @opcode: the operation (IORING_REGISTER_SEND_MSG_RING's MSG_RING)
 * @register_op: the register opcode it takes to ask for it
 * @user_data: what the filters see as its user_data
 *
 * Return: 0, or -EACCES.
 */
int io_restrict_task_op(u8 opcode, unsigned int register_op, u64 user_data)
{
	struct io_uring_restrict *p = current->io_uring_restrict;

	if (!p)
		return 0;
	if (p->res.registered &&
	    (io_restrictions_deny(&p->res, opcode, 0) ||
	     !test_bit(register_op, p->res.register_op)))
		return -EACCES;
	return io_bpf_filter_op(p->filters, opcode, user_data);
}

/**
 * io_restrict_ring_init - a new ring takes its creator's policy
 * @ctx: the ring being set up by current
 */
void io_restrict_ring_init(struct io_ring_ctx *ctx)
{
	struct io_uring_restrict *p = current->io_uring_restrict;

	if (!p)
		return;
	refcount_inc(&p->refs);
	ctx->task_policy = p;
	ctx->bpf_filters = io_bpf_table_get(p->filters);
	if (p->res.registered || p->filters)
		ctx->restricted = true;
}

/**
 * io_restrict_ring_free - drop what a ring holds of policies and filters
 * @ctx: the ring being freed
 */
void io_restrict_ring_free(struct io_ring_ctx *ctx)
{
	io_bpf_table_put(ctx->bpf_filters);
	ctx->bpf_filters = NULL;
	io_restrict_put(ctx->task_policy);
	ctx->task_policy = NULL;
}

/**
 * io_restrict_put - drop a reference on a policy
 * @p: the policy, or NULL
 */
void io_restrict_put(struct io_uring_restrict *p)
{
	struct io_uring_restrict *parent;

	/* iteratively: each holds the one it narrowed */
	for (; p && refcount_dec_and_test(&p->refs); p = parent) {
		parent = p->parent;
		io_bpf_table_put(p->filters);
		kfree(p);
	}
}

/**
 * io_restrict_task_new - a copy of current's policy, for it to narrow
 *
 * The caller changes the copy and installs it with
 * io_restrict_task_install(), or drops it with io_restrict_put().
 *
 * Return: the copy, or NULL (out of memory, or too many registrations).
 */
struct io_uring_restrict *io_restrict_task_new(void)
{
	struct io_uring_restrict *cur = current->io_uring_restrict, *p;

	if (cur && cur->depth >= IO_RESTRICT_MAX_DEPTH)
		return NULL;
	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return NULL;
	refcount_set(&p->refs, 1);
	if (cur) {
		refcount_inc(&cur->refs);
		p->parent = cur;
		p->depth = cur->depth + 1;
		p->res = cur->res;
		p->filters = io_bpf_table_get(cur->filters);
	}
	return p;
}

/*
 * An SQPOLL ring submits what anyone who can write its SQ ring puts
 * there, without io_uring_enter(): a task must not take a policy while
 * it maps one that the policy would not cover (one from before, or of a
 * wider policy). It has to unmap it first, or exec. (An SQPOLL ring in
 * user memory, IORING_SETUP_NO_MMAP, cannot be told from other memory:
 * the way into a sandbox is exec. Nor can a thread that has no policy
 * be kept from mapping one later: like seccomp without TSYNC, a policy
 * is installed before the sandboxed program starts threads.)
 */
static int io_restrict_check_mm(struct io_uring_restrict *p)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	struct io_ring_ctx *ctx;
	int ret = 0;

	VMA_ITERATOR(vmi, mm, 0);

	if (!mm)
		return 0;
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	for_each_vma(vmi, vma) {
		if (!vma->vm_file || !io_is_uring_fops(vma->vm_file))
			continue;
		ctx = vma->vm_file->private_data;
		if ((ctx->flags & IORING_SETUP_SQPOLL) &&
		    !io_restrict_covers(ctx->task_policy, p)) {
			ret = -EBUSY;
			break;
		}
	}
	mmap_read_unlock(mm);
	return ret;
}

/**
 * io_restrict_task_install - make @p current's policy
 * @p: from io_restrict_task_new(); current's reference on it, which is
 *	dropped on failure
 *
 * Only current changes its own policy (and fork() reads it in current,
 * under siglock, where it cannot be changing): no lock is needed.
 *
 * Return: 0, or -EBUSY if current maps an SQPOLL ring @p does not cover.
 */
int io_restrict_task_install(struct io_uring_restrict *p)
{
	struct io_uring_restrict *old = current->io_uring_restrict;
	int ret = io_restrict_check_mm(p);

	if (ret) {
		io_restrict_put(p);
		return ret;
	}
	WRITE_ONCE(current->io_uring_restrict, p);
	io_restrict_put(old);
	return 0;
}

static bool io_restrictions_equal(const struct io_restrictions *a,
				  const struct io_restrictions *b)
{
	return bitmap_equal(a->sqe_op, b->sqe_op, IORING_OP_LAST) &&
	       bitmap_equal(a->register_op, b->register_op,
			    IORING_REGISTER_LAST) &&
	       a->sqe_flags_allowed == b->sqe_flags_allowed &&
	       a->sqe_flags_required == b->sqe_flags_required;
}

/* Does @new allow anything @old does not? */
static bool io_restrictions_widen(const struct io_restrictions *old,
				  const struct io_restrictions *new)
{
	if (!bitmap_subset(new->sqe_op, old->sqe_op, IORING_OP_LAST) ||
	    !bitmap_subset(new->register_op, old->register_op,
			   IORING_REGISTER_LAST))
		return true;
	if (new->sqe_flags_allowed & ~old->sqe_flags_allowed)
		return true;
	return old->sqe_flags_required & ~new->sqe_flags_required;
}

/**
 * io_register_task_restrictions - IORING_REGISTER_RESTRICTIONS on fd -1
 * @arg: a struct io_uring_task_restriction and its array
 * @nr_args: 1
 *
 * A task (or its parent before it) that has a set may only narrow it:
 * a set that allows anything the current one does not, or that changes
 * nothing, is -EPERM (upstream refuses every second set).
 *
 * Return: 0, or -errno (-EACCES without no_new_privs or CAP_SYS_ADMIN,
 * -EBUSY while current maps an SQPOLL ring made outside the new policy).
 */
int io_register_task_restrictions(void __user *arg, unsigned int nr_args)
{
	struct io_uring_task_restriction __user *uarg = arg;
	struct io_uring_restrict *cur = current->io_uring_restrict, *p;
	struct io_uring_task_restriction hdr;
	struct io_restrictions r;
	int ret;

	if (!arg || nr_args != 1)
		return -EINVAL;
	if (copy_from_user(&hdr, uarg, sizeof(hdr)))
		return -EFAULT;
	if (hdr.flags || memchr_inv(hdr.resv, 0, sizeof(hdr.resv)))
		return -EINVAL;
	ret = io_restrict_privileged();
	if (ret)
		return ret;
	ret = io_parse_restrictions(&r, uarg->restrictions, hdr.nr_res);
	if (ret)
		return ret;
	if (cur && cur->res.registered &&
	    (io_restrictions_widen(&cur->res, &r) ||
	     io_restrictions_equal(&cur->res, &r)))
		return -EPERM;
	p = io_restrict_task_new();
	if (!p)
		return -ENOMEM;
	p->res = r;
	return io_restrict_task_install(p);
}

/**
 * __io_uring_fork - a child shares its parent's io_uring policy
 * @p: the new task, past every failure point of copy_process()
 *
 * Called with current's siglock held: takes a reference, nothing more.
 */
void __io_uring_fork(struct task_struct *p)
{
	struct io_uring_restrict *policy = current->io_uring_restrict;

	refcount_inc(&policy->refs);
	p->io_uring_restrict = policy;
}

/**
 * __io_uring_free_restrict - drop a task's io_uring policy
 * @tsk: the task being freed
 */
void __io_uring_free_restrict(struct task_struct *tsk)
{
	io_restrict_put(tsk->io_uring_restrict);
	tsk->io_uring_restrict = NULL;
}
