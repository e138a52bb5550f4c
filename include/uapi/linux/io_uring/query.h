/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * IORING_REGISTER_QUERY: what this kernel's io_uring supports, asked
 * without a ring (io_uring_register(2) on fd -1) or with one.
 */
#ifndef LINUX_IO_URING_QUERY_H
#define LINUX_IO_URING_QUERY_H

#include <linux/types.h>

/* One query; next_entry chains the next (0 ends the chain). */
struct io_uring_query_hdr {
	__u64 next_entry;
	__u64 query_data;	/* the struct the query op fills */
	__u32 query_op;		/* IO_URING_QUERY_* */
	__u32 size;		/* of query_data's struct */
	__s32 result;		/* written back: 0 or -errno */
	__u32 __resv[3];
};

enum {
	IO_URING_QUERY_OPCODES			= 0,
	IO_URING_QUERY_ZCRX			= 1,
	IO_URING_QUERY_SCQ			= 2,

	__IO_URING_QUERY_MAX,
};

/* IO_URING_QUERY_OPCODES: no ring needed */
struct io_uring_query_opcode {
	__u32	nr_request_opcodes;	/* IORING_OP_*: 0 to this - 1 */
	__u32	nr_register_opcodes;	/* IORING_[UN]REGISTER_* */
	__u64	feature_flags;		/* IORING_FEAT_* */
	__u64	ring_setup_flags;	/* IORING_SETUP_* */
	__u64	enter_flags;		/* IORING_ENTER_* */
	__u64	sqe_flags;		/* IOSQE_* */
	__u32	nr_query_opcodes;	/* IO_URING_QUERY_* */
	__u32	__pad;
};

/* IO_URING_QUERY_ZCRX: zero-copy receive */
struct io_uring_query_zcrx {
	__u64 register_flags;		/* ZCRX_REG_* */
	__u64 area_flags;		/* IORING_ZCRX_AREA_* */
	__u32 nr_ctrl_opcodes;		/* ZCRX_CTRL_* */
	__u32 features;			/* ZCRX_FEATURE_* */
	__u32 rq_hdr_size;		/* the refill ring's header */
	__u32 rq_hdr_alignment;
	__u64 __resv2;
};

/* IO_URING_QUERY_SCQ: the SQ/CQ rings' header */
struct io_uring_query_scq {
	__u64 hdr_size;
	__u64 hdr_alignment;
};

#endif
