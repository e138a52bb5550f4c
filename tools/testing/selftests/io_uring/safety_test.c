// SPDX-License-Identifier: GPL-2.0
/*
 * Safety regressions: exec and thread exit cancel what the task started,
 * a failed SQPOLL setup cleans up, polls on ring fds and eventfds do not
 * feed themselves, futex waitv posts once, provided buffer rings survive
 * garbage from the application, bundles in io-wq account their buffers,
 * multishot recvmsg refuses lengths that overflow, DEFER_TASKRUN rings
 * tell pollers about deferred work, and SQPOLL attach, io-wq limits and
 * cancel-by-fd are checked. Numbers in the comments are the items of the
 * safety list the tests were written for.
 *
 * Whatever could hang is bounded here: children under alarm() and a
 * bounded waitpid(), CQEs waited for with an EXT_ARG timeout.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <linux/futex.h>

#include "../kselftest_harness.h"
#include "ring.h"

#ifndef FUTEX2_SIZE_U32
#define FUTEX2_SIZE_U32		0x02
#define FUTEX2_PRIVATE		128
#endif
#ifndef FUTEX_WAITV_MAX
#define FUTEX_WAITV_MAX		128
struct futex_waitv {
	__u64 val;
	__u64 uaddr;
	__u32 flags;
	__u32 __reserved;
};
#endif

#define HELPER_ENV	"IOU_SAFETY_HELPER"

/* Wait at most @ms for a CQE and take it: 0, or -ETIME if none came. */
static int wait_cqe_ms(struct ring *r, struct io_uring_cqe *cqe, int ms)
{
	long long end = ring_now_ms() + ms;

	while (!ring_peek_cqe(r, cqe, NULL)) {
		long long left = end - ring_now_ms();
		struct __kernel_timespec ts;
		struct io_uring_getevents_arg arg = {
			.ts = (uint64_t)(uintptr_t)&ts,
		};
		int ret;

		if (left <= 0)
			return -ETIME;
		ts.tv_sec = left / 1000;
		ts.tv_nsec = (left % 1000) * 1000000;
		ret = sys_enter(r->fd, 0, 1, IORING_ENTER_GETEVENTS |
				IORING_ENTER_EXT_ARG, &arg, sizeof(arg));
		if (ret < 0 && ret != -ETIME && ret != -EINTR)
			return ret;
	}
	return 0;
}

/* Take @nr CQEs, each within @ms: res[user_data] = res. 0 or -errno. */
static int reap_ms(struct ring *r, unsigned int nr, int *res, unsigned int max,
		   int ms)
{
	struct io_uring_cqe cqe;
	int ret;

	while (nr--) {
		ret = wait_cqe_ms(r, &cqe, ms);
		if (ret)
			return ret;
		if (cqe.user_data >= max)
			return -ERANGE;
		res[cqe.user_data] = cqe.res;
	}
	return 0;
}

/*
 * waitpid() for at most @ms. Returns the exit code, 1000 + signal if the
 * child was killed, or -1 if it did not finish in time (it is then sent
 * SIGKILL).
 */
static int wait_child_ms(pid_t pid, int ms)
{
	long long end = ring_now_ms() + ms;
	int status, i;

	do {
		pid_t ret = waitpid(pid, &status, WNOHANG);

		if (ret == pid) {
			if (WIFEXITED(status))
				return WEXITSTATUS(status);
			return 1000 + WTERMSIG(status);
		}
		if (ret < 0)
			return -1;
		usleep(1000);
	} while (ring_now_ms() < end);
	kill(pid, SIGKILL);
	for (i = 0; i < 1000; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		usleep(1000);
	}
	return -1;
}

/* Run @fn in a child that an alarm ends after @secs; see wait_child_ms(). */
static int run_bounded(int (*fn)(void *), void *arg, unsigned int secs)
{
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		signal(SIGALRM, SIG_DFL);
		alarm(secs);
		_exit(fn(arg));
	}
	return wait_child_ms(pid, (secs + 5) * 1000);
}

/* Replace the process with this binary running helper @mode. */
static void exec_helper(const char *mode)
{
	static char env[96];
	static char *const argv[] = { (char *)"io_uring_safety_helper", NULL };
	static char *const envp[] = { env, NULL };

	snprintf(env, sizeof(env), HELPER_ENV "=%s", mode);
	execve("/proc/self/exe", argv, envp);
}

/* Tell the test we are running, then hold our fds until @hold is closed. */
static int helper_hold(int ready, int hold)
{
	char c;

	signal(SIGALRM, SIG_DFL);
	alarm(30);
	if (write(ready, "r", 1) != 1)
		return 1;
	close(ready);
	while (read(hold, &c, 1) > 0)
		;
	return 0;
}

/*
 * Attach a new SQPOLL ring to the ring @fd: the exit code is the errno
 * (200 if it worked). A bad fd is -ENXIO too: make sure @fd is a ring.
 */
static int helper_attach(int fd)
{
	struct io_uring_params p = {
		.flags = IORING_SETUP_SQPOLL | IORING_SETUP_ATTACH_WQ,
		.wq_fd = fd,
	};
	char path[64], target[64] = "";
	int ret;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (readlink(path, target, sizeof(target) - 1) < 0 ||
	    !strstr(target, "io_uring"))
		return 201;
	ret = sys_setup(4, &p);
	return ret < 0 ? -ret : 200;
}

/* Helpers run in an exec'd copy of this binary, before the harness. */
__attribute__((constructor)) static void helper_entry(void)
{
	const char *mode = getenv(HELPER_ENV);
	int a, b;

	if (!mode)
		return;
	if (sscanf(mode, "hold:%d:%d", &a, &b) == 2)
		_exit(helper_hold(a, b));
	if (sscanf(mode, "attach:%d", &a) == 1)
		_exit(helper_attach(a));
	if (!strcmp(mode, "exit"))
		_exit(0);
	_exit(127);
}

static void tmp_path(char *buf, size_t len, const char *what)
{
	static int seq;

	snprintf(buf, len, "/tmp/iou_safety_%d_%s_%d", getpid(), what, seq++);
	unlink(buf);
}

static bool path_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static struct io_uring_sqe *prep_openat(struct ring *r, const char *path,
					int flags, uint64_t ud)
{
	struct io_uring_sqe *sqe = ring_rw(r, IORING_OP_OPENAT, AT_FDCWD, path,
					   0600, 0, ud);

	sqe->open_flags = flags;
	return sqe;
}

static struct io_uring_sqe *poll_add(struct ring *r, int fd, unsigned int events,
				     unsigned int flags, uint64_t ud)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	sqe->opcode = IORING_OP_POLL_ADD;
	sqe->fd = fd;
	sqe->poll32_events = events;
	sqe->len = flags;
	sqe->user_data = ud;
	return sqe;
}

static struct io_uring_sqe *cancel_sqe(struct ring *r, uint64_t target,
				       unsigned int flags, uint64_t ud)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	sqe->opcode = IORING_OP_ASYNC_CANCEL;
	sqe->fd = -1;
	sqe->addr = target;
	sqe->cancel_flags = flags;
	sqe->user_data = ud;
	return sqe;
}

/* Is some io-wq worker of this process asleep (blocked in a request)? */
static bool iowq_worker_sleeping(void)
{
	struct dirent *de;
	bool found = false;
	DIR *d = opendir("/proc/self/task");

	if (!d)
		return false;
	while (!found && (de = readdir(d))) {
		char path[300], comm[32] = "";
		ssize_t n;
		int fd;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", de->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		n = read(fd, comm, sizeof(comm) - 1);
		close(fd);
		if (n > 0 && !strncmp(comm, "iou-wrk-", 8))
			found = ring_thread_state(atoi(de->d_name)) == 'S';
	}
	closedir(d);
	return found;
}

static bool wait_iowq_worker_sleeping(int ms)
{
	long long end = ring_now_ms() + ms;

	do {
		if (iowq_worker_sleeping())
			return true;
		usleep(1000);
	} while (ring_now_ms() < end);
	return false;
}

static int count_dir(const char *path)
{
	struct dirent *de;
	DIR *d = opendir(path);
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/*
 * 1. exec cancels everything the task submitted.
 *
 * A child queues requests on a ring it shares with the test, makes its
 * ring fd survive exec and execs a helper that holds it open. By the time
 * the helper runs, every request of the child must have been cancelled:
 * nothing may run later on behalf of the old image.
 */
typedef void (*prep_fn)(struct ring *r, void *arg);

static pid_t submit_and_exec(struct ring *r, prep_fn prep, void *arg,
			     int nr, int *hold_fd)
{
	int ready[2], hold[2];
	struct pollfd pfd;
	char mode[64], c;
	pid_t pid;

	if (pipe(ready) || pipe(hold))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		close(ready[0]);
		close(hold[1]);
		prep(r, arg);
		if (ring_submit(r) != nr)
			_exit(1);
		/* the ring goes with the new image */
		fcntl(r->fd, F_SETFD, 0);
		snprintf(mode, sizeof(mode), "hold:%d:%d", ready[1], hold[0]);
		exec_helper(mode);
		_exit(2);
	}
	close(ready[1]);
	close(hold[0]);
	pfd.fd = ready[0];
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 5000) != 1 || read(ready[0], &c, 1) != 1) {
		close(ready[0]);
		close(hold[1]);
		wait_child_ms(pid, 1000);
		return -1;
	}
	close(ready[0]);
	*hold_fd = hold[1];
	/* the child moved the shared SQ tail */
	r->sqe_tail = *r->sq_tail;
	return pid;
}

static void prep_timeout_chain(struct ring *r, void *arg)
{
	/* far longer than an exec takes, even on a loaded debug kernel */
	static struct __kernel_timespec ts = { .tv_sec = 30 };
	struct io_uring_sqe *sqe;

	sqe = ring_rw(r, IORING_OP_TIMEOUT, -1, &ts, 1, 0, 1);
	sqe->flags = IOSQE_IO_HARDLINK;
	prep_openat(r, arg, O_CREAT | O_WRONLY, 2);
}

TEST(exec_cancels_hardlinked_timeout_chain)
{
	struct io_uring_cqe cqe;
	int res[3] = { 1, 1, 1 }, hold, i;
	char path[96];
	struct ring r;
	bool created;
	pid_t pid;

	tmp_path(path, sizeof(path), "timeout_chain");
	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	pid = submit_and_exec(&r, prep_timeout_chain, path, 2, &hold);
	ASSERT_LT(0, pid);
	/* exec cancels the chain: its CQEs come long before the timeout's */
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, wait_cqe_ms(&r, &cqe, 10000));
		ASSERT_GT(3, cqe.user_data);
		res[cqe.user_data] = cqe.res;
	}
	created = path_exists(path);
	unlink(path);
	close(hold);
	ASSERT_EQ(0, wait_child_ms(pid, 5000));
	ASSERT_EQ(-ECANCELED, res[1]);
	ASSERT_EQ(-ECANCELED, res[2]);
	ASSERT_FALSE(created);
	ASSERT_EQ(0, ring_cq_ready(&r));
	ring_exit(&r);
}

struct poll_chain {
	int fd;
	const char *path;
};

static void prep_poll_chain(struct ring *r, void *arg)
{
	struct poll_chain *pc = arg;

	poll_add(r, pc->fd, POLLIN, 0, 1)->flags = IOSQE_IO_HARDLINK;
	prep_openat(r, pc->path, O_CREAT | O_WRONLY, 2);
}

TEST(exec_cancels_hardlinked_poll_chain)
{
	struct io_uring_cqe cqe;
	int res[3] = { 1, 1, 1 }, hold, i, p[2];
	struct poll_chain pc;
	char path[96];
	struct ring r;
	bool created;
	pid_t pid;

	tmp_path(path, sizeof(path), "poll_chain");
	ASSERT_EQ(0, pipe(p));
	pc.fd = p[0];
	pc.path = path;
	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	pid = submit_and_exec(&r, prep_poll_chain, &pc, 2, &hold);
	ASSERT_LT(0, pid);
	/* the new image runs: the poll firing now must not open the file */
	ASSERT_EQ(1, write(p[1], "x", 1));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, wait_cqe_ms(&r, &cqe, 3000));
		ASSERT_GT(3, cqe.user_data);
		res[cqe.user_data] = cqe.res;
	}
	created = path_exists(path);
	unlink(path);
	close(hold);
	ASSERT_EQ(0, wait_child_ms(pid, 5000));
	ASSERT_EQ(-ECANCELED, res[1]);
	ASSERT_EQ(-ECANCELED, res[2]);
	ASSERT_FALSE(created);
	ring_exit(&r);
	close(p[0]);
	close(p[1]);
}

static void prep_pipe_read(struct ring *r, void *arg)
{
	static char buf[8];

	ring_rw(r, IORING_OP_READ, *(int *)arg, buf, sizeof(buf), 0, 1);
}

TEST(exec_cancels_read_waiting_in_internal_poll)
{
	struct io_uring_cqe cqe;
	int hold, p[2];
	struct ring r;
	char buf[8];
	pid_t pid;

	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	pid = submit_and_exec(&r, prep_pipe_read, &p[0], 1, &hold);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, wait_cqe_ms(&r, &cqe, 3000));
	ASSERT_EQ(1, cqe.user_data);
	ASSERT_EQ(-ECANCELED, cqe.res);
	/* what is written now is ours, not the cancelled read's */
	ASSERT_EQ(4, write(p[1], "data", 4));
	ASSERT_EQ(0, fcntl(p[0], F_SETFL, O_NONBLOCK));
	ASSERT_EQ(4, read(p[0], buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "data", 4));
	close(hold);
	ASSERT_EQ(0, wait_child_ms(pid, 5000));
	ASSERT_EQ(0, ring_cq_ready(&r));
	ring_exit(&r);
	close(p[0]);
	close(p[1]);
}

/*
 * 2. SQPOLL setup whose params cannot be written back: -EFAULT, the
 * thread and the ring are torn down, no fd is left behind.
 */
TEST(sqpoll_setup_with_readonly_params_fails_cleanly)
{
	long pg = sysconf(_SC_PAGESIZE);
	struct io_uring_params *p;
	struct io_uring_cqe cqe;
	int fds, tasks, i;
	long long end;
	struct ring r;

	p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	memset(p, 0, sizeof(*p));
	p->flags = IORING_SETUP_SQPOLL;
	p->sq_thread_idle = 10;
	ASSERT_EQ(0, mprotect(p, pg, PROT_READ));
	fds = count_dir("/proc/self/fd");
	tasks = count_dir("/proc/self/task");
	for (i = 0; i < 300; i++)
		ASSERT_EQ(-EFAULT, sys_setup(4, p));
	ASSERT_EQ(fds, count_dir("/proc/self/fd"));
	/* the SQPOLL threads of the failed rings go away */
	end = ring_now_ms() + 10000;
	while (count_dir("/proc/self/task") > tasks && ring_now_ms() < end)
		usleep(1000);
	ASSERT_EQ(tasks, count_dir("/proc/self/task"));
	/* and SQPOLL still works */
	ASSERT_EQ(0, mprotect(p, pg, PROT_READ | PROT_WRITE));
	ASSERT_EQ(0, ring_init(&r, 4, p));
	ASSERT_TRUE(r.p.flags & IORING_SETUP_SQPOLL);
	ring_nop(&r, 5);
	ASSERT_EQ(1, sys_enter(r.fd, ring_flush_sq(&r), 0,
			       IORING_ENTER_SQ_WAKEUP, NULL, 0));
	ASSERT_EQ(0, wait_cqe_ms(&r, &cqe, 3000));
	ASSERT_EQ(5, cqe.user_data);
	ring_exit(&r);
	munmap(p, pg);
}

/*
 * 3. A request blocked in an io-wq worker (a FIFO open with no writer)
 * does not keep its task from exiting or exec'ing: the worker is
 * interrupted, the open ends (see fifo_open_interrupted()) and leaves no
 * reader behind on the FIFO.
 */
struct fifo_open {
	struct ring *r;
	const char *path;
	int submitted;
	bool blocked;
};

static void queue_fifo_open(struct fifo_open *fo)
{
	prep_openat(fo->r, fo->path, O_RDONLY, 1)->flags = IOSQE_ASYNC;
	fo->submitted = ring_submit(fo->r);
	fo->blocked = wait_iowq_worker_sleeping(3000);
}

static void *fifo_open_thread(void *arg)
{
	queue_fifo_open(arg);
	pthread_exit(NULL);
}

static int make_fifo(char *path, size_t len)
{
	tmp_path(path, len, "fifo");
	return mkfifo(path, 0600);
}

/*
 * How an interrupted open ends: cancelled before it ran, or interrupted
 * in the FIFO wait. Linux passes the open's -ERESTARTSYS through to the
 * CQE as it is (6.12 and later do); -EINTR is accepted as well.
 */
#ifndef ERESTARTSYS
#define ERESTARTSYS	512
#endif

static bool fifo_open_interrupted(int res)
{
	return res == -EINTR || res == -ECANCELED || res == -ERESTARTSYS;
}

/* No reader may be left on the FIFO: the blocked open really ended. */
static bool fifo_has_reader(const char *path)
{
	int fd = open(path, O_WRONLY | O_NONBLOCK);

	if (fd < 0)
		return errno != ENXIO;
	close(fd);
	return true;
}

TEST(thread_exit_with_fifo_open_blocked_in_iowq)
{
	struct fifo_open fo = { };
	struct io_uring_cqe cqe;
	struct timespec ts;
	char path[96];
	struct ring r;
	pthread_t thr;
	bool reader;

	ASSERT_EQ(0, make_fifo(path, sizeof(path)));
	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	fo.r = &r;
	fo.path = path;
	ASSERT_EQ(0, pthread_create(&thr, NULL, fifo_open_thread, &fo));
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 10;
	ASSERT_EQ(0, pthread_timedjoin_np(thr, NULL, &ts));
	ASSERT_EQ(1, fo.submitted);
	if (!fo.blocked)
		TH_LOG("the worker was not seen blocked in open");
	ASSERT_EQ(0, wait_cqe_ms(&r, &cqe, 5000));
	ASSERT_EQ(1, cqe.user_data);
	ASSERT_TRUE(fifo_open_interrupted(cqe.res)) {
		TH_LOG("open of the FIFO ended with %d", cqe.res);
	}
	reader = fifo_has_reader(path);
	unlink(path);
	ASSERT_FALSE(reader);
	ring_exit(&r);
}

TEST(exec_with_fifo_open_blocked_in_iowq)
{
	struct io_uring_cqe cqe;
	struct fifo_open fo;
	char path[96];
	struct ring r;
	bool reader;
	pid_t pid;

	ASSERT_EQ(0, make_fifo(path, sizeof(path)));
	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		fo.r = &r;
		fo.path = path;
		queue_fifo_open(&fo);
		if (fo.submitted != 1)
			_exit(1);
		signal(SIGALRM, SIG_DFL);
		alarm(20);
		exec_helper("exit");
		_exit(2);
	}
	ASSERT_EQ(0, wait_child_ms(pid, 10000));
	ASSERT_EQ(0, wait_cqe_ms(&r, &cqe, 5000));
	ASSERT_EQ(1, cqe.user_data);
	ASSERT_TRUE(fifo_open_interrupted(cqe.res)) {
		TH_LOG("open of the FIFO ended with %d", cqe.res);
	}
	reader = fifo_has_reader(path);
	unlink(path);
	ASSERT_FALSE(reader);
	ring_exit(&r);
}

/*
 * 4. DEFER_TASKRUN rings polling their own fd, or each other's: posting
 * a CQE wakes the poll, whose completion is deferred work of the same
 * task. No hang: the NOPs complete, and a poll that completes saw POLLIN.
 */
static int defer_ring(struct ring *r)
{
	struct io_uring_params p = {
		.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
	};

	return ring_init(r, 8, &p);
}

/* Reap until the NOP (user_data 2) is seen; checks any poll CQE (1). */
static int reap_nop_and_poll(struct ring *r)
{
	struct io_uring_cqe cqe;
	bool nop = false;

	while (!nop) {
		if (wait_cqe_ms(r, &cqe, 3000))
			return 10;
		if (cqe.user_data == 2) {
			if (cqe.res)
				return 11;
			nop = true;
		} else if (cqe.user_data != 1 || !(cqe.res & POLLIN)) {
			return 12;
		}
	}
	/* and the poll, if it completes, did so with POLLIN */
	if (!wait_cqe_ms(r, &cqe, 100) &&
	    (cqe.user_data != 1 || !(cqe.res & POLLIN)))
		return 13;
	return 0;
}

static int own_fd_poll_child(void *arg)
{
	struct ring r;
	int ret;

	if (defer_ring(&r))
		return 1;
	poll_add(&r, r.fd, POLLIN, 0, 1);
	if (ring_submit(&r) != 1)
		return 2;
	ring_nop(&r, 2);
	if (ring_submit(&r) != 1)
		return 3;
	ret = reap_nop_and_poll(&r);
	if (ret)
		return ret;
	/* the ring still works */
	ring_nop(&r, 2);
	if (ring_submit(&r) != 1)
		return 4;
	ret = reap_nop_and_poll(&r);
	ring_exit(&r);
	return ret;
}

TEST(defer_taskrun_poll_on_own_ring_fd)
{
	ASSERT_EQ(0, run_bounded(own_fd_poll_child, NULL, 10));
}

static int cross_poll_child(void *arg)
{
	struct ring a, b;
	int ret;

	if (defer_ring(&a) || defer_ring(&b))
		return 1;
	poll_add(&a, b.fd, POLLIN, 0, 1);
	poll_add(&b, a.fd, POLLIN, 0, 1);
	if (ring_submit(&a) != 1 || ring_submit(&b) != 1)
		return 2;
	ring_nop(&a, 2);
	ring_nop(&b, 2);
	if (ring_submit(&a) != 1 || ring_submit(&b) != 1)
		return 3;
	ret = reap_nop_and_poll(&a);
	if (!ret)
		ret = reap_nop_and_poll(&b);
	ring_exit(&a);
	ring_exit(&b);
	return ret ? ret + 20 : 0;
}

TEST(defer_taskrun_rings_polling_each_other)
{
	ASSERT_EQ(0, run_bounded(cross_poll_child, NULL, 10));
}

/*
 * 5. FUTEX_WAITV: a value that differs at submission ends the request
 * once, with -EAGAIN, and leaves no waiter queued; wakeups racing the
 * setup of the wait produce exactly one CQE per request.
 */
#define F2	(FUTEX2_SIZE_U32 | FUTEX2_PRIVATE)

static int futex_wake_sys(unsigned int *f, int nr)
{
	return syscall(SYS_futex, f, FUTEX_WAKE_PRIVATE, nr, NULL, NULL, 0);
}

TEST(futex_waitv_value_mismatch_completes_once)
{
	struct futex_waitv v[3];
	unsigned int f[3];
	struct io_uring_cqe cqe;
	struct ring r;
	int i, round;

	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	for (i = 0; i < 3; i++)
		v[i] = (struct futex_waitv){ .uaddr = (uintptr_t)&f[i],
					     .flags = F2 };
	for (round = 0; round < 300; round++) {
		/* the stale value first, in the middle, last */
		memset(f, 0, sizeof(f));
		f[round % 3] = 1;
		ring_rw(&r, IORING_OP_FUTEX_WAITV, 0, v, 3, 0, 1);
		ASSERT_EQ(1, ring_submit(&r));
		ASSERT_EQ(0, wait_cqe_ms(&r, &cqe, 3000));
		ASSERT_EQ(1, cqe.user_data);
		ASSERT_EQ(-EAGAIN, cqe.res);
		ASSERT_FALSE(cqe.flags & IORING_CQE_F_MORE);
		/* nothing else of it follows: the next CQE is the NOP */
		ring_nop(&r, 2);
		ASSERT_EQ(1, ring_submit(&r));
		ASSERT_EQ(0, wait_cqe_ms(&r, &cqe, 3000));
		ASSERT_EQ(2, cqe.user_data);
		/* and no waiter was left queued on any of the futexes */
		for (i = 0; i < 3; i++)
			ASSERT_EQ(0, futex_wake_sys(&f[i], 1));
	}
	ASSERT_EQ(0, ring_cq_ready(&r));
	ring_exit(&r);
}

struct waker {
	unsigned int f[2];
	int stop;
	int change_values;
};

static void *futex_waker(void *arg)
{
	struct waker *w = arg;
	unsigned int n = 0;

	while (!__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE)) {
		/*
		 * Wakeups of f0 race the setup of the wait on f1. Value
		 * changes of f1 are a phase of their own: the waiter takes
		 * f1's bucket lock right after our wakeup drops it, before
		 * f1 is set back, so they make nearly every wait see a stale
		 * value and leave few wakeups to race the setup.
		 */
		if (!__atomic_load_n(&w->change_values, __ATOMIC_RELAXED) ||
		    ++n % 16) {
			futex_wake_sys(&w->f[0], 1);
		} else {
			/* a value change and its wakeup, as a lock would */
			__atomic_store_n(&w->f[1], 1, __ATOMIC_RELEASE);
			futex_wake_sys(&w->f[1], 1);
			__atomic_store_n(&w->f[1], 0, __ATOMIC_RELEASE);
		}
	}
	return NULL;
}

/* One FUTEX_WAITV, woken by the waker: exactly its CQE comes, in time. */
static void waitv_round(struct __test_metadata *_metadata, struct ring *r,
			struct futex_waitv *v, int ud, int *n)
{
	struct io_uring_cqe cqe;

	ring_rw(r, IORING_OP_FUTEX_WAITV, 0, v, 2, 0, ud);
	ASSERT_EQ(1, ring_submit(r));
	/* a second CQE for an earlier request would show up here */
	ASSERT_EQ(0, wait_cqe_ms(r, &cqe, 3000));
	ASSERT_EQ(ud, cqe.user_data);
	if (cqe.res == -EAGAIN)
		n[2]++;
	else if (cqe.res == 0 || cqe.res == 1)
		n[cqe.res]++;
	else
		ASSERT_EQ(0, cqe.res);
}

TEST(futex_waitv_racing_wakeups_complete_once)
{
	struct waker w = { };
	struct futex_waitv v[2];
	struct io_uring_cqe cqe;
	int i, ud = 0, n[3] = { };
	struct ring r;
	pthread_t thr;
	long long end;

	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	for (i = 0; i < 2; i++)
		v[i] = (struct futex_waitv){ .uaddr = (uintptr_t)&w.f[i],
					     .flags = F2 };
	ASSERT_EQ(0, pthread_create(&thr, NULL, futex_waker, &w));
	/* wakeups racing the setup, then value changes too; bounded in time */
	end = ring_now_ms() + 2000;
	for (i = 0; i < 15000 && ring_now_ms() < end; i++)
		waitv_round(_metadata, &r, v, ud++, n);
	__atomic_store_n(&w.change_values, 1, __ATOMIC_RELAXED);
	end = ring_now_ms() + 1000;
	for (i = 0; i < 5000 && ring_now_ms() < end; i++)
		waitv_round(_metadata, &r, v, ud++, n);
	__atomic_store_n(&w.stop, 1, __ATOMIC_RELEASE);
	pthread_join(thr, NULL);
	/* and nothing of any of them comes after */
	ring_nop(&r, ud);
	ASSERT_EQ(1, ring_submit(&r));
	ASSERT_EQ(0, wait_cqe_ms(&r, &cqe, 3000));
	ASSERT_EQ(ud, cqe.user_data);
	ASSERT_EQ(0, ring_cq_ready(&r));
	ASSERT_LT(0, n[0]);
	TH_LOG("%d waits: woken by f0 %d, by f1 %d, -EAGAIN %d", ud, n[0],
	       n[1], n[2]);
	ring_exit(&r);
}

/*
 * 7. Provided buffer rings with entries the kernel must not trust: a
 * zero length, lengths and ids out of range, entries rewritten while
 * receives are in flight, received data landing on the ring itself.
 */
#define BGID		5

static struct io_uring_buf_ring *buf_ring_at(struct ring *r, void *mem,
					     unsigned int entries, int bgid)
{
	struct io_uring_buf_reg reg = {
		.ring_addr = (uintptr_t)mem,
		.ring_entries = entries,
		.bgid = bgid,
	};

	memset(mem, 0, entries * sizeof(struct io_uring_buf));
	if (sys_register(r->fd, IORING_REGISTER_PBUF_RING, &reg, 1))
		return NULL;
	return mem;
}

static void buf_ring_set(struct io_uring_buf_ring *br, unsigned int entries,
			 unsigned int idx, void *addr, unsigned int len,
			 unsigned short bid)
{
	struct io_uring_buf *buf = &br->bufs[idx & (entries - 1)];

	buf->addr = (uintptr_t)addr;
	buf->len = len;
	buf->bid = bid;
}

static void buf_ring_publish(struct io_uring_buf_ring *br, unsigned short tail)
{
	__atomic_store_n(&br->tail, tail, __ATOMIC_RELEASE);
}

static int buf_ring_head(struct ring *r, int bgid)
{
	struct io_uring_buf_status st = { .buf_group = bgid };
	int ret = sys_register(r->fd, IORING_REGISTER_PBUF_STATUS, &st, 1);

	return ret ? ret : (int)st.head;
}

static struct io_uring_sqe *prep_recv_select(struct ring *r, int fd,
					     unsigned int ioprio, int bgid,
					     uint64_t ud)
{
	struct io_uring_sqe *sqe = ring_rw(r, IORING_OP_RECV, fd, NULL, 0, 0, ud);

	sqe->flags = IOSQE_BUFFER_SELECT;
	sqe->buf_group = bgid;
	sqe->ioprio = ioprio;
	return sqe;
}

static void *page_alloc(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * A receive from a stream carrying the bytes 0, 1, 2, ... into buffers
 * laid out as @lens (slot i: bid 20 + i, at 64-byte strides, canary in
 * between). Whatever the kernel makes of the empty entries: it ends, it
 * never writes beyond an entry's length, and the bytes its CQEs name plus
 * those still queued are the stream, in order.
 */
#define ZL_SLOTS	4
#define ZL_STRIDE	64
#define ZL_DATA		40

static void zero_len_case(struct __test_metadata *_metadata,
			  const unsigned int *lens, unsigned int ioprio,
			  bool async)
{
	unsigned char data[ZL_DATA], rest[64], *bufs;
	int sv[2], n, head, cqes = 0;
	struct io_uring_buf_ring *br;
	struct io_uring_cqe cqe;
	unsigned int got = 0, i, j;
	bool more = true;
	struct ring r;
	char what[64];
	void *mem;

	snprintf(what, sizeof(what), "lens %u %u %u %u ioprio %x async %d",
		 lens[0], lens[1], lens[2], lens[3], ioprio, async);
	mem = page_alloc(8192);
	ASSERT_NE(NULL, mem);
	bufs = (unsigned char *)mem + 4096;
	memset(bufs, 0xee, 4096);
	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	br = buf_ring_at(&r, mem, ZL_SLOTS, BGID);
	ASSERT_NE(NULL, br);
	for (i = 0; i < ZL_SLOTS; i++)
		buf_ring_set(br, ZL_SLOTS, i, bufs + i * ZL_STRIDE, lens[i], 20 + i);
	buf_ring_publish(br, ZL_SLOTS);
	for (i = 0; i < ZL_DATA; i++)
		data[i] = i;
	ASSERT_EQ(ZL_DATA, write(sv[1], data, ZL_DATA));

	prep_recv_select(&r, sv[0], ioprio, BGID, 1)->flags |=
		async ? IOSQE_ASYNC : 0;
	ASSERT_EQ(1, ring_submit(&r));
	while (more) {
		ASSERT_EQ(0, wait_cqe_ms(&r, &cqe, 3000)) TH_LOG("%s", what);
		ASSERT_EQ(1, cqe.user_data);
		/* a multishot receive that posts without end is stuck */
		ASSERT_GT(16, ++cqes) TH_LOG("%s", what);
		more = cqe.flags & IORING_CQE_F_MORE;
		if (cqe.res == -ENOBUFS || cqe.res == 0)
			continue;
		ASSERT_LT(0, cqe.res) TH_LOG("%s", what);
		ASSERT_GE(ZL_DATA - got, cqe.res) TH_LOG("%s", what);
		ASSERT_TRUE(cqe.flags & IORING_CQE_F_BUFFER) TH_LOG("%s", what);
		i = (cqe.flags >> IORING_CQE_BUFFER_SHIFT) - 20;
		ASSERT_GT(ZL_SLOTS, i) TH_LOG("%s", what);
		/* walk the buffers from the one the CQE names */
		for (n = cqe.res; n && i < ZL_SLOTS; i++) {
			unsigned int len = lens[i] < (unsigned int)n ? lens[i] : n;

			ASSERT_EQ(0, memcmp(bufs + i * ZL_STRIDE, data + got, len))
				TH_LOG("%s: slot %u", what, i);
			got += len;
			n -= len;
		}
		ASSERT_EQ(0, n) TH_LOG("%s", what);
		if (more && got == ZL_DATA)
			break;
	}
	if (more) {
		/* all data is in: end the multishot receive */
		cancel_sqe(&r, 1, 0, 2);
		ASSERT_EQ(1, ring_submit(&r));
		while (more) {
			ASSERT_EQ(0, wait_cqe_ms(&r, &cqe, 3000)) TH_LOG("%s", what);
			if (cqe.user_data == 1)
				more = cqe.flags & IORING_CQE_F_MORE;
		}
	}
	/* what the CQEs did not name is still queued, in order */
	n = recv(sv[0], rest, sizeof(rest), MSG_DONTWAIT);
	if (got == ZL_DATA) {
		ASSERT_EQ(-1, n) TH_LOG("%s", what);
	} else {
		ASSERT_EQ(ZL_DATA - got, n) TH_LOG("%s", what);
		ASSERT_EQ(0, memcmp(rest, data + got, n)) TH_LOG("%s", what);
	}
	/* nothing written past an entry's length, into an empty one least */
	for (i = 0; i < ZL_SLOTS; i++)
		for (j = lens[i]; j < ZL_STRIDE; j++)
			ASSERT_EQ(0xee, bufs[i * ZL_STRIDE + j])
				TH_LOG("%s: slot %u byte %u", what, i, j);
	head = buf_ring_head(&r, BGID);
	ASSERT_LE(0, head);
	ASSERT_GE(ZL_SLOTS, head) TH_LOG("%s", what);
	ring_exit(&r);
	close(sv[0]);
	close(sv[1]);
	munmap(mem, 8192);
}

TEST(pbuf_ring_zero_length_entry)
{
	static const unsigned int layouts[][ZL_SLOTS] = {
		{ 0, 16, 16, 16 },
		{ 16, 0, 16, 16 },
		{ 16, 0, 0, 0 },
		{ 0, 0, 0, 0 },
	};
	static const unsigned int modes[] = {
		0,
		IORING_RECVSEND_BUNDLE,
		IORING_RECV_MULTISHOT,
		IORING_RECV_MULTISHOT | IORING_RECVSEND_BUNDLE,
	};
	unsigned char *mem, buf[8];
	struct io_uring_buf_ring *br;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	unsigned int l, m, a;
	struct ring r;
	int p[2];

	for (l = 0; l < 4; l++)
		for (m = 0; m < 4; m++)
			for (a = 0; a < 2; a++)
				zero_len_case(_metadata, layouts[l], modes[m], a);

	/* a read selecting an empty buffer: nothing is read, or refused */
	mem = page_alloc(8192);
	ASSERT_NE(NULL, mem);
	memset(mem + 4096, 0xee, 4096);
	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	ASSERT_EQ(0, pipe(p));
	br = buf_ring_at(&r, mem, 2, BGID);
	ASSERT_NE(NULL, br);
	buf_ring_set(br, 2, 0, mem + 4096, 0, 3);
	buf_ring_publish(br, 1);
	ASSERT_EQ(5, write(p[1], "hello", 5));
	sqe = ring_rw(&r, IORING_OP_READ, p[0], NULL, 0, 0, 1);
	sqe->flags = IOSQE_BUFFER_SELECT;
	sqe->buf_group = BGID;
	ASSERT_EQ(1, ring_submit(&r));
	ASSERT_EQ(0, wait_cqe_ms(&r, &cqe, 3000));
	ASSERT_EQ(1, cqe.user_data);
	ASSERT_TRUE(cqe.res == 0 || cqe.res == -ENOBUFS);
	ASSERT_EQ(0xee, mem[4096]);
	ASSERT_EQ(0, fcntl(p[0], F_SETFL, O_NONBLOCK));
	ASSERT_EQ(5, read(p[0], buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "hello", 5));
	ring_exit(&r);
	close(p[0]);
	close(p[1]);
	munmap(mem, 8192);
}

/*
 * The fuzzing receivers below scribble over the buffer ring while the
 * kernel reads it, so the kernel may read an address torn between an old
 * and a new value: whatever it reads must not be memory of ours outside
 * the area. The area is the start of a 1 TiB window reserved PROT_NONE,
 * aligned to 1 TiB: changing an address' low five bytes keeps it in the
 * window. Whatever we write over the ring has only bytes 0x80 and above:
 * changing either of the top two bytes makes the address invalid. Every
 * address we publish points into the area's first MiB, so even a huge
 * length leaves the copy inside the 8 MiB area, or faulting beyond it.
 */
#define FZ_AREA		(8 << 20)
#define FZ_WINDOW	(1ULL << 40)
#define FZ_ENTRIES	64
#define FZ_BUF		4096

static char *fz_area_alloc(void)
{
	uintptr_t base;

	for (base = 0x400000000000ULL; base < 0x480000000000ULL;
	     base += FZ_WINDOW) {
		void *w = mmap((void *)base, FZ_WINDOW, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
			       MAP_FIXED_NOREPLACE, -1, 0);

		if (w == MAP_FAILED)
			continue;
		if (w == (void *)base &&
		    !mprotect(w, FZ_AREA, PROT_READ | PROT_WRITE))
			return w;
		munmap(w, FZ_WINDOW);
	}
	return NULL;
}

struct fuzz {
	struct ring r;
	struct io_uring_buf_ring *br;
	char *area;
	int sv[2];
	int pipe[2];
	int stop;
	bool into_ring;
	bool memset_ring;
	unsigned int ioprio;
};

static bool fz_stopped(struct fuzz *fz)
{
	return __atomic_load_n(&fz->stop, __ATOMIC_ACQUIRE);
}

static void fz_garbage(struct fuzz *fz, struct io_uring_buf *b,
		       unsigned int rnd)
{
	static const unsigned int lens[] = { 0, 1, 16, FZ_BUF, 0x7fffffff,
					     0xffffffff, 0, FZ_BUF };
	uint64_t addr = (uintptr_t)fz->area + FZ_BUF * (1 + rnd % 255);

	if (fz->into_ring && !(rnd % 5))
		addr = (uintptr_t)fz->br;
	else if (!(rnd % 13))
		addr = (uintptr_t)fz->area + FZ_WINDOW / 2;	/* faults */
	b->addr = addr;
	b->len = lens[(rnd >> 8) & 7];
	b->bid = rnd >> 16;
}

static void *fz_scribbler(void *arg)
{
	struct fuzz *fz = arg;
	unsigned int seed = 1;

	while (!fz_stopped(fz)) {
		unsigned int rnd = rand_r(&seed);

		if (fz->memset_ring && !(rnd % 1024)) {
			/* the whole ring, tail included */
			memset(fz->br, 0x80 | rnd >> 8, FZ_ENTRIES * 16);
			continue;
		}
		fz_garbage(fz, &fz->br->bufs[rnd % FZ_ENTRIES], rand_r(&seed));
		if (!(rnd % 7))
			__atomic_store_n(&fz->br->tail, fz->br->tail +
					 (rand_r(&seed) % FZ_ENTRIES),
					 __ATOMIC_RELEASE);
	}
	return NULL;
}

static void *fz_sender(void *arg)
{
	struct fuzz *fz = arg;
	unsigned int seed = 2;
	char chunk[2048];

	while (!fz_stopped(fz)) {
		size_t len = 1 + rand_r(&seed) % sizeof(chunk);

		memset(chunk, 0x80 | rand_r(&seed), len);
		if (send(fz->sv[1], chunk, len, MSG_DONTWAIT) < 0) {
			if (errno != EAGAIN)
				break;
			usleep(50);
		}
		if (fz->pipe[1] >= 0 &&
		    write(fz->pipe[1], chunk, len > 512 ? 512 : len) < 0 &&
		    errno != EAGAIN)
			break;
	}
	return NULL;
}

static void fz_arm_recv(struct fuzz *fz)
{
	prep_recv_select(&fz->r, fz->sv[0], fz->ioprio, BGID, 1);
}

/* A READ landing on the buffer ring itself. */
static void fz_arm_read(struct fuzz *fz)
{
	ring_rw(&fz->r, IORING_OP_READ, fz->pipe[0], fz->br, FZ_ENTRIES * 16,
		0, 2);
}

static int fuzz_child(void *arg)
{
	struct fuzz *fz = arg;
	struct io_uring_cqe cqe;
	bool recv_armed = false, read_armed = false;
	pthread_t scribbler, sender;
	int i, cqes = 0, data = 0;
	long long end;

	fz->area = fz_area_alloc();
	if (!fz->area || ring_init(&fz->r, 64, NULL) ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, fz->sv))
		return 1;
	fz->pipe[0] = -1;
	fz->pipe[1] = -1;
	if (fz->into_ring && pipe2(fz->pipe, O_NONBLOCK))
		return 1;
	fz->br = buf_ring_at(&fz->r, fz->area, FZ_ENTRIES, BGID);
	if (!fz->br)
		return 2;
	for (i = 0; i < FZ_ENTRIES; i++)
		buf_ring_set(fz->br, FZ_ENTRIES, i, fz->area + FZ_BUF * (1 + i),
			     FZ_BUF, i);
	buf_ring_publish(fz->br, FZ_ENTRIES);
	if (pthread_create(&sender, NULL, fz_sender, fz) ||
	    pthread_create(&scribbler, NULL, fz_scribbler, fz))
		return 3;

	end = ring_now_ms() + 1000;
	while (ring_now_ms() < end) {
		if (!recv_armed) {
			fz_arm_recv(fz);
			recv_armed = true;
		}
		if (fz->pipe[0] >= 0 && !read_armed) {
			fz_arm_read(fz);
			read_armed = true;
		}
		if (ring_submit(&fz->r) < 0)
			return 4;
		/* data keeps coming: a receive that says nothing is stuck */
		if (wait_cqe_ms(&fz->r, &cqe, 3000))
			return 5;
		cqes++;
		if (cqe.user_data == 2) {
			read_armed = false;
			continue;
		}
		if (cqe.user_data != 1)
			return 6;
		if (cqe.res > 0)
			data++;
		if (!(cqe.flags & IORING_CQE_F_MORE))
			recv_armed = false;
	}
	__atomic_store_n(&fz->stop, 1, __ATOMIC_RELEASE);
	pthread_join(scribbler, NULL);
	pthread_join(sender, NULL);

	/* end whatever is armed: each gets its last CQE */
	shutdown(fz->sv[1], SHUT_WR);
	if (fz->pipe[1] >= 0)
		close(fz->pipe[1]);
	while (recv_armed || read_armed) {
		if (wait_cqe_ms(&fz->r, &cqe, 3000))
			return 7;
		if (cqe.user_data == 1 && !(cqe.flags & IORING_CQE_F_MORE))
			recv_armed = false;
		if (cqe.user_data == 2)
			read_armed = false;
	}
	/* the ring is still in order */
	ring_nop(&fz->r, 3);
	if (ring_submit(&fz->r) != 1 || wait_cqe_ms(&fz->r, &cqe, 3000) ||
	    cqe.user_data != 3)
		return 8;
	/* entries stay usable often enough unless the ring is clobbered */
	if (!cqes || (!fz->memset_ring && !data))
		return 9;
	ring_exit(&fz->r);
	return 0;
}

/*
 * Receives with data flowing while another thread keeps rewriting ring
 * entries with zero, tiny and huge lengths, out-of-range ids, addresses
 * that fault, and moves the tail by up to a ring's worth: every receive
 * ends or posts within seconds, the process finishes, the ring works.
 */
TEST(pbuf_ring_garbage_under_multishot_bundle_recv)
{
	struct fuzz fz = {
		.ioprio = IORING_RECV_MULTISHOT | IORING_RECVSEND_BUNDLE,
	};

	ASSERT_EQ(0, run_bounded(fuzz_child, &fz, 20));
}

TEST(pbuf_ring_garbage_under_multishot_recv)
{
	struct fuzz fz = { .ioprio = IORING_RECV_MULTISHOT };

	ASSERT_EQ(0, run_bounded(fuzz_child, &fz, 20));
}

TEST(pbuf_ring_garbage_under_bundle_recv)
{
	struct fuzz fz = { .ioprio = IORING_RECVSEND_BUNDLE };

	ASSERT_EQ(0, run_bounded(fuzz_child, &fz, 20));
}

/*
 * The same, and the ring itself overwritten under the receive: entries
 * that point at the ring (received data lands on it), a READ from a pipe
 * into the ring, and a thread that memsets all of it now and then.
 */
TEST(pbuf_ring_overwritten_by_io_under_multishot_recv)
{
	struct fuzz fz = {
		.ioprio = IORING_RECV_MULTISHOT | IORING_RECVSEND_BUNDLE,
		.into_ring = true,
		.memset_ring = true,
	};

	ASSERT_EQ(0, run_bounded(fuzz_child, &fz, 20));
	fz.ioprio = IORING_RECV_MULTISHOT;
	ASSERT_EQ(0, run_bounded(fuzz_child, &fz, 20));
}

/*
 * 14. A bundle receive issued from io-wq (IOSQE_ASYNC): the CQE names the
 * buffer at the ring head, the data it reports is in the buffers from
 * that one on, and the head moved by exactly the buffers that data used.
 * A bundle may stop short of what is queued (6.12 and later do): what it
 * left is received next, so the stream must come out whole and in order.
 */
#define B14_NR		8
#define B14_LEN		16

TEST(bundle_recv_in_iowq_accounts_buffers)
{
	unsigned char *bufs, data[B14_NR * B14_LEN];
	unsigned int round, head = 0, tail, seq = 0, ud = 0;
	struct io_uring_buf_ring *br;
	struct io_uring_cqe cqe;
	struct ring r;
	void *mem;
	int sv[2], i;

	mem = page_alloc(8192);
	ASSERT_NE(NULL, mem);
	bufs = (unsigned char *)mem + 4096;
	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	br = buf_ring_at(&r, mem, B14_NR, BGID);
	ASSERT_NE(NULL, br);
	for (i = 0; i < B14_NR; i++)
		buf_ring_set(br, B14_NR, i, bufs + i * B14_LEN, B14_LEN, 20 + i);
	tail = B14_NR;
	buf_ring_publish(br, tail);

	for (round = 0; round < 200; round++) {
		unsigned int n = round < 2 ? 40 : 1 + (round * 37) % sizeof(data);
		unsigned int got = 0, tries = 0, j;

		for (j = 0; j < n; j++)
			data[j] = seq++;
		ASSERT_EQ(n, write(sv[1], data, n));
		while (got < n) {
			unsigned int nbufs, bid;

			/* each receive takes some: never more than bytes */
			ASSERT_GE(n, ++tries);
			prep_recv_select(&r, sv[0], IORING_RECVSEND_BUNDLE, BGID,
					 ++ud)->flags |= IOSQE_ASYNC;
			ASSERT_EQ(1, ring_submit(&r));
			ASSERT_EQ(0, wait_cqe_ms(&r, &cqe, 3000));
			ASSERT_EQ(ud, cqe.user_data);
			ASSERT_LT(0, cqe.res);
			ASSERT_GE(n - got, cqe.res);
			ASSERT_TRUE(cqe.flags & IORING_CQE_F_BUFFER);
			bid = cqe.flags >> IORING_CQE_BUFFER_SHIFT;
			/* the first buffer is the one at the head */
			ASSERT_EQ(20 + head % B14_NR, bid);
			nbufs = (cqe.res + B14_LEN - 1) / B14_LEN;
			for (j = 0; j < nbufs; j++) {
				unsigned int len = cqe.res - j * B14_LEN;

				if (len > B14_LEN)
					len = B14_LEN;
				ASSERT_EQ(0, memcmp(bufs + ((bid - 20 + j) % B14_NR) *
						    B14_LEN, data + got + j * B14_LEN,
						    len));
			}
			got += cqe.res;
			head += nbufs;
			ASSERT_EQ(head & 0xffff, buf_ring_head(&r, BGID));
			/* give the used buffers back, in the same slots */
			for (j = 0; j < nbufs; j++, tail++)
				buf_ring_set(br, B14_NR, tail, bufs + (tail % B14_NR) *
					     B14_LEN, B14_LEN, 20 + tail % B14_NR);
			buf_ring_publish(br, tail);
		}
	}
	/* nothing was left behind in the socket */
	ASSERT_EQ(-1, recv(sv[0], data, sizeof(data), MSG_DONTWAIT));
	ring_exit(&r);
	close(sv[0]);
	close(sv[1]);
	munmap(mem, 8192);
}

/*
 * 15. Multishot RECVMSG with provided buffers: name and control lengths
 * whose sum with the header overflows are refused with -EOVERFLOW; no
 * buffer is taken and nothing is written around the buffers.
 */
#define R15_BUF		256
#define R15_NR		4

static int recvmsg_mshot(struct ring *r, int fd, struct msghdr *msg,
			 struct io_uring_cqe *cqe)
{
	struct io_uring_sqe *sqe;
	int ret;

	sqe = ring_rw(r, IORING_OP_RECVMSG, fd, msg, 1, 0, 7);
	sqe->flags = IOSQE_BUFFER_SELECT;
	sqe->buf_group = BGID;
	sqe->ioprio = IORING_RECV_MULTISHOT;
	ret = ring_submit(r);
	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	return wait_cqe_ms(r, cqe, 3000);
}

TEST(recvmsg_multishot_overflowing_name_and_control_lengths)
{
	static const struct {
		bool name;
		unsigned int namelen;
		size_t controllen;
		int err;
	} bad[] = {
		/* no name: the socket ignores the length, the check must not */
		{ false, 0x80000000u, 0, -EOVERFLOW },
		{ false, 0xffffffffu, 0, -EOVERFLOW },
		{ true, INT_MAX, 0, -EOVERFLOW },
		{ true, INT_MAX - 15, 0, -EOVERFLOW },
		{ false, 0, 0xffffffffu, -EOVERFLOW },
		{ false, 0, INT_MAX - 8, -EOVERFLOW },
		/* sums that wrap to 16 and to 0 in 32 bits */
		{ true, 16, 0xfffffff0u, -EOVERFLOW },
		{ true, 128, 0xffffff70u, -EOVERFLOW },
		/* 16 if cut to 32 bits */
		{ false, 0, (1ULL << 32) + 16, -EOVERFLOW },
		/* a negative length with a name: the msghdr itself is bad */
		{ true, 0xfffffff7u, 0, -EINVAL },
	};
	struct io_uring_buf_ring *br;
	struct sockaddr_storage ss;
	struct io_uring_cqe cqe;
	char ctl[64], *bufs, *mem;
	struct msghdr msg;
	struct ring r;
	unsigned int i;
	int sv[2], n;

	mem = page_alloc(4 * 4096);
	ASSERT_NE(NULL, mem);
	/* buffers with a canary-filled gap after each */
	bufs = mem + 4096;
	memset(bufs, 0xa5, 3 * 4096);
	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	br = buf_ring_at(&r, mem, R15_NR, BGID);
	ASSERT_NE(NULL, br);
	for (i = 0; i < R15_NR; i++)
		buf_ring_set(br, R15_NR, i, bufs + i * 2 * R15_BUF, R15_BUF, i);
	buf_ring_publish(br, R15_NR);
	ASSERT_EQ(5, write(sv[1], "hello", 5));

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(&msg, 0, sizeof(msg));
		msg.msg_name = bad[i].name ? &ss : NULL;
		msg.msg_namelen = bad[i].namelen;
		msg.msg_control = bad[i].controllen ? ctl : NULL;
		msg.msg_controllen = bad[i].controllen;
		ASSERT_EQ(0, recvmsg_mshot(&r, sv[0], &msg, &cqe));
		ASSERT_EQ(7, cqe.user_data);
		ASSERT_EQ(bad[i].err, cqe.res) {
			TH_LOG("case %u: namelen %x controllen %zx", i,
			       bad[i].namelen, bad[i].controllen);
		}
		ASSERT_FALSE(cqe.flags & (IORING_CQE_F_MORE | IORING_CQE_F_BUFFER));
	}
	/* no buffer was taken, the datagram is still there */
	ASSERT_EQ(0, buf_ring_head(&r, BGID));
	ASSERT_EQ(5, recv(sv[0], ctl, sizeof(ctl), MSG_PEEK | MSG_DONTWAIT));

	/* no overflow, but more than a buffer holds: refused as well */
	memset(&msg, 0, sizeof(msg));
	msg.msg_name = &ss;
	msg.msg_namelen = sizeof(ss);
	msg.msg_control = ctl;
	msg.msg_controllen = R15_BUF;
	ASSERT_EQ(0, recvmsg_mshot(&r, sv[0], &msg, &cqe));
	ASSERT_GT(0, cqe.res);
	ASSERT_FALSE(cqe.flags & (IORING_CQE_F_MORE | IORING_CQE_F_BUFFER));
	ASSERT_EQ(0, buf_ring_head(&r, BGID));
	ASSERT_EQ(5, recv(sv[0], ctl, sizeof(ctl), MSG_PEEK | MSG_DONTWAIT));

	/* nothing outside the buffers was written */
	for (i = 0; i < R15_NR; i++)
		for (n = R15_BUF; n < 2 * R15_BUF; n++)
			ASSERT_EQ((char)0xa5, bufs[i * 2 * R15_BUF + n]);

	/* a sane one still works */
	memset(&msg, 0, sizeof(msg));
	ASSERT_EQ(0, recvmsg_mshot(&r, sv[0], &msg, &cqe));
	ASSERT_EQ(sizeof(struct io_uring_recvmsg_out) + 5, cqe.res);
	ASSERT_TRUE(cqe.flags & IORING_CQE_F_MORE);
	ring_exit(&r);
	close(sv[0]);
	close(sv[1]);
	munmap(mem, 4 * 4096);
}

/*
 * 16. A DEFER_TASKRUN ring whose issuer waits in poll() or epoll_wait(),
 * not in io_uring_enter(): deferred task work that is pending makes the
 * ring fd readable (it is run by the enter that follows), and an issuer
 * asleep in epoll_wait() on the ring's registered eventfd is woken when
 * work arrives. (Linux, 6.18 checked, does not wake a poll() or an
 * epoll_wait() sleeping on the ring fd alone for deferred work: the
 * registered eventfd is the way to be woken for it.)
 */
struct late_write {
	pid_t tid;
	int fd;
	bool slept;
};

static void *write_when_asleep(void *arg)
{
	struct late_write *lw = arg;

	lw->slept = ring_wait_thread_sleeping(lw->tid, 3000);
	if (write(lw->fd, "w", 1) != 1)
		lw->slept = false;
	return NULL;
}

static bool ring_readable(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN);
}

TEST(defer_taskrun_ring_fd_readable_with_pending_task_work)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct io_uring_cqe cqe;
	struct ring r;
	int p[2], epfd;
	char c;

	ASSERT_EQ(0, defer_ring(&r));
	ASSERT_EQ(0, pipe(p));
	ring_rw(&r, IORING_OP_READ, p[0], &c, 1, 0, 1);
	ASSERT_EQ(1, ring_submit(&r));
	ASSERT_FALSE(ring_readable(r.fd));
	/* the read completes into deferred work: no CQE yet, but readable */
	ASSERT_EQ(1, write(p[1], "a", 1));
	ASSERT_EQ(0, ring_cq_ready(&r));
	ASSERT_TRUE(ring_readable(r.fd));
	/* an epoll that looks at the ring now sees it too, level-triggered */
	epfd = epoll_create1(0);
	ASSERT_LE(0, epfd);
	ASSERT_EQ(0, epoll_ctl(epfd, EPOLL_CTL_ADD, r.fd, &ev));
	ASSERT_EQ(1, epoll_wait(epfd, &ev, 1, 0));
	ASSERT_TRUE(ev.events & EPOLLIN);
	ASSERT_EQ(1, epoll_wait(epfd, &ev, 1, 0));
	/* entering runs it */
	ASSERT_EQ(0, sys_enter(r.fd, 0, 0, IORING_ENTER_GETEVENTS, NULL, 0));
	ASSERT_TRUE(ring_peek_cqe(&r, &cqe, NULL));
	ASSERT_EQ(1, cqe.user_data);
	ASSERT_EQ(1, cqe.res);
	ASSERT_EQ('a', c);
	/* nothing left: not readable any more */
	ASSERT_FALSE(ring_readable(r.fd));
	ASSERT_EQ(0, epoll_wait(epfd, &ev, 1, 0));
	close(epfd);
	ring_exit(&r);
	close(p[0]);
	close(p[1]);
}

TEST(defer_taskrun_issuer_in_epoll_woken_by_eventfd)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct late_write lw = { .tid = gettid() };
	struct io_uring_cqe cqe;
	struct ring r;
	pthread_t thr;
	int p[2], epfd, efd, round;
	long long t;
	uint64_t v;
	char c;

	ASSERT_EQ(0, defer_ring(&r));
	ASSERT_EQ(0, pipe(p));
	efd = eventfd(0, EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_EVENTFD, &efd, 1));
	epfd = epoll_create1(0);
	ASSERT_LE(0, epfd);
	ASSERT_EQ(0, epoll_ctl(epfd, EPOLL_CTL_ADD, efd, &ev));
	lw.fd = p[1];

	for (round = 0; round < 3; round++) {
		ring_rw(&r, IORING_OP_READ, p[0], &c, 1, 0, round);
		ASSERT_EQ(1, ring_submit(&r));
		/* the submission posted nothing: nothing to wake us yet */
		while (read(efd, &v, sizeof(v)) == sizeof(v))
			;
		ASSERT_EQ(0, pthread_create(&thr, NULL, write_when_asleep, &lw));
		t = ring_now_ms();
		ASSERT_EQ(1, epoll_wait(epfd, &ev, 1, 5000));
		t = ring_now_ms() - t;
		ASSERT_EQ(0, pthread_join(thr, NULL));
		ASSERT_TRUE(lw.slept);
		ASSERT_GT(5000, t);
		/* woken for work that is still deferred */
		ASSERT_EQ(0, ring_cq_ready(&r));
		ASSERT_TRUE(ring_readable(r.fd));
		ASSERT_EQ(0, wait_cqe_ms(&r, &cqe, 1000));
		ASSERT_EQ(round, cqe.user_data);
		ASSERT_EQ(1, cqe.res);
		ASSERT_EQ('w', c);
	}
	close(epfd);
	ring_exit(&r);
	close(efd);
	close(p[0]);
	close(p[1]);
}

/*
 * 18. Multishot polls that the ring's own posting re-triggers: on the
 * ring fd, and on the eventfd registered to the ring. One NOP must not
 * start an endless stream of CQEs.
 */
struct feedback {
	int total;	/* CQEs seen after the NOP */
	int nops;
	int polls;
	bool poll_ended;	/* a poll CQE without F_MORE came */
};

/* Submit a NOP; gather CQEs until quiet for 200 ms (or far too many). */
static int gather_after_nop(struct ring *r, struct feedback *fb)
{
	struct io_uring_cqe cqe;

	memset(fb, 0, sizeof(*fb));
	ring_nop(r, 2);
	if (ring_submit(r) != 1)
		return -1;
	while (fb->total < 64 && !wait_cqe_ms(r, &cqe, 200)) {
		fb->total++;
		if (cqe.user_data == 2) {
			fb->nops++;
		} else if (cqe.user_data == 1 && (cqe.res & POLLIN)) {
			fb->polls++;
			if (!(cqe.flags & IORING_CQE_F_MORE))
				fb->poll_ended = true;
		} else {
			return -2;
		}
	}
	return 0;
}

/*
 * A multishot poll on @fd, which the ring's own CQE posting signals: the
 * NOP's CQE fires the poll, whose CQE would fire it again. The wakeup
 * from the ring's own posting makes the poll one-shot (as 6.12): one
 * poll CQE, without F_MORE, and then silence.
 */
static void check_feedback(struct __test_metadata *_metadata, struct ring *r,
			   int fd)
{
	struct io_uring_cqe cqe;
	struct feedback fb;

	poll_add(r, fd, POLLIN, IORING_POLL_ADD_MULTI, 1);
	ASSERT_EQ(1, ring_submit(r));
	ASSERT_EQ(0, gather_after_nop(r, &fb));
	ASSERT_GT(64, fb.total) {
		TH_LOG("a stream of CQEs: %d of the poll", fb.polls);
	}
	ASSERT_EQ(1, fb.nops);
	ASSERT_EQ(1, fb.polls);
	ASSERT_TRUE(fb.poll_ended);
	/* nothing armed is left: another NOP is just a NOP */
	ASSERT_EQ(0, gather_after_nop(r, &fb));
	ASSERT_EQ(1, fb.total);
	ASSERT_EQ(1, fb.nops);
	cancel_sqe(r, 1, 0, 4);
	ASSERT_EQ(1, ring_submit(r));
	ASSERT_EQ(0, wait_cqe_ms(r, &cqe, 1000));
	ASSERT_EQ(4, cqe.user_data);
	ASSERT_EQ(-ENOENT, cqe.res);
}

TEST(multishot_poll_on_own_ring_fd_is_bounded)
{
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, 32, NULL));
	check_feedback(_metadata, &r, r.fd);
	ring_exit(&r);
}

TEST(multishot_poll_on_registered_eventfd_is_bounded)
{
	struct ring r;
	int efd;

	efd = eventfd(0, EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, ring_init(&r, 32, NULL));
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_EVENTFD, &efd, 1));
	check_feedback(_metadata, &r, efd);
	ring_exit(&r);
	close(efd);
}

/*
 * 19. Attaching to an SQPOLL ring whose thread is gone: -ENXIO. The
 * thread dies when its process execs (exec makes the execing thread the
 * only one), the ring lives on through its inherited fd, and the new
 * image, in the same thread group, tries to attach.
 */
TEST(attach_wq_to_dead_sqpoll_thread)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL };
	char mode[32];
	pid_t pid;
	int fd;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		fd = sys_setup(4, &p);
		if (fd < 0)
			_exit(100);
		fcntl(fd, F_SETFD, 0);
		snprintf(mode, sizeof(mode), "attach:%d", fd);
		exec_helper(mode);
		_exit(101);
	}
	/* 200 would be attached to a dead thread, 201 the ring not inherited */
	ASSERT_EQ(ENXIO, wait_child_ms(pid, 10000));
}

/*
 * The construction with fork instead: the SQPOLL ring of a process that
 * exited (its thread went with it), inherited by that process' child.
 * The child is another thread group, so it cannot share the thread: as
 * 6.12, setup then starts a thread of the child's own instead of failing
 * (only the same thread group gets -ENXIO, above). Either way the dead
 * thread is never used: the new ring must work.
 */
static int attach_in_orphan(int fd, pid_t parent)
{
	struct io_uring_params q = {
		.flags = IORING_SETUP_SQPOLL | IORING_SETUP_ATTACH_WQ,
		.sq_thread_idle = 10,
		.wq_fd = fd,
	};
	long long end = ring_now_ms() + 5000;
	struct io_uring_cqe cqe;
	struct ring r;

	/* wait for the creator, and its thread, to be gone */
	while (getppid() == parent && ring_now_ms() < end)
		usleep(1000);
	if (getppid() == parent)
		return 1;
	if (ring_init(&r, 4, &q))
		return 2;
	/* our own thread, not the dead one, submits for us */
	if (count_dir("/proc/self/task") != 2)
		return 3;
	ring_nop(&r, 9);
	if (sys_enter(r.fd, ring_flush_sq(&r), 0, IORING_ENTER_SQ_WAKEUP,
		      NULL, 0) != 1)
		return 4;
	if (wait_cqe_ms(&r, &cqe, 3000) || cqe.user_data != 9 || cqe.res)
		return 5;
	ring_exit(&r);
	return 0;
}

TEST(attach_wq_to_sqpoll_ring_of_exited_process)
{
	struct pollfd pfd;
	int rep[2], res = -1;
	pid_t pid;

	ASSERT_EQ(0, pipe(rep));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL };
		int fd = sys_setup(4, &p);
		pid_t me = getpid();

		if (fd < 0)
			_exit(1);
		close(rep[0]);
		if (fork() == 0) {
			signal(SIGALRM, SIG_DFL);
			alarm(15);
			res = attach_in_orphan(fd, me);
			if (write(rep[1], &res, sizeof(res)) != sizeof(res))
				_exit(1);
			_exit(0);
		}
		_exit(0);
	}
	close(rep[1]);
	ASSERT_EQ(0, wait_child_ms(pid, 5000));
	pfd.fd = rep[0];
	pfd.events = POLLIN;
	ASSERT_EQ(1, poll(&pfd, 1, 15000));
	ASSERT_EQ(sizeof(res), read(rep[0], &res, sizeof(res)));
	close(rep[0]);
	ASSERT_EQ(0, res);
}

/*
 * 19. IORING_REGISTER_IOWQ_MAX_WORKERS: values above RLIMIT_NPROC are
 * clamped to it; a {0, 0} query reads back what is in force.
 */
TEST(iowq_max_workers_clamped_to_nproc)
{
	unsigned int vals[2];
	struct rlimit old, lim;
	struct ring r;

	ASSERT_EQ(0, getrlimit(RLIMIT_NPROC, &old));
	lim = old;
	lim.rlim_cur = 1000;
	if (lim.rlim_max != RLIM_INFINITY && lim.rlim_max < 1000)
		lim.rlim_cur = lim.rlim_max;
	ASSERT_EQ(0, setrlimit(RLIMIT_NPROC, &lim));
	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	vals[0] = INT_MAX;
	vals[1] = INT_MAX;
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_IOWQ_MAX_WORKERS, vals, 2));
	vals[0] = 0;
	vals[1] = 0;
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_IOWQ_MAX_WORKERS, vals, 2));
	ASSERT_EQ(lim.rlim_cur, vals[0]);
	ASSERT_EQ(lim.rlim_cur, vals[1]);
	/* beyond INT_MAX is not clamped but refused */
	vals[0] = 0x80000000u;
	vals[1] = 0;
	ASSERT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_IOWQ_MAX_WORKERS,
					vals, 2));
	ring_exit(&r);
	ASSERT_EQ(0, setrlimit(RLIMIT_NPROC, &old));
}

/*
 * 19. ASYNC_CANCEL by fd matches the file a request uses, not the fd
 * number: one read is queued on pipe a through fd N, N is then reused
 * for pipe b and a second read queued through it. Cancelling "all of
 * fd N" takes the read on b only; the read on a still gets its data.
 */
TEST(cancel_by_fd_matches_file_not_number)
{
	int a[2], b[2], fd, res[8];
	struct ring r;
	char buf[2][4];

	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	ASSERT_EQ(0, pipe(a));
	ASSERT_EQ(0, pipe(b));
	fd = dup(a[0]);
	ASSERT_LE(0, fd);
	ring_rw(&r, IORING_OP_READ, fd, buf[0], 4, 0, 1);
	ASSERT_EQ(1, ring_submit(&r));
	/* the number now names b's read end */
	ASSERT_EQ(fd, dup2(b[0], fd));
	ring_rw(&r, IORING_OP_READ, fd, buf[1], 4, 0, 2);
	ASSERT_EQ(1, ring_submit(&r));
	cancel_sqe(&r, 0, IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_ALL,
		   3)->fd = fd;
	ASSERT_EQ(1, ring_submit(&r));
	memset(res, 0x7f, sizeof(res));
	ASSERT_EQ(0, reap_ms(&r, 2, res, 8, 3000));
	ASSERT_EQ(1, res[3]);
	ASSERT_EQ(-ECANCELED, res[2]);
	/* the read on a is untouched */
	ASSERT_EQ(0x7f7f7f7f, res[1]);
	ASSERT_EQ(4, write(a[1], "pipe", 4));
	ASSERT_EQ(0, reap_ms(&r, 1, res, 8, 3000));
	ASSERT_EQ(4, res[1]);
	ASSERT_EQ(0, memcmp(buf[0], "pipe", 4));
	ASSERT_EQ(0, ring_cq_ready(&r));
	ring_exit(&r);
	close(fd);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
}

/*
 * Found by iouf: on an IOPOLL ring, an O_DIRECT write that the file
 * system splits (sub-block zeroing in a hole) loses IOCB_HIPRI inside
 * iomap, yet still completes through ->ki_complete. It must be reaped
 * like any polled request, not left off the poll list, where it never
 * completed and the submitting thread's exit waited for it for ever.
 */
TEST(iopoll_write_without_hipri_completes)
{
	struct io_uring_params p = { .flags = IORING_SETUP_IOPOLL };
	const char *path = "safety-iopoll-hole";
	struct io_uring_cqe cqe;
	long long end;
	struct ring r;
	void *buf;
	int fd;

	ASSERT_EQ(0, posix_memalign(&buf, 4096, 4096));
	memset(buf, 0x6b, 4096);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, ftruncate(fd, 65536));	/* a hole */
	close(fd);
	fd = open(path, O_RDWR | O_DIRECT);
	if (fd < 0)
		SKIP(return, "O_DIRECT: %s", strerror(errno));
	ASSERT_EQ(0, ring_init(&r, 8, &p));
	/* 1 KiB into the hole: less than a block, zeroing around it */
	ASSERT_NE(NULL, ring_rw(&r, IORING_OP_WRITE, fd, buf, 1024, 0, 1));
	ASSERT_EQ(1, ring_submit(&r));
	end = ring_now_ms() + 10000;
	while (!ring_peek_cqe(&r, &cqe, NULL)) {
		ASSERT_LT(ring_now_ms(), end) {
			TH_LOG("the polled write never completed");
		}
		sys_enter(r.fd, 0, 1, IORING_ENTER_GETEVENTS, NULL, 0);
		usleep(1000);
	}
	EXPECT_EQ(1, cqe.user_data);
	/* done, or refused where the device cannot poll: not lost */
	EXPECT_TRUE(cqe.res == 1024 || cqe.res == -EOPNOTSUPP ||
		    cqe.res == -EINVAL) {
		TH_LOG("res %d", cqe.res);
	}
	ring_exit(&r);
	close(fd);
	unlink(path);
	free(buf);
}

/*
 * Found by iouf: RWF_HIPRI ("poll if possible") on a ring without IOPOLL
 * sent the bio to the device's poll queue, which only an IOPOLL ring
 * polls. The read never completed (NVMe's timeout handler found it 30 s
 * later) and the task's exit waited for it.
 */
TEST(hipri_read_on_a_ring_without_iopoll_completes)
{
	static const char *const devs[] = { "/dev/nullb0", "/dev/nvme0n1" };
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	unsigned int i, tried = 0;
	struct ring r;
	long long end;
	void *buf;
	int fd;

	ASSERT_EQ(0, posix_memalign(&buf, 4096, 4096));
	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	for (i = 0; i < ARRAY_SIZE(devs); i++) {
		fd = open(devs[i], O_RDONLY | O_DIRECT);
		if (fd < 0)
			continue;
		tried++;
		sqe = ring_rw(&r, IORING_OP_READ, fd, buf, 4096, 0, i + 1);
		ASSERT_NE(NULL, sqe);
		sqe->rw_flags = RWF_HIPRI;
		ASSERT_EQ(1, ring_submit(&r));
		end = ring_now_ms() + 10000;
		while (!ring_peek_cqe(&r, &cqe, NULL)) {
			ASSERT_LT(ring_now_ms(), end) {
				TH_LOG("%s: the RWF_HIPRI read never completed",
				       devs[i]);
			}
			usleep(1000);	/* its task_work runs on the way back */
		}
		EXPECT_EQ(i + 1, cqe.user_data);
		EXPECT_EQ(4096, cqe.res) {
			TH_LOG("%s: res %d", devs[i], cqe.res);
		}
		close(fd);
	}
	ring_exit(&r);
	free(buf);
	if (!tried)
		SKIP(return, "no block device with poll queues");
}

TEST_HARNESS_MAIN
