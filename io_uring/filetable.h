/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_FILE_TABLE_H
#define IOU_FILE_TABLE_H

#include <linux/io_uring_types.h>
#include <linux/lockdep.h>
#include <linux/nospec.h>

int io_file_table_alloc(struct io_ring_ctx *ctx, unsigned int nr);
void io_file_table_free(struct io_ring_ctx *ctx);

/**
 * io_fixed_file_node - the node in fixed slot @idx, or NULL
 * @ctx: the ring, with uring_lock held
 * @idx: a slot index from user space, checked here
 *
 * Inline: every request on a fixed file looks its slot up.
 *
 * Return: the slot's node, or NULL for an empty slot or an index past
 * the table.
 */
static inline struct io_rsrc_node *io_fixed_file_node(struct io_ring_ctx *ctx,
						      unsigned int idx)
{
	lockdep_assert_held(&ctx->uring_lock);
	if (unlikely(idx >= ctx->file_table.nr))
		return NULL;
	return ctx->file_table.nodes[array_index_nospec(idx, ctx->file_table.nr)];
}

int io_file_get_fixed(struct io_kiocb *req);
int io_fixed_file_set(struct io_ring_ctx *ctx, unsigned int slot,
		      struct file *file, u64 tag);
int io_fixed_file_clear(struct io_ring_ctx *ctx, unsigned int slot);
int io_file_slot_alloc(struct io_ring_ctx *ctx);
int io_register_file_alloc_range(struct io_ring_ctx *ctx, void __user *arg);
int __io_fixed_fd_install(struct io_ring_ctx *ctx, struct file *file,
			  unsigned int file_slot);
int io_fixed_fd_install(struct io_kiocb *req, unsigned int issue_flags,
			struct file *file, unsigned int file_slot);

int io_register_files(struct io_ring_ctx *ctx, void __user *arg,
		      unsigned int nr_args, u64 __user *tags, bool sparse);
int io_unregister_files(struct io_ring_ctx *ctx);
int io_files_update_one(struct io_ring_ctx *ctx, unsigned int slot,
			const void __user *data, unsigned int i, u64 tag);
int io_register_files_update(struct io_ring_ctx *ctx, void __user *arg,
			     unsigned int nr_args);
int io_files_update_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_files_update(struct io_kiocb *req, unsigned int issue_flags);

#endif
