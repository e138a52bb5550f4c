// SPDX-License-Identifier: GPL-2.0
/*
 * File-system ops: OPENAT, OPENAT2 (direct descriptors too), CLOSE,
 * FIXED_FD_INSTALL, STATX, FADVISE, MADVISE, RENAMEAT, UNLINKAT,
 * MKDIRAT, SYMLINKAT, LINKAT, the xattr ops and FTRUNCATE, each with the
 * bad inputs it must refuse; and the probe, which must list every op.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <linux/openat2.h>
#include <linux/stat.h>

#include "../kselftest_harness.h"
#include "ring.h"

FIXTURE(fs) {
	struct ring r;
	char dir[64];
	int dfd;
};

FIXTURE_SETUP(fs)
{
	int files[4] = { -1, -1, -1, -1 };

	ASSERT_EQ(0, ring_init(&self->r, 16, 0));
	ASSERT_EQ(0, sys_register(self->r.fd, IORING_REGISTER_FILES, files, 4));
	snprintf(self->dir, sizeof(self->dir), "/tmp/iou-fs-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	self->dfd = open(self->dir, O_DIRECTORY | O_RDONLY);
	ASSERT_LE(0, self->dfd);
}

FIXTURE_TEARDOWN(fs)
{
	char cmd[96];

	ring_exit(&self->r);
	close(self->dfd);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd))
		TH_LOG("could not remove %s", self->dir);
}

/* One SQE, submitted alone; returns its CQE's res. */
static int run1(struct ring *r)
{
	struct io_uring_cqe cqe;
	int ret = ring_submit_one(r, &cqe);

	return ret ? ret : cqe.res;
}

static struct io_uring_sqe *prep_open(struct ring *r, int dfd,
				      const char *path, int flags, int mode,
				      unsigned int slot)
{
	struct io_uring_sqe *sqe = ring_rw(r, IORING_OP_OPENAT, dfd, path,
					   mode, 0, 1);

	sqe->open_flags = flags;
	sqe->file_index = slot;
	return sqe;
}

TEST_F(fs, openat_close)
{
	struct ring *r = &self->r;
	struct io_uring_sqe *sqe;
	char buf[8];
	int fd;

	/* create, write through the fd, close it with CLOSE */
	prep_open(r, self->dfd, "a", O_CREAT | O_RDWR, 0600, 0);
	fd = run1(r);
	ASSERT_LE(0, fd);
	ASSERT_EQ(3, write(fd, "abc", 3));
	sqe = ring_rw(r, IORING_OP_CLOSE, fd, NULL, 0, 0, 2);
	ASSERT_EQ(0, run1(r));
	ASSERT_EQ(-1, fcntl(fd, F_GETFD));
	/* O_CLOEXEC as asked; a cached lookup inline */
	prep_open(r, self->dfd, "a", O_RDONLY | O_CLOEXEC, 0, 0);
	fd = run1(r);
	ASSERT_LE(0, fd);
	ASSERT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD));
	/* our O_NONBLOCK for the inline attempt does not leak */
	ASSERT_EQ(0, fcntl(fd, F_GETFL) & O_NONBLOCK);
	ASSERT_EQ(3, read(fd, buf, sizeof(buf)));
	close(fd);
	/* errors of the path */
	prep_open(r, self->dfd, "missing", O_RDONLY, 0, 0);
	ASSERT_EQ(-ENOENT, run1(r));
	prep_open(r, self->dfd, (char *)8, O_RDONLY, 0, 0);
	ASSERT_EQ(-EFAULT, run1(r));
	prep_open(r, self->dfd, "a", O_CREAT | O_EXCL | O_RDWR, 0600, 0);
	ASSERT_EQ(-EEXIST, run1(r));
	/* the directory is never a fixed file; buf_index is not ours */
	sqe = prep_open(r, 0, "a", O_RDONLY, 0, 0);
	sqe->flags |= IOSQE_FIXED_FILE;
	ASSERT_EQ(-EBADF, run1(r));
	sqe = prep_open(r, self->dfd, "a", O_RDONLY, 0, 0);
	sqe->buf_index = 1;
	ASSERT_EQ(-EINVAL, run1(r));
	/* CLOSE: not a ring, not twice, not fd and slot together */
	sqe = ring_rw(r, IORING_OP_CLOSE, r->fd, NULL, 0, 0, 2);
	ASSERT_EQ(-EBADF, run1(r));
	sqe = ring_rw(r, IORING_OP_CLOSE, 1000, NULL, 0, 0, 2);
	ASSERT_EQ(-EBADF, run1(r));
	sqe = ring_rw(r, IORING_OP_CLOSE, 5, NULL, 0, 0, 2);
	sqe->file_index = 1;
	ASSERT_EQ(-EINVAL, run1(r));
	sqe = ring_rw(r, IORING_OP_CLOSE, 5, NULL, 0, 1, 2);
	ASSERT_EQ(-EINVAL, run1(r));
}

TEST_F(fs, open_direct)
{
	struct ring *r = &self->r;
	struct io_uring_sqe *sqe;
	char buf[8] = { 0 };
	int fd;

	fd = openat(self->dfd, "d", O_CREAT | O_RDWR, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(4, write(fd, "data", 4));
	close(fd);
	/* into slot 2 (file_index 3): res 0 */
	prep_open(r, self->dfd, "d", O_RDONLY, 0, 3);
	ASSERT_EQ(0, run1(r));
	sqe = ring_rw(r, IORING_OP_READ, 2, buf, sizeof(buf), 0, 2);
	sqe->flags |= IOSQE_FIXED_FILE;
	ASSERT_EQ(4, run1(r));
	ASSERT_EQ(0, memcmp(buf, "data", 4));
	/* allocated: a free slot after the one filled last, then wrapping */
	prep_open(r, self->dfd, "d", O_RDONLY, 0, IORING_FILE_INDEX_ALLOC);
	ASSERT_EQ(3, run1(r));
	prep_open(r, self->dfd, "d", O_RDONLY, 0, IORING_FILE_INDEX_ALLOC);
	ASSERT_EQ(0, run1(r));
	/* out of range, close-on-exec for a slot */
	prep_open(r, self->dfd, "d", O_RDONLY, 0, 5);
	ASSERT_EQ(-EINVAL, run1(r));
	prep_open(r, self->dfd, "d", O_RDONLY | O_CLOEXEC, 0, 1);
	ASSERT_EQ(-EINVAL, run1(r));
	/* a slot opened by an earlier linked request is read by the next */
	sqe = prep_open(r, self->dfd, "d", O_RDONLY, 0, 4);
	sqe->flags |= IOSQE_IO_LINK;
	sqe = ring_rw(r, IORING_OP_READ, 3, buf, sizeof(buf), 0, 2);
	sqe->flags |= IOSQE_FIXED_FILE;
	{
		int res[3] = { -1, -1, -1 };

		ASSERT_EQ(2, ring_submit(r));
		ASSERT_EQ(0, ring_reap(r, 2, res, 3));
		ASSERT_EQ(0, res[1]);
		ASSERT_EQ(4, res[2]);
	}
	/* close a slot, then the empty slot */
	sqe = ring_rw(r, IORING_OP_CLOSE, 0, NULL, 0, 0, 2);
	sqe->file_index = 3;
	ASSERT_EQ(0, run1(r));
	sqe = ring_rw(r, IORING_OP_CLOSE, 0, NULL, 0, 0, 2);
	sqe->file_index = 3;
	ASSERT_EQ(-EBADF, run1(r));
	sqe = ring_rw(r, IORING_OP_CLOSE, 0, NULL, 0, 0, 2);
	sqe->file_index = 9;
	ASSERT_EQ(-EINVAL, run1(r));
}

TEST_F(fs, fixed_fd_install)
{
	struct ring *r = &self->r;
	struct io_uring_sqe *sqe;
	int fd;

	prep_open(r, self->dfd, "i", O_CREAT | O_RDWR, 0600, 1);
	ASSERT_EQ(0, run1(r));
	sqe = ring_rw(r, IORING_OP_FIXED_FD_INSTALL, 0, NULL, 0, 0, 2);
	sqe->flags |= IOSQE_FIXED_FILE;
	fd = run1(r);
	ASSERT_LE(0, fd);
	ASSERT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD));
	ASSERT_EQ(2, write(fd, "hi", 2));
	close(fd);
	sqe = ring_rw(r, IORING_OP_FIXED_FD_INSTALL, 0, NULL, 0, 0, 2);
	sqe->flags |= IOSQE_FIXED_FILE;
	sqe->install_fd_flags = IORING_FIXED_FD_NO_CLOEXEC;
	fd = run1(r);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fcntl(fd, F_GETFD));
	close(fd);
	/* a normal fd, an empty slot, unknown flags */
	sqe = ring_rw(r, IORING_OP_FIXED_FD_INSTALL, 0, NULL, 0, 0, 2);
	ASSERT_EQ(-EBADF, run1(r));
	sqe = ring_rw(r, IORING_OP_FIXED_FD_INSTALL, 3, NULL, 0, 0, 2);
	sqe->flags |= IOSQE_FIXED_FILE;
	ASSERT_EQ(-EBADF, run1(r));
	sqe = ring_rw(r, IORING_OP_FIXED_FD_INSTALL, 0, NULL, 0, 0, 2);
	sqe->flags |= IOSQE_FIXED_FILE;
	sqe->install_fd_flags = 2;
	ASSERT_EQ(-EINVAL, run1(r));
}

/* Is @name one of the active LSMs? */
static bool lsm_active(const char *name)
{
	char buf[256] = "";
	int fd = open("/sys/kernel/security/lsm", O_RDONLY);
	ssize_t n;

	if (fd < 0) {
		/* no securityfs: the LSM's own attribute answers if active */
		snprintf(buf, sizeof(buf), "/proc/self/attr/%s/current", name);
		fd = open(buf, O_RDONLY);
		n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
		if (fd >= 0)
			close(fd);
		return n > 0;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	return strstr(buf, name);
}

TEST_F(fs, openat2)
{
	struct ring *r = &self->r;
	struct open_how how = { .flags = O_CREAT | O_RDWR, .mode = 0600 };
	struct {
		struct open_how how;
		__u64 extra;
	} big = { .how = { .flags = O_RDONLY }, .extra = 1 };
	int fd;

	ring_rw(r, IORING_OP_OPENAT2, self->dfd, "o", sizeof(how),
		(uintptr_t)&how, 1);
	fd = run1(r);
	ASSERT_LE(0, fd);
	close(fd);
	/*
	 * A path in the dcache: RESOLVE_CACHED succeeds, unless an LSM
	 * refuses every permission check that may not block (Smack does),
	 * which makes no lookup possible from the cache alone.
	 */
	how.flags = O_RDONLY;
	how.mode = 0;
	how.resolve = RESOLVE_CACHED;
	ring_rw(r, IORING_OP_OPENAT2, self->dfd, "o", sizeof(how),
		(uintptr_t)&how, 1);
	fd = run1(r);
	if (fd == -EAGAIN && lsm_active("smack"))
		fd = openat(self->dfd, "o", O_RDONLY);
	ASSERT_LE(0, fd);
	close(fd);
	/* ... and asks for -EAGAIN where a create is needed */
	how.flags = O_CREAT | O_RDWR;
	how.mode = 0600;
	ring_rw(r, IORING_OP_OPENAT2, self->dfd, "new", sizeof(how),
		(uintptr_t)&how, 1);
	ASSERT_EQ(-EAGAIN, run1(r));
	/* too small, unknown flags, a bigger struct with a non-zero tail */
	ring_rw(r, IORING_OP_OPENAT2, self->dfd, "o", 8,
		(uintptr_t)&how, 1);
	ASSERT_EQ(-EINVAL, run1(r));
	how.resolve = 0;
	how.flags = 1ULL << 40;
	ring_rw(r, IORING_OP_OPENAT2, self->dfd, "o", sizeof(how),
		(uintptr_t)&how, 1);
	ASSERT_EQ(-EINVAL, run1(r));
	ring_rw(r, IORING_OP_OPENAT2, self->dfd, "o", sizeof(big),
		(uintptr_t)&big, 1);
	ASSERT_EQ(-E2BIG, run1(r));
	big.extra = 0;
	ring_rw(r, IORING_OP_OPENAT2, self->dfd, "o", sizeof(big),
		(uintptr_t)&big, 1);
	fd = run1(r);
	ASSERT_LE(0, fd);
	close(fd);
	ring_rw(r, IORING_OP_OPENAT2, self->dfd, "o", sizeof(how), 8, 1);
	ASSERT_EQ(-EFAULT, run1(r));
}

TEST_F(fs, statx)
{
	struct ring *r = &self->r;
	struct io_uring_sqe *sqe;
	struct statx stx;
	int fd;

	fd = openat(self->dfd, "s", O_CREAT | O_RDWR, 0640);
	ASSERT_LE(0, fd);
	ASSERT_EQ(5, write(fd, "12345", 5));
	sqe = ring_rw(r, IORING_OP_STATX, self->dfd, "s", STATX_BASIC_STATS,
		      (uintptr_t)&stx, 1);
	ASSERT_EQ(0, run1(r));
	ASSERT_EQ(5, stx.stx_size);
	ASSERT_EQ(0640, stx.stx_mode & 07777);
	/* the fd itself, with AT_EMPTY_PATH */
	memset(&stx, 0, sizeof(stx));
	sqe = ring_rw(r, IORING_OP_STATX, fd, "", STATX_SIZE,
		      (uintptr_t)&stx, 1);
	sqe->statx_flags = AT_EMPTY_PATH;
	ASSERT_EQ(0, run1(r));
	ASSERT_EQ(5, stx.stx_size);
	close(fd);
	sqe = ring_rw(r, IORING_OP_STATX, self->dfd, "s", STATX__RESERVED,
		      (uintptr_t)&stx, 1);
	ASSERT_EQ(-EINVAL, run1(r));
	sqe = ring_rw(r, IORING_OP_STATX, self->dfd, "s", STATX_SIZE,
		      (uintptr_t)&stx, 1);
	sqe->statx_flags = 0x80000000;
	ASSERT_EQ(-EINVAL, run1(r));
	sqe = ring_rw(r, IORING_OP_STATX, self->dfd, "nope", STATX_SIZE,
		      (uintptr_t)&stx, 1);
	ASSERT_EQ(-ENOENT, run1(r));
	sqe = ring_rw(r, IORING_OP_STATX, self->dfd, "s", STATX_SIZE, 8, 1);
	ASSERT_EQ(-EFAULT, run1(r));
}

TEST_F(fs, advise_truncate)
{
	struct ring *r = &self->r;
	struct io_uring_sqe *sqe;
	struct stat st;
	char *map;
	int fd, rd;

	fd = openat(self->dfd, "t", O_CREAT | O_RDWR, 0600);
	ASSERT_LE(0, fd);
	/* FTRUNCATE grows and shrinks */
	sqe = ring_rw(r, IORING_OP_FTRUNCATE, fd, NULL, 0, 8192, 1);
	ASSERT_EQ(0, run1(r));
	ASSERT_EQ(0, fstat(fd, &st));
	ASSERT_EQ(8192, st.st_size);
	sqe = ring_rw(r, IORING_OP_FTRUNCATE, fd, NULL, 0, 100, 1);
	ASSERT_EQ(0, run1(r));
	ASSERT_EQ(0, fstat(fd, &st));
	ASSERT_EQ(100, st.st_size);
	sqe = ring_rw(r, IORING_OP_FTRUNCATE, fd, NULL, 0, -1ULL, 1);
	ASSERT_EQ(-EINVAL, run1(r));
	sqe = ring_rw(r, IORING_OP_FTRUNCATE, fd, NULL, 1, 0, 1);
	ASSERT_EQ(-EINVAL, run1(r));
	rd = openat(self->dfd, "t", O_RDONLY);
	ASSERT_LE(0, rd);
	sqe = ring_rw(r, IORING_OP_FTRUNCATE, rd, NULL, 0, 0, 1);
	ASSERT_EQ(-EINVAL, run1(r));
	close(rd);
	/* FADVISE: inline advice, io-wq advice, nonsense */
	sqe = ring_rw(r, IORING_OP_FADVISE, fd, NULL, 100, 0, 1);
	sqe->fadvise_advice = POSIX_FADV_RANDOM;
	ASSERT_EQ(0, run1(r));
	sqe = ring_rw(r, IORING_OP_FADVISE, fd, NULL, 100, 0, 1);
	sqe->fadvise_advice = POSIX_FADV_DONTNEED;
	ASSERT_EQ(0, run1(r));
	sqe = ring_rw(r, IORING_OP_FADVISE, fd, NULL, 100, 0, 1);
	sqe->fadvise_advice = 99;
	ASSERT_EQ(-EINVAL, run1(r));
	sqe = ring_rw(r, IORING_OP_FADVISE, 1000, NULL, 100, 0, 1);
	ASSERT_EQ(-EBADF, run1(r));
	/* MADVISE on our own mapping; unaligned is -EINVAL */
	map = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	map[0] = 1;
	sqe = ring_rw(r, IORING_OP_MADVISE, -1, map, 8192, 0, 1);
	sqe->fadvise_advice = MADV_DONTNEED;
	ASSERT_EQ(0, run1(r));
	ASSERT_EQ(0, map[0]);
	sqe = ring_rw(r, IORING_OP_MADVISE, -1, map + 1, 8192, 0, 1);
	sqe->fadvise_advice = MADV_DONTNEED;
	ASSERT_EQ(-EINVAL, run1(r));
	sqe = ring_rw(r, IORING_OP_MADVISE, -1, map, 8192, 0, 1);
	sqe->fadvise_advice = 9999;
	ASSERT_EQ(-EINVAL, run1(r));
	munmap(map, 8192);
	close(fd);
}

TEST_F(fs, namespace_ops)
{
	struct ring *r = &self->r;
	struct io_uring_sqe *sqe;
	char target[64];
	struct stat st;
	int fd;

	/* MKDIRAT, then again: -EEXIST */
	sqe = ring_rw(r, IORING_OP_MKDIRAT, self->dfd, "sub", 0750, 0, 1);
	ASSERT_EQ(0, run1(r));
	ASSERT_EQ(0, fstatat(self->dfd, "sub", &st, 0));
	ASSERT_TRUE(S_ISDIR(st.st_mode));
	sqe = ring_rw(r, IORING_OP_MKDIRAT, self->dfd, "sub", 0750, 0, 1);
	ASSERT_EQ(-EEXIST, run1(r));
	/* RENAMEAT: plain, then RENAME_NOREPLACE onto an existing name */
	fd = openat(self->dfd, "f", O_CREAT | O_RDWR, 0600);
	ASSERT_LE(0, fd);
	close(fd);
	sqe = ring_rw(r, IORING_OP_RENAMEAT, self->dfd, "f", self->dfd,
		      (uintptr_t)"sub/g", 1);
	ASSERT_EQ(0, run1(r));
	ASSERT_EQ(0, fstatat(self->dfd, "sub/g", &st, 0));
	sqe = ring_rw(r, IORING_OP_RENAMEAT, self->dfd, "sub/g", self->dfd,
		      (uintptr_t)"sub", 1);
	sqe->rename_flags = RENAME_NOREPLACE;
	ASSERT_EQ(-EEXIST, run1(r));
	sqe = ring_rw(r, IORING_OP_RENAMEAT, self->dfd, "sub/g", self->dfd,
		      (uintptr_t)"h", 1);
	sqe->rename_flags = 0x100;
	ASSERT_EQ(-EINVAL, run1(r));
	/* SYMLINKAT and LINKAT */
	sqe = ring_rw(r, IORING_OP_SYMLINKAT, self->dfd, "sub/g", 0,
		      (uintptr_t)"sym", 1);
	ASSERT_EQ(0, run1(r));
	ASSERT_EQ(5, readlinkat(self->dfd, "sym", target, sizeof(target)));
	ASSERT_EQ(0, memcmp(target, "sub/g", 5));
	sqe = ring_rw(r, IORING_OP_LINKAT, self->dfd, "sub/g", self->dfd,
		      (uintptr_t)"hard", 1);
	ASSERT_EQ(0, run1(r));
	ASSERT_EQ(0, fstatat(self->dfd, "hard", &st, 0));
	ASSERT_EQ(2, st.st_nlink);
	sqe = ring_rw(r, IORING_OP_LINKAT, self->dfd, "sub/g", self->dfd,
		      (uintptr_t)"hard2", 1);
	sqe->hardlink_flags = 0x4;
	ASSERT_EQ(-EINVAL, run1(r));
	sqe = ring_rw(r, IORING_OP_LINKAT, self->dfd, "nope", self->dfd,
		      (uintptr_t)"hard2", 1);
	ASSERT_EQ(-ENOENT, run1(r));
	/* UNLINKAT: a file, a non-empty directory, AT_REMOVEDIR */
	sqe = ring_rw(r, IORING_OP_UNLINKAT, self->dfd, "hard", 0, 0, 1);
	ASSERT_EQ(0, run1(r));
	sqe = ring_rw(r, IORING_OP_UNLINKAT, self->dfd, "sub", 0, 0, 1);
	sqe->unlink_flags = AT_REMOVEDIR;
	ASSERT_EQ(-ENOTEMPTY, run1(r));
	sqe = ring_rw(r, IORING_OP_UNLINKAT, self->dfd, "sub", 0, 0, 1);
	ASSERT_EQ(-EISDIR, run1(r));
	sqe = ring_rw(r, IORING_OP_UNLINKAT, self->dfd, "sub/g", 0, 0, 1);
	ASSERT_EQ(0, run1(r));
	sqe = ring_rw(r, IORING_OP_UNLINKAT, self->dfd, "sub", 0, 0, 1);
	sqe->unlink_flags = AT_REMOVEDIR;
	ASSERT_EQ(0, run1(r));
	sqe = ring_rw(r, IORING_OP_UNLINKAT, self->dfd, "sym", 0, 0, 1);
	sqe->unlink_flags = 0x1;
	ASSERT_EQ(-EINVAL, run1(r));
	sqe = ring_rw(r, IORING_OP_UNLINKAT, self->dfd, (char *)8, 0, 0, 1);
	ASSERT_EQ(-EFAULT, run1(r));
}

TEST_F(fs, xattr)
{
	struct ring *r = &self->r;
	struct io_uring_sqe *sqe;
	char path[96], val[16] = { 0 };
	int fd;

	snprintf(path, sizeof(path), "%s/x", self->dir);
	fd = open(path, O_CREAT | O_RDWR, 0600);
	ASSERT_LE(0, fd);
	if (fsetxattr(fd, "user.probe", "1", 1, 0) && errno == EOPNOTSUPP)
		SKIP(close(fd); return, "no user xattrs on %s", self->dir);
	/* FSETXATTR, then GETXATTR by path */
	sqe = ring_rw(r, IORING_OP_FSETXATTR, fd, "user.a", 3,
		      (uintptr_t)"abc", 1);
	ASSERT_EQ(0, run1(r));
	sqe = ring_rw(r, IORING_OP_GETXATTR, 0, "user.a", sizeof(val),
		      (uintptr_t)val, 1);
	sqe->addr3 = (uintptr_t)path;
	ASSERT_EQ(3, run1(r));
	ASSERT_EQ(0, memcmp(val, "abc", 3));
	/* SETXATTR by path with XATTR_CREATE on an existing name */
	sqe = ring_rw(r, IORING_OP_SETXATTR, 0, "user.a", 2,
		      (uintptr_t)"zz", 1);
	sqe->addr3 = (uintptr_t)path;
	sqe->xattr_flags = XATTR_CREATE;
	ASSERT_EQ(-EEXIST, run1(r));
	sqe = ring_rw(r, IORING_OP_SETXATTR, 0, "user.a", 2,
		      (uintptr_t)"zz", 1);
	sqe->addr3 = (uintptr_t)path;
	ASSERT_EQ(0, run1(r));
	sqe = ring_rw(r, IORING_OP_FGETXATTR, fd, "user.a", sizeof(val),
		      (uintptr_t)val, 1);
	ASSERT_EQ(2, run1(r));
	ASSERT_EQ(0, memcmp(val, "zz", 2));
	/* size 0 asks for the size; a small buffer is -ERANGE */
	sqe = ring_rw(r, IORING_OP_FGETXATTR, fd, "user.a", 0, 0, 1);
	ASSERT_EQ(2, run1(r));
	sqe = ring_rw(r, IORING_OP_FGETXATTR, fd, "user.a", 1,
		      (uintptr_t)val, 1);
	ASSERT_EQ(-ERANGE, run1(r));
	/* missing name, empty name, bad flags, no path */
	sqe = ring_rw(r, IORING_OP_FGETXATTR, fd, "user.none", sizeof(val),
		      (uintptr_t)val, 1);
	ASSERT_EQ(-ENODATA, run1(r));
	sqe = ring_rw(r, IORING_OP_FGETXATTR, fd, "", sizeof(val),
		      (uintptr_t)val, 1);
	ASSERT_EQ(-ERANGE, run1(r));
	sqe = ring_rw(r, IORING_OP_FSETXATTR, fd, "user.b", 1,
		      (uintptr_t)"b", 1);
	sqe->xattr_flags = 4;
	ASSERT_EQ(-EINVAL, run1(r));
	sqe = ring_rw(r, IORING_OP_FGETXATTR, fd, "user.a", sizeof(val),
		      (uintptr_t)val, 1);
	sqe->xattr_flags = 1;
	ASSERT_EQ(-EINVAL, run1(r));
	sqe = ring_rw(r, IORING_OP_GETXATTR, 0, "user.a", sizeof(val),
		      (uintptr_t)val, 1);
	sqe->addr3 = (uintptr_t)"/nonexistent/x";
	ASSERT_EQ(-ENOENT, run1(r));
	close(fd);
}

/* Every opcode of the 6.12 table is there, and nothing past it. */
/* PIPE (6.16): pipe2(2) into fds, or into fixed slots */
static struct io_uring_sqe *prep_pipe(struct ring *r, int *fds, int flags,
				      unsigned int slot)
{
	struct io_uring_sqe *sqe = ring_rw(r, IORING_OP_PIPE, 0, fds, 0, 0, 1);

	sqe->pipe_flags = flags;
	sqe->file_index = slot;
	return sqe;
}

TEST_F(fs, pipe)
{
	struct ring *r = &self->r;
	int fds[2] = { -1, -1 };
	char buf[8] = { 0 };

	prep_pipe(r, fds, O_CLOEXEC | O_NONBLOCK, 0);
	ASSERT_EQ(0, run1(r));
	ASSERT_LE(0, fds[0]);
	ASSERT_LE(0, fds[1]);
	EXPECT_EQ(FD_CLOEXEC, fcntl(fds[0], F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(O_NONBLOCK, fcntl(fds[1], F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(O_RDONLY, fcntl(fds[0], F_GETFL) & O_ACCMODE);
	EXPECT_EQ(O_WRONLY, fcntl(fds[1], F_GETFL) & O_ACCMODE);
	ASSERT_EQ(4, write(fds[1], "pipe", 4));
	ASSERT_EQ(4, read(fds[0], buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "pipe", 4));
	/* empty and O_NONBLOCK: would block */
	ASSERT_EQ(-1, read(fds[0], buf, sizeof(buf)));
	close(fds[0]);
	close(fds[1]);

	/* bad flags, a bad address, fields that must be zero */
	prep_pipe(r, fds, O_TRUNC, 0);
	EXPECT_EQ(-EINVAL, run1(r));
	prep_pipe(r, (int *)8, 0, 0);
	EXPECT_EQ(-EFAULT, run1(r));
	prep_pipe(r, fds, 0, 0)->fd = 3;
	EXPECT_EQ(-EINVAL, run1(r));
	prep_pipe(r, fds, 0, 0)->off = 1;
	EXPECT_EQ(-EINVAL, run1(r));
	prep_pipe(r, fds, 0, 0)->ioprio = 1;
	EXPECT_EQ(-EINVAL, run1(r));
	prep_pipe(r, fds, 0, 0)->addr3 = 1;
	EXPECT_EQ(-EINVAL, run1(r));
}

TEST_F(fs, pipe_direct)
{
	struct ring *r = &self->r;
	struct io_uring_sqe *sqe;
	int fds[2] = { -1, -1 };
	char buf[8] = { 0 };

	/* at slot 1 (file_index 2): read end in 1, write end in 2 */
	prep_pipe(r, fds, 0, 2);
	ASSERT_EQ(0, run1(r));
	EXPECT_EQ(1, fds[0]);
	EXPECT_EQ(2, fds[1]);
	sqe = ring_rw(r, IORING_OP_WRITE, 2, "slot", 4, 0, 2);
	sqe->flags |= IOSQE_FIXED_FILE;
	ASSERT_EQ(4, run1(r));
	sqe = ring_rw(r, IORING_OP_READ, 1, buf, sizeof(buf), 0, 3);
	sqe->flags |= IOSQE_FIXED_FILE;
	ASSERT_EQ(4, run1(r));
	ASSERT_EQ(0, memcmp(buf, "slot", 4));
	/* over slots in use: replaced, as direct installs do */
	prep_pipe(r, fds, 0, 2);
	ASSERT_EQ(0, run1(r));
	sqe = ring_rw(r, IORING_OP_WRITE, 2, "new!", 4, 0, 2);
	sqe->flags |= IOSQE_FIXED_FILE;
	ASSERT_EQ(4, run1(r));
	sqe = ring_rw(r, IORING_OP_READ, 1, buf, sizeof(buf), 0, 3);
	sqe->flags |= IOSQE_FIXED_FILE;
	ASSERT_EQ(4, run1(r));
	ASSERT_EQ(0, memcmp(buf, "new!", 4));
	/* the write end would be past the table */
	prep_pipe(r, fds, 0, 4);
	EXPECT_EQ(-EINVAL, run1(r));
	/* close-on-exec is for fds */
	prep_pipe(r, fds, O_CLOEXEC, 1);
	EXPECT_EQ(-EINVAL, run1(r));
	/* allocated: the two free slots left, 0 and 3 */
	fds[0] = -1;
	fds[1] = -1;
	prep_pipe(r, fds, 0, IORING_FILE_INDEX_ALLOC);
	ASSERT_EQ(0, run1(r));
	EXPECT_TRUE((fds[0] == 0 && fds[1] == 3) || (fds[0] == 3 && fds[1] == 0));
	sqe = ring_rw(r, IORING_OP_WRITE, fds[1], "more", 4, 0, 2);
	sqe->flags |= IOSQE_FIXED_FILE;
	ASSERT_EQ(4, run1(r));
	sqe = ring_rw(r, IORING_OP_READ, fds[0], buf, sizeof(buf), 0, 3);
	sqe->flags |= IOSQE_FIXED_FILE;
	ASSERT_EQ(4, run1(r));
	ASSERT_EQ(0, memcmp(buf, "more", 4));
	/* a full table: -ENFILE */
	prep_pipe(r, fds, 0, IORING_FILE_INDEX_ALLOC);
	EXPECT_EQ(-ENFILE, run1(r));
	/* one free slot: no half pipe is left in it */
	sqe = ring_rw(r, IORING_OP_CLOSE, 0, NULL, 0, 0, 2);
	sqe->file_index = 2;
	ASSERT_EQ(0, run1(r));
	prep_pipe(r, fds, 0, IORING_FILE_INDEX_ALLOC);
	EXPECT_EQ(-ENFILE, run1(r));
	sqe = ring_rw(r, IORING_OP_CLOSE, 0, NULL, 0, 0, 2);
	sqe->file_index = 2;
	EXPECT_EQ(-EBADF, run1(r));
	/* from an io worker too */
	prep_pipe(r, fds, 0, 2)->flags |= IOSQE_ASYNC;
	ASSERT_EQ(0, run1(r));
	EXPECT_EQ(1, fds[0]);
	EXPECT_EQ(2, fds[1]);
}

TEST(probe_all)
{
	size_t len = sizeof(struct io_uring_probe) +
		     256 * sizeof(struct io_uring_probe_op);
	struct io_uring_probe *p = calloc(1, len);
	struct ring r;
	int i;

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, ring_init(&r, 4, 0));
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_PROBE, p, 256));
	/* every 6.12 opcode, and the last one probed */
	ASSERT_LE(IORING_OP_LISTEN, p->last_op);
	ASSERT_GE(IORING_OP_LAST - 1, p->last_op);
	EXPECT_TRUE(p->ops[p->last_op].flags & IO_URING_OP_SUPPORTED);
	for (i = 0; i <= IORING_OP_LISTEN; i++) {
		EXPECT_EQ(IO_URING_OP_SUPPORTED, p->ops[i].flags & IO_URING_OP_SUPPORTED)
			TH_LOG("opcode %d not supported", i);
	}
	ring_exit(&r);
	free(p);
}

TEST_HARNESS_MAIN
