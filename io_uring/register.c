// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring_register(2): everything that changes a ring's configuration
 * runs here, under the ring's uring_lock.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/syscalls.h>
#include <linux/file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/io_uring.h>

#include "io_uring.h"
#include "opdef.h"
#include "eventfd.h"

static int io_probe(struct io_ring_ctx *ctx, void __user *arg,
		    unsigned int nr_args)
{
	struct io_uring_probe *p;
	size_t size;
	int i, ret = 0;

	nr_args = min_t(unsigned int, nr_args, IORING_OP_LAST);
	size = struct_size(p, ops, nr_args);
	p = memdup_user(arg, size);
	if (IS_ERR(p))
		return PTR_ERR(p);
	/* the caller must hand us a zeroed probe: room for future fields */
	if (memchr_inv(p, 0, size)) {
		ret = -EINVAL;
		goto out;
	}
	p->last_op = IORING_OP_LAST - 1;
	p->ops_len = nr_args;
	for (i = 0; i < nr_args; i++) {
		p->ops[i].op = i;
		if (io_op_supported(i))
			p->ops[i].flags = IO_URING_OP_SUPPORTED;
	}
	if (copy_to_user(arg, p, size))
		ret = -EFAULT;
out:
	kfree(p);
	return ret;
}

static int io_register_enable_rings(struct io_ring_ctx *ctx)
{
	if (!(ctx->int_flags & IO_CTX_DISABLED))
		return -EBADFD;
	WRITE_ONCE(ctx->int_flags, ctx->int_flags & ~IO_CTX_DISABLED);
	return 0;
}

static int __io_uring_register(struct io_ring_ctx *ctx, unsigned int opcode,
			       void __user *arg, unsigned int nr_args)
{
	switch (opcode) {
	case IORING_REGISTER_PROBE:
		if (!arg || nr_args > 256)
			return -EINVAL;
		return io_probe(ctx, arg, nr_args);
	case IORING_REGISTER_EVENTFD:
	case IORING_REGISTER_EVENTFD_ASYNC:
		return io_eventfd_register(ctx, arg, nr_args,
					   opcode == IORING_REGISTER_EVENTFD_ASYNC);
	case IORING_UNREGISTER_EVENTFD:
		if (arg || nr_args)
			return -EINVAL;
		return io_eventfd_unregister(ctx);
	case IORING_REGISTER_ENABLE_RINGS:
		if (arg || nr_args)
			return -EINVAL;
		return io_register_enable_rings(ctx);
	case IORING_REGISTER_RING_FDS:
		return io_ringfd_register(ctx, arg, nr_args);
	case IORING_UNREGISTER_RING_FDS:
		return io_ringfd_unregister(ctx, arg, nr_args);
	default:
		/* not (yet) implemented register opcodes fail cleanly */
		return -EINVAL;
	}
}

static long io_register_locked(struct io_ring_ctx *ctx, unsigned int opcode,
			       void __user *arg, unsigned int nr_args)
{
	guard(mutex)(&ctx->uring_lock);
	return __io_uring_register(ctx, opcode, arg, nr_args);
}

SYSCALL_DEFINE4(io_uring_register, unsigned int, fd, unsigned int, opcode,
		void __user *, arg, unsigned int, nr_args)
{
	unsigned int op = opcode & ~IORING_REGISTER_USE_REGISTERED_RING;
	struct file *file;
	long ret = -EINVAL;

	if (op < IORING_REGISTER_LAST) {
		file = io_uring_ctx_get_file(fd, opcode != op);
		if (IS_ERR(file))
			return PTR_ERR(file);
		ret = io_register_locked(file->private_data, op, arg, nr_args);
		fput(file);
	}
	return ret;
}
