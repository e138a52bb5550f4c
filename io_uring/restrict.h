/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_RESTRICT_H
#define IOU_RESTRICT_H

#include <linux/refcount.h>
#include <linux/io_uring_types.h>

struct io_bpf_table;

/*
 * A task's io_uring policy (IORING_REGISTER_RESTRICTIONS and
 * IORING_REGISTER_BPF_FILTER on fd -1). Never changed once a task holds
 * it: a registration makes a new one, stricter than its @parent, and
 * fork() shares it. Each ring keeps the one its creator had.
 */
struct io_uring_restrict {
	refcount_t			refs;
	/* registrations it took to get here: bounds the chain */
	unsigned int			depth;
	struct io_uring_restrict	*parent;
	/* res.registered: a restriction set (the intersection of all) */
	struct io_restrictions		res;
	struct io_bpf_table		*filters;
};

int io_register_restrictions(struct io_ring_ctx *ctx, void __user *arg,
			     unsigned int nr_args);
int io_register_task_restrictions(void __user *arg, unsigned int nr_args);
void io_restrict_enable(struct io_ring_ctx *ctx);
int io_restrict_sqe(struct io_ring_ctx *ctx, u8 opcode, u8 sqe_flags);
bool io_restrict_register_op(struct io_ring_ctx *ctx, unsigned int opcode);
void io_restrict_ring_init(struct io_ring_ctx *ctx);
void io_restrict_ring_free(struct io_ring_ctx *ctx);
bool io_restrict_covers(const struct io_uring_restrict *ring,
			const struct io_uring_restrict *task);
int io_restrict_task_op(u8 opcode, unsigned int register_op, u64 user_data);
int io_restrict_privileged(void);
struct io_uring_restrict *io_restrict_task_new(void);
int io_restrict_task_install(struct io_uring_restrict *p);
void io_restrict_put(struct io_uring_restrict *p);

/**
 * io_restrict_may_use - may current use this ring at all?
 * @ctx: a ring current has a file (or registered ring fd) of
 *
 * A task under a policy uses only rings made under that policy or a
 * stricter one: not a ring passed in from outside its sandbox, whose
 * requests nothing of its policy would check.
 *
 * Return: 0, or -EACCES.
 */
static __always_inline int io_restrict_may_use(struct io_ring_ctx *ctx)
{
	struct io_uring_restrict *mine = current->io_uring_restrict;

	/* (inline: io_uring_enter() pays for this test on every call) */
	if (likely(!mine) || io_restrict_covers(ctx->task_policy, mine))
		return 0;
	return -EACCES;
}

#endif
