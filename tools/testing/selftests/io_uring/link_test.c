// SPDX-License-Identifier: GPL-2.0
/*
 * Links and ordering: IOSQE_IO_LINK, IOSQE_IO_HARDLINK,
 * IOSQE_CQE_SKIP_SUCCESS, and chains that fail before they run.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../kselftest_harness.h"
#include "ring.h"

FIXTURE(link) {
	struct ring r;
};

FIXTURE_SETUP(link)
{
	ASSERT_EQ(0, ring_init(&self->r, 32, NULL));
}

FIXTURE_TEARDOWN(link)
{
	ring_exit(&self->r);
}

static struct io_uring_sqe *nop_res(struct ring *r, uint64_t ud, int res,
				    unsigned int flags)
{
	struct io_uring_sqe *sqe = ring_nop(r, ud);

	sqe->nop_flags = IORING_NOP_INJECT_RESULT;
	sqe->len = res;
	sqe->flags = flags;
	return sqe;
}

TEST_F(link, chain_runs_in_order)
{
	struct io_uring_cqe cqe;
	char buf[4];
	int p[2], i;

	/* the head blocks in io-wq; the rest must wait for it */
	ASSERT_EQ(0, pipe(p));
	ring_rw(&self->r, IORING_OP_READ, p[0], buf, 4, 0, 0)->flags = IOSQE_IO_LINK;
	for (i = 1; i < 5; i++)
		ring_nop(&self->r, i)->flags = i < 4 ? IOSQE_IO_LINK : 0;
	ASSERT_EQ(5, ring_submit(&self->r));
	ASSERT_TRUE(ring_wait_polls(&self->r, 1, 2000));
	ASSERT_EQ(0, ring_cq_ready(&self->r));
	ASSERT_EQ(4, write(p[1], "abcd", 4));
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		ASSERT_EQ(i, cqe.user_data);
		ASSERT_EQ(i ? 0 : 4, cqe.res);
	}
	close(p[0]);
	close(p[1]);
}

TEST_F(link, failure_cancels_the_rest)
{
	int res[8], i;

	nop_res(&self->r, 0, 0, IOSQE_IO_LINK);
	nop_res(&self->r, 1, -EIO, IOSQE_IO_LINK);
	nop_res(&self->r, 2, 0, IOSQE_IO_LINK);
	nop_res(&self->r, 3, 0, 0);
	/* an independent request after the chain runs normally */
	nop_res(&self->r, 4, 7, 0);
	ASSERT_EQ(5, ring_submit_and_wait(&self->r, 5));
	ASSERT_EQ(0, ring_reap(&self->r, 5, res, 8));
	ASSERT_EQ(0, res[0]);
	ASSERT_EQ(-EIO, res[1]);
	for (i = 2; i < 4; i++)
		ASSERT_EQ(-ECANCELED, res[i]);
	ASSERT_EQ(7, res[4]);
}

TEST_F(link, hardlink_survives_failure)
{
	int res[8];

	nop_res(&self->r, 0, -EIO, IOSQE_IO_HARDLINK);
	nop_res(&self->r, 1, -ENOENT, IOSQE_IO_HARDLINK);
	nop_res(&self->r, 2, 3, 0);
	ASSERT_EQ(3, ring_submit_and_wait(&self->r, 3));
	ASSERT_EQ(0, ring_reap(&self->r, 3, res, 8));
	ASSERT_EQ(-EIO, res[0]);
	ASSERT_EQ(-ENOENT, res[1]);
	ASSERT_EQ(3, res[2]);
}

TEST_F(link, short_read_breaks_soft_link)
{
	char buf[64];
	int res[4], p[2];

	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(3, write(p[1], "abc", 3));
	ring_rw(&self->r, IORING_OP_READ, p[0], buf, 64, 0, 0)->flags = IOSQE_IO_LINK;
	ring_nop(&self->r, 1);
	ASSERT_EQ(2, ring_submit_and_wait(&self->r, 2));
	ASSERT_EQ(0, ring_reap(&self->r, 2, res, 4));
	ASSERT_EQ(3, res[0]);
	ASSERT_EQ(-ECANCELED, res[1]);
	close(p[0]);
	close(p[1]);
}

TEST_F(link, prep_failure_fails_whole_chain)
{
	int res[8];

	nop_res(&self->r, 0, 0, IOSQE_IO_LINK);
	/* an unknown flag bit: fails before issue */
	nop_res(&self->r, 1, 0, IOSQE_IO_LINK | (1U << 7));
	nop_res(&self->r, 2, 0, 0);
	/* the whole chain is consumed */
	ASSERT_EQ(3, ring_submit_and_wait(&self->r, 3));
	ASSERT_EQ(0, ring_reap(&self->r, 3, res, 8));
	ASSERT_EQ(-ECANCELED, res[0]);
	ASSERT_EQ(-EINVAL, res[1]);
	ASSERT_EQ(-ECANCELED, res[2]);
}

TEST_F(link, open_chain_at_end_of_batch)
{
	int res[4];

	nop_res(&self->r, 0, 1, IOSQE_IO_LINK);
	nop_res(&self->r, 1, 2, IOSQE_IO_LINK);
	ASSERT_EQ(2, ring_submit_and_wait(&self->r, 2));
	ASSERT_EQ(0, ring_reap(&self->r, 2, res, 4));
	ASSERT_EQ(1, res[0]);
	ASSERT_EQ(2, res[1]);
}

TEST_F(link, skip_success)
{
	struct io_uring_cqe cqe;

	nop_res(&self->r, 0, 0, IOSQE_CQE_SKIP_SUCCESS | IOSQE_IO_LINK);
	nop_res(&self->r, 1, 0, IOSQE_CQE_SKIP_SUCCESS | IOSQE_IO_LINK);
	nop_res(&self->r, 2, 5, 0);
	ASSERT_EQ(3, ring_submit_and_wait(&self->r, 1));
	ASSERT_TRUE(ring_peek_cqe(&self->r, &cqe, NULL));
	ASSERT_EQ(2, cqe.user_data);
	ASSERT_EQ(5, cqe.res);
	ASSERT_FALSE(ring_peek_cqe(&self->r, &cqe, NULL));

	/*
	 * A failure is always reported; being the chain's one CQE, the
	 * requests it cancels stay silent.
	 */
	nop_res(&self->r, 3, -EIO, IOSQE_CQE_SKIP_SUCCESS | IOSQE_IO_LINK);
	nop_res(&self->r, 4, 0, IOSQE_IO_LINK);
	nop_res(&self->r, 5, 0, 0);
	ASSERT_EQ(3, ring_submit_and_wait(&self->r, 1));
	ASSERT_TRUE(ring_peek_cqe(&self->r, &cqe, NULL));
	ASSERT_EQ(3, cqe.user_data);
	ASSERT_EQ(-EIO, cqe.res);
	nop_res(&self->r, 6, 0, 0);
	ASSERT_EQ(1, ring_submit_and_wait(&self->r, 1));
	ASSERT_TRUE(ring_peek_cqe(&self->r, &cqe, NULL));
	ASSERT_EQ(6, cqe.user_data);

	/* without the flag on the failing one, the cancelled ones all post */
	nop_res(&self->r, 7, -EIO, IOSQE_IO_LINK);
	nop_res(&self->r, 8, 0, IOSQE_CQE_SKIP_SUCCESS);
	ASSERT_EQ(2, ring_submit_and_wait(&self->r, 2));
	ASSERT_TRUE(ring_peek_cqe(&self->r, &cqe, NULL));
	ASSERT_EQ(7, cqe.user_data);
	ASSERT_TRUE(ring_peek_cqe(&self->r, &cqe, NULL));
	ASSERT_EQ(8, cqe.user_data);
	ASSERT_EQ(-ECANCELED, cqe.res);
}

TEST_F(link, drain_waits_for_chain)
{
	struct io_uring_cqe cqe;
	char buf[2];
	int p[2];

	ASSERT_EQ(0, pipe(p));
	ring_rw(&self->r, IORING_OP_READ, p[0], buf, 1, 0, 0)->flags = IOSQE_IO_LINK;
	ring_nop(&self->r, 1);
	ring_nop(&self->r, 2)->flags = IOSQE_IO_DRAIN;
	ASSERT_EQ(3, ring_submit(&self->r));
	ASSERT_TRUE(ring_wait_polls(&self->r, 1, 2000));
	ASSERT_EQ(0, ring_cq_ready(&self->r));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_EQ(0, cqe.user_data);
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_EQ(1, cqe.user_data);
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_EQ(2, cqe.user_data);
	close(p[0]);
	close(p[1]);
}

/*
 * A chain of IOSQE_ASYNC requests: an io worker that finished one link
 * queues the next for itself when it serves the same account (file I/O,
 * bounded), and leaves it to the task otherwise (a pipe: unbounded). Each
 * link sees its predecessor's effect.
 */
TEST_F(link, async_chain_hands_each_link_on_across_worker_accounts)
{
	char path[] = "/tmp/link-async-XXXXXX";
	char in[4][512], out[4][512];
	int res[8], p[2], fd, i;

	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	unlink(path);
	ASSERT_EQ(0, pipe(p));
	for (i = 0; i < 4; i++)
		memset(in[i], 'a' + i, sizeof(in[i]));
	ASSERT_EQ(512, write(p[1], in[1], 512));
	/* write, read it back, read the pipe, read what the first wrote */
	ring_rw(&self->r, IORING_OP_WRITE, fd, in[0], 512, 0, 0);
	ring_rw(&self->r, IORING_OP_READ, fd, out[0], 512, 0, 1);
	ring_rw(&self->r, IORING_OP_READ, p[0], out[1], 512, 0, 2);
	ring_rw(&self->r, IORING_OP_WRITE, fd, out[1], 512, 512, 3);
	ring_rw(&self->r, IORING_OP_READ, fd, out[2], 1024, 0, 4);
	for (i = 0; i < 5; i++)
		self->r.sqes[i].flags = IOSQE_ASYNC | (i < 4 ? IOSQE_IO_LINK : 0);
	ASSERT_EQ(5, ring_submit_and_wait(&self->r, 5));
	ASSERT_EQ(0, ring_reap(&self->r, 5, res, 8));
	for (i = 0; i < 4; i++)
		ASSERT_EQ(512, res[i]);
	ASSERT_EQ(1024, res[4]);
	ASSERT_EQ(0, memcmp(out[0], in[0], 512));
	ASSERT_EQ(0, memcmp(out[1], in[1], 512));
	ASSERT_EQ(0, memcmp(out[2], in[0], 512));
	ASSERT_EQ(0, memcmp(out[3], in[1], 512));
	close(p[0]);
	close(p[1]);
	close(fd);
}

/*
 * The worker that runs a chain was started while the task was root; the
 * task then gave up root and submitted the chain. Its second link, handed
 * on inside io-wq, must not run with the worker's root credentials.
 */
TEST_F(link, async_chain_link_does_not_run_with_a_workers_old_credentials)
{
	char dir[] = "/tmp/link-cred-XXXXXX", fifo[64], secret[64];
	struct io_uring_sqe *sqe;
	int res[4], fd, wfd, ret;

	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_NE(NULL, mkdtemp(dir));
	ASSERT_EQ(0, chmod(dir, 0711));
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(secret, sizeof(secret), "%s/secret", dir);
	ASSERT_EQ(0, mkfifo(fifo, 0666));
	ASSERT_EQ(0, chmod(fifo, 0666));
	fd = open(secret, O_CREAT | O_WRONLY, 0600);
	ASSERT_LE(0, fd);
	close(fd);

	/* a bounded worker, started as root */
	sqe = ring_nop(&self->r, 0);
	sqe->flags = IOSQE_ASYNC;
	ASSERT_EQ(1, ring_submit_and_wait(&self->r, 1));
	ASSERT_EQ(0, ring_reap(&self->r, 1, res, 4));

	ASSERT_EQ(0, setresuid(-1, 65534, -1));
	/* the head blocks in the worker until a writer opens the FIFO */
	sqe = ring_rw(&self->r, IORING_OP_OPENAT, AT_FDCWD, fifo, 0, 0, 0);
	sqe->open_flags = O_RDONLY;
	sqe->flags = IOSQE_ASYNC | IOSQE_IO_LINK;
	sqe = ring_rw(&self->r, IORING_OP_OPENAT, AT_FDCWD, secret, 0, 0, 1);
	sqe->open_flags = O_RDONLY;
	sqe->flags = IOSQE_ASYNC;
	ASSERT_EQ(2, ring_submit(&self->r));
	wfd = open(fifo, O_WRONLY);
	/* root again only once both ran: the link may run any time now */
	ret = ring_reap(&self->r, 2, res, 4);
	ASSERT_EQ(0, setresuid(-1, 0, -1));
	ASSERT_LE(0, wfd);
	ASSERT_EQ(0, ret);
	ASSERT_LE(0, res[0]);
	ASSERT_EQ(-EACCES, res[1]);
	close(res[0]);
	close(wfd);
	unlink(fifo);
	unlink(secret);
	rmdir(dir);
}

/* Wait up to @ms for a CQE; 0, -ETIME or -errno. */
static int wait_cqe_ms(struct ring *r, struct io_uring_cqe *cqe, int ms)
{
	struct __kernel_timespec ts = { .tv_sec = ms / 1000,
					.tv_nsec = (ms % 1000) * 1000000L };
	struct io_uring_getevents_arg arg = { .ts = (uintptr_t)&ts };
	int ret;

	while (!ring_peek_cqe(r, cqe, NULL)) {
		ret = sys_enter(r->fd, 0, 1, IORING_ENTER_GETEVENTS |
				IORING_ENTER_EXT_ARG, &arg, sizeof(arg));
		if (ret < 0)
			return ret;
	}
	return 0;
}

/*
 * A worker hands a chain's next request to itself only if nothing else
 * waits in its queue: behind a queued OPENAT of a FIFO that nobody
 * writes, it would wait for as long as that one blocks (the task would
 * have started a second worker).
 */
TEST_F(link, async_chain_link_is_not_stuck_behind_queued_work)
{
	char dir[] = "/tmp/link-queue-XXXXXX", f1[64], f2[64], buf[16];
	unsigned int limits[2] = { 1, 0 };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int file, w1, w2 = -1, i, got = 0;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(f1, sizeof(f1), "%s/f1", dir);
	snprintf(f2, sizeof(f2), "%s/f2", dir);
	ASSERT_EQ(0, mkfifo(f1, 0600));
	ASSERT_EQ(0, mkfifo(f2, 0600));
	file = open(dir, O_TMPFILE | O_RDWR, 0600);
	ASSERT_LE(0, file);
	ASSERT_EQ(16, write(file, "0123456789abcdef", 16));
	ASSERT_EQ(0, sys_register(self->r.fd, IORING_REGISTER_IOWQ_MAX_WORKERS,
				  limits, 2));

	/* the one worker blocks in the chain's head */
	sqe = ring_rw(&self->r, IORING_OP_OPENAT, AT_FDCWD, f1, 0, 0, 1);
	sqe->open_flags = O_RDONLY;
	sqe->flags = IOSQE_ASYNC | IOSQE_IO_LINK;
	sqe = ring_rw(&self->r, IORING_OP_READ, file, buf, 16, 0, 2);
	sqe->flags = IOSQE_ASYNC;
	ASSERT_EQ(2, ring_submit(&self->r));
	/* queued behind it, for a worker that does not exist yet */
	sqe = ring_rw(&self->r, IORING_OP_OPENAT, AT_FDCWD, f2, 0, 0, 3);
	sqe->open_flags = O_RDONLY;
	sqe->flags = IOSQE_ASYNC;
	ASSERT_EQ(1, ring_submit(&self->r));
	limits[0] = 2;
	ASSERT_EQ(0, sys_register(self->r.fd, IORING_REGISTER_IOWQ_MAX_WORKERS,
				  limits, 2));
	/* the head completes: its read must not wait for the second FIFO */
	w1 = open(f1, O_WRONLY);
	ASSERT_LE(0, w1);
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, wait_cqe_ms(&self->r, &cqe, 10000));
		ASSERT_NE(3, cqe.user_data);
		if (cqe.user_data == 1) {
			ASSERT_LE(0, cqe.res);
			close(cqe.res);
		} else {
			ASSERT_EQ(16, cqe.res);
			ASSERT_EQ(0, memcmp(buf, "0123456789abcdef", 16));
		}
		got |= 1 << cqe.user_data;
	}
	ASSERT_EQ(6, got);
	/* let the second FIFO's open finish, once a worker has it */
	for (i = 0; i < 10000 && w2 < 0; i++) {
		w2 = open(f2, O_WRONLY | O_NONBLOCK);
		if (w2 < 0)
			usleep(1000);
	}
	ASSERT_LE(0, w2);
	ASSERT_EQ(0, wait_cqe_ms(&self->r, &cqe, 10000));
	ASSERT_EQ(3, cqe.user_data);
	ASSERT_LE(0, cqe.res);
	close(cqe.res);
	close(w1);
	close(w2);
	close(file);
	unlink(f1);
	unlink(f2);
	rmdir(dir);
}

TEST_F(link, features_reported)
{
	unsigned int want = IORING_FEAT_CQE_SKIP | IORING_FEAT_LINKED_FILE |
			    IORING_FEAT_NATIVE_WORKERS | IORING_FEAT_RSRC_TAGS |
			    IORING_FEAT_CUR_PERSONALITY | IORING_FEAT_RW_CUR_POS;

	ASSERT_EQ(want, self->r.p.features & want);
}

TEST_HARNESS_MAIN
