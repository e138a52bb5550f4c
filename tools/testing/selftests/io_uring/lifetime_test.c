// SPDX-License-Identifier: GPL-2.0
/*
 * Ring lifetime across fork, exec, exit and close: the ring keeps working
 * where it should and everything is released (kmemleak in --debug runs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <sched.h>
#include <sys/wait.h>
#include "../kselftest_harness.h"
#include "ring.h"

TEST(child_uses_inherited_ring)
{
	struct io_uring_cqe cqe;
	struct ring r;
	int status;
	pid_t pid;

	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		ring_nop(&r, 7);
		_exit(ring_submit(&r) == 1 ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	/* the child's SQE went through the shared ring */
	r.sqe_tail = *r.sq_tail;
	ASSERT_TRUE(ring_peek_cqe(&r, &cqe, NULL));
	ASSERT_EQ(7, cqe.user_data);
	ring_exit(&r);
}

/* Fork, run @fn in the child, return its exit status (-1 if it died). */
static int in_child(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(fn());
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* A ring whose fd is also registered with IORING_REGISTER_RING_FDS. */
static int ring_registered(struct ring *r, unsigned int entries)
{
	struct io_uring_rsrc_update up = { .offset = -1U };

	if (ring_init(r, entries, NULL))
		return 1;
	up.data = r->fd;
	return sys_register(r->fd, IORING_REGISTER_RING_FDS, &up, 1) == 1 ? 0 : 2;
}

static int exit_with_backlog(void)
{
	struct ring r;
	int i, ret = ring_registered(&r, 2);

	for (i = 0; !ret && i < 8; i++) {
		ring_nop(&r, i);
		if (ring_submit(&r) != 1)
			ret = 3;
	}
	/* return without closing anything: exit has to clean up */
	return ret;
}

TEST(exit_with_registered_ring_and_backlog)
{
	ASSERT_EQ(0, in_child(exit_with_backlog));
}

static int exec_with_ring(void)
{
	struct ring r;
	int ret = ring_registered(&r, 4);

	if (ret)
		return ret;
	/* the ring fd is O_CLOEXEC; the registered slot is dropped too */
	execl("/bin/sh", "sh", "-c",
	      "exit $(ls -l /proc/$$/fd | grep -c io_uring)", (char *)NULL);
	return 3;
}

TEST(exec_drops_ring)
{
	ASSERT_EQ(0, in_child(exec_with_ring));
}

TEST(close_from_other_process_while_used)
{
	struct io_uring_cqe cqe;
	struct ring r;
	int i, status;
	pid_t pid;

	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		/* the child closes its copy: the parent's ring must live on */
		ring_exit(&r);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	for (i = 0; i < 100; i++) {
		ring_nop(&r, i);
		ASSERT_EQ(1, ring_submit_and_wait(&r, 1));
		ASSERT_TRUE(ring_peek_cqe(&r, &cqe, NULL));
		ASSERT_EQ(i, cqe.user_data);
	}
	ring_exit(&r);
}

/*
 * A child's drained request waits for the parent's read, which waits for
 * data: the child's exit must cancel its request, not wait for the read.
 */
TEST(exit_cancels_held_back_request)
{
	struct io_uring_cqe cqe;
	int status, p[2], res[4];
	struct ring r;
	char buf[4];
	pid_t pid;

	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	ASSERT_EQ(0, pipe(p));
	ring_rw(&r, IORING_OP_READ, p[0], buf, 4, 0, 1);
	ASSERT_EQ(1, ring_submit(&r));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		ring_nop(&r, 2)->flags = IOSQE_IO_DRAIN;
		_exit(ring_submit(&r) == 1 ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
	ASSERT_EQ(2, cqe.user_data);
	ASSERT_EQ(-ECANCELED, cqe.res);
	/* the parent's read is untouched */
	ASSERT_EQ(4, write(p[1], "data", 4));
	ASSERT_EQ(0, ring_reap(&r, 1, res, 4));
	ASSERT_EQ(4, res[1]);
	ring_exit(&r);
	close(p[0]);
	close(p[1]);
}

static void *submit_nop_and_exit(void *arg)
{
	struct ring *r = arg;

	/* one submission makes this thread one of the ring's submitters */
	ring_nop(r, 9);
	return (void *)(long)ring_submit(r);
}

/*
 * A drained read is in flight (it left the drain list when the read
 * before it completed). Another thread of the same process that once
 * submitted to the ring exits: its exit must not end the drain, so a NOP
 * submitted now still waits for the drained read to complete.
 */
TEST(drain_holds_after_another_submitter_exits)
{
	struct io_uring_cqe cqe;
	int p1[2], p2[2];
	char b1[4], b2[4];
	pthread_t th;
	void *ret;
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	ASSERT_EQ(0, pipe(p1));
	ASSERT_EQ(0, pipe(p2));
	ring_rw(&r, IORING_OP_READ, p1[0], b1, 4, 0, 1);
	ring_rw(&r, IORING_OP_READ, p2[0], b2, 4, 0, 2)->flags = IOSQE_IO_DRAIN;
	ASSERT_EQ(2, ring_submit(&r));
	/* the first read completes: the drained one is issued and waits */
	ASSERT_EQ(4, write(p1[1], "aaaa", 4));
	ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
	ASSERT_EQ(1, cqe.user_data);
	/*
	 * A submitter comes and goes: its NOP, held back behind the drain,
	 * is cancelled by its exit (exit_cancels_held_back_request).
	 */
	ASSERT_EQ(0, pthread_create(&th, NULL, submit_nop_and_exit, &r));
	ASSERT_EQ(0, pthread_join(th, &ret));
	ASSERT_EQ(1, (long)ret);
	ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
	ASSERT_EQ(9, cqe.user_data);
	ASSERT_EQ(-ECANCELED, cqe.res);
	/* the drain still holds what is submitted now */
	ring_nop(&r, 3);
	ASSERT_EQ(1, ring_submit(&r));
	ASSERT_EQ(4, write(p2[1], "bbbb", 4));
	/* in order: the drained read, then what was submitted after it */
	ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
	ASSERT_EQ(2, cqe.user_data);
	ASSERT_EQ(4, cqe.res);
	ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
	ASSERT_EQ(3, cqe.user_data);
	ring_exit(&r);
	close(p1[0]);
	close(p1[1]);
	close(p2[0]);
	close(p2[1]);
}

struct held_back {
	struct ring *r;
	int go;		/* read end: the thread exits once it reads a byte */
	int ret;
};

static void *submit_two_and_wait(void *arg)
{
	struct held_back *hb = arg;
	char c;

	ring_nop(hb->r, 20);
	ring_nop(hb->r, 21);
	hb->ret = ring_submit(hb->r);
	if (read(hb->go, &c, 1) != 1)
		hb->ret = -1;
	return NULL;
}

/*
 * Two requests held back between two drains belong to a thread that
 * exits: both are cancelled, and the second drain must still start once
 * what came before it (the read, the first drain) has completed.
 */
TEST(drain_released_after_held_back_requests_cancelled)
{
	struct held_back hb = { 0 };
	struct io_uring_cqe cqe;
	int p[2], go[2], res[32], i;
	struct ring r;
	pthread_t th;
	char buf[4];

	ASSERT_EQ(0, ring_init(&r, 16, NULL));
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, pipe(go));
	ring_rw(&r, IORING_OP_READ, p[0], buf, 4, 0, 10);
	ring_nop(&r, 11)->flags = IOSQE_IO_DRAIN;
	ASSERT_EQ(2, ring_submit(&r));
	hb.r = &r;
	hb.go = go[0];
	ASSERT_EQ(0, pthread_create(&th, NULL, submit_two_and_wait, &hb));
	/* the thread's two NOPs are held back behind the first drain */
	for (i = 0; i < 5000 && !__atomic_load_n(&hb.ret, __ATOMIC_ACQUIRE); i++)
		usleep(1000);
	ASSERT_EQ(2, hb.ret);
	ring_nop(&r, 12)->flags = IOSQE_IO_DRAIN;
	ASSERT_EQ(1, ring_submit(&r));
	ASSERT_EQ(1, write(go[1], "x", 1));
	ASSERT_EQ(0, pthread_join(th, NULL));
	/* its exit cancelled both */
	ASSERT_EQ(0, ring_reap(&r, 2, res, 32));
	ASSERT_EQ(-ECANCELED, res[20]);
	ASSERT_EQ(-ECANCELED, res[21]);
	/* the read, the first drain, then the second drain */
	ASSERT_EQ(4, write(p[1], "data", 4));
	ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
	ASSERT_EQ(10, cqe.user_data);
	ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
	ASSERT_EQ(11, cqe.user_data);
	ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
	ASSERT_EQ(12, cqe.user_data);
	ASSERT_EQ(0, cqe.res);
	ring_exit(&r);
	close(p[0]);
	close(p[1]);
	close(go[0]);
	close(go[1]);
}

TEST_HARNESS_MAIN
