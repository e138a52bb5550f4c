// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_POLL_ADD (one-shot, multishot, 32-bit events), POLL_REMOVE
 * and its updates, internal poll of blocked reads (fast poll), bad
 * input, and the races: cancel against wakeup, close of the polled file,
 * exit with armed polls, a signalfd freed under its poll.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <pthread.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <sys/wait.h>
#include <sys/eventfd.h>

#include "../kselftest_harness.h"
#include "ring.h"

FIXTURE(poll) {
	struct ring r;
	int p[2];
};

FIXTURE_SETUP(poll)
{
	ASSERT_EQ(0, ring_init(&self->r, 64, NULL));
	ASSERT_EQ(0, pipe(self->p));
}

FIXTURE_TEARDOWN(poll)
{
	ring_exit(&self->r);
	close(self->p[0]);
	close(self->p[1]);
}

static struct io_uring_sqe *poll_add(struct ring *r, int fd, unsigned int events,
				     unsigned int flags, uint64_t ud)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	sqe->opcode = IORING_OP_POLL_ADD;
	sqe->fd = fd;
	sqe->poll32_events = events;
	sqe->len = flags;
	sqe->user_data = ud;
	return sqe;
}

static struct io_uring_sqe *poll_remove(struct ring *r, uint64_t target,
					unsigned int flags, uint64_t ud)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	sqe->opcode = IORING_OP_POLL_REMOVE;
	sqe->fd = -1;
	sqe->addr = target;
	sqe->len = flags;
	sqe->user_data = ud;
	return sqe;
}

/* ASYNC_CANCEL of every request on @fd */
static void cancel_all_on_fd(struct ring *r, int fd, uint64_t ud)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	sqe->opcode = IORING_OP_ASYNC_CANCEL;
	sqe->fd = fd;
	sqe->cancel_flags = IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_ALL;
	sqe->user_data = ud;
}

TEST_F(poll, features)
{
	ASSERT_TRUE(self->r.p.features & IORING_FEAT_FAST_POLL);
	ASSERT_TRUE(self->r.p.features & IORING_FEAT_POLL_32BITS);
}

TEST_F(poll, oneshot_ready_and_waiting)
{
	struct io_uring_cqe cqe;

	/* a pipe's write side is ready at once */
	poll_add(&self->r, self->p[1], POLLOUT, 0, 1);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(1, cqe.user_data);
	ASSERT_TRUE(cqe.res & POLLOUT);
	ASSERT_EQ(0, cqe.flags);

	/* the read side waits for data */
	poll_add(&self->r, self->p[0], POLLIN, 0, 2);
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_TRUE(ring_wait_polls(&self->r, 1, 2000));
	ASSERT_EQ(0, ring_cq_ready(&self->r));
	ASSERT_EQ(1, write(self->p[1], "x", 1));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_EQ(2, cqe.user_data);
	ASSERT_EQ(POLLIN, cqe.res & (POLLIN | POLLOUT));
}

TEST_F(poll, hangup_is_always_reported)
{
	struct io_uring_cqe cqe;

	poll_add(&self->r, self->p[0], POLLIN, 0, 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	close(self->p[1]);
	self->p[1] = open("/dev/null", O_WRONLY);
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_TRUE(cqe.res & POLLHUP);
}

TEST_F(poll, multishot_posts_with_more)
{
	struct io_uring_cqe cqe;
	char c;
	int i;

	poll_add(&self->r, self->p[0], POLLIN, IORING_POLL_ADD_MULTI, 7);
	ASSERT_EQ(1, ring_submit(&self->r));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(1, write(self->p[1], "x", 1));
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		ASSERT_EQ(7, cqe.user_data);
		ASSERT_TRUE(cqe.res & POLLIN);
		ASSERT_TRUE(cqe.flags & IORING_CQE_F_MORE);
		ASSERT_EQ(1, read(self->p[0], &c, 1));
	}
	/* removal ends it: -ECANCELED without F_MORE, remove says 0 */
	poll_remove(&self->r, 7, 0, 8);
	ASSERT_EQ(1, ring_submit(&self->r));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		if (cqe.user_data == 7) {
			ASSERT_EQ(-ECANCELED, cqe.res);
			ASSERT_FALSE(cqe.flags & IORING_CQE_F_MORE);
		} else {
			ASSERT_EQ(8, cqe.user_data);
			ASSERT_EQ(0, cqe.res);
		}
	}
}

TEST_F(poll, multishot_ends_when_cq_is_full)
{
	struct io_uring_cqe cqe;
	bool more = true;
	int n = 0, i;
	char c;

	/* 64 SQ entries: a CQ of 128; fill it with wakeups */
	poll_add(&self->r, self->p[0], POLLIN, IORING_POLL_ADD_MULTI, 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	for (i = 0; i < 200; i++) {
		ASSERT_EQ(1, write(self->p[1], "x", 1));
		ASSERT_EQ(1, read(self->p[0], &c, 1));
		ASSERT_EQ(1, write(self->p[1], "x", 1));
		ASSERT_EQ(1, read(self->p[0], &c, 1));
	}
	/* CQEs with F_MORE until one did not fit: that one ends it */
	while (more) {
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		ASSERT_EQ(1, cqe.user_data);
		more = cqe.flags & IORING_CQE_F_MORE;
		n++;
	}
	/* the last CQE said no more; nothing is left armed */
	ASSERT_FALSE(more);
	ASSERT_LE(n, 129);
	poll_remove(&self->r, 1, 0, 2);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-ENOENT, cqe.res);
}

TEST_F(poll, update_events_and_user_data)
{
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	int res[16];

	poll_add(&self->r, self->p[0], POLLIN, 0, 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	/* wrong target */
	poll_remove(&self->r, 5, IORING_POLL_UPDATE_USER_DATA, 2)->off = 3;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-ENOENT, cqe.res);
	/* new user_data 3, new events: the write side is always ready */
	sqe = poll_remove(&self->r, 1, IORING_POLL_UPDATE_USER_DATA |
			  IORING_POLL_UPDATE_EVENTS, 4);
	sqe->off = 3;
	sqe->poll32_events = POLLIN;
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_reap(&self->r, 1, res, 16));
	ASSERT_EQ(0, res[4]);
	ASSERT_EQ(1, write(self->p[1], "x", 1));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_EQ(3, cqe.user_data);
	ASSERT_TRUE(cqe.res & POLLIN);
}

TEST_F(poll, bad_input)
{
	struct io_uring_cqe cqe;

	/* unknown flags in len */
	poll_add(&self->r, self->p[0], POLLIN, 1U << 7, 1);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	/* addr must be 0 */
	poll_add(&self->r, self->p[0], POLLIN, 0, 2)->addr = 1;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	/* bad fd */
	poll_add(&self->r, 999, POLLIN, 0, 3);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EBADF, cqe.res);
	/* multishot cannot skip its CQEs */
	poll_add(&self->r, self->p[0], POLLIN, IORING_POLL_ADD_MULTI, 4)->flags =
		IOSQE_CQE_SKIP_SUCCESS;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	/* remove: unknown flags, events without the update flag */
	poll_remove(&self->r, 1, 1U << 6, 5);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	poll_remove(&self->r, 1, 0, 6)->poll32_events = POLLIN;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	poll_remove(&self->r, 12345, 0, 7);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-ENOENT, cqe.res);
}

/* A read that would block waits in a poll, not an io worker. */
TEST_F(poll, blocked_reads_use_internal_poll)
{
	char bufs[32][4];
	int res[64], i;

	for (i = 0; i < 32; i++)
		ring_rw(&self->r, IORING_OP_READ, self->p[0], bufs[i], 4, 0, i);
	ASSERT_EQ(32, ring_submit(&self->r));
	/* each read parks in a poll of its own until the pipe has data */
	ASSERT_TRUE(ring_wait_polls(&self->r, 32, 2000));
	ASSERT_EQ(0, ring_cq_ready(&self->r));
	/* ASYNC_CANCEL finds them in their polls: -ECANCELED, all 32 */
	cancel_all_on_fd(&self->r, self->p[0], 40);
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_reap(&self->r, 33, res, 64));
	ASSERT_EQ(32, res[40]);
	for (i = 0; i < 32; i++)
		ASSERT_EQ(-ECANCELED, res[i]);
}

/*
 * IOSQE_ASYNC sends each read to an io worker, which finds the pipe empty
 * and parks the read in an internal poll: the request leaves io-wq before
 * it arms (its poll state shares storage with its io-wq state). Data
 * ends some of them, the cancel the rest, each exactly once. A second
 * round takes the same requests from the cache, after io-wq and a poll.
 */
TEST_F(poll, async_reads_leave_iowq_for_their_polls)
{
	static const char data[] = "aaaabbbbccccddddeeeeffffgagghhhh";
	char bufs[16][4];
	int res[64], round, i, got, cancelled;
	unsigned int seen;

	for (round = 0; round < 2; round++) {
		for (i = 0; i < 16; i++)
			ring_rw(&self->r, IORING_OP_READ, self->p[0], bufs[i],
				4, 0, i)->flags |= IOSQE_ASYNC;
		ASSERT_EQ(16, ring_submit(&self->r));
		ASSERT_TRUE(ring_wait_polls(&self->r, 16, 5000));
		ASSERT_EQ(0, ring_cq_ready(&self->r));
		for (i = 0; i < 16; i++)
			res[i] = 1;
		/* enough for 8: the other 8 wake, find nothing and wait again */
		ASSERT_EQ(32, write(self->p[1], data, 32));
		ASSERT_EQ(0, ring_reap(&self->r, 8, res, 64));
		cancel_all_on_fd(&self->r, self->p[0], 40);
		ASSERT_EQ(1, ring_submit(&self->r));
		ASSERT_EQ(0, ring_reap(&self->r, 9, res, 64));
		ASSERT_EQ(8, res[40]);
		got = 0;
		cancelled = 0;
		seen = 0;
		for (i = 0; i < 16; i++) {
			if (res[i] == -ECANCELED) {
				cancelled++;
				continue;
			}
			ASSERT_EQ(4, res[i]);
			ASSERT_TRUE(bufs[i][3] >= 'a' && bufs[i][3] <= 'h');
			/* each 4-byte piece once, whole: "gagg" is the 7th */
			ASSERT_EQ(0, memcmp(bufs[i], data + 4 * (bufs[i][3] - 'a'), 4));
			seen |= 1U << (bufs[i][3] - 'a');
			got++;
		}
		ASSERT_EQ(8, got);
		ASSERT_EQ(8, cancelled);
		ASSERT_EQ(0xffU, seen);
		ASSERT_EQ(0, ring_polls_armed(&self->r));
	}
}

/*
 * Two reads parked in internal polls on an empty pipe; one write wakes
 * both (the wakeup names EPOLLIN, which is all an internal poll looks at
 * now), one takes the data, and the other must find nothing and wait
 * again, not fail, return 0 or complete twice: the next write is its.
 */
TEST_F(poll, woken_internal_poll_that_finds_nothing_waits_again)
{
	char bufs[2][4];
	struct io_uring_cqe cqe;
	int first, round;

	for (round = 0; round < 3; round++) {
		memset(bufs, 0, sizeof(bufs));
		ring_rw(&self->r, IORING_OP_READ, self->p[0], bufs[0], 4, 0, 0);
		ring_rw(&self->r, IORING_OP_READ, self->p[0], bufs[1], 4, 0, 1);
		ASSERT_EQ(2, ring_submit(&self->r));
		ASSERT_TRUE(ring_wait_polls(&self->r, 2, 2000));
		ASSERT_EQ(4, write(self->p[1], "aaaa", 4));
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		ASSERT_EQ(4, cqe.res);
		ASSERT_LT(cqe.user_data, 2);
		first = cqe.user_data;
		ASSERT_EQ(0, memcmp(bufs[first], "aaaa", 4));
		/* the other one is back in its poll, with nothing posted */
		ASSERT_TRUE(ring_wait_polls(&self->r, 1, 2000));
		ASSERT_EQ(0, ring_cq_ready(&self->r));
		ASSERT_EQ(4, write(self->p[1], "bbbb", 4));
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		ASSERT_EQ(4, cqe.res);
		ASSERT_EQ((uint64_t)!first, cqe.user_data);
		ASSERT_EQ(0, memcmp(bufs[!first], "bbbb", 4));
		ASSERT_EQ(0, ring_cq_ready(&self->r));
		ASSERT_EQ(0, ring_polls_armed(&self->r));
	}
}

/* Cancel racing with wakeups: each poll ends exactly once. */
TEST_F(poll, cancel_races_wakeup)
{
	struct io_uring_cqe cqe;
	int round, seen[2];

	for (round = 0; round < 200; round++) {
		struct io_uring_sqe *sqe;

		poll_add(&self->r, self->p[0], POLLIN, IORING_POLL_ADD_MULTI, 1);
		ASSERT_EQ(1, ring_submit(&self->r));
		ASSERT_EQ(1, write(self->p[1], "x", 1));
		sqe = ring_get_sqe(&self->r);
		sqe->opcode = IORING_OP_ASYNC_CANCEL;
		sqe->addr = 1;
		sqe->user_data = 2;
		ASSERT_EQ(1, ring_submit(&self->r));
		seen[0] = 0;
		seen[1] = 0;
		/* the cancel's CQE, MORE CQEs, and one final CQE for the poll */
		while (!seen[0] || !seen[1]) {
			ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
			if (cqe.user_data == 2) {
				ASSERT_EQ(0, cqe.res);
				seen[1]++;
			} else if (!(cqe.flags & IORING_CQE_F_MORE)) {
				ASSERT_EQ(-ECANCELED, cqe.res);
				seen[0]++;
			}
		}
		ASSERT_EQ(1, read(self->p[0], seen, 1));
		/* no late CQE of the cancelled poll behind the NOP's */
		ASSERT_EQ(0, ring_cq_barrier(&self->r));
	}
}

/*
 * A tty polls on two queues (read and write side): the poll holds a
 * second entry. Both a one-shot and a multishot poll fire from it, an
 * update reaches both entries, and a removal takes both off.
 */
TEST_F(poll, pty_poll_waits_on_two_queues)
{
	struct io_uring_cqe cqe;
	struct termios t;
	int m, s, i, more = 0, once = 0;

	m = posix_openpt(O_RDWR | O_NOCTTY);
	ASSERT_LE(0, m);
	ASSERT_EQ(0, grantpt(m));
	ASSERT_EQ(0, unlockpt(m));
	s = open(ptsname(m), O_RDWR | O_NOCTTY);
	ASSERT_LE(0, s);
	/* raw: one byte makes the slave readable, no line needed */
	ASSERT_EQ(0, tcgetattr(s, &t));
	cfmakeraw(&t);
	ASSERT_EQ(0, tcsetattr(s, TCSANOW, &t));

	poll_add(&self->r, s, POLLIN, IORING_POLL_ADD_MULTI, 1);
	poll_add(&self->r, s, POLLPRI, 0, 2);
	ASSERT_EQ(2, ring_submit(&self->r));
	ASSERT_TRUE(ring_wait_polls(&self->r, 2, 5000));
	/* the one-shot now waits for input too, on both entries */
	poll_remove(&self->r, 2, IORING_POLL_UPDATE_EVENTS, 3)->poll32_events =
		POLLIN;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(3, cqe.user_data);
	ASSERT_EQ(0, cqe.res);
	ASSERT_EQ(0, ring_cq_ready(&self->r));

	ASSERT_EQ(1, write(m, "x", 1));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		ASSERT_TRUE(cqe.res & POLLIN);
		if (cqe.user_data == 1) {
			ASSERT_TRUE(cqe.flags & IORING_CQE_F_MORE);
			more++;
		} else {
			ASSERT_EQ(2, cqe.user_data);
			ASSERT_FALSE(cqe.flags & IORING_CQE_F_MORE);
			once++;
		}
	}
	ASSERT_EQ(1, more);
	ASSERT_EQ(1, once);

	/* removed from both queues: no CQE of it after the removal's */
	poll_remove(&self->r, 1, 0, 4);
	ASSERT_EQ(1, ring_submit(&self->r));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		if (cqe.user_data == 4) {
			ASSERT_EQ(0, cqe.res);
		} else {
			ASSERT_EQ(1, cqe.user_data);
			ASSERT_EQ(-ECANCELED, cqe.res);
			ASSERT_FALSE(cqe.flags & IORING_CQE_F_MORE);
		}
	}
	ASSERT_EQ(1, write(m, "y", 1));
	ASSERT_EQ(0, ring_cq_barrier(&self->r));
	close(s);
	close(m);
}

/* Closing the fd does not end a poll: the file lives until it fires. */
TEST_F(poll, close_of_polled_fd)
{
	struct io_uring_cqe cqe;
	int fd = dup(self->p[0]);

	poll_add(&self->r, fd, POLLIN, 0, 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	close(fd);
	ASSERT_EQ(1, write(self->p[1], "x", 1));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_TRUE(cqe.res & POLLIN);
}

/*
 * In a forked child: poll a signalfd of the child's own SIGUSR1 on @r.
 * Returns 0 once the poll is submitted, else the child's exit status.
 */
static int child_poll_own_signalfd(struct ring *r, unsigned int flags,
				   uint64_t ud)
{
	sigset_t mask;
	int sfd;

	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_NONBLOCK);
	if (sfd < 0)
		return 1;
	poll_add(r, sfd, POLLIN, flags, ud);
	return ring_submit(r) == 1 ? 0 : 2;
}

/*
 * A signalfd polled by a child that exits: the poll sits on the child's
 * signal queue, which goes away with it. The poll must end (cancelled, or
 * through POLLFREE) and never touch the freed queue.
 */
TEST(signalfd_poll_from_exiting_child)
{
	struct io_uring_cqe cqe;
	struct ring r;
	pid_t pid;
	int status;

	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(child_poll_own_signalfd(&r, 0, 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
	ASSERT_EQ(1, cqe.user_data);
	ASSERT_EQ(-ECANCELED, cqe.res);
	ring_exit(&r);
}

/*
 * The signalfd's queue is freed (POLLFREE, when the parent reaps the
 * child) while signals wake the multishot poll on it: whichever side ends
 * the poll, it ends once, with a last CQE without F_MORE, and the waker
 * that saw POLLFREE lets go of the request last. Rounds to meet the race;
 * the debug kernel checks the memory.
 */
TEST(signalfd_freed_while_its_poll_fires_ends_once)
{
	struct io_uring_cqe cqe;
	int round, status, sync[2];
	struct ring r;
	pid_t pid;
	char c;

	for (round = 0; round < 200; round++) {
		/* a ring a round: the child's submission moves only its copy */
		ASSERT_EQ(0, ring_init(&r, 8, NULL));
		ASSERT_EQ(0, pipe(sync));
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			int ret = child_poll_own_signalfd(&r,
						IORING_POLL_ADD_MULTI, round);

			if (!ret && write(sync[1], "x", 1) != 1)
				ret = 3;
			_exit(ret);
		}
		close(sync[1]);
		ASSERT_EQ(1, read(sync[0], &c, 1));
		close(sync[0]);
		/* wakeups on the queue while the child exits and is reaped */
		kill(pid, SIGUSR1);
		kill(pid, SIGUSR1);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_EQ(0, WEXITSTATUS(status));
		do {
			ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
			ASSERT_EQ(round, cqe.user_data);
			ASSERT_TRUE(cqe.res == -ECANCELED ||
				    (cqe.res > 0 && (cqe.res & POLLIN)));
		} while (cqe.flags & IORING_CQE_F_MORE);
		ASSERT_EQ(-ECANCELED, cqe.res);
		ASSERT_EQ(0, ring_cq_ready(&r));
		ring_exit(&r);
	}
}

/*
 * A child exits with polls armed on a shared ring: they stay armed
 * without it (as in 6.12) and end, cancelled, once they fire.
 */
TEST_F(poll, exit_with_armed_polls)
{
	struct io_uring_cqe cqe;
	int status, i;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		for (i = 0; i < 8; i++)
			poll_add(&self->r, self->p[0], POLLIN, 0, 10 + i);
		_exit(ring_submit(&self->r) == 8 ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	usleep(20000);
	ASSERT_EQ(0, ring_cq_ready(&self->r));
	ASSERT_EQ(1, write(self->p[1], "x", 1));
	for (i = 0; i < 8; i++) {
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		ASSERT_LE(10, cqe.user_data);
		ASSERT_TRUE(cqe.res == -ECANCELED || (cqe.res & POLLIN));
	}
}

/* Polls on an eventfd and on the ring itself. */
TEST_F(poll, eventfd_and_ring_fd)
{
	struct io_uring_cqe cqe;
	uint64_t one = 1;
	int efd = eventfd(0, 0);

	ASSERT_LE(0, efd);
	poll_add(&self->r, efd, POLLIN, 0, 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(8, write(efd, &one, 8));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_TRUE(cqe.res & POLLIN);
	close(efd);
}

TEST_HARNESS_MAIN
