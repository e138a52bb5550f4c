// SPDX-License-Identifier: GPL-2.0
/*
 * CQ overflow: nothing is lost, order is kept, the flag tracks the
 * backlog, and polling the ring fd reports what is there.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include "../kselftest_harness.h"
#include "ring.h"

TEST(overflow_keeps_everything_in_order)
{
	struct io_uring_cqe cqe;
	struct ring r;
	int i, j, seen = 0;

	/* 4 SQ entries, 8 CQ entries, 32 NOPs */
	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	for (i = 0; i < 8; i++) {
		for (j = 0; j < 4; j++)
			ring_nop(&r, i * 4 + j);
		ASSERT_EQ(4, ring_submit(&r));
	}
	ASSERT_EQ(8, ring_cq_ready(&r));
	ASSERT_TRUE(*r.sq_flags & IORING_SQ_CQ_OVERFLOW);
	ASSERT_EQ(0, *r.cq_overflow);
	while (seen < 32) {
		if (!ring_peek_cqe(&r, &cqe, NULL)) {
			/* an enter flushes the backlog into the ring */
			ASSERT_EQ(0, sys_enter(r.fd, 0, 1, IORING_ENTER_GETEVENTS,
					       NULL, 0));
			continue;
		}
		ASSERT_EQ(seen, cqe.user_data);
		seen++;
	}
	ASSERT_FALSE(*r.sq_flags & IORING_SQ_CQ_OVERFLOW);
	ASSERT_EQ(0, *r.cq_overflow);
	ring_exit(&r);
}

/* a full CQ with a backlog cannot grow: the wait returns instead of hanging */
TEST(wait_more_than_ring_with_backlog)
{
	struct ring r;
	int i;

	ASSERT_EQ(0, ring_init(&r, 2, NULL));
	for (i = 0; i < 3; i++) {
		ring_nop(&r, 2 * i);
		ring_nop(&r, 2 * i + 1);
		ASSERT_EQ(2, ring_submit(&r));
	}
	/* 4 in the ring, 2 in the backlog */
	ASSERT_EQ(0, sys_enter(r.fd, 0, 5, IORING_ENTER_GETEVENTS, NULL, 0));
	ASSERT_EQ(4, ring_cq_ready(&r));
	ASSERT_TRUE(*r.sq_flags & IORING_SQ_CQ_OVERFLOW);
	ring_exit(&r);
}

TEST(close_with_backlog)
{
	struct ring r;
	int i;

	/* the overflow list is freed with the ring (kmemleak checks) */
	ASSERT_EQ(0, ring_init(&r, 2, NULL));
	for (i = 0; i < 10; i++) {
		ring_nop(&r, i);
		ASSERT_EQ(1, ring_submit(&r));
	}
	ASSERT_TRUE(*r.sq_flags & IORING_SQ_CQ_OVERFLOW);
	ring_exit(&r);
}

TEST(poll_ring_fd)
{
	struct pollfd pfd;
	struct io_uring_cqe cqe;
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	pfd.fd = r.fd;
	pfd.events = POLLIN | POLLOUT;
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	ASSERT_EQ(POLLOUT, pfd.revents);
	ring_nop(&r, 1);
	ASSERT_EQ(1, ring_submit(&r));
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	ASSERT_EQ(POLLIN | POLLOUT, pfd.revents);
	ASSERT_TRUE(ring_peek_cqe(&r, &cqe, NULL));
	ring_exit(&r);
}

TEST_HARNESS_MAIN
