// SPDX-License-Identifier: GPL-2.0
/*
 * SEND_ZC / SENDMSG_ZC notifications. The user's pages go into the skbs
 * themselves (MSG_ZEROCOPY with msg->msg_ubuf): each skb holds a reference
 * on the request's ubuf_info, and the network stack drops it once it lets
 * go of the pages, which may be long after the send completed (a peer
 * that does not read, retransmits). When the last reference goes, the
 * notification request posts the IORING_CQE_F_NOTIF CQE that gives the
 * buffer back to user space.
 *
 * The notification is a request of its own (so it completes like one:
 * task_work, or the fallback worker once the task is gone), allocated at
 * prep time. It holds a ring reference, so the ring outlives it, and the
 * task struct instead of a count in the task's inflight: a peer that
 * never reads must not hold up the task's exit or exec, and all it will
 * ever do is post a CQE.
 */
#include <linux/kernel.h>
#include <linux/skbuff.h>
#include <linux/io_uring_types.h>

#include "io_uring.h"
#include "rsrc.h"
#include "memmap.h"
#include "notif.h"

struct io_notif_data {
	struct file		*file;	/* (none: the layout of the cmd area) */
	struct ubuf_info	uarg;
	/*
	 * The next send of a chain (io_notif_link_skb()): its first bytes
	 * went into an skb of ours or of one before us, which reports to
	 * that one alone, so we hold a reference on it until our last skb
	 * is gone.
	 */
	struct io_notif_data	*next;
	/* the one whose skb took our first bytes: set once we are a @next */
	struct io_notif_data	*host;
	/* user pages (not a registered buffer's) charged as pinned */
	unsigned long		nr_pages;
	bool			report_usage;
	/* set from the network stack, read once the last skb is gone */
	bool			zc_used;
	bool			zc_copied;
};

static void io_notif_tw(struct io_kiocb *notif)
{
	struct io_notif_data *nd = io_kiocb_to_cmd(notif, struct io_notif_data);

	/* no skb holds the pages any more */
	if (nd->nr_pages)
		io_unaccount_mem(notif->ctx, nd->nr_pages);
	/*
	 * Nor the registered buffer's: its node goes here, as the request
	 * has no resource generation (io_notif_alloc()) for the flush to
	 * release the node with.
	 */
	if (notif->buf_node) {
		io_rsrc_node_put(notif->ctx, notif->buf_node);
		notif->buf_node = NULL;
	}

	if (nd->report_usage && (READ_ONCE(nd->zc_copied) ||
				 !READ_ONCE(nd->zc_used)))
		notif->cqe.res = (s32)IORING_NOTIF_USAGE_ZC_COPIED;
	io_req_complete_defer(notif);
}

/* How far down a chain a send may stack (a walk per send, bounded) */
#define IO_NOTIF_STACK_MAX	16

/*
 * The sends that stacked onto one of @host's skbs had their first bytes
 * there: what happened to @host's skbs (copied, or sent from the pages;
 * which skb is not told) counts for them too, for
 * IORING_SEND_ZC_REPORT_USAGE. Only for them, not down the whole chain:
 * one copied skb must not make every later send of a busy socket say
 * "copied". They stacked within IO_NOTIF_STACK_MAX of @host, and are
 * alive: @host still holds the chain.
 */
static void io_notif_pass_usage(struct io_notif_data *host)
{
	bool copied = READ_ONCE(host->zc_copied);
	bool used = READ_ONCE(host->zc_used);
	struct io_notif_data *nd = READ_ONCE(host->next);
	unsigned int hops;

	for (hops = 0; nd && hops < IO_NOTIF_STACK_MAX && (copied || used);
	     hops++, nd = READ_ONCE(nd->next)) {
		if (READ_ONCE(nd->host) != host)
			continue;
		if (copied)
			WRITE_ONCE(nd->zc_copied, true);
		if (used)
			WRITE_ONCE(nd->zc_used, true);
	}
}

/*
 * ubuf_info_ops.complete: an skb let go of the pages (@skb, copied out
 * first unless @success), or the sender dropped its reference (@skb NULL).
 * Any context, softirq included.
 */
static void io_notif_complete(struct sk_buff *skb, struct ubuf_info *uarg,
			      bool success)
{
	struct io_notif_data *nd = container_of(uarg, struct io_notif_data,
						uarg);

	if (skb) {
		if (!success)
			WRITE_ONCE(nd->zc_copied, true);
		else if (!READ_ONCE(nd->zc_used))
			WRITE_ONCE(nd->zc_used, true);
	}
	/*
	 * The last reference: post, and let go of the next send, whose
	 * first bytes were in our skbs or an earlier one's. A loop, not
	 * recursion: a chain may be as long as the sends a peer left
	 * unread.
	 */
	while (refcount_dec_and_test(&nd->uarg.refcnt)) {
		struct io_notif_data *next = READ_ONCE(nd->next);
		struct io_kiocb *notif = cmd_to_io_kiocb(nd);

		if (next)
			io_notif_pass_usage(nd);
		/* (its task_work may free it at once) */
		notif->tw_func = io_notif_tw;
		io_req_task_work_add(notif);
		if (!next)
			break;
		nd = next;
	}
}

static int io_notif_link_skb(struct sk_buff *skb, struct ubuf_info *uarg);

static const struct ubuf_info_ops io_notif_ops = {
	.complete	= io_notif_complete,
	.link_skb	= io_notif_link_skb,
};

/*
 * ubuf_info_ops.link_skb: TCP is about to append @uarg's pages to @skb,
 * the tail of the write queue, which may hold another send's already.
 * Sharing it saves segments and skbs (without it, each send starts skbs
 * of its own). The socket is locked, and @skb holds its notification:
 * neither it nor any it holds can complete meanwhile.
 *
 * Return: 0 to append, -EEXIST for a new skb.
 */
static int io_notif_link_skb(struct sk_buff *skb, struct ubuf_info *uarg)
{
	struct ubuf_info *prev_uarg = skb_zcopy(skb);
	struct io_notif_data *nd, *host, *tail;
	unsigned int hops = 0;

	/* an skb without pages of a send, or with ours: the core sets us */
	if (!prev_uarg || prev_uarg == uarg)
		return 0;
	if (prev_uarg->ops != &io_notif_ops)
		return -EEXIST;
	nd = container_of(uarg, struct io_notif_data, uarg);
	host = container_of(prev_uarg, struct io_notif_data, uarg);
	if (cmd_to_io_kiocb(nd)->ctx != cmd_to_io_kiocb(host)->ctx)
		return -EEXIST;
	/*
	 * Only a send that neither holds nor is held joins: a partial send
	 * that resumes after a later one stacked onto it would otherwise
	 * close a loop, and neither would ever complete.
	 */
	if (nd->next || nd->host)
		return -EEXIST;
	/*
	 * It joins at the end of the chain the skb's notification heads:
	 * held by that one through the others, it completes after it.
	 */
	for (tail = host; tail->next; tail = tail->next)
		if (++hops >= IO_NOTIF_STACK_MAX)
			return -EEXIST;
	refcount_inc(&nd->uarg.refcnt);
	WRITE_ONCE(nd->host, host);
	/* (a completion upstream of @tail may walk to us meanwhile) */
	WRITE_ONCE(tail->next, nd);
	return 0;
}

/**
 * io_notif_alloc - the notification of a zero-copy send
 * @req: the SEND_ZC or SENDMSG_ZC request, in prep (uring_lock held),
 *	with its registered buffer (IORING_RECVSEND_FIXED_BUF) if any
 * @report_usage: IORING_SEND_ZC_REPORT_USAGE
 *
 * A registered buffer stays pinned and accounted until the notification,
 * whose node reference holds it (a removed buffer's tag CQE comes after
 * the notification). It does not hold the send's resource generation:
 * that would keep the removed files of the ring, the sockets among them,
 * open until the sockets' own skbs are freed, which they never would be.
 *
 * Return: the notification, holding the sender's reference on its
 * ubuf_info, or NULL.
 */
struct io_kiocb *io_notif_alloc(struct io_kiocb *req, bool report_usage)
{
	struct io_kiocb *notif = io_req_alloc_aux(req->ctx);
	struct io_notif_data *nd;

	if (!notif)
		return NULL;
	nd = io_kiocb_to_cmd(notif, struct io_notif_data);
	notif->cqe.user_data = req->cqe.user_data;
	notif->cqe.flags = IORING_CQE_F_NOTIF;
	nd->uarg.ops = &io_notif_ops;
	/* the pages stay the user's: never copy them out to orphan an skb */
	nd->uarg.flags = SKBFL_ZEROCOPY_FRAG | SKBFL_DONT_ORPHAN;
	refcount_set(&nd->uarg.refcnt, 1);
	nd->report_usage = report_usage;
	if (req->buf_node) {
		notif->buf_node = req->buf_node;
		notif->buf_node->refs++;
	}
	return notif;
}

/**
 * io_notif_account - charge the user pages a zero-copy send will pin
 * @notif: from io_notif_alloc(), of a send from user memory
 * @size: bytes the send may attach to skbs
 *
 * Skbs hold the pages for as long as the peer takes to read them, so
 * they are charged until the notification, as MSG_ZEROCOPY's are: here
 * to the ring's owner, like its registered buffers (RLIMIT_MEMLOCK,
 * unless the ring was created with CAP_IPC_LOCK), whoever issues the
 * send (the task, an io worker, the SQPOLL thread, a personality).
 * Only the first attempt of a send charges: it is given the whole
 * length, plus the two pages a range may straddle.
 *
 * Return: 0, or -ENOBUFS over the limit (as MSG_ZEROCOPY).
 */
int io_notif_account(struct io_kiocb *notif, size_t size)
{
	struct io_notif_data *nd = io_kiocb_to_cmd(notif, struct io_notif_data);
	unsigned long nr = (size >> PAGE_SHIFT) + 2;

	/* charged already (a retry), or nothing to pin */
	if (nd->nr_pages || !size)
		return 0;
	if (io_account_mem(notif->ctx, nr))
		return -ENOBUFS;
	nd->nr_pages = nr;
	return 0;
}

/**
 * io_notif_uarg - what a send attaches its skbs to
 * @notif: from io_notif_alloc()
 *
 * Return: the ubuf_info for msg->msg_ubuf.
 */
struct ubuf_info *io_notif_uarg(struct io_kiocb *notif)
{
	return &io_kiocb_to_cmd(notif, struct io_notif_data)->uarg;
}

/**
 * io_notif_posts - will the notification post a CQE?
 * @notif: from io_notif_alloc()
 * @issued: the send reached the socket (even if it failed there)
 *
 * Asked as the send's CQE is filled (uring_lock held): a send that
 * reached the socket, or whose skbs hold the pages, promises a
 * notification with IORING_CQE_F_MORE. Any other (failed before issue,
 * cancelled in a chain) has no skb: its notification goes away without a
 * CQE. No skb can be added any more, so the answer holds.
 *
 * Return: true if it posts one.
 */
bool io_notif_posts(struct io_kiocb *notif, bool issued)
{
	if (refcount_read(&io_notif_uarg(notif)->refcnt) > 1)
		issued = true;
	if (!issued)
		notif->flags |= REQ_F_SILENT;
	return issued;
}

/**
 * io_notif_release - the send is over: drop the sender's reference
 * @notif: from io_notif_alloc()
 *
 * With uring_lock held, after the send's CQE: the notification (whose
 * task_work takes the lock) comes after it.
 */
void io_notif_release(struct io_kiocb *notif)
{
	net_zcopy_put(io_notif_uarg(notif));
}
