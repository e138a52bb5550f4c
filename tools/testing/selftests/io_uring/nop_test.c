// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_NOP and request validation: user_data round trip, injected
 * results, bad opcodes and flags, batch behaviour, drain ordering.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include "../kselftest_harness.h"
#include "ring.h"

FIXTURE(ring) {
	struct ring r;
};

FIXTURE_SETUP(ring)
{
	ASSERT_EQ(0, ring_init(&self->r, 32, NULL));
}

FIXTURE_TEARDOWN(ring)
{
	ring_exit(&self->r);
}

TEST_F(ring, user_data_round_trip)
{
	static const uint64_t values[] = { 0, 1, ~0ULL, 0x8000000000000000ULL,
					   0xdeadbeefcafef00dULL };
	struct io_uring_cqe cqe;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(values); i++)
		ASSERT_NE(NULL, ring_nop(&self->r, values[i]));
	ASSERT_EQ(5, ring_submit_and_wait(&self->r, 5));
	ASSERT_EQ(5, ring_cq_ready(&self->r));
	for (i = 0; i < 5; i++) {
		ASSERT_TRUE(ring_peek_cqe(&self->r, &cqe, NULL));
		ASSERT_EQ(values[i], cqe.user_data);
		ASSERT_EQ(0, cqe.res);
		ASSERT_EQ(0, cqe.flags);
	}
	ASSERT_EQ(*self->r.sq_head, *self->r.sq_tail);
}

TEST_F(ring, inject_result)
{
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;

	sqe = ring_nop(&self->r, 1);
	sqe->nop_flags = IORING_NOP_INJECT_RESULT;
	sqe->len = (unsigned int)-EIO;
	sqe = ring_nop(&self->r, 2);
	sqe->nop_flags = IORING_NOP_INJECT_RESULT;
	sqe->len = 12345;
	ASSERT_EQ(2, ring_submit_and_wait(&self->r, 2));
	ASSERT_TRUE(ring_peek_cqe(&self->r, &cqe, NULL));
	ASSERT_EQ(-EIO, cqe.res);
	ASSERT_TRUE(ring_peek_cqe(&self->r, &cqe, NULL));
	ASSERT_EQ(12345, cqe.res);
}

TEST_F(ring, bad_nop_flags)
{
	struct io_uring_cqe cqe;

	ring_nop(&self->r, 3)->nop_flags = 1U << 9;
	ASSERT_EQ(1, ring_submit_and_wait(&self->r, 1));
	ASSERT_TRUE(ring_peek_cqe(&self->r, &cqe, NULL));
	ASSERT_EQ(3, cqe.user_data);
	ASSERT_EQ(-EINVAL, cqe.res);
}

TEST_F(ring, unknown_opcode)
{
	struct io_uring_cqe cqe;

	ring_nop(&self->r, 4)->opcode = IORING_OP_LAST;
	ring_nop(&self->r, 5)->opcode = 255;
	ASSERT_EQ(1, ring_submit_and_wait(&self->r, 1));
	ASSERT_TRUE(ring_peek_cqe(&self->r, &cqe, NULL));
	ASSERT_EQ(4, cqe.user_data);
	ASSERT_EQ(-EINVAL, cqe.res);
	/* the batch stopped at the bad SQE; the next one is still queued */
	ASSERT_EQ(1, ring_submit_and_wait(&self->r, 1));
	ASSERT_TRUE(ring_peek_cqe(&self->r, &cqe, NULL));
	ASSERT_EQ(5, cqe.user_data);
	ASSERT_EQ(-EINVAL, cqe.res);
}

/* Every opcode the probe calls unsupported must fail with -EINVAL. */
TEST_F(ring, unsupported_ops_match_probe)
{
	struct {
		struct io_uring_probe p;
		struct io_uring_probe_op ops[256];
	} probe;
	struct io_uring_cqe cqe;
	int op, n = 0;

	memset(&probe, 0, sizeof(probe));
	ASSERT_EQ(0, sys_register(self->r.fd, IORING_REGISTER_PROBE, &probe, 256));
	for (op = 0; op <= probe.p.last_op; op++) {
		if (probe.p.ops[op].flags & IO_URING_OP_SUPPORTED)
			continue;
		ring_nop(&self->r, op)->opcode = op;
		ASSERT_EQ(1, ring_submit_and_wait(&self->r, 1));
		ASSERT_TRUE(ring_peek_cqe(&self->r, &cqe, NULL));
		ASSERT_EQ(op, cqe.user_data);
		ASSERT_EQ(-EINVAL, cqe.res);
		n++;
	}
	TH_LOG("%d unsupported opcodes checked", n);
}

/*
 * The NOP test flags (6.13-6.18; liburing's numbers, not in the UAPI
 * header): each walks one path of a real op.
 */
#define NOP_FILE		(1U << 1)
#define NOP_FIXED_FILE		(1U << 2)
#define NOP_FIXED_BUFFER	(1U << 3)
#define NOP_TW			(1U << 4)

static int nop_flags_res(struct ring *r, unsigned int flags, int fd,
			 unsigned int buf_index)
{
	struct io_uring_sqe *sqe = ring_nop(r, 77);
	struct io_uring_cqe cqe;
	int ret;

	sqe->nop_flags = flags;
	sqe->fd = fd;
	sqe->buf_index = buf_index;
	ret = ring_submit_one(r, &cqe);
	if (ret)
		return ret;
	return cqe.user_data == 77 ? cqe.res : -ERANGE;
}

TEST_F(ring, nop_file_looks_up_the_fd)
{
	int fd = open("/dev/null", O_RDWR);

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, nop_flags_res(&self->r, NOP_FILE, fd, 0));
	EXPECT_EQ(-EBADF, nop_flags_res(&self->r, NOP_FILE, 9999, 0));
	EXPECT_EQ(-EBADF, nop_flags_res(&self->r, NOP_FILE, -1, 0));
	/* without NOP_FILE the fd means nothing */
	EXPECT_EQ(0, nop_flags_res(&self->r, 0, 9999, 0));
	close(fd);
}

TEST_F(ring, nop_fixed_file_looks_up_the_slot)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int fd = open("/dev/null", O_RDWR);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sys_register(self->r.fd, IORING_REGISTER_FILES, &fd, 1));
	EXPECT_EQ(0, nop_flags_res(&self->r, NOP_FILE | NOP_FIXED_FILE, 0, 0));
	EXPECT_EQ(-EBADF, nop_flags_res(&self->r, NOP_FILE | NOP_FIXED_FILE,
					999, 0));
	/* it only says which kind of lookup NOP_FILE does (as upstream) */
	EXPECT_EQ(0, nop_flags_res(&self->r, NOP_FIXED_FILE, 999, 0));
	/* IOSQE_FIXED_FILE says the same; from io-wq too */
	sqe = ring_nop(&self->r, 1);
	sqe->nop_flags = NOP_FILE;
	sqe->flags = IOSQE_FIXED_FILE | IOSQE_ASYNC;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	EXPECT_EQ(0, cqe.res);
	ASSERT_EQ(0, sys_register(self->r.fd, IORING_UNREGISTER_FILES, NULL, 0));
	EXPECT_EQ(-EBADF, nop_flags_res(&self->r, NOP_FILE | NOP_FIXED_FILE,
					0, 0));
	close(fd);
}

TEST_F(ring, nop_fixed_buffer_takes_the_registered_buffer)
{
	struct iovec iov = { .iov_len = 4096 };

	/* anonymous memory: a file-backed page may not be pinned long */
	iov.iov_base = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, iov.iov_base);
	EXPECT_EQ(-EFAULT, nop_flags_res(&self->r, NOP_FIXED_BUFFER, 0, 0));
	ASSERT_EQ(0, sys_register(self->r.fd, IORING_REGISTER_BUFFERS, &iov, 1));
	EXPECT_EQ(0, nop_flags_res(&self->r, NOP_FIXED_BUFFER, 0, 0));
	EXPECT_EQ(-EFAULT, nop_flags_res(&self->r, NOP_FIXED_BUFFER, 0, 999));
	ASSERT_EQ(0, sys_register(self->r.fd, IORING_UNREGISTER_BUFFERS,
				  NULL, 0));
	munmap(iov.iov_base, 4096);
}

TEST_F(ring, nop_tw_completes_from_task_work)
{
	struct io_uring_sqe *sqe;
	int res[8], i;

	for (i = 0; i < 8; i++) {
		sqe = ring_nop(&self->r, i);
		sqe->nop_flags = NOP_TW | IORING_NOP_INJECT_RESULT;
		sqe->len = 40 + i;
		/* half of them from an io worker */
		sqe->flags = (i & 1) ? IOSQE_ASYNC : 0;
	}
	ASSERT_EQ(8, ring_submit_and_wait(&self->r, 8));
	ASSERT_EQ(0, ring_reap(&self->r, 8, res, 8));
	for (i = 0; i < 8; i++)
		EXPECT_EQ(40 + i, res[i]);
}

TEST(nop_cqe32_fills_the_big_cqe)
{
	struct io_uring_params p = { .flags = IORING_SETUP_CQE32 };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	uint64_t big[2];
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, 8, &p));
	sqe = ring_nop(&r, 5);
	sqe->nop_flags = IORING_NOP_CQE32 | IORING_NOP_INJECT_RESULT;
	sqe->len = 3;
	sqe->off = 0xdeadbeef12345678ULL;
	sqe->addr = 0xabcdef0011223344ULL;
	ASSERT_EQ(1, ring_submit_and_wait(&r, 1));
	ASSERT_TRUE(ring_peek_cqe(&r, &cqe, big));
	EXPECT_EQ(5, cqe.user_data);
	EXPECT_EQ(3, cqe.res);
	EXPECT_EQ(0xdeadbeef12345678ULL, big[0]);
	EXPECT_EQ(0xabcdef0011223344ULL, big[1]);
	/* without the flag the extra words are zero */
	ring_nop(&r, 6)->off = 1;
	ASSERT_EQ(1, ring_submit_and_wait(&r, 1));
	ASSERT_TRUE(ring_peek_cqe(&r, &cqe, big));
	EXPECT_EQ(0, big[0]);
	EXPECT_EQ(0, big[1]);
	ring_exit(&r);

	/* a ring of 16-byte CQEs has no room for them */
	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	sqe = ring_nop(&r, 7);
	sqe->nop_flags = IORING_NOP_CQE32;
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	EXPECT_EQ(-EINVAL, cqe.res);
	ring_exit(&r);
}

/* The probe ends at the last opcode that works (newer user space sizes by it). */
TEST_F(ring, probe_ends_at_the_last_implemented_op)
{
	struct {
		struct io_uring_probe p;
		struct io_uring_probe_op ops[256];
	} probe;

	memset(&probe, 0, sizeof(probe));
	ASSERT_EQ(0, sys_register(self->r.fd, IORING_REGISTER_PROBE, &probe, 256));
	ASSERT_LT(probe.p.last_op, IORING_OP_LAST);
	EXPECT_EQ(probe.p.last_op + 1, probe.p.ops_len);
	EXPECT_TRUE(probe.p.ops[probe.p.last_op].flags & IO_URING_OP_SUPPORTED);
	EXPECT_TRUE(probe.p.ops[IORING_OP_NOP].flags & IO_URING_OP_SUPPORTED);
}

TEST_F(ring, bad_sqe_flags_stop_batch)
{
	struct io_uring_cqe cqe;

	ring_nop(&self->r, 1);
	ring_nop(&self->r, 2)->flags = 1U << 7;
	ring_nop(&self->r, 3);
	/* the failing SQE counts as consumed, the one after it is not */
	ASSERT_EQ(2, ring_submit(&self->r));
	ASSERT_EQ(1, *self->r.sq_tail - *self->r.sq_head);
	ASSERT_TRUE(ring_peek_cqe(&self->r, &cqe, NULL));
	ASSERT_EQ(1, cqe.user_data);
	ASSERT_EQ(0, cqe.res);
	ASSERT_TRUE(ring_peek_cqe(&self->r, &cqe, NULL));
	ASSERT_EQ(2, cqe.user_data);
	ASSERT_EQ(-EINVAL, cqe.res);
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_TRUE(ring_peek_cqe(&self->r, &cqe, NULL));
	ASSERT_EQ(3, cqe.user_data);
}

TEST(submit_all_continues)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SUBMIT_ALL };
	struct io_uring_cqe cqe;
	struct ring r;
	int i;

	ASSERT_EQ(0, ring_init(&r, 8, &p));
	ring_nop(&r, 1);
	ring_nop(&r, 2)->flags = 1U << 7;
	ring_nop(&r, 3);
	ASSERT_EQ(3, ring_submit(&r));
	for (i = 1; i <= 3; i++) {
		ASSERT_TRUE(ring_peek_cqe(&r, &cqe, NULL));
		ASSERT_EQ(i, cqe.user_data);
		ASSERT_EQ(i == 2 ? -EINVAL : 0, cqe.res);
	}
	ring_exit(&r);
}

TEST_F(ring, invalid_sq_index_is_dropped)
{
	struct io_uring_cqe cqe;
	unsigned int idx;

	ring_nop(&self->r, 1);
	idx = (self->r.sqe_tail - 1) & *self->r.sq_mask;
	self->r.sq_array[idx] = 1000;
	ring_nop(&self->r, 2);
	/* the bad slot is consumed and counted, not submitted; batch ends */
	ASSERT_EQ(0, ring_submit(&self->r));
	ASSERT_EQ(1, *self->r.sq_dropped);
	ASSERT_EQ(0, ring_cq_ready(&self->r));
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_TRUE(ring_peek_cqe(&self->r, &cqe, NULL));
	ASSERT_EQ(2, cqe.user_data);
}

TEST_F(ring, personality_not_registered)
{
	struct io_uring_cqe cqe;

	ring_nop(&self->r, 9)->personality = 1;
	ASSERT_EQ(1, ring_submit_and_wait(&self->r, 1));
	ASSERT_TRUE(ring_peek_cqe(&self->r, &cqe, NULL));
	ASSERT_EQ(-EINVAL, cqe.res);
}

TEST_F(ring, drain_and_async)
{
	struct io_uring_cqe cqe;
	int i;

	for (i = 0; i < 8; i++) {
		struct io_uring_sqe *sqe = ring_nop(&self->r, i);

		if (i == 4)
			sqe->flags |= IOSQE_IO_DRAIN;
		if (i & 1)
			sqe->flags |= IOSQE_ASYNC;
	}
	ASSERT_EQ(8, ring_submit_and_wait(&self->r, 8));
	/* async ones may finish in any order, but never across the drain */
	for (i = 0; i < 8; i++) {
		ASSERT_TRUE(ring_peek_cqe(&self->r, &cqe, NULL));
		ASSERT_EQ(0, cqe.res);
		/* group 0: before the drain, 1: the drain, 2: after it */
		ASSERT_EQ(i < 4 ? 0 : i == 4 ? 1 : 2,
			  cqe.user_data < 4 ? 0 : cqe.user_data == 4 ? 1 : 2);
	}
}

TEST_F(ring, sq_wraps_many_times)
{
	struct io_uring_cqe cqe;
	int i, j;

	for (i = 0; i < 1000; i++) {
		for (j = 0; j < 7; j++)
			ASSERT_NE(NULL, ring_nop(&self->r, i * 7 + j));
		ASSERT_EQ(7, ring_submit_and_wait(&self->r, 7));
		for (j = 0; j < 7; j++) {
			ASSERT_TRUE(ring_peek_cqe(&self->r, &cqe, NULL));
			ASSERT_EQ(i * 7 + j, cqe.user_data);
		}
	}
}

TEST_HARNESS_MAIN
