// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_SETUP_SQPOLL: submission without io_uring_enter, the idle
 * thread's NEED_WAKEUP and SQ_WAKEUP, SQ_WAIT, sharing a thread with
 * ATTACH_WQ, SQ_AFF, non-fixed files, bad input, and teardown races.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "ring.h"

static int sqpoll_ring(struct ring *r, unsigned int entries, unsigned int idle_ms,
		       unsigned int extra, int wq_fd)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL | extra,
				     .sq_thread_idle = idle_ms, .wq_fd = wq_fd };

	return ring_init(r, entries, &p);
}

/* Wait for a CQE without submitting anything. */
static int wait_cqe(struct ring *r, struct io_uring_cqe *cqe)
{
	return ring_wait_cqe(r, cqe);
}

/*
 * Wait (2 s at most) until the thread has gone idle and asks for a
 * wakeup. True only on the value that was read: a second read could
 * see the flag of a thread that has since woken up.
 */
static bool wait_need_wakeup(struct ring *r)
{
	int i;

	for (i = 0; i < 200; i++) {
		if (__atomic_load_n(r->sq_flags, __ATOMIC_ACQUIRE) &
		    IORING_SQ_NEED_WAKEUP)
			return true;
		usleep(10000);
	}
	return false;
}

/* Wait (2 s at most) until the thread has taken every published SQE. */
static bool wait_sq_consumed(struct ring *r)
{
	int i;

	for (i = 0; i < 200; i++) {
		if (__atomic_load_n(r->sq_head, __ATOMIC_ACQUIRE) ==
		    __atomic_load_n(r->sq_tail, __ATOMIC_RELAXED))
			return true;
		usleep(10000);
	}
	return false;
}

TEST(submit_without_enter)
{
	struct io_uring_cqe cqe;
	struct ring r;
	int i, seen = 0;

	ASSERT_EQ(0, sqpoll_ring(&r, 8, 1000, 0, 0));
	ASSERT_TRUE(r.p.features & IORING_FEAT_SQPOLL_NONFIXED);
	for (i = 0; i < 4; i++)
		ring_nop(&r, i);
	/* publishing the tail is all it takes, while the thread is awake */
	ring_flush_sq(&r);
	/*
	 * The tail store before the flag load (as liburing): the thread sets
	 * the flag, then looks at the tail once more before it sleeps.
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(r.sq_flags, __ATOMIC_RELAXED) & IORING_SQ_NEED_WAKEUP)
		sys_enter(r.fd, 0, 0, IORING_ENTER_SQ_WAKEUP, NULL, 0);
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, wait_cqe(&r, &cqe));
		seen |= 1 << cqe.user_data;
	}
	ASSERT_EQ(15, seen);
	/* enter returns what it was asked to submit */
	ring_nop(&r, 7);
	ASSERT_EQ(1, sys_enter(r.fd, ring_flush_sq(&r), 0,
			       IORING_ENTER_SQ_WAKEUP, NULL, 0));
	ASSERT_EQ(0, wait_cqe(&r, &cqe));
	ring_exit(&r);
}

TEST(idle_and_wakeup)
{
	struct io_uring_cqe cqe;
	struct ring r;
	int fds[2];
	char c;

	ASSERT_EQ(0, sqpoll_ring(&r, 8, 10, 0, 0));
	/* after 10 ms of nothing the thread asks for a wakeup */
	ASSERT_TRUE(wait_need_wakeup(&r));
	/* a non-fixed file, read by the thread */
	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(1, write(fds[1], "k", 1));
	ring_rw(&r, IORING_OP_READ, fds[0], &c, 1, 0, 3);
	ring_flush_sq(&r);
	ASSERT_EQ(0, sys_enter(r.fd, 0, 0, IORING_ENTER_SQ_WAKEUP, NULL, 0));
	ASSERT_EQ(0, wait_cqe(&r, &cqe));
	ASSERT_EQ(1, cqe.res);
	ASSERT_EQ('k', c);
	/* a read that waits for data completes from the thread's task work */
	ring_rw(&r, IORING_OP_READ, fds[0], &c, 1, 0, 4);
	ring_flush_sq(&r);
	sys_enter(r.fd, 0, 0, IORING_ENTER_SQ_WAKEUP, NULL, 0);
	/* the thread has issued it: the read waits for data */
	ASSERT_TRUE(wait_sq_consumed(&r));
	ASSERT_EQ(1, write(fds[1], "m", 1));
	ASSERT_EQ(0, wait_cqe(&r, &cqe));
	ASSERT_EQ(4, cqe.user_data);
	ASSERT_EQ('m', c);
	/* SQ_WAIT returns once there is room */
	ASSERT_EQ(0, sys_enter(r.fd, 0, 0, IORING_ENTER_SQ_WAIT, NULL, 0));
	ring_exit(&r);
	close(fds[0]);
	close(fds[1]);
}

/* A sleeping thread is woken by the completion of a read it parked. */
TEST(wakeup_of_idle_thread)
{
	struct io_uring_cqe cqe;
	struct ring r;
	int fds[2];
	char c;

	/* the task-run modes are about tasks, not the thread (as 6.12) */
	ASSERT_EQ(-EINVAL, sqpoll_ring(&r, 8, 10, IORING_SETUP_COOP_TASKRUN, 0));
	ASSERT_EQ(-EINVAL, sqpoll_ring(&r, 8, 10, IORING_SETUP_COOP_TASKRUN |
				       IORING_SETUP_TASKRUN_FLAG, 0));
	ASSERT_EQ(0, sqpoll_ring(&r, 8, 10, 0, 0));
	ASSERT_EQ(0, pipe(fds));
	ring_rw(&r, IORING_OP_READ, fds[0], &c, 1, 0, 1);
	ring_flush_sq(&r);
	sys_enter(r.fd, 0, 0, IORING_ENTER_SQ_WAKEUP, NULL, 0);
	/*
	 * The read is parked; let the thread go to sleep. The flag may still
	 * be set from before the wakeup: only once the thread has taken the
	 * SQE does a set flag mean it is going to sleep with the read armed,
	 * and only its state in /proc says it is asleep.
	 */
	ASSERT_TRUE(wait_sq_consumed(&r));
	ASSERT_TRUE(wait_need_wakeup(&r));
	ASSERT_TRUE(ring_wait_thread_sleeping(ring_sq_thread(&r), 2000));
	ASSERT_EQ(1, write(fds[1], "w", 1));
	ASSERT_EQ(0, wait_cqe(&r, &cqe));
	ASSERT_EQ(1, cqe.res);
	ASSERT_EQ('w', c);
	ring_exit(&r);
	close(fds[0]);
	close(fds[1]);
}

TEST(shared_thread)
{
	struct io_uring_cqe cqe;
	struct ring a, b, plain;

	ASSERT_EQ(0, sqpoll_ring(&a, 4, 100, 0, 0));
	ASSERT_EQ(0, sqpoll_ring(&b, 4, 100, IORING_SETUP_ATTACH_WQ, a.fd));
	ring_nop(&a, 1);
	ring_nop(&b, 2);
	ring_flush_sq(&a);
	ring_flush_sq(&b);
	sys_enter(a.fd, 0, 0, IORING_ENTER_SQ_WAKEUP, NULL, 0);
	ASSERT_EQ(0, wait_cqe(&a, &cqe));
	ASSERT_EQ(1, cqe.user_data);
	ASSERT_EQ(0, wait_cqe(&b, &cqe));
	ASSERT_EQ(2, cqe.user_data);
	/* the first ring goes; the thread goes on for the second */
	ring_exit(&a);
	ring_nop(&b, 3);
	ring_flush_sq(&b);
	sys_enter(b.fd, 0, 0, IORING_ENTER_SQ_WAKEUP, NULL, 0);
	ASSERT_EQ(0, wait_cqe(&b, &cqe));
	ASSERT_EQ(3, cqe.user_data);
	ring_exit(&b);
	/* attaching to something that is not a ring */
	ASSERT_EQ(0, ring_init(&plain, 4, NULL));
	ASSERT_EQ(-EINVAL, sqpoll_ring(&b, 4, 0, IORING_SETUP_ATTACH_WQ, plain.fd));
	ASSERT_EQ(-ENXIO, sqpoll_ring(&b, 4, 0, IORING_SETUP_ATTACH_WQ, 1000));
	ring_exit(&plain);
}

TEST(bad_setup)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SQ_AFF,
				     .sq_thread_cpu = 0 };
	struct ring r;

	/* a CPU for a thread that does not exist */
	ASSERT_EQ(-EINVAL, sys_setup(4, &p));
	p.flags = IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF;
	p.sq_thread_cpu = 4096;
	ASSERT_EQ(-EINVAL, sys_setup(4, &p));
	/* deferred task work needs an issuer that waits */
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL | IORING_SETUP_SINGLE_ISSUER |
		  IORING_SETUP_DEFER_TASKRUN;
	ASSERT_EQ(-EINVAL, sys_setup(4, &p));
	/* SQ_AFF on CPU 0 is fine */
	ASSERT_EQ(0, sqpoll_ring(&r, 4, 10, IORING_SETUP_SQ_AFF, 0));
	ring_exit(&r);
}

/* A child exits while its thread is submitting; the ring goes too. */
TEST(exit_while_submitting)
{
	int status, i;

	for (i = 0; i < 10; i++) {
		pid_t pid = fork();

		ASSERT_LE(0, pid);
		if (!pid) {
			struct ring r;
			int fds[2], n;
			char buf[8];

			if (sqpoll_ring(&r, 64, 50, 0, 0) || pipe(fds))
				_exit(1);
			for (n = 0; n < 64; n++) {
				if (n & 1)
					ring_rw(&r, IORING_OP_READ, fds[0], buf, 1, 0, n);
				else
					ring_nop(&r, n);
			}
			ring_flush_sq(&r);
			if (i & 1)
				usleep(1000);
			_exit(0);
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_EQ(0, WEXITSTATUS(status));
	}
}

/* The ring is closed with reads parked by the thread. */
TEST(close_with_requests_in_flight)
{
	struct ring r;
	int fds[2], i;
	char buf[16];

	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(0, sqpoll_ring(&r, 16, 50, 0, 0));
	for (i = 0; i < 16; i++)
		ring_rw(&r, IORING_OP_READ, fds[0], buf + i, 1, 0, i);
	ring_flush_sq(&r);
	/* the thread may have gone idle (50 ms) before the SQEs came */
	sys_enter(r.fd, 0, 0, IORING_ENTER_SQ_WAKEUP, NULL, 0);
	ASSERT_TRUE(wait_sq_consumed(&r));
	ring_exit(&r);
	/* nothing reads the pipe any more */
	ASSERT_EQ(1, write(fds[1], "z", 1));
	ASSERT_EQ(1, read(fds[0], buf, 1));
	close(fds[0]);
	close(fds[1]);
}

TEST_HARNESS_MAIN
