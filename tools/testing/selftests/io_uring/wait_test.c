// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_FUTEX_WAIT, FUTEX_WAKE, FUTEX_WAITV and WAITID: woken,
 * cancelled, refused, and left pending when the ring or task goes away.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <linux/futex.h>

#include "../kselftest_harness.h"
#include "ring.h"

#ifndef FUTEX2_SIZE_U32
#define FUTEX2_SIZE_U32		0x02
#define FUTEX2_PRIVATE		128
#endif
#ifndef FUTEX_WAITV_MAX
#define FUTEX_WAITV_MAX		128
struct futex_waitv {
	__u64 val;
	__u64 uaddr;
	__u32 flags;
	__u32 __reserved;
};
#endif

#define F2	(FUTEX2_SIZE_U32 | FUTEX2_PRIVATE)

static struct io_uring_sqe *prep_futex(struct ring *r, int op,
				       unsigned int *futex, __u64 val,
				       __u64 mask, __u64 user_data)
{
	struct io_uring_sqe *sqe = ring_rw(r, op, F2, futex, 0, val,
					   user_data);

	sqe->addr3 = mask;
	return sqe;
}

static int run1(struct ring *r)
{
	struct io_uring_cqe cqe;
	int ret = ring_submit_one(r, &cqe);

	return ret ? ret : cqe.res;
}

static int futex_wake_sys(unsigned int *f, int nr)
{
	return syscall(SYS_futex, f, FUTEX_WAKE_PRIVATE, nr, NULL, NULL, 0);
}

TEST(futex_wait_wake)
{
	unsigned int futex = 0;
	struct io_uring_cqe cqe;
	struct ring r;
	int res[4] = { -1, -1, -1, -1 };

	ASSERT_EQ(0, ring_init(&r, 8, 0));
	/* the value differs: -EAGAIN at once */
	prep_futex(&r, IORING_OP_FUTEX_WAIT, &futex, 1, FUTEX_BITSET_MATCH_ANY, 1);
	ASSERT_EQ(-EAGAIN, run1(&r));
	/* it waits; a futex(2) wake completes it */
	prep_futex(&r, IORING_OP_FUTEX_WAIT, &futex, 0, FUTEX_BITSET_MATCH_ANY, 1);
	ASSERT_EQ(1, ring_submit(&r));
	ASSERT_EQ(0, ring_cq_ready(&r));
	ASSERT_EQ(1, futex_wake_sys(&futex, 1));
	ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
	ASSERT_EQ(1, cqe.user_data);
	ASSERT_EQ(0, cqe.res);
	/* two waiters, FUTEX_WAKE of one by mask, then the other */
	prep_futex(&r, IORING_OP_FUTEX_WAIT, &futex, 0, 0x1, 1);
	prep_futex(&r, IORING_OP_FUTEX_WAIT, &futex, 0, 0x2, 2);
	ASSERT_EQ(2, ring_submit(&r));
	prep_futex(&r, IORING_OP_FUTEX_WAKE, &futex, 10, 0x2, 3);
	ASSERT_EQ(1, ring_submit(&r));
	ASSERT_EQ(0, ring_reap(&r, 2, res, 4));
	ASSERT_EQ(0, res[2]);
	ASSERT_EQ(1, res[3]);
	ASSERT_EQ(-1, res[1]);
	prep_futex(&r, IORING_OP_FUTEX_WAKE, &futex, 10, FUTEX_BITSET_MATCH_ANY, 3);
	ASSERT_EQ(1, ring_submit(&r));
	ASSERT_EQ(0, ring_reap(&r, 2, res, 4));
	ASSERT_EQ(0, res[1]);
	ASSERT_EQ(1, res[3]);
	ring_exit(&r);
}

TEST(futex_bad_input)
{
	unsigned int futex = 0;
	struct futex_waitv v = { .uaddr = (uintptr_t)&futex };
	struct io_uring_sqe *sqe;
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, 8, 0));
	/* size other than 32 bits, unknown futex2 flags */
	sqe = prep_futex(&r, IORING_OP_FUTEX_WAIT, &futex, 0, 1, 1);
	sqe->fd = FUTEX2_PRIVATE | 0x3;
	ASSERT_EQ(-EINVAL, run1(&r));
	sqe = prep_futex(&r, IORING_OP_FUTEX_WAIT, &futex, 0, 1, 1);
	sqe->fd = F2 | 0x1000;
	ASSERT_EQ(-EINVAL, run1(&r));
	/* no mask bit, a value or mask wider than 32 bits */
	prep_futex(&r, IORING_OP_FUTEX_WAIT, &futex, 0, 0, 1);
	ASSERT_EQ(-EINVAL, run1(&r));
	prep_futex(&r, IORING_OP_FUTEX_WAIT, &futex, 1ULL << 33, 1, 1);
	ASSERT_EQ(-EINVAL, run1(&r));
	prep_futex(&r, IORING_OP_FUTEX_WAKE, &futex, 1, 1ULL << 33, 1);
	ASSERT_EQ(-EINVAL, run1(&r));
	/* io_uring flags: none defined */
	sqe = prep_futex(&r, IORING_OP_FUTEX_WAIT, &futex, 0, 1, 1);
	sqe->futex_flags = 1;
	ASSERT_EQ(-EINVAL, run1(&r));
	/* unaligned, unmapped */
	prep_futex(&r, IORING_OP_FUTEX_WAIT, (unsigned int *)((char *)&futex + 1),
		   0, 1, 1);
	ASSERT_EQ(-EINVAL, run1(&r));
	prep_futex(&r, IORING_OP_FUTEX_WAIT, (unsigned int *)16, 0, 1, 1);
	ASSERT_EQ(-EFAULT, run1(&r));
	/* WAITV: no entries, too many, bad entry flags */
	sqe = ring_rw(&r, IORING_OP_FUTEX_WAITV, 0, NULL, 0, 0, 1);
	ASSERT_EQ(-EINVAL, run1(&r));
	sqe = ring_rw(&r, IORING_OP_FUTEX_WAITV, 0, NULL, FUTEX_WAITV_MAX + 1,
		      0, 1);
	ASSERT_EQ(-EINVAL, run1(&r));
	v.flags = 0x1000;
	sqe = ring_rw(&r, IORING_OP_FUTEX_WAITV, 0, &v, 1, 0, 1);
	ASSERT_EQ(-EINVAL, run1(&r));
	ring_exit(&r);
}

TEST(futex_cancel_and_exit)
{
	unsigned int futex = 0;
	struct io_uring_sqe *sqe;
	struct ring r;
	int res[3] = { -1, -1, -1 };

	ASSERT_EQ(0, ring_init(&r, 8, 0));
	prep_futex(&r, IORING_OP_FUTEX_WAIT, &futex, 0, 1, 1);
	ASSERT_EQ(1, ring_submit(&r));
	sqe = ring_rw(&r, IORING_OP_ASYNC_CANCEL, -1, (void *)1, 0, 0, 2);
	sqe->addr = 1;
	ASSERT_EQ(1, ring_submit(&r));
	ASSERT_EQ(0, ring_reap(&r, 2, res, 3));
	ASSERT_EQ(-ECANCELED, res[1]);
	ASSERT_EQ(0, res[2]);
	/* nothing is left queued on the futex */
	ASSERT_EQ(0, futex_wake_sys(&futex, 10));
	/*
	 * Pending waits at ring exit: cancelled, no hang, no leak. The exit
	 * runs in a worker after the close returns: until it has, the wait
	 * may still be queued, and this wake ends it instead. Either way,
	 * nothing is queued afterwards (and kmemleak sees no leak).
	 */
	prep_futex(&r, IORING_OP_FUTEX_WAIT, &futex, 0, 1, 3);
	ASSERT_EQ(1, ring_submit(&r));
	ring_exit(&r);
	ASSERT_GE(1, futex_wake_sys(&futex, 10));
	ASSERT_EQ(0, futex_wake_sys(&futex, 10));
}

TEST(futex_waitv)
{
	unsigned int f[3] = { 0, 0, 0 };
	struct futex_waitv v[3];
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct ring r;
	int i;

	ASSERT_EQ(0, ring_init(&r, 8, 0));
	for (i = 0; i < 3; i++)
		v[i] = (struct futex_waitv){ .uaddr = (uintptr_t)&f[i],
					     .flags = F2 };
	/* the result is the index of the futex that woke */
	sqe = ring_rw(&r, IORING_OP_FUTEX_WAITV, 0, v, 3, 0, 1);
	ASSERT_EQ(1, ring_submit(&r));
	ASSERT_EQ(0, ring_cq_ready(&r));
	ASSERT_EQ(1, futex_wake_sys(&f[2], 1));
	ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
	ASSERT_EQ(2, cqe.res);
	/* the other two are no longer queued */
	ASSERT_EQ(0, futex_wake_sys(&f[0], 1));
	ASSERT_EQ(0, futex_wake_sys(&f[1], 1));
	/* a value that differs: -EAGAIN, or the index if one woke */
	f[1] = 5;
	sqe = ring_rw(&r, IORING_OP_FUTEX_WAITV, 0, v, 3, 0, 1);
	ASSERT_EQ(-EAGAIN, run1(&r));
	f[1] = 0;
	/* cancelled */
	sqe = ring_rw(&r, IORING_OP_FUTEX_WAITV, 0, v, 3, 0, 1);
	ASSERT_EQ(1, ring_submit(&r));
	sqe = ring_rw(&r, IORING_OP_ASYNC_CANCEL, -1, NULL, 0, 0, 2);
	sqe->addr = 1;
	{
		int res[3] = { -1, -1, -1 };

		ASSERT_EQ(1, ring_submit(&r));
		ASSERT_EQ(0, ring_reap(&r, 2, res, 3));
		ASSERT_EQ(-ECANCELED, res[1]);
		ASSERT_EQ(0, res[2]);
	}
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, futex_wake_sys(&f[i], 1));
	/* left pending at exit */
	sqe = ring_rw(&r, IORING_OP_FUTEX_WAITV, 0, v, 3, 0, 1);
	ASSERT_EQ(1, ring_submit(&r));
	ring_exit(&r);
}

/* Many wakers racing a cancel on one request: exactly one CQE. */
static void *waker(void *arg)
{
	unsigned int *f = arg;
	int i;

	for (i = 0; i < 2000; i++)
		futex_wake_sys(f, 1);
	return NULL;
}

TEST(futex_wake_cancel_race)
{
	unsigned int futex = 0;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	pthread_t t;
	struct ring r;
	int i, n;

	ASSERT_EQ(0, ring_init(&r, 64, 0));
	ASSERT_EQ(0, pthread_create(&t, NULL, waker, &futex));
	for (i = 0; i < 200; i++) {
		prep_futex(&r, IORING_OP_FUTEX_WAIT, &futex, 0, 1, 1);
		sqe = ring_rw(&r, IORING_OP_ASYNC_CANCEL, -1, NULL, 0, 0, 2);
		sqe->addr = 1;
		ASSERT_EQ(2, ring_submit(&r));
		for (n = 0; n < 2; n++) {
			ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
			if (cqe.user_data == 1)
				ASSERT_TRUE(cqe.res == 0 || cqe.res == -ECANCELED);
		}
	}
	pthread_join(t, NULL);
	/* every wake is in: nothing completes twice */
	ASSERT_EQ(0, ring_cq_barrier(&r));
	ring_exit(&r);
}

static struct io_uring_sqe *prep_waitid(struct ring *r, int which, int id,
					siginfo_t *si, int options,
					__u64 user_data)
{
	struct io_uring_sqe *sqe = ring_rw(r, IORING_OP_WAITID, id, NULL,
					   which, 0, user_data);

	sqe->addr2 = (uintptr_t)si;
	sqe->file_index = options;
	return sqe;
}

TEST(waitid_child)
{
	int res[3] = { -1, -1, -1 };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct ring r;
	siginfo_t si;
	int go[2];
	char c;
	pid_t pid;

	ASSERT_EQ(0, ring_init(&r, 8, 0));
	/* no children: -ECHILD */
	prep_waitid(&r, P_ALL, 0, &si, WEXITED, 1);
	ASSERT_EQ(-ECHILD, run1(&r));
	/* armed before the child exits: it waits for the pipe to close */
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(go[1]);
		if (read(go[0], &c, 1) < 0)
			_exit(1);
		_exit(7);
	}
	close(go[0]);
	memset(&si, 0, sizeof(si));
	prep_waitid(&r, P_PID, pid, &si, WEXITED, 1);
	ASSERT_EQ(1, ring_submit(&r));
	close(go[1]);
	ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
	ASSERT_EQ(0, cqe.res);
	ASSERT_EQ(SIGCHLD, si.si_signo);
	ASSERT_EQ(CLD_EXITED, si.si_code);
	ASSERT_EQ(pid, si.si_pid);
	ASSERT_EQ(7, si.si_status);
	/* already exited: found at once */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(3);
	/* a zombie now, and still there for the WAITID to reap */
	ASSERT_EQ(0, waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
	prep_waitid(&r, P_ALL, 0, &si, WEXITED, 1);
	ASSERT_EQ(0, run1(&r));
	ASSERT_EQ(3, si.si_status);
	/* WNOHANG with a live child: 0 and si_pid 0 */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		pause();
		_exit(0);
	}
	si.si_pid = 1;
	prep_waitid(&r, P_PID, pid, &si, WEXITED | WNOHANG, 1);
	ASSERT_EQ(0, run1(&r));
	ASSERT_EQ(0, si.si_pid);
	/* a pending one is cancelled */
	prep_waitid(&r, P_PID, pid, &si, WEXITED, 1);
	ASSERT_EQ(1, ring_submit(&r));
	sqe = ring_rw(&r, IORING_OP_ASYNC_CANCEL, -1, NULL, 0, 0, 2);
	sqe->addr = 1;
	ASSERT_EQ(1, ring_submit(&r));
	ASSERT_EQ(0, ring_reap(&r, 2, res, 3));
	ASSERT_EQ(-ECANCELED, res[1]);
	ASSERT_EQ(0, res[2]);
	/* bad input */
	prep_waitid(&r, P_PID, pid, &si, 0, 1);
	ASSERT_EQ(-EINVAL, run1(&r));
	prep_waitid(&r, 99, pid, &si, WEXITED, 1);
	ASSERT_EQ(-EINVAL, run1(&r));
	prep_waitid(&r, P_PID, -1, &si, WEXITED, 1);
	ASSERT_EQ(-EINVAL, run1(&r));
	prep_waitid(&r, P_PID, pid, &si, WEXITED, 1)->addr3 = 1;
	ASSERT_EQ(-EINVAL, run1(&r));
	/* left pending at ring exit: cancelled without a hang */
	prep_waitid(&r, P_PID, pid, &si, WEXITED, 1);
	ASSERT_EQ(1, ring_submit(&r));
	ring_exit(&r);
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
}

TEST_HARNESS_MAIN
