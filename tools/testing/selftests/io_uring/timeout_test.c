// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_TIMEOUT (relative, absolute, clocks, counts, ETIME_SUCCESS,
 * multishot), TIMEOUT_REMOVE and updates, LINK_TIMEOUT, bad input, and
 * timeouts at exit and at ring close.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <time.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "ring.h"

FIXTURE(timeout) {
	struct ring r;
	int p[2];
};

FIXTURE_SETUP(timeout)
{
	ASSERT_EQ(0, ring_init(&self->r, 32, NULL));
	ASSERT_EQ(0, pipe(self->p));
}

FIXTURE_TEARDOWN(timeout)
{
	ring_exit(&self->r);
	close(self->p[0]);
	close(self->p[1]);
}

static struct io_uring_sqe *prep_timeout(struct ring *r, int op,
					 struct __kernel_timespec *ts,
					 unsigned int count, unsigned int flags,
					 uint64_t ud)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	sqe->opcode = op;
	sqe->fd = -1;
	sqe->addr = (uintptr_t)ts;
	sqe->len = 1;
	sqe->off = count;
	sqe->timeout_flags = flags;
	sqe->user_data = ud;
	return sqe;
}

static struct io_uring_sqe *prep_remove(struct ring *r, uint64_t target,
					unsigned int flags,
					struct __kernel_timespec *ts, uint64_t ud)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	sqe->opcode = IORING_OP_TIMEOUT_REMOVE;
	sqe->fd = -1;
	sqe->addr = target;
	sqe->addr2 = (uintptr_t)ts;
	sqe->timeout_flags = flags;
	sqe->user_data = ud;
	return sqe;
}

static long long now_ms(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

TEST_F(timeout, relative_and_absolute)
{
	struct __kernel_timespec ts = { .tv_nsec = 50 * 1000000 };
	struct io_uring_cqe cqe;
	struct timespec abs;
	long long start = now_ms(CLOCK_MONOTONIC);

	prep_timeout(&self->r, IORING_OP_TIMEOUT, &ts, 0, 0, 1);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-ETIME, cqe.res);
	ASSERT_LE(45, now_ms(CLOCK_MONOTONIC) - start);

	/* absolute, on each clock */
	clock_gettime(CLOCK_REALTIME, &abs);
	ts.tv_sec = abs.tv_sec;
	ts.tv_nsec = abs.tv_nsec + 20 * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	prep_timeout(&self->r, IORING_OP_TIMEOUT, &ts, 0,
		     IORING_TIMEOUT_ABS | IORING_TIMEOUT_REALTIME, 2);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-ETIME, cqe.res);
	ASSERT_LE(now_ms(CLOCK_REALTIME), ts.tv_sec * 1000LL + ts.tv_nsec / 1000000 + 1000);

	clock_gettime(CLOCK_BOOTTIME, &abs);
	ts.tv_sec = abs.tv_sec;
	ts.tv_nsec = abs.tv_nsec;
	prep_timeout(&self->r, IORING_OP_TIMEOUT, &ts, 0,
		     IORING_TIMEOUT_ABS | IORING_TIMEOUT_BOOTTIME, 3);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-ETIME, cqe.res);
}

TEST_F(timeout, count_completes_it)
{
	struct __kernel_timespec ts = { .tv_sec = 10 };
	int res[8];

	/* two other completions end it with 0, long before the timer */
	prep_timeout(&self->r, IORING_OP_TIMEOUT, &ts, 2, 0, 1);
	ring_nop(&self->r, 2);
	ring_nop(&self->r, 3);
	ASSERT_EQ(3, ring_submit_and_wait(&self->r, 3));
	ASSERT_EQ(0, ring_reap(&self->r, 3, res, 8));
	ASSERT_EQ(0, res[1]);
}

TEST_F(timeout, remove_and_update)
{
	struct __kernel_timespec ts = { .tv_sec = 10 }, short_ts = { .tv_nsec = 1000000 };
	struct io_uring_cqe cqe;
	int res[8];

	prep_timeout(&self->r, IORING_OP_TIMEOUT, &ts, 0, 0, 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	prep_remove(&self->r, 1, 0, NULL, 2);
	ASSERT_EQ(1, ring_submit_and_wait(&self->r, 2));
	ASSERT_EQ(0, ring_reap(&self->r, 2, res, 8));
	ASSERT_EQ(-ECANCELED, res[1]);
	ASSERT_EQ(0, res[2]);

	/* gone: not found */
	prep_remove(&self->r, 1, 0, NULL, 3);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-ENOENT, cqe.res);

	/* update a 10 s timeout to 1 ms: it fires with -ETIME */
	prep_timeout(&self->r, IORING_OP_TIMEOUT, &ts, 0, 0, 4);
	ASSERT_EQ(1, ring_submit(&self->r));
	prep_remove(&self->r, 4, IORING_TIMEOUT_UPDATE, &short_ts, 5);
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_reap(&self->r, 2, res, 8));
	ASSERT_EQ(0, res[5]);
	ASSERT_EQ(-ETIME, res[4]);
}

TEST_F(timeout, etime_success_keeps_chain)
{
	struct __kernel_timespec ts = { .tv_nsec = 1000000 };
	int res[8];

	prep_timeout(&self->r, IORING_OP_TIMEOUT, &ts, 0,
		     IORING_TIMEOUT_ETIME_SUCCESS, 1)->flags = IOSQE_IO_LINK;
	ring_nop(&self->r, 2);
	ASSERT_EQ(2, ring_submit_and_wait(&self->r, 2));
	ASSERT_EQ(0, ring_reap(&self->r, 2, res, 8));
	ASSERT_EQ(-ETIME, res[1]);
	ASSERT_EQ(0, res[2]);

	/* without the flag, -ETIME severs it */
	prep_timeout(&self->r, IORING_OP_TIMEOUT, &ts, 0, 0, 3)->flags = IOSQE_IO_LINK;
	ring_nop(&self->r, 4);
	ASSERT_EQ(2, ring_submit_and_wait(&self->r, 2));
	ASSERT_EQ(0, ring_reap(&self->r, 2, res, 8));
	ASSERT_EQ(-ETIME, res[3]);
	ASSERT_EQ(-ECANCELED, res[4]);
}

TEST_F(timeout, multishot)
{
	struct __kernel_timespec ts = { .tv_nsec = 5 * 1000000 };
	struct io_uring_cqe cqe;
	int i;

	/* three expirations, the last without F_MORE */
	prep_timeout(&self->r, IORING_OP_TIMEOUT, &ts, 3,
		     IORING_TIMEOUT_MULTISHOT, 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		ASSERT_EQ(-ETIME, cqe.res);
		ASSERT_EQ(i < 2, !!(cqe.flags & IORING_CQE_F_MORE));
	}
	/* no limit: until removed (between two expirations) */
	ts.tv_nsec = 100 * 1000000;
	prep_timeout(&self->r, IORING_OP_TIMEOUT, &ts, 0,
		     IORING_TIMEOUT_MULTISHOT, 2);
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_TRUE(cqe.flags & IORING_CQE_F_MORE);
	prep_remove(&self->r, 2, 0, NULL, 3);
	ASSERT_EQ(1, ring_submit(&self->r));
	for (;;) {
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		if (cqe.user_data == 2 && !(cqe.flags & IORING_CQE_F_MORE)) {
			ASSERT_EQ(-ECANCELED, cqe.res);
			break;
		}
	}
}

TEST_F(timeout, link_timeout)
{
	struct __kernel_timespec ts = { .tv_nsec = 20 * 1000000 };
	char buf[4];
	int res[8];

	/* the read never gets data: the link timeout cancels it */
	ring_rw(&self->r, IORING_OP_READ, self->p[0], buf, 4, 0, 1)->flags =
		IOSQE_IO_LINK;
	prep_timeout(&self->r, IORING_OP_LINK_TIMEOUT, &ts, 0, 0, 2);
	ASSERT_EQ(2, ring_submit_and_wait(&self->r, 2));
	ASSERT_EQ(0, ring_reap(&self->r, 2, res, 8));
	ASSERT_EQ(-ECANCELED, res[1]);
	ASSERT_EQ(-ETIME, res[2]);

	/* the read finishes first: the link timeout is cancelled */
	ASSERT_EQ(4, write(self->p[1], "abcd", 4));
	ts.tv_sec = 10;
	ring_rw(&self->r, IORING_OP_READ, self->p[0], buf, 4, 0, 3)->flags =
		IOSQE_IO_LINK;
	prep_timeout(&self->r, IORING_OP_LINK_TIMEOUT, &ts, 0, 0, 4)->flags =
		IOSQE_IO_LINK;
	ring_nop(&self->r, 5);
	ASSERT_EQ(3, ring_submit_and_wait(&self->r, 3));
	ASSERT_EQ(0, ring_reap(&self->r, 3, res, 8));
	ASSERT_EQ(4, res[3]);
	ASSERT_EQ(-ECANCELED, res[4]);
	ASSERT_EQ(0, res[5]);
}

/* IORING_TIMEOUT_IMMEDIATE_ARG (7.1): sqe->addr is the time in ns */
TEST_F(timeout, immediate_arg_is_the_time_in_nanoseconds)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct timespec abs;
	long long start = now_ms(CLOCK_MONOTONIC);
	char buf[4];
	int res[8];

	sqe = prep_timeout(&self->r, IORING_OP_TIMEOUT, NULL, 0,
			   IORING_TIMEOUT_IMMEDIATE_ARG, 1);
	sqe->addr = 50 * 1000000ULL;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	EXPECT_EQ(-ETIME, cqe.res);
	EXPECT_LE(45, now_ms(CLOCK_MONOTONIC) - start);

	/* absolute: now plus 20 ms on CLOCK_MONOTONIC */
	clock_gettime(CLOCK_MONOTONIC, &abs);
	sqe = prep_timeout(&self->r, IORING_OP_TIMEOUT, NULL, 0,
			   IORING_TIMEOUT_IMMEDIATE_ARG | IORING_TIMEOUT_ABS, 2);
	sqe->addr = abs.tv_sec * 1000000000ULL + abs.tv_nsec + 20 * 1000000ULL;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	EXPECT_EQ(-ETIME, cqe.res);

	/* a link timeout takes it too */
	ring_rw(&self->r, IORING_OP_READ, self->p[0], buf, 4, 0, 3)->flags =
		IOSQE_IO_LINK;
	sqe = prep_timeout(&self->r, IORING_OP_LINK_TIMEOUT, NULL, 0,
			   IORING_TIMEOUT_IMMEDIATE_ARG, 4);
	sqe->addr = 20 * 1000000ULL;
	ASSERT_EQ(2, ring_submit_and_wait(&self->r, 2));
	ASSERT_EQ(0, ring_reap(&self->r, 2, res, 8));
	EXPECT_EQ(-ECANCELED, res[3]);
	EXPECT_EQ(-ETIME, res[4]);

	/* beyond what a ktime holds */
	sqe = prep_timeout(&self->r, IORING_OP_TIMEOUT, NULL, 0,
			   IORING_TIMEOUT_IMMEDIATE_ARG, 5);
	sqe->addr = 1ULL << 63;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	EXPECT_EQ(-EINVAL, cqe.res);
	/* an update still takes a timespec */
	prep_remove(&self->r, 1, IORING_TIMEOUT_UPDATE |
		    IORING_TIMEOUT_IMMEDIATE_ARG, NULL, 6);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	EXPECT_EQ(-EINVAL, cqe.res);
}

TEST_F(timeout, bad_input)
{
	struct __kernel_timespec ts = { .tv_sec = 1 }, neg = { .tv_sec = -1 };
	struct io_uring_cqe cqe;

	/* len must be 1 */
	prep_timeout(&self->r, IORING_OP_TIMEOUT, &ts, 0, 0, 1)->len = 2;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	/* both clocks */
	prep_timeout(&self->r, IORING_OP_TIMEOUT, &ts, 0,
		     IORING_TIMEOUT_BOOTTIME | IORING_TIMEOUT_REALTIME, 2);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	/* unknown flag, negative time, unmapped timespec */
	prep_timeout(&self->r, IORING_OP_TIMEOUT, &ts, 0, 1U << 12, 3);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	prep_timeout(&self->r, IORING_OP_TIMEOUT, &neg, 0, 0, 4);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	prep_timeout(&self->r, IORING_OP_TIMEOUT, (void *)8, 0, 0, 5);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EFAULT, cqe.res);
	/* a link timeout alone has nothing to guard */
	prep_timeout(&self->r, IORING_OP_LINK_TIMEOUT, &ts, 0, 0, 6);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	/* remove: flags without an update; an update with a bad time */
	prep_remove(&self->r, 1, IORING_TIMEOUT_ABS, NULL, 7);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	prep_remove(&self->r, 1, IORING_TIMEOUT_UPDATE, &neg, 8);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	prep_remove(&self->r, 77, IORING_TIMEOUT_UPDATE, &ts, 9);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-ENOENT, cqe.res);
}

/* A timeout ends a wait for more completions than will come. */
TEST_F(timeout, expiry_ends_wait)
{
	struct __kernel_timespec ts = { .tv_nsec = 10 * 1000000 };

	prep_timeout(&self->r, IORING_OP_TIMEOUT, &ts, 0, 0, 1);
	ASSERT_EQ(1, ring_submit_and_wait(&self->r, 4));
	ASSERT_EQ(1, ring_cq_ready(&self->r));
}

/* The submitter exits: its timeout still fires, and exit does not wait. */
TEST_F(timeout, exit_with_armed_timeout)
{
	struct __kernel_timespec ts = { .tv_nsec = 300 * 1000000 };
	struct io_uring_cqe cqe;
	long long start = now_ms(CLOCK_MONOTONIC);
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct __kernel_timespec hour = { .tv_sec = 3600 };

		prep_timeout(&self->r, IORING_OP_TIMEOUT, &ts, 0, 0, 1);
		prep_timeout(&self->r, IORING_OP_TIMEOUT, &hour, 0, 0, 2);
		_exit(ring_submit(&self->r) == 2 ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	/* the hour-long one did not hold up the exit */
	ASSERT_GT(3000, now_ms(CLOCK_MONOTONIC) - start);
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_EQ(1, cqe.user_data);
	ASSERT_EQ(-ETIME, cqe.res);
	/* ring close cancels the other one (the fixture closes it) */
}

TEST_HARNESS_MAIN
