// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_ASYNC_CANCEL: by user_data, fd, opcode, any; requests held
 * back by a drain, queued in io-wq and running there; bad input.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/uio.h>

#include "../kselftest_harness.h"
#include "ring.h"

FIXTURE(cancel) {
	struct ring r;
	int p[2];
	char buf[8][4];
};

FIXTURE_SETUP(cancel)
{
	ASSERT_EQ(0, ring_init(&self->r, 16, NULL));
	ASSERT_EQ(0, pipe(self->p));
}

FIXTURE_TEARDOWN(cancel)
{
	ring_exit(&self->r);
	close(self->p[0]);
	close(self->p[1]);
}

static struct io_uring_sqe *cancel_sqe(struct ring *r, uint64_t target,
				       unsigned int flags, uint64_t ud)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	sqe->opcode = IORING_OP_ASYNC_CANCEL;
	sqe->fd = -1;
	sqe->addr = target;
	sqe->cancel_flags = flags;
	sqe->user_data = ud;
	return sqe;
}

TEST_F(cancel, bad_input_and_not_found)
{
	struct io_uring_cqe cqe;

	cancel_sqe(&self->r, 1, 0, 100);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-ENOENT, cqe.res);
	cancel_sqe(&self->r, 1, 1U << 10, 101);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	cancel_sqe(&self->r, 1, IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_FD, 103);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	cancel_sqe(&self->r, 1, IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_OP, 104);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	cancel_sqe(&self->r, 1, IORING_ASYNC_CANCEL_FD, 105)->fd = 1000;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EBADF, cqe.res);
	cancel_sqe(&self->r, 1, IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_FD_FIXED,
		   106)->fd = 0;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EBADF, cqe.res);
	/* matching many reports a count, none found included */
	cancel_sqe(&self->r, 1, IORING_ASYNC_CANCEL_ALL, 107);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(0, cqe.res);
}

/* A waiting read is cancelled, or interrupted if it already runs. */
TEST_F(cancel, by_user_data)
{
	int res[8];

	ring_rw(&self->r, IORING_OP_READ, self->p[0], self->buf[0], 4, 0, 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_TRUE(ring_wait_polls(&self->r, 1, 2000));
	cancel_sqe(&self->r, 1, 0, 4);
	ASSERT_EQ(1, ring_submit_and_wait(&self->r, 2));
	ASSERT_EQ(0, ring_reap(&self->r, 2, res, 8));
	ASSERT_TRUE(res[4] == 0 || res[4] == -EALREADY);
	ASSERT_TRUE(res[1] == -ECANCELED || res[1] == -EINTR);
	/* a second cancel finds nothing */
	cancel_sqe(&self->r, 1, 0, 5);
	ASSERT_EQ(1, ring_submit_and_wait(&self->r, 1));
	ASSERT_EQ(0, ring_reap(&self->r, 1, res, 8));
	ASSERT_EQ(-ENOENT, res[5]);
}

/* With one worker, the second read waits in the queue: cancelled outright. */
TEST_F(cancel, queued_in_iowq)
{
	unsigned int limits[2] = { 0, 1 };
	int res[8];

	ASSERT_EQ(0, sys_register(self->r.fd, IORING_REGISTER_IOWQ_MAX_WORKERS,
				  limits, 2));
	ring_rw(&self->r, IORING_OP_READ, self->p[0], self->buf[0], 4, 0, 1);
	ring_rw(&self->r, IORING_OP_READ, self->p[0], self->buf[1], 4, 0, 2);
	ASSERT_EQ(2, ring_submit(&self->r));
	ASSERT_TRUE(ring_wait_polls(&self->r, 2, 2000));
	cancel_sqe(&self->r, 2, 0, 3);
	ASSERT_EQ(1, ring_submit_and_wait(&self->r, 2));
	ASSERT_EQ(0, ring_reap(&self->r, 2, res, 8));
	ASSERT_EQ(-ECANCELED, res[2]);
	ASSERT_EQ(0, res[3]);
	/* the first one still gets its data */
	ASSERT_EQ(4, write(self->p[1], "abcd", 4));
	ASSERT_EQ(0, ring_reap(&self->r, 1, res, 8));
	ASSERT_EQ(4, res[1]);
}

TEST_F(cancel, all_by_fd_op_and_any)
{
	int res[16], i;
	struct iovec iov = { self->buf[3], 4 };

	for (i = 0; i < 3; i++)
		ring_rw(&self->r, IORING_OP_READ, self->p[0], self->buf[i], 4, 0, i);
	ring_rw(&self->r, IORING_OP_READV, self->p[0], &iov, 1, 0, 3);
	ASSERT_EQ(4, ring_submit(&self->r));
	ASSERT_TRUE(ring_wait_polls(&self->r, 4, 2000));
	/* the READV by opcode */
	cancel_sqe(&self->r, 0, IORING_ASYNC_CANCEL_OP, 10)->len = IORING_OP_READV;
	ASSERT_EQ(1, ring_submit_and_wait(&self->r, 2));
	ASSERT_EQ(0, ring_reap(&self->r, 2, res, 16));
	ASSERT_TRUE(res[10] == 0 || res[10] == -EALREADY);
	/* the reads by fd, all of them */
	cancel_sqe(&self->r, 0, IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_ALL,
		   11)->fd = self->p[0];
	ASSERT_EQ(1, ring_submit_and_wait(&self->r, 4));
	ASSERT_EQ(0, ring_reap(&self->r, 4, res, 16));
	ASSERT_EQ(3, res[11]);
	for (i = 0; i < 3; i++)
		ASSERT_TRUE(res[i] == -ECANCELED || res[i] == -EINTR);
	/* nothing left for ANY */
	cancel_sqe(&self->r, 0, IORING_ASYNC_CANCEL_ANY, 12);
	ASSERT_EQ(1, ring_submit_and_wait(&self->r, 1));
	ASSERT_EQ(0, ring_reap(&self->r, 1, res, 16));
	ASSERT_EQ(0, res[12]);
}

TEST_HARNESS_MAIN
