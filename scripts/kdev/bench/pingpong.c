// SPDX-License-Identifier: GPL-2.0
/*
 * Loopback TCP ping-pong for ./kdev bench: a client sends MSG bytes, the
 * server echoes them, N round trips. "io_uring" mode drives both ends
 * with liburing (each side's send and next recv go in one submission,
 * the recv parks in the kernel's internal poll); "psync" mode uses
 * blocking write(2)/read(2). Prints "BENCH <mode> <engine> <round trips/s>".
 *
 *   pingpong io_uring|psync ROUNDS MSG
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <liburing.h>

static int rounds, msg;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void full_read(int fd, char *buf, int len)
{
	while (len > 0) {
		ssize_t n = read(fd, buf, len);

		if (n <= 0)
			die("read");
		buf += n;
		len -= n;
	}
}

static void sync_side(int fd, int client)
{
	char *buf = calloc(1, msg);
	int i;

	for (i = 0; i < rounds; i++) {
		if (client && write(fd, buf, msg) != msg)
			die("write");
		full_read(fd, buf, msg);
		if (!client && write(fd, buf, msg) != msg)
			die("write");
	}
	free(buf);
}

/* One submission per round trip: [send,] recv with MSG_WAITALL. */
static void uring_side(int fd, int client)
{
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	char *sbuf = calloc(1, msg), *rbuf = calloc(1, msg);
	int i, want;

	if (io_uring_queue_init(8, &ring, 0))
		die("io_uring_queue_init");
	for (i = 0; i <= rounds; i++) {
		want = 0;
		if (client ? i < rounds : i > 0) {
			sqe = io_uring_get_sqe(&ring);
			io_uring_prep_send(sqe, fd, sbuf, msg, 0);
			want++;
		}
		if (i < rounds) {
			sqe = io_uring_get_sqe(&ring);
			io_uring_prep_recv(sqe, fd, rbuf, msg, MSG_WAITALL);
			want++;
		}
		if (io_uring_submit_and_wait(&ring, want) < 0)
			die("submit");
		while (want--) {
			if (io_uring_wait_cqe(&ring, &cqe))
				die("wait");
			if (cqe->res != msg) {
				errno = cqe->res < 0 ? -cqe->res : EIO;
				die("cqe");
			}
			io_uring_cqe_seen(&ring, cqe);
		}
	}
	io_uring_queue_exit(&ring);
	free(sbuf);
	free(rbuf);
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t alen = sizeof(addr);
	int lfd, fd, one = 1, uring, status;
	struct timespec t0, t1;
	double secs;
	pid_t pid;

	if (argc != 4)
		return 2;
	uring = !strcmp(argv[1], "io_uring");
	rounds = atoi(argv[2]);
	msg = atoi(argv[3]);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    listen(lfd, 1) || getsockname(lfd, (struct sockaddr *)&addr, &alen))
		die("listen");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			die("accept");
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		uring ? uring_side(fd, 0) : sync_side(fd, 0);
		_exit(0);
	}
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)))
		die("connect");
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	uring ? uring_side(fd, 1) : sync_side(fd, 1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (waitpid(pid, &status, 0) != pid || status)
		return 1;
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("BENCH lo-tcp-pingpong-%db %s %.0f\n", msg,
	       uring ? "io_uring" : "psync", rounds / secs);
	return 0;
}
