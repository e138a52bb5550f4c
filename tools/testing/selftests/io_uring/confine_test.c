// SPDX-License-Identifier: GPL-2.0
/*
 * What a ring's threads and posters may not do: io workers and the SQPOLL
 * thread stay inside the cpuset of the task that made them, worker limits
 * stay under RLIMIT_NPROC, the CQ tail never moves backwards when two
 * parties post at once (MSG_RING senders against the ring's own flush),
 * and an SQPOLL thread lets go of a ring that is being closed.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <dirent.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "../kselftest_harness.h"
#include "ring.h"

#define CG_ROOT	"/sys/fs/cgroup"
#define CG_DIR	CG_ROOT "/iouring_confine"

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -EIO;
}

/* A cgroup v2 cpuset holding CPU 0 only; "" on success, else why not. */
static const char *cpuset_cpu0(void)
{
	char pid[32];

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return "needs two CPUs";
	if (access(CG_ROOT "/cgroup.controllers", F_OK) &&
	    mount("cgroup2", CG_ROOT, "cgroup2", 0, NULL))
		return "no cgroup2";
	if (write_str(CG_ROOT "/cgroup.subtree_control", "+cpuset"))
		return "no cpuset controller";
	if (mkdir(CG_DIR, 0755) && errno != EEXIST)
		return "cannot make a cgroup";
	if (write_str(CG_DIR "/cpuset.cpus", "0"))
		return "cannot set cpuset.cpus";
	snprintf(pid, sizeof(pid), "%d", getpid());
	if (write_str(CG_DIR "/cgroup.procs", pid))
		return "cannot join the cgroup";
	return "";
}

/* Cpus_allowed_list of every thread of ours named @prefix*: all "0"? */
static int threads_on_cpu0(const char *prefix, int *seen)
{
	char path[300], line[256], comm[64];
	struct dirent *de;
	DIR *d = opendir("/proc/self/task");
	int bad = 0;
	FILE *f;

	*seen = 0;
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (!fgets(comm, sizeof(comm), f))
			comm[0] = 0;
		fclose(f);
		if (strncmp(comm, prefix, strlen(prefix)))
			continue;
		(*seen)++;
		snprintf(path, sizeof(path), "/proc/self/task/%s/status", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, "Cpus_allowed_list:", 18) &&
			    strcmp(line + 18, "\t0\n"))
				bad++;
		fclose(f);
	}
	closedir(d);
	return bad;
}

/*
 * threads_on_cpu0(), once a thread named @prefix* exists: io threads name
 * themselves when they first run. Waits up to 2 s.
 */
static int named_threads_on_cpu0(const char *prefix, int *seen)
{
	int i, bad;

	for (i = 0; i < 2000; i++) {
		bad = threads_on_cpu0(prefix, seen);
		if (bad || *seen)
			return bad;
		usleep(1000);
	}
	return 0;
}

/*
 * In a child confined to CPU 0: SQ_AFF and IOWQ_AFF on CPU 1 are refused,
 * and the threads that are made run on CPU 0 only. Returns a code.
 */
static int confined_child(void)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL |
					      IORING_SETUP_SQ_AFF,
				     .sq_thread_cpu = 1 };
	unsigned long mask = 2;
	struct io_uring_cqe cqe;
	struct ring r;
	int fds[2], seen, i;
	char buf[8];

	if (*cpuset_cpu0())
		return 100;
	/* a CPU outside the cpuset: refused */
	if (sys_setup(4, &p) != -EINVAL)
		return 1;
	/* one inside: fine, and the thread stays there */
	p.sq_thread_cpu = 0;
	if (ring_init(&r, 4, &p))
		return 2;
	if (named_threads_on_cpu0("iou-sqp-", &seen) || seen != 1)
		return 3;
	ring_exit(&r);

	if (ring_init(&r, 8, NULL))
		return 4;
	if (sys_register(r.fd, IORING_REGISTER_IOWQ_AFF, &mask,
			 sizeof(mask)) != -EINVAL)
		return 5;
	mask = 1;
	if (sys_register(r.fd, IORING_REGISTER_IOWQ_AFF, &mask, sizeof(mask)))
		return 6;
	/* start workers: reads of an empty pipe, forced into io-wq */
	if (pipe(fds))
		return 7;
	for (i = 0; i < 2; i++) {
		struct io_uring_sqe *sqe = ring_rw(&r, IORING_OP_READ, fds[0],
						   buf, 1, 0, i);

		sqe->flags = IOSQE_ASYNC;
	}
	if (ring_submit(&r) != 2)
		return 8;
	if (named_threads_on_cpu0("iou-wrk-", &seen) || !seen)
		return 9;
	/* unregistering gives the whole cpuset, which is still CPU 0 */
	if (sys_register(r.fd, IORING_UNREGISTER_IOWQ_AFF, NULL, 0))
		return 10;
	if (write(fds[1], "ab", 2) != 2)
		return 11;
	for (i = 0; i < 2; i++)
		if (ring_wait_cqe(&r, &cqe) || cqe.res != 1)
			return 12;
	if (threads_on_cpu0("iou-wrk-", &seen) || !seen)
		return 13;
	ring_exit(&r);
	return 0;
}

TEST(threads_stay_inside_cpuset)
{
	const char *why;
	int status;
	pid_t pid;

	if (geteuid())
		SKIP(return, "needs root");
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0)
		_exit(confined_child());
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	if (WEXITSTATUS(status) == 100) {
		why = "no cpuset to confine to";
		rmdir(CG_DIR);
		SKIP(return, "%s", why);
	}
	EXPECT_EQ(0, WEXITSTATUS(status));
	rmdir(CG_DIR);
}

TEST(iowq_max_workers_capped_by_nproc)
{
	struct rlimit rl;
	unsigned int count[2] = { 100000, 100000 };
	struct ring r;

	ASSERT_EQ(0, getrlimit(RLIMIT_NPROC, &rl));
	if (rl.rlim_cur > 50000)
		rl.rlim_cur = 1000;
	ASSERT_EQ(0, setrlimit(RLIMIT_NPROC, &rl));
	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_IOWQ_MAX_WORKERS,
				  count, 2));
	/* a query reads back what was set: capped */
	count[0] = 0;
	count[1] = 0;
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_IOWQ_MAX_WORKERS,
				  count, 2));
	EXPECT_EQ(rl.rlim_cur, count[0]);
	EXPECT_EQ(rl.rlim_cur, count[1]);
	ring_exit(&r);
}

struct poster {
	int target_fd;
	int rounds;
};

static void *msg_sender(void *arg)
{
	struct poster *ps = arg;
	struct ring src;
	struct io_uring_cqe cqe;
	int i;

	if (ring_init(&src, 8, NULL))
		return (void *)1L;
	for (i = 0; i < ps->rounds; i++) {
		struct io_uring_sqe *sqe = ring_get_sqe(&src);

		sqe->opcode = IORING_OP_MSG_RING;
		sqe->fd = ps->target_fd;
		sqe->addr = IORING_MSG_DATA;
		sqe->off = 0x1000 + i;
		sqe->user_data = i;
		if (ring_submit_one(&src, &cqe) || cqe.res < 0)
			break;
	}
	ring_exit(&src);
	return NULL;
}

/*
 * Two posters on one CQ: a thread sends MSG_RING CQEs into the ring while
 * the ring's owner posts NOP completions. The tail user space reads must
 * only ever move forward, and every CQE must arrive exactly once.
 */
TEST(cq_tail_never_moves_backwards)
{
	struct poster ps = { .rounds = 3000 };
	unsigned int last, now, got = 0, nops = 0, msgs = 0;
	struct io_uring_params p = { .flags = IORING_SETUP_CQSIZE,
				     .cq_entries = 8192 };
	struct io_uring_cqe cqe;
	pthread_t th;
	struct ring r;
	int i;

	ASSERT_EQ(0, ring_init(&r, 64, &p));
	ps.target_fd = r.fd;
	last = __atomic_load_n(r.cq_tail, __ATOMIC_ACQUIRE);
	ASSERT_EQ(0, pthread_create(&th, NULL, msg_sender, &ps));
	for (i = 0; i < ps.rounds; i++) {
		ASSERT_NE(NULL, ring_nop(&r, 1));
		ASSERT_EQ(1, ring_submit(&r));
		now = __atomic_load_n(r.cq_tail, __ATOMIC_ACQUIRE);
		ASSERT_GE((int)(now - last), 0);
		last = now;
		while (ring_peek_cqe(&r, &cqe, NULL)) {
			got++;
			if (cqe.user_data == 1)
				nops++;
			else
				msgs++;
		}
	}
	ASSERT_EQ(0, pthread_join(th, NULL));
	while (got < 2 * (unsigned int)ps.rounds) {
		ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
		got++;
		if (cqe.user_data == 1)
			nops++;
		else
			msgs++;
		now = __atomic_load_n(r.cq_tail, __ATOMIC_ACQUIRE);
		ASSERT_GE((int)(now - last), 0);
		last = now;
	}
	EXPECT_EQ(ps.rounds, nops);
	EXPECT_EQ(ps.rounds, msgs);
	EXPECT_EQ(0, *r.cq_overflow);
	ring_exit(&r);
}

/*
 * An SQPOLL ring closed while its thread is submitting from it: the
 * thread must stop taking SQEs from the closing ring (whose refs are
 * dying) and never touch it once freed. Many rounds with full SQs; the
 * debug kernel's KASAN turns a use after free into a splat.
 */
TEST(sqpoll_ring_closed_while_submitting)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL,
				     .sq_thread_idle = 1000 };
	struct ring r, keep;
	int round, i;

	/* a second ring keeps the thread alive across the closes */
	ASSERT_EQ(0, ring_init(&keep, 4, &p));
	for (round = 0; round < 200; round++) {
		struct io_uring_params q = { .flags = IORING_SETUP_SQPOLL |
						      IORING_SETUP_ATTACH_WQ,
					     .wq_fd = keep.fd };

		ASSERT_EQ(0, ring_init(&r, 64, &q));
		for (i = 0; i < 64; i++)
			ASSERT_NE(NULL, ring_nop(&r, i));
		ring_flush_sq(&r);
		if (*r.sq_flags & IORING_SQ_NEED_WAKEUP)
			sys_enter(r.fd, 0, 0, IORING_ENTER_SQ_WAKEUP, NULL, 0);
		/* close at once: the thread may be in the middle of it */
		ring_exit(&r);
	}
	/* the thread still serves the ring that stayed */
	{
		struct io_uring_cqe cqe;

		ASSERT_NE(NULL, ring_nop(&keep, 7));
		ring_flush_sq(&keep);
		sys_enter(keep.fd, 0, 1, IORING_ENTER_GETEVENTS |
			  IORING_ENTER_SQ_WAKEUP, NULL, 0);
		ASSERT_EQ(0, ring_wait_cqe(&keep, &cqe));
		EXPECT_EQ(7, cqe.user_data);
		EXPECT_EQ(0, cqe.res);
	}
	ring_exit(&keep);
}

TEST_HARNESS_MAIN
