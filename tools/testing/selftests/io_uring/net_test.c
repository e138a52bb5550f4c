// SPDX-License-Identifier: GPL-2.0
/*
 * Socket ops (SOCKET, BIND, LISTEN, CONNECT, ACCEPT incl. multishot and
 * direct descriptors, SEND, RECV, SENDMSG, RECVMSG, SEND_ZC, SHUTDOWN),
 * SPLICE, TEE and EPOLL_CTL: results, bad input, and cancellation of
 * requests parked on a socket.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/epoll.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <linux/capability.h>
#include <linux/tcp.h>

#ifndef MSG_CMSG_COMPAT
#define MSG_CMSG_COMPAT	0x80000000
#endif

#include "../kselftest_harness.h"
#include "ring.h"

FIXTURE(net) {
	struct ring r;
	int sv[2];
};

FIXTURE_SETUP(net)
{
	ASSERT_EQ(0, ring_init(&self->r, 32, NULL));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, self->sv));
}

FIXTURE_TEARDOWN(net)
{
	ring_exit(&self->r);
	close(self->sv[0]);
	close(self->sv[1]);
}

static struct io_uring_sqe *prep(struct ring *r, int op, int fd, const void *addr,
				 unsigned int len, uint64_t ud)
{
	return ring_rw(r, op, fd, addr, len, 0, ud);
}

TEST_F(net, send_recv_waits_for_data)
{
	struct io_uring_cqe cqe;
	char buf[16];
	int res[8];

	/* a recv with nothing to read parks; the send wakes it */
	prep(&self->r, IORING_OP_RECV, self->sv[1], buf, sizeof(buf), 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_TRUE(ring_wait_polls(&self->r, 1, 2000));
	ASSERT_EQ(0, ring_cq_ready(&self->r));
	prep(&self->r, IORING_OP_SEND, self->sv[0], "hello", 5, 2);
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_reap(&self->r, 2, res, 8));
	ASSERT_EQ(5, res[2]);
	ASSERT_EQ(5, res[1]);
	ASSERT_EQ(0, memcmp(buf, "hello", 5));

	/* not a socket */
	prep(&self->r, IORING_OP_RECV, self->r.fd, buf, sizeof(buf), 3);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-ENOTSOCK, cqe.res);
	/* unknown ioprio flags */
	prep(&self->r, IORING_OP_SEND, self->sv[0], buf, 1, 4)->ioprio = 1U << 9;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	/* unmapped buffer */
	prep(&self->r, IORING_OP_SEND, self->sv[0], (void *)8, 4, 5);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EFAULT, cqe.res);
}

TEST_F(net, recv_waitall_and_sock_nonempty)
{
	struct io_uring_cqe cqe;
	char buf[16];
	int i;

	/* MSG_WAITALL: the whole buffer, across several sends */
	prep(&self->r, IORING_OP_RECV, self->sv[1], buf, 12, 1)->msg_flags =
		MSG_WAITALL;
	ASSERT_EQ(1, ring_submit(&self->r));
	for (i = 0; i < 3; i++) {
		int j;

		/* one chunk at a time: the receive has taken the last one */
		ASSERT_TRUE(ring_wait_polls(&self->r, 1, 2000));
		for (j = 0; j < 2000 && recv(self->sv[1], buf, 1,
					     MSG_PEEK | MSG_DONTWAIT) > 0; j++)
			usleep(1000);
		ASSERT_EQ(4, write(self->sv[0], "abcd", 4));
	}
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_EQ(12, cqe.res);
	ASSERT_EQ(0, memcmp(buf, "abcdabcdabcd", 12));

	/* poll first, and more data left behind */
	ASSERT_EQ(8, write(self->sv[0], "12345678", 8));
	prep(&self->r, IORING_OP_RECV, self->sv[1], buf, 4, 2)->ioprio =
		IORING_RECVSEND_POLL_FIRST;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(4, cqe.res);
	ASSERT_EQ(0, memcmp(buf, "1234", 4));
	ASSERT_EQ(4, read(self->sv[1], buf, 4));
}

TEST_F(net, sendmsg_recvmsg)
{
	struct iovec siov[2] = { { "ab", 2 }, { "cdef", 4 } }, riov[2];
	struct msghdr smsg = { .msg_iov = siov, .msg_iovlen = 2 };
	struct msghdr rmsg = { .msg_iov = riov, .msg_iovlen = 2 };
	char b1[3], b2[8];
	int res[8];

	riov[0].iov_base = b1;
	riov[0].iov_len = 3;
	riov[1].iov_base = b2;
	riov[1].iov_len = 8;
	prep(&self->r, IORING_OP_RECVMSG, self->sv[1], &rmsg, 1, 1);
	prep(&self->r, IORING_OP_SENDMSG, self->sv[0], &smsg, 1, 2);
	ASSERT_EQ(2, ring_submit_and_wait(&self->r, 2));
	ASSERT_EQ(0, ring_reap(&self->r, 2, res, 8));
	ASSERT_EQ(6, res[2]);
	ASSERT_EQ(6, res[1]);
	ASSERT_EQ(0, memcmp(b1, "abc", 3));
	ASSERT_EQ(0, memcmp(b2, "def", 3));

	/* the msghdr is read at submission: NULL faults */
	prep(&self->r, IORING_OP_SENDMSG, self->sv[0], NULL, 1, 3);
	ASSERT_EQ(1, ring_submit_and_wait(&self->r, 1));
	ASSERT_EQ(0, ring_reap(&self->r, 1, res, 8));
	ASSERT_EQ(-EFAULT, res[3]);
}

/* A connected loopback TCP pair. */
static int tcp_pair(int fds[2])
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof(addr);
	int lfd = socket(AF_INET, SOCK_STREAM, 0);

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    listen(lfd, 1) || getsockname(lfd, (struct sockaddr *)&addr, &len))
		return -1;
	fds[0] = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(fds[0], (struct sockaddr *)&addr, sizeof(addr)))
		return -1;
	fds[1] = accept(lfd, NULL, NULL);
	close(lfd);
	return fds[1] < 0 ? -1 : 0;
}

/* Fill @fd's send buffer (and the peer's receive one); returns the bytes sent. */
static size_t fill_send_buffer(int fd)
{
	static char junk[65536];
	size_t total = 0;
	ssize_t n;

	while ((n = send(fd, junk, sizeof(junk), MSG_DONTWAIT)) > 0)
		total += n;
	return total;
}

/*
 * Regression: a SEND that found no room parks in an internal poll. If
 * the peer has shut down its writing side, the socket reports EPOLLRDHUP
 * for good; counted as "ready", it had the send retried, fail and re-arm
 * for ever inside task_work, and the submitter could not even be
 * killed. Over a UNIX and a TCP socket: the send waits for room, and
 * completes whole once the peer has read.
 */
TEST_F(net, send_to_a_peer_that_stopped_sending_waits_for_room)
{
	static char big[1 << 16];
	char msg[4096], back[4096];
	struct io_uring_cqe cqe;
	size_t total, got;
	int fds[2], kind;
	ssize_t n;

	memset(msg, 'z', sizeof(msg));
	for (kind = 0; kind < 2; kind++) {
		if (kind == 0) {
			fds[0] = self->sv[0];
			fds[1] = self->sv[1];
		} else {
			ASSERT_EQ(0, tcp_pair(fds));
		}
		ASSERT_EQ(0, shutdown(fds[1], SHUT_WR));
		total = fill_send_buffer(fds[0]);
		ASSERT_LT(0, total);
		prep(&self->r, IORING_OP_SEND, fds[0], msg, sizeof(msg), 1);
		ASSERT_EQ(1, ring_submit(&self->r));
		ASSERT_TRUE(ring_wait_polls(&self->r, 1, 2000));
		ASSERT_EQ(0, ring_cq_ready(&self->r));
		/* the peer reads what was there: room, and the send goes */
		for (got = 0; got < total; got += n) {
			n = recv(fds[1], big, total - got < sizeof(big) ?
				 total - got : sizeof(big), 0);
			ASSERT_LT(0, n);
		}
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		ASSERT_EQ(1, cqe.user_data);
		ASSERT_EQ(sizeof(msg), cqe.res);
		for (got = 0; got < sizeof(msg); got += n) {
			n = recv(fds[1], back + got, sizeof(back) - got, 0);
			ASSERT_LT(0, n);
		}
		ASSERT_EQ(0, memcmp(back, msg, sizeof(msg)));
		ASSERT_EQ(0, ring_polls_armed(&self->r));
		if (kind == 1) {
			close(fds[0]);
			close(fds[1]);
		}
	}
}

TEST_F(net, send_zc_posts_notification)
{
	struct iovec iov[2] = { { "zero", 4 }, { "msg!", 4 } };
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2 };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	char buf[8];
	int tcp[2];

	ASSERT_EQ(0, tcp_pair(tcp));
	prep(&self->r, IORING_OP_SEND_ZC, tcp[0], "zerocopy", 8, 1)->ioprio =
		IORING_SEND_ZC_REPORT_USAGE;
	ASSERT_EQ(1, ring_submit_and_wait(&self->r, 2));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_EQ(8, cqe.res);
	ASSERT_TRUE(cqe.flags & IORING_CQE_F_MORE);
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_EQ(1, cqe.user_data);
	ASSERT_TRUE(cqe.flags & IORING_CQE_F_NOTIF);
	/* loopback data is always copied (on 6.12 too) */
	ASSERT_EQ(IORING_NOTIF_USAGE_ZC_COPIED, (unsigned int)cqe.res);
	ASSERT_EQ(8, recv(tcp[1], buf, 8, MSG_WAITALL));
	ASSERT_EQ(0, memcmp(buf, "zerocopy", 8));

	/* a notification cannot be skipped */
	prep(&self->r, IORING_OP_SEND_ZC, tcp[0], "x", 1, 2)->flags =
		IOSQE_CQE_SKIP_SUCCESS;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	/* unix sockets have no zero copy; the notification still comes */
	prep(&self->r, IORING_OP_SEND_ZC, self->sv[0], "x", 1, 3);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EOPNOTSUPP, cqe.res);
	ASSERT_TRUE(cqe.flags & IORING_CQE_F_MORE);
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_EQ(3, cqe.user_data);
	ASSERT_TRUE(cqe.flags & IORING_CQE_F_NOTIF);

	/* SENDMSG_ZC: a msghdr, the same two CQEs */
	sqe = prep(&self->r, IORING_OP_SENDMSG_ZC, tcp[0], NULL, 0, 4);
	sqe->addr = (uintptr_t)&msg;
	sqe->len = 1;
	ASSERT_EQ(1, ring_submit_and_wait(&self->r, 2));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_EQ(4, cqe.user_data);
	ASSERT_EQ(8, cqe.res);
	ASSERT_TRUE(cqe.flags & IORING_CQE_F_MORE);
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_TRUE(cqe.flags & IORING_CQE_F_NOTIF);
	ASSERT_EQ(8, recv(tcp[1], buf, 8, MSG_WAITALL));
	ASSERT_EQ(0, memcmp(buf, "zeromsg!", 8));
	/* a bad msghdr pointer */
	sqe = prep(&self->r, IORING_OP_SENDMSG_ZC, tcp[0], NULL, 0, 5);
	sqe->addr = 8;
	sqe->len = 1;
	ASSERT_LE(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_EQ(5, cqe.user_data);
	ASSERT_EQ(-EFAULT, cqe.res);
	close(tcp[0]);
	close(tcp[1]);
}

/*
 * A SEND_ZC of @len bytes at @buf that MSG_MORE holds in the socket's
 * queue (the skb keeps the page): 0 once its result CQE says it all went
 * and a notification follows, else which check failed.
 */
static int send_zc_corked(struct ring *r, int fd, char *buf, unsigned int len,
			  uint64_t user_data)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;

	sqe = prep(r, IORING_OP_SEND_ZC, fd, buf, len, user_data);
	sqe->msg_flags = MSG_MORE;
	sqe->ioprio = IORING_SEND_ZC_REPORT_USAGE;
	if (ring_submit_one(r, &cqe))
		return -1;
	if (cqe.user_data != user_data)
		return -2;
	if (cqe.res != (int)len)
		return -3;
	return cqe.flags & IORING_CQE_F_MORE ? 0 : -4;
}

/*
 * The @len bytes corked at @buf are still the user's pages: rewrite them
 * with 'b', push them out behind a '!' and check that the peer gets the
 * new bytes.
 */
static bool corked_pages_go_out(int tcp[2], char *buf, size_t len)
{
	char rbuf[4097];
	size_t i;

	memset(buf, 'b', len);
	if (len >= sizeof(rbuf) || send(tcp[0], "!", 1, 0) != 1 ||
	    recv(tcp[1], rbuf, len + 1, MSG_WAITALL) != (ssize_t)len + 1)
		return false;
	for (i = 0; i < len; i++)
		if (rbuf[i] != 'b')
			return false;
	return rbuf[len] == '!';
}

/*
 * True zero copy: a send that MSG_MORE holds in the socket's queue keeps
 * the user's page in its skb. What the peer gets is what the page holds
 * when the data finally goes out, and the notification waits for that.
 */
TEST_F(net, send_zc_sends_the_users_pages)
{
	struct io_uring_cqe cqe;
	char *buf;
	int tcp[2];

	buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	memset(buf, 'a', 100);
	ASSERT_EQ(0, tcp_pair(tcp));
	ASSERT_EQ(0, send_zc_corked(&self->r, tcp[0], buf, 100, 1));
	/* task_work run, and still no notification: the skb has the page */
	ASSERT_EQ(0, sys_enter(self->r.fd, 0, 0, IORING_ENTER_GETEVENTS,
			       NULL, 0));
	ASSERT_EQ(0, ring_cq_ready(&self->r));
	/* what the peer gets is what the page holds when it goes out */
	ASSERT_TRUE(corked_pages_go_out(tcp, buf, 100));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_EQ(1, cqe.user_data);
	ASSERT_TRUE(cqe.flags & IORING_CQE_F_NOTIF);
	/* loopback copies at delivery, so the report says copied */
	ASSERT_EQ(IORING_NOTIF_USAGE_ZC_COPIED, (unsigned int)cqe.res);
	close(tcp[0]);
	close(tcp[1]);
	munmap(buf, 4096);
}

/*
 * A notification the network stack holds (the data waits in the queue of
 * a socket another process keeps open) holds up neither the task's exit
 * nor the ring's close; it comes once the data is sent.
 */
TEST_F(net, send_zc_notification_does_not_hold_up_exit)
{
	struct timespec ts = { 0, 10000000 };
	char rbuf[65];
	int tcp[2], status, i;
	pid_t pid;

	ASSERT_EQ(0, tcp_pair(tcp));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct io_uring_cqe cqe;
		struct ring r;
		char *buf = malloc(64);

		memset(buf, 'z', 64);
		if (ring_init(&r, 8, NULL))
			_exit(2);
		prep(&r, IORING_OP_SEND_ZC, tcp[0], buf, 64, 1)->msg_flags =
			MSG_MORE;
		if (ring_submit_one(&r, &cqe) || cqe.res != 64 ||
		    !(cqe.flags & IORING_CQE_F_MORE))
			_exit(3);
		_exit(0);	/* the ring and the notification left behind */
	}
	for (i = 0; i < 3000; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		nanosleep(&ts, NULL);
	}
	ASSERT_LT(i, 3000);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(1, send(tcp[0], "!", 1, 0));
	ASSERT_EQ(65, recv(tcp[1], rbuf, 65, MSG_WAITALL));
	ASSERT_EQ('z', rbuf[0]);
	close(tcp[0]);
	close(tcp[1]);
}

/* socket, bind, listen, connect, accept (plain, multishot, direct) */
TEST_F(net, tcp_setup_through_the_ring)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t alen = sizeof(addr);
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int lfd, cfd[3], files[4] = { -1, -1, -1, -1 }, i, res[32];

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sqe = ring_get_sqe(&self->r);
	sqe->opcode = IORING_OP_SOCKET;
	sqe->fd = AF_INET;
	sqe->off = SOCK_STREAM | SOCK_CLOEXEC;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_LE(0, cqe.res);
	lfd = cqe.res;
	ASSERT_EQ(FD_CLOEXEC, fcntl(lfd, F_GETFD));

	sqe = prep(&self->r, IORING_OP_BIND, lfd, &addr, 0, 1);
	sqe->addr2 = sizeof(addr);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(0, cqe.res);
	prep(&self->r, IORING_OP_LISTEN, lfd, NULL, 8, 2);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(0, cqe.res);
	ASSERT_EQ(0, getsockname(lfd, (struct sockaddr *)&addr, &alen));

	/* multishot accept into direct descriptors, slots allocated */
	ASSERT_EQ(0, sys_register(self->r.fd, IORING_REGISTER_FILES, files, 4));
	sqe = prep(&self->r, IORING_OP_ACCEPT, lfd, NULL, 0, 3);
	sqe->ioprio = IORING_ACCEPT_MULTISHOT;
	sqe->file_index = IORING_FILE_INDEX_ALLOC;
	ASSERT_EQ(1, ring_submit(&self->r));

	for (i = 0; i < 3; i++) {
		cfd[i] = socket(AF_INET, SOCK_STREAM, 0);
		ASSERT_LE(0, cfd[i]);
		sqe = prep(&self->r, IORING_OP_CONNECT, cfd[i], &addr, 0, 10 + i);
		sqe->addr2 = sizeof(addr);
	}
	ASSERT_EQ(3, ring_submit(&self->r));
	memset(res, 0x7f, sizeof(res));
	for (i = 0; i < 6; i++) {
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		if (cqe.user_data == 3) {
			/* a slot index, with more to come */
			ASSERT_LE(0, cqe.res);
			ASSERT_GT(4, cqe.res);
			ASSERT_TRUE(cqe.flags & IORING_CQE_F_MORE);
		} else {
			ASSERT_EQ(0, cqe.res);
		}
	}
	/* the fixed slots hold connected sockets: send through one */
	sqe = prep(&self->r, IORING_OP_SEND, 0, "x", 1, 4);
	sqe->flags = IOSQE_FIXED_FILE;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(1, cqe.res);

	/* a fourth slot, then the table is full: the multishot ends */
	cfd[0] = socket(AF_INET, SOCK_STREAM, 0);
	sqe = prep(&self->r, IORING_OP_CONNECT, cfd[0], &addr, 0, 20);
	sqe->addr2 = sizeof(addr);
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_reap(&self->r, 2, res, 21));
	ASSERT_EQ(0, res[20]);
	close(cfd[0]);
	cfd[0] = socket(AF_INET, SOCK_STREAM, 0);
	sqe = prep(&self->r, IORING_OP_CONNECT, cfd[0], &addr, 0, 21);
	sqe->addr2 = sizeof(addr);
	ASSERT_EQ(1, ring_submit(&self->r));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		if (cqe.user_data == 3) {
			ASSERT_EQ(-ENFILE, cqe.res);
			ASSERT_FALSE(cqe.flags & IORING_CQE_F_MORE);
		}
	}
	for (i = 0; i < 3; i++)
		close(cfd[i]);

	/* connect to a port nobody listens on */
	close(lfd);
	cfd[0] = socket(AF_INET, SOCK_STREAM, 0);
	sqe = prep(&self->r, IORING_OP_CONNECT, cfd[0], &addr, 0, 30);
	sqe->addr2 = sizeof(addr);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-ECONNREFUSED, cqe.res);
	close(cfd[0]);
}

TEST_F(net, accept_bad_input_and_cancel)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int lfd, res[8];
	struct sockaddr_in addr = { .sin_family = AF_INET };

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, bind(lfd, (struct sockaddr *)&addr, sizeof(addr)));
	/* unknown accept flags; CLOEXEC into a fixed slot */
	prep(&self->r, IORING_OP_ACCEPT, lfd, NULL, 0, 1)->accept_flags = 1U << 30;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	sqe = prep(&self->r, IORING_OP_ACCEPT, lfd, NULL, 0, 2);
	sqe->accept_flags = SOCK_CLOEXEC;
	sqe->file_index = 1;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	/* not listening */
	prep(&self->r, IORING_OP_ACCEPT, lfd, NULL, 0, 3);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);

	/* DONTWAIT answers -EAGAIN; a parked accept is cancelled */
	ASSERT_EQ(0, listen(lfd, 1));
	prep(&self->r, IORING_OP_ACCEPT, lfd, NULL, 0, 4)->ioprio =
		IORING_ACCEPT_DONTWAIT;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EAGAIN, cqe.res);
	prep(&self->r, IORING_OP_ACCEPT, lfd, NULL, 0, 5);
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_TRUE(ring_wait_polls(&self->r, 1, 2000));

	sqe = ring_get_sqe(&self->r);
	sqe->opcode = IORING_OP_ASYNC_CANCEL;
	sqe->addr = 5;
	sqe->user_data = 6;
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_reap(&self->r, 2, res, 8));
	ASSERT_EQ(-ECANCELED, res[5]);
	ASSERT_EQ(0, res[6]);
	close(lfd);
}

TEST_F(net, shutdown)
{
	struct io_uring_cqe cqe;
	char c;

	prep(&self->r, IORING_OP_SHUTDOWN, self->sv[0], NULL, SHUT_WR, 1);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(0, cqe.res);
	ASSERT_EQ(0, read(self->sv[1], &c, 1));
	prep(&self->r, IORING_OP_SHUTDOWN, self->sv[0], NULL, 99, 2);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	prep(&self->r, IORING_OP_SHUTDOWN, self->r.fd, NULL, SHUT_WR, 3);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-ENOTSOCK, cqe.res);
}

TEST_F(net, splice_and_tee)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int a[2], b[2];
	char buf[8];

	ASSERT_EQ(0, pipe(a));
	ASSERT_EQ(0, pipe(b));
	ASSERT_EQ(6, write(a[1], "splice", 6));
	/* tee: b gets a copy, a keeps the data */
	sqe = prep(&self->r, IORING_OP_TEE, b[1], NULL, 6, 1);
	sqe->splice_fd_in = a[0];
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(6, cqe.res);
	/* splice: a's data moves to the socket */
	sqe = prep(&self->r, IORING_OP_SPLICE, self->sv[0], NULL, 6, 2);
	sqe->splice_fd_in = a[0];
	sqe->splice_off_in = -1;
	sqe->off = -1;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(6, cqe.res);
	ASSERT_EQ(6, read(self->sv[1], buf, 8));
	ASSERT_EQ(0, memcmp(buf, "splice", 6));
	ASSERT_EQ(6, read(b[0], buf, 8));
	/* bad flags, bad fd, tee with offsets */
	sqe = prep(&self->r, IORING_OP_SPLICE, b[1], NULL, 6, 3);
	sqe->splice_fd_in = a[0];
	sqe->splice_flags = 1U << 20;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	sqe = prep(&self->r, IORING_OP_SPLICE, b[1], NULL, 6, 4);
	sqe->splice_fd_in = 999;
	sqe->splice_off_in = -1;
	sqe->off = -1;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EBADF, cqe.res);
	sqe = prep(&self->r, IORING_OP_TEE, b[1], NULL, 6, 5);
	sqe->splice_fd_in = a[0];
	sqe->off = 1;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
}

TEST_F(net, epoll_ctl)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 42 }, out;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int epfd = epoll_create1(0);

	ASSERT_LE(0, epfd);
	sqe = prep(&self->r, IORING_OP_EPOLL_CTL, epfd, &ev, EPOLL_CTL_ADD, 1);
	sqe->off = self->sv[1];
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(0, cqe.res);
	ASSERT_EQ(1, write(self->sv[0], "x", 1));
	ASSERT_EQ(1, epoll_wait(epfd, &out, 1, 1000));
	ASSERT_EQ(42, out.data.u64);
	/* again: exists; a bad op; DEL needs no event */
	sqe = prep(&self->r, IORING_OP_EPOLL_CTL, epfd, &ev, EPOLL_CTL_ADD, 2);
	sqe->off = self->sv[1];
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EEXIST, cqe.res);
	sqe = prep(&self->r, IORING_OP_EPOLL_CTL, epfd, &ev, 77, 3);
	sqe->off = self->sv[1];
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	sqe = prep(&self->r, IORING_OP_EPOLL_CTL, epfd, NULL, EPOLL_CTL_DEL, 4);
	sqe->off = self->sv[1];
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(0, cqe.res);
	close(epfd);
}

/* IORING_SEND_VECTORIZED (6.17): SEND and SEND_ZC of an iovec array */
TEST_F(net, send_vectorized)
{
	static char big[3][100000];
	struct iovec iov[3] = {
		{ "abc", 3 }, { "", 0 }, { "defgh", 5 },
	};
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	char buf[16] = { 0 }, *in;
	size_t total = 0, got = 0;
	int i, tcp[2], fl;

	sqe = prep(&self->r, IORING_OP_SEND, self->sv[0], iov, 3, 1);
	sqe->ioprio = IORING_SEND_VECTORIZED;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(8, cqe.res);
	ASSERT_EQ(8, read(self->sv[1], buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "abcdefgh", 8));

	/* larger than the socket takes at once: it goes on where it stopped */
	for (i = 0; i < 3; i++) {
		memset(big[i], 'A' + i, sizeof(big[i]));
		iov[i] = (struct iovec){ big[i], sizeof(big[i]) };
		total += sizeof(big[i]);
	}
	sqe = prep(&self->r, IORING_OP_SEND, self->sv[0], iov, 3, 2);
	sqe->ioprio = IORING_SEND_VECTORIZED;
	/* all of it, wherever a short send would end (as upstream needs) */
	sqe->msg_flags = MSG_WAITALL;
	ASSERT_EQ(1, ring_submit(&self->r));
	in = malloc(total);
	ASSERT_NE(NULL, in);
	while (got < total) {
		ssize_t n = read(self->sv[1], in + got, total - got);

		ASSERT_LT(0, n);
		got += n;
	}
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_EQ(total, cqe.res);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, memcmp(in + i * sizeof(big[i]), big[i], sizeof(big[i])));
	free(in);

	/* zero copy too: the data, then the notification */
	ASSERT_EQ(0, tcp_pair(tcp));
	iov[0] = (struct iovec){ "zero", 4 };
	iov[1] = (struct iovec){ "copy", 4 };
	sqe = prep(&self->r, IORING_OP_SEND_ZC, tcp[0], iov, 2, 3);
	sqe->ioprio = IORING_SEND_VECTORIZED;
	ASSERT_EQ(1, ring_submit_and_wait(&self->r, 2));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_EQ(8, cqe.res);
	ASSERT_TRUE(cqe.flags & IORING_CQE_F_MORE);
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_TRUE(cqe.flags & IORING_CQE_F_NOTIF);
	memset(buf, 0, sizeof(buf));
	fl = 0;
	while (fl < 8) {
		ssize_t n = read(tcp[1], buf + fl, 8 - fl);

		ASSERT_LT(0, n);
		fl += n;
	}
	ASSERT_EQ(0, memcmp(buf, "zerocopy", 8));
	close(tcp[0]);
	close(tcp[1]);

	/* with buffers chosen elsewhere; a bad array; too many entries */
	sqe = prep(&self->r, IORING_OP_SEND, self->sv[0], iov, 2, 4);
	sqe->ioprio = IORING_SEND_VECTORIZED | IORING_RECVSEND_BUNDLE;
	sqe->flags |= IOSQE_BUFFER_SELECT;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	EXPECT_EQ(-EINVAL, cqe.res);
	sqe = prep(&self->r, IORING_OP_SEND_ZC, self->sv[0], iov, 2, 5);
	sqe->ioprio = IORING_SEND_VECTORIZED | IORING_RECVSEND_FIXED_BUF;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	EXPECT_EQ(-EINVAL, cqe.res);
	sqe = prep(&self->r, IORING_OP_SEND, self->sv[0], (void *)8, 2, 6);
	sqe->ioprio = IORING_SEND_VECTORIZED;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	EXPECT_EQ(-EFAULT, cqe.res);
	sqe = prep(&self->r, IORING_OP_SEND, self->sv[0], iov, 100000, 7);
	sqe->ioprio = IORING_SEND_VECTORIZED;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	EXPECT_EQ(-EINVAL, cqe.res);
}

static struct io_uring_sqe *prep_epoll_wait(struct ring *r, int epfd,
					    struct epoll_event *ev, int max,
					    uint64_t ud)
{
	return prep(r, IORING_OP_EPOLL_WAIT, epfd, ev, max, ud);
}

/* IORING_OP_EPOLL_WAIT (6.15): an epoll set's events through the ring */
TEST_F(net, epoll_wait)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 42 }, out[4];
	struct io_uring_cqe cqe;
	int epfd, p[2], res[8];
	char c;

	epfd = epoll_create1(0);
	ASSERT_LE(0, epfd);
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, epoll_ctl(epfd, EPOLL_CTL_ADD, p[0], &ev));

	/* nothing ready: it waits, then takes the event that comes */
	memset(out, 0, sizeof(out));
	prep_epoll_wait(&self->r, epfd, out, 4, 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_TRUE(ring_wait_polls(&self->r, 1, 2000));
	ASSERT_EQ(0, ring_cq_ready(&self->r));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_EQ(1, cqe.user_data);
	ASSERT_EQ(1, cqe.res);
	EXPECT_EQ(42, out[0].data.u64);
	EXPECT_TRUE(out[0].events & EPOLLIN);
	/* level triggered and still readable: at once */
	memset(out, 0, sizeof(out));
	prep_epoll_wait(&self->r, epfd, out, 4, 2);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(1, cqe.res);
	EXPECT_EQ(42, out[0].data.u64);
	ASSERT_EQ(1, read(p[0], &c, 1));

	/* through an io worker */
	prep_epoll_wait(&self->r, epfd, out, 4, 3)->flags |= IOSQE_ASYNC;
	ASSERT_EQ(1, ring_submit(&self->r));
	/* the worker's try would block: the request moves to a poll */
	ASSERT_TRUE(ring_wait_polls(&self->r, 1, 2000));
	ASSERT_EQ(0, ring_cq_ready(&self->r));
	ASSERT_EQ(1, write(p[1], "y", 1));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_EQ(3, cqe.user_data);
	ASSERT_EQ(1, cqe.res);

	/* bad input: no room, not an epoll file, a bad buffer, flags */
	prep_epoll_wait(&self->r, epfd, out, 0, 4);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	EXPECT_EQ(-EINVAL, cqe.res);
	prep_epoll_wait(&self->r, p[0], out, 4, 5);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	EXPECT_EQ(-EINVAL, cqe.res);
	prep_epoll_wait(&self->r, epfd, (void *)8, 4, 6);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	EXPECT_EQ(-EFAULT, cqe.res);
	prep_epoll_wait(&self->r, epfd, out, 4, 7)->rw_flags = 1;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	EXPECT_EQ(-EINVAL, cqe.res);
	ASSERT_EQ(1, read(p[0], &c, 1));

	/* a waiting one is cancelled by user_data */
	prep_epoll_wait(&self->r, epfd, out, 4, 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	prep(&self->r, IORING_OP_ASYNC_CANCEL, -1, (void *)1, 0, 2);
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_reap(&self->r, 2, res, 8));
	EXPECT_EQ(-ECANCELED, res[1]);
	EXPECT_EQ(0, res[2]);
	/* and one left waiting goes with the ring (teardown) */
	prep_epoll_wait(&self->r, epfd, out, 4, 9);
	ASSERT_EQ(1, ring_submit(&self->r));
	close(epfd);
	close(p[0]);
	close(p[1]);
}

static struct io_uring_sqe *sock_cmd(struct ring *r, int fd, unsigned int op,
				     uint64_t ud)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = op;
	sqe->user_data = ud;
	return sqe;
}

static struct io_uring_sqe *sock_getsockopt_cmd(struct ring *r, int fd,
						int level, int optname,
						int *val, uint64_t ud)
{
	struct io_uring_sqe *sqe = sock_cmd(r, fd, SOCKET_URING_OP_GETSOCKOPT,
					    ud);

	sqe->level = level;
	sqe->optname = optname;
	sqe->optval = (uintptr_t)val;
	sqe->optlen = sizeof(*val);
	return sqe;
}

/* IORING_OP_URING_CMD on sockets: queue sizes and socket options */
TEST_F(net, socket_uring_cmd)
{
	socklen_t len = sizeof(int);
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct pollfd pfd = { .events = POLLIN };
	int val = 0, rcvbuf, tcp[2];

	/* queue sizes come from the protocol: TCP has them, unix not */
	ASSERT_EQ(0, tcp_pair(tcp));
	ASSERT_EQ(5, write(tcp[0], "12345", 5));
	/* the bytes have crossed loopback once the peer polls readable */
	pfd.fd = tcp[1];
	ASSERT_EQ(1, poll(&pfd, 1, 2000));
	sock_cmd(&self->r, tcp[1], SOCKET_URING_OP_SIOCINQ, 1);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(5, cqe.res);
	sock_cmd(&self->r, tcp[0], SOCKET_URING_OP_SIOCOUTQ, 2);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_LE(0, cqe.res);
	sock_cmd(&self->r, self->sv[1], SOCKET_URING_OP_SIOCINQ, 8);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EOPNOTSUPP, cqe.res);
	close(tcp[0]);
	close(tcp[1]);

	/* SO_RCVBUF: set through the ring, read back both ways */
	val = 65536;
	sqe = sock_cmd(&self->r, self->sv[1], SOCKET_URING_OP_SETSOCKOPT, 3);
	sqe->level = SOL_SOCKET;
	sqe->optname = SO_RCVBUF;
	sqe->optval = (uintptr_t)&val;
	sqe->optlen = sizeof(val);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(0, cqe.res);
	ASSERT_EQ(0, getsockopt(self->sv[1], SOL_SOCKET, SO_RCVBUF, &rcvbuf, &len));
	val = 0;
	sock_getsockopt_cmd(&self->r, self->sv[1], SOL_SOCKET, SO_RCVBUF, &val,
			    4);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(sizeof(val), cqe.res);
	ASSERT_EQ(rcvbuf, val);

	/* an unknown command; a file without ->uring_cmd; bad flags */
	sock_cmd(&self->r, self->sv[1], 1000, 5);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EOPNOTSUPP, cqe.res);
	sock_cmd(&self->r, self->r.fd, SOCKET_URING_OP_SIOCINQ, 6);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EOPNOTSUPP, cqe.res);
	sock_cmd(&self->r, self->sv[1], SOCKET_URING_OP_SIOCINQ, 7)->uring_cmd_flags =
		1U << 7;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
}

/*
 * Found by iouf: GETSOCKOPT of a level other than SOL_SOCKET reached a
 * protocol's ->getsockopt with optlen in kernel memory, and the socket
 * layer WARNed. It is SOL_SOCKET only, as documented: -EOPNOTSUPP.
 */
TEST_F(net, getsockopt_cmd_of_another_level_is_eopnotsupp)
{
	static const int levels[] = { IPPROTO_TCP, IPPROTO_IP, SOL_IPV6 };
	struct io_uring_cqe cqe;
	unsigned int i;
	int tcp, val;

	tcp = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_GE(tcp, 0);
	for (i = 0; i < ARRAY_SIZE(levels); i++) {
		/* optname 1: TCP_NODELAY, IP_TOS, ... */
		sock_getsockopt_cmd(&self->r, tcp, levels[i], 1, &val, i);
		ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
		EXPECT_EQ(-EOPNOTSUPP, cqe.res);
	}
	/* SOL_SOCKET still works on the same socket */
	sock_getsockopt_cmd(&self->r, tcp, SOL_SOCKET, SO_TYPE, &val, 9);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	EXPECT_EQ(sizeof(val), cqe.res);
	EXPECT_EQ(SOCK_STREAM, val);
	close(tcp);
}

/*
 * 7.1: on an IORING_SETUP_IOPOLL ring a command to a file that cannot be
 * polled (a socket) completes as on any ring; it was -EOPNOTSUPP.
 */
TEST_F(net, socket_uring_cmd_on_an_iopoll_ring)
{
	struct io_uring_params p = { .flags = IORING_SETUP_IOPOLL };
	struct io_uring_cqe cqe;
	struct ring r;
	int val = 0;

	ASSERT_EQ(0, ring_init(&r, 8, &p));
	sock_getsockopt_cmd(&r, self->sv[1], SOL_SOCKET, SO_TYPE, &val, 1);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	EXPECT_EQ(1, cqe.user_data);
	EXPECT_EQ(sizeof(val), cqe.res);
	EXPECT_EQ(SOCK_STREAM, val);
	/* an unknown command still says so */
	sock_cmd(&r, self->sv[1], 1000, 2);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	EXPECT_EQ(-EOPNOTSUPP, cqe.res);
	ring_exit(&r);
}

static int getname_cmd(struct ring *r, int fd, bool fixed, void *addr,
		       socklen_t *len, unsigned int peer)
{
	struct io_uring_sqe *sqe = sock_cmd(r, fd, SOCKET_URING_OP_GETSOCKNAME, 1);
	struct io_uring_cqe cqe;
	int ret;

	sqe->addr = (uintptr_t)addr;
	sqe->addr3 = (uintptr_t)len;
	sqe->optlen = peer;
	if (fixed)
		sqe->flags |= IOSQE_FIXED_FILE;
	ret = ring_submit_one(r, &cqe);
	return ret ? ret : cqe.res;
}

/* SOCKET_URING_OP_GETSOCKNAME (6.19): getsockname and getpeername */
TEST_F(net, getsockname_cmd)
{
	struct sockaddr_in mine, theirs, got;
	socklen_t len, glen;
	int tcp[2], slot = -1;

	ASSERT_EQ(0, tcp_pair(tcp));
	len = sizeof(mine);
	ASSERT_EQ(0, getsockname(tcp[0], (struct sockaddr *)&mine, &len));
	len = sizeof(theirs);
	ASSERT_EQ(0, getpeername(tcp[0], (struct sockaddr *)&theirs, &len));

	memset(&got, 0, sizeof(got));
	glen = sizeof(got);
	ASSERT_EQ(0, getname_cmd(&self->r, tcp[0], false, &got, &glen, 0));
	EXPECT_EQ(sizeof(got), glen);
	EXPECT_EQ(0, memcmp(&got, &mine, sizeof(got)));
	memset(&got, 0, sizeof(got));
	ASSERT_EQ(0, getname_cmd(&self->r, tcp[0], false, &got, &glen, 1));
	EXPECT_EQ(0, memcmp(&got, &theirs, sizeof(got)));

	/* a direct descriptor works the same */
	slot = tcp[0];
	ASSERT_EQ(0, sys_register(self->r.fd, IORING_REGISTER_FILES, &slot, 1));
	memset(&got, 0, sizeof(got));
	ASSERT_EQ(0, getname_cmd(&self->r, 0, true, &got, &glen, 1));
	EXPECT_EQ(0, memcmp(&got, &theirs, sizeof(got)));

	/* too little room: truncated, and the whole length reported */
	memset(&got, 0xaa, sizeof(got));
	glen = 4;
	ASSERT_EQ(0, getname_cmd(&self->r, tcp[0], false, &got, &glen, 0));
	EXPECT_EQ(sizeof(got), glen);
	EXPECT_EQ(0, memcmp(&got, &mine, 4));
	EXPECT_EQ(0xaa, ((unsigned char *)&got)[4]);

	/* bad input: peer not 0/1, bad pointers, negative length */
	glen = sizeof(got);
	EXPECT_EQ(-EINVAL, getname_cmd(&self->r, tcp[0], false, &got, &glen, 2));
	EXPECT_EQ(-EFAULT, getname_cmd(&self->r, tcp[0], false, &got, NULL, 0));
	EXPECT_EQ(-EFAULT, getname_cmd(&self->r, tcp[0], false, (void *)8,
				       &glen, 0));
	glen = -1;
	EXPECT_EQ(-EINVAL, getname_cmd(&self->r, tcp[0], false, &got, &glen, 0));
	/* not a socket: no ->uring_cmd */
	glen = sizeof(got);
	EXPECT_EQ(-EOPNOTSUPP, getname_cmd(&self->r, self->r.fd, false, &got,
					   &glen, 0));
	/* an unconnected socket has no peer */
	slot = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, slot);
	EXPECT_EQ(-ENOTCONN, getname_cmd(&self->r, slot, false, &got, &glen, 1));
	close(slot);
	close(tcp[0]);
	close(tcp[1]);
}

/* Exit with recvs parked on a socket: exit does not wait for them. */
TEST_F(net, exit_with_parked_recvs)
{
	struct io_uring_cqe cqe;
	static char buf[8][4];
	int status, i;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		for (i = 0; i < 8; i++)
			prep(&self->r, IORING_OP_RECV, self->sv[1], buf[i], 4, i);
		_exit(ring_submit(&self->r) == 8 ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	/* they stay parked, without their task; data ends them */
	usleep(20000);
	ASSERT_EQ(0, ring_cq_ready(&self->r));
	ASSERT_EQ(4, write(self->sv[0], "abcd", 4));
	for (i = 0; i < 8; i++) {
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		ASSERT_TRUE(cqe.res == -ECANCELED || cqe.res == 4);
	}
}

/* Is there an established TCP socket on local port @port (/proc/net/tcp)? */
static bool tcp_port_established(unsigned int port)
{
	unsigned int lport, state;
	char line[256];
	bool found = false;
	FILE *f = fopen("/proc/net/tcp", "r");

	if (!f)
		return true;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " %*d: %*x:%x %*x:%*x %x", &lport, &state) == 2 &&
		    lport == port && state == 1)
			found = true;
	fclose(f);
	return found;
}

/*
 * Regression (review of true zero copy): a SEND_ZC notification held the
 * send's resource generation, so a ring closed while its registered,
 * tagged sockets had unsent zero-copy data kept those sockets open, and
 * they kept the notification (and so the ring, its pinned buffer and the
 * exit worker) forever. Now the notification holds only the buffer: the
 * ring's close closes the sockets, whose skbs let the pages go.
 */
TEST_F(net, zc_send_to_a_full_peer_does_not_keep_a_closed_rings_sockets)
{
	struct io_uring_rsrc_register rr = { .nr = 2 };
	struct sockaddr_in addr = { .sin_family = AF_INET };
	struct timespec ts = { 0, 10000000 };
	socklen_t alen = sizeof(addr);
	size_t len = 1 << 20;
	__u64 tags[2] = { 1, 2 };
	struct io_uring_sqe *sqe;
	struct iovec iov;
	int lfd, fds[2], small = 2048, i;
	unsigned int lport, cport;
	struct ring r;

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, lfd);
	/* a peer with a tiny window that never reads: the data stays queued */
	ASSERT_EQ(0, setsockopt(lfd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)));
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ASSERT_EQ(0, bind(lfd, (struct sockaddr *)&addr, sizeof(addr)));
	ASSERT_EQ(0, listen(lfd, 1));
	ASSERT_EQ(0, getsockname(lfd, (struct sockaddr *)&addr, &alen));
	lport = ntohs(addr.sin_port);
	fds[0] = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_EQ(0, connect(fds[0], (struct sockaddr *)&addr, sizeof(addr)));
	fds[1] = accept(lfd, NULL, NULL);
	ASSERT_LE(0, fds[1]);
	close(lfd);
	ASSERT_EQ(0, getsockname(fds[0], (struct sockaddr *)&addr, &alen));
	cport = ntohs(addr.sin_port);

	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	rr.data = (uintptr_t)fds;
	rr.tags = (uintptr_t)tags;
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_FILES2, &rr, sizeof(rr)));
	iov.iov_base = mmap(NULL, len, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, iov.iov_base);
	memset(iov.iov_base, 'q', len);
	iov.iov_len = len;
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_BUFFERS, &iov, 1));
	/* the ring's table holds the sockets alone */
	close(fds[0]);
	close(fds[1]);

	sqe = prep(&r, IORING_OP_SEND_ZC, 0, iov.iov_base, len, 1);
	sqe->flags = IOSQE_FIXED_FILE;
	sqe->ioprio = IORING_RECVSEND_FIXED_BUF;
	sqe->buf_index = 0;
	ASSERT_EQ(1, ring_submit(&r));
	ASSERT_TRUE(tcp_port_established(cport));
	ring_exit(&r);

	/* the close drops the table: both ends go (the peer resets) */
	for (i = 0; i < 1000; i++) {
		if (!tcp_port_established(cport) && !tcp_port_established(lport))
			break;
		nanosleep(&ts, NULL);
	}
	ASSERT_LT(i, 1000);
	munmap(iov.iov_base, len);
}

static int drop_cap_ipc_lock(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[CAP_IPC_LOCK / 32].effective &= ~(1U << (CAP_IPC_LOCK % 32));
	data[CAP_IPC_LOCK / 32].permitted &= ~(1U << (CAP_IPC_LOCK % 32));
	return syscall(SYS_capset, &hdr, data);
}

/* SEND_ZC of @len bytes of @buf on @fd; returns the send's result */
static int send_zc_wait(struct ring *r, int fd, int peer, char *buf,
			size_t len, unsigned int *notif_flags)
{
	struct io_uring_cqe cqe;
	char *sink = malloc(len ? len : 1);
	int res;

	prep(r, IORING_OP_SEND_ZC, fd, buf, len, 7);
	if (ring_submit(r) != 1)
		return -1000;
	/* read it all (the notification needs the data gone) */
	for (size_t got = 0; peer >= 0 && got < len; ) {
		ssize_t n = recv(peer, sink, len - got, 0);

		if (n <= 0 && errno != EINTR)
			break;
		if (n > 0)
			got += n;
	}
	free(sink);
	if (ring_wait_cqe(r, &cqe))
		return -1001;
	res = cqe.res;
	if (!(cqe.flags & IORING_CQE_F_MORE) || ring_wait_cqe(r, &cqe))
		return -1002;
	*notif_flags = cqe.flags;
	return res;
}

/*
 * Regression (review of true zero copy): the user pages a SEND_ZC leaves
 * in skbs were not charged to RLIMIT_MEMLOCK, as MSG_ZEROCOPY's are. They
 * are charged to the ring's owner: a send over the limit fails with
 * -ENOBUFS (and still notifies), and the charge goes back with the
 * notification.
 */
TEST_F(net, zc_send_charges_its_pages_to_memlock_until_the_notification)
{
	int tcp[2], status;
	pid_t pid;

	ASSERT_EQ(0, tcp_pair(tcp));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct rlimit lim = { 1 << 20, 1 << 20 };
		char *buf = mmap(NULL, 4 << 20, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		unsigned int nflags;
		struct ring r;

		/* a send that waits for room instead of failing: no hang */
		alarm(30);
		/* the ring's owner pays, as for registered buffers */
		if (setrlimit(RLIMIT_MEMLOCK, &lim) || drop_cap_ipc_lock())
			_exit(3);
		if (buf == MAP_FAILED || ring_init(&r, 8, NULL))
			_exit(2);
		memset(buf, 'm', 4 << 20);
		/* 4 MiB over a 1 MiB limit */
		if (send_zc_wait(&r, tcp[0], -1, buf, 4 << 20, &nflags) != -ENOBUFS ||
		    !(nflags & IORING_CQE_F_NOTIF))
			_exit(4);
		/* 512 KiB fits; then 600 KiB fits only once that is given back */
		if (send_zc_wait(&r, tcp[0], tcp[1], buf, 512 << 10, &nflags) != 512 << 10)
			_exit(5);
		if (send_zc_wait(&r, tcp[0], tcp[1], buf, 600 << 10, &nflags) != 600 << 10)
			_exit(6);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	close(tcp[0]);
	close(tcp[1]);
}

/*
 * Regression (review of true zero copy): SEND passed sqe->msg_flags to
 * the socket as they came, MSG_SPLICE_PAGES included, a flag of the
 * kernel's own senders with which TCP takes the user's pages by
 * reference (and pinned them for good). It is ignored, as send(2) does:
 * the data is copied, so what the peer gets is what the buffer held at
 * the send. MSG_CMSG_COMPAT is ignored too (as upstream does).
 */
TEST_F(net, send_ignores_in_kernel_flags)
{
	struct io_uring_cqe cqe;
	char rbuf[101], *buf;
	int tcp[2], i;

	buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	memset(buf, 'a', 100);
	ASSERT_EQ(0, tcp_pair(tcp));
	prep(&self->r, IORING_OP_SEND, tcp[0], buf, 100, 1)->msg_flags =
		MSG_MORE | 0x8000000 /* MSG_SPLICE_PAGES */;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(100, cqe.res);
	memset(buf, 'b', 100);
	ASSERT_EQ(1, send(tcp[0], "!", 1, 0));
	ASSERT_EQ(101, recv(tcp[1], rbuf, 101, MSG_WAITALL));
	for (i = 0; i < 100; i++)
		ASSERT_EQ('a', rbuf[i]);

	prep(&self->r, IORING_OP_SEND, tcp[0], "c", 1, 2)->msg_flags =
		MSG_CMSG_COMPAT;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(1, cqe.res);
	prep(&self->r, IORING_OP_RECV, tcp[1], rbuf, 1, 3)->msg_flags =
		MSG_CMSG_COMPAT;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(1, cqe.res);
	ASSERT_EQ('c', rbuf[0]);
	close(tcp[0]);
	close(tcp[1]);
	munmap(buf, 4096);
}

/*
 * SENDMSG_ZC with a registered buffer (6.15): the msghdr's iovecs lie
 * inside it (one across a page boundary), and the send takes its pages.
 */
TEST_F(net, sendmsg_zc_from_a_registered_buffer)
{
	struct iovec reg, iov[3];
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 3 };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	char *buf, got[260], want[260];
	int tcp[2], i;
	size_t n = 0;

	ASSERT_EQ(0, tcp_pair(tcp));
	buf = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	for (i = 0; i < 3 * 4096; i++)
		buf[i] = i * 7;
	reg.iov_base = buf;
	reg.iov_len = 3 * 4096;
	ASSERT_EQ(0, sys_register(self->r.fd, IORING_REGISTER_BUFFERS, &reg, 1));
	iov[0] = (struct iovec) { buf + 100, 50 };
	iov[1] = (struct iovec) { buf + 4000, 200 };
	iov[2] = (struct iovec) { buf + 8192, 10 };
	for (i = 0; i < 3; i++) {
		memcpy(want + n, iov[i].iov_base, iov[i].iov_len);
		n += iov[i].iov_len;
	}

	sqe = prep(&self->r, IORING_OP_SENDMSG_ZC, tcp[0], &msg, 0, 1);
	sqe->ioprio = IORING_RECVSEND_FIXED_BUF;
	sqe->buf_index = 0;
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_EQ(260, cqe.res);
	ASSERT_TRUE(cqe.flags & IORING_CQE_F_MORE);
	ASSERT_EQ(260, recv(tcp[1], got, sizeof(got), MSG_WAITALL));
	EXPECT_EQ(0, memcmp(got, want, 260));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	EXPECT_EQ(1, cqe.user_data);
	EXPECT_TRUE(cqe.flags & IORING_CQE_F_NOTIF);

	/* each iovec must be inside, an empty one too (as 6.18 has it) */
	iov[2] = (struct iovec) { NULL, 0 };
	sqe = prep(&self->r, IORING_OP_SENDMSG_ZC, tcp[0], &msg, 0, 4);
	sqe->ioprio = IORING_RECVSEND_FIXED_BUF;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	EXPECT_EQ(-EFAULT, cqe.res);
	if (cqe.flags & IORING_CQE_F_MORE)
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));

	/* an iovec past the buffer's end, or a buffer not registered */
	iov[2] = (struct iovec) { buf + 3 * 4096 - 5, 10 };
	sqe = prep(&self->r, IORING_OP_SENDMSG_ZC, tcp[0], &msg, 0, 2);
	sqe->ioprio = IORING_RECVSEND_FIXED_BUF;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	EXPECT_EQ(-EFAULT, cqe.res);
	/* (a failed send may still have its notification follow) */
	if (cqe.flags & IORING_CQE_F_MORE)
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	iov[2] = (struct iovec) { buf, 10 };
	sqe = prep(&self->r, IORING_OP_SENDMSG_ZC, tcp[0], &msg, 0, 3);
	sqe->ioprio = IORING_RECVSEND_FIXED_BUF;
	sqe->buf_index = 1;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	EXPECT_EQ(-EFAULT, cqe.res);
	if (cqe.flags & IORING_CQE_F_MORE)
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	close(tcp[0]);
	close(tcp[1]);
	munmap(buf, 3 * 4096);
}

/*
 * SEND_ZCs that follow one another on a socket fill one skb, as plain
 * sends do (the notifications stack: ubuf_info_ops.link_skb), rather
 * than an skb each. Three corked 100-byte sends and a byte go out as one
 * segment; the peer gets what the pages hold then, and each send has
 * its own notification.
 */
TEST_F(net, send_zc_back_to_back_sends_share_a_segment)
{
	struct tcp_info before, after;
	socklen_t tl = sizeof(before);
	struct io_uring_cqe cqe;
	unsigned int seen = 0;
	char *buf;
	int tcp[2], i;

	buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	memset(buf, 'a', 300);
	ASSERT_EQ(0, tcp_pair(tcp));
	ASSERT_EQ(0, getsockopt(tcp[0], IPPROTO_TCP, TCP_INFO, &before, &tl));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, send_zc_corked(&self->r, tcp[0], buf + i * 100,
					    100, i + 1));
	ASSERT_EQ(0, sys_enter(self->r.fd, 0, 0, IORING_ENTER_GETEVENTS,
			       NULL, 0));
	ASSERT_EQ(0, ring_cq_ready(&self->r));
	/* still the user's pages, all three */
	ASSERT_TRUE(corked_pages_go_out(tcp, buf, 300));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		ASSERT_TRUE(cqe.flags & IORING_CQE_F_NOTIF);
		ASSERT_EQ(IORING_NOTIF_USAGE_ZC_COPIED, (unsigned int)cqe.res);
		ASSERT_LE(1, cqe.user_data);
		ASSERT_GE(3, cqe.user_data);
		seen |= 1U << cqe.user_data;
	}
	ASSERT_EQ(0xe, seen);
	ASSERT_EQ(0, getsockopt(tcp[0], IPPROTO_TCP, TCP_INFO, &after, &tl));
	ASSERT_EQ(1, after.tcpi_data_segs_out - before.tcpi_data_segs_out);
	close(tcp[0]);
	close(tcp[1]);
	munmap(buf, 4096);
}

#define ZC_SENDS	4
#define ZC_LEN		(128 << 10)

/*
 * Big SEND_ZCs that a small send buffer cuts into parts take turns at
 * the socket; the notifications of parts that stacked onto each other
 * (a chain of references) all come, and the peer gets every byte.
 */
TEST_F(net, send_zc_partial_sends_taking_turns_all_notify)
{
	static char bufs[ZC_SENDS][ZC_LEN], sink[16384];
	unsigned int results = 0, notifs = 0, counts[ZC_SENDS] = { 0 };
	size_t got = 0, total = (size_t)ZC_SENDS * ZC_LEN;
	int tcp[2], i, small = 8192;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	long long deadline;

	ASSERT_EQ(0, tcp_pair(tcp));
	ASSERT_EQ(0, setsockopt(tcp[0], SOL_SOCKET, SO_SNDBUF, &small,
				sizeof(small)));
	for (i = 0; i < ZC_SENDS; i++) {
		memset(bufs[i], 'A' + i, ZC_LEN);
		sqe = prep(&self->r, IORING_OP_SEND_ZC, tcp[0], bufs[i], ZC_LEN,
			   i);
		sqe->msg_flags = MSG_WAITALL;
	}
	ASSERT_EQ(ZC_SENDS, ring_submit(&self->r));
	deadline = ring_now_ms() + 20000;
	while (got < total || results < ZC_SENDS || notifs < ZC_SENDS) {
		struct pollfd pfd[2] = { { tcp[1], POLLIN, 0 },
					 { self->r.fd, POLLIN, 0 } };
		ssize_t n;

		ASSERT_GT(deadline, ring_now_ms());
		n = recv(tcp[1], sink, sizeof(sink), MSG_DONTWAIT);
		for (i = 0; i < n; i++) {
			ASSERT_LE('A', sink[i]);
			ASSERT_GT('A' + ZC_SENDS, sink[i]);
			counts[sink[i] - 'A']++;
		}
		if (n > 0)
			got += n;
		/* the sends go on in task_work */
		ASSERT_LE(0, sys_enter(self->r.fd, 0, 0,
				       IORING_ENTER_GETEVENTS, NULL, 0));
		while (ring_peek_cqe(&self->r, &cqe, NULL)) {
			ASSERT_GT(ZC_SENDS, cqe.user_data);
			if (cqe.flags & IORING_CQE_F_NOTIF) {
				notifs++;
				continue;
			}
			ASSERT_EQ(ZC_LEN, cqe.res);
			ASSERT_TRUE(cqe.flags & IORING_CQE_F_MORE);
			results++;
		}
		if (n <= 0)
			poll(pfd, 2, 100);
	}
	ASSERT_EQ(total, got);
	for (i = 0; i < ZC_SENDS; i++)
		ASSERT_EQ(ZC_LEN, counts[i]);
	ASSERT_EQ(0, ring_cq_ready(&self->r));
	close(tcp[0]);
	close(tcp[1]);
}

TEST_HARNESS_MAIN
