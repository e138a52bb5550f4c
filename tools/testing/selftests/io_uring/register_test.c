// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring_register(2): probe, eventfd, registered ring fds, and the
 * refusal to pass ring fds over unix sockets.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
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
	ASSERT_EQ(IORING_OP_LAST - 1, probe.p.last_op);
	ASSERT_EQ(IORING_OP_LAST, probe.p.ops_len);
	ASSERT_TRUE(probe.p.ops[IORING_OP_NOP].flags & IO_URING_OP_SUPPORTED);
	for (i = 0; i < IORING_OP_LAST; i++)
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

TEST_HARNESS_MAIN
