// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring_register(2): probe, eventfd, registered ring fds, and the
 * refusal to pass ring fds over unix sockets.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <linux/io_uring/query.h>

#include "../kselftest_harness.h"
#include "ring.h"

FIXTURE(ring) {
	struct ring r;
};

FIXTURE_SETUP(ring)
{
	ASSERT_EQ(0, ring_init(&self->r, 8, NULL));
}

FIXTURE_TEARDOWN(ring)
{
	ring_exit(&self->r);
}

struct probe_buf {
	struct io_uring_probe p;
	struct io_uring_probe_op ops[256];
};

TEST_F(ring, probe)
{
	struct probe_buf probe;
	int i;

	memset(&probe, 0, sizeof(probe));
	ASSERT_EQ(0, sys_register(self->r.fd, IORING_REGISTER_PROBE, &probe, 256));
	/* up to the last opcode implemented, which the header may pass */
	ASSERT_GE(IORING_OP_LAST - 1, probe.p.last_op);
	ASSERT_LE(IORING_OP_LISTEN, probe.p.last_op);
	ASSERT_EQ(probe.p.last_op + 1, probe.p.ops_len);
	ASSERT_TRUE(probe.p.ops[IORING_OP_NOP].flags & IO_URING_OP_SUPPORTED);
	for (i = 0; i < probe.p.ops_len; i++)
		ASSERT_EQ(i, probe.p.ops[i].op);
	/* fewer slots than ops: only those are filled */
	memset(&probe, 0, sizeof(probe));
	ASSERT_EQ(0, sys_register(self->r.fd, IORING_REGISTER_PROBE, &probe, 4));
	ASSERT_EQ(4, probe.p.ops_len);
	ASSERT_EQ(0, probe.p.ops[5].op);
}

TEST_F(ring, probe_bad_input)
{
	struct probe_buf probe;

	memset(&probe, 0, sizeof(probe));
	probe.p.resv = 1;
	ASSERT_EQ(-EINVAL, sys_register(self->r.fd, IORING_REGISTER_PROBE, &probe, 8));
	ASSERT_EQ(-EFAULT, sys_register(self->r.fd, IORING_REGISTER_PROBE, (void *)8, 8));
	ASSERT_EQ(-EINVAL, sys_register(self->r.fd, IORING_REGISTER_PROBE, NULL, 8));
	ASSERT_EQ(-EINVAL, sys_register(self->r.fd, IORING_REGISTER_PROBE, &probe, 1000));
}

TEST_F(ring, unknown_register_op)
{
	ASSERT_EQ(-EINVAL, sys_register(self->r.fd, IORING_REGISTER_LAST, NULL, 0));
	ASSERT_EQ(-EINVAL, sys_register(self->r.fd, 200, NULL, 0));
	ASSERT_EQ(-EBADF, sys_register(-1, IORING_REGISTER_PROBE, NULL, 0));
}

static uint64_t eventfd_count(int efd)
{
	uint64_t v = 0;

	if (read(efd, &v, sizeof(v)) != sizeof(v))
		return 0;
	return v;
}

TEST_F(ring, eventfd)
{
	int efd = eventfd(0, EFD_NONBLOCK);
	int bad = -1;

	ASSERT_GE(efd, 0);
	ASSERT_EQ(-EINVAL, sys_register(self->r.fd, IORING_REGISTER_EVENTFD, &efd, 2));
	ASSERT_EQ(-EBADF, sys_register(self->r.fd, IORING_REGISTER_EVENTFD, &bad, 1));
	ASSERT_EQ(-EFAULT, sys_register(self->r.fd, IORING_REGISTER_EVENTFD, (void *)8, 1));
	ASSERT_EQ(-ENXIO, sys_register(self->r.fd, IORING_UNREGISTER_EVENTFD, NULL, 0));
	ASSERT_EQ(0, sys_register(self->r.fd, IORING_REGISTER_EVENTFD, &efd, 1));
	ASSERT_EQ(-EBUSY, sys_register(self->r.fd, IORING_REGISTER_EVENTFD, &efd, 1));

	ring_nop(&self->r, 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_GE(eventfd_count(efd), 1);

	/* muted through the CQ ring flags */
	*self->r.cq_flags |= IORING_CQ_EVENTFD_DISABLED;
	ring_nop(&self->r, 2);
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, eventfd_count(efd));
	*self->r.cq_flags &= ~IORING_CQ_EVENTFD_DISABLED;

	ASSERT_EQ(-EINVAL, sys_register(self->r.fd, IORING_UNREGISTER_EVENTFD, &efd, 1));
	ASSERT_EQ(0, sys_register(self->r.fd, IORING_UNREGISTER_EVENTFD, NULL, 0));
	ring_nop(&self->r, 3);
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, eventfd_count(efd));
	close(efd);
}

TEST_F(ring, eventfd_async_skips_inline_completions)
{
	int efd = eventfd(0, EFD_NONBLOCK);

	ASSERT_EQ(0, sys_register(self->r.fd, IORING_REGISTER_EVENTFD_ASYNC, &efd, 1));
	ring_nop(&self->r, 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, eventfd_count(efd));
	close(efd);
}

TEST_F(ring, eventfd_closed_while_registered)
{
	int efd = eventfd(0, 0);

	ASSERT_EQ(0, sys_register(self->r.fd, IORING_REGISTER_EVENTFD, &efd, 1));
	close(efd);
	ring_nop(&self->r, 1);
	ASSERT_EQ(1, ring_submit(&self->r));
}

TEST_F(ring, registered_ring_fd)
{
	struct io_uring_rsrc_update up = { .offset = -1U, .data = self->r.fd };
	struct io_uring_cqe cqe;
	int idx;

	ASSERT_EQ(1, sys_register(self->r.fd, IORING_REGISTER_RING_FDS, &up, 1));
	idx = up.offset;
	ASSERT_LT(idx, 16);
	ring_nop(&self->r, 5);
	ASSERT_EQ(1, sys_enter(idx, ring_flush_sq(&self->r), 1,
			       IORING_ENTER_GETEVENTS | IORING_ENTER_REGISTERED_RING,
			       NULL, 0));
	ASSERT_TRUE(ring_peek_cqe(&self->r, &cqe, NULL));
	ASSERT_EQ(5, cqe.user_data);
	/* register through the registered index too */
	ASSERT_EQ(-EINVAL, sys_register(idx, IORING_REGISTER_LAST |
					IORING_REGISTER_USE_REGISTERED_RING, NULL, 0));
	ASSERT_EQ(0, sys_register(idx, IORING_REGISTER_PROBE |
				  IORING_REGISTER_USE_REGISTERED_RING,
				  &(struct probe_buf){ }, 1));
	/* the same slot again is busy */
	up.data = self->r.fd;
	ASSERT_EQ(-EBUSY, sys_register(self->r.fd, IORING_REGISTER_RING_FDS, &up, 1));

	up.data = 0;
	ASSERT_EQ(1, sys_register(self->r.fd, IORING_UNREGISTER_RING_FDS, &up, 1));
	ASSERT_EQ(-EBADF, sys_enter(idx, 0, 0, IORING_ENTER_REGISTERED_RING, NULL, 0));
}

TEST_F(ring, registered_ring_fd_bad_input)
{
	struct io_uring_rsrc_update up = { .offset = 16, .data = self->r.fd };
	int nullfd = open("/dev/null", O_RDONLY);

	ASSERT_EQ(-EINVAL, sys_register(self->r.fd, IORING_REGISTER_RING_FDS, &up, 1));
	up.offset = -1U;
	up.resv = 1;
	ASSERT_EQ(-EINVAL, sys_register(self->r.fd, IORING_REGISTER_RING_FDS, &up, 1));
	up.resv = 0;
	up.data = nullfd;
	ASSERT_EQ(-EOPNOTSUPP, sys_register(self->r.fd, IORING_REGISTER_RING_FDS, &up, 1));
	up.data = 100000;
	ASSERT_EQ(-EBADF, sys_register(self->r.fd, IORING_REGISTER_RING_FDS, &up, 1));
	ASSERT_EQ(-EINVAL, sys_register(self->r.fd, IORING_REGISTER_RING_FDS, &up, 17));
	ASSERT_EQ(-EINVAL, sys_register(self->r.fd, IORING_REGISTER_RING_FDS, &up, 0));
	ASSERT_EQ(-EFAULT, sys_register(self->r.fd, IORING_REGISTER_RING_FDS, (void *)8, 1));
	ASSERT_EQ(-EINVAL, sys_enter(16, 0, 0, IORING_ENTER_REGISTERED_RING, NULL, 0));
	ASSERT_EQ(-EBADF, sys_enter(3, 0, 0, IORING_ENTER_REGISTERED_RING, NULL, 0));
	close(nullfd);
}

TEST_F(ring, all_ring_slots)
{
	struct io_uring_rsrc_update up[17];
	int i;

	for (i = 0; i < 16; i++) {
		up[i].offset = -1U;
		up[i].resv = 0;
		up[i].data = self->r.fd;
	}
	ASSERT_EQ(16, sys_register(self->r.fd, IORING_REGISTER_RING_FDS, up, 16));
	up[0].offset = -1U;
	ASSERT_EQ(-EBUSY, sys_register(self->r.fd, IORING_REGISTER_RING_FDS, up, 1));
	/* left registered on purpose: exit must drop them */
}

TEST_F(ring, scm_rights_refuses_ring)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { };
	struct iovec iov = { .iov_base = "x", .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
	int sv[2];

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &self->r.fd, sizeof(int));
	ASSERT_EQ(-1, sendmsg(sv[0], &msg, 0));
	ASSERT_EQ(EINVAL, errno);
	close(sv[0]);
	close(sv[1]);
}

static long long now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Wait with an EXT_ARG timeout; returns enter's result. */
static int wait_ts(struct ring *r, unsigned int min, long long ns,
		   unsigned int flags, unsigned int min_wait_usec)
{
	struct __kernel_timespec ts = { .tv_sec = ns / 1000000000LL,
					.tv_nsec = ns % 1000000000LL };
	struct io_uring_getevents_arg arg = {
		.ts = (uintptr_t)&ts,
		.min_wait_usec = min_wait_usec,
	};

	return sys_enter(r->fd, 0, min, IORING_ENTER_GETEVENTS |
			 IORING_ENTER_EXT_ARG | flags, &arg, sizeof(arg));
}

TEST_F(ring, clock)
{
	struct io_uring_clock_register reg = { .clockid = CLOCK_BOOTTIME };
	long long t0;

	ASSERT_EQ(0, sys_register(self->r.fd, IORING_REGISTER_CLOCK, &reg, 0));
	/* an absolute timeout is read on the registered clock */
	t0 = now_ns(CLOCK_BOOTTIME);
	ASSERT_EQ(-ETIME, wait_ts(&self->r, 1, t0 + 20000000,
				  IORING_ENTER_ABS_TIMER, 0));
	ASSERT_LE(t0 + 20000000, now_ns(CLOCK_BOOTTIME));
	reg.clockid = CLOCK_MONOTONIC;
	ASSERT_EQ(0, sys_register(self->r.fd, IORING_REGISTER_CLOCK, &reg, 0));
	t0 = now_ns(CLOCK_MONOTONIC);
	ASSERT_EQ(-ETIME, wait_ts(&self->r, 1, t0 + 20000000,
				  IORING_ENTER_ABS_TIMER, 0));
	/* clocks that jump, reserved fields, nr_args, no arg */
	reg.clockid = CLOCK_REALTIME;
	ASSERT_EQ(-EINVAL, sys_register(self->r.fd, IORING_REGISTER_CLOCK, &reg, 0));
	reg.clockid = CLOCK_MONOTONIC;
	reg.__resv[1] = 1;
	ASSERT_EQ(-EINVAL, sys_register(self->r.fd, IORING_REGISTER_CLOCK, &reg, 0));
	reg.__resv[1] = 0;
	ASSERT_EQ(-EINVAL, sys_register(self->r.fd, IORING_REGISTER_CLOCK, &reg, 1));
	ASSERT_EQ(-EINVAL, sys_register(self->r.fd, IORING_REGISTER_CLOCK, NULL, 0));
	ASSERT_EQ(-EFAULT, sys_register(self->r.fd, IORING_REGISTER_CLOCK, (void *)8, 0));
}

TEST_F(ring, min_timeout)
{
	struct io_uring_cqe cqe;
	long long t0;

	ASSERT_TRUE(self->r.p.features & IORING_FEAT_MIN_TIMEOUT);
	/* one CQE there, four wanted: back after the 20ms window */
	ring_nop(&self->r, 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	t0 = now_ns(CLOCK_MONOTONIC);
	ASSERT_EQ(0, wait_ts(&self->r, 4, 5000000000LL, 0, 20000));
	ASSERT_GT(t0 + 1000000000LL, now_ns(CLOCK_MONOTONIC));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	/* none there: the window passes, then the overall timeout */
	t0 = now_ns(CLOCK_MONOTONIC);
	ASSERT_EQ(-ETIME, wait_ts(&self->r, 4, 60000000, 0, 10000));
	ASSERT_LE(t0 + 60000000, now_ns(CLOCK_MONOTONIC));
}

TEST_F(ring, napi)
{
	struct io_uring_napi napi = { .busy_poll_to = 100, .prefer_busy_poll = 1 };
	struct io_uring_napi out;
	int ret;

	ret = sys_register(self->r.fd, IORING_REGISTER_NAPI, &napi, 1);
	if (ret == -EOPNOTSUPP)
		SKIP(return, "kernel without CONFIG_NET_RX_BUSY_POLL");
	ASSERT_EQ(0, ret);
	/* the old settings come back */
	ASSERT_EQ(0, napi.busy_poll_to);
	napi = (struct io_uring_napi){ .busy_poll_to = 50 };
	ASSERT_EQ(0, sys_register(self->r.fd, IORING_REGISTER_NAPI, &napi, 1));
	ASSERT_EQ(100, napi.busy_poll_to);
	ASSERT_EQ(1, napi.prefer_busy_poll);
	/* a wait still works, busy polling or not */
	ring_nop(&self->r, 1);
	ASSERT_EQ(1, ring_submit_and_wait(&self->r, 1));
	memset(&out, 0xff, sizeof(out));
	ASSERT_EQ(0, sys_register(self->r.fd, IORING_UNREGISTER_NAPI, &out, 1));
	ASSERT_EQ(50, out.busy_poll_to);
	ASSERT_EQ(0, sys_register(self->r.fd, IORING_UNREGISTER_NAPI, NULL, 1));
	/* padding, reserved, nr_args */
	napi = (struct io_uring_napi){ .busy_poll_to = 1, .pad = { 1 } };
	ASSERT_EQ(-EINVAL, sys_register(self->r.fd, IORING_REGISTER_NAPI, &napi, 1));
	napi = (struct io_uring_napi){ .busy_poll_to = 1, .resv = 1 };
	ASSERT_EQ(-EINVAL, sys_register(self->r.fd, IORING_REGISTER_NAPI, &napi, 1));
	napi = (struct io_uring_napi){ .busy_poll_to = 1 };
	ASSERT_EQ(-EINVAL, sys_register(self->r.fd, IORING_REGISTER_NAPI, &napi, 0));
	ASSERT_EQ(-EINVAL, sys_register(self->r.fd, IORING_REGISTER_NAPI, NULL, 1));
}

TEST_F(ring, clone_buffers)
{
	struct io_uring_clone_buffers cb = { };
	struct io_uring_rsrc_update up = { .offset = -1U };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct ring dst, third;
	struct iovec iov[2];
	char *buf[2];
	int fds[2], idx, i;

	/* anonymous memory: file-backed pages cannot be registered */
	for (i = 0; i < 2; i++) {
		buf[i] = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, buf[i]);
		iov[i] = (struct iovec){ buf[i], 4096 };
	}

	ASSERT_EQ(0, ring_init(&dst, 8, NULL));
	ASSERT_EQ(0, ring_init(&third, 8, NULL));
	/* the source has none yet */
	cb.src_fd = self->r.fd;
	ASSERT_EQ(-ENXIO, sys_register(dst.fd, IORING_REGISTER_CLONE_BUFFERS, &cb, 1));
	ASSERT_EQ(0, sys_register(self->r.fd, IORING_REGISTER_BUFFERS, iov, 2));
	ASSERT_EQ(0, sys_register(dst.fd, IORING_REGISTER_CLONE_BUFFERS, &cb, 1));
	/* a second clone into a ring that has buffers */
	ASSERT_EQ(-EBUSY, sys_register(dst.fd, IORING_REGISTER_CLONE_BUFFERS, &cb, 1));
	/* the source lets go; the clone still works with the pages */
	ASSERT_EQ(0, sys_register(self->r.fd, IORING_UNREGISTER_BUFFERS, NULL, 0));
	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(5, write(fds[1], "clone", 5));
	sqe = ring_rw(&dst, IORING_OP_READ_FIXED, fds[0], buf[1], 5, 0, 1);
	sqe->buf_index = 1;
	ASSERT_EQ(0, ring_submit_one(&dst, &cqe));
	ASSERT_EQ(5, cqe.res);
	ASSERT_EQ(0, memcmp(buf[1], "clone", 5));
	/* from a registered ring index */
	up.data = dst.fd;
	ASSERT_EQ(1, sys_register(dst.fd, IORING_REGISTER_RING_FDS, &up, 1));
	idx = up.offset;
	cb.src_fd = idx;
	cb.flags = IORING_REGISTER_SRC_REGISTERED;
	ASSERT_EQ(0, sys_register(third.fd, IORING_REGISTER_CLONE_BUFFERS, &cb, 1));
	/* into a ring that has buffers (itself included); not a ring; bad
	 * flags, padding, nr_args
	 */
	cb = (struct io_uring_clone_buffers){ .src_fd = dst.fd };
	ASSERT_EQ(-EBUSY, sys_register(dst.fd, IORING_REGISTER_CLONE_BUFFERS, &cb, 1));
	cb.src_fd = fds[0];
	ASSERT_EQ(-EOPNOTSUPP, sys_register(self->r.fd, IORING_REGISTER_CLONE_BUFFERS, &cb, 1));
	cb.src_fd = dst.fd;
	cb.flags = 4;
	ASSERT_EQ(-EINVAL, sys_register(self->r.fd, IORING_REGISTER_CLONE_BUFFERS, &cb, 1));
	cb.flags = 0;
	cb.pad[2] = 1;
	ASSERT_EQ(-EINVAL, sys_register(self->r.fd, IORING_REGISTER_CLONE_BUFFERS, &cb, 1));
	cb.pad[2] = 0;
	ASSERT_EQ(-EINVAL, sys_register(self->r.fd, IORING_REGISTER_CLONE_BUFFERS, &cb, 0));
	/* the rings sharing the pages close one by one */
	ring_exit(&dst);
	ring_exit(&third);
	close(fds[0]);
	close(fds[1]);
}

/* Write 8 bytes of registered buffer @slot (at @addr) into a pipe. */
static int fixed_buf_first_bytes(struct ring *r, unsigned int slot,
				 void *addr, char out[8])
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int p[2], ret;

	if (pipe(p))
		return -errno;
	sqe = ring_rw(r, IORING_OP_WRITE_FIXED, p[1], addr, 8, 0, 9);
	sqe->buf_index = slot;
	ret = ring_submit_one(r, &cqe);
	if (!ret)
		ret = cqe.res;
	if (ret == 8 && read(p[0], out, 8) != 8)
		ret = -EIO;
	close(p[0]);
	close(p[1]);
	return ret;
}

/* 6.13: part of a table, at an offset, and over buffers already there */
TEST_F(ring, clone_buffers_partial_and_replace)
{
	struct io_uring_clone_buffers cb = { .src_fd = self->r.fd };
	struct iovec iov[4];
	struct ring dst;
	char *buf[4], out[8];
	int i;

	for (i = 0; i < 4; i++) {
		buf[i] = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, buf[i]);
		memset(buf[i], 'a' + i, 4096);
		iov[i] = (struct iovec){ buf[i], 4096 };
	}
	ASSERT_EQ(0, sys_register(self->r.fd, IORING_REGISTER_BUFFERS, iov, 4));
	ASSERT_EQ(0, ring_init(&dst, 8, NULL));

	/* source 1 and 2 into destination slots 2 and 3 */
	cb.src_off = 1;
	cb.dst_off = 2;
	cb.nr = 2;
	ASSERT_EQ(0, sys_register(dst.fd, IORING_REGISTER_CLONE_BUFFERS, &cb, 1));
	EXPECT_EQ(-EFAULT, fixed_buf_first_bytes(&dst, 0, buf[0], out));
	EXPECT_EQ(-EFAULT, fixed_buf_first_bytes(&dst, 1, buf[1], out));
	ASSERT_EQ(8, fixed_buf_first_bytes(&dst, 2, buf[1], out));
	EXPECT_EQ('b', out[0]);
	ASSERT_EQ(8, fixed_buf_first_bytes(&dst, 3, buf[2], out));
	EXPECT_EQ('c', out[0]);
	EXPECT_EQ(-EFAULT, fixed_buf_first_bytes(&dst, 4, buf[2], out));

	/* the destination has buffers: only with DST_REPLACE */
	cb.src_off = 3;
	cb.dst_off = 0;
	cb.nr = 1;
	EXPECT_EQ(-EBUSY, sys_register(dst.fd, IORING_REGISTER_CLONE_BUFFERS, &cb, 1));
	cb.flags = IORING_REGISTER_DST_REPLACE;
	ASSERT_EQ(0, sys_register(dst.fd, IORING_REGISTER_CLONE_BUFFERS, &cb, 1));
	ASSERT_EQ(8, fixed_buf_first_bytes(&dst, 0, buf[3], out));
	EXPECT_EQ('d', out[0]);
	ASSERT_EQ(8, fixed_buf_first_bytes(&dst, 2, buf[1], out));
	EXPECT_EQ('b', out[0]);
	/* over one that is there: slot 2 becomes source 0 */
	cb.src_off = 0;
	cb.dst_off = 2;
	ASSERT_EQ(0, sys_register(dst.fd, IORING_REGISTER_CLONE_BUFFERS, &cb, 1));
	ASSERT_EQ(8, fixed_buf_first_bytes(&dst, 2, buf[0], out));
	EXPECT_EQ('a', out[0]);
	ASSERT_EQ(8, fixed_buf_first_bytes(&dst, 3, buf[2], out));
	EXPECT_EQ('c', out[0]);

	/* ranges outside the source, or past the largest table */
	cb.src_off = 4;
	EXPECT_EQ(-EOVERFLOW, sys_register(dst.fd, IORING_REGISTER_CLONE_BUFFERS, &cb, 1));
	cb.src_off = 2;
	cb.nr = 3;
	EXPECT_EQ(-EOVERFLOW, sys_register(dst.fd, IORING_REGISTER_CLONE_BUFFERS, &cb, 1));
	cb.src_off = 0;
	cb.nr = 1;
	cb.dst_off = 1U << 14;
	EXPECT_EQ(-EINVAL, sys_register(dst.fd, IORING_REGISTER_CLONE_BUFFERS, &cb, 1));
	cb.dst_off = -1U;
	EXPECT_EQ(-EOVERFLOW, sys_register(dst.fd, IORING_REGISTER_CLONE_BUFFERS, &cb, 1));
	/* nr 0 means the whole table, with no offsets */
	cb.dst_off = 4;
	cb.nr = 0;
	EXPECT_EQ(-EINVAL, sys_register(dst.fd, IORING_REGISTER_CLONE_BUFFERS, &cb, 1));
	/* the table grows to hold what lands past its end */
	cb.src_off = 1;
	cb.nr = 3;
	ASSERT_EQ(0, sys_register(dst.fd, IORING_REGISTER_CLONE_BUFFERS, &cb, 1));
	ASSERT_EQ(8, fixed_buf_first_bytes(&dst, 6, buf[3], out));
	EXPECT_EQ('d', out[0]);
	EXPECT_EQ(-EFAULT, fixed_buf_first_bytes(&dst, 7, buf[3], out));

	/* the source goes; the clones keep the pages */
	ASSERT_EQ(0, sys_register(self->r.fd, IORING_UNREGISTER_BUFFERS, NULL, 0));
	ASSERT_EQ(8, fixed_buf_first_bytes(&dst, 0, buf[3], out));
	EXPECT_EQ('d', out[0]);
	ring_exit(&dst);
	for (i = 0; i < 4; i++)
		munmap(buf[i], 4096);
}

/* IORING_REGISTER_QUERY (6.15+): a chain of questions, with or without a ring */
TEST(query_without_and_with_a_ring)
{
	struct io_uring_query_opcode op;
	struct io_uring_query_scq scq;
	struct io_uring_query_hdr hdr[4];
	struct {
		struct io_uring_probe p;
		struct io_uring_probe_op ops[256];
	} probe;
	struct ring r;
	int i;

	memset(hdr, 0, sizeof(hdr));
	memset(&op, 0xff, sizeof(op));
	memset(&scq, 0xff, sizeof(scq));
	hdr[0].query_op = IO_URING_QUERY_OPCODES;
	hdr[0].query_data = (uintptr_t)&op;
	hdr[0].size = sizeof(op);
	hdr[0].next_entry = (uintptr_t)&hdr[1];
	hdr[1].query_op = IO_URING_QUERY_SCQ;
	hdr[1].query_data = (uintptr_t)&scq;
	hdr[1].size = sizeof(scq);
	hdr[1].next_entry = (uintptr_t)&hdr[2];
	/* an op we do not have, then one with reserved bits set */
	hdr[2].query_op = 1000;
	hdr[2].query_data = (uintptr_t)&scq;
	hdr[2].size = sizeof(scq);
	hdr[2].next_entry = (uintptr_t)&hdr[3];
	hdr[3].query_op = IO_URING_QUERY_OPCODES;
	hdr[3].query_data = (uintptr_t)&op;
	hdr[3].__resv[1] = 1;
	ASSERT_EQ(0, sys_register(-1, IORING_REGISTER_QUERY, hdr, 0));
	EXPECT_EQ(0, hdr[0].result);
	EXPECT_EQ(0, hdr[1].result);
	EXPECT_EQ(-EOPNOTSUPP, hdr[2].result);
	EXPECT_EQ(-EINVAL, hdr[3].result);

	/* what it says agrees with the probe and with setup */
	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	memset(&probe, 0, sizeof(probe));
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_PROBE, &probe, 256));
	EXPECT_EQ(probe.p.last_op + 1, op.nr_request_opcodes);
	EXPECT_EQ(r.p.features, op.feature_flags);
	EXPECT_TRUE(op.ring_setup_flags & IORING_SETUP_DEFER_TASKRUN);
	EXPECT_TRUE(op.enter_flags & IORING_ENTER_NO_IOWAIT);
	EXPECT_TRUE(op.sqe_flags & IOSQE_CQE_SKIP_SUCCESS);
	EXPECT_LT(IORING_REGISTER_QUERY, op.nr_register_opcodes);
	EXPECT_EQ(__IO_URING_QUERY_MAX, op.nr_query_opcodes);
	EXPECT_LT(0, scq.hdr_size);
	EXPECT_GE(r.p.cq_off.cqes, scq.hdr_size);
	EXPECT_LT(0, scq.hdr_alignment);

	/* through a ring too; a smaller struct gets what fits */
	memset(&op, 0, sizeof(op));
	hdr[0].size = 8;
	hdr[0].next_entry = 0;
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_QUERY, hdr, 0));
	EXPECT_EQ(0, hdr[0].result);
	EXPECT_EQ(8, hdr[0].size);
	EXPECT_LT(0, op.nr_request_opcodes);
	EXPECT_EQ(0, op.feature_flags);

	/* a chain that loops ends; nr_args; no header */
	hdr[0].next_entry = (uintptr_t)&hdr[0];
	EXPECT_EQ(-ERANGE, sys_register(-1, IORING_REGISTER_QUERY, hdr, 0));
	hdr[0].next_entry = 0;
	EXPECT_EQ(-EINVAL, sys_register(-1, IORING_REGISTER_QUERY, hdr, 1));
	/* an empty chain */
	EXPECT_EQ(0, sys_register(-1, IORING_REGISTER_QUERY, NULL, 0));
	hdr[0].next_entry = 8;
	EXPECT_EQ(-EFAULT, sys_register(-1, IORING_REGISTER_QUERY, hdr, 0));
	/* other ops still want a ring */
	EXPECT_EQ(-EBADF, sys_register(-1, IORING_REGISTER_PROBE, hdr, 0));
	for (i = 0; i < 4; i++)
		hdr[i].next_entry = 0;
	ring_exit(&r);
}

TEST_HARNESS_MAIN
