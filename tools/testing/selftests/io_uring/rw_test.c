// SPDX-License-Identifier: GPL-2.0
/*
 * Read/write ops, the io-wq punt path and the sync ops: results, file
 * position handling, short reads, and the errors of bad input.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <dirent.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <linux/falloc.h>
#include <linux/fs.h>

#include "../kselftest_harness.h"
#include "ring.h"

#define FILE_SZ	(64 * 1024)

FIXTURE(rw) {
	struct ring r;
	int fd;
	char path[64];
	unsigned char *wbuf, *rbuf;
};

FIXTURE_SETUP(rw)
{
	int i;

	ASSERT_EQ(0, ring_init(&self->r, 16, NULL));
	snprintf(self->path, sizeof(self->path), "rw_test.%d", getpid());
	self->fd = open(self->path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	ASSERT_LE(0, self->fd);
	self->wbuf = malloc(FILE_SZ);
	self->rbuf = malloc(FILE_SZ);
	ASSERT_NE(NULL, self->wbuf);
	ASSERT_NE(NULL, self->rbuf);
	for (i = 0; i < FILE_SZ; i++)
		self->wbuf[i] = i * 7 + (i >> 8);
}

FIXTURE_TEARDOWN(rw)
{
	ring_exit(&self->r);
	close(self->fd);
	unlink(self->path);
	free(self->wbuf);
	free(self->rbuf);
}

TEST_F(rw, write_then_read)
{
	struct io_uring_cqe cqe;

	ring_rw(&self->r, IORING_OP_WRITE, self->fd, self->wbuf, FILE_SZ, 0, 1);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(FILE_SZ, cqe.res);
	ring_rw(&self->r, IORING_OP_READ, self->fd, self->rbuf, FILE_SZ, 0, 2);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(2, cqe.user_data);
	ASSERT_EQ(FILE_SZ, cqe.res);
	ASSERT_EQ(0, memcmp(self->wbuf, self->rbuf, FILE_SZ));
}

TEST_F(rw, vectored_and_offsets)
{
	struct iovec iov[4];
	struct io_uring_cqe cqe;
	int i;

	for (i = 0; i < 4; i++) {
		iov[i].iov_base = self->wbuf + i * 4096;
		iov[i].iov_len = 4096;
	}
	ring_rw(&self->r, IORING_OP_WRITEV, self->fd, iov, 4, 8192, 1);
	/* the iovec array may be reused as soon as submit returns */
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(4 * 4096, cqe.res);
	memset(iov, 0, sizeof(iov));
	for (i = 0; i < 4; i++) {
		iov[i].iov_base = self->rbuf + (3 - i) * 4096;
		iov[i].iov_len = 4096;
	}
	ring_rw(&self->r, IORING_OP_READV, self->fd, iov, 4, 8192, 2);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(4 * 4096, cqe.res);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, memcmp(self->wbuf + i * 4096,
				    self->rbuf + (3 - i) * 4096, 4096));
	/* the hole before offset 8192 reads as zeroes */
	ring_rw(&self->r, IORING_OP_READ, self->fd, self->rbuf, 100, 0, 3);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(100, cqe.res);
	for (i = 0; i < 100; i++)
		ASSERT_EQ(0, self->rbuf[i]);
}

/*
 * READV_FIXED, WRITEV_FIXED (6.15): iovecs that lie inside a registered
 * buffer, across its page boundaries, in any order.
 */
TEST_F(rw, vectored_fixed_buffers)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct iovec reg, iov[3];
	unsigned char *buf;

	/* 4 pages, registered from an offset inside the first */
	buf = mmap(NULL, 5 * 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	reg = (struct iovec){ buf + 100, 4 * 4096 };
	ASSERT_EQ(0, sys_register(self->r.fd, IORING_REGISTER_BUFFERS, &reg, 1));

	/* write 3 pieces of the buffer, the last one before the first */
	memcpy(buf + 100 + 4000, self->wbuf, 300);		/* crosses a page */
	memcpy(buf + 100 + 9000, self->wbuf + 300, 5000);	/* two pages */
	memcpy(buf + 100, self->wbuf + 5300, 700);
	iov[0] = (struct iovec){ buf + 100 + 4000, 300 };
	iov[1] = (struct iovec){ buf + 100 + 9000, 5000 };
	iov[2] = (struct iovec){ buf + 100, 700 };
	sqe = ring_rw(&self->r, IORING_OP_WRITEV_FIXED, self->fd, iov, 3, 0, 1);
	sqe->buf_index = 0;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(6000, cqe.res);
	ASSERT_EQ(6000, pread(self->fd, self->rbuf, 6000, 0));
	ASSERT_EQ(0, memcmp(self->rbuf, self->wbuf, 6000));

	/* read it back into other places of the buffer */
	memset(buf, 0, 5 * 4096);
	iov[0] = (struct iovec){ buf + 100 + 16000, 384 };
	iov[1] = (struct iovec){ buf + 100 + 50, 5616 };
	sqe = ring_rw(&self->r, IORING_OP_READV_FIXED, self->fd, iov, 2, 0, 2);
	sqe->buf_index = 0;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(6000, cqe.res);
	ASSERT_EQ(0, memcmp(buf + 100 + 16000, self->wbuf, 384));
	ASSERT_EQ(0, memcmp(buf + 100 + 50, self->wbuf + 384, 5616));
	/* one iovec, and from an io worker */
	iov[0] = (struct iovec){ buf + 100 + 8000, 1000 };
	sqe = ring_rw(&self->r, IORING_OP_READV_FIXED, self->fd, iov, 1, 1000, 3);
	sqe->flags |= IOSQE_ASYNC;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(1000, cqe.res);
	ASSERT_EQ(0, memcmp(buf + 100 + 8000, self->wbuf + 1000, 1000));

	/* outside the buffer, either end; a buffer not registered */
	iov[0] = (struct iovec){ buf + 99, 10 };
	ring_rw(&self->r, IORING_OP_READV_FIXED, self->fd, iov, 1, 0, 4);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	EXPECT_EQ(-EFAULT, cqe.res);
	iov[0] = (struct iovec){ buf + 100 + 16380, 10 };
	ring_rw(&self->r, IORING_OP_WRITEV_FIXED, self->fd, iov, 1, 0, 5);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	EXPECT_EQ(-EFAULT, cqe.res);
	iov[0] = (struct iovec){ buf + 100, 10 };
	ring_rw(&self->r, IORING_OP_READV_FIXED, self->fd, iov, 1, 0, 6)->buf_index = 1;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	EXPECT_EQ(-EFAULT, cqe.res);
	/* a buffer group is no registered buffer */
	sqe = ring_rw(&self->r, IORING_OP_READV_FIXED, self->fd, iov, 1, 0, 7);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	EXPECT_EQ(-EINVAL, cqe.res);
	ASSERT_EQ(0, sys_register(self->r.fd, IORING_UNREGISTER_BUFFERS, NULL, 0));
	munmap(buf, 5 * 4096);
}

TEST_F(rw, file_position)
{
	struct io_uring_cqe cqe;

	/* offset -1: use and advance the file position */
	ring_rw(&self->r, IORING_OP_WRITE, self->fd, self->wbuf, 1000, -1ULL, 1);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(1000, cqe.res);
	ring_rw(&self->r, IORING_OP_WRITE, self->fd, self->wbuf + 1000, 24, -1ULL, 2);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(24, cqe.res);
	ASSERT_EQ(1024, lseek(self->fd, 0, SEEK_CUR));
	ASSERT_EQ(100, lseek(self->fd, 100, SEEK_SET));
	ring_rw(&self->r, IORING_OP_READ, self->fd, self->rbuf, 50, -1ULL, 3);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(50, cqe.res);
	ASSERT_EQ(0, memcmp(self->wbuf + 100, self->rbuf, 50));
	ASSERT_EQ(150, lseek(self->fd, 0, SEEK_CUR));
	/* an explicit offset leaves the position alone */
	ring_rw(&self->r, IORING_OP_READ, self->fd, self->rbuf, 10, 0, 4);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(150, lseek(self->fd, 0, SEEK_CUR));
}

TEST_F(rw, short_read_at_eof)
{
	struct io_uring_cqe cqe;

	ASSERT_EQ(3000, pwrite(self->fd, self->wbuf, 3000, 0));
	ring_rw(&self->r, IORING_OP_READ, self->fd, self->rbuf, FILE_SZ, 1000, 1);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(2000, cqe.res);
	ring_rw(&self->r, IORING_OP_READ, self->fd, self->rbuf, 10, 5000, 2);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(0, cqe.res);
}

TEST_F(rw, async_flag_runs_in_iowq)
{
	struct io_uring_cqe cqe;

	ring_rw(&self->r, IORING_OP_WRITE, self->fd, self->wbuf, 4096, 0, 1)->flags =
		IOSQE_ASYNC;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(4096, cqe.res);
	ring_rw(&self->r, IORING_OP_READ, self->fd, self->rbuf, 4096, 0, 2)->flags =
		IOSQE_ASYNC;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(4096, cqe.res);
	ASSERT_EQ(0, memcmp(self->wbuf, self->rbuf, 4096));
}

TEST_F(rw, bad_inputs)
{
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	int wronly;

	ring_rw(&self->r, IORING_OP_READ, 1000, self->rbuf, 10, 0, 1);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EBADF, cqe.res);

	/* an unmapped buffer */
	ASSERT_EQ(10, pwrite(self->fd, self->wbuf, 10, 0));
	ring_rw(&self->r, IORING_OP_READ, self->fd, (void *)8, 10, 0, 2);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EFAULT, cqe.res);
	ring_rw(&self->r, IORING_OP_READV, self->fd, (void *)8, 1, 0, 3);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EFAULT, cqe.res);

	/* reading a write-only file */
	wronly = open(self->path, O_WRONLY);
	ASSERT_LE(0, wronly);
	ring_rw(&self->r, IORING_OP_READ, wronly, self->rbuf, 10, 0, 4);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EBADF, cqe.res);
	close(wronly);

	/* unknown RWF_* flags */
	sqe = ring_rw(&self->r, IORING_OP_READ, self->fd, self->rbuf, 10, 0, 5);
	sqe->rw_flags = 0x80000000;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EOPNOTSUPP, cqe.res);

	/* too many iovecs */
	ring_rw(&self->r, IORING_OP_READV, self->fd, self->rbuf, 100000, 0, 6);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);

	/* a bad ioprio class */
	sqe = ring_rw(&self->r, IORING_OP_READ, self->fd, self->rbuf, 10, 0, 7);
	sqe->ioprio = 7 << 13;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
}

TEST_F(rw, pipe_read_waits_in_iowq)
{
	struct io_uring_cqe cqe;
	char buf[16];
	int p[2];

	ASSERT_EQ(0, pipe(p));
	ring_rw(&self->r, IORING_OP_READ, p[0], buf, sizeof(buf), 0, 1);
	/* the submitter does not block on the empty pipe */
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_TRUE(ring_wait_polls(&self->r, 1, 2000));
	ASSERT_EQ(0, ring_cq_ready(&self->r));
	ASSERT_EQ(5, write(p[1], "hello", 5));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_EQ(5, cqe.res);
	ASSERT_EQ(0, memcmp(buf, "hello", 5));
	close(p[0]);
	close(p[1]);
}

TEST_F(rw, nonblocking_file_still_waits)
{
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	char buf[16];
	int p[2];

	/* O_NONBLOCK on the file does not make io_uring give up */
	ASSERT_EQ(0, pipe2(p, O_NONBLOCK));
	ring_rw(&self->r, IORING_OP_READ, p[0], buf, sizeof(buf), 0, 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_TRUE(ring_wait_polls(&self->r, 1, 2000));
	ASSERT_EQ(0, ring_cq_ready(&self->r));
	ASSERT_EQ(2, write(p[1], "ok", 2));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_EQ(2, cqe.res);

	/* RWF_NOWAIT does */
	sqe = ring_rw(&self->r, IORING_OP_READ, p[0], buf, sizeof(buf), 0, 2);
	sqe->rw_flags = RWF_NOWAIT;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EAGAIN, cqe.res);
	close(p[0]);
	close(p[1]);
}

TEST_F(rw, fsync_and_friends)
{
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct stat st;

	ASSERT_EQ(4096, pwrite(self->fd, self->wbuf, 4096, 0));
	ring_rw(&self->r, IORING_OP_FSYNC, self->fd, NULL, 0, 0, 1);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(0, cqe.res);
	sqe = ring_rw(&self->r, IORING_OP_FSYNC, self->fd, NULL, 4096, 0, 2);
	sqe->fsync_flags = IORING_FSYNC_DATASYNC;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(0, cqe.res);
	sqe = ring_rw(&self->r, IORING_OP_FSYNC, self->fd, NULL, 0, 0, 3);
	sqe->fsync_flags = 2;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	ring_rw(&self->r, IORING_OP_FSYNC, 1000, NULL, 0, 0, 4);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EBADF, cqe.res);

	sqe = ring_rw(&self->r, IORING_OP_SYNC_FILE_RANGE, self->fd, NULL, 4096, 0, 5);
	sqe->sync_range_flags = 2; /* SYNC_FILE_RANGE_WRITE */
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(0, cqe.res);
	sqe = ring_rw(&self->r, IORING_OP_SYNC_FILE_RANGE, self->fd, NULL, 4096, 0, 6);
	sqe->sync_range_flags = 0x100;
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);

	/* fallocate: len in addr, mode in len */
	ring_rw(&self->r, IORING_OP_FALLOCATE, self->fd, (void *)(1 << 20), 0, 0, 7);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(0, cqe.res);
	ASSERT_EQ(0, fstat(self->fd, &st));
	ASSERT_EQ(1 << 20, st.st_size);
	ring_rw(&self->r, IORING_OP_FALLOCATE, self->fd, (void *)4096,
		FALLOC_FL_KEEP_SIZE, 2 << 20, 8);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(0, cqe.res);
	ASSERT_EQ(0, fstat(self->fd, &st));
	ASSERT_EQ(1 << 20, st.st_size);
	ring_rw(&self->r, IORING_OP_FALLOCATE, self->fd, (void *)4096, 0xff, 0, 9);
	ASSERT_EQ(0, ring_submit_one(&self->r, &cqe));
	ASSERT_EQ(-EOPNOTSUPP, cqe.res);
}

/*
 * Buffered writes to one file are serialized in io-wq, in queue order:
 * writes at the file position then append in submission order.
 */
TEST_F(rw, hashed_writes_keep_order)
{
	int res[16], i;

	for (i = 0; i < 16; i++)
		ring_rw(&self->r, IORING_OP_WRITE, self->fd, self->wbuf + i * 1000,
			1000, -1ULL, i)->flags = IOSQE_ASYNC;
	ASSERT_EQ(16, ring_submit_and_wait(&self->r, 16));
	ASSERT_EQ(0, ring_reap(&self->r, 16, res, 16));
	for (i = 0; i < 16; i++)
		ASSERT_EQ(1000, res[i]);
	ASSERT_EQ(16000, pread(self->fd, self->rbuf, FILE_SZ, 0));
	ASSERT_EQ(0, memcmp(self->wbuf, self->rbuf, 16000));
}

/*
 * A child queues @nr reads on an empty pipe (they wait in io-wq), then
 * closes the ring or just exits; either must cancel them, not hang.
 * Returns the child's wait status.
 */
static int blocked_reads_child(int rfd, int nr, bool close_ring)
{
	int i, status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		static char buf[32][8];
		struct ring r;

		if (nr > 32 || ring_init(&r, 32, NULL))
			_exit(1);
		for (i = 0; i < nr; i++)
			ring_rw(&r, IORING_OP_READ, rfd, buf[i], 8, 0, i);
		if (ring_submit(&r) != nr)
			_exit(2);
		/* every read waits for the pipe */
		if (!ring_wait_polls(&r, nr, 2000))
			_exit(3);
		if (close_ring) {
			ring_exit(&r);
			usleep(100000);
		}
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

TEST(teardown_with_blocked_reads)
{
	int status, p[2];

	ASSERT_EQ(0, pipe(p));
	status = blocked_reads_child(p[0], 32, true);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	close(p[0]);
	close(p[1]);
}

TEST(exit_with_blocked_reads)
{
	int status, p[2];
	char c[4];

	ASSERT_EQ(0, pipe(p));
	status = blocked_reads_child(p[0], 8, false);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	/* nothing was consumed from the pipe by the cancelled reads */
	ASSERT_EQ(3, write(p[1], "abc", 3));
	close(p[1]);
	ASSERT_EQ(3, read(p[0], c, sizeof(c)));
	close(p[0]);
}

/* ---- buffered reads of pages not in the cache: no io-wq thread ---- */

#define COLD_SZ		(8U << 20)
#define COLD_READ	(64U << 10)
#define COLD_NR		32

/* io-wq workers of this process (their names start with "iou-wrk") */
static int iowq_threads(void)
{
	char path[300], comm[32];
	struct dirent *e;
	int n = 0;
	DIR *d = opendir("/proc/self/task");

	if (!d)
		return -1;
	while ((e = readdir(d))) {
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

static unsigned char cold_byte(size_t off)
{
	return off * 13 + (off >> 12);
}

/*
 * A file of COLD_SZ on disk and out of the page cache; returns the fd,
 * or -1 if the cache would not let go of it (the test is skipped then).
 */
static int cold_file(const char *path)
{
	unsigned char *buf = malloc(1 << 20);
	unsigned char vec[COLD_SZ / 4096];
	size_t off, i;
	void *map;
	int fd;

	if (!buf)
		return -1;
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	for (off = 0; off < COLD_SZ; off += 1 << 20) {
		for (i = 0; i < 1 << 20; i++)
			buf[i] = cold_byte(off + i);
		if (write(fd, buf, 1 << 20) != 1 << 20)
			return -1;
	}
	free(buf);
	if (fsync(fd) || posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED))
		return -1;
	/* gone from the cache? mincore() of a mapping says */
	map = mmap(NULL, COLD_SZ, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED || mincore(map, COLD_SZ, vec))
		return -1;
	munmap(map, COLD_SZ);
	for (i = 0; i < sizeof(vec); i++)
		if (vec[i] & 1)
			return -1;
	return fd;
}

static bool cold_data_ok(const unsigned char *buf, size_t off, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != cold_byte(off + i))
			return false;
	return true;
}

TEST(buffered_read_of_cold_pages_waits_without_a_thread)
{
	static unsigned char bufs[COLD_NR][COLD_READ];
	int res[COLD_NR], i, fd;
	char path[64];
	struct ring r;

	snprintf(path, sizeof(path), "rw_cold.%d", getpid());
	fd = cold_file(path);
	if (fd < 0) {
		unlink(path);
		SKIP(return, "the page cache keeps the file");
	}
	ASSERT_EQ(0, ring_init(&r, 64, NULL));
	/* scattered: each read starts a read-ahead of its own */
	for (i = 0; i < COLD_NR; i++)
		ring_rw(&r, IORING_OP_READ, fd, bufs[i], COLD_READ,
			(size_t)((i * 7) % COLD_NR) * (COLD_SZ / COLD_NR), i);
	ASSERT_EQ(COLD_NR, ring_submit(&r));
	ASSERT_EQ(0, ring_reap(&r, COLD_NR, res, COLD_NR));
	for (i = 0; i < COLD_NR; i++) {
		ASSERT_EQ(COLD_READ, res[i]);
		ASSERT_TRUE(cold_data_ok(bufs[i], (size_t)((i * 7) % COLD_NR) *
						  (COLD_SZ / COLD_NR), COLD_READ));
	}
	/* no io worker was made for them (workers stay for seconds) */
	ASSERT_EQ(0, iowq_threads());
	/* and the count would have seen one: IOSQE_ASYNC makes one */
	ring_rw(&r, IORING_OP_READ, fd, bufs[0], 4096, 0, 0)->flags = IOSQE_ASYNC;
	ASSERT_EQ(1, ring_submit(&r));
	ASSERT_EQ(0, ring_reap(&r, 1, res, COLD_NR));
	ASSERT_EQ(4096, res[0]);
	ASSERT_LT(0, iowq_threads());
	ring_exit(&r);
	close(fd);
	unlink(path);
}

TEST(buffered_read_across_cached_and_cold_pages_gets_it_all)
{
	static unsigned char buf[256 << 10];
	unsigned char page[4096];
	struct io_uring_cqe cqe;
	char path[64];
	struct ring r;
	int fd;

	snprintf(path, sizeof(path), "rw_cold.%d", getpid());
	fd = cold_file(path);
	if (fd < 0) {
		unlink(path);
		SKIP(return, "the page cache keeps the file");
	}
	/* no read-ahead: one page cached in the middle, cold around it */
	ASSERT_EQ(0, posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM));
	ASSERT_EQ(4096, pread(fd, page, 4096, (1 << 20) + (64 << 10)));
	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	ring_rw(&r, IORING_OP_READ, fd, buf, sizeof(buf), 1 << 20, 1);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(sizeof(buf), cqe.res);
	ASSERT_TRUE(cold_data_ok(buf, 1 << 20, sizeof(buf)));
	/* from the file position too, which moves by what was read */
	ASSERT_EQ(1 << 20, lseek(fd, 1 << 20, SEEK_SET));
	ASSERT_EQ(0, posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED));
	ring_rw(&r, IORING_OP_READ, fd, buf, sizeof(buf), -1ULL, 2);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(sizeof(buf), cqe.res);
	ASSERT_TRUE(cold_data_ok(buf, 1 << 20, sizeof(buf)));
	ASSERT_EQ((1 << 20) + sizeof(buf), lseek(fd, 0, SEEK_CUR));
	ring_exit(&r);
	close(fd);
	unlink(path);
}

/* Exit, and ring close, while reads wait for their pages: both wait. */
TEST(exit_and_close_with_buffered_reads_waiting_for_pages)
{
	static unsigned char bufs[COLD_NR][COLD_READ];
	int i, fd, status;
	char path[64];
	pid_t pid;

	snprintf(path, sizeof(path), "rw_cold.%d", getpid());
	for (int round = 0; round < 2; round++) {
		fd = cold_file(path);
		if (fd < 0) {
			unlink(path);
			SKIP(return, "the page cache keeps the file");
		}
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			struct ring r;

			if (ring_init(&r, 64, NULL))
				_exit(2);
			for (i = 0; i < COLD_NR; i++)
				ring_rw(&r, IORING_OP_READ, fd, bufs[i],
					COLD_READ, (size_t)i * (COLD_SZ / COLD_NR),
					i);
			if (ring_submit(&r) != COLD_NR)
				_exit(3);
			/* round 0: exit with them; round 1: close first */
			if (round)
				ring_exit(&r);
			_exit(0);
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_TRUE(WIFEXITED(status));
		ASSERT_EQ(0, WEXITSTATUS(status));
		close(fd);
	}
	unlink(path);
}

TEST_HARNESS_MAIN
