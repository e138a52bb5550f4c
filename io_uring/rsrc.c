// SPDX-License-Identifier: GPL-2.0
/*
 * Registered resources: fixed files and fixed buffers, their updates and
 * tags, and IORING_OP_FILES_UPDATE.
 *
 * Buffer pages are pinned for as long as the buffer is registered or a
 * request uses it, and charged to the ring creator's RLIMIT_MEMLOCK
 * (unless it has CAP_IPC_LOCK) and to the mm's pinned_vm.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/compat.h>
#include <linux/uio.h>
#include <linux/nospec.h>
#include <linux/hugetlb.h>
#include <linux/shmem_fs.h>
#include <linux/uaccess.h>
#include <linux/io_uring.h>

#include "io_uring.h"
#include "rsrc.h"
#include "memmap.h"
#include "restrict.h"

struct io_rsrc_node *io_rsrc_node_alloc(int type, u64 tag)
{
	struct io_rsrc_node *node;

	node = kzalloc(sizeof(*node), GFP_KERNEL_ACCOUNT);
	if (node) {
		node->refs = 1;
		node->type = type;
		node->tag = tag;
	}
	return node;
}

static void io_buffer_free(struct io_ring_ctx *ctx, struct io_mapped_ubuf *imu)
{
	unsigned int i;

	/* each ring sharing the pages was charged for them */
	io_unaccount_mem(ctx, imu->acct_pages);
	if (!refcount_dec_and_test(&imu->refs))
		return;
	for (i = 0; i < imu->nr_bvecs; i++)
		unpin_user_page(imu->bvec[i].bv_page);
	kvfree(imu);
}

/**
 * io_rsrc_node_put - drop a reference to a slot's resource
 * @ctx: the ring; uring_lock held
 * @node: the node
 *
 * The last reference releases the resource and posts its tag.
 */
void io_rsrc_node_put(struct io_ring_ctx *ctx, struct io_rsrc_node *node)
{
	lockdep_assert_held(&ctx->uring_lock);
	if (--node->refs)
		return;
	if (node->type == IO_RSRC_FILE)
		fput(node->file);
	else
		io_buffer_free(ctx, node->buf);
	if (node->tag) {
		io_post_cqe(ctx, node->tag, 0, 0, 0, 0);
		io_cq_publish(ctx);
	}
	kfree(node);
}

/* Release what the oldest finished generations held, in order. */
static void io_rsrc_gen_retire(struct io_ring_ctx *ctx)
{
	struct io_rsrc_gen *gen, *tmp;
	struct io_rsrc_node *node, *n;

	list_for_each_entry_safe(gen, tmp, &ctx->rsrc_gen_list, list) {
		if (gen->refs)
			break;
		list_for_each_entry_safe(node, n, &gen->nodes, gen_entry) {
			list_del(&node->gen_entry);
			io_rsrc_node_put(ctx, node);
		}
		list_del(&gen->list);
		kfree(gen);
	}
}

int io_rsrc_gen_init(struct io_ring_ctx *ctx)
{
	INIT_LIST_HEAD(&ctx->rsrc_gen_list);
	ctx->rsrc_gen = kzalloc(sizeof(*ctx->rsrc_gen), GFP_KERNEL_ACCOUNT);
	if (!ctx->rsrc_gen)
		return -ENOMEM;
	INIT_LIST_HEAD(&ctx->rsrc_gen->nodes);
	return 0;
}

/** io_rsrc_gen_free - the ring goes; no request is left. uring_lock held */
void io_rsrc_gen_free(struct io_ring_ctx *ctx)
{
	if (!ctx->rsrc_gen)
		return;
	io_rsrc_gen_retire(ctx);
	WARN_ON_ONCE(!list_empty(&ctx->rsrc_gen_list));
	kfree(ctx->rsrc_gen);
	ctx->rsrc_gen = NULL;
}

/**
 * io_rsrc_gen_put - a request using fixed resources is freed
 * @ctx: the ring, uring_lock held
 * @gen: the generation it was issued in
 */
void io_rsrc_gen_put(struct io_ring_ctx *ctx, struct io_rsrc_gen *gen)
{
	lockdep_assert_held(&ctx->uring_lock);
	if (!--gen->refs && gen != ctx->rsrc_gen)
		io_rsrc_gen_retire(ctx);
}

/**
 * io_rsrc_node_remove - a table lets go of a slot's resource
 * @ctx: the ring, uring_lock held
 * @node: the node taken out of the table
 *
 * Untagged, it goes as soon as no request uses it. Tagged, it waits for
 * every request issued before now: the current generation is closed and
 * holds it until it and the older ones are done.
 */
void io_rsrc_node_remove(struct io_ring_ctx *ctx, struct io_rsrc_node *node)
{
	struct io_rsrc_gen *gen, *next;

	lockdep_assert_held(&ctx->uring_lock);
	gen = ctx->rsrc_gen;
	if (!node->tag || !gen) {
		io_rsrc_node_put(ctx, node);
		return;
	}
	next = kzalloc(sizeof(*next), GFP_KERNEL_ACCOUNT);
	if (!next) {
		/* no new generation: the tag posts when the slot is unused */
		io_rsrc_node_put(ctx, node);
		return;
	}
	INIT_LIST_HEAD(&next->nodes);
	list_add_tail(&node->gen_entry, &gen->nodes);
	list_add_tail(&gen->list, &ctx->rsrc_gen_list);
	ctx->rsrc_gen = next;
	io_rsrc_gen_retire(ctx);
}

void io_rsrc_table_free(struct io_ring_ctx *ctx, struct io_rsrc_table *table)
{
	unsigned int i;

	for (i = 0; i < table->nr; i++)
		if (table->nodes[i])
			io_rsrc_node_remove(ctx, table->nodes[i]);
	kvfree(table->nodes);
	table->nodes = NULL;
	table->nr = 0;
}

/**
 * io_rsrc_table_drop - forget the tags of a table that failed to register
 * @ctx: the ring
 * @table: the table, about to be freed: no tag is posted for it
 */
void io_rsrc_table_drop(struct io_ring_ctx *ctx, struct io_rsrc_table *table)
{
	unsigned int i;

	for (i = 0; i < table->nr; i++)
		if (table->nodes[i])
			table->nodes[i]->tag = 0;
}

/* ---- buffers -------------------------------------------------------- */

static int io_copy_iov(struct iovec *iov, const void __user *arg,
		       unsigned int index)
{
#ifdef CONFIG_COMPAT
	if (in_compat_syscall()) {
		const struct compat_iovec __user *ciov = arg;
		struct compat_iovec c;

		if (copy_from_user(&c, &ciov[index], sizeof(c)))
			return -EFAULT;
		iov->iov_base = compat_ptr(c.iov_base);
		iov->iov_len = c.iov_len;
		return 0;
	}
#endif
	if (copy_from_user(iov, &((const struct iovec __user *)arg)[index],
			   sizeof(*iov)))
		return -EFAULT;
	return 0;
}

/* 0 for a valid buffer or an empty slot (NULL, 0), else the error. */
static int io_buffer_validate(const struct iovec *iov)
{
	unsigned long tmp, base = (unsigned long)iov->iov_base;

	if (!iov->iov_base)
		return iov->iov_len ? -EFAULT : 0;
	if (!iov->iov_len || iov->iov_len > SZ_1G)
		return -EFAULT;
	if (check_add_overflow(base, (unsigned long)iov->iov_len, &tmp))
		return -EOVERFLOW;
	return 0;
}

/*
 * Page cache pages of an ordinary file may be written back, truncated or
 * migrated under a long-term pin: only anonymous, shmem and hugetlb
 * memory can back a registered buffer.
 */
static int io_check_buffer_vmas(unsigned long start, unsigned long end)
{
	VMA_ITERATOR(vmi, current->mm, start);
	struct vm_area_struct *vma;
	int ret = 0;

	mmap_read_lock(current->mm);
	for_each_vma_range(vmi, vma, end) {
		if (vma->vm_file && !is_file_hugepages(vma->vm_file) &&
		    !shmem_file(vma->vm_file)) {
			ret = -EOPNOTSUPP;
			break;
		}
	}
	mmap_read_unlock(current->mm);
	return ret;
}

static struct io_mapped_ubuf *io_pin_buffer(struct io_ring_ctx *ctx,
					    const struct iovec *iov)
{
	unsigned long ubuf = (unsigned long)iov->iov_base;
	size_t left = iov->iov_len;
	unsigned long start = ubuf >> PAGE_SHIFT;
	unsigned long end = (ubuf + left + PAGE_SIZE - 1) >> PAGE_SHIFT;
	unsigned int nr_pages = end - start, off, i;
	struct io_mapped_ubuf *imu;
	struct page **pages;
	int pinned, ret;

	ret = io_check_buffer_vmas(ubuf, ubuf + left);
	if (ret)
		return ERR_PTR(ret);
	pages = kvmalloc_array(nr_pages, sizeof(*pages), GFP_KERNEL);
	imu = kvmalloc(struct_size(imu, bvec, nr_pages), GFP_KERNEL_ACCOUNT);
	ret = -ENOMEM;
	if (!pages || !imu)
		goto err;
	pinned = pin_user_pages_fast(ubuf & PAGE_MASK, nr_pages,
				     FOLL_WRITE | FOLL_LONGTERM, pages);
	if (pinned != nr_pages) {
		ret = pinned < 0 ? pinned : -EFAULT;
		if (pinned > 0)
			unpin_user_pages(pages, pinned);
		goto err;
	}
	ret = io_account_mem(ctx, nr_pages);
	if (ret) {
		unpin_user_pages(pages, nr_pages);
		goto err;
	}
	imu->ubuf = ubuf;
	imu->len = left;
	imu->nr_bvecs = nr_pages;
	refcount_set(&imu->refs, 1);
	imu->acct_pages = nr_pages;
	off = ubuf & ~PAGE_MASK;
	for (i = 0; i < nr_pages; i++) {
		size_t vec_len = min_t(size_t, left, PAGE_SIZE - off);

		bvec_set_page(&imu->bvec[i], pages[i], vec_len, off);
		left -= vec_len;
		off = 0;
	}
	kvfree(pages);
	return imu;
err:
	kvfree(pages);
	kvfree(imu);
	return ERR_PTR(ret);
}

/* Build the node for one iovec, or NULL (and 0) for an empty slot. */
static struct io_rsrc_node *io_buffer_node(struct io_ring_ctx *ctx,
					   const struct iovec *iov, u64 tag,
					   int *err)
{
	struct io_mapped_ubuf *imu;
	struct io_rsrc_node *node;

	*err = io_buffer_validate(iov);
	if (*err)
		return NULL;
	if (!iov->iov_base) {
		/* a tag is only for a resource that will be released */
		if (tag)
			*err = -EINVAL;
		return NULL;
	}
	imu = io_pin_buffer(ctx, iov);
	if (IS_ERR(imu)) {
		*err = PTR_ERR(imu);
		return NULL;
	}
	node = io_rsrc_node_alloc(IO_RSRC_BUFFER, tag);
	if (!node) {
		io_buffer_free(ctx, imu);
		*err = -ENOMEM;
		return NULL;
	}
	node->buf = imu;
	return node;
}

int io_register_buffers(struct io_ring_ctx *ctx, void __user *arg,
			unsigned int nr_args, u64 __user *tags, bool sparse)
{
	struct io_rsrc_table *table = &ctx->buf_table;
	unsigned int i;
	int ret = 0;

	if (table->nr)
		return -EBUSY;
	if (!nr_args || nr_args > IORING_MAX_REG_BUFFERS)
		return -EINVAL;
	table->nodes = kvcalloc(nr_args, sizeof(*table->nodes),
				GFP_KERNEL_ACCOUNT);
	if (!table->nodes)
		return -ENOMEM;
	table->nr = nr_args;
	for (i = 0; i < nr_args; i++) {
		struct iovec iov = { };
		u64 tag = 0;

		if (!sparse) {
			ret = io_copy_iov(&iov, arg, i);
			if (ret)
				break;
		}
		if (tags && copy_from_user(&tag, &tags[i], sizeof(tag))) {
			ret = -EFAULT;
			break;
		}
		table->nodes[i] = io_buffer_node(ctx, &iov, tag, &ret);
		if (ret)
			break;
		cond_resched();
	}
	if (ret) {
		io_rsrc_table_drop(ctx, table);
		io_rsrc_table_free(ctx, table);
	}
	return ret;
}

int io_unregister_buffers(struct io_ring_ctx *ctx)
{
	if (!ctx->buf_table.nr)
		return -ENXIO;
	io_rsrc_table_free(ctx, &ctx->buf_table);
	return 0;
}

/* Lock two rings in a fixed order, whatever order the callers name them. */
static void io_lock_two_rings(struct io_ring_ctx *a, struct io_ring_ctx *b)
{
	if (a > b)
		swap(a, b);
	mutex_lock(&a->uring_lock);
	mutex_lock_nested(&b->uring_lock, SINGLE_DEPTH_NESTING);
}

/*
 * Give @ctx nodes sharing @src's buffers src_off..src_off+nr-1, at
 * dst_off on. Its own buffers outside that range stay; inside it they
 * are removed (IORING_REGISTER_DST_REPLACE; without it @ctx has none).
 * The clones are made first: on failure @ctx is as it was.
 */
static int io_clone_buffers(struct io_ring_ctx *ctx, struct io_ring_ctx *src,
			    const struct io_uring_clone_buffers *cb)
{
	struct io_rsrc_table table = { };
	unsigned int i, nr = cb->nr, end;
	int ret;

	if (ctx->buf_table.nr && !(cb->flags & IORING_REGISTER_DST_REPLACE))
		return -EBUSY;
	if (!src->buf_table.nr)
		return -ENXIO;
	/* nr 0 is the whole table, and only that (the errnos are 6.13's) */
	if (!nr) {
		if (cb->src_off || cb->dst_off)
			return -EINVAL;
		nr = src->buf_table.nr;
	}
	if (check_add_overflow(cb->src_off, nr, &end) ||
	    end > src->buf_table.nr)
		return -EOVERFLOW;
	if (check_add_overflow(cb->dst_off, nr, &end))
		return -EOVERFLOW;
	if (end > IORING_MAX_REG_BUFFERS)
		return -EINVAL;
	table.nr = max(ctx->buf_table.nr, end);
	table.nodes = kvcalloc(table.nr, sizeof(*table.nodes),
			       GFP_KERNEL_ACCOUNT);
	if (!table.nodes)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		struct io_rsrc_node *src_node = src->buf_table.nodes[cb->src_off + i];
		struct io_rsrc_node *node;

		if (!src_node)
			continue;
		ret = -ENOMEM;
		node = io_rsrc_node_alloc(IO_RSRC_BUFFER, 0);
		if (!node)
			goto fail;
		/* the clone pins nothing new, but pays for what it holds */
		ret = io_account_mem(ctx, src_node->buf->acct_pages);
		if (ret) {
			kfree(node);
			goto fail;
		}
		refcount_inc(&src_node->buf->refs);
		node->buf = src_node->buf;
		table.nodes[cb->dst_off + i] = node;
	}
	for (i = 0; i < ctx->buf_table.nr; i++) {
		struct io_rsrc_node *old = ctx->buf_table.nodes[i];

		if (!old)
			continue;
		/* a request using it keeps it; its tag posts when done */
		if (i >= cb->dst_off && i - cb->dst_off < nr)
			io_rsrc_node_remove(ctx, old);
		else
			table.nodes[i] = old;
	}
	kvfree(ctx->buf_table.nodes);
	ctx->buf_table = table;
	return 0;
fail:
	io_rsrc_table_free(ctx, &table);
	return ret;
}

/**
 * io_register_clone_buffers - IORING_REGISTER_CLONE_BUFFERS
 * @ctx: the ring to give buffers to; uring_lock not held
 * @arg: struct io_uring_clone_buffers naming the ring to take them from,
 *	and which of its buffers to put where (src_off, dst_off, nr: 6.13;
 *	all zero clones the whole table)
 *
 * Both rings share the pinned pages from then on; each one's table and
 * requests hold their own references.
 *
 * Return: 0; -EBUSY if @ctx has buffers and IORING_REGISTER_DST_REPLACE
 * is not set, -ENXIO if the source has none, -EOVERFLOW for a range
 * outside the source or one that wraps, -EINVAL for one past the largest
 * table, offsets with nr 0, bad flags or padding.
 */
int io_register_clone_buffers(struct io_ring_ctx *ctx, void __user *arg)
{
	struct io_uring_clone_buffers cb;
	struct io_ring_ctx *src;
	struct file *file;
	bool registered;
	int ret;

	if (copy_from_user(&cb, arg, sizeof(cb)))
		return -EFAULT;
	/* checked again under the lock; first, as 6.12 answers it first */
	if (READ_ONCE(ctx->buf_table.nr) &&
	    !(cb.flags & IORING_REGISTER_DST_REPLACE))
		return -EBUSY;
	if (cb.flags & ~(IORING_REGISTER_SRC_REGISTERED |
			 IORING_REGISTER_DST_REPLACE))
		return -EINVAL;
	if (memchr_inv(cb.pad, 0, sizeof(cb.pad)))
		return -EINVAL;
	registered = cb.flags & IORING_REGISTER_SRC_REGISTERED;
	file = io_uring_ctx_get_file(cb.src_fd, registered);
	if (IS_ERR(file))
		return PTR_ERR(file);
	src = file->private_data;
	if (src == ctx) {
		fput(file);
		return -EINVAL;
	}
	/* a sandboxed task cannot borrow the pages of a ring from outside */
	ret = io_restrict_may_use(src);
	if (ret) {
		fput(file);
		return ret;
	}
	io_lock_two_rings(ctx, src);
	ret = io_clone_buffers(ctx, src, &cb);
	mutex_unlock(&ctx->uring_lock);
	mutex_unlock(&src->uring_lock);
	fput(file);
	return ret;
}

/**
 * io_buf_node_get - take a reference to registered buffer @index for @req
 * @req: a READ_FIXED/WRITE_FIXED (or uring_cmd) request; uring_lock held
 * @index: sqe->buf_index
 *
 * Return: 0, or -EFAULT for an index past the table or an empty slot.
 */
int io_buf_node_get(struct io_kiocb *req, unsigned int index)
{
	struct io_ring_ctx *ctx = req->ctx;
	struct io_rsrc_node *node;

	lockdep_assert_held(&ctx->uring_lock);
	if (unlikely(index >= ctx->buf_table.nr))
		return -EFAULT;
	node = ctx->buf_table.nodes[array_index_nospec(index, ctx->buf_table.nr)];
	if (unlikely(!node))
		return -EFAULT;
	node->refs++;
	req->buf_node = node;
	io_req_rsrc_gen(req);
	return 0;
}

/**
 * io_import_fixed - an iterator over part of a registered buffer
 * @ddir: ITER_DEST to read into it, ITER_SOURCE to write from it
 * @iter: the iterator to set up
 * @imu: the buffer
 * @buf_addr: user address of the part, inside the buffer
 * @len: length of the part
 *
 * Return: 0, or -EFAULT if the part is not inside the buffer.
 */
int io_import_fixed(int ddir, struct iov_iter *iter,
		    struct io_mapped_ubuf *imu, u64 buf_addr, size_t len)
{
	unsigned int seg = 0;
	u64 end, offset;

	if (unlikely(check_add_overflow(buf_addr, (u64)len, &end)))
		return -EFAULT;
	if (unlikely(buf_addr < imu->ubuf || end > imu->ubuf + imu->len))
		return -EFAULT;
	/*
	 * The bvecs are one per page, the first from the buffer's offset in
	 * its page (io_pin_buffer()): the one @buf_addr falls in, and where,
	 * is arithmetic, not iov_iter_advance()'s walk. (An offset past 0
	 * means the buffer is not empty, so it has a first bvec.)
	 */
	offset = buf_addr - imu->ubuf;
	if (offset && offset >= imu->bvec[0].bv_len) {
		offset -= imu->bvec[0].bv_len;
		seg = 1 + (offset >> PAGE_SHIFT);
		offset &= ~PAGE_MASK;
	}
	iov_iter_bvec(iter, ddir, imu->bvec + seg, imu->nr_bvecs - seg, len);
	iter->iov_offset = offset;
	return 0;
}

/*
 * The pages of [addr, addr + len) in registered buffer @imu, appended to
 * @bvec at *@nr. Its bvecs are one per page, the first one starting at
 * the buffer's offset in its page.
 */
static int io_fixed_seg_bvecs(struct io_mapped_ubuf *imu, u64 addr,
			      size_t len, struct bio_vec *bvec,
			      unsigned int *nr)
{
	size_t pos, off;
	unsigned int idx;
	u64 end;

	if (check_add_overflow(addr, (u64)len, &end) || addr < imu->ubuf ||
	    end > imu->ubuf + imu->len)
		return -EFAULT;
	pos = addr - imu->ubuf + (imu->ubuf & ~PAGE_MASK);
	idx = pos >> PAGE_SHIFT;
	off = pos & ~PAGE_MASK;
	while (len) {
		size_t seg = min_t(size_t, len, PAGE_SIZE - off);

		bvec_set_page(&bvec[(*nr)++], imu->bvec[idx++].bv_page, seg, off);
		len -= seg;
		off = 0;
		/* up to MAX_RW_COUNT of pages: let others run now and then */
		if (!(*nr % 1024))
			cond_resched();
	}
	return 0;
}

/**
 * io_import_fixed_iov - iovecs inside a registered buffer, as its pages
 * @ddir: ITER_DEST to read into them, ITER_SOURCE to write from them
 * @iter: in, the iovecs as imported from user space (ITER_IOVEC or
 *	ITER_UBUF); out, a bvec iterator over the same bytes in @imu's pages
 * @imu: the buffer
 * @bvecp: set to the bvec array, also on failure; the caller kvfree()s it
 *	once the iterator is done with
 *
 * READV_FIXED and WRITEV_FIXED, SENDMSG_ZC with IORING_RECVSEND_FIXED_BUF.
 *
 * Return: 0; -EFAULT if a range is not inside the buffer; -ENOMEM.
 */
int io_import_fixed_iov(int ddir, struct iov_iter *iter,
			struct io_mapped_ubuf *imu, struct bio_vec **bvecp)
{
	size_t left, total = iov_iter_count(iter);
	unsigned long nr_segs, i, pages = 0;
	const struct iovec *iov;
	unsigned int nr = 0;
	struct iovec one;
	int ret;

	if (iter_is_ubuf(iter)) {
		one.iov_base = iter->ubuf;
		one.iov_len = total;
		iov = &one;
		nr_segs = 1;
	} else {
		iov = iter_iov(iter);
		nr_segs = iter->nr_segs;
	}
	/* a page more per segment than its length needs, at most */
	for (i = 0, left = total; i < nr_segs && left; i++) {
		size_t len = min(iov[i].iov_len, left);

		pages += (len >> PAGE_SHIFT) + 2;
		left -= len;
	}
	*bvecp = kvmalloc_array(pages ?: 1, sizeof(**bvecp),
				GFP_KERNEL_ACCOUNT);
	if (!*bvecp)
		return -ENOMEM;
	/* every iovec's base is checked, an empty one's too (as upstream) */
	for (i = 0, left = total; i < nr_segs; i++) {
		size_t len = min(iov[i].iov_len, left);

		ret = io_fixed_seg_bvecs(imu, (u64)(uintptr_t)iov[i].iov_base,
					 len, *bvecp, &nr);
		if (ret)
			return ret;
		left -= len;
	}
	iov_iter_bvec(iter, ddir, *bvecp, nr, total);
	return 0;
}

/* ---- updates -------------------------------------------------------- */

/**
 * io_buffers_update_one - replace one registered buffer
 * @ctx: the ring, uring_lock held
 * @slot: the slot
 * @data: user space's array of iovecs
 * @i: which of them
 * @tag: the new buffer's tag
 *
 * An io_rsrc_update_fn, for IORING_REGISTER_BUFFERS_UPDATE.
 *
 * Return: 0, or -errno with the slot unchanged.
 */
int io_buffers_update_one(struct io_ring_ctx *ctx, unsigned int slot,
			  const void __user *data, unsigned int i, u64 tag)
{
	struct io_rsrc_node *node, *old;
	struct iovec iov;
	int ret;

	ret = io_copy_iov(&iov, data, i);
	if (ret)
		return ret;
	node = io_buffer_node(ctx, &iov, tag, &ret);
	if (ret)
		return ret;
	old = ctx->buf_table.nodes[slot];
	ctx->buf_table.nodes[slot] = node;
	if (old)
		io_rsrc_node_remove(ctx, old);
	return 0;
}

/**
 * io_rsrc_update - replace @nr slots of a table from @offset
 * @ctx: the ring, uring_lock held
 * @table: the ring's file or buffer table
 * @offset: the first slot
 * @data: what goes in: user space's array of fds or of iovecs
 * @tags: tags for the new entries, or NULL
 * @nr: how many
 * @update_one: replaces slot @slot with entry @i of @data
 *
 * Return: how many were replaced, or the error of the first if none was
 * (-ENXIO without a table, -EINVAL past its end).
 */
int io_rsrc_update(struct io_ring_ctx *ctx, struct io_rsrc_table *table,
		   u32 offset, const void __user *data, const u64 __user *tags,
		   u32 nr, io_rsrc_update_fn update_one)
{
	unsigned int done, end;
	int ret = 0;

	if (!table->nr)
		return -ENXIO;
	if (check_add_overflow(offset, nr, &end) || end > table->nr)
		return -EINVAL;
	for (done = 0; done < nr; done++) {
		unsigned int slot = array_index_nospec(offset + done, table->nr);
		u64 tag = 0;

		if (tags && copy_from_user(&tag, &tags[done], sizeof(tag))) {
			ret = -EFAULT;
			break;
		}
		ret = update_one(ctx, slot, data, done, tag);
		if (ret)
			break;
		cond_resched();
	}
	return done ? done : ret;
}
