/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_MEMMAP_H
#define IOU_MEMMAP_H

#include <linux/types.h>
#include <linux/io_uring_types.h>

struct io_ring_ctx;
struct vm_area_struct;

void *io_mem_alloc(size_t size);
int io_region_alloc(struct io_region *region, size_t size);
int io_region_pin(struct io_ring_ctx *ctx, struct io_region *region,
		  u64 uaddr, size_t size);
void io_region_free(struct io_ring_ctx *ctx, struct io_region *region);
int io_region_mmap(struct io_region *region, struct vm_area_struct *vma,
		   unsigned long pgoff);

/* mmap offset of the region of IORING_REGISTER_MEM_REGION (as upstream) */
#define IO_OFF_PARAM_REGION	0x20000000ULL

struct io_uring_reg_wait;
int io_register_mem_region(struct io_ring_ctx *ctx, void __user *arg);
const struct io_uring_reg_wait *io_reg_wait_arg(struct io_ring_ctx *ctx,
						unsigned long offset);

int io_account_mem(struct io_ring_ctx *ctx, unsigned long nr_pages);
void io_unaccount_mem(struct io_ring_ctx *ctx, unsigned long nr_pages);

#endif
