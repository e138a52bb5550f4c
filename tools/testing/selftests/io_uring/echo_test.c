// SPDX-License-Identifier: GPL-2.0
/*
 * A TCP echo server and its clients, both written with liburing, over
 * loopback: the server takes connections with one multishot accept and
 * echoes with recv/send; each client keeps a window of messages in
 * flight and checks every byte that comes back. Nothing may be lost,
 * duplicated or reordered.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <liburing.h>

#include "../kselftest_harness.h"

#define NR_CONNS	8
#define NR_MSGS		100000
#define MSG_LEN		64
#define WINDOW		8
#define BUF_LEN		4096

enum { UD_ACCEPT = 1, UD_RECV, UD_SEND, UD_CONNECT };

#define UD(kind, idx)	(((__u64)(kind) << 32) | (idx))
#define UD_KIND(ud)	((unsigned int)((ud) >> 32))
#define UD_IDX(ud)	((unsigned int)(ud))

/* the byte at stream offset @off of connection @conn */
static char pattern(int conn, unsigned long off)
{
	return (char)('a' + (conn * 7 + off * 13 + off / 251) % 26);
}

static int listen_socket(struct sockaddr_in *addr)
{
	socklen_t len = sizeof(*addr);
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)addr, sizeof(*addr)) ||
	    listen(fd, 64) ||
	    getsockname(fd, (struct sockaddr *)addr, &len)) {
		close(fd);
		return -1;
	}
	return fd;
}

struct server_conn {
	int fd;
	char buf[BUF_LEN];
	int len, sent;
};

static struct io_uring_sqe *get_sqe(struct io_uring *ring)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe) {
		io_uring_submit(ring);
		sqe = io_uring_get_sqe(ring);
	}
	return sqe;
}

/* Echo on every connection until NR_CONNS have come and gone. */
static int run_server(int lfd)
{
	static struct server_conn conns[64];
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int closed = 0, accepted = 0, ret;

	ret = io_uring_queue_init(256, &ring, 0);
	if (ret)
		return 10;
	sqe = get_sqe(&ring);
	io_uring_prep_multishot_accept(sqe, lfd, NULL, NULL, 0);
	sqe->user_data = UD(UD_ACCEPT, 0);

	while (closed < NR_CONNS) {
		struct server_conn *c;
		unsigned int kind, idx;
		__u64 ud;
		int res;

		io_uring_submit(&ring);
		ret = io_uring_wait_cqe(&ring, &cqe);
		if (ret)
			return 11;
		ud = cqe->user_data;
		res = cqe->res;
		kind = UD_KIND(ud);
		idx = UD_IDX(ud);
		if (kind == UD_ACCEPT) {
			/* one multishot accept takes every connection */
			if (res < 0 || !(cqe->flags & IORING_CQE_F_MORE) ||
			    accepted >= 64)
				return 12;
			c = &conns[accepted];
			c->fd = res;
			sqe = get_sqe(&ring);
			io_uring_prep_recv(sqe, c->fd, c->buf, BUF_LEN, 0);
			sqe->user_data = UD(UD_RECV, accepted);
			accepted++;
		} else if (kind == UD_RECV) {
			c = &conns[idx];
			if (res < 0)
				return 13;
			if (res == 0) {
				close(c->fd);
				closed++;
			} else {
				c->len = res;
				c->sent = 0;
				sqe = get_sqe(&ring);
				io_uring_prep_send(sqe, c->fd, c->buf, res, 0);
				sqe->user_data = UD(UD_SEND, idx);
			}
		} else if (kind == UD_SEND) {
			c = &conns[idx];
			if (res <= 0)
				return 14;
			c->sent += res;
			sqe = get_sqe(&ring);
			if (c->sent < c->len) {
				io_uring_prep_send(sqe, c->fd, c->buf + c->sent,
						   c->len - c->sent, 0);
				sqe->user_data = UD(UD_SEND, idx);
			} else {
				io_uring_prep_recv(sqe, c->fd, c->buf, BUF_LEN, 0);
				sqe->user_data = UD(UD_RECV, idx);
			}
		}
		io_uring_cqe_seen(&ring, cqe);
	}
	io_uring_queue_exit(&ring);
	return 0;
}

struct client_conn {
	int fd;
	unsigned long sent_msgs, recv_bytes;
	int inflight;		/* messages sent, not yet echoed */
	int sending;		/* a send is in flight */
	char out[MSG_LEN * WINDOW];
	char in[BUF_LEN];
};

static void client_send(struct io_uring *ring, struct client_conn *c, int idx,
			unsigned long msgs_per_conn)
{
	struct io_uring_sqe *sqe;
	int n = 0, i;

	/* fill the window with as many whole messages as fit */
	while (c->inflight + n < WINDOW && c->sent_msgs + n < msgs_per_conn)
		n++;
	if (!n || c->sending)
		return;
	for (i = 0; i < n * MSG_LEN; i++)
		c->out[i] = pattern(idx, c->sent_msgs * MSG_LEN + i);
	sqe = get_sqe(ring);
	io_uring_prep_send(sqe, c->fd, c->out, n * MSG_LEN, MSG_WAITALL);
	sqe->user_data = UD(UD_SEND, idx);
	c->sending = n;
}

static int run_clients(struct sockaddr_in *addr, unsigned long *echoed)
{
	static struct client_conn conns[NR_CONNS];
	unsigned long msgs_per_conn = NR_MSGS / NR_CONNS;
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int i, ret, done = 0, connected = 0;

	ret = io_uring_queue_init(256, &ring, 0);
	if (ret)
		return 20;
	for (i = 0; i < NR_CONNS; i++) {
		memset(&conns[i], 0, sizeof(conns[i]));
		conns[i].fd = socket(AF_INET, SOCK_STREAM, 0);
		if (conns[i].fd < 0)
			return 21;
		sqe = get_sqe(&ring);
		io_uring_prep_connect(sqe, conns[i].fd, (struct sockaddr *)addr,
				      sizeof(*addr));
		sqe->user_data = UD(UD_CONNECT, i);
	}

	while (done < NR_CONNS) {
		struct client_conn *c;
		unsigned int kind, idx;
		int res;

		io_uring_submit(&ring);
		ret = io_uring_wait_cqe(&ring, &cqe);
		if (ret)
			return 22;
		kind = UD_KIND(cqe->user_data);
		idx = UD_IDX(cqe->user_data);
		res = cqe->res;
		io_uring_cqe_seen(&ring, cqe);
		c = &conns[idx];

		if (kind == UD_CONNECT) {
			if (res)
				return 23;
			connected++;
			client_send(&ring, c, idx, msgs_per_conn);
			sqe = get_sqe(&ring);
			io_uring_prep_recv(sqe, c->fd, c->in, BUF_LEN, 0);
			sqe->user_data = UD(UD_RECV, idx);
		} else if (kind == UD_SEND) {
			/* MSG_WAITALL on a stream: all of it, or an error */
			if (res != c->sending * MSG_LEN)
				return 24;
			c->sent_msgs += c->sending;
			c->inflight += c->sending;
			c->sending = 0;
			client_send(&ring, c, idx, msgs_per_conn);
		} else if (kind == UD_RECV) {
			if (res <= 0)
				return 25;
			for (i = 0; i < res; i++)
				if (c->in[i] != pattern(idx, c->recv_bytes + i))
					return 26;
			c->recv_bytes += res;
			c->inflight = c->sent_msgs - c->recv_bytes / MSG_LEN;
			if (c->recv_bytes == msgs_per_conn * MSG_LEN) {
				/* all back: the server sees EOF and closes */
				shutdown(c->fd, SHUT_WR);
				done++;
				continue;
			}
			client_send(&ring, c, idx, msgs_per_conn);
			sqe = get_sqe(&ring);
			io_uring_prep_recv(sqe, c->fd, c->in, BUF_LEN, 0);
			sqe->user_data = UD(UD_RECV, idx);
		}
	}
	for (i = 0; i < NR_CONNS; i++) {
		*echoed += conns[i].recv_bytes / MSG_LEN;
		close(conns[i].fd);
	}
	io_uring_queue_exit(&ring);
	return connected == NR_CONNS ? 0 : 27;
}

FIXTURE(echo) {
	int unused;
};

FIXTURE_SETUP(echo)
{
}

FIXTURE_TEARDOWN(echo)
{
}

TEST_F_TIMEOUT(echo, echo_100k_messages, 600)
{
	struct sockaddr_in addr;
	unsigned long echoed = 0;
	int lfd, status, ret;
	pid_t pid;

	lfd = listen_socket(&addr);
	ASSERT_LE(0, lfd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(run_server(lfd));
	close(lfd);

	ret = run_clients(&addr, &echoed);
	if (ret)
		kill(pid, SIGKILL);
	EXPECT_EQ(0, ret);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(NR_MSGS, echoed);
}

TEST_HARNESS_MAIN
