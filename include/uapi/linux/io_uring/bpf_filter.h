/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * IORING_REGISTER_BPF_FILTER: classic BPF programs that allow or deny
 * io_uring operations, per ring or per task (io_uring_register(2) on
 * fd -1), the way seccomp filters system calls.
 */
#ifndef LINUX_IO_URING_BPF_FILTER_H
#define LINUX_IO_URING_BPF_FILTER_H

#include <linux/types.h>

/*
 * What a filter reads (32-bit loads at absolute offsets): the request,
 * and after it the payload of its opcode, pdu_size bytes of it.
 */
struct io_uring_bpf_ctx {
	__u64	user_data;
	__u8	opcode;
	__u8	sqe_flags;
	__u8	pdu_size;	/* bytes of the union below that are set */
	__u8	pad[5];
	union {
		struct {	/* IORING_OP_SOCKET */
			__u32	family;
			__u32	type;
			__u32	protocol;
		} socket;
		struct {	/* IORING_OP_OPENAT, IORING_OP_OPENAT2 */
			__u64	flags;
			__u64	mode;
			__u64	resolve;
		} open;
	};
};

/* io_uring_bpf_filter.flags */
enum {
	/* opcodes without a filter now get one that denies everything */
	IO_URING_BPF_FILTER_DENY_REST	= 1,
	/* pdu_size must be the kernel's exactly (else only not larger) */
	IO_URING_BPF_FILTER_SZ_STRICT	= 2,
};

struct io_uring_bpf_filter {
	__u32	opcode;		/* the IORING_OP_* it filters */
	__u32	flags;		/* IO_URING_BPF_FILTER_* */
	__u32	filter_len;	/* instructions (struct sock_filter) */
	__u8	pdu_size;	/* payload size expected; -EMSGSIZE: kernel's */
	__u8	resv[3];
	__u64	filter_ptr;	/* the struct sock_filter array */
	__u64	resv2[5];
};

/* io_uring_bpf.cmd_type */
enum {
	IO_URING_BPF_CMD_FILTER	= 1,
};

struct io_uring_bpf {
	__u16	cmd_type;	/* IO_URING_BPF_CMD_* */
	__u16	cmd_flags;	/* none defined: 0 */
	__u32	resv;
	union {
		struct io_uring_bpf_filter	filter;
	};
};

#endif
