// SPDX-License-Identifier: GPL-2.0
/*
 * Memory io_uring shares with user space: rings and SQEs, provided buffer
 * rings, and the ring's parameter region (IORING_REGISTER_MEM_REGION,
 * which holds registered wait arguments). Either we allocate it (mapped by user space through mmap
 * of the ring fd), or user space allocates it and we pin the pages and
 * map them contiguously into the kernel (IORING_SETUP_NO_MMAP,
 * IORING_REGISTER_PBUF_RING without IOU_PBUF_RING_MMAP,
 * IORING_MEM_REGION_TYPE_USER).
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
#include <linux/uaccess.h>
#include <linux/overflow.h>
#include <linux/err.h>
#include <linux/sizes.h>
#include <linux/io_uring_types.h>

#include "io_uring.h"
#include "memmap.h"

/**
 * io_account_mem - charge pinned pages to the ring's user and mm
 * @ctx: the ring; its creator's RLIMIT_MEMLOCK applies unless it had
 *	CAP_IPC_LOCK
 * @nr_pages: pages about to be pinned
 *
 * Return: 0, or -ENOMEM over the limit (nothing charged).
 */
int io_account_mem(struct io_ring_ctx *ctx, unsigned long nr_pages)
{
	unsigned long limit, cur, new;

	if (ctx->limit_mem) {
		limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
		cur = atomic_long_read(&ctx->user->locked_vm);
		do {
			new = cur + nr_pages;
			if (new > limit)
				return -ENOMEM;
		} while (!atomic_long_try_cmpxchg(&ctx->user->locked_vm,
						  &cur, new));
	}
	atomic64_add(nr_pages, &ctx->mm_account->pinned_vm);
	return 0;
}

/**
 * io_unaccount_mem - give back what io_account_mem() charged
 * @ctx: the ring
 * @nr_pages: pages unpinned
 */
void io_unaccount_mem(struct io_ring_ctx *ctx, unsigned long nr_pages)
{
	if (ctx->limit_mem)
		atomic_long_sub(nr_pages, &ctx->user->locked_vm);
	atomic64_sub(nr_pages, &ctx->mm_account->pinned_vm);
}

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
	/* charged first: over the limit, nothing is faulted in or pinned */
	ret = io_account_mem(ctx, nr);
	if (ret)
		goto err;
	ret = pin_user_pages_fast(uaddr, nr, FOLL_WRITE | FOLL_LONGTERM, pages);
	if (ret != nr) {
		if (ret > 0)
			unpin_user_pages(pages, ret);
		ret = ret < 0 ? ret : -EFAULT;
		io_unaccount_mem(ctx, nr);
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

/*
 * Charge an allocated region's pages as if they were pinned: a region a
 * user sizes (IORING_REGISTER_MEM_REGION, up to 1 GiB) is memory nobody
 * can reclaim, and the memory cgroup alone leaves it unlimited without
 * one. Charged first: over the limit, nothing is allocated at all.
 * io_region_free() gives the charge back.
 */
static int io_region_alloc_charged(struct io_ring_ctx *ctx,
				   struct io_region *region, size_t size)
{
	unsigned long nr = PAGE_ALIGN(size) >> PAGE_SHIFT;
	int ret = io_account_mem(ctx, nr);

	if (ret)
		return ret;
	ret = io_region_alloc(region, size);
	if (ret) {
		io_unaccount_mem(ctx, nr);
		return ret;
	}
	region->nr_pages = nr;
	return 0;
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
		memset(region, 0, sizeof(*region));
		return;
	}
	/* our memory, charged like pinned memory (io_region_alloc_charged()) */
	if (region->nr_pages)
		io_unaccount_mem(ctx, region->nr_pages);
	if (is_vmalloc_addr(region->ptr)) {
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

/**
 * io_register_mem_region - IORING_REGISTER_MEM_REGION
 * @ctx: the ring, uring_lock held
 * @arg: struct io_uring_mem_region_reg
 *
 * One region for the ring's life: user memory (IORING_MEM_REGION_TYPE_USER,
 * pinned and charged to memlock) or ours, which user space maps at the
 * offset written back to the descriptor's mmap_offset. With
 * IORING_MEM_REGION_REG_WAIT_ARG it holds the wait arguments of
 * IORING_ENTER_EXT_ARG_REG, and the ring must still be disabled: from
 * enabling on, waits read it with no lock.
 *
 * Return: 0; -EBUSY if the ring has a region; -EINVAL for flags, reserved
 * fields, a size or address setup would refuse, or a wait region on an
 * enabled ring; -EFAULT; -ENOMEM.
 */
int io_register_mem_region(struct io_ring_ctx *ctx, void __user *arg)
{
	struct io_uring_mem_region_reg reg;
	struct io_uring_region_desc desc;
	struct io_uring_region_desc __user *udesc;
	struct io_region region = {};
	int ret;

	if (copy_from_user(&reg, arg, sizeof(reg)))
		return -EFAULT;
	if (memchr_inv(reg.__resv, 0, sizeof(reg.__resv)) ||
	    (reg.flags & ~IORING_MEM_REGION_REG_WAIT_ARG))
		return -EINVAL;
	if ((reg.flags & IORING_MEM_REGION_REG_WAIT_ARG) &&
	    !(ctx->int_flags & IO_CTX_DISABLED))
		return -EINVAL;
	udesc = u64_to_user_ptr(reg.region_uptr);
	if (copy_from_user(&desc, udesc, sizeof(desc)))
		return -EFAULT;
	if (memchr_inv(desc.__resv, 0, sizeof(desc.__resv)) || desc.id ||
	    (desc.flags & ~IORING_MEM_REGION_TYPE_USER))
		return -EINVAL;
	if (!desc.size || !PAGE_ALIGNED(desc.size))
		return -EINVAL;
	if (ctx->param_region.ptr)
		return -EBUSY;
	if (desc.flags & IORING_MEM_REGION_TYPE_USER) {
		ret = io_region_pin(ctx, &region, desc.user_addr, desc.size);
	} else {
		/* an address with nothing to pin at it: as upstream answers */
		if (desc.user_addr)
			return -EFAULT;
		if (desc.size > SZ_1G)
			return -EOVERFLOW;
		ret = io_region_alloc_charged(ctx, &region, desc.size);
		desc.mmap_offset = IO_OFF_PARAM_REGION;
	}
	if (ret)
		return ret;
	if (copy_to_user(udesc, &desc, sizeof(desc))) {
		io_region_free(ctx, &region);
		return -EFAULT;
	}
	/* mmap looks at the region under this lock */
	mutex_lock(&ctx->mmap_lock);
	ctx->param_region = region;
	mutex_unlock(&ctx->mmap_lock);
	/* set once, before the ring runs; a wait reads them without lock */
	if (reg.flags & IORING_MEM_REGION_REG_WAIT_ARG) {
		WRITE_ONCE(ctx->cq_wait_size, region.size);
		WRITE_ONCE(ctx->cq_wait_arg, region.ptr);
	}
	return 0;
}

/**
 * io_reg_wait_arg - the registered wait argument at @offset
 * @ctx: the ring
 * @offset: byte offset in the wait region, a multiple of 8
 *
 * Return: the entry, which user space may be writing as we read it; or
 * ERR_PTR(-EFAULT) if there is no wait region or the entry is not in it.
 */
const struct io_uring_reg_wait *io_reg_wait_arg(struct io_ring_ctx *ctx,
						unsigned long offset)
{
	void *base = READ_ONCE(ctx->cq_wait_arg);
	size_t end;

	/* (a wait racing the ring's enabling may see neither: -EFAULT) */
	if (!base || !IS_ALIGNED(offset, sizeof(u64)) ||
	    check_add_overflow(offset, sizeof(struct io_uring_reg_wait), &end) ||
	    end > READ_ONCE(ctx->cq_wait_size))
		return ERR_PTR(-EFAULT);
	return base + offset;
}
