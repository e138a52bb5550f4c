// SPDX-License-Identifier: GPL-2.0
/*
 * Personalities, restrictions and the io-wq register ops.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <poll.h>

#include "../kselftest_harness.h"
#include "ring.h"

TEST(personality)
{
	struct io_uring_cqe cqe;
	struct ring r;
	int id, id2;

	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	ASSERT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_PERSONALITY, &r, 0));
	id = sys_register(r.fd, IORING_REGISTER_PERSONALITY, NULL, 0);
	ASSERT_LT(0, id);
	id2 = sys_register(r.fd, IORING_REGISTER_PERSONALITY, NULL, 0);
	ASSERT_LT(0, id2);
	ASSERT_NE(id, id2);

	ring_nop(&r, 1)->personality = id;
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(0, cqe.res);
	/* with a personality, through io-wq too */
	ring_nop(&r, 2)->personality = id2;
	r.sqes[(r.sqe_tail - 1) & *r.sq_mask].flags = IOSQE_ASYNC;
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(0, cqe.res);

	ASSERT_EQ(0, sys_register(r.fd, IORING_UNREGISTER_PERSONALITY, NULL, id));
	ASSERT_EQ(-EINVAL, sys_register(r.fd, IORING_UNREGISTER_PERSONALITY, NULL, id));
	ASSERT_EQ(-EINVAL, sys_register(r.fd, IORING_UNREGISTER_PERSONALITY, &r, id2));
	ring_nop(&r, 3)->personality = id;
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	ring_exit(&r);
}

static int restrict_ring(struct ring *r, struct io_uring_restriction *res,
			 unsigned int nr)
{
	struct io_uring_params p = { .flags = IORING_SETUP_R_DISABLED };
	int ret = ring_init(r, 8, &p);

	if (ret)
		return ret;
	return sys_register(r->fd, IORING_REGISTER_RESTRICTIONS, res, nr);
}

TEST(restrictions)
{
	struct io_uring_restriction res[4] = {
		{ .opcode = IORING_RESTRICTION_SQE_OP, .sqe_op = IORING_OP_NOP },
		{ .opcode = IORING_RESTRICTION_REGISTER_OP,
		  .register_op = IORING_REGISTER_PROBE },
		{ .opcode = IORING_RESTRICTION_SQE_FLAGS_ALLOWED,
		  .sqe_flags = IOSQE_IO_LINK },
		{ .opcode = IORING_RESTRICTION_SQE_FLAGS_REQUIRED,
		  .sqe_flags = IOSQE_CQE_SKIP_SUCCESS },
	};
	char probe[sizeof(struct io_uring_probe) +
		   4 * sizeof(struct io_uring_probe_op)] = { };
	struct io_uring_cqe cqe;
	struct ring r;
	char buf[8];

	ASSERT_EQ(0, restrict_ring(&r, res, 4));
	ASSERT_EQ(-EBUSY, sys_register(r.fd, IORING_REGISTER_RESTRICTIONS, res, 4));
	/* restrictions apply once the ring is enabled */
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0));
	ASSERT_EQ(-EACCES, sys_register(r.fd, IORING_REGISTER_RESTRICTIONS, res, 4));

	/* the required flag with an allowed one: fine (and no CQE) */
	ring_nop(&r, 1)->flags = IOSQE_CQE_SKIP_SUCCESS | IOSQE_IO_LINK;
	ring_nop(&r, 2)->nop_flags = IORING_NOP_INJECT_RESULT;
	r.sqes[(r.sqe_tail - 1) & *r.sq_mask].len = -5;
	r.sqes[(r.sqe_tail - 1) & *r.sq_mask].flags = IOSQE_CQE_SKIP_SUCCESS;
	ASSERT_EQ(2, ring_submit_and_wait(&r, 1));
	ASSERT_TRUE(ring_peek_cqe(&r, &cqe, NULL));
	ASSERT_EQ(2, cqe.user_data);
	ASSERT_EQ(-5, cqe.res);
	/* required flag missing, a flag not allowed, an op not allowed */
	ring_nop(&r, 3);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(-EACCES, cqe.res);
	ring_nop(&r, 4)->flags = IOSQE_CQE_SKIP_SUCCESS | IOSQE_ASYNC;
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(-EACCES, cqe.res);
	ring_rw(&r, IORING_OP_READ, 0, buf, 8, 0, 5)->flags = IOSQE_CQE_SKIP_SUCCESS;
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(-EACCES, cqe.res);
	/* register ops */
	ASSERT_EQ(-EACCES, sys_register(r.fd, IORING_REGISTER_PERSONALITY, NULL, 0));
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_PROBE, probe, 4));
	ring_exit(&r);
}

TEST(restrictions_bad_input)
{
	struct io_uring_restriction res = { .opcode = IORING_RESTRICTION_SQE_OP,
					    .sqe_op = IORING_OP_LAST };
	struct ring r;

	/* a ring that is not disabled */
	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	ASSERT_EQ(-EBADFD, sys_register(r.fd, IORING_REGISTER_RESTRICTIONS, &res, 1));
	ring_exit(&r);

	ASSERT_EQ(-EINVAL, restrict_ring(&r, &res, 1));
	res.sqe_op = IORING_OP_NOP;
	res.opcode = IORING_RESTRICTION_LAST;
	ASSERT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_RESTRICTIONS, &res, 1));
	res.opcode = IORING_RESTRICTION_REGISTER_OP;
	res.register_op = IORING_REGISTER_LAST;
	ASSERT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_RESTRICTIONS, &res, 1));
	ASSERT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_RESTRICTIONS, NULL, 1));
	ASSERT_EQ(-EFAULT, sys_register(r.fd, IORING_REGISTER_RESTRICTIONS,
					(void *)8, 1));
	/* a failed attempt leaves room for a good one */
	res.register_op = IORING_REGISTER_PROBE;
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_RESTRICTIONS, &res, 1));
	ring_exit(&r);
}

static int count_workers(void)
{
	char path[300], comm[64];	/* d_name is up to 255 bytes */
	struct dirent *de;
	int n = 0, fd, len;
	DIR *d = opendir("/proc/self/task");

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", de->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		len = read(fd, comm, sizeof(comm) - 1);
		close(fd);
		if (len > 0 && !strncmp(comm, "iou-wrk-", 8))
			n++;
	}
	closedir(d);
	return n;
}

TEST(iowq_max_workers)
{
	unsigned int vals[2] = { 2, 0 };
	struct io_uring_cqe cqe;
	static char buf[8][4];
	struct ring r;
	int i, p[2];

	ASSERT_EQ(0, ring_init(&r, 16, NULL));
	ASSERT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_IOWQ_MAX_WORKERS, vals, 1));
	ASSERT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_IOWQ_MAX_WORKERS, NULL, 2));
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_IOWQ_MAX_WORKERS, vals, 2));
	/* 0 reads back the current value without changing it */
	vals[0] = 0;
	vals[1] = 0;
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_IOWQ_MAX_WORKERS, vals, 2));
	ASSERT_EQ(2, vals[0]);
	vals[0] = 0x80000000u;
	ASSERT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_IOWQ_MAX_WORKERS, vals, 2));

	/*
	 * At most 2 unbounded workers: pipe reads wait in at most two
	 * threads (or in none, where reads wait by polling), and all of
	 * them complete once there is data.
	 */
	vals[0] = 0;
	vals[1] = 2;
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_IOWQ_MAX_WORKERS, vals, 2));
	ASSERT_EQ(0, pipe(p));
	for (i = 0; i < 8; i++)
		ring_rw(&r, IORING_OP_READ, p[0], buf[i], 4, 0, i);
	ASSERT_EQ(8, ring_submit(&r));
	/* here each read parks in a poll: no worker at all */
	for (i = 0; i < 2000 && ring_polls_armed(&r) < 8 && count_workers() < 2; i++)
		usleep(1000);
	ASSERT_GE(2, count_workers());
	ASSERT_EQ(0, ring_cq_ready(&r));
	ASSERT_EQ(32, write(p[1], "aaaabbbbccccddddeeeeffffgggghhhh", 32));
	for (i = 0; i < 8; i++) {
		ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
		ASSERT_EQ(4, cqe.res);
	}
	ring_exit(&r);
	close(p[0]);
	close(p[1]);
}

/* A read that goes to an io worker, and its CQE. */
static int async_read(struct ring *r, int fd, void *buf)
{
	struct io_uring_cqe cqe;
	int ret;

	ring_rw(r, IORING_OP_READ, fd, buf, 8, 0, 1)->flags = IOSQE_ASYNC;
	ret = ring_submit_one(r, &cqe);
	return ret ? ret : cqe.res;
}

/*
 * 7.0: a task's idle io workers go once it has no ring left; the last of
 * each account used to stay until the task exited. A ring later gets
 * workers again.
 */
TEST(idle_workers_leave_with_the_last_ring)
{
	struct ring r, r2;
	char buf[8];
	int i, zero = open("/dev/zero", O_RDONLY);

	ASSERT_LE(0, zero);
	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	ASSERT_EQ(0, ring_init(&r2, 4, NULL));
	ASSERT_EQ(8, async_read(&r, zero, buf));
	ASSERT_EQ(8, async_read(&r2, zero, buf));
	ASSERT_LE(1, count_workers());
	ring_exit(&r);
	ring_exit(&r2);
	/* the rings' exit runs in a kworker: wait for it, up to 10 s */
	for (i = 0; i < 1000 && count_workers() > 0; i++)
		usleep(10000);
	ASSERT_EQ(0, count_workers());
	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	ASSERT_EQ(8, async_read(&r, zero, buf));
	ASSERT_LE(1, count_workers());
	ring_exit(&r);
	close(zero);
}

TEST(iowq_affinity)
{
	cpu_set_t set;
	struct io_uring_cqe cqe;
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	ASSERT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_IOWQ_AFF, NULL, 0));
	ASSERT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_IOWQ_AFF, &set, 0));
	ASSERT_EQ(-EFAULT, sys_register(r.fd, IORING_REGISTER_IOWQ_AFF,
					(void *)8, sizeof(set)));
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_IOWQ_AFF, &set, sizeof(set)));
	ring_nop(&r, 1)->flags = IOSQE_ASYNC;
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(0, cqe.res);
	ASSERT_EQ(-EINVAL, sys_register(r.fd, IORING_UNREGISTER_IOWQ_AFF, &set, 0));
	ASSERT_EQ(0, sys_register(r.fd, IORING_UNREGISTER_IOWQ_AFF, NULL, 0));
	ring_exit(&r);
}

TEST(attach_wq)
{
	struct io_uring_params p = { .flags = IORING_SETUP_ATTACH_WQ };
	struct io_uring_cqe cqe;
	struct ring a, b;
	int fd;

	ASSERT_EQ(0, ring_init(&a, 4, NULL));
	p.wq_fd = a.fd;
	ASSERT_EQ(0, ring_init(&b, 4, &p));
	ring_nop(&b, 1)->flags = IOSQE_ASYNC;
	ASSERT_EQ(0, ring_submit_one(&b, &cqe));
	ASSERT_EQ(0, cqe.res);
	ring_exit(&b);
	ring_exit(&a);

	fd = open("/dev/null", O_RDONLY);
	ASSERT_LE(0, fd);
	p.wq_fd = fd;
	ASSERT_EQ(-EINVAL, sys_setup(4, &p));
	close(fd);
	p.wq_fd = 1000;
	ASSERT_EQ(-ENXIO, sys_setup(4, &p));
}

/* IORING_SETUP_SINGLE_ISSUER: only the creator (or enabler) submits. */
TEST(single_issuer)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SINGLE_ISSUER };
	struct io_uring_cqe cqe;
	struct ring r;
	int status;
	pid_t pid;

	ASSERT_EQ(0, ring_init(&r, 4, &p));
	ring_nop(&r, 1);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int personality_arg = 0;

		ring_nop(&r, 2);
		if (ring_submit(&r) != -EEXIST)
			_exit(1);
		if (sys_register(r.fd, IORING_REGISTER_PERSONALITY, NULL,
				 personality_arg) != -EEXIST)
			_exit(2);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ring_exit(&r);

	/* a disabled ring belongs to the task that enables it */
	p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_R_DISABLED;
	ASSERT_EQ(0, ring_init(&r, 4, &p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct io_uring_cqe c;

		if (sys_register(r.fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0))
			_exit(1);
		ring_nop(&r, 3);
		_exit(ring_submit_one(&r, &c) || c.res ? 2 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ring_nop(&r, 4);
	ASSERT_EQ(-EEXIST, ring_submit(&r));
	ring_exit(&r);
}

/* COOP_TASKRUN (and TASKRUN_FLAG, which needs it): completions still come. */
TEST(coop_taskrun)
{
	struct io_uring_params p = { .flags = IORING_SETUP_TASKRUN_FLAG };
	struct io_uring_cqe cqe;
	struct ring r;
	char buf[4];
	int fds[2];

	ASSERT_EQ(-EINVAL, ring_init(&r, 4, &p));
	p.flags = IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG;
	ASSERT_EQ(0, ring_init(&r, 4, &p));
	ASSERT_EQ(0, pipe(fds));
	ring_rw(&r, IORING_OP_READ, fds[0], buf, 4, 0, 1);
	ASSERT_EQ(1, ring_submit(&r));
	ASSERT_EQ(4, write(fds[1], "abcd", 4));
	ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
	ASSERT_EQ(4, cqe.res);
	/* the flag is down once the work ran */
	ASSERT_FALSE(*RING_U32(&r, r.p.sq_off.flags) & IORING_SQ_TASKRUN);
	close(fds[0]);
	close(fds[1]);
	ring_exit(&r);
}

static int write_sysctl(const char *name, const char *val)
{
	char path[96];
	int fd, ret;

	snprintf(path, sizeof(path), "/proc/sys/kernel/%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	ret = write(fd, val, strlen(val));
	ret = ret < 0 ? -errno : 0;
	close(fd);
	return ret;
}

/* In a child: drop to uid/gid 65534 (no CAP_SYS_ADMIN), try a setup. */
static int setup_as_nobody(int gid)
{
	int status;
	pid_t pid = fork();

	if (!pid) {
		struct io_uring_params p = { };
		int fd;

		if (setgid(gid) || setuid(65534))
			_exit(100);
		fd = sys_setup(4, &p);
		_exit(fd >= 0 ? 0 : -fd);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Whatever fails, later tests get io_uring back. */
FIXTURE(sysctl) {
	int unused;
};

FIXTURE_SETUP(sysctl)
{
}

FIXTURE_TEARDOWN(sysctl)
{
	write_sysctl("io_uring_group", "-1");
	write_sysctl("io_uring_disabled", "0");
}

TEST_F(sysctl, disabled)
{
	struct io_uring_params p = { };
	struct ring r;
	int fd;

	if (write_sysctl("io_uring_disabled", "0"))
		SKIP(return, "no kernel.io_uring_disabled (CONFIG_SYSCTL?)");
	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	/* 2: nobody creates a ring; the existing one still works */
	ASSERT_EQ(0, write_sysctl("io_uring_disabled", "2"));
	ASSERT_EQ(-EPERM, sys_setup(4, &p));
	ring_nop(&r, 1);
	ASSERT_EQ(1, ring_submit_and_wait(&r, 1));
	/* 1: CAP_SYS_ADMIN may, others not, unless in io_uring_group */
	ASSERT_EQ(0, write_sysctl("io_uring_disabled", "1"));
	fd = sys_setup(4, &p);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(EPERM, setup_as_nobody(65534));
	ASSERT_EQ(0, write_sysctl("io_uring_group", "65534"));
	ASSERT_EQ(0, setup_as_nobody(65534));
	ASSERT_EQ(EPERM, setup_as_nobody(65533));
	/* out of range */
	ASSERT_EQ(-EINVAL, write_sysctl("io_uring_disabled", "3"));
	ASSERT_EQ(-EINVAL, write_sysctl("io_uring_disabled", "-1"));
	ASSERT_EQ(0, write_sysctl("io_uring_group", "-1"));
	ASSERT_EQ(0, write_sysctl("io_uring_disabled", "0"));
	ASSERT_EQ(0, setup_as_nobody(65534));
	ring_exit(&r);
}

/* tracefs, mounted where it is not yet; NULL if the kernel has none. */
static const char *tracefs(void)
{
	static const char * const dirs[] = { "/sys/kernel/tracing",
				      "/sys/kernel/debug/tracing" };
	char path[96];
	unsigned int i;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/events", dirs[i]);
		if (!access(path, F_OK))
			return dirs[i];
	}
	/* <sys/mount.h> clashes with <linux/fs.h>: the raw call */
	if (!syscall(SYS_mount, "nodev", dirs[0], "tracefs", 0, NULL))
		return dirs[0];
	return NULL;
}

static int trace_write(const char *dir, const char *file, const char *val)
{
	char path[160];
	int fd, ret;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -errno;
	ret = write(fd, val, strlen(val)) < 0 ? -errno : 0;
	close(fd);
	return ret;
}

/* The tracepoints fire, under the names tools look for. */
/* The fdinfo line of @op ("  TIMEOUT:\t...") into @line; 0 or -errno. */
static int fdinfo_op_line(int ring_fd, const char *op, char *line,
			  size_t size)
{
	char path[64], buf[8192], key[32], *p, *end;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", ring_fd);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = 0;
	snprintf(key, sizeof(key), "  %s:\t", op);
	p = strstr(buf, key);
	if (!p)
		return -ENOENT;
	end = strchr(p, '\n');
	if (end)
		*end = 0;
	snprintf(line, size, "%s", p);
	return 0;
}

/* The count in bucket @lower_us of a latency line, -1 if none printed. */
static long latency_bucket(const char *line, unsigned long lower_us)
{
	char key[32];
	const char *p = strstr(line, "latency_us");

	if (!p)
		return -1;
	snprintf(key, sizeof(key), " %lu:", lower_us);
	p = strstr(p, key);
	return p ? strtol(p + strlen(key), NULL, 10) : 0;
}

static unsigned long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
}

FIXTURE(op_latency) {
	int unused;
};

FIXTURE_SETUP(op_latency)
{
}

FIXTURE_TEARDOWN(op_latency)
{
	write_sysctl("io_uring_op_latency", "0");
}

/* A 10 ms TIMEOUT lands where user space measures it: the 8-16 ms bucket. */
TEST_F(op_latency, timeout_of_10ms_in_the_8ms_bucket)
{
	struct __kernel_timespec ts = { .tv_nsec = 10 * 1000 * 1000 };
	unsigned long long t0, us;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	char line[512];
	struct ring r;
	long b;

	if (write_sysctl("io_uring_op_latency", "1"))
		SKIP(return, "no kernel.io_uring_op_latency");
	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	sqe = ring_get_sqe(&r);
	sqe->opcode = IORING_OP_TIMEOUT;
	sqe->addr = (uintptr_t)&ts;
	sqe->len = 1;
	sqe->user_data = 1;
	t0 = now_us();
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	us = now_us() - t0;
	ASSERT_EQ(-ETIME, cqe.res);
	ASSERT_LE(10000, us);
	ASSERT_EQ(0, fdinfo_op_line(r.fd, "TIMEOUT", line, sizeof(line)));
	TH_LOG("%s (user space: %llu us)", line, us);
	/* the bucket user space measured it in, if that is 8-16 ms */
	if (us < 16384)
		ASSERT_EQ(1, latency_bucket(line, 8192));
	/* never less than the 10 ms it waited */
	for (b = 1; b <= 4096; b *= 2)
		ASSERT_EQ(0, latency_bucket(line, b));
	ASSERT_EQ(0, latency_bucket(line, 0));
	ring_exit(&r);
}

/* Every request counted once; none while it is off, nor after. */
TEST_F(op_latency, each_request_counted_once_and_only_while_on)
{
	char line[512];
	unsigned long lower;
	long total = 0, n;
	struct ring r;
	int i;

	ASSERT_EQ(0, ring_init(&r, 64, NULL));
	for (i = 0; i < 8; i++)
		ring_nop(&r, i);
	ASSERT_EQ(8, ring_submit_and_wait(&r, 8));
	ASSERT_EQ(0, fdinfo_op_line(r.fd, "NOP", line, sizeof(line)));
	ASSERT_EQ(NULL, strstr(line, "latency_us"));
	if (write_sysctl("io_uring_op_latency", "1"))
		SKIP(return, "no kernel.io_uring_op_latency");
	for (i = 0; i < 32; i++)
		ring_nop(&r, i);
	ASSERT_EQ(32, ring_submit_and_wait(&r, 32));
	ASSERT_EQ(0, write_sysctl("io_uring_op_latency", "0"));
	for (i = 0; i < 8; i++)
		ring_nop(&r, i);
	ASSERT_EQ(8, ring_submit_and_wait(&r, 8));
	ASSERT_EQ(0, fdinfo_op_line(r.fd, "NOP", line, sizeof(line)));
	TH_LOG("%s", line);
	ASSERT_NE(NULL, strstr(line, "submitted 48 completed 48"));
	for (lower = 0; lower <= (1UL << 30); lower = lower ? lower * 2 : 1) {
		n = latency_bucket(line, lower);
		ASSERT_LE(0, n);
		total += n;
	}
	ASSERT_EQ(32, total);
	ASSERT_EQ(-EINVAL, write_sysctl("io_uring_op_latency", "2"));
	ring_exit(&r);
}

TEST(tracepoints)
{
	static const char * const events[] = {
		"io_uring_create", "io_uring_register", "io_uring_submit_req",
		"io_uring_complete", "io_uring_queue_async_work",
		"io_uring_cqring_wait", "io_uring_fail_link", "io_uring_poll_arm",
		"io_uring_task_add", "io_uring_req_failed", "io_uring_link",
		"io_uring_defer", "io_uring_file_get", "io_uring_cqe_overflow",
		"io_uring_task_work_run", "io_uring_short_write",
		"io_uring_local_work_run",
	};
	const char *dir = tracefs();
	struct io_uring_params p = { };
	struct io_uring_sqe *sqe;
	char path[160], *buf;
	struct ring r;
	unsigned int i;
	int fd, len, fds[2];

	if (!dir)
		SKIP(return, "no tracefs");
	for (i = 0; i < ARRAY_SIZE(events); i++) {
		snprintf(path, sizeof(path), "%s/events/io_uring/%s", dir,
			 events[i]);
		EXPECT_EQ(0, access(path, F_OK))
			TH_LOG("no event %s", events[i]);
	}
	ASSERT_EQ(0, trace_write(dir, "trace", ""));
	ASSERT_EQ(0, trace_write(dir, "events/io_uring/enable", "1"));
	ASSERT_EQ(0, ring_init(&r, 4, &p));
	/* a NOP, a failed link, a poll that a write wakes */
	ASSERT_EQ(0, pipe(fds));
	ring_nop(&r, 0x1234);
	sqe = ring_rw(&r, IORING_OP_READ, -1, NULL, 0, 0, 0x2000);
	sqe->flags |= IOSQE_IO_LINK;
	ring_nop(&r, 0x2001);
	sqe = ring_get_sqe(&r);
	sqe->opcode = IORING_OP_POLL_ADD;
	sqe->fd = fds[0];
	sqe->poll32_events = POLLIN;
	sqe->user_data = 0x3000;
	ASSERT_EQ(4, ring_submit(&r));
	ASSERT_EQ(1, write(fds[1], "x", 1));
	/* a wait, even if the CQEs are all there already */
	ASSERT_LE(0, sys_enter(r.fd, 0, 4, IORING_ENTER_GETEVENTS, NULL, 0));
	for (i = 0; i < 4; i++) {
		struct io_uring_cqe cqe;

		ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
	}
	ring_exit(&r);
	close(fds[0]);
	close(fds[1]);
	ASSERT_EQ(0, trace_write(dir, "events/io_uring/enable", "0"));
	snprintf(path, sizeof(path), "%s/trace", dir);
	fd = open(path, O_RDONLY);
	ASSERT_LE(0, fd);
	buf = calloc(1, 1 << 20);
	ASSERT_NE(NULL, buf);
	len = read(fd, buf, (1 << 20) - 1);
	close(fd);
	ASSERT_LT(0, len);
	EXPECT_NE(NULL, strstr(buf, "io_uring_create:"));
	EXPECT_NE(NULL, strstr(buf, "io_uring_submit_req:"));
	EXPECT_NE(NULL, strstr(buf, "user_data 0x1234"));
	EXPECT_NE(NULL, strstr(buf, "io_uring_complete:"));
	EXPECT_NE(NULL, strstr(buf, "io_uring_fail_link:"));
	EXPECT_NE(NULL, strstr(buf, "io_uring_link:"));
	EXPECT_NE(NULL, strstr(buf, "io_uring_file_get:"));
	EXPECT_NE(NULL, strstr(buf, "io_uring_poll_arm:"));
	EXPECT_NE(NULL, strstr(buf, "io_uring_task_add:"));
	EXPECT_NE(NULL, strstr(buf, "io_uring_cqring_wait:"));
	EXPECT_NE(NULL, strstr(buf, "io_uring_task_work_run:"));
	free(buf);
}

TEST_HARNESS_MAIN
