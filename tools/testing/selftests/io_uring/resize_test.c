// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_REGISTER_RESIZE_RINGS (6.13): new SQ and CQ rings for a
 * DEFER_TASKRUN ring in use, with what is pending in the old ones moved.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "ring.h"

#define DEFER	(IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER)

static int ring_init_defer(struct ring *r, unsigned int sq, unsigned int cq,
			   unsigned int flags)
{
	struct io_uring_params p = {
		.flags = DEFER | IORING_SETUP_CQSIZE | flags,
		.cq_entries = cq,
	};

	return ring_init(r, sq, &p);
}

static int resize_raw(int fd, unsigned int sq, unsigned int cq,
		      unsigned int flags)
{
	struct io_uring_params p = { .sq_entries = sq, .cq_entries = cq,
				     .flags = flags };

	return sys_register(fd, IORING_REGISTER_RESIZE_RINGS, &p, 1);
}

/* The next CQE's user_data and res, without waiting; -1 if none. */
static long long take_cqe(struct ring *r, int *res)
{
	struct io_uring_cqe cqe;

	if (!ring_peek_cqe(r, &cqe, NULL))
		return -1;
	if (res)
		*res = cqe.res;
	return cqe.user_data;
}

TEST(refused_without_defer_taskrun_or_with_bad_arguments)
{
	struct io_uring_params p = { .sq_entries = 8 };
	struct ring r;
	int status;
	pid_t pid;

	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	EXPECT_EQ(-EINVAL, resize_raw(r.fd, 16, 0, 0));
	ring_exit(&r);

	ASSERT_EQ(0, ring_init_defer(&r, 8, 16, 0));
	/* only CQSIZE and CLAMP: the rest comes from setup */
	EXPECT_EQ(-EINVAL, resize_raw(r.fd, 16, 0, IORING_SETUP_SQPOLL));
	EXPECT_EQ(-EINVAL, resize_raw(r.fd, 16, 64, IORING_SETUP_CQSIZE |
						    IORING_SETUP_CQE32));
	EXPECT_EQ(-EINVAL, resize_raw(r.fd, 16, 64, IORING_SETUP_CQSIZE |
						    IORING_SETUP_NO_SQARRAY));
	/* sizes as setup takes them */
	EXPECT_EQ(-EINVAL, resize_raw(r.fd, 0, 0, 0));
	EXPECT_EQ(-EINVAL, resize_raw(r.fd, 64, 16, IORING_SETUP_CQSIZE));
	EXPECT_EQ(-EINVAL, resize_raw(r.fd, 16, 0, IORING_SETUP_CQSIZE));
	EXPECT_EQ(-EINVAL, resize_raw(r.fd, 1U << 20, 0, 0));
	EXPECT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_RESIZE_RINGS,
					&p, 0));
	EXPECT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_RESIZE_RINGS,
					&p, 2));
	EXPECT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_RESIZE_RINGS,
					NULL, 1));
	EXPECT_EQ(-EFAULT, sys_register(r.fd, IORING_REGISTER_RESIZE_RINGS,
					(void *)8, 1));
	/* a single issuer's ring is resized by that issuer only */
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid)
		_exit(resize_raw(r.fd, 16, 0, 0) == -EEXIST ? 0 : 1);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* CLAMP caps what is too large, and the new sizes come back */
	ASSERT_EQ(0, ring_resize(&r, 1U << 20, 0, IORING_SETUP_CLAMP));
	EXPECT_EQ(32768, r.p.sq_entries);
	EXPECT_EQ(65536, r.p.cq_entries);
	EXPECT_EQ(32768, *RING_U32(&r, r.p.sq_off.ring_entries));
	EXPECT_EQ(65535, *r.cq_mask);
	ring_exit(&r);
}

/* Pending CQEs and unsubmitted SQEs survive a shrink and a growth. */
FIXTURE(pending) {
	struct ring r;
};

FIXTURE_VARIANT(pending) {
	unsigned int flags;
};

FIXTURE_VARIANT_ADD(pending, sq_array) { .flags = 0 };
FIXTURE_VARIANT_ADD(pending, no_sq_array) {
	.flags = IORING_SETUP_NO_SQARRAY,
};

FIXTURE_VARIANT_ADD(pending, big_sqes_and_cqes) {
	.flags = IORING_SETUP_SQE128 | IORING_SETUP_CQE32,
};

FIXTURE_SETUP(pending)
{
	ASSERT_EQ(0, ring_init_defer(&self->r, 16, 64, variant->flags));
}

FIXTURE_TEARDOWN(pending)
{
	ring_exit(&self->r);
}

TEST_F(pending, sqes_and_cqes_move_to_the_new_rings)
{
	struct ring *r = &self->r;
	unsigned int i;
	int res;

	/* head and tail start away from 0, so that they wrap differently */
	for (i = 0; i < 11; i++)
		ASSERT_NE(NULL, ring_nop(r, 900 + i));
	ASSERT_EQ(11, ring_submit_and_wait(r, 11));
	for (i = 0; i < 11; i++)
		ASSERT_EQ(900 + i, take_cqe(r, NULL));

	for (i = 0; i < 8; i++)
		ASSERT_NE(NULL, ring_nop(r, 100 + i));
	ASSERT_EQ(8, ring_submit_and_wait(r, 8));
	for (i = 0; i < 5; i++)
		ASSERT_NE(NULL, ring_nop(r, 200 + i));
	ring_flush_sq(r);

	ASSERT_EQ(0, ring_resize(r, 8, 8, IORING_SETUP_CQSIZE));
	EXPECT_EQ(8, r->p.sq_entries);
	EXPECT_EQ(8, r->p.cq_entries);
	EXPECT_EQ(7, *r->sq_mask);
	EXPECT_EQ(7, *r->cq_mask);
	/* the counters go on where they were */
	EXPECT_EQ(11, *r->cq_head);
	EXPECT_EQ(19, *r->cq_tail);
	EXPECT_EQ(19, *r->sq_head);
	EXPECT_EQ(24, *r->sq_tail);
	EXPECT_EQ(variant->flags & IORING_SETUP_NO_SQARRAY ? 0 : 1,
		  r->p.sq_off.array != 0);

	/* the CQEs, then the 5 queued SQEs submitted from the new ring */
	for (i = 0; i < 8; i++)
		ASSERT_EQ(100 + i, take_cqe(r, NULL));
	ASSERT_EQ(5, ring_submit_and_wait(r, 5));
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(200 + i, take_cqe(r, &res));
		EXPECT_EQ(0, res);
	}
	ASSERT_EQ(-1, take_cqe(r, NULL));

	/* and it grows back to take a larger batch */
	ASSERT_EQ(0, ring_resize(r, 64, 256, IORING_SETUP_CQSIZE));
	for (i = 0; i < 64; i++)
		ASSERT_NE(NULL, ring_nop(r, 300 + i));
	ASSERT_EQ(64, ring_submit_and_wait(r, 64));
	for (i = 0; i < 64; i++)
		ASSERT_EQ(300 + i, take_cqe(r, NULL));
}

TEST_F(pending, refused_when_pending_entries_would_not_fit)
{
	struct ring *r = &self->r;
	unsigned int i;

	for (i = 0; i < 10; i++)
		ASSERT_NE(NULL, ring_nop(r, i));
	ASSERT_EQ(10, ring_submit_and_wait(r, 10));
	for (i = 0; i < 5; i++)
		ASSERT_NE(NULL, ring_nop(r, 100 + i));
	ring_flush_sq(r);

	/* 5 SQEs in 4 slots; 10 CQEs in 8; both */
	EXPECT_EQ(-EOVERFLOW, ring_resize(r, 4, 64, IORING_SETUP_CQSIZE));
	EXPECT_EQ(-EOVERFLOW, ring_resize(r, 8, 8, IORING_SETUP_CQSIZE));
	EXPECT_EQ(-EOVERFLOW, ring_resize(r, 2, 4, IORING_SETUP_CQSIZE));
	/* the ring is as it was, mapped where it was */
	EXPECT_EQ(16, *RING_U32(r, r->p.sq_off.ring_entries));
	ASSERT_EQ(5, ring_submit_and_wait(r, 15));
	for (i = 0; i < 10; i++)
		ASSERT_EQ(i, take_cqe(r, NULL));
	for (i = 0; i < 5; i++)
		ASSERT_EQ(100 + i, take_cqe(r, NULL));
}

TEST(overflowed_cqes_move_into_the_larger_ring)
{
	struct ring r;
	unsigned int i, round;

	ASSERT_EQ(0, ring_init_defer(&r, 4, 4, 0));
	for (round = 0; round < 3; round++) {
		for (i = 0; i < 4; i++)
			ASSERT_NE(NULL, ring_nop(&r, round * 4 + i));
		ASSERT_EQ(4, ring_submit(&r));
	}
	ASSERT_EQ(4, ring_cq_ready(&r));
	ASSERT_NE(0, *r.sq_flags & IORING_SQ_CQ_OVERFLOW);

	ASSERT_EQ(0, ring_resize(&r, 4, 16, IORING_SETUP_CQSIZE));
	/* all 12, in order (ours moves them at once, upstream at the next enter) */
	ASSERT_EQ(0, sys_enter(r.fd, 0, 0, IORING_ENTER_GETEVENTS, NULL, 0));
	ASSERT_EQ(12, ring_cq_ready(&r));
	EXPECT_EQ(0, *r.sq_flags & IORING_SQ_CQ_OVERFLOW);
	for (i = 0; i < 12; i++)
		ASSERT_EQ(i, take_cqe(&r, NULL));
	ring_exit(&r);
}

/* User space that has not remapped yet reads the old rings, not freed memory. */
TEST(old_mappings_stay_readable_until_unmapped)
{
	void *old_rings, *old_sqes;
	size_t rings_sz, sqes_sz;
	struct ring r;
	unsigned int head;

	ASSERT_EQ(0, ring_init_defer(&r, 8, 16, 0));
	ASSERT_NE(NULL, ring_nop(&r, 7));
	ASSERT_EQ(1, ring_submit_and_wait(&r, 1));
	old_rings = mmap(NULL, r.rings_sz, PROT_READ, MAP_SHARED, r.fd,
			 IORING_OFF_SQ_RING);
	ASSERT_NE(MAP_FAILED, old_rings);
	rings_sz = r.rings_sz;
	old_sqes = mmap(NULL, r.sqes_sz, PROT_READ, MAP_SHARED, r.fd,
			IORING_OFF_SQES);
	ASSERT_NE(MAP_FAILED, old_sqes);
	sqes_sz = r.sqes_sz;

	ASSERT_EQ(0, ring_resize(&r, 64, 128, IORING_SETUP_CQSIZE));
	/* the old ring as it was left: the CQE still there, unreaped */
	head = *(unsigned int *)((char *)old_rings + r.p.cq_off.head);
	EXPECT_EQ(0, head);
	EXPECT_EQ(7, ((struct io_uring_cqe *)((char *)old_rings +
					      r.p.cq_off.cqes))[0].user_data);
	EXPECT_EQ(IORING_OP_NOP, ((struct io_uring_sqe *)old_sqes)[0].opcode);
	EXPECT_EQ(0, munmap(old_rings, rings_sz));
	EXPECT_EQ(0, munmap(old_sqes, sqes_sz));
	/* the new mapping is the ring's */
	EXPECT_EQ(7, take_cqe(&r, NULL));
	ring_exit(&r);
}

/* NO_MMAP: the new rings are user memory too, given in the offsets. */
TEST(no_mmap_rings_move_to_new_user_memory)
{
	struct io_uring_params p = {
		.flags = DEFER | IORING_SETUP_NO_MMAP,
	}, q = {};
	size_t len = 2 * 65536;
	char *mem, *mem2;
	unsigned int *tail;
	struct io_uring_cqe *cqes;
	int fd;

	mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mem2 = mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	ASSERT_NE(MAP_FAILED, mem2);
	p.cq_off.user_addr = (uintptr_t)mem;
	p.sq_off.user_addr = (uintptr_t)mem + 65536;
	fd = sys_setup(8, &p);
	ASSERT_GE(fd, 0);
	/* one NOP through the user memory rings */
	((struct io_uring_sqe *)(mem + 65536))[0] = (struct io_uring_sqe) {
		.opcode = IORING_OP_NOP, .user_data = 42,
	};
	((unsigned int *)(mem + p.sq_off.array))[0] = 0;
	*(unsigned int *)(mem + p.sq_off.tail) = 1;
	ASSERT_EQ(1, sys_enter(fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0));

	/* without addresses there is nothing to pin */
	EXPECT_EQ(-EFAULT, resize_raw(fd, 16, 0, 0));
	q.sq_entries = 16;
	q.sq_off.user_addr = (uintptr_t)mem2 + 65536;
	q.cq_off.user_addr = (uintptr_t)mem2;
	ASSERT_EQ(0, sys_register(fd, IORING_REGISTER_RESIZE_RINGS, &q, 1));
	EXPECT_EQ(16, q.sq_entries);
	EXPECT_EQ((uintptr_t)mem2, q.cq_off.user_addr);
	p = q;
	tail = (unsigned int *)(mem2 + p.cq_off.tail);
	cqes = (struct io_uring_cqe *)(mem2 + p.cq_off.cqes);
	EXPECT_EQ(16, *(unsigned int *)(mem2 + p.sq_off.ring_entries));
	EXPECT_EQ(1, *tail);
	EXPECT_EQ(42, cqes[0].user_data);
	close(fd);
	munmap(mem, len);
	munmap(mem2, len);
}

/*
 * Regression: the new rings' sizes came from the rings' own memory, which
 * with NO_MMAP is user memory. Overlapping the new SQEs with the new ring
 * header made the resize's SQE copy write 0x210 over sq_ring_entries and
 * cq_ring_entries, and CQEs then went past the end of the CQ.
 */
TEST(no_mmap_resize_keeps_its_sizes_whatever_user_memory_says)
{
	struct io_uring_params p = {
		.flags = DEFER | IORING_SETUP_NO_MMAP |
			 IORING_SETUP_NO_SQARRAY | IORING_SETUP_CQSIZE,
		.cq_entries = 16,
	}, q = {
		.sq_entries = 8, .cq_entries = 16, .flags = IORING_SETUP_CQSIZE,
	};
	struct io_uring_sqe *sqes;
	struct io_uring_cqe cqe;
	struct ring src;
	unsigned int i, so, co;
	char *old, *mem;
	int fd;

	old = mmap(NULL, 65536, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mem = mmap(NULL, 65536, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, old);
	ASSERT_NE(MAP_FAILED, mem);
	p.cq_off.user_addr = (uintptr_t)old;
	p.sq_off.user_addr = (uintptr_t)old + 32768;
	fd = sys_setup(8, &p);
	ASSERT_GE(fd, 0);
	/* queued SQEs up to the one whose bytes land on the two sizes */
	sqes = (struct io_uring_sqe *)(old + 32768);
	so = p.sq_off.ring_entries;
	co = p.cq_off.ring_entries;
	if (so / 64 != co / 64 || so / 64 >= 8)
		SKIP(return, "the sizes are not in one SQE slot");
	for (i = 0; i <= so / 64; i++)
		sqes[i] = (struct io_uring_sqe) { .opcode = IORING_OP_NOP };
	*(unsigned int *)((char *)&sqes[so / 64] + so % 64) = 0x210;
	*(unsigned int *)((char *)&sqes[co / 64] + co % 64) = 0x210;
	*(unsigned int *)(old + p.sq_off.tail) = so / 64 + 1;

	/* rings and SQEs at the same address */
	q.sq_off.user_addr = (uintptr_t)mem;
	q.cq_off.user_addr = (uintptr_t)mem;
	ASSERT_EQ(0, sys_register(fd, IORING_REGISTER_RESIZE_RINGS, &q, 1));
	ASSERT_EQ(0x210, *(unsigned int *)(mem + q.cq_off.ring_entries));

	/* 20 messages into a 16-entry CQ: 16 posted, the rest overflow */
	ASSERT_EQ(0, ring_init(&src, 4, NULL));
	for (i = 0; i < 20; i++) {
		struct io_uring_sqe *sqe = ring_get_sqe(&src);

		sqe->opcode = IORING_OP_MSG_RING;
		sqe->fd = fd;
		sqe->off = i;
		ASSERT_EQ(0, ring_submit_one(&src, &cqe));
		ASSERT_EQ(0, cqe.res);
	}
	EXPECT_EQ(16, *(unsigned int *)(mem + q.cq_off.tail));
	EXPECT_NE(0, *(unsigned int *)(mem + q.sq_off.flags) &
		     IORING_SQ_CQ_OVERFLOW);
	ring_exit(&src);
	close(fd);
	munmap(old, 65536);
	munmap(mem, 65536);
}

/* Readers and a MSG_RING sender on the ring while it is resized. */
struct resize_race {
	int fd;
	unsigned int nr;
	int stop;		/* the main thread is done */
	int sender_failed;	/* a MSG_RING that did not post */
	unsigned int polls;	/* polls and fdinfo reads that worked */
};

static void *send_msgs(void *arg)
{
	struct resize_race *rr = arg;
	struct io_uring_cqe cqe;
	struct ring src = { .fd = -1 };
	unsigned int i;

	if (ring_init(&src, 8, NULL)) {
		__atomic_store_n(&rr->sender_failed, 1, __ATOMIC_RELAXED);
		return (void *)1;
	}
	for (i = 0; i < rr->nr; i++) {
		struct io_uring_sqe *sqe = ring_get_sqe(&src);

		sqe->opcode = IORING_OP_MSG_RING;
		sqe->fd = rr->fd;
		sqe->off = 1000 + i;	/* the target CQE's user_data */
		if (ring_submit_one(&src, &cqe) || cqe.res != 0) {
			__atomic_store_n(&rr->sender_failed, 1,
					 __ATOMIC_RELAXED);
			ring_exit(&src);
			return (void *)2;
		}
	}
	ring_exit(&src);
	return NULL;
}

static void *poll_ring(void *arg)
{
	struct resize_race *rr = arg;
	char path[64], buf[4096];
	struct pollfd pfd = { .fd = rr->fd, .events = POLLIN | POLLOUT };
	int fd;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", rr->fd);
	while (!__atomic_load_n(&rr->stop, __ATOMIC_RELAXED)) {
		if (poll(&pfd, 1, 0) < 0)
			return (void *)1;
		fd = open(path, O_RDONLY);
		if (fd < 0 || read(fd, buf, sizeof(buf)) <= 0)
			return (void *)2;
		close(fd);
		rr->polls++;
	}
	return NULL;
}

TEST(resizes_race_with_msg_ring_posters_and_pollers)
{
	struct resize_race rr = { .nr = 2000 };
	unsigned char *seen;
	pthread_t sender, poller;
	unsigned int got = 0, i, round = 0, resized = 0;
	long long ud;
	void *ret;
	struct ring r;

	ASSERT_EQ(0, ring_init_defer(&r, 8, 64, 0));
	rr.fd = r.fd;
	seen = calloc(rr.nr, 1);
	ASSERT_NE(NULL, seen);
	ASSERT_EQ(0, pthread_create(&poller, NULL, poll_ring, &rr));
	ASSERT_EQ(0, pthread_create(&sender, NULL, send_msgs, &rr));
	while (got < rr.nr) {
		int err;

		/* sizes back and forth: 64 or 128 CQEs */
		err = ring_resize(&r, 8, 64 << (round++ & 1),
				  IORING_SETUP_CQSIZE);
		/* what arrived since the last reap may not fit the smaller */
		ASSERT_TRUE(!err || err == -EOVERFLOW);
		resized += !err;
		ASSERT_EQ(0, __atomic_load_n(&rr.sender_failed,
					     __ATOMIC_RELAXED));
		/* run the task_work and flush overflow: a CQE per message */
		ASSERT_LE(0, sys_enter(r.fd, 0, 0, IORING_ENTER_GETEVENTS,
				       NULL, 0));
		while ((ud = take_cqe(&r, NULL)) >= 0) {
			ASSERT_LE(1000, ud);
			ASSERT_GT(1000 + rr.nr, ud);
			ASSERT_EQ(0, seen[ud - 1000]);
			seen[ud - 1000] = 1;
			got++;
		}
	}
	ASSERT_EQ(0, pthread_join(sender, &ret));
	EXPECT_EQ(NULL, ret);
	__atomic_store_n(&rr.stop, 1, __ATOMIC_RELAXED);
	ASSERT_EQ(0, pthread_join(poller, &ret));
	EXPECT_EQ(NULL, ret);
	EXPECT_LT(0, rr.polls);
	/* every message once, and the ring did change size meanwhile */
	for (i = 0; i < rr.nr; i++)
		ASSERT_EQ(1, seen[i]);
	EXPECT_LT(1, resized);
	free(seen);
	ring_exit(&r);
}

TEST_HARNESS_MAIN
