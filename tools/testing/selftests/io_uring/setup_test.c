// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring_setup(2): parameter validation, sizes, offsets, features and
 * the mmap() regions.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <poll.h>
#include <sys/uio.h>

#include "../kselftest_harness.h"
#include "ring.h"

static int setup_flags(unsigned int entries, unsigned int flags,
		       unsigned int cq_entries, struct io_uring_params *out)
{
	struct io_uring_params p = { .flags = flags, .cq_entries = cq_entries };
	int fd = sys_setup(entries, &p);

	if (out)
		*out = p;
	if (fd >= 0)
		close(fd);
	return fd < 0 ? fd : 0;
}

TEST(zero_entries)
{
	ASSERT_EQ(-EINVAL, setup_flags(0, 0, 0, NULL));
}

TEST(too_many_entries)
{
	struct io_uring_params p;

	ASSERT_EQ(-EINVAL, setup_flags(32769, 0, 0, NULL));
	ASSERT_EQ(0, setup_flags(32768, 0, 0, &p));
	ASSERT_EQ(32768, p.sq_entries);
	ASSERT_EQ(65536, p.cq_entries);
	ASSERT_EQ(0, setup_flags(100000, IORING_SETUP_CLAMP, 0, &p));
	ASSERT_EQ(32768, p.sq_entries);
}

TEST(rounds_to_power_of_two)
{
	struct io_uring_params p;

	ASSERT_EQ(0, setup_flags(5, 0, 0, &p));
	ASSERT_EQ(8, p.sq_entries);
	ASSERT_EQ(16, p.cq_entries);
	ASSERT_EQ(0, setup_flags(1, 0, 0, &p));
	ASSERT_EQ(1, p.sq_entries);
	ASSERT_EQ(2, p.cq_entries);
}

TEST(cqsize)
{
	struct io_uring_params p;

	ASSERT_EQ(0, setup_flags(8, IORING_SETUP_CQSIZE, 100, &p));
	ASSERT_EQ(8, p.sq_entries);
	ASSERT_EQ(128, p.cq_entries);
	/* zero, smaller than the SQ, or too big without CLAMP */
	ASSERT_EQ(-EINVAL, setup_flags(8, IORING_SETUP_CQSIZE, 0, NULL));
	ASSERT_EQ(-EINVAL, setup_flags(8, IORING_SETUP_CQSIZE, 4, NULL));
	ASSERT_EQ(-EINVAL, setup_flags(8, IORING_SETUP_CQSIZE, 65537, NULL));
	ASSERT_EQ(0, setup_flags(8, IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP,
				 1 << 20, &p));
	ASSERT_EQ(65536, p.cq_entries);
}

TEST(unknown_flags_and_resv)
{
	struct io_uring_params p = { };

	ASSERT_EQ(-EINVAL, setup_flags(4, 1U << 31, 0, NULL));
	ASSERT_EQ(-EINVAL, setup_flags(4, 1U << 20, 0, NULL));
	p.resv[1] = 1;
	ASSERT_EQ(-EINVAL, sys_setup(4, &p));
}

TEST(bad_params_pointer)
{
	ASSERT_EQ(-EFAULT, sys_setup(4, (struct io_uring_params *)8));
}

TEST(features_and_offsets)
{
	struct io_uring_params p = { };
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, 16, &p));
	ASSERT_TRUE(p.features & IORING_FEAT_SINGLE_MMAP);
	ASSERT_TRUE(p.features & IORING_FEAT_NODROP);
	ASSERT_TRUE(p.features & IORING_FEAT_EXT_ARG);
	ASSERT_EQ(15, *r.sq_mask);
	ASSERT_EQ(31, *r.cq_mask);
	ASSERT_EQ(16, *RING_U32(&r, p.sq_off.ring_entries));
	ASSERT_EQ(32, *RING_U32(&r, p.cq_off.ring_entries));
	ASSERT_EQ(0, *r.sq_head);
	ASSERT_EQ(0, *r.sq_tail);
	ASSERT_EQ(0, *r.cq_head);
	ASSERT_EQ(0, *r.cq_tail);
	ASSERT_EQ(0, *r.sq_flags);
	ASSERT_EQ(0, *r.cq_overflow);
	/* the ring fd is close-on-exec */
	ASSERT_EQ(FD_CLOEXEC, fcntl(r.fd, F_GETFD) & FD_CLOEXEC);
	ring_exit(&r);
}

TEST(mmap_regions)
{
	struct io_uring_params p = { };
	struct ring r;
	void *ptr;

	ASSERT_EQ(0, ring_init(&r, 8, &p));
	/* the CQ offset maps the same memory as the SQ ring */
	ptr = mmap(NULL, r.rings_sz, PROT_READ, MAP_SHARED, r.fd,
		   IORING_OFF_CQ_RING);
	ASSERT_NE(MAP_FAILED, ptr);
	ASSERT_EQ(0, memcmp(ptr, r.rings, r.rings_sz));
	munmap(ptr, r.rings_sz);
	/* an unknown offset */
	ptr = mmap(NULL, 4096, PROT_READ, MAP_SHARED, r.fd, 0x20000000ULL);
	ASSERT_EQ(MAP_FAILED, ptr);
	ring_exit(&r);
}

/*
 * Rings of a few pages are one contiguous block, bigger ones vmalloc'ed:
 * either way a mapping must fit in its region, may start at a page of it,
 * and keeps its pages after the ring is gone.
 */
TEST(ring_mappings_fit_their_region_and_outlive_the_ring)
{
	struct io_uring_params p = { };
	struct io_uring_cqe cqe;
	unsigned int *tail;
	size_t pg = getpagesize();
	struct ring r, big;
	void *ptr, *kept;

	ASSERT_EQ(0, ring_init(&r, 8, &p));
	/* past the end of the region */
	ptr = mmap(NULL, r.rings_sz + 64 * pg, PROT_READ, MAP_SHARED, r.fd,
		   IORING_OFF_SQ_RING);
	ASSERT_EQ(MAP_FAILED, ptr);
	ASSERT_EQ(EINVAL, errno);
	ptr = mmap(NULL, pg, PROT_READ, MAP_SHARED, r.fd,
		   IORING_OFF_SQES + 16 * pg);
	ASSERT_EQ(MAP_FAILED, ptr);
	/* a mapping kept past the ring's close */
	kept = mmap(NULL, r.rings_sz, PROT_READ, MAP_SHARED, r.fd,
		    IORING_OFF_CQ_RING);
	ASSERT_NE(MAP_FAILED, kept);
	ASSERT_NE(NULL, ring_nop(&r, 5));
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(5, cqe.user_data);
	tail = (unsigned int *)((char *)kept + p.cq_off.tail);
	ASSERT_EQ(1, *tail);
	ring_exit(&r);
	/* the ring is gone (or going): its pages are still ours */
	ASSERT_EQ(1, *tail);
	munmap(kept, r.rings_sz);

	/* big enough for vmalloc: the same behaviour */
	ASSERT_EQ(0, ring_init(&big, 4096, NULL));
	ASSERT_NE(NULL, ring_nop(&big, 6));
	ASSERT_EQ(0, ring_submit_one(&big, &cqe));
	ASSERT_EQ(6, cqe.user_data);
	ptr = mmap(NULL, big.sqes_sz + 64 * pg, PROT_READ, MAP_SHARED, big.fd,
		   IORING_OFF_SQES);
	ASSERT_EQ(MAP_FAILED, ptr);
	ring_exit(&big);
}

TEST(big_sqe_and_cqe_rings)
{
	struct io_uring_params p = {
		.flags = IORING_SETUP_SQE128 | IORING_SETUP_CQE32,
	};
	struct io_uring_cqe cqe;
	uint64_t big[2] = { 1, 1 };
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, 2, &p));
	ASSERT_NE(NULL, ring_nop(&r, 77));
	ASSERT_EQ(1, ring_submit_and_wait(&r, 1));
	ASSERT_TRUE(ring_peek_cqe(&r, &cqe, big));
	ASSERT_EQ(77, cqe.user_data);
	ASSERT_EQ(0, cqe.res);
	ASSERT_EQ(0, big[0]);
	ASSERT_EQ(0, big[1]);
	ring_exit(&r);
}

TEST(fdinfo)
{
	char path[64], buf[4096];
	struct ring r;
	ssize_t n;
	int fd;

	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	ASSERT_NE(NULL, ring_nop(&r, 1));
	ASSERT_EQ(1, ring_submit(&r));
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", r.fd);
	fd = open(path, O_RDONLY);
	ASSERT_GE(fd, 0);
	n = read(fd, buf, sizeof(buf) - 1);
	ASSERT_GT(n, 0);
	buf[n] = 0;
	close(fd);
	/* the format is ours, not ABI: another kernel may print otherwise */
	if (!strstr(buf, "Ops:"))
		SKIP(goto out, "fdinfo without per-opcode counters");
	ASSERT_NE(NULL, strstr(buf, "SqEntries:\t4"));
	ASSERT_NE(NULL, strstr(buf, "CqTail:\t1"));
	ASSERT_NE(NULL, strstr(buf, "NOP:\tsubmitted 1 completed 1"));
out:
	ring_exit(&r);
}

/* fdinfo lists registered files and buffers, personalities, polls and
 * the CQEs waiting on the overflow list.
 */
TEST(fdinfo_lists)
{
	struct io_uring_params p = { .flags = IORING_SETUP_CQSIZE,
				     .cq_entries = 2 };
	char path[64], *buf;
	struct io_uring_sqe *sqe;
	struct iovec iov;
	struct ring r;
	int fds[2], files[2], fd, i;
	ssize_t n;

	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(0, ring_init(&r, 2, &p));
	files[0] = fds[0];
	files[1] = -1;
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_FILES, files, 2));
	iov.iov_base = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, iov.iov_base);
	iov.iov_len = 4096;
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_BUFFERS, &iov, 1));
	ASSERT_LT(0, sys_register(r.fd, IORING_REGISTER_PERSONALITY, NULL, 0));
	sqe = ring_get_sqe(&r);
	sqe->opcode = IORING_OP_POLL_ADD;
	sqe->fd = fds[0];
	sqe->poll32_events = POLLIN;
	sqe->user_data = 0xabc;
	ASSERT_EQ(1, ring_submit(&r));
	/* three NOPs into a CQ of two: one waits on the overflow list */
	for (i = 0; i < 3; i++) {
		ring_nop(&r, 0x100 + i);
		ASSERT_EQ(1, ring_submit(&r));
	}
	buf = calloc(1, 65536);
	ASSERT_NE(NULL, buf);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", r.fd);
	fd = open(path, O_RDONLY);
	ASSERT_GE(fd, 0);
	n = read(fd, buf, 65535);
	close(fd);
	ASSERT_GT(n, 0);
	if (!strstr(buf, "Ops:"))
		SKIP(goto out, "fdinfo in another format");
	ASSERT_NE(NULL, strstr(buf, "UserFiles:\t2"));
	ASSERT_NE(NULL, strstr(buf, "    0: pipe:["));
	ASSERT_NE(NULL, strstr(buf, "UserBufs:\t1"));
	ASSERT_NE(NULL, strstr(buf, "Personalities:\t1"));
	ASSERT_NE(NULL, strstr(buf, "op=POLL_ADD user_data=0xabc"));
	ASSERT_NE(NULL, strstr(buf, "CqOverflowList:\t1"));
	ASSERT_NE(NULL, strstr(buf, "user_data=0x102 res=0"));
out:
	free(buf);
	ring_exit(&r);
	close(fds[0]);
	close(fds[1]);
}

TEST(many_rings)
{
	struct ring r;
	int i;

	for (i = 0; i < 200; i++) {
		ASSERT_EQ(0, ring_init(&r, 64, NULL));
		ASSERT_NE(NULL, ring_nop(&r, i));
		ASSERT_EQ(1, ring_submit(&r));
		ring_exit(&r);
	}
}

TEST_HARNESS_MAIN
