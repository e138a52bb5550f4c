// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_MSG_RING: IORING_MSG_DATA and IORING_MSG_SEND_FD between
 * rings (DEFER_TASKRUN and SQPOLL targets too), CQE_SKIP and FLAGS_PASS,
 * the errors, and two rings messaging each other at once (no deadlock).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>

#include "../kselftest_harness.h"
#include "ring.h"

static struct io_uring_sqe *prep_msg(struct ring *r, int target, __u64 cmd,
				     unsigned int len, __u64 data,
				     __u64 user_data)
{
	return ring_rw(r, IORING_OP_MSG_RING, target, (void *)(uintptr_t)cmd,
		       len, data, user_data);
}

static int ring_init_flags(struct ring *r, unsigned int entries,
			   unsigned int flags)
{
	struct io_uring_params p = { .flags = flags };

	return ring_init(r, entries, &p);
}

static int run1(struct ring *r)
{
	struct io_uring_cqe cqe;
	int ret = ring_submit_one(r, &cqe);

	return ret ? ret : cqe.res;
}

TEST(data)
{
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	int res[100] = { 0 };
	struct ring a, b;

	ASSERT_EQ(0, ring_init(&a, 8, 0));
	ASSERT_EQ(0, ring_init(&b, 8, 0));
	prep_msg(&a, b.fd, IORING_MSG_DATA, 0x1234, 0xfeed, 1);
	ASSERT_EQ(0, run1(&a));
	ASSERT_EQ(0, ring_wait_cqe(&b, &cqe));
	ASSERT_EQ(0xfeed, cqe.user_data);
	ASSERT_EQ(0x1234, cqe.res);
	ASSERT_EQ(0, cqe.flags);
	/* FLAGS_PASS: file_index becomes cqe->flags */
	sqe = prep_msg(&a, b.fd, IORING_MSG_DATA, 7, 8, 1);
	sqe->msg_ring_flags = IORING_MSG_RING_FLAGS_PASS;
	sqe->file_index = 0x55aa;
	ASSERT_EQ(0, run1(&a));
	ASSERT_EQ(0, ring_wait_cqe(&b, &cqe));
	ASSERT_EQ(0x55aa, cqe.flags);
	/* to itself: two CQEs on one ring */
	prep_msg(&a, a.fd, IORING_MSG_DATA, 3, 99, 1);
	ASSERT_EQ(1, ring_submit(&a));
	res[1] = -1;
	ASSERT_EQ(0, ring_reap(&a, 2, res, 100));
	ASSERT_EQ(0, res[1]);
	ASSERT_EQ(3, res[99]);
	/* errors: not a ring, bad command, skip on data, unknown flags */
	prep_msg(&a, 0, IORING_MSG_DATA, 0, 0, 1);
	ASSERT_EQ(-EBADFD, run1(&a));
	prep_msg(&a, b.fd, 9, 0, 0, 1);
	ASSERT_EQ(-EINVAL, run1(&a));
	sqe = prep_msg(&a, b.fd, IORING_MSG_DATA, 0, 0, 1);
	sqe->msg_ring_flags = IORING_MSG_RING_CQE_SKIP;
	ASSERT_EQ(-EINVAL, run1(&a));
	sqe = prep_msg(&a, b.fd, IORING_MSG_DATA, 0, 0, 1);
	sqe->msg_ring_flags = 4;
	ASSERT_EQ(-EINVAL, run1(&a));
	sqe = prep_msg(&a, b.fd, IORING_MSG_DATA, 0, 0, 1);
	sqe->file_index = 1;
	ASSERT_EQ(-EINVAL, run1(&a));
	prep_msg(&a, 1000, IORING_MSG_DATA, 0, 0, 1);
	ASSERT_EQ(-EBADF, run1(&a));
	ASSERT_EQ(0, ring_cq_ready(&b));
	ring_exit(&a);
	ring_exit(&b);
}

TEST(disabled_and_special_targets)
{
	struct io_uring_cqe cqe;
	struct ring a, b;

	ASSERT_EQ(0, ring_init(&a, 8, 0));
	ASSERT_EQ(0, ring_init_flags(&b, 8, IORING_SETUP_R_DISABLED));
	prep_msg(&a, b.fd, IORING_MSG_DATA, 1, 1, 1);
	ASSERT_EQ(-EBADFD, run1(&a));
	ring_exit(&b);
	/* a DEFER_TASKRUN target sees it in its own wait */
	ASSERT_EQ(0, ring_init_flags(&b, 8, IORING_SETUP_SINGLE_ISSUER |
					   IORING_SETUP_DEFER_TASKRUN));
	prep_msg(&a, b.fd, IORING_MSG_DATA, 5, 6, 1);
	ASSERT_EQ(0, run1(&a));
	ASSERT_EQ(0, ring_wait_cqe(&b, &cqe));
	ASSERT_EQ(6, cqe.user_data);
	ASSERT_EQ(5, cqe.res);
	ring_exit(&b);
	/* an SQPOLL target */
	ASSERT_EQ(0, ring_init_flags(&b, 8, IORING_SETUP_SQPOLL));
	prep_msg(&a, b.fd, IORING_MSG_DATA, 7, 8, 1);
	ASSERT_EQ(0, run1(&a));
	ASSERT_EQ(0, ring_wait_cqe(&b, &cqe));
	ASSERT_EQ(8, cqe.user_data);
	ring_exit(&b);
	ring_exit(&a);
}

TEST(send_fd)
{
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	int files[4] = { -1, -1, -1, -1 };
	struct ring a, b;
	char buf[4];
	int fds[2];

	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(0, ring_init(&a, 8, 0));
	ASSERT_EQ(0, ring_init(&b, 8, 0));
	files[1] = fds[1];
	ASSERT_EQ(0, sys_register(a.fd, IORING_REGISTER_FILES, files, 4));
	/* b has no table yet */
	sqe = prep_msg(&a, b.fd, IORING_MSG_SEND_FD, 0, 0x77, 1);
	sqe->addr3 = 1;
	sqe->file_index = 3;
	ASSERT_EQ(-ENXIO, run1(&a));
	files[1] = -1;
	ASSERT_EQ(0, sys_register(b.fd, IORING_REGISTER_FILES, files, 4));
	/* a's slot 1 into b's slot 2; b gets a CQE with res 0 */
	sqe = prep_msg(&a, b.fd, IORING_MSG_SEND_FD, 0, 0x77, 1);
	sqe->addr3 = 1;
	sqe->file_index = 3;
	ASSERT_EQ(0, run1(&a));
	ASSERT_EQ(0, ring_wait_cqe(&b, &cqe));
	ASSERT_EQ(0x77, cqe.user_data);
	ASSERT_EQ(0, cqe.res);
	/* b writes through the slot it received */
	sqe = ring_rw(&b, IORING_OP_WRITE, 2, "pong", 4, 0, 5);
	sqe->flags |= IOSQE_FIXED_FILE;
	ASSERT_EQ(4, run1(&b));
	ASSERT_EQ(4, read(fds[0], buf, 4));
	ASSERT_EQ(0, memcmp(buf, "pong", 4));
	/* allocated slot, and no CQE on b with CQE_SKIP */
	sqe = prep_msg(&a, b.fd, IORING_MSG_SEND_FD, 0, 0x78, 1);
	sqe->addr3 = 1;
	sqe->file_index = IORING_FILE_INDEX_ALLOC;
	sqe->msg_ring_flags = IORING_MSG_RING_CQE_SKIP;
	/* the sender learns the slot: the one after b's slot 2 */
	ASSERT_EQ(3, run1(&a));
	ASSERT_EQ(0, ring_cq_barrier(&b));
	/* errors: empty source slot, slot out of range, to itself */
	sqe = prep_msg(&a, b.fd, IORING_MSG_SEND_FD, 0, 0, 1);
	sqe->addr3 = 0;
	sqe->file_index = 1;
	ASSERT_EQ(-EBADF, run1(&a));
	sqe = prep_msg(&a, b.fd, IORING_MSG_SEND_FD, 0, 0, 1);
	sqe->addr3 = 1;
	sqe->file_index = 10;
	ASSERT_EQ(-EINVAL, run1(&a));
	sqe = prep_msg(&a, a.fd, IORING_MSG_SEND_FD, 0, 0, 1);
	sqe->addr3 = 1;
	sqe->file_index = 1;
	ASSERT_EQ(-EINVAL, run1(&a));
	ring_exit(&a);
	ring_exit(&b);
	close(fds[0]);
	close(fds[1]);
}

struct pingpong {
	struct ring *self;
	int peer_fd;
	int ok;
};

#define PP_ROUNDS	2000

/* Sends file-passing and data messages to the peer, reaping its own. */
static void *pingpong_thread(void *arg)
{
	struct pingpong *pp = arg;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	int i, got = 0, sent = 0;

	for (i = 0; i < PP_ROUNDS; i++) {
		sqe = prep_msg(pp->self, pp->peer_fd,
			       i & 1 ? IORING_MSG_DATA : IORING_MSG_SEND_FD,
			       0, 1000 + i, 1);
		if (!(i & 1)) {
			sqe->addr3 = 0;
			sqe->file_index = 1;
		}
		if (ring_submit(pp->self) != 1)
			return NULL;
		/* our own answer, plus whatever the peer sent us */
		while (sent <= i) {
			if (ring_wait_cqe(pp->self, &cqe))
				return NULL;
			if (cqe.user_data == 1) {
				if (cqe.res)
					return NULL;
				sent++;
			} else {
				got++;
			}
		}
	}
	/* the peer's last messages */
	while (got < PP_ROUNDS) {
		if (ring_wait_cqe(pp->self, &cqe))
			return NULL;
		got++;
	}
	pp->ok = 1;
	return NULL;
}

TEST(a_to_b_and_b_to_a)
{
	struct pingpong pa, pb;
	pthread_t ta, tb;
	struct ring a, b;
	int fds[2];

	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(0, ring_init(&a, 64, 0));
	ASSERT_EQ(0, ring_init(&b, 64, 0));
	ASSERT_EQ(0, sys_register(a.fd, IORING_REGISTER_FILES, (int[]){ fds[0], -1 }, 2));
	ASSERT_EQ(0, sys_register(b.fd, IORING_REGISTER_FILES, (int[]){ fds[1], -1 }, 2));
	pa = (struct pingpong){ .self = &a, .peer_fd = b.fd };
	pb = (struct pingpong){ .self = &b, .peer_fd = a.fd };
	ASSERT_EQ(0, pthread_create(&ta, NULL, pingpong_thread, &pa));
	ASSERT_EQ(0, pthread_create(&tb, NULL, pingpong_thread, &pb));
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	ASSERT_EQ(1, pa.ok);
	ASSERT_EQ(1, pb.ok);
	ring_exit(&a);
	ring_exit(&b);
	close(fds[0]);
	close(fds[1]);
}

/*
 * The target's CQ is written under its uring_lock: an io worker's message
 * waits for it, an inline one only tries it and goes to a worker if it
 * is busy. Every message arrives either way, to another ring or our own.
 */
#define BUSY_MSGS 200

struct busy_target {
	struct ring *ring;
	int got;
};

/* Keeps the target's lock busy with NOPs while counting the messages */
static void *busy_target_thread(void *arg)
{
	struct busy_target *bt = arg;
	struct io_uring_cqe cqe;
	int i;

	while (bt->got < BUSY_MSGS) {
		for (i = 0; i < 8; i++)
			ring_nop(bt->ring, 1);
		if (ring_submit_and_wait(bt->ring, 8) != 8)
			return NULL;
		while (ring_peek_cqe(bt->ring, &cqe, NULL))
			if (cqe.user_data >= 1000 && cqe.res == BUSY_MSGS)
				bt->got++;
	}
	return NULL;
}

TEST(data_from_a_worker_and_into_a_busy_ring)
{
	struct busy_target bt;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	int res[100] = { 0 };
	struct ring a, b;
	pthread_t t;
	int i;

	ASSERT_EQ(0, ring_init(&a, 8, 0));
	ASSERT_EQ(0, ring_init(&b, 256, 0));
	/* from an io worker, which holds no ring lock: to b, to ourselves */
	sqe = prep_msg(&a, b.fd, IORING_MSG_DATA, 5, 0xab, 1);
	sqe->flags |= IOSQE_ASYNC;
	ASSERT_EQ(0, run1(&a));
	ASSERT_EQ(0, ring_wait_cqe(&b, &cqe));
	ASSERT_EQ(0xab, cqe.user_data);
	ASSERT_EQ(5, cqe.res);
	sqe = prep_msg(&a, a.fd, IORING_MSG_DATA, 6, 99, 1);
	sqe->flags |= IOSQE_ASYNC;
	ASSERT_EQ(1, ring_submit(&a));
	res[1] = -1;
	ASSERT_EQ(0, ring_reap(&a, 2, res, 100));
	ASSERT_EQ(0, res[1]);
	ASSERT_EQ(6, res[99]);
	/* inline, into a ring whose own thread keeps its lock busy */
	bt = (struct busy_target){ .ring = &b };
	ASSERT_EQ(0, pthread_create(&t, NULL, busy_target_thread, &bt));
	for (i = 0; i < BUSY_MSGS; i++) {
		prep_msg(&a, b.fd, IORING_MSG_DATA, BUSY_MSGS, 1000 + i, 1);
		ASSERT_EQ(0, run1(&a));
	}
	pthread_join(t, NULL);
	ASSERT_EQ(BUSY_MSGS, bt.got);
	ring_exit(&a);
	ring_exit(&b);
}

/* IORING_REGISTER_SEND_MSG_RING (6.13): a message from no ring at all */
TEST(send_msg_ring_without_a_ring)
{
	struct io_uring_sqe sqe;
	struct io_uring_cqe cqe;
	struct ring b, off;
	int p[2];

	ASSERT_EQ(0, ring_init(&b, 8, 0));
	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_MSG_RING;
	sqe.fd = b.fd;
	sqe.addr = IORING_MSG_DATA;
	sqe.len = 0x4321;
	sqe.off = 0xbeef;
	ASSERT_EQ(0, sys_register(-1, IORING_REGISTER_SEND_MSG_RING, &sqe, 1));
	ASSERT_EQ(0, ring_wait_cqe(&b, &cqe));
	EXPECT_EQ(0xbeef, cqe.user_data);
	EXPECT_EQ(0x4321, cqe.res);
	EXPECT_EQ(0, cqe.flags);
	/* with the CQE's flags */
	sqe.msg_ring_flags = IORING_MSG_RING_FLAGS_PASS;
	sqe.file_index = 0x1100;
	ASSERT_EQ(0, sys_register(-1, IORING_REGISTER_SEND_MSG_RING, &sqe, 1));
	ASSERT_EQ(0, ring_wait_cqe(&b, &cqe));
	EXPECT_EQ(0x1100, cqe.flags);
	sqe.msg_ring_flags = 0;
	sqe.file_index = 0;

	/* data only: there is no ring to pass a file from */
	sqe.addr = IORING_MSG_SEND_FD;
	EXPECT_EQ(-EINVAL, sys_register(-1, IORING_REGISTER_SEND_MSG_RING, &sqe, 1));
	sqe.addr = IORING_MSG_DATA;
	/* not a MSG_RING SQE; SQE flags; nr_args; bad pointer */
	sqe.opcode = IORING_OP_NOP;
	EXPECT_EQ(-EINVAL, sys_register(-1, IORING_REGISTER_SEND_MSG_RING, &sqe, 1));
	sqe.opcode = IORING_OP_MSG_RING;
	sqe.flags = IOSQE_FIXED_FILE;
	EXPECT_EQ(-EINVAL, sys_register(-1, IORING_REGISTER_SEND_MSG_RING, &sqe, 1));
	sqe.flags = 0;
	EXPECT_EQ(-EINVAL, sys_register(-1, IORING_REGISTER_SEND_MSG_RING, &sqe, 2));
	EXPECT_EQ(-EFAULT, sys_register(-1, IORING_REGISTER_SEND_MSG_RING,
					(void *)8, 1));
	/* the target: no fd, not a ring, a disabled ring */
	sqe.fd = -1;
	EXPECT_EQ(-EBADF, sys_register(-1, IORING_REGISTER_SEND_MSG_RING, &sqe, 1));
	ASSERT_EQ(0, pipe(p));
	sqe.fd = p[0];
	EXPECT_EQ(-EBADFD, sys_register(-1, IORING_REGISTER_SEND_MSG_RING, &sqe, 1));
	close(p[0]);
	close(p[1]);
	ASSERT_EQ(0, ring_init_flags(&off, 8, IORING_SETUP_R_DISABLED));
	sqe.fd = off.fd;
	EXPECT_EQ(-EBADFD, sys_register(-1, IORING_REGISTER_SEND_MSG_RING, &sqe, 1));
	ring_exit(&off);
	/* with a ring fd it is no register op of a ring */
	sqe.fd = b.fd;
	EXPECT_EQ(-EINVAL, sys_register(b.fd, IORING_REGISTER_SEND_MSG_RING, &sqe, 1));
	EXPECT_EQ(0, ring_cq_ready(&b));
	ring_exit(&b);
}

TEST_HARNESS_MAIN
