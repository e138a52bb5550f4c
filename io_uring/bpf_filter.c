// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_REGISTER_BPF_FILTER (upstream 7.0): classic BPF programs, per
 * opcode, that allow or deny each request after its prep, before anything
 * of it runs. A ring's filters are those of the task that created it
 * (inherited over fork and exec, see restrict.c) plus the ring's own.
 *
 * Filters only ever add up. A table (opcode -> chain of filters) is never
 * changed once published: a registration builds a new one that shares the
 * old chains and puts its filter in front. Every filter of the chain must
 * allow (return non-zero); the newest runs first.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/filter.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/refcount.h>
#include <linux/nospec.h>
#include <linux/io_uring_types.h>
#include <uapi/linux/io_uring/bpf_filter.h>

#include "io_uring.h"
#include "restrict.h"
#include "bpf_filter.h"
#include "opdef.h"

/* instructions one request may have to run, as seccomp bounds a call */
#define IO_BPF_MAX_INSNS	32768
/* what each filter costs on top of its instructions (the call) */
#define IO_BPF_FILTER_COST	4

struct io_bpf_filter {
	refcount_t		refs;
	/* NULL: IO_URING_BPF_FILTER_DENY_REST's "deny" */
	struct bpf_prog		*prog;
	/* the filters of the opcode registered before: they run next */
	struct io_bpf_filter	*next;
};

struct io_bpf_table {
	refcount_t		refs;
	unsigned int		nr_insns;
	struct io_bpf_filter	*op[IORING_OP_LAST];
};

static void io_bpf_filter_put(struct io_bpf_filter *f)
{
	struct io_bpf_filter *next;

	/* iteratively: a chain may be long */
	for (; f && refcount_dec_and_test(&f->refs); f = next) {
		next = f->next;
		if (f->prog)
			bpf_prog_destroy(f->prog);
		kfree(f);
	}
}

/**
 * io_bpf_table_get - take a reference on a filter table
 * @t: the table, or NULL
 *
 * Return: @t.
 */
struct io_bpf_table *io_bpf_table_get(struct io_bpf_table *t)
{
	if (t)
		refcount_inc(&t->refs);
	return t;
}

/**
 * io_bpf_table_put - drop a reference on a filter table
 * @t: the table, or NULL
 */
void io_bpf_table_put(struct io_bpf_table *t)
{
	unsigned int i;

	if (!t || !refcount_dec_and_test(&t->refs))
		return;
	for (i = 0; i < IORING_OP_LAST; i++)
		io_bpf_filter_put(t->op[i]);
	kfree(t);
}

/* The payload size of an opcode: what io_bpf_filter_req() fills in. */
static u8 io_bpf_pdu_size(u32 opcode)
{
	if (opcode >= IORING_OP_LAST)
		return 0;
	/* the opcode may come from a filter registration: user space's */
	return io_op_defs[array_index_nospec(opcode, IORING_OP_LAST)].bpf_pdu_size;
}

/*
 * Like seccomp's check: loads are 32 bits from struct io_uring_bpf_ctx
 * (rewritten into loads from the context the program runs on), the
 * rest arithmetic, scratch memory, jumps and returns. Nothing reads
 * packets or anything else of the kernel.
 */
static int io_bpf_check(struct sock_filter *filter, unsigned int len)
{
	unsigned int pc;

	for (pc = 0; pc < len; pc++) {
		struct sock_filter *insn = &filter[pc];

		switch (insn->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (insn->k >= sizeof(struct io_uring_bpf_ctx) ||
			    insn->k & 3)
				return -EINVAL;
			insn->code = BPF_LDX | BPF_W | BPF_ABS;
			break;
		case BPF_LD | BPF_W | BPF_LEN:
			insn->code = BPF_LD | BPF_IMM;
			insn->k = sizeof(struct io_uring_bpf_ctx);
			break;
		case BPF_LDX | BPF_W | BPF_LEN:
			insn->code = BPF_LDX | BPF_IMM;
			insn->k = sizeof(struct io_uring_bpf_ctx);
			break;
		case BPF_RET | BPF_K:
		case BPF_RET | BPF_A:
		case BPF_ALU | BPF_ADD | BPF_K:
		case BPF_ALU | BPF_ADD | BPF_X:
		case BPF_ALU | BPF_SUB | BPF_K:
		case BPF_ALU | BPF_SUB | BPF_X:
		case BPF_ALU | BPF_MUL | BPF_K:
		case BPF_ALU | BPF_MUL | BPF_X:
		case BPF_ALU | BPF_DIV | BPF_K:
		case BPF_ALU | BPF_DIV | BPF_X:
		case BPF_ALU | BPF_AND | BPF_K:
		case BPF_ALU | BPF_AND | BPF_X:
		case BPF_ALU | BPF_OR | BPF_K:
		case BPF_ALU | BPF_OR | BPF_X:
		case BPF_ALU | BPF_XOR | BPF_K:
		case BPF_ALU | BPF_XOR | BPF_X:
		case BPF_ALU | BPF_LSH | BPF_K:
		case BPF_ALU | BPF_LSH | BPF_X:
		case BPF_ALU | BPF_RSH | BPF_K:
		case BPF_ALU | BPF_RSH | BPF_X:
		case BPF_ALU | BPF_NEG:
		case BPF_LD | BPF_IMM:
		case BPF_LDX | BPF_IMM:
		case BPF_MISC | BPF_TAX:
		case BPF_MISC | BPF_TXA:
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_MEM:
		case BPF_ST:
		case BPF_STX:
		case BPF_JMP | BPF_JA:
		case BPF_JMP | BPF_JEQ | BPF_K:
		case BPF_JMP | BPF_JEQ | BPF_X:
		case BPF_JMP | BPF_JGE | BPF_K:
		case BPF_JMP | BPF_JGE | BPF_X:
		case BPF_JMP | BPF_JGT | BPF_K:
		case BPF_JMP | BPF_JGT | BPF_X:
		case BPF_JMP | BPF_JSET | BPF_K:
		case BPF_JMP | BPF_JSET | BPF_X:
			break;
		default:
			return -EINVAL;
		}
	}
	return 0;
}

static struct io_bpf_filter *io_bpf_filter_get(struct io_bpf_filter *f)
{
	if (f)
		refcount_inc(&f->refs);
	return f;
}

/*
 * A new table: @old's chains, @prog in front of @opcode's, and with
 * DENY_REST a "deny" for each opcode that has no filter yet. @prog is
 * the table's once this succeeds.
 */
static struct io_bpf_table *io_bpf_table_add(struct io_bpf_table *old,
					     struct bpf_prog *prog, u32 opcode,
					     u32 len, bool deny_rest)
{
	struct io_bpf_filter *f, *deny = NULL;
	struct io_bpf_table *t;
	unsigned int i, nr_deny = 0;

	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
	if (deny_rest)
		deny = kzalloc(sizeof(*deny), GFP_KERNEL_ACCOUNT);
	if (!t || !f || (deny_rest && !deny))
		goto nomem;
	t->nr_insns = (old ? old->nr_insns : 0) + len + IO_BPF_FILTER_COST;
	if (t->nr_insns > IO_BPF_MAX_INSNS)
		goto nomem;
	refcount_set(&t->refs, 1);
	for (i = 0; i < IORING_OP_LAST; i++)
		t->op[i] = old ? io_bpf_filter_get(old->op[i]) : NULL;
	refcount_set(&f->refs, 1);
	f->prog = prog;
	f->next = t->op[opcode];
	t->op[opcode] = f;
	if (deny) {
		for (i = 0; i < IORING_OP_LAST; i++) {
			if (t->op[i])
				continue;
			t->op[i] = deny;
			nr_deny++;
		}
		if (nr_deny)
			refcount_set(&deny->refs, nr_deny);
		else
			kfree(deny);
	}
	return t;
nomem:
	kfree(deny);
	kfree(f);
	kfree(t);
	return ERR_PTR(-ENOMEM);
}

static int io_bpf_run(struct io_bpf_filter *f, struct io_uring_bpf_ctx *bctx)
{
	for (; f; f = f->next) {
		if (!f->prog || !bpf_prog_run_pin_on_cpu(f->prog, bctx))
			return -EACCES;
	}
	return 0;
}

/**
 * io_bpf_filter_req - run the filters of a request's opcode
 * @t: the ring's filters
 * @req: the request, prepared (its payload is read from the prep's data)
 * @sqe_flags: the flags of its SQE
 *
 * Return: 0 if every filter allows it, -EACCES if one denies it.
 */
int io_bpf_filter_req(struct io_bpf_table *t, struct io_kiocb *req,
		      u8 sqe_flags)
{
	struct io_bpf_filter *f = t->op[req->opcode];
	struct io_uring_bpf_ctx bctx;

	if (!f)
		return 0;
	memset(&bctx, 0, sizeof(bctx));
	bctx.user_data = req->cqe.user_data;
	bctx.opcode = req->opcode;
	bctx.sqe_flags = sqe_flags;
	bctx.pdu_size = io_bpf_pdu_size(req->opcode);
	if (io_op_defs[req->opcode].bpf_pdu)
		io_op_defs[req->opcode].bpf_pdu(req, &bctx);
	return io_bpf_run(f, &bctx);
}

/**
 * io_bpf_filter_op - run the filters of an opcode that has no request
 * @t: the filters (a task's)
 * @opcode: the operation (IORING_OP_MSG_RING for a ring-less MSG_RING)
 * @user_data: the user_data it carries
 *
 * Return: 0 if every filter allows it, -EACCES if one denies it.
 */
int io_bpf_filter_op(struct io_bpf_table *t, u8 opcode, u64 user_data)
{
	struct io_uring_bpf_ctx bctx;

	if (!t || !t->op[opcode])
		return 0;
	memset(&bctx, 0, sizeof(bctx));
	bctx.user_data = user_data;
	bctx.opcode = opcode;
	return io_bpf_run(t->op[opcode], &bctx);
}

/*
 * The struct io_uring_bpf_filter checks. Whenever the pdu size asked for
 * is not the kernel's, the kernel's is written back (before anything is
 * installed): on -EMSGSIZE, for user space to retry with.
 */
static int io_bpf_filter_valid(struct io_uring_bpf __user *arg,
			       const struct io_uring_bpf *reg)
{
	const struct io_uring_bpf_filter *f = &reg->filter;
	u8 size;

	if (reg->cmd_type != IO_URING_BPF_CMD_FILTER || reg->cmd_flags ||
	    reg->resv)
		return -EINVAL;
	if (f->flags & ~(IO_URING_BPF_FILTER_DENY_REST |
			 IO_URING_BPF_FILTER_SZ_STRICT))
		return -EINVAL;
	if (memchr_inv(f->resv, 0, sizeof(f->resv)) ||
	    memchr_inv(f->resv2, 0, sizeof(f->resv2)))
		return -EINVAL;
	if (f->opcode >= IORING_OP_LAST)
		return -EINVAL;
	if (!f->filter_len || f->filter_len > BPF_MAXINSNS || !f->filter_ptr)
		return -EINVAL;
	size = io_bpf_pdu_size(f->opcode);
	if (f->pdu_size == size)
		return 0;
	/* another size than the kernel's: tell user space the kernel's */
	if (put_user(size, &arg->filter.pdu_size))
		return -EFAULT;
	if (f->pdu_size > size || (f->flags & IO_URING_BPF_FILTER_SZ_STRICT))
		return -EMSGSIZE;
	return 0;
}

/**
 * io_register_bpf_filter - IORING_REGISTER_BPF_FILTER
 * @ctx: the ring (uring_lock held), or NULL: current's task policy
 * @arg: a struct io_uring_bpf
 * @nr_args: 1
 *
 * Like seccomp's, a filter needs no_new_privs or CAP_SYS_ADMIN: it must
 * not be able to fool a setuid program the task goes on to exec.
 *
 * Return: 0, or -errno (-EACCES without the privilege above, -EMSGSIZE
 * for a payload size the kernel does not have, -ENOMEM past the limit of
 * instructions a request may have to run, -EBUSY for a task that maps an
 * SQPOLL ring outside its new policy). The kernel's payload size is
 * written back when it differs from the one asked for.
 */
int io_register_bpf_filter(struct io_ring_ctx *ctx, void __user *arg,
			   unsigned int nr_args)
{
	struct io_uring_bpf __user *uarg = arg;
	struct io_uring_restrict *policy = NULL;
	struct io_bpf_table *t, **slot;
	struct io_uring_bpf reg;
	struct sock_fprog fprog;
	struct bpf_prog *prog;
	int ret;

	if (!arg || nr_args != 1)
		return -EINVAL;
	if (copy_from_user(&reg, uarg, sizeof(reg)))
		return -EFAULT;
	ret = io_bpf_filter_valid(uarg, &reg);
	if (ret)
		return ret;
	ret = io_restrict_privileged();
	if (ret)
		return ret;
	fprog.len = reg.filter.filter_len;
	fprog.filter = u64_to_user_ptr(reg.filter.filter_ptr);
	ret = bpf_prog_create_from_user(&prog, &fprog, io_bpf_check, false);
	if (ret)
		return ret;
	if (ctx) {
		lockdep_assert_held(&ctx->uring_lock);
		slot = &ctx->bpf_filters;
	} else {
		policy = io_restrict_task_new();
		if (!policy) {
			bpf_prog_destroy(prog);
			return -ENOMEM;
		}
		slot = &policy->filters;
	}
	t = io_bpf_table_add(*slot, prog, reg.filter.opcode,
			     reg.filter.filter_len,
			     reg.filter.flags & IO_URING_BPF_FILTER_DENY_REST);
	if (IS_ERR(t)) {
		bpf_prog_destroy(prog);
		io_restrict_put(policy);
		return PTR_ERR(t);
	}
	/* submissions read the ring's table under uring_lock, as we hold */
	io_bpf_table_put(*slot);
	*slot = t;
	if (policy)
		return io_restrict_task_install(policy);
	/* submission looks for filters only on a restricted ring */
	WRITE_ONCE(ctx->restricted, true);
	return 0;
}
