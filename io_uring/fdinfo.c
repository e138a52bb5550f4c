// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/<pid>/fdinfo/<ring fd>: the ring's state for debugging, including
 * per-opcode submitted/completed counters.
 */
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/cred.h>
#include <linux/uidgid.h>
#include <linux/io_uring_types.h>

#include "io_uring.h"
#include "latency.h"
#include "sqpoll.h"
#include "opdef.h"
#include "fdinfo.h"
#include "rsrc.h"
#include "poll.h"

/* The rings as user space sees them, and the ring's setup. */
static void io_show_rings(struct seq_file *m, struct io_ring_ctx *ctx)
{
	unsigned int sq_head, sq_tail, cq_head, cq_tail, sq_dropped, cq_overflow;
	struct io_rings *rings;

	/* a resize frees the rings it replaces a grace period later */
	rcu_read_lock();
	rings = READ_ONCE(ctx->rings);
	sq_head = READ_ONCE(rings->sq.head);
	sq_tail = READ_ONCE(rings->sq.tail);
	cq_head = READ_ONCE(rings->cq.head);
	cq_tail = READ_ONCE(rings->cq.tail);
	sq_dropped = READ_ONCE(rings->sq_dropped);
	cq_overflow = READ_ONCE(rings->cq_overflow);
	rcu_read_unlock();

	seq_printf(m, "SqMask:\t0x%x\n", ctx->sq_entries - 1);
	seq_printf(m, "SqHead:\t%u\n", sq_head);
	seq_printf(m, "SqTail:\t%u\n", sq_tail);
	seq_printf(m, "CachedSqHead:\t%u\n", READ_ONCE(ctx->cached_sq_head));
	seq_printf(m, "CqMask:\t0x%x\n", ctx->cq_entries - 1);
	seq_printf(m, "CqHead:\t%u\n", cq_head);
	seq_printf(m, "CqTail:\t%u\n", cq_tail);
	seq_printf(m, "CachedCqTail:\t%u\n", READ_ONCE(ctx->cached_cq_tail));
	seq_printf(m, "SqEntries:\t%u\n", ctx->sq_entries);
	seq_printf(m, "SqPending:\t%u\n", sq_tail - sq_head);
	seq_printf(m, "CqEntries:\t%u\n", ctx->cq_entries);
	seq_printf(m, "CqPending:\t%u\n", cq_tail - cq_head);
	seq_printf(m, "SqDropped:\t%u\n", sq_dropped);
	seq_printf(m, "CqOverflow:\t%u\n", cq_overflow);
	seq_printf(m, "Flags:\t0x%x\n", ctx->flags);
	seq_printf(m, "Disabled:\t%d\n", !!(READ_ONCE(ctx->int_flags) & IO_CTX_DISABLED));
	seq_printf(m, "SqThread:\t%d\n", io_sq_thread_pid(ctx));
	seq_printf(m, "EventFd:\t%d\n", !!rcu_access_pointer(ctx->io_ev_fd));
}

/* Registered files, buffers and personalities; uring_lock held. */
static void io_show_registered(struct seq_file *m, struct io_ring_ctx *ctx)
{
	const struct cred *creds;
	unsigned int nr_pers = 0;
	unsigned long id;
	int i;

	seq_printf(m, "UserFiles:\t%u\n", ctx->file_table.nr);
	for (i = 0; i < ctx->file_table.nr; i++) {
		struct io_rsrc_node *node = ctx->file_table.nodes[i];

		if (!node)
			continue;
		seq_printf(m, "%5u: ", i);
		seq_file_path(m, node->file, " \t\n\\");
		seq_putc(m, '\n');
	}
	seq_printf(m, "UserBufs:\t%u\n", ctx->buf_table.nr);
	for (i = 0; i < ctx->buf_table.nr; i++) {
		struct io_rsrc_node *node = ctx->buf_table.nodes[i];

		if (node)
			seq_printf(m, "%5u: 0x%llx/%u\n", i,
				   node->buf->ubuf, node->buf->len);
	}
	xa_for_each(&ctx->personalities, id, creds)
		nr_pers++;
	seq_printf(m, "Personalities:\t%u\n", nr_pers);
	xa_for_each(&ctx->personalities, id, creds) {
		seq_printf(m, "%5lu: uid %u euid %u gid %u egid %u\n", id,
			   from_kuid_munged(seq_user_ns(m), creds->uid),
			   from_kuid_munged(seq_user_ns(m), creds->euid),
			   from_kgid_munged(seq_user_ns(m), creds->gid),
			   from_kgid_munged(seq_user_ns(m), creds->egid));
	}
}

/* Per-opcode counters (and latency histograms); uring_lock held. */
static void io_show_ops(struct seq_file *m, struct io_ring_ctx *ctx)
{
	int i;

	seq_printf(m, "Submitted:\t%u\n", ctx->nr_submitted);
	seq_printf(m, "Completed:\t%u\n", ctx->nr_completed);
	seq_puts(m, "Ops:\n");
	for (i = 0; i < IORING_OP_LAST; i++) {
		if (!ctx->op_submitted[i] && !ctx->op_completed[i])
			continue;
		seq_printf(m, "  %s:\tsubmitted %llu completed %llu",
			   io_op_name(i), ctx->op_submitted[i],
			   ctx->op_completed[i]);
		io_lat_show_fdinfo(m, ctx, i);
		seq_putc(m, '\n');
	}
}

/**
 * io_uring_show_fdinfo - /proc/<pid>/fdinfo of a ring
 * @m: the seq_file
 * @file: the ring's file
 */
void io_uring_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct io_ring_ctx *ctx = file->private_data;
	bool locked;

	io_show_rings(m, ctx);
	/* trylock: fdinfo may be read by a task that holds the lock */
	locked = mutex_trylock(&ctx->uring_lock);
	if (locked) {
		io_show_registered(m, ctx);
		io_poll_show_fdinfo(m, ctx);
		seq_printf(m, "Restricted:\t%d\n", ctx->restricted);
		io_show_ops(m, ctx);
	}
	io_cq_overflow_show_fdinfo(m, ctx, locked);
	if (locked)
		mutex_unlock(&ctx->uring_lock);
}
