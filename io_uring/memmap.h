/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_MEMMAP_H
#define IOU_MEMMAP_H

#include <linux/types.h>

struct io_ring_ctx;
struct page;

/*
 * Memory shared with user space: either allocated here and mmapped by
 * user space (@pages NULL, @ptr from vmalloc), or user memory pinned
 * and mapped into the kernel (IORING_SETUP_NO_MMAP, buffer rings that
 * user space allocates).
 */
struct io_region {
	void		*ptr;
	struct page	**pages;
	unsigned int	nr_pages;
	size_t		size;
};

void *io_mem_alloc(size_t size);
int io_region_alloc(struct io_region *region, size_t size);
int io_region_pin(struct io_ring_ctx *ctx, struct io_region *region,
		  u64 uaddr, size_t size);
void io_region_free(struct io_ring_ctx *ctx, struct io_region *region);

#endif
