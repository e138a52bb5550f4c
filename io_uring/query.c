// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_REGISTER_QUERY (6.15-6.19): what this kernel supports, asked
 * through a chain of struct io_uring_query_hdr, with or without a ring.
 * Each entry gets its own result; only a header we cannot read or write
 * fails the whole call.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/uaccess.h>
#include <linux/sched.h>
#include <linux/io_uring_types.h>
#include <uapi/linux/io_uring/query.h>

#include "io_uring.h"
#include "opdef.h"
#include "query.h"

/* a chain this long is a loop */
#define IO_QUERY_MAX_ENTRIES	1024

/* The highest register opcode implemented, + 1 (holes are -EINVAL). */
#define IO_NR_REGISTER_OPCODES	(IORING_REGISTER_QUERY + 1)

static int io_query_opcodes(void *data)
{
	struct io_uring_query_opcode *q = data;

	/* as the probe counts: up to the last one implemented */
	*q = (struct io_uring_query_opcode) {
		.nr_request_opcodes	= io_op_last() + 1,
		.nr_register_opcodes	= IO_NR_REGISTER_OPCODES,
		.feature_flags		= IO_FEATURES,
		.ring_setup_flags	= IO_SETUP_FLAGS_SUPPORTED,
		.enter_flags		= IO_ENTER_FLAGS,
		.sqe_flags		= IO_SQE_FLAGS_SUPPORTED,
		.nr_query_opcodes	= __IO_URING_QUERY_MAX,
	};
	return sizeof(*q);
}

static int io_query_scq(void *data)
{
	struct io_uring_query_scq *q = data;

	/* the heads, tails and flags before the CQEs (IORING_SETUP_NO_MMAP) */
	*q = (struct io_uring_query_scq) {
		.hdr_size	= offsetof(struct io_rings, cqes),
		.hdr_alignment	= SMP_CACHE_BYTES,
	};
	return sizeof(*q);
}

/* One entry: its result, or < 0 only if its header is unreadable. */
static int io_query_one(struct io_uring_query_hdr __user *uhdr, u64 *next)
{
	union {
		struct io_uring_query_opcode opcode;
		struct io_uring_query_scq scq;
	} data = { };
	struct io_uring_query_hdr hdr;
	int ret, len = 0;

	if (copy_from_user(&hdr, uhdr, sizeof(hdr)))
		return -EFAULT;
	*next = hdr.next_entry;
	if (memchr_inv(hdr.__resv, 0, sizeof(hdr.__resv)) || !hdr.query_data) {
		ret = -EINVAL;
	} else {
		switch (hdr.query_op) {
		case IO_URING_QUERY_OPCODES:
			len = io_query_opcodes(&data);
			break;
		case IO_URING_QUERY_SCQ:
			len = io_query_scq(&data);
			break;
		}
		ret = len ? 0 : -EOPNOTSUPP;
		/* what fits; a newer, larger struct keeps its tail */
		len = min_t(u32, len, hdr.size);
		if (len && copy_to_user(u64_to_user_ptr(hdr.query_data),
					&data, len))
			ret = -EFAULT;
	}
	if (put_user(ret, &uhdr->result) || put_user(len, &uhdr->size))
		return -EFAULT;
	return 0;
}

/**
 * io_register_query - IORING_REGISTER_QUERY
 * @arg: the first struct io_uring_query_hdr of a chain
 * @nr_args: 0
 *
 * Return: 0 once every entry has its result (an empty chain, @arg NULL,
 * has none); -EFAULT if a header cannot be read or written back, -ERANGE
 * for a chain of more than 1024 entries, -EINVAL for @nr_args.
 */
int io_register_query(void __user *arg, unsigned int nr_args)
{
	u64 next = (u64)(uintptr_t)arg;
	int i, ret;

	if (nr_args)
		return -EINVAL;
	/* an empty chain asks nothing (as upstream) */
	for (i = 0; next; i++) {
		if (i == IO_QUERY_MAX_ENTRIES)
			return -ERANGE;
		ret = io_query_one(u64_to_user_ptr(next), &next);
		if (ret)
			return ret;
		cond_resched();
	}
	return 0;
}
