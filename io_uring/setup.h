/* SPDX-License-Identifier: GPL-2.0 */
/*
 * io_uring_setup(2) (setup.c): the ring memory, which
 * IORING_REGISTER_RESIZE_RINGS builds the same way.
 */
#ifndef IOU_SETUP_H
#define IOU_SETUP_H

#include <linux/io_uring_types.h>

/* A set of rings and SQEs, as setup and IORING_REGISTER_RESIZE_RINGS build. */
struct io_rings_mem {
	struct io_region	ring_region;
	struct io_region	sqe_region;
	struct io_rings		*rings;
	struct io_uring_sqe	*sqes;
	u32			*sq_array;	/* NULL with NO_SQARRAY */
	unsigned int		sq_entries;
	unsigned int		cq_entries;
};

int io_setup_sizes(u32 entries, struct io_uring_params *p);
int io_rings_alloc(struct io_ring_ctx *ctx, struct io_uring_params *p,
		   struct io_rings_mem *m);
void io_rings_free(struct io_ring_ctx *ctx, struct io_rings_mem *m);
void io_rings_install(struct io_ring_ctx *ctx, struct io_rings_mem *m);

#endif
