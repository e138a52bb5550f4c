// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring micro benchmarks for ./kdev bench, one row per run. Each
 * prints "BENCH <row> io_uring <figure>"; the figures are per second of
 * guest time (icount: guest instructions), except where a row says
 * bytes or threads.
 *
 *   uringbench nop BATCH N        N NOPs, BATCH per io_uring_enter
 *   uringbench setup N            N rings of 64 entries set up and torn down
 *   uringbench sizeof             the request's size (slab object size)
 *   uringbench inflight N         slab bytes per read parked on a pipe
 *   uringbench bufread N          buffered 4k random reads, QD32, of a file
 *                                 just dropped from the page cache, and
 *                                 the io-wq threads that took part
 *   uringbench send|sendzc N      N loopback TCP sends of 64 KiB, 4 in flight
 *   uringbench asynclink N        N chains of 8 linked IOSQE_ASYNC 4k reads
 *                                 of a cached file (reads per second): the
 *                                 hand-over from one link to the next
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <liburing.h>

#ifndef IORING_SEND_ZC_REPORT_USAGE
#define IORING_SEND_ZC_REPORT_USAGE	(1U << 3)
#endif
#ifndef IORING_NOTIF_USAGE_ZC_COPIED
#define IORING_NOTIF_USAGE_ZC_COPIED	(1U << 31)
#endif

static void die(const char *what, int err)
{
	fprintf(stderr, "uringbench: %s: %s\n", what, strerror(err));
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* reap every CQE there is; returns how many */
static unsigned int reap(struct io_uring *ring, int *err)
{
	struct io_uring_cqe *cqe;
	unsigned int head, n = 0;

	io_uring_for_each_cqe(ring, head, cqe) {
		if (cqe->res < 0 && err)
			*err = cqe->res;
		n++;
	}
	io_uring_cq_advance(ring, n);
	return n;
}

static void bench_nop(unsigned int batch, unsigned int n)
{
	struct io_uring ring;
	unsigned int done = 0, i;
	double t0;
	int ret, err = 0;

	ret = io_uring_queue_init(64, &ring, 0);
	if (ret)
		die("io_uring_queue_init", -ret);
	t0 = now();
	while (done < n) {
		for (i = 0; i < batch; i++)
			io_uring_prep_nop(io_uring_get_sqe(&ring));
		ret = io_uring_submit_and_wait(&ring, batch);
		if (ret < 0)
			die("io_uring_submit_and_wait", -ret);
		done += reap(&ring, &err);
	}
	if (err)
		die("nop", -err);
	printf("BENCH nop-batch%u io_uring %.0f\n", batch, done / (now() - t0));
	io_uring_queue_exit(&ring);
}

/*
 * The best of three runs: a ring's teardown ends in kworkers and RCU
 * callbacks, which share the guest's time with whatever an earlier row
 * left running (an NVMe reset, writeback); one run moved by 20% with
 * the rows before it, on either kernel.
 */
static void bench_setup(unsigned int n)
{
	struct io_uring ring;
	unsigned int i, run;
	double best = 0;
	int ret;

	for (run = 0; run < 3; run++) {
		double t0 = now(), rate;

		for (i = 0; i < n; i++) {
			ret = io_uring_queue_init(64, &ring, 0);
			if (ret)
				die("io_uring_queue_init", -ret);
			io_uring_queue_exit(&ring);
		}
		rate = n / (now() - t0);
		if (rate > best)
			best = rate;
	}
	printf("BENCH ring-setup-teardown-64 io_uring %.0f\n", best);
}

static long read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static void bench_sizeof(void)
{
	long v = read_long("/sys/kernel/slab/io_kiocb/object_size");

	if (v < 0)
		die("/sys/kernel/slab/io_kiocb/object_size", ENOENT);
	printf("BENCH sizeof-io_kiocb bytes %ld\n", v);
}

static long slab_kb(void)
{
	char line[256];
	FILE *f = fopen("/proc/meminfo", "r");
	long v = -1;

	if (!f)
		die("/proc/meminfo", errno);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Slab: %ld kB", &v) == 1)
			break;
	fclose(f);
	return v;
}

/* N reads parked on an empty pipe: the slab growth per read, in bytes */
static double inflight_once(unsigned int n)
{
	struct io_uring_params p = { .flags = IORING_SETUP_CQSIZE,
				     .cq_entries = 2 * n };
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	static char buf[64];
	int fds[2], ret, err = 0;
	unsigned int i, got;
	long before, after;

	ret = io_uring_queue_init_params(n, &ring, &p);
	if (ret)
		die("io_uring_queue_init", -ret);
	if (pipe(fds))
		die("pipe", errno);
	sync();
	before = slab_kb();
	for (i = 0; i < n; i++)
		io_uring_prep_read(io_uring_get_sqe(&ring), fds[0], buf,
				   sizeof(buf), 0);
	ret = io_uring_submit(&ring);
	if (ret != (int)n)
		die("io_uring_submit", ret < 0 ? -ret : EAGAIN);
	after = slab_kb();
	if (reap(&ring, &err))
		die("a read completed on an empty pipe", err ? -err : EINVAL);
	close(fds[1]);		/* they all complete with 0 */
	got = 0;
	while (got < n) {
		ret = io_uring_wait_cqe(&ring, &cqe);
		if (ret)
			die("io_uring_wait_cqe", -ret);
		got += reap(&ring, NULL);
	}
	io_uring_queue_exit(&ring);
	close(fds[0]);
	return (after - before) * 1024.0 / n;
}

/*
 * Slab: in meminfo also moves with what the rest of the system frees and
 * allocates meanwhile (RCU frees of earlier rows, per-CPU slab caches):
 * the least of a few runs is the one with the least of that in it.
 */
static void bench_inflight(unsigned int n)
{
	double best = 0, b;
	int i;

	for (i = 0; i < 3; i++) {
		b = inflight_once(n);
		if (!i || b < best)
			best = b;
	}
	printf("BENCH inflight-read-bytes bytes %.0f\n", best);
}

/* io-wq threads of this process: their names start with "iou-wrk" */
static unsigned int count_iowq(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	unsigned int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char path[300], comm[32] = "";
		FILE *f;

		snprintf(path, sizeof(path), "/proc/self/task/%s/comm",
			 e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strncmp(comm, "iou-wrk", 7))
			n++;
		fclose(f);
	}
	closedir(d);
	return n;
}

#define BUFREAD_SIZE	(64U << 20)
#define BUFREAD_QD	32

static void bench_bufread(unsigned int n)
{
	static char bufs[BUFREAD_QD][4096];
	unsigned int blocks = BUFREAD_SIZE / 4096, i, done = 0, queued = 0;
	unsigned int threads = 0, seed = 1;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	char *chunk;
	double t0;
	int fd, ret;

	fd = open("bufread.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("bufread.dat", errno);
	chunk = malloc(1 << 20);
	if (!chunk)
		die("malloc", ENOMEM);
	memset(chunk, 0x5a, 1 << 20);
	for (i = 0; i < BUFREAD_SIZE >> 20; i++)
		if (write(fd, chunk, 1 << 20) != 1 << 20)
			die("write", errno);
	free(chunk);
	fsync(fd);
	/* every page read from the disk: the cache is dropped */
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	ret = open("/proc/sys/vm/drop_caches", O_WRONLY);
	if (ret >= 0) {
		if (write(ret, "3", 1) != 1)
			;
		close(ret);
	}
	ret = io_uring_queue_init(64, &ring, 0);
	if (ret)
		die("io_uring_queue_init", -ret);
	t0 = now();
	while (done < n) {
		while (queued - done < BUFREAD_QD && queued < n) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
			unsigned int slot = queued % BUFREAD_QD;

			seed = seed * 1103515245 + 12345;
			io_uring_prep_read(sqe, fd, bufs[slot], 4096,
					   (off_t)((seed >> 8) % blocks) * 4096);
			sqe->user_data = slot;
			queued++;
		}
		ret = io_uring_submit_and_wait(&ring, 1);
		if (ret < 0)
			die("io_uring_submit_and_wait", -ret);
		while (!io_uring_peek_cqe(&ring, &cqe)) {
			if (cqe->res != 4096)
				die("read", cqe->res < 0 ? -cqe->res : EIO);
			io_uring_cqe_seen(&ring, cqe);
			done++;
		}
		/* workers linger for seconds once made: the peak is the count */
		if (!(done % 256)) {
			unsigned int t = count_iowq();

			if (t > threads)
				threads = t;
		}
	}
	printf("BENCH bufread-4k-qd32 io_uring %.0f\n", n / (now() - t0));
	i = count_iowq();
	printf("BENCH bufread-iowq-threads threads %u\n", i > threads ? i : threads);
	io_uring_queue_exit(&ring);
	close(fd);
	unlink("bufread.dat");
}

#define SEND_LEN	(64U << 10)
#define SEND_QD		4

struct sink {
	int fd;
	unsigned long long want;
};

static void *sink_fn(void *arg)
{
	struct sink *s = arg;
	static char buf[256 << 10];
	unsigned long long got = 0;

	while (got < s->want) {
		ssize_t r = recv(s->fd, buf, sizeof(buf), 0);

		if (r <= 0)
			die("recv", r ? errno : EPIPE);
		got += r;
	}
	return NULL;
}

static int tcp_pair(int sv[2])
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (l < 0 || bind(l, (void *)&a, sizeof(a)) || listen(l, 1) ||
	    getsockname(l, (void *)&a, &len))
		return -1;
	sv[0] = socket(AF_INET, SOCK_STREAM, 0);
	if (sv[0] < 0 || connect(sv[0], (void *)&a, sizeof(a)))
		return -1;
	sv[1] = accept(l, NULL, NULL);
	close(l);
	return sv[1] < 0 ? -1 : 0;
}

/*
 * A slot's buffer is free again after its CQE, and for SEND_ZC after
 * its notification too: user_data is the slot, the NOTIF flag tells.
 */
static void bench_send(bool zc, unsigned int n)
{
	static char bufs[SEND_QD][SEND_LEN];
	unsigned int busy[SEND_QD] = { 0 }, queued = 0, done = 0, copied = 0;
	struct sink s;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	pthread_t t;
	int sv[2], ret;
	double t0;

	if (tcp_pair(sv))
		die("loopback TCP", errno);
	s = (struct sink){ sv[1], (unsigned long long)n * SEND_LEN };
	if (pthread_create(&t, NULL, sink_fn, &s))
		die("pthread_create", EAGAIN);
	ret = io_uring_queue_init(64, &ring, 0);
	if (ret)
		die("io_uring_queue_init", -ret);
	memset(bufs, 0x33, sizeof(bufs));
	t0 = now();
	while (done < n) {
		unsigned int slot;

		for (slot = 0; slot < SEND_QD && queued < n; slot++) {
			struct io_uring_sqe *sqe;

			if (busy[slot])
				continue;
			sqe = io_uring_get_sqe(&ring);
			if (zc) {
				io_uring_prep_send_zc(sqe, sv[0], bufs[slot],
						      SEND_LEN, MSG_WAITALL, 0);
				sqe->ioprio |= IORING_SEND_ZC_REPORT_USAGE;
				busy[slot] = 2;
			} else {
				io_uring_prep_send(sqe, sv[0], bufs[slot],
						   SEND_LEN, MSG_WAITALL);
				busy[slot] = 1;
			}
			sqe->user_data = slot;
			queued++;
		}
		ret = io_uring_submit_and_wait(&ring, 1);
		if (ret < 0)
			die("io_uring_submit_and_wait", -ret);
		while (!io_uring_peek_cqe(&ring, &cqe)) {
			slot = cqe->user_data;
			if (cqe->flags & IORING_CQE_F_NOTIF) {
				if (cqe->res & IORING_NOTIF_USAGE_ZC_COPIED)
					copied++;
			} else if (cqe->res != SEND_LEN) {
				die("send", cqe->res < 0 ? -cqe->res : EIO);
			} else {
				done++;
			}
			busy[slot]--;
			io_uring_cqe_seen(&ring, cqe);
		}
	}
	/* the last notifications */
	while (zc) {
		unsigned int slot, left = 0;

		for (slot = 0; slot < SEND_QD; slot++)
			left += busy[slot];
		if (!left)
			break;
		ret = io_uring_wait_cqe(&ring, &cqe);
		if (ret)
			die("io_uring_wait_cqe", -ret);
		if ((cqe->flags & IORING_CQE_F_NOTIF) &&
		    (cqe->res & IORING_NOTIF_USAGE_ZC_COPIED))
			copied++;
		busy[cqe->user_data]--;
		io_uring_cqe_seen(&ring, cqe);
	}
	pthread_join(t, NULL);
	printf("BENCH lo-tcp-%s-64k io_uring %.0f\n", zc ? "sendzc" : "send",
	       n * (double)SEND_LEN / (1 << 20) / (now() - t0));
	if (zc)
		fprintf(stderr, "uringbench: sendzc: %u of %u sends copied\n",
			copied, n);
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

static void bench_asynclink(unsigned int n)
{
	static char buf[8][4096];
	char path[] = "/tmp/uringbench-link-XXXXXX";
	struct io_uring ring;
	unsigned int i, j, done = 0;
	double t0;
	int fd, ret, err = 0;

	fd = mkstemp(path);
	if (fd < 0)
		die("mkstemp", errno);
	unlink(path);
	memset(buf, 'x', sizeof(buf));
	if (write(fd, buf, sizeof(buf)) != sizeof(buf))
		die("write", errno);
	ret = io_uring_queue_init(64, &ring, 0);
	if (ret)
		die("io_uring_queue_init", -ret);
	t0 = now();
	for (i = 0; i < n; i++) {
		for (j = 0; j < 8; j++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

			io_uring_prep_read(sqe, fd, buf[j], 4096, j * 4096);
			sqe->flags |= IOSQE_ASYNC | (j < 7 ? IOSQE_IO_LINK : 0);
		}
		ret = io_uring_submit_and_wait(&ring, 8);
		if (ret < 0)
			die("io_uring_submit_and_wait", -ret);
		for (j = 0; j < 8; ) {
			j += reap(&ring, &err);
			if (j < 8 && io_uring_wait_cqe_nr(&ring, NULL, 1))
				die("io_uring_wait_cqe", EIO);
		}
		done += 8;
	}
	if (err)
		die("asynclink", -err);
	printf("BENCH asynclink-8 io_uring %.0f\n", done / (now() - t0));
	io_uring_queue_exit(&ring);
	close(fd);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	unsigned int a = argc > 2 ? atoi(argv[2]) : 0;
	unsigned int b = argc > 3 ? atoi(argv[3]) : 0;

	if (!strcmp(mode, "nop") && a && b)
		bench_nop(a, b);
	else if (!strcmp(mode, "setup") && a)
		bench_setup(a);
	else if (!strcmp(mode, "sizeof"))
		bench_sizeof();
	else if (!strcmp(mode, "inflight") && a)
		bench_inflight(a);
	else if (!strcmp(mode, "bufread") && a)
		bench_bufread(a);
	else if ((!strcmp(mode, "send") || !strcmp(mode, "sendzc")) && a)
		bench_send(mode[4] == 'z', a);
	else if (!strcmp(mode, "asynclink") && a)
		bench_asynclink(a);
	else {
		fprintf(stderr, "usage: uringbench nop BATCH N | setup N | sizeof | inflight N\n"
				"       | bufread N | send N | sendzc N | asynclink N\n");
		return 2;
	}
	return 0;
}
