/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A task's io_uring state (tctx.c): created at its first ring, the rings
 * it submitted to (so that its exit and exec reach them), its count of
 * requests in flight, and its registered ring fds.
 */
#ifndef IOU_TCTX_H
#define IOU_TCTX_H

#include <linux/io_uring_types.h>
#include <linux/percpu_counter.h>

int __io_uring_alloc_task_context(struct task_struct *task);

/* @task's io_uring state, created at its first use; 0 or -ENOMEM */
static inline int io_uring_alloc_task_context(struct task_struct *task)
{
	if (likely(task->io_uring))
		return 0;
	return __io_uring_alloc_task_context(task);
}

int __io_tctx_track_ctx(struct io_ring_ctx *ctx);
void io_ctx_untrack_tasks(struct io_ring_ctx *ctx);

/* Remember that current submits to @ctx, so that its exit reaches it. */
static inline int io_tctx_track_ctx(struct io_ring_ctx *ctx)
{
	if (likely(READ_ONCE(current->io_uring->last_ctx) == ctx))
		return 0;
	return __io_tctx_track_ctx(ctx);
}

#define IO_TCTX_REFS_BATCH	32

/*
 * Count the @nr requests a submission batch of current's may make in its
 * inflight: from the counts it took ahead (tctx->cached_refs), refilled
 * when short. Those the batch does not make go back to cached_refs.
 */
static __always_inline void io_tctx_take_refs(struct io_uring_task *tctx,
					      unsigned int nr)
{
	if (unlikely(tctx->cached_refs < (int)nr)) {
		percpu_counter_add(&tctx->inflight, nr + IO_TCTX_REFS_BATCH);
		tctx->cached_refs += nr + IO_TCTX_REFS_BATCH;
	}
	tctx->cached_refs -= nr;
}

/* Give back the counts current holds ahead: inflight is exact again. */
static inline void io_tctx_drop_refs(struct io_uring_task *tctx)
{
	if (tctx->cached_refs) {
		percpu_counter_sub(&tctx->inflight, tctx->cached_refs);
		tctx->cached_refs = 0;
	}
}

int io_ringfd_register(struct io_ring_ctx *ctx, void __user *arg,
		       unsigned int nr_args);
int io_ringfd_unregister(struct io_ring_ctx *ctx, void __user *arg,
			 unsigned int nr_args);
void io_ringfd_unregister_all(struct io_uring_task *tctx);
int io_ringfd_free_slot(void);

#endif
