// SPDX-License-Identifier: GPL-2.0
/*
 * Per-opcode latency in the ring's fdinfo: for each opcode, how many
 * requests completed after how long, from submission to the CQE, in
 * power-of-two buckets of microseconds. An operator sees which operations
 * are slow without tracing. (No upstream kernel has it.)
 *
 * Off by default, on with the sysctl kernel.io_uring_op_latency. It is
 * cheap enough to leave on: a batch of submissions reads the clock once
 * and stamps each request with it where the request is cleared anyway;
 * a batch of completions reads it once too. With it off, each batch
 * tests a static key.
 */
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/jump_label.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/seq_file.h>
#include <linux/sysctl.h>
#include <linux/io_uring_types.h>

#include "io_uring.h"
#include "latency.h"

/* bucket 0: under 1 us; bucket b: [2^(b-1), 2^b) us; the last: longer */
#define IO_LAT_BUCKETS	32

struct io_op_latency {
	u64	bucket[IORING_OP_LAST][IO_LAT_BUCKETS];
};

DEFINE_STATIC_KEY_FALSE(io_op_latency_key);
static int io_op_latency_on;

/**
 * __io_lat_now - the submission time for a batch, when latencies count
 * @ctx: the ring (uring_lock held); gets its counters on first use
 *
 * Return: the time in ns, or 0 (not counted: no memory for counters).
 */
u64 __io_lat_now(struct io_ring_ctx *ctx)
{
	struct io_op_latency *lat = ctx->op_latency;

	if (unlikely(!lat)) {
		/* (no effort under memory pressure: the next batch retries) */
		lat = kvzalloc(sizeof(*lat), GFP_KERNEL_ACCOUNT | __GFP_NORETRY);
		if (!lat)
			return 0;
		/* fdinfo reads it under uring_lock, as we hold */
		ctx->op_latency = lat;
	}
	return ktime_get_ns();
}

/**
 * __io_lat_complete - count the completions of a batch
 * @ctx: the ring (uring_lock held)
 * @req: the first request of the batch (linked by ->next)
 */
void __io_lat_complete(struct io_ring_ctx *ctx, struct io_kiocb *req)
{
	struct io_op_latency *lat = ctx->op_latency;
	u64 now = 0, us;

	if (!lat)
		return;
	for (; req; req = req->next) {
		/* aux requests, and those from before it was on */
		if (!req->submit_ns)
			continue;
		if (!now)
			now = ktime_get_ns();
		/* (a stamp from another CPU may be a hair ahead of now) */
		us = now > req->submit_ns ?
		     div_u64(now - req->submit_ns, NSEC_PER_USEC) : 0;
		lat->bucket[req->opcode][min_t(unsigned int, fls64(us),
					       IO_LAT_BUCKETS - 1)]++;
	}
}

/**
 * io_lat_show_fdinfo - the non-empty buckets of an opcode
 * @m: the fdinfo file
 * @ctx: the ring (uring_lock held)
 * @op: the opcode
 *
 * One line: " latency_us:" and "lower bound:count" pairs, the lower
 * bounds in microseconds (0: under 1 us).
 */
void io_lat_show_fdinfo(struct seq_file *m, struct io_ring_ctx *ctx, u8 op)
{
	struct io_op_latency *lat = ctx->op_latency;
	unsigned int b;

	if (!lat || !memchr_inv(lat->bucket[op], 0, sizeof(lat->bucket[op])))
		return;
	seq_puts(m, "\tlatency_us");
	for (b = 0; b < IO_LAT_BUCKETS; b++)
		if (lat->bucket[op][b])
			seq_printf(m, " %llu:%llu", b ? 1ULL << (b - 1) : 0,
				   lat->bucket[op][b]);
}

/**
 * io_lat_free - free a ring's latency counters
 * @ctx: the ring being freed
 */
void io_lat_free(struct io_ring_ctx *ctx)
{
	kvfree(ctx->op_latency);
	ctx->op_latency = NULL;
}

#ifdef CONFIG_SYSCTL
static int io_op_latency_sysctl(const struct ctl_table *table, int write,
				void *buffer, size_t *lenp, loff_t *ppos)
{
	static DEFINE_MUTEX(lock);
	int ret;

	guard(mutex)(&lock);
	ret = proc_dointvec_minmax(table, write, buffer, lenp, ppos);
	if (ret || !write)
		return ret;
	if (io_op_latency_on)
		static_branch_enable(&io_op_latency_key);
	else
		static_branch_disable(&io_op_latency_key);
	return 0;
}

static struct ctl_table io_lat_sysctl_table[] = {
	{
		.procname	= "io_uring_op_latency",
		.mode		= 0644,
		.data		= &io_op_latency_on,
		.maxlen		= sizeof(int),
		.proc_handler	= io_op_latency_sysctl,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_ONE,
	},
};

/**
 * io_lat_sysctl_init - add kernel.io_uring_op_latency (from io_uring_init)
 */
void __init io_lat_sysctl_init(void)
{
	register_sysctl_init("kernel", io_lat_sysctl_table);
}
#endif
