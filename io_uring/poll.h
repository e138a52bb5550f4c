/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOU_POLL_H
#define IOU_POLL_H

#include <linux/poll.h>

struct io_kiocb;
struct io_ring_ctx;
struct io_uring_sqe;

int io_poll_add_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_poll_add(struct io_kiocb *req, unsigned int issue_flags);
int io_poll_remove_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
int io_poll_remove(struct io_kiocb *req, unsigned int issue_flags);
void io_poll_detach_task(struct io_ring_ctx *ctx, struct task_struct *task);
int io_arm_apoll(struct io_kiocb *req, __poll_t events);
int io_poll_cancel(struct io_ring_ctx *ctx,
		   bool (*match)(struct io_kiocb *req, void *data), void *data,
		   bool all);
void io_apoll_cache_free(struct io_ring_ctx *ctx);
int io_poll_hash_alloc(struct io_ring_ctx *ctx);
struct task_struct;

struct seq_file;
void io_poll_show_fdinfo(struct seq_file *m, struct io_ring_ctx *ctx);

int io_file_wait_ready(struct file *file, __poll_t events);

#endif
