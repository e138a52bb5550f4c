/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_BPF_FILTER_H
#define IOU_BPF_FILTER_H

#include <linux/io_uring_types.h>

struct io_bpf_table;
struct io_uring_bpf_ctx;

#ifdef CONFIG_NET
int io_register_bpf_filter(struct io_ring_ctx *ctx, void __user *arg,
			   unsigned int nr_args);
int io_bpf_filter_req(struct io_bpf_table *t, struct io_kiocb *req,
		      u8 sqe_flags);
int io_bpf_filter_op(struct io_bpf_table *t, u8 opcode, u64 user_data);
struct io_bpf_table *io_bpf_table_get(struct io_bpf_table *t);
void io_bpf_table_put(struct io_bpf_table *t);
/* the ops' payloads (sock.c, openclose.c), through the opcode table */
void io_socket_bpf_pdu(struct io_kiocb *req, struct io_uring_bpf_ctx *bctx);
void io_open_bpf_pdu(struct io_kiocb *req, struct io_uring_bpf_ctx *bctx);
#else
#define io_socket_bpf_pdu	NULL
#define io_open_bpf_pdu		NULL
static inline int io_register_bpf_filter(struct io_ring_ctx *ctx,
					 void __user *arg,
					 unsigned int nr_args)
{
	return -EOPNOTSUPP;
}

static inline int io_bpf_filter_req(struct io_bpf_table *t,
				    struct io_kiocb *req, u8 sqe_flags)
{
	return 0;
}

static inline int io_bpf_filter_op(struct io_bpf_table *t, u8 opcode,
				   u64 user_data)
{
	return 0;
}

static inline struct io_bpf_table *io_bpf_table_get(struct io_bpf_table *t)
{
	return NULL;
}

static inline void io_bpf_table_put(struct io_bpf_table *t)
{
}
#endif

#endif
