// SPDX-License-Identifier: GPL-2.0
/*
 * Memory io_uring shares with user space: rings and SQEs, and provided
 * buffer rings. Either we allocate it (mapped by user space through mmap
 * of the ring fd), or user space allocates it and we pin the pages and
 * map them contiguously into the kernel (IORING_SETUP_NO_MMAP,
 * IORING_REGISTER_PBUF_RING without IOU_PBUF_RING_MMAP).
 *
 * What we allocate is, up to a few pages, one physically contiguous
 * compound page reached through the direct map: no vmalloc area to set
 * up for each ring, nor to tear down (which ends in TLB flushes on every
 * CPU). Larger regions, or when no such block is at hand, are vmalloc'ed.
 *
 * Pages handed to user space (vm_insert_page(), remap_vmalloc_range())
 * carry a reference of their own, so a mapping that outlives the region
 * keeps its pages and never sees freed memory.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/io_uring_types.h>

#include "io_uring.h"
#include "rsrc.h"
#include "memmap.h"

/* Zeroed, charged to the memcg, mappable by user space. */
void *io_mem_alloc(size_t size)
{
	return __vmalloc_node_range(size, SHMLBA, VMALLOC_START, VMALLOC_END,
				    GFP_KERNEL_ACCOUNT | __GFP_ZERO | __GFP_NOWARN,
				    PAGE_KERNEL, VM_USERMAP, NUMA_NO_NODE,
				    __builtin_return_address(0));
}

/**
 * io_region_alloc - zeroed kernel memory for user space to map
 * @region: filled on success
 * @size: bytes
 *
 * Return: 0 or -ENOMEM.
 */
int io_region_alloc(struct io_region *region, size_t size)
{
	unsigned int order = get_order(size);
	struct page *page = NULL;

	if (order <= PAGE_ALLOC_COSTLY_ORDER)
		page = alloc_pages(GFP_KERNEL_ACCOUNT | __GFP_ZERO | __GFP_COMP |
				   __GFP_NOWARN | __GFP_NORETRY, order);
	region->ptr = page ? page_address(page) : io_mem_alloc(size);
	region->pages = NULL;
	region->nr_pages = 0;
	region->size = size;
	return region->ptr ? 0 : -ENOMEM;
}

/**
 * io_region_pin - pin user memory and map it contiguously for the kernel
 * @ctx: the ring, whose creator pays for the pinned pages
 * @region: filled on success
 * @uaddr: page-aligned user address
 * @size: bytes
 *
 * Return: 0; -EFAULT for address 0 or memory that cannot be pinned;
 * -EINVAL for an unaligned address or size 0; -EOVERFLOW; -ENOMEM; the
 * memlock limit's -ENOMEM.
 */
int io_region_pin(struct io_ring_ctx *ctx, struct io_region *region,
		  u64 uaddr, size_t size)
{
	unsigned long nr;
	struct page **pages;
	void *ptr;
	int ret;

	/* no memory at all is a bad address, as upstream answers */
	if (!uaddr)
		return -EFAULT;
	if (!size || (uaddr & ~PAGE_MASK))
		return -EINVAL;
	if (uaddr + size < uaddr || size > SZ_1G)
		return -EOVERFLOW;
	nr = DIV_ROUND_UP(size, PAGE_SIZE);
	pages = kvmalloc_array(nr, sizeof(*pages), GFP_KERNEL_ACCOUNT);
	if (!pages)
		return -ENOMEM;
	ret = pin_user_pages_fast(uaddr, nr, FOLL_WRITE | FOLL_LONGTERM, pages);
	if (ret != nr) {
		if (ret > 0)
			unpin_user_pages(pages, ret);
		ret = ret < 0 ? ret : -EFAULT;
		goto err;
	}
	ret = io_account_mem(ctx, nr);
	if (ret) {
		unpin_user_pages(pages, nr);
		goto err;
	}
	ptr = vmap(pages, nr, VM_MAP, PAGE_KERNEL);
	if (!ptr) {
		io_unaccount_mem(ctx, nr);
		unpin_user_pages(pages, nr);
		ret = -ENOMEM;
		goto err;
	}
	region->ptr = ptr;
	region->pages = pages;
	region->nr_pages = nr;
	region->size = size;
	return 0;
err:
	kvfree(pages);
	return ret;
}

void io_region_free(struct io_ring_ctx *ctx, struct io_region *region)
{
	if (!region->ptr)
		return;
	if (region->pages) {
		vunmap(region->ptr);
		unpin_user_pages(region->pages, region->nr_pages);
		io_unaccount_mem(ctx, region->nr_pages);
		kvfree(region->pages);
	} else if (is_vmalloc_addr(region->ptr)) {
		vfree(region->ptr);
	} else {
		/* user mappings hold references of their own */
		folio_put(virt_to_folio(region->ptr));
	}
	memset(region, 0, sizeof(*region));
}

/**
 * io_region_mmap - map an allocated region (io_region_alloc()) to user space
 * @region: the region
 * @vma: the mapping, under mmap_lock
 * @pgoff: the region's page the mapping starts with
 *
 * The mapping must fit in the region.
 *
 * Return: 0, or a negative errno.
 */
int io_region_mmap(struct io_region *region, struct vm_area_struct *vma,
		   unsigned long pgoff)
{
	unsigned long nr = PAGE_ALIGN(region->size) >> PAGE_SHIFT;
	unsigned long i, want = vma_pages(vma);
	struct page *page;
	int ret;

	if (!region->ptr || region->pages)
		return -EINVAL;
	if (is_vmalloc_addr(region->ptr))
		return remap_vmalloc_range(vma, region->ptr, pgoff);
	if (pgoff >= nr || want > nr - pgoff)
		return -EINVAL;
	/* as remap_vmalloc_range(): the mapping neither grows nor dumps */
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	page = virt_to_page(region->ptr) + pgoff;
	for (i = 0; i < want; i++) {
		ret = vm_insert_page(vma, vma->vm_start + i * PAGE_SIZE,
				     page + i);
		if (ret)
			return ret;
	}
	return 0;
}
