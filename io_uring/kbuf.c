// SPDX-License-Identifier: GPL-2.0
/*
 * Provided buffers: user space gives the ring a pool of buffers per group
 * id (bgid), and a request with IOSQE_BUFFER_SELECT takes one when its
 * data is ready, instead of naming a buffer at submission. Its CQE says
 * which one (IORING_CQE_F_BUFFER, the id in the upper 16 bits of flags).
 *
 * Two kinds of group, never mixed in one bgid:
 *  - lists, filled by IORING_OP_PROVIDE_BUFFERS and emptied by
 *    IORING_OP_REMOVE_BUFFERS; a buffer leaves the list when selected;
 *  - rings (IORING_REGISTER_PBUF_RING): user space writes struct
 *    io_uring_buf entries and the tail, we consume from a head only we
 *    know (IORING_REGISTER_PBUF_STATUS reports it). With
 *    IOU_PBUF_RING_INC a buffer is consumed bit by bit, and its entry's
 *    addr/len move forward as it is.
 *
 * A selection from a ring is only committed (the head moved) once the
 * request knows how much it used. A request that selects under the ring's
 * uring_lock and finishes, or gives up, within the same issue commits or
 * simply forgets its selection there. Where the buffer stays in use past
 * that (an io worker, which runs unlocked, or a file that completes
 * asynchronously) the selection is committed at once and kept for the
 * request's retries; its CQE reports the buffer whatever the result.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>
#include <linux/uaccess.h>
#include <linux/poll.h>
#include <linux/io_uring_types.h>

#include "io_uring.h"
#include "memmap.h"
#include "kbuf.h"

/* IORING_REGISTER_PBUF_RING: at most this many entries, a power of 2 */
#define IO_PBUF_RING_MAX	32768
/* PROVIDE_BUFFERS: ids are 16 bits wide */
#define IO_MAX_BIDS		BIT(16)

struct io_buffer {
	struct list_head	list;
	u64			addr;
	u32			len;
	u16			bid;
	u16			bgid;
};

struct io_buffer_list {
	u16			bgid;
	bool			is_ring;
	bool			is_mmap;
	bool			is_inc;
	/* a list group */
	struct list_head	buf_list;
	/* a ring group: our head, the ring's size - 1, and its memory */
	u16			head;
	u16			mask;
	/* IOU_PBUF_RING_INC: an entry with fewer bytes left is used up */
	u32			min_left;
	struct io_uring_buf_ring *br;
	struct io_region	region;
};

struct io_provide_buf {
	struct file		*file;
	u64			addr;
	u32			len;
	u32			nbufs;
	u16			bgid;
	u16			bid;
};

/* An io worker holds no uring_lock: what looks at groups takes it. */
static void io_kbuf_lock(struct io_ring_ctx *ctx, unsigned int issue_flags)
{
	if (issue_flags & IO_URING_F_UNLOCKED)
		mutex_lock(&ctx->uring_lock);
}

static void io_kbuf_unlock(struct io_ring_ctx *ctx, unsigned int issue_flags)
{
	if (issue_flags & IO_URING_F_UNLOCKED)
		mutex_unlock(&ctx->uring_lock);
}

static struct io_buffer_list *io_bl_get(struct io_ring_ctx *ctx,
					unsigned int bgid)
{
	lockdep_assert_held(&ctx->uring_lock);
	return xa_load(&ctx->io_bl_xa, bgid);
}

/* ---- selection ------------------------------------------------------ */

static u32 io_kbuf_cflags(u16 bid)
{
	return IORING_CQE_F_BUFFER | ((u32)bid << IORING_CQE_BUFFER_SHIFT);
}

/*
 * Consume @len bytes of the buffers a request selected from a ring, @nr
 * of them from the head. Returns true if the last one is used up.
 *
 * With IOU_PBUF_RING_INC the entries are rewritten in place (an entry
 * with less than min_left bytes left is used up), so their
 * lengths are read again here, once each, from memory user space may be
 * changing under us: whatever they say, no more than the @nr selected
 * entries are consumed and the loop ends after @nr rounds.
 */
static bool io_kbuf_commit(struct io_buffer_list *bl, int len, unsigned int nr)
{
	if (!bl->is_inc) {
		bl->head += nr;
		return true;
	}
	/* nothing consumed (end of file): the buffer stays where it is */
	if (len <= 0)
		return false;
	while (len > 0 && nr--) {
		struct io_uring_buf *buf = &bl->br->bufs[bl->head & bl->mask];
		u32 buf_len = READ_ONCE(buf->len);
		u32 this_len = min_t(u32, len, buf_len);

		if (buf_len - this_len >= bl->min_left) {
			/* room left: the entry now starts past what we used */
			WRITE_ONCE(buf->addr, READ_ONCE(buf->addr) + this_len);
			WRITE_ONCE(buf->len, buf_len - this_len);
			return false;
		}
		WRITE_ONCE(buf->len, 0);
		bl->head++;
		len -= this_len;
	}
	return true;
}

/* Commit before the transfer ends: the CQE must still say BUF_MORE. */
static void io_kbuf_commit_early(struct io_kiocb *req,
				 struct io_buffer_list *bl, int len,
				 unsigned int nr)
{
	if (!io_kbuf_commit(bl, len, nr))
		req->flags |= REQ_F_BUF_MORE;
}

/* Commit now: the request keeps the buffer past the lock it holds. */
static bool io_kbuf_must_commit(struct io_kiocb *req, unsigned int issue_flags)
{
	return (issue_flags & IO_URING_F_UNLOCKED) || !req->file ||
	       !file_can_poll(req->file);
}

static void __user *io_ring_buffer_select(struct io_kiocb *req,
					  struct io_buffer_list *bl,
					  size_t *len, unsigned int issue_flags)
{
	struct io_uring_buf *buf;
	/* pairs with user space's release store of the tail */
	u16 tail = smp_load_acquire(&bl->br->tail);
	u32 buf_len;

	if (tail == bl->head)
		return NULL;
	buf = &bl->br->bufs[bl->head & bl->mask];
	buf_len = READ_ONCE(buf->len);
	if (*len == 0 || *len > buf_len)
		*len = buf_len;
	req->sel.addr = READ_ONCE(buf->addr);
	req->sel.len = *len;
	req->sel.bid = READ_ONCE(buf->bid);
	req->sel.nr = 1;
	req->sel.bl = bl;
	req->flags |= REQ_F_BUFFER_RING;
	if (io_kbuf_must_commit(req, issue_flags)) {
		io_kbuf_commit_early(req, bl, *len, 1);
		req->flags |= REQ_F_BL_COMMITTED;
		req->sel.bl = NULL;
	}
	return u64_to_user_ptr(req->sel.addr);
}

/**
 * io_buffer_select - take a provided buffer for a request
 * @req: a request with IOSQE_BUFFER_SELECT; req->buf_index is the group
 * @len: in: the most the request wants (0: any), out: what it gets
 * @issue_flags: as the op was issued with
 *
 * A request that holds a buffer already (a retry) gets the same one.
 *
 * Return: the buffer's user address, or NULL if the group has none
 * (-ENOBUFS for the request).
 */
void __user *io_buffer_select(struct io_kiocb *req, size_t *len,
			      unsigned int issue_flags)
{
	struct io_ring_ctx *ctx = req->ctx;
	struct io_buffer_list *bl;
	void __user *ret = NULL;

	if (io_kbuf_selected(req)) {
		*len = req->sel.len;
		return u64_to_user_ptr(req->sel.addr);
	}
	io_kbuf_lock(ctx, issue_flags);
	bl = io_bl_get(ctx, req->buf_index);
	if (bl && bl->is_ring) {
		ret = io_ring_buffer_select(req, bl, len, issue_flags);
	} else if (bl && !list_empty(&bl->buf_list)) {
		struct io_buffer *kbuf = list_first_entry(&bl->buf_list,
							  struct io_buffer, list);

		list_del(&kbuf->list);
		if (*len == 0 || *len > kbuf->len)
			*len = kbuf->len;
		req->sel.kbuf = kbuf;
		req->sel.addr = kbuf->addr;
		req->sel.len = *len;
		req->sel.bid = kbuf->bid;
		req->sel.nr = 1;
		req->flags |= REQ_F_BUFFER_SELECTED;
		/* kept across retries, as a committed ring buffer is */
		if (io_kbuf_must_commit(req, issue_flags))
			req->flags |= REQ_F_BL_COMMITTED;
		ret = u64_to_user_ptr(kbuf->addr);
	}
	io_kbuf_unlock(ctx, issue_flags);
	return ret;
}

/*
 * Up to @max_iov buffers from the head of a ring group, @max_len bytes.
 * Each entry is read once; @iov keeps what was read, and only that is
 * used from then on (the transfer, and how many buffers it consumed).
 */
static int io_ring_buffers_select(struct io_kiocb *req,
				  struct io_buffer_list *bl, struct iovec *iov,
				  unsigned int max_iov, size_t max_len,
				  unsigned int issue_flags)
{
	/* pairs with user space's release store of the tail */
	u16 avail = smp_load_acquire(&bl->br->tail) - bl->head;
	size_t total = 0;
	int nr = 0;

	/*
	 * An io worker commits what it takes at once, and a retry must find
	 * the same buffers: it takes one, which the request can keep.
	 */
	if (io_kbuf_must_commit(req, issue_flags))
		max_iov = 1;

	while (nr < max_iov && nr < avail) {
		struct io_uring_buf *buf = &bl->br->bufs[(bl->head + nr) & bl->mask];
		u32 len = READ_ONCE(buf->len);

		if (max_len && total + len > max_len)
			len = max_len - total;
		if (!len)
			break;
		iov[nr].iov_base = u64_to_user_ptr(READ_ONCE(buf->addr));
		iov[nr].iov_len = len;
		if (!nr)
			req->sel.bid = READ_ONCE(buf->bid);
		total += len;
		nr++;
		if (max_len && total >= max_len)
			break;
	}
	if (!nr)
		return -ENOBUFS;
	req->sel.addr = (u64)(uintptr_t)iov[0].iov_base;
	req->sel.len = total;
	req->sel.nr = nr;
	req->sel.bl = bl;
	req->flags |= REQ_F_BUFFER_RING;
	if (io_kbuf_must_commit(req, issue_flags)) {
		io_kbuf_commit_early(req, bl, total, nr);
		req->flags |= REQ_F_BL_COMMITTED;
		req->sel.bl = NULL;
	}
	return nr;
}

/**
 * io_buffers_select - take consecutive ring buffers (a bundle)
 * @req: a request with IOSQE_BUFFER_SELECT and IORING_RECVSEND_BUNDLE
 * @iov: filled with one entry per buffer
 * @max_iov: entries in @iov
 * @max_len: the most bytes wanted (0: no limit)
 * @issue_flags: as the op was issued with
 *
 * Only ring groups hand out bundles; a list group gives one buffer.
 *
 * Return: how many entries of @iov were filled, or -ENOBUFS.
 */
int io_buffers_select(struct io_kiocb *req, struct iovec *iov,
		      unsigned int max_iov, size_t max_len,
		      unsigned int issue_flags)
{
	struct io_ring_ctx *ctx = req->ctx;
	struct io_buffer_list *bl;
	size_t len = max_len;
	void __user *buf;
	int nr = -ENOBUFS;
	bool ring;

	if (io_kbuf_selected(req) && req->sel.nr <= 1) {
		iov[0].iov_base = u64_to_user_ptr(req->sel.addr);
		iov[0].iov_len = req->sel.len;
		return 1;
	}
	io_kbuf_lock(ctx, issue_flags);
	bl = io_bl_get(ctx, req->buf_index);
	ring = bl && bl->is_ring;
	if (ring)
		nr = io_ring_buffers_select(req, bl, iov, max_iov, max_len,
					    issue_flags);
	io_kbuf_unlock(ctx, issue_flags);
	if (ring)
		return nr;
	buf = io_buffer_select(req, &len, issue_flags);
	if (!buf)
		return -ENOBUFS;
	iov[0].iov_base = buf;
	iov[0].iov_len = len;
	return 1;
}

/*
 * How many of the bundle's buffers @len bytes reach into, by the lengths
 * read at selection (@iov), never by the ring's entries as they are now.
 */
static unsigned int io_bundle_used(struct io_kiocb *req,
				   const struct iovec *iov, int len)
{
	unsigned int i;

	if (!iov || req->sel.nr <= 1 || len <= 0)
		return 1;
	for (i = 0; i < req->sel.nr && len > 0; i++)
		len -= min_t(size_t, iov[i].iov_len, INT_MAX);
	return max(i, 1U);
}

/**
 * io_buffers_left - does the request's buffer group have a buffer to give?
 * @req: a request with IOSQE_BUFFER_SELECT; req->buf_index is the group
 * @issue_flags: as the op was issued with
 *
 * A send bundle goes on with the next buffers while there are any.
 *
 * Return: true if a selection now would find a buffer.
 */
bool io_buffers_left(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_ring_ctx *ctx = req->ctx;
	struct io_buffer_list *bl;
	bool left = false;

	io_kbuf_lock(ctx, issue_flags);
	bl = io_bl_get(ctx, req->buf_index);
	if (bl && bl->is_ring)
		/* pairs with user space's release store of the tail */
		left = smp_load_acquire(&bl->br->tail) != bl->head;
	else if (bl)
		left = !list_empty(&bl->buf_list);
	io_kbuf_unlock(ctx, issue_flags);
	return left;
}

/**
 * __io_put_kbuf - a request is done with the provided buffer(s) it holds
 * @req: the request, holding a buffer
 * @len: bytes it transferred
 * @iov: a bundle's buffers as selected (io_buffers_select()), or NULL
 * @issue_flags: as the op was issued with
 *
 * Return: the CQE flags that report the buffer.
 */
u32 __io_put_kbuf(struct io_kiocb *req, int len, const struct iovec *iov,
		  unsigned int issue_flags)
{
	u32 cflags = io_kbuf_cflags(req->sel.bid);

	if (req->flags & REQ_F_BUFFER_SELECTED) {
		kfree(req->sel.kbuf);
		req->sel.kbuf = NULL;
	} else if (!(req->flags & REQ_F_BL_COMMITTED)) {
		/* selected under uring_lock, which the issuer still holds */
		if (!io_kbuf_commit(req->sel.bl, len,
				    io_bundle_used(req, iov, len)))
			cflags |= IORING_CQE_F_BUF_MORE;
	} else if (req->flags & REQ_F_BUF_MORE) {
		/* committed early (io-wq, a file that cannot poll) */
		cflags |= IORING_CQE_F_BUF_MORE;
	}
	req->flags &= ~(IO_REQ_F_KBUF | REQ_F_BL_COMMITTED | REQ_F_BUF_MORE);
	return cflags;
}

void __io_kbuf_recycle(struct io_kiocb *req)
{
	struct io_ring_ctx *ctx = req->ctx;

	lockdep_assert_held(&ctx->uring_lock);
	/* committed: the retry uses it, and its CQE will report it */
	if (req->flags & REQ_F_BL_COMMITTED)
		return;
	if (req->flags & REQ_F_BUFFER_SELECTED) {
		struct io_buffer *kbuf = req->sel.kbuf;
		struct io_buffer_list *bl = io_bl_get(ctx, kbuf->bgid);

		/*
		 * An emptied list group can be replaced by a ring group of
		 * the same id (IORING_REGISTER_PBUF_RING): the buffer has no
		 * list to go back to then, and is dropped.
		 */
		if (bl && !bl->is_ring)
			list_add(&kbuf->list, &bl->buf_list);
		else
			kfree(kbuf);
		req->sel.kbuf = NULL;
	}
	/* an uncommitted ring selection: the head never moved */
	req->flags &= ~IO_REQ_F_KBUF;
}

/**
 * io_kbuf_drop - what a completing request still holds
 * @req: the request, uring_lock held
 *
 * A buffer that can go back to its group goes back; a committed one is
 * the application's again, and the CQE says so.
 *
 * Return: cqe->flags bits.
 */
u32 io_kbuf_drop(struct io_kiocb *req)
{
	if (req->flags & REQ_F_BL_COMMITTED)
		return __io_put_kbuf(req, 0, NULL, 0);
	__io_kbuf_recycle(req);
	return 0;
}

/**
 * io_kbuf_keep - the request goes on later in the buffer it holds
 * @req: the request, with a buffer selected, uring_lock held if the
 *	selection is not committed
 *
 * A partial transfer continues in the same buffer: commit it now, so that
 * going back to wait does not give it back.
 */
void io_kbuf_keep(struct io_kiocb *req)
{
	if (!io_kbuf_selected(req) || (req->flags & REQ_F_BL_COMMITTED))
		return;
	if (req->flags & REQ_F_BUFFER_RING) {
		io_kbuf_commit_early(req, req->sel.bl, req->sel.len,
				     req->sel.nr);
		req->sel.bl = NULL;
	}
	req->flags |= REQ_F_BL_COMMITTED;
}

/* ---- PROVIDE_BUFFERS, REMOVE_BUFFERS ---------------------------------- */

static struct io_buffer_list *io_bl_alloc(struct io_ring_ctx *ctx,
					  unsigned int bgid)
{
	struct io_buffer_list *bl;
	int ret;

	bl = kzalloc(sizeof(*bl), GFP_KERNEL_ACCOUNT);
	if (!bl)
		return ERR_PTR(-ENOMEM);
	bl->bgid = bgid;
	INIT_LIST_HEAD(&bl->buf_list);
	ret = xa_err(xa_store(&ctx->io_bl_xa, bgid, bl, GFP_KERNEL_ACCOUNT));
	if (ret) {
		kfree(bl);
		return ERR_PTR(ret);
	}
	return bl;
}

static int io_remove_list(struct io_buffer_list *bl, unsigned int nr)
{
	struct io_buffer *kbuf, *tmp;
	int done = 0;

	list_for_each_entry_safe(kbuf, tmp, &bl->buf_list, list) {
		if (done == nr)
			break;
		list_del(&kbuf->list);
		kfree(kbuf);
		done++;
	}
	return done;
}

static void io_bl_free(struct io_ring_ctx *ctx, struct io_buffer_list *bl)
{
	if (bl->is_ring)
		io_region_free(ctx, &bl->region);
	else
		io_remove_list(bl, UINT_MAX);
	kfree(bl);
}

/* Ring exit: every group and buffer goes. */
void io_kbuf_destroy_all(struct io_ring_ctx *ctx)
{
	struct io_buffer_list *bl;
	unsigned long index;

	mutex_lock(&ctx->mmap_lock);
	xa_for_each(&ctx->io_bl_xa, index, bl) {
		xa_erase(&ctx->io_bl_xa, index);
		io_bl_free(ctx, bl);
	}
	mutex_unlock(&ctx->mmap_lock);
	xa_destroy(&ctx->io_bl_xa);
}

int io_provide_buffers_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_provide_buf *p = io_kiocb_to_cmd(req, struct io_provide_buf);
	unsigned long size, end;
	u32 nbufs = READ_ONCE(sqe->fd);
	u64 bid = READ_ONCE(sqe->off);

	if (READ_ONCE(sqe->rw_flags) || READ_ONCE(sqe->splice_fd_in))
		return -EINVAL;
	/* none at all counts as a bad count, as in 6.12 */
	if (!nbufs || nbufs > IO_MAX_BIDS || bid > USHRT_MAX)
		return -E2BIG;
	p->nbufs = nbufs;
	p->bid = bid;
	p->addr = READ_ONCE(sqe->addr);
	p->len = READ_ONCE(sqe->len);
	p->bgid = READ_ONCE(sqe->buf_group);
	if (!p->len)
		return -EINVAL;
	if (check_mul_overflow((unsigned long)p->len, (unsigned long)nbufs,
			       &size) ||
	    check_add_overflow((unsigned long)p->addr, size, &end))
		return -EOVERFLOW;
	if (!access_ok(u64_to_user_ptr(p->addr), size))
		return -EFAULT;
	return 0;
}

int io_provide_buffers(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_provide_buf *p = io_kiocb_to_cmd(req, struct io_provide_buf);
	struct io_ring_ctx *ctx = req->ctx;
	struct io_buffer_list *bl;
	LIST_HEAD(new);
	u32 i;
	int ret = 0;

	io_kbuf_lock(ctx, issue_flags);
	bl = io_bl_get(ctx, p->bgid);
	if (!bl) {
		bl = io_bl_alloc(ctx, p->bgid);
		if (IS_ERR(bl)) {
			ret = PTR_ERR(bl);
			goto out;
		}
	} else if (bl->is_ring) {
		/* a ring group is filled through its ring only */
		ret = -EINVAL;
		goto out;
	}
	for (i = 0; i < p->nbufs; i++) {
		struct io_buffer *kbuf = kmalloc(sizeof(*kbuf), GFP_KERNEL_ACCOUNT);

		if (!kbuf) {
			ret = -ENOMEM;
			break;
		}
		kbuf->addr = p->addr + (u64)i * p->len;
		kbuf->len = p->len;
		/* ids wrap at 16 bits, as they do in the CQE */
		kbuf->bid = p->bid + i;
		kbuf->bgid = p->bgid;
		list_add_tail(&kbuf->list, &new);
	}
	/* all or nothing: a short allocation provides none */
	if (ret) {
		struct io_buffer *kbuf, *tmp;

		list_for_each_entry_safe(kbuf, tmp, &new, list)
			kfree(kbuf);
	} else {
		list_splice_tail(&new, &bl->buf_list);
	}
out:
	io_kbuf_unlock(ctx, issue_flags);
	io_req_set_res(req, ret, 0);
	return IOU_OK;
}

int io_remove_buffers_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_provide_buf *p = io_kiocb_to_cmd(req, struct io_provide_buf);
	u32 nbufs = READ_ONCE(sqe->fd);

	if (READ_ONCE(sqe->rw_flags) || READ_ONCE(sqe->addr) ||
	    READ_ONCE(sqe->len) || READ_ONCE(sqe->off) ||
	    READ_ONCE(sqe->splice_fd_in))
		return -EINVAL;
	if (!nbufs || nbufs > IO_MAX_BIDS)
		return -EINVAL;
	p->nbufs = nbufs;
	p->bgid = READ_ONCE(sqe->buf_group);
	return 0;
}

int io_remove_buffers(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_provide_buf *p = io_kiocb_to_cmd(req, struct io_provide_buf);
	struct io_buffer_list *bl;
	int ret;

	io_kbuf_lock(req->ctx, issue_flags);
	bl = io_bl_get(req->ctx, p->bgid);
	/* a ring group is emptied by its owner, through the ring */
	ret = !bl ? -ENOENT : bl->is_ring ? -EINVAL : io_remove_list(bl, p->nbufs);
	io_kbuf_unlock(req->ctx, issue_flags);
	io_req_set_res(req, ret, 0);
	return IOU_OK;
}

/* ---- ring groups ----------------------------------------------------- */

int io_register_pbuf_ring(struct io_ring_ctx *ctx, void __user *arg)
{
	struct io_uring_buf_reg reg;
	struct io_buffer_list *bl;
	size_t size;
	int ret;

	if (copy_from_user(&reg, arg, sizeof(reg)))
		return -EFAULT;
	if (memchr_inv(reg.resv, 0, sizeof(reg.resv)) ||
	    (reg.flags & ~(IOU_PBUF_RING_MMAP | IOU_PBUF_RING_INC)))
		return -EINVAL;
	if (!reg.ring_entries || !is_power_of_2(reg.ring_entries) ||
	    reg.ring_entries > IO_PBUF_RING_MAX)
		return -EINVAL;
	/* what a partly used buffer must keep to stay in use: INC only */
	if (reg.min_left && !(reg.flags & IOU_PBUF_RING_INC))
		return -EINVAL;
	/* the kernel allocates it, or user space does: exactly one */
	if (!!(reg.flags & IOU_PBUF_RING_MMAP) == !!reg.ring_addr)
		return -EINVAL;

	bl = io_bl_get(ctx, reg.bgid);
	if (bl) {
		/* an emptied list group may become a ring */
		if (bl->is_ring || !list_empty(&bl->buf_list))
			return -EEXIST;
		xa_erase(&ctx->io_bl_xa, reg.bgid);
		kfree(bl);
	}
	bl = kzalloc(sizeof(*bl), GFP_KERNEL_ACCOUNT);
	if (!bl)
		return -ENOMEM;
	size = reg.ring_entries * sizeof(struct io_uring_buf);
	if (reg.flags & IOU_PBUF_RING_MMAP)
		ret = io_region_alloc(&bl->region, PAGE_ALIGN(size));
	else
		ret = io_region_pin(ctx, &bl->region, reg.ring_addr, size);
	if (ret)
		goto err;
	bl->bgid = reg.bgid;
	bl->is_ring = true;
	bl->is_mmap = reg.flags & IOU_PBUF_RING_MMAP;
	bl->is_inc = reg.flags & IOU_PBUF_RING_INC;
	bl->min_left = reg.min_left ?: 1;
	bl->mask = reg.ring_entries - 1;
	bl->br = bl->region.ptr;
	INIT_LIST_HEAD(&bl->buf_list);
	/* mmap looks groups up under mmap_lock only */
	mutex_lock(&ctx->mmap_lock);
	ret = xa_err(xa_store(&ctx->io_bl_xa, reg.bgid, bl, GFP_KERNEL_ACCOUNT));
	mutex_unlock(&ctx->mmap_lock);
	if (!ret)
		return 0;
	io_region_free(ctx, &bl->region);
err:
	kfree(bl);
	return ret;
}

/* The ring group @bgid; -ENOENT if there is none, -EINVAL for a list. */
static struct io_buffer_list *io_ring_group(struct io_ring_ctx *ctx,
					    unsigned int bgid)
{
	struct io_buffer_list *bl = io_bl_get(ctx, bgid);

	if (!bl)
		return ERR_PTR(-ENOENT);
	return bl->is_ring ? bl : ERR_PTR(-EINVAL);
}

int io_unregister_pbuf_ring(struct io_ring_ctx *ctx, void __user *arg)
{
	struct io_uring_buf_reg reg;
	struct io_buffer_list *bl;

	if (copy_from_user(&reg, arg, sizeof(reg)))
		return -EFAULT;
	if (memchr_inv(reg.resv, 0, sizeof(reg.resv)) || reg.flags)
		return -EINVAL;
	bl = io_ring_group(ctx, reg.bgid);
	if (IS_ERR(bl))
		return PTR_ERR(bl);
	/*
	 * Requests that committed a buffer no longer point at the group;
	 * uncommitted selections only live under uring_lock, which we hold.
	 */
	mutex_lock(&ctx->mmap_lock);
	xa_erase(&ctx->io_bl_xa, reg.bgid);
	mutex_unlock(&ctx->mmap_lock);
	io_bl_free(ctx, bl);
	return 0;
}

/**
 * io_pbuf_mmap - map a kernel-allocated buffer ring (IOU_PBUF_RING_MMAP)
 * @ctx: the ring
 * @vma: the mapping, at IORING_OFF_PBUF_RING | bgid << IORING_OFF_PBUF_SHIFT
 * @bgid: the group
 *
 * Runs under mmap_lock, where uring_lock may not be taken (a fault under
 * uring_lock takes mmap_lock): the group is looked up under its own lock.
 *
 * Return: 0, or -EINVAL for a group without a kernel-allocated ring or a
 * mapping larger than it.
 */
int io_pbuf_mmap(struct io_ring_ctx *ctx, struct vm_area_struct *vma,
		 unsigned int bgid)
{
	struct io_buffer_list *bl;
	int ret = -EINVAL;

	mutex_lock(&ctx->mmap_lock);
	bl = xa_load(&ctx->io_bl_xa, bgid);
	if (bl && bl->is_ring && bl->is_mmap)
		ret = io_region_mmap(&bl->region, vma, 0);
	mutex_unlock(&ctx->mmap_lock);
	return ret;
}

/* IORING_REGISTER_PBUF_STATUS: how far the kernel got in a ring group. */
int io_register_pbuf_status(struct io_ring_ctx *ctx, void __user *arg)
{
	struct io_buffer_list *bl;
	struct io_uring_buf_status st;

	if (copy_from_user(&st, arg, sizeof(st)))
		return -EFAULT;
	/* reserved words must be zero: room for more status later */
	bl = memchr_inv(st.resv, 0, sizeof(st.resv)) ? ERR_PTR(-EINVAL) :
	     io_ring_group(ctx, st.buf_group);
	if (IS_ERR(bl))
		return PTR_ERR(bl);
	/* our head: user space knows its tail, and so what is left */
	st.head = bl->head;
	return copy_to_user(arg, &st, sizeof(st)) ? -EFAULT : 0;
}
