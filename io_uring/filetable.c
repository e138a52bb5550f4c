// SPDX-License-Identifier: GPL-2.0
/*
 * The fixed file table (IORING_REGISTER_FILES): slots a request names
 * with IOSQE_FIXED_FILE instead of a file descriptor, so that no fd
 * lookup and no file reference count is needed per request. A bitmap of
 * used slots serves IORING_FILE_INDEX_ALLOC within the allocation range.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/file.h>
#include <linux/slab.h>
#include <linux/bitmap.h>
#include <linux/nospec.h>
#include <linux/uaccess.h>
#include <linux/io_uring.h>

#include "io_uring.h"
#include "rsrc.h"
#include "filetable.h"

int io_file_table_alloc(struct io_ring_ctx *ctx, unsigned int nr)
{
	ctx->file_table.nodes = kvcalloc(nr, sizeof(*ctx->file_table.nodes),
					 GFP_KERNEL_ACCOUNT);
	if (!ctx->file_table.nodes)
		return -ENOMEM;
	ctx->file_bitmap = bitmap_zalloc(nr, GFP_KERNEL_ACCOUNT);
	if (!ctx->file_bitmap) {
		kvfree(ctx->file_table.nodes);
		ctx->file_table.nodes = NULL;
		return -ENOMEM;
	}
	ctx->file_table.nr = nr;
	ctx->file_alloc_start = 0;
	ctx->file_alloc_end = nr;
	ctx->file_alloc_hint = 0;
	return 0;
}

void io_file_table_free(struct io_ring_ctx *ctx)
{
	io_rsrc_table_free(ctx, &ctx->file_table);
	bitmap_free(ctx->file_bitmap);
	ctx->file_bitmap = NULL;
	ctx->file_alloc_start = 0;
	ctx->file_alloc_end = 0;
}

/**
 * io_file_get_fixed - look up req->fd in the fixed file table
 * @req: the request; under uring_lock
 *
 * Return: 0 with req->file and req->file_node set, or -EBADF.
 */
int io_file_get_fixed(struct io_kiocb *req)
{
	struct io_rsrc_node *node = io_fixed_file_node(req->ctx, req->fd);

	if (unlikely(!node))
		return -EBADF;
	node->refs++;
	req->file_node = node;
	req->file = node->file;
	io_req_rsrc_gen(req);
	return 0;
}

/**
 * io_fixed_file_clear - empty a slot; its file goes when no request uses it
 * @ctx: the ring
 * @slot: a slot inside the table
 *
 * Return: 1 if the slot held a file, 0 if it was empty.
 */
int io_fixed_file_clear(struct io_ring_ctx *ctx, unsigned int slot)
{
	struct io_rsrc_node *node = ctx->file_table.nodes[slot];

	if (!node)
		return 0;
	ctx->file_table.nodes[slot] = NULL;
	__clear_bit(slot, ctx->file_bitmap);
	io_rsrc_node_remove(ctx, node);
	return 1;
}

/**
 * io_fixed_file_set - install @file in @slot, replacing what was there
 * @ctx: the ring
 * @slot: a slot inside the table
 * @file: the file; its reference passes to the table
 * @tag: posted as a CQE once the file is released, if not 0
 *
 * Return: 0, -EBADF for a ring file, -ENOMEM.
 */
int io_fixed_file_set(struct io_ring_ctx *ctx, unsigned int slot,
		      struct file *file, u64 tag)
{
	struct io_rsrc_node *node;

	/* a ring in its own table could never be released */
	if (io_is_uring_fops(file)) {
		fput(file);
		return -EBADF;
	}
	node = io_rsrc_node_alloc(IO_RSRC_FILE, tag);
	if (!node) {
		fput(file);
		return -ENOMEM;
	}
	node->file = file;
	io_fixed_file_clear(ctx, slot);
	ctx->file_table.nodes[slot] = node;
	__set_bit(slot, ctx->file_bitmap);
	/* allocation goes on after the slot filled last, as in 6.12 */
	ctx->file_alloc_hint = slot + 1;
	return 0;
}

/** io_file_slot_alloc - a free slot in the allocation range, or -ENFILE */
int io_file_slot_alloc(struct io_ring_ctx *ctx)
{
	unsigned int start = ctx->file_alloc_start, end = ctx->file_alloc_end;
	unsigned int slot;

	/* no table is no free slot, as for a full one */
	if (!ctx->file_bitmap)
		return -ENFILE;
	/* from the slot after the last one filled, then wrap around */
	slot = find_next_zero_bit(ctx->file_bitmap, end,
				  max(ctx->file_alloc_hint, start));
	if (slot >= end)
		slot = find_next_zero_bit(ctx->file_bitmap, end, start);
	if (slot >= end)
		return -ENFILE;
	ctx->file_alloc_hint = slot + 1;
	return slot;
}

/** io_register_file_alloc_range - IORING_REGISTER_FILE_ALLOC_RANGE */
int io_register_file_alloc_range(struct io_ring_ctx *ctx, void __user *arg)
{
	struct io_uring_file_index_range range;
	u64 end;

	if (copy_from_user(&range, arg, sizeof(range)))
		return -EFAULT;
	end = (u64)range.off + range.len;
	/* u32 + u32 cannot overflow u64; a range past the table is refused */
	if (end > U32_MAX)
		return -EOVERFLOW;
	if (end > ctx->file_table.nr || range.resv)
		return -EINVAL;
	ctx->file_alloc_start = range.off;
	ctx->file_alloc_end = end;
	ctx->file_alloc_hint = range.off;
	return 0;
}

/**
 * __io_fixed_fd_install - put a file in a ring's fixed table
 * @ctx: the ring, uring_lock held
 * @file: the file; its reference passes to the table, or is dropped
 * @file_slot: slot + 1, or IORING_FILE_INDEX_ALLOC
 *
 * Return: the slot allocated, 0 for a given slot, or -errno.
 */
int __io_fixed_fd_install(struct io_ring_ctx *ctx, struct file *file,
			  unsigned int file_slot)
{
	int slot, ret;

	lockdep_assert_held(&ctx->uring_lock);
	if (file_slot == IORING_FILE_INDEX_ALLOC)
		slot = io_file_slot_alloc(ctx);
	else if (!ctx->file_bitmap)
		slot = -ENXIO;
	else if (file_slot > ctx->file_table.nr)
		slot = -EINVAL;
	else
		slot = file_slot - 1;
	if (slot < 0) {
		fput(file);
		return slot;
	}
	ret = io_fixed_file_set(ctx, slot, file, 0);
	/* only an allocated slot is news to user space */
	return ret ?: (file_slot == IORING_FILE_INDEX_ALLOC ? slot : 0);
}

/**
 * io_fixed_fd_install - put a new file in the fixed table (file_index)
 * @req: the request that opened it
 * @issue_flags: how the request is issued (uring_lock held or not)
 * @file: the file; its reference passes to the table, or is dropped
 * @file_slot: sqe->file_index: slot + 1, or IORING_FILE_INDEX_ALLOC
 *
 * Return: the slot allocated, 0 for a given slot, or -errno.
 */
int io_fixed_fd_install(struct io_kiocb *req, unsigned int issue_flags,
			struct file *file, unsigned int file_slot)
{
	struct io_ring_ctx *ctx = req->ctx;
	int ret;

	if (issue_flags & IO_URING_F_UNLOCKED)
		mutex_lock(&ctx->uring_lock);
	ret = __io_fixed_fd_install(ctx, file, file_slot);
	if (issue_flags & IO_URING_F_UNLOCKED)
		mutex_unlock(&ctx->uring_lock);
	return ret;
}

/* ---- registration ---------------------------------------------------- */

/**
 * io_register_files - IORING_REGISTER_FILES(2)
 * @ctx: the ring, uring_lock held
 * @arg: the fds (-1: an empty slot)
 * @nr_args: how many
 * @tags: their tags, or NULL
 * @sparse: no fds: @nr_args empty slots
 *
 * Return: 0, -EBUSY with a table registered, -EINVAL, -EMFILE over the
 * limits, -EBADF, -EFAULT, -ENOMEM; nothing is registered on failure.
 */
int io_register_files(struct io_ring_ctx *ctx, void __user *arg,
		      unsigned int nr_args, u64 __user *tags, bool sparse)
{
	__s32 __user *fds = arg;
	unsigned int i;
	int ret = 0;

	if (ctx->file_table.nr)
		return -EBUSY;
	if (!nr_args)
		return -EINVAL;
	if (nr_args > IORING_MAX_FIXED_FILES || nr_args > rlimit(RLIMIT_NOFILE))
		return -EMFILE;
	ret = io_file_table_alloc(ctx, nr_args);
	if (ret)
		return ret;
	for (i = 0; i < nr_args; i++) {
		struct file *file;
		s32 fd = -1;
		u64 tag = 0;

		if ((!sparse && copy_from_user(&fd, &fds[i], sizeof(fd))) ||
		    (tags && copy_from_user(&tag, &tags[i], sizeof(tag)))) {
			ret = -EFAULT;
			break;
		}
		if (fd == -1) {
			if (tag) {
				ret = -EINVAL;
				break;
			}
			continue;
		}
		file = fget(fd);
		if (!file) {
			ret = -EBADF;
			break;
		}
		ret = io_fixed_file_set(ctx, i, file, tag);
		if (ret)
			break;
		cond_resched();
	}
	if (ret) {
		io_rsrc_table_drop(ctx, &ctx->file_table);
		io_file_table_free(ctx);
	}
	return ret;
}

/**
 * io_unregister_files - IORING_UNREGISTER_FILES
 * @ctx: the ring, uring_lock held
 *
 * Return: 0, or -ENXIO without a table.
 */
int io_unregister_files(struct io_ring_ctx *ctx)
{
	if (!ctx->file_table.nr)
		return -ENXIO;
	io_file_table_free(ctx);
	return 0;
}

/* ---- updates -------------------------------------------------------- */

/**
 * io_files_update_one - replace one registered file
 * @ctx: the ring, uring_lock held
 * @slot: the slot
 * @data: user space's array of fds
 * @i: which of them: an fd, -1 to empty the slot, or
 *	IORING_REGISTER_FILES_SKIP to leave it
 * @tag: the new file's tag
 *
 * An io_rsrc_update_fn, for the file updates.
 *
 * Return: 0, or -errno with the slot unchanged.
 */
int io_files_update_one(struct io_ring_ctx *ctx, unsigned int slot,
			const void __user *data, unsigned int i, u64 tag)
{
	const s32 __user *fds = data;
	struct file *file;
	s32 fd;

	if (copy_from_user(&fd, &fds[i], sizeof(fd)))
		return -EFAULT;
	if (fd == IORING_REGISTER_FILES_SKIP)
		return 0;
	if (fd == -1) {
		if (tag)
			return -EINVAL;
		io_fixed_file_clear(ctx, slot);
		return 0;
	}
	file = fget(fd);
	if (!file)
		return -EBADF;
	return io_fixed_file_set(ctx, slot, file, tag);
}

/**
 * io_register_files_update - IORING_REGISTER_FILES_UPDATE
 * @ctx: the ring, uring_lock held
 * @arg: struct io_uring_files_update
 * @nr_args: how many fds
 *
 * Return: how many slots were replaced, or -errno.
 */
int io_register_files_update(struct io_ring_ctx *ctx, void __user *arg,
			     unsigned int nr_args)
{
	struct io_uring_files_update up;

	if (!nr_args)
		return -EINVAL;
	if (copy_from_user(&up, arg, sizeof(up)))
		return -EFAULT;
	if (up.resv)
		return -EINVAL;
	return io_rsrc_update(ctx, &ctx->file_table, up.offset,
			      u64_to_user_ptr(up.fds), NULL, nr_args,
			      io_files_update_one);
}

/* ---- IORING_OP_FILES_UPDATE ----------------------------------------- */

struct io_files_update {
	struct file	*file;
	u64		arg;
	u32		nr;
	u32		offset;
};

/* sqe->addr: the fds, sqe->len: how many, sqe->off: the first slot */
int io_files_update_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_files_update *up = io_kiocb_to_cmd(req, struct io_files_update);
	bool unused = READ_ONCE(sqe->rw_flags) || READ_ONCE(sqe->splice_fd_in);

	*up = (struct io_files_update) {
		.arg	= READ_ONCE(sqe->addr),
		.nr	= READ_ONCE(sqe->len),
		.offset	= READ_ONCE(sqe->off),
	};
	return unused || !up->nr ? -EINVAL : 0;
}

/* Put the file *@uptr names in a free slot; write the slot back there. */
static int io_file_install_alloc(struct io_ring_ctx *ctx, s32 __user *uptr)
{
	struct file *file;
	int slot;
	s32 fd;

	if (get_user(fd, uptr))
		return -EFAULT;
	slot = io_file_slot_alloc(ctx);
	if (slot < 0)
		return slot;
	/* tell user space first: a slot it cannot learn must stay empty */
	if (put_user(slot, uptr))
		return -EFAULT;
	file = fget(fd);
	return file ? io_fixed_file_set(ctx, slot, file, 0) : -EBADF;
}

/* IORING_FILE_INDEX_ALLOC: install each fd in a free slot, report slots. */
static int io_files_update_alloc(struct io_ring_ctx *ctx,
				 struct io_files_update *up)
{
	s32 __user *fds = u64_to_user_ptr(up->arg);
	unsigned int i;
	int ret = 0;

	/* no table at all: -ENXIO here, -ENFILE for ops allocating a slot */
	if (!ctx->file_table.nr)
		return -ENXIO;
	for (i = 0; i < up->nr && !ret; i++)
		ret = io_file_install_alloc(ctx, &fds[i]);
	if (ret)
		i--;
	return i ? i : ret;
}

int io_files_update(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_files_update *up = io_kiocb_to_cmd(req, struct io_files_update);
	struct io_ring_ctx *ctx = req->ctx;
	int ret;

	if (issue_flags & IO_URING_F_UNLOCKED)
		mutex_lock(&ctx->uring_lock);
	if (up->offset == IORING_FILE_INDEX_ALLOC)
		ret = io_files_update_alloc(ctx, up);
	else
		ret = io_rsrc_update(ctx, &ctx->file_table, up->offset,
				     u64_to_user_ptr(up->arg), NULL, up->nr,
				     io_files_update_one);
	if (issue_flags & IO_URING_F_UNLOCKED)
		mutex_unlock(&ctx->uring_lock);
	io_req_set_res(req, ret, 0);
	return IOU_OK;
}
