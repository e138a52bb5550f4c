// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_SETUP_CQE_MIXED (6.18): 16-byte CQE slots, a 32-byte CQE
 * (IORING_CQE_F_32) in two of them, and a skip CQE (IORING_CQE_F_SKIP)
 * where a 32-byte one would have wrapped. IORING_SETUP_SQE_MIXED (6.19):
 * 64-byte SQE slots, and NOP128/URING_CMD128 in two of them.
 */
#define _GNU_SOURCE
#include <stdlib.h>

#include "../kselftest_harness.h"
#include "ring.h"

#define MIXED	IORING_SETUP_CQE_MIXED

static int ring_init_mixed(struct ring *r, unsigned int sq, unsigned int cq,
			   unsigned int flags)
{
	struct io_uring_params p = {
		.flags = MIXED | IORING_SETUP_CQSIZE | flags,
		.cq_entries = cq,
	};

	return ring_init(r, sq, &p);
}

/* A NOP; with @big its CQE carries @e1 and @e2 in 32 bytes. */
static void nop(struct ring *r, uint64_t ud, int big, uint64_t e1, uint64_t e2)
{
	struct io_uring_sqe *sqe = ring_nop(r, ud);

	if (big) {
		sqe->nop_flags = IORING_NOP_CQE32;
		sqe->off = e1;
		sqe->addr = e2;
	}
}

/* The CQE in slot @pos of the CQ (a count, as head and tail are). */
static struct io_uring_cqe *slot(struct ring *r, unsigned int pos)
{
	return &r->cqes[pos & *r->cq_mask];
}

/* Take the next CQE: its slot position, or -1 if the CQ is empty. */
static long take(struct ring *r, struct io_uring_cqe *out)
{
	unsigned int head = *r->cq_head;

	if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
		return -1;
	*out = *slot(r, head);
	__atomic_store_n(r->cq_head, head + ((out->flags & IORING_CQE_F_32) ?
					     2 : 1), __ATOMIC_RELEASE);
	return head & *r->cq_mask;
}

TEST(setup_takes_one_size_or_both)
{
	struct io_uring_params p = {
		.flags = MIXED | IORING_SETUP_CQE32,
	};
	struct ring r;

	EXPECT_EQ(-EINVAL, sys_setup(4, &p));
	/* a 32-byte CQE takes two slots */
	EXPECT_EQ(-EOVERFLOW, ring_init_mixed(&r, 1, 1, 0));
	ASSERT_EQ(0, ring_init_mixed(&r, 1, 2, 0));
	EXPECT_EQ(2, r.p.cq_entries);
	ring_exit(&r);
}

TEST(small_and_big_cqes_share_the_ring)
{
	struct io_uring_cqe cqe;
	struct ring r;

	ASSERT_EQ(0, ring_init_mixed(&r, 4, 8, 0));
	nop(&r, 1, 0, 0, 0);
	nop(&r, 2, 1, 0x11, 0x22);
	nop(&r, 3, 0, 0, 0);
	ASSERT_EQ(3, ring_submit_and_wait(&r, 3));
	/* four slots for three CQEs */
	EXPECT_EQ(4, *r.cq_tail);
	ASSERT_EQ(0, take(&r, &cqe));
	EXPECT_EQ(1, cqe.user_data);
	EXPECT_EQ(0, cqe.flags);
	ASSERT_EQ(1, take(&r, &cqe));
	EXPECT_EQ(2, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	EXPECT_EQ(IORING_CQE_F_32, cqe.flags);
	EXPECT_EQ(0x11, slot(&r, 1)->big_cqe[0]);
	EXPECT_EQ(0x22, slot(&r, 1)->big_cqe[1]);
	ASSERT_EQ(3, take(&r, &cqe));
	EXPECT_EQ(3, cqe.user_data);
	EXPECT_EQ(-1, take(&r, &cqe));
	ring_exit(&r);
}

TEST(a_big_cqe_never_wraps_a_skip_cqe_fills_the_last_slot)
{
	struct io_uring_cqe cqe;
	struct ring r;
	int i;

	ASSERT_EQ(0, ring_init_mixed(&r, 8, 8, 0));
	for (i = 0; i < 7; i++)
		nop(&r, 10 + i, 0, 0, 0);
	ASSERT_EQ(7, ring_submit_and_wait(&r, 7));
	for (i = 0; i < 7; i++)
		ASSERT_EQ(i, take(&r, &cqe));
	nop(&r, 20, 1, 0x33, 0x44);
	ASSERT_EQ(1, ring_submit_and_wait(&r, 1));
	EXPECT_EQ(10, *r.cq_tail);
	ASSERT_EQ(7, take(&r, &cqe));
	EXPECT_EQ(0, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	EXPECT_EQ(IORING_CQE_F_SKIP, cqe.flags);
	ASSERT_EQ(0, take(&r, &cqe));
	EXPECT_EQ(20, cqe.user_data);
	EXPECT_EQ(IORING_CQE_F_32, cqe.flags);
	EXPECT_EQ(0x33, slot(&r, 8)->big_cqe[0]);
	EXPECT_EQ(0x44, slot(&r, 8)->big_cqe[1]);
	ring_exit(&r);
}

TEST(a_big_cqe_without_room_overflows_and_keeps_its_size)
{
	struct io_uring_cqe cqe;
	struct ring r;
	int i;

	ASSERT_EQ(0, ring_init_mixed(&r, 8, 8, 0));
	/* one slot left: not enough for 32 bytes */
	for (i = 0; i < 7; i++)
		nop(&r, i, 0, 0, 0);
	nop(&r, 40, 1, 0x55, 0x66);
	ASSERT_EQ(8, ring_submit(&r));
	/* and a small one behind it waits its turn */
	nop(&r, 41, 0, 0, 0);
	ASSERT_EQ(1, ring_submit(&r));
	/* the free last slot got its skip CQE already */
	EXPECT_EQ(8, *r.cq_tail);
	EXPECT_NE(0, *r.sq_flags & IORING_SQ_CQ_OVERFLOW);
	for (i = 0; i < 7; i++)
		ASSERT_EQ(i, take(&r, &cqe));
	/* in order, once there is room: the big one, then the small one */
	ASSERT_EQ(0, sys_enter(r.fd, 0, 0, IORING_ENTER_GETEVENTS, NULL, 0));
	EXPECT_EQ(0, *r.sq_flags & IORING_SQ_CQ_OVERFLOW);
	ASSERT_EQ(7, take(&r, &cqe));
	EXPECT_EQ(IORING_CQE_F_SKIP, cqe.flags);
	ASSERT_EQ(0, take(&r, &cqe));
	EXPECT_EQ(40, cqe.user_data);
	EXPECT_EQ(IORING_CQE_F_32, cqe.flags);
	EXPECT_EQ(0x55, slot(&r, 8)->big_cqe[0]);
	EXPECT_EQ(0x66, slot(&r, 8)->big_cqe[1]);
	ASSERT_EQ(2, take(&r, &cqe));
	EXPECT_EQ(41, cqe.user_data);
	ring_exit(&r);
}

/*
 * Regression: a 32-byte CQE at the last slot needed three free slots, which
 * a ring of two never has: it overflowed, and every CQE after it, for good.
 */
TEST(a_ring_of_two_slots_still_takes_big_cqes)
{
	struct io_uring_cqe cqe;
	struct ring r;

	ASSERT_EQ(0, ring_init_mixed(&r, 1, 2, 0));
	nop(&r, 1, 0, 0, 0);
	ASSERT_EQ(1, ring_submit_and_wait(&r, 1));
	ASSERT_EQ(0, take(&r, &cqe));
	/* tail at the last slot: the skip now, the CQE once slot 0 is free */
	nop(&r, 2, 1, 0x12, 0x34);
	ASSERT_EQ(1, ring_submit(&r));
	ASSERT_EQ(1, take(&r, &cqe));
	EXPECT_EQ(IORING_CQE_F_SKIP, cqe.flags);
	ASSERT_EQ(0, sys_enter(r.fd, 0, 1, IORING_ENTER_GETEVENTS, NULL, 0));
	ASSERT_EQ(0, take(&r, &cqe));
	EXPECT_EQ(2, cqe.user_data);
	EXPECT_EQ(IORING_CQE_F_32, cqe.flags);
	EXPECT_EQ(0x12, slot(&r, 2)->big_cqe[0]);
	EXPECT_EQ(0, *r.sq_flags & IORING_SQ_CQ_OVERFLOW);
	/* and again, from slot 0 this time, straight in */
	nop(&r, 3, 1, 0x56, 0x78);
	ASSERT_EQ(1, ring_submit_and_wait(&r, 1));
	ASSERT_EQ(0, take(&r, &cqe));
	EXPECT_EQ(3, cqe.user_data);
	EXPECT_EQ(0x78, slot(&r, 4)->big_cqe[1]);
	ring_exit(&r);
}

/*
 * IORING_MSG_RING_FLAGS_PASS puts user space's flags in the target's CQE:
 * IORING_CQE_F_32 makes it 32 bytes in a mixed ring, and nothing more than
 * a flag bit in any other (where there is no second slot to write).
 */
TEST(msg_ring_passing_the_32_byte_flag_gets_the_size_only_where_it_exists)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct ring src, mixed, plain;
	int i;

	ASSERT_EQ(0, ring_init(&src, 4, NULL));
	ASSERT_EQ(0, ring_init_mixed(&mixed, 4, 4, 0));
	ASSERT_EQ(0, ring_init(&plain, 2, NULL));
	for (i = 0; i < 8; i++) {
		sqe = ring_get_sqe(&src);
		sqe->opcode = IORING_OP_MSG_RING;
		sqe->fd = i < 4 ? plain.fd : mixed.fd;
		sqe->off = 100 + i;
		sqe->msg_ring_flags = IORING_MSG_RING_FLAGS_PASS;
		sqe->file_index = IORING_CQE_F_32;
		ASSERT_EQ(0, ring_submit_one(&src, &cqe));
		ASSERT_EQ(0, cqe.res);
	}
	/* plain: four 16-byte CQEs with the bit, in its four slots */
	EXPECT_EQ(4, *plain.cq_tail);
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(100 + i, plain.cqes[i].user_data);
		EXPECT_EQ(IORING_CQE_F_32, plain.cqes[i].flags);
	}
	/* mixed: two 32-byte CQEs fill it, the other two overflow */
	EXPECT_EQ(4, *mixed.cq_tail);
	EXPECT_NE(0, *mixed.sq_flags & IORING_SQ_CQ_OVERFLOW);
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(2 * i, take(&mixed, &cqe));
		EXPECT_EQ(104 + i, cqe.user_data);
		EXPECT_EQ(0, slot(&mixed, 2 * i)->big_cqe[0]);
	}
	ring_exit(&plain);
	ring_exit(&mixed);
	ring_exit(&src);
}

/* A resize moves big CQEs whole: a skip CQE goes before one that would wrap. */
TEST(resize_keeps_big_cqes_whole)
{
	struct io_uring_params p = {
		.flags = MIXED | IORING_SETUP_CQSIZE |
			 IORING_SETUP_DEFER_TASKRUN |
			 IORING_SETUP_SINGLE_ISSUER,
		.cq_entries = 16,
	};
	struct io_uring_cqe cqe;
	struct ring r;
	int i;

	/* head 3 in a 4-slot ring: the big CQE there would wrap */
	ASSERT_EQ(0, ring_init(&r, 8, &p));
	for (i = 0; i < 3; i++)
		nop(&r, i, 0, 0, 0);
	nop(&r, 3, 1, 0x77, 0x88);
	ASSERT_EQ(4, ring_submit_and_wait(&r, 4));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(i, take(&r, &cqe));
	ASSERT_EQ(0, ring_resize(&r, 4, 4, IORING_SETUP_CQSIZE));
	/* a skip in slot 3, the big CQE in slots 0-1: the tail moved by one */
	EXPECT_EQ(3, *r.cq_head);
	EXPECT_EQ(6, *r.cq_tail);
	ASSERT_EQ(3, take(&r, &cqe));
	EXPECT_EQ(IORING_CQE_F_SKIP, cqe.flags);
	ASSERT_EQ(0, take(&r, &cqe));
	EXPECT_EQ(3, cqe.user_data);
	EXPECT_EQ(IORING_CQE_F_32, cqe.flags);
	EXPECT_EQ(0x77, slot(&r, 4)->big_cqe[0]);
	EXPECT_EQ(0x88, slot(&r, 4)->big_cqe[1]);
	/* and the ring goes on from there */
	nop(&r, 9, 0, 0, 0);
	ASSERT_EQ(1, ring_submit_and_wait(&r, 1));
	ASSERT_EQ(2, take(&r, &cqe));
	EXPECT_EQ(9, cqe.user_data);
	ring_exit(&r);
}

/*
 * Two slots for a 128-byte SQE, as liburing takes them: a NOP first in the
 * last slot if the SQE would otherwise wrap (@pad_ud is its user_data).
 */
/*
 * A command that fails before its prep kept anything (bad flags, a
 * denied opcode) still posts a whole CQE: its second half is zero.
 */
TEST(a_command_failing_early_posts_a_clean_big_cqe)
{
	unsigned int flags[2] = { IORING_SETUP_CQE32, MIXED };
	struct io_uring_params p;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	uint64_t big[2];
	struct ring r;
	int i, j;

	for (i = 0; i < 2; i++) {
		p = (struct io_uring_params){ .flags = flags[i] };
		ASSERT_EQ(0, ring_init(&r, 4, &p));
		/* flags it does not know; a pad that must be 0 */
		for (j = 0; j < 2; j++) {
			sqe = ring_get_sqe(&r);
			sqe->opcode = IORING_OP_URING_CMD;
			if (j)
				sqe->__pad1 = 1;
			else
				sqe->uring_cmd_flags = 0x80000000;
			sqe->user_data = j + 1;
			ASSERT_EQ(1, ring_submit_and_wait(&r, 1));
			ASSERT_TRUE(ring_peek_cqe(&r, &cqe, big));
			ASSERT_EQ(j + 1, cqe.user_data);
			ASSERT_EQ(-EINVAL, cqe.res);
			ASSERT_EQ(0, big[0]);
			ASSERT_EQ(0, big[1]);
		}
		ring_exit(&r);
	}
}

static struct io_uring_sqe *get_sqe128(struct ring *r, uint64_t pad_ud)
{
	struct io_uring_sqe *sqe;

	if ((r->sqe_tail & *r->sq_mask) == *r->sq_mask)
		ring_nop(r, pad_ud);
	sqe = ring_get_sqe(r);
	if (sqe)
		ring_get_sqe(r);	/* its second half */
	return sqe;
}

static void nop128(struct ring *r, uint64_t ud)
{
	struct io_uring_sqe *sqe = get_sqe128(r, 999);

	sqe->opcode = IORING_OP_NOP128;
	sqe->user_data = ud;
}

TEST(sqe_mixed_setup_and_128_byte_opcodes_elsewhere)
{
	struct io_uring_params p = {
		.flags = IORING_SETUP_SQE_MIXED | IORING_SETUP_SQE128,
	};
	struct io_uring_cqe cqe;
	struct ring r;

	EXPECT_EQ(-EINVAL, sys_setup(4, &p));
	/* no second half on a ring of 64-byte SQEs */
	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	ring_nop(&r, 1)->opcode = IORING_OP_NOP128;
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	EXPECT_EQ(-EINVAL, cqe.res);
	ring_nop(&r, 2)->opcode = IORING_OP_URING_CMD128;
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	EXPECT_EQ(-EINVAL, cqe.res);
	ring_exit(&r);
	/* on a ring of 128-byte SQEs it is one SQE like any other */
	p.flags = IORING_SETUP_SQE128;
	ASSERT_EQ(0, ring_init(&r, 4, &p));
	ring_nop(&r, 3)->opcode = IORING_OP_NOP128;
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	EXPECT_EQ(0, cqe.res);
	EXPECT_EQ(1, *r.sq_head);
	ring_exit(&r);
}

FIXTURE(sqe_mixed) {
	struct ring r;
};

FIXTURE_VARIANT(sqe_mixed) {
	unsigned int flags;
};

FIXTURE_VARIANT_ADD(sqe_mixed, sq_array) { .flags = 0 };

FIXTURE_VARIANT_ADD(sqe_mixed, no_sq_array) {
	.flags = IORING_SETUP_NO_SQARRAY,
};

FIXTURE_SETUP(sqe_mixed)
{
	struct io_uring_params p = {
		.flags = IORING_SETUP_SQE_MIXED | variant->flags,
	};

	ASSERT_EQ(0, ring_init(&self->r, 8, &p));
}

FIXTURE_TEARDOWN(sqe_mixed)
{
	ring_exit(&self->r);
}

TEST_F(sqe_mixed, big_and_small_sqes_share_the_ring)
{
	struct ring *r = &self->r;
	struct io_uring_cqe cqe;
	int i;

	ring_nop(r, 1);
	nop128(r, 2);
	ring_nop(r, 3);
	/* four slots, three requests; the count is of slots */
	ASSERT_EQ(4, ring_submit_and_wait(r, 3));
	EXPECT_EQ(4, *r->sq_head);
	for (i = 1; i <= 3; i++) {
		ASSERT_EQ(0, ring_wait_cqe(r, &cqe));
		EXPECT_EQ(i, cqe.user_data);
		EXPECT_EQ(0, cqe.res);
	}
	/* across the wrap: slot 7 gets a NOP, the big one slots 0-1 */
	for (i = 0; i < 3; i++)
		ring_nop(r, 10 + i);
	nop128(r, 20);
	ASSERT_EQ(6, ring_submit_and_wait(r, 5));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, ring_wait_cqe(r, &cqe));
		EXPECT_EQ(10 + i, cqe.user_data);
	}
	ASSERT_EQ(0, ring_wait_cqe(r, &cqe));
	EXPECT_EQ(999, cqe.user_data);
	ASSERT_EQ(0, ring_wait_cqe(r, &cqe));
	EXPECT_EQ(20, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
}

TEST_F(sqe_mixed, a_big_sqe_without_its_second_slot_is_refused)
{
	struct ring *r = &self->r;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int i;

	/* in the last slot: its second half would be the ring's first */
	for (i = 0; i < 7; i++)
		ring_nop(r, i);
	ASSERT_EQ(7, ring_submit_and_wait(r, 7));
	for (i = 0; i < 7; i++)
		ASSERT_EQ(0, ring_wait_cqe(r, &cqe));
	sqe = ring_nop(r, 30);
	sqe->opcode = IORING_OP_NOP128;
	ring_nop(r, 31);
	/* a failed SQE ends the batch, as any does without SUBMIT_ALL */
	ASSERT_EQ(1, ring_submit_and_wait(r, 1));
	ASSERT_EQ(0, ring_wait_cqe(r, &cqe));
	EXPECT_EQ(30, cqe.user_data);
	EXPECT_EQ(-EINVAL, cqe.res);
	ASSERT_EQ(1, ring_submit_and_wait(r, 1));
	ASSERT_EQ(0, ring_wait_cqe(r, &cqe));
	EXPECT_EQ(31, cqe.user_data);
	EXPECT_EQ(0, cqe.res);

	/* submitted alone, without the slot after it */
	sqe = get_sqe128(r, 998);
	sqe->opcode = IORING_OP_NOP128;
	sqe->user_data = 32;
	ring_flush_sq(r);
	ASSERT_EQ(1, sys_enter(r->fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0));
	ASSERT_EQ(0, ring_wait_cqe(r, &cqe));
	EXPECT_EQ(32, cqe.user_data);
	EXPECT_EQ(-EINVAL, cqe.res);
	/* the slot left behind is then an SQE of its own: a zeroed NOP */
	ASSERT_EQ(1, sys_enter(r->fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0));
	ASSERT_EQ(0, ring_wait_cqe(r, &cqe));
	EXPECT_EQ(0, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
}

/* With an SQ array, the entry after a 128-byte SQE must name its second half. */
TEST_F(sqe_mixed, the_next_sq_entry_must_name_the_second_half)
{
	struct ring *r = &self->r;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	unsigned int tail = *r->sq_tail;

	if (variant->flags & IORING_SETUP_NO_SQARRAY)
		SKIP(return, "no SQ array");
	/* slot 0: NOP128; the next entry names slot 5, a NOP of its own */
	sqe = &r->sqes[0];
	memset(sqe, 0, 128);
	sqe->opcode = IORING_OP_NOP128;
	sqe->user_data = 40;
	memset(&r->sqes[5], 0, 64);
	r->sqes[5].opcode = IORING_OP_NOP;
	r->sqes[5].user_data = 41;
	r->sq_array[tail & *r->sq_mask] = 0;
	r->sq_array[(tail + 1) & *r->sq_mask] = 5;
	__atomic_store_n(r->sq_tail, tail + 2, __ATOMIC_RELEASE);
	r->sqe_tail = tail + 2;
	/* refused, having taken only its own entry; then slot 5 runs */
	ASSERT_EQ(1, sys_enter(r->fd, 2, 1, IORING_ENTER_GETEVENTS, NULL, 0));
	ASSERT_EQ(0, ring_wait_cqe(r, &cqe));
	EXPECT_EQ(40, cqe.user_data);
	EXPECT_EQ(-EINVAL, cqe.res);
	ASSERT_EQ(1, sys_enter(r->fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0));
	ASSERT_EQ(0, ring_wait_cqe(r, &cqe));
	EXPECT_EQ(41, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
}

TEST_HARNESS_MAIN
