// SPDX-License-Identifier: GPL-2.0
/*
 * Ring lifetime across fork, exec, exit and close: the ring keeps working
 * where it should and everything is released (kmemleak in --debug runs).
 */
#include <stdio.h>
#include <stdlib.h>
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

TEST_HARNESS_MAIN
