/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_RSRC_H
#define IOU_RSRC_H

#include <linux/io_uring_types.h>
#include <linux/bits.h>
#include <linux/bvec.h>
#include <linux/refcount.h>

#define IORING_MAX_FIXED_FILES	BIT(20)
#define IORING_MAX_REG_BUFFERS	BIT(14)

enum {
	IO_RSRC_FILE,
	IO_RSRC_BUFFER,
};

/*
 * A registered buffer: its pages pinned, one bio_vec a page (the first
 * and last may be partial).
 */
struct io_mapped_ubuf {
	u64		ubuf;
	unsigned int	len;
	unsigned int	nr_bvecs;
	/* rings sharing it (IORING_REGISTER_CLONE_BUFFERS); each accounts */
	refcount_t	refs;
	unsigned long	acct_pages;
	struct bio_vec	bvec[] __counted_by(nr_bvecs);
};

/*
 * One slot's resource. The table holds a reference, and so does every
 * request using it; all references are taken and dropped under the
 * ring's uring_lock. The last one releases the resource and posts its
 * tag, if any, as a CQE.
 */
struct io_rsrc_node {
	int			refs;
	u8			type;
	u64			tag;
	/* removed from its table, waiting in a generation (tagged only) */
	struct list_head	gen_entry;
	union {
		struct file		*file;
		struct io_mapped_ubuf	*buf;
	};
};

/*
 * A resource generation: the fixed-resource requests issued between two
 * removals of tagged resources. As in 6.12, a removed tagged resource is
 * released, and its tag posted, once every request of its generation and
 * of the older ones has completed, even those using other slots.
 */
struct io_rsrc_gen {
	unsigned int		refs;
	struct list_head	list;
	struct list_head	nodes;
};

int io_rsrc_gen_init(struct io_ring_ctx *ctx);
void io_rsrc_gen_free(struct io_ring_ctx *ctx);
void io_rsrc_gen_put(struct io_ring_ctx *ctx, struct io_rsrc_gen *gen);
void io_rsrc_node_remove(struct io_ring_ctx *ctx, struct io_rsrc_node *node);

/* A request starts using fixed resources: it belongs to this generation. */
static inline void io_req_rsrc_gen(struct io_kiocb *req)
{
	if (!req->rsrc_gen) {
		req->rsrc_gen = req->ctx->rsrc_gen;
		req->rsrc_gen->refs++;
	}
}

void io_rsrc_node_put(struct io_ring_ctx *ctx, struct io_rsrc_node *node);
struct io_rsrc_node *io_rsrc_node_alloc(int type, u64 tag);
void io_rsrc_table_free(struct io_ring_ctx *ctx, struct io_rsrc_table *table);

void io_rsrc_table_drop(struct io_ring_ctx *ctx, struct io_rsrc_table *table);

/* Replace slot @slot of a table with entry @i of user space's @data. */
typedef int (*io_rsrc_update_fn)(struct io_ring_ctx *ctx, unsigned int slot,
				 const void __user *data, unsigned int i,
				 u64 tag);
int io_rsrc_update(struct io_ring_ctx *ctx, struct io_rsrc_table *table,
		   u32 offset, const void __user *data, const u64 __user *tags,
		   u32 nr, io_rsrc_update_fn update_one);
int io_buffers_update_one(struct io_ring_ctx *ctx, unsigned int slot,
			  const void __user *data, unsigned int i, u64 tag);
int io_register_buffers(struct io_ring_ctx *ctx, void __user *arg,
			unsigned int nr_args, u64 __user *tags, bool sparse);
int io_unregister_buffers(struct io_ring_ctx *ctx);
int io_register_clone_buffers(struct io_ring_ctx *ctx, void __user *arg);
int io_buf_node_get(struct io_kiocb *req, unsigned int index);
int io_import_fixed(int ddir, struct iov_iter *iter,
		    struct io_mapped_ubuf *imu, u64 buf_addr, size_t len);
int io_import_fixed_iov(int ddir, struct iov_iter *iter,
			struct io_mapped_ubuf *imu, struct bio_vec **bvecp);

#endif
