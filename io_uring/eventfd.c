// SPDX-License-Identifier: GPL-2.0
/*
 * An eventfd registered with a ring is signalled when CQEs are posted
 * (IORING_REGISTER_EVENTFD), or only for completions that happened in an
 * io worker (IORING_REGISTER_EVENTFD_ASYNC). User space can mute it with
 * IORING_CQ_EVENTFD_DISABLED in the CQ ring flags.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/eventfd.h>
#include <uapi/linux/eventpoll.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/workqueue.h>
#include <linux/uaccess.h>
#include <linux/sched.h>
#include <linux/io_uring_types.h>

#include "io_uring.h"
#include "eventfd.h"

struct io_ev_fd {
	struct eventfd_ctx	*ctx;
	bool			async;
	/* the ring's, and a deferred signal's while queued */
	refcount_t		refs;
	struct rcu_head		rcu;
	struct delayed_work	work;
};

static void io_eventfd_free(struct rcu_head *rcu);

static void io_eventfd_put(struct io_ev_fd *ev)
{
	if (refcount_dec_and_test(&ev->refs))
		call_rcu(&ev->rcu, io_eventfd_free);
}

/* A signal that could not be sent from inside another eventfd's wakeup. */
static void io_eventfd_deferred(struct work_struct *work)
{
	struct io_ev_fd *ev = container_of(to_delayed_work(work),
					   struct io_ev_fd, work);

	eventfd_signal_mask(ev->ctx, EPOLL_URING_WAKE);
	io_eventfd_put(ev);
}

int io_eventfd_register(struct io_ring_ctx *ctx, void __user *arg,
			unsigned int nr_args, bool async)
{
	struct io_ev_fd *ev;
	int fd;

	if (nr_args != 1)
		return -EINVAL;
	if (rcu_access_pointer(ctx->io_ev_fd))
		return -EBUSY;
	if (copy_from_user(&fd, arg, sizeof(fd)))
		return -EFAULT;
	ev = kmalloc(sizeof(*ev), GFP_KERNEL_ACCOUNT);
	if (!ev)
		return -ENOMEM;
	ev->ctx = eventfd_ctx_fdget(fd);
	if (IS_ERR(ev->ctx)) {
		int ret = PTR_ERR(ev->ctx);

		kfree(ev);
		return ret;
	}
	ev->async = async;
	refcount_set(&ev->refs, 1);
	INIT_DELAYED_WORK(&ev->work, io_eventfd_deferred);
	rcu_assign_pointer(ctx->io_ev_fd, ev);
	/* io_cq_wake() looks for it from now on */
	WRITE_ONCE(ctx->cq_watched, true);
	return 0;
}

static void io_eventfd_free(struct rcu_head *rcu)
{
	struct io_ev_fd *ev = container_of(rcu, struct io_ev_fd, rcu);

	eventfd_ctx_put(ev->ctx);
	kfree(ev);
}

/* Under uring_lock, or at ring free when nothing else can get here. */
int io_eventfd_unregister(struct io_ring_ctx *ctx)
{
	struct io_ev_fd *ev = rcu_dereference_protected(ctx->io_ev_fd, 1);

	if (!ev)
		return -ENXIO;
	RCU_INIT_POINTER(ctx->io_ev_fd, NULL);
	/* a completion may be signalling it right now */
	io_eventfd_put(ev);
	return 0;
}

/**
 * __io_eventfd_signal - signal the ring's eventfd, if it wants this one
 * @ctx: the ring, with an eventfd registered a moment ago
 */
void __io_eventfd_signal(struct io_ring_ctx *ctx)
{
	struct io_ev_fd *ev;

	/* a resize frees the rings it replaces a grace period later */
	rcu_read_lock();
	if (READ_ONCE(READ_ONCE(ctx->rings)->cq_flags) &
	    IORING_CQ_EVENTFD_DISABLED) {
		rcu_read_unlock();
		return;
	}
	ev = rcu_dereference(ctx->io_ev_fd);
	if (!ev || (ev->async && !(current->flags & PF_IO_WORKER))) {
		rcu_read_unlock();
		return;
	}
	/*
	 * Inside another eventfd's wakeup eventfd forbids the recursion:
	 * signal from a worker instead, a tick later, as 6.12 does after an
	 * RCU grace period (a read of the counter meanwhile sees it once).
	 */
	/*
	 * EPOLL_URING_WAKE: a multishot poll on this eventfd (in any ring)
	 * ends after this event instead of feeding itself.
	 */
	if (eventfd_signal_allowed()) {
		eventfd_signal_mask(ev->ctx, EPOLL_URING_WAKE);
	} else if (refcount_inc_not_zero(&ev->refs)) {
		if (!queue_delayed_work(system_unbound_wq, &ev->work, 1))
			io_eventfd_put(ev);
	}
	rcu_read_unlock();
}
