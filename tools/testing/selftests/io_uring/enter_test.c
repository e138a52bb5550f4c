// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring_enter(2): bad fds and flags, waiting with min_complete,
 * timeouts, signals and disabled rings.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/time.h>
#include <sys/mman.h>
#include <unistd.h>
#include "../kselftest_harness.h"
#include "ring.h"

TEST(bad_fds)
{
	int fd = open("/dev/null", O_RDONLY);

	ASSERT_EQ(-EBADF, sys_enter(-1, 0, 0, 0, NULL, 0));
	ASSERT_EQ(-EBADF, sys_enter(100000, 0, 0, 0, NULL, 0));
	ASSERT_GE(fd, 0);
	ASSERT_EQ(-EOPNOTSUPP, sys_enter(fd, 0, 0, 0, NULL, 0));
	close(fd);
}

TEST(bad_flags)
{
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	ASSERT_EQ(-EINVAL, sys_enter(r.fd, 0, 0, 1U << 30, NULL, 0));
	ring_exit(&r);
}

TEST(min_complete)
{
	struct ring r;
	int i;

	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	for (i = 0; i < 4; i++)
		ring_nop(&r, i);
	ASSERT_EQ(4, ring_submit_and_wait(&r, 4));
	ASSERT_EQ(4, ring_cq_ready(&r));
	/* already satisfied: returns at once */
	ASSERT_EQ(0, sys_enter(r.fd, 0, 4, IORING_ENTER_GETEVENTS, NULL, 0));
	ring_exit(&r);
}

static int wait_with_timeout(struct ring *r, unsigned int flags,
			     struct __kernel_timespec *ts, unsigned int min_wait)
{
	struct io_uring_getevents_arg arg = {
		.ts = (uint64_t)(uintptr_t)ts,
		.min_wait_usec = min_wait,
	};

	return sys_enter(r->fd, 0, 1, IORING_ENTER_GETEVENTS |
			 IORING_ENTER_EXT_ARG | flags, &arg, sizeof(arg));
}

TEST(ext_arg_timeout)
{
	struct __kernel_timespec ts = { .tv_nsec = 20 * 1000 * 1000 };
	struct io_uring_getevents_arg arg = { };
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	ASSERT_EQ(-ETIME, wait_with_timeout(&r, 0, &ts, 0));
	/* wrong size, bad pointers */
	ASSERT_EQ(-EINVAL, sys_enter(r.fd, 0, 1, IORING_ENTER_GETEVENTS |
				     IORING_ENTER_EXT_ARG, &arg, sizeof(arg) - 1));
	ASSERT_EQ(-EFAULT, sys_enter(r.fd, 0, 1, IORING_ENTER_GETEVENTS |
				     IORING_ENTER_EXT_ARG, (void *)8, sizeof(arg)));
	ASSERT_EQ(-EFAULT, wait_with_timeout(&r, 0, (void *)8, 0));
	/* an unnormalized tv_nsec is just a longer timeout */
	ts.tv_nsec = 1100000000LL;
	ASSERT_EQ(-ETIME, wait_with_timeout(&r, 0, &ts, 0));
	/* min-wait is refused unless IORING_FEAT_MIN_TIMEOUT is claimed */
	ts.tv_nsec = 1000;
	ASSERT_EQ(r.p.features & IORING_FEAT_MIN_TIMEOUT ? -ETIME : -EINVAL,
		  wait_with_timeout(&r, 0, &ts, 100));
	/* a completion that is there wins over the timeout */
	ring_nop(&r, 1);
	ASSERT_EQ(1, ring_submit(&r));
	ASSERT_EQ(0, wait_with_timeout(&r, 0, &ts, 0));
	ring_exit(&r);
}

TEST(abs_timer)
{
	struct __kernel_timespec ts;
	struct timespec now;
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	clock_gettime(CLOCK_MONOTONIC, &now);
	ts.tv_sec = now.tv_sec;
	ts.tv_nsec = now.tv_nsec;
	ASSERT_EQ(-ETIME, wait_with_timeout(&r, IORING_ENTER_ABS_TIMER, &ts, 0));
	/* without EXT_ARG there is no timeout: the flag changes nothing */
	ring_nop(&r, 1);
	ASSERT_EQ(1, sys_enter(r.fd, ring_flush_sq(&r), 1, IORING_ENTER_GETEVENTS |
			       IORING_ENTER_ABS_TIMER, NULL, 0));
	ring_exit(&r);
}

static void on_alarm(int sig)
{
}

struct kick {
	pthread_t thread;
	pid_t tid;
	int done;
};

/*
 * SIGALRM for a thread whenever it sleeps, until it says it is done: a
 * signal that came before the wait would leave it waiting for ever.
 */
static void *alarm_while_asleep(void *arg)
{
	struct kick *k = arg;
	int i;

	for (i = 0; i < 5000 && !__atomic_load_n(&k->done, __ATOMIC_ACQUIRE);
	     i++) {
		if (ring_thread_state(k->tid) == 'S')
			pthread_kill(k->thread, SIGALRM);
		usleep(1000);
	}
	return NULL;
}

TEST(signal_interrupts_wait)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct kick k = { .thread = pthread_self(), .tid = gettid() };
	struct ring r;
	pthread_t t;

	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	ASSERT_EQ(0, pthread_create(&t, NULL, alarm_while_asleep, &k));
	ASSERT_EQ(-EINTR, sys_enter(r.fd, 0, 1, IORING_ENTER_GETEVENTS, NULL, 0));
	__atomic_store_n(&k.done, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	ring_exit(&r);
}

TEST(sigmask_is_applied_while_waiting)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { .it_value = { .tv_usec = 50000 } };
	sigset_t block, wait_mask;
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	/* SIGALRM blocked normally, unblocked only during the wait */
	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &block, NULL));
	sigemptyset(&wait_mask);
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
	ASSERT_EQ(-EINTR, sys_enter(r.fd, 0, 1, IORING_ENTER_GETEVENTS,
				    &wait_mask, _NSIG / 8));
	ASSERT_EQ(0, sigprocmask(SIG_UNBLOCK, &block, NULL));
	/* wrong sigset size */
	ASSERT_EQ(-EINVAL, sys_enter(r.fd, 0, 1, IORING_ENTER_GETEVENTS,
				     &wait_mask, 3));
	ring_exit(&r);
}

struct waker {
	struct ring *r;
	int fd;
	pid_t tid;
};

/* Submit once the other thread sleeps, in its wait for the CQE. */
static void *submit_later(void *arg)
{
	struct waker *w = arg;
	int i;

	for (i = 0; i < 5000 && ring_thread_state(w->tid) != 'S'; i++)
		usleep(1000);
	ring_nop(w->r, 42);
	sys_enter(w->fd, ring_flush_sq(w->r), 0, 0, NULL, 0);
	return NULL;
}

TEST(wakeup_from_other_thread)
{
	struct io_uring_cqe cqe;
	struct waker w;
	pthread_t th;
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	w.r = &r;
	w.fd = r.fd;
	w.tid = gettid();
	ASSERT_EQ(0, pthread_create(&th, NULL, submit_later, &w));
	ASSERT_EQ(0, sys_enter(r.fd, 0, 1, IORING_ENTER_GETEVENTS, NULL, 0));
	pthread_join(th, NULL);
	ASSERT_TRUE(ring_peek_cqe(&r, &cqe, NULL));
	ASSERT_EQ(42, cqe.user_data);
	ring_exit(&r);
}

TEST(disabled_ring)
{
	struct io_uring_params p = { .flags = IORING_SETUP_R_DISABLED };
	struct io_uring_cqe cqe;
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, 4, &p));
	ring_nop(&r, 1);
	ASSERT_EQ(-EBADFD, ring_submit(&r));
	ASSERT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_ENABLE_RINGS, &r, 0));
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0));
	ASSERT_EQ(-EBADFD, sys_register(r.fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0));
	ASSERT_EQ(1, ring_submit_and_wait(&r, 1));
	ASSERT_TRUE(ring_peek_cqe(&r, &cqe, NULL));
	ASSERT_EQ(1, cqe.user_data);
	ring_exit(&r);
}

/* /proc/stat's procs_blocked: tasks asleep in iowait */
static int tasks_in_iowait(void)
{
	char line[256];
	FILE *f = fopen("/proc/stat", "r");
	int n = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "procs_blocked %d", &n) == 1)
			break;
	fclose(f);
	return n;
}

struct iowaiter {
	struct ring *r;
	unsigned int flags;
	pid_t tid;
	int ret;
};

/* submits a read of an empty pipe and waits for it, in one enter */
static void *iowait_fn(void *arg)
{
	struct iowaiter *w = arg;

	__atomic_store_n(&w->tid, gettid(), __ATOMIC_RELEASE);
	w->ret = sys_enter(w->r->fd, ring_flush_sq(w->r), 1,
			   IORING_ENTER_GETEVENTS | w->flags, NULL, 0);
	return NULL;
}

/*
 * A task waiting for its own requests counts as iowait, as in 6.12, unless
 * it passes IORING_ENTER_NO_IOWAIT (6.15, IORING_FEAT_NO_IOWAIT).
 */
TEST(wait_is_iowait_unless_no_iowait)
{
	struct io_uring_cqe cqe;
	struct io_uring_params p = {};
	struct iowaiter w;
	int pfd[2], round, i, iowait;
	pthread_t th;
	struct ring r;
	char buf[4];

	ASSERT_EQ(0, ring_init(&r, 4, &p));
	ASSERT_TRUE(p.features & IORING_FEAT_NO_IOWAIT);
	ASSERT_EQ(0, pipe(pfd));
	for (round = 0; round < 2; round++) {
		memset(&w, 0, sizeof(w));
		w.r = &r;
		w.flags = round ? IORING_ENTER_NO_IOWAIT : 0;
		ring_rw(&r, IORING_OP_READ, pfd[0], buf, 4, 0, round);
		ASSERT_EQ(0, pthread_create(&th, NULL, iowait_fn, &w));
		for (i = 0; i < 5000; i++) {
			pid_t tid = __atomic_load_n(&w.tid, __ATOMIC_ACQUIRE);

			if (tid && ring_thread_state(tid) == 'S')
				break;
			usleep(1000);
		}
		ASSERT_EQ('S', ring_thread_state(w.tid));
		/*
		 * 'S' shows from prepare_to_wait() on, before the thread
		 * has set in_iowait and gone to sleep: wait for that too.
		 */
		for (i = 0; !round && i < 2000 && tasks_in_iowait() <= 0; i++)
			usleep(1000);
		/* asleep in the wait: sample who is in iowait */
		for (iowait = 0, i = 0; i < 20; i++) {
			if (tasks_in_iowait() > 0)
				iowait++;
			usleep(5000);
		}
		ASSERT_EQ(4, write(pfd[1], "abcd", 4));
		pthread_join(th, NULL);
		ASSERT_EQ(1, w.ret);
		ASSERT_TRUE(ring_peek_cqe(&r, &cqe, NULL));
		EXPECT_EQ(round, cqe.user_data);
		EXPECT_EQ(4, cqe.res);
		if (round) {
			/* someone else may be in iowait, but not always */
			EXPECT_GT(20, iowait);
		} else {
			EXPECT_EQ(20, iowait);
		}
	}
	/* the flag is only a flag: a wait without requests is no iowait */
	EXPECT_EQ(0, sys_enter(r.fd, 0, 0, IORING_ENTER_GETEVENTS |
			       IORING_ENTER_NO_IOWAIT, NULL, 0));
	close(pfd[0]);
	close(pfd[1]);
	ring_exit(&r);
}

/* IORING_REGISTER_MEM_REGION with IORING_MEM_REGION_REG_WAIT_ARG (6.13) */
static int register_region(int fd, void *addr, uint64_t size,
			   uint32_t dflags, uint64_t rflags,
			   struct io_uring_region_desc *out)
{
	struct io_uring_region_desc rd = {
		.user_addr = (uintptr_t)addr, .size = size, .flags = dflags,
	};
	struct io_uring_mem_region_reg mr = {
		.region_uptr = (uintptr_t)&rd, .flags = rflags,
	};
	int ret = sys_register(fd, IORING_REGISTER_MEM_REGION, &mr, 1);

	if (out)
		*out = rd;
	return ret;
}

static int wait_reg(struct ring *r, unsigned long offset, size_t argsz)
{
	return sys_enter(r->fd, 0, 1, IORING_ENTER_GETEVENTS |
			 IORING_ENTER_EXT_ARG | IORING_ENTER_EXT_ARG_REG,
			 (void *)offset, argsz);
}

#define REGION_USER	IORING_MEM_REGION_TYPE_USER
#define REGION_WAIT	IORING_MEM_REGION_REG_WAIT_ARG

TEST(mem_region_registration_checks_its_input)
{
	struct io_uring_params p = { .flags = IORING_SETUP_R_DISABLED };
	struct io_uring_region_desc rd = { .size = 4096 };
	struct io_uring_mem_region_reg mr = {
		.region_uptr = (uintptr_t)&rd, .flags = REGION_WAIT,
	};
	void *mem;
	struct ring r;

	/* 2 MiB mapped, with nothing mapped in the 2 MiB above */
	mem = mmap(NULL, 4 << 20, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	ASSERT_EQ(0, munmap((char *)mem + (2 << 20), 2 << 20));
	/* wait arguments are fixed before the ring runs */
	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	EXPECT_EQ(-EINVAL, register_region(r.fd, mem, 4096, REGION_USER,
					   REGION_WAIT, NULL));
	/* no wait region yet: EXT_ARG_REG has nothing to point into */
	EXPECT_EQ(-EFAULT, wait_reg(&r, 0, sizeof(struct io_uring_reg_wait)));
	/* a region for other uses is fine on a running ring, once */
	EXPECT_EQ(0, register_region(r.fd, mem, 4096, REGION_USER, 0, NULL));
	EXPECT_EQ(-EBUSY, register_region(r.fd, mem, 4096, REGION_USER, 0,
					  NULL));
	ring_exit(&r);

	ASSERT_EQ(0, ring_init(&r, 4, &p));
	EXPECT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_MEM_REGION,
					&mr, 0));
	EXPECT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_MEM_REGION,
					&mr, 2));
	EXPECT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_MEM_REGION,
					NULL, 1));
	EXPECT_EQ(-EFAULT, sys_register(r.fd, IORING_REGISTER_MEM_REGION,
					(void *)8, 1));
	mr.flags = 2;
	EXPECT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_MEM_REGION,
					&mr, 1));
	mr.flags = REGION_WAIT;
	mr.__resv[1] = 1;
	EXPECT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_MEM_REGION,
					&mr, 1));
	mr.__resv[1] = 0;
	rd.id = 1;
	EXPECT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_MEM_REGION,
					&mr, 1));
	rd.id = 0;
	rd.__resv[3] = 1;
	EXPECT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_MEM_REGION,
					&mr, 1));
	rd.__resv[3] = 0;
	mr.region_uptr = 8;
	EXPECT_EQ(-EFAULT, sys_register(r.fd, IORING_REGISTER_MEM_REGION,
					&mr, 1));
	EXPECT_EQ(-EINVAL, register_region(r.fd, mem, 4096, 2, REGION_WAIT,
					   NULL));
	EXPECT_EQ(-EINVAL, register_region(r.fd, mem, 0, REGION_USER,
					   REGION_WAIT, NULL));
	EXPECT_EQ(-EINVAL, register_region(r.fd, mem, 100, REGION_USER,
					   REGION_WAIT, NULL));
	EXPECT_EQ(-EINVAL, register_region(r.fd, (char *)mem + 8, 4096,
					   REGION_USER, REGION_WAIT, NULL));
	/* user memory that is not there, or an address for kernel memory */
	EXPECT_EQ(-EFAULT, register_region(r.fd, NULL, 4096, REGION_USER,
					   REGION_WAIT, NULL));
	EXPECT_EQ(-EFAULT, register_region(r.fd, mem, 4 << 20, REGION_USER,
					   REGION_WAIT, NULL));
	EXPECT_EQ(-EFAULT, register_region(r.fd, mem, 4096, 0, REGION_WAIT,
					   NULL));
	/* after all that, the one region is still to be had */
	EXPECT_EQ(0, register_region(r.fd, mem, 8192, REGION_USER,
				     REGION_WAIT, NULL));
	EXPECT_EQ(-EBUSY, register_region(r.fd, mem, 4096, REGION_USER,
					  REGION_WAIT, NULL));
	ring_exit(&r);
	munmap(mem, 2 << 20);
}

TEST(registered_wait_arguments_are_read_at_each_wait)
{
	struct io_uring_params p = { .flags = IORING_SETUP_R_DISABLED };
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { .it_value = { .tv_usec = 50000 } };
	const size_t sz = sizeof(struct io_uring_reg_wait);
	struct io_uring_reg_wait *w;
	sigset_t block, wait_mask, now;
	struct ring r;

	w = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, w);
	w[0].ts.tv_nsec = 20 * 1000 * 1000;
	w[0].flags = IORING_REG_WAIT_TS;
	/* a signal mask that lets SIGALRM in, and a timeout long after it */
	sigemptyset(&wait_mask);
	w[1].sigmask = (uintptr_t)&wait_mask;
	w[1].sigmask_sz = _NSIG / 8;
	w[1].ts.tv_sec = 2;
	w[1].flags = IORING_REG_WAIT_TS;
	/* the last entry of the region */
	w[63].ts.tv_nsec = 1000 * 1000;
	w[63].flags = IORING_REG_WAIT_TS;
	w[2].flags = 2;
	w[3].ts.tv_nsec = 20 * 1000 * 1000;
	w[3].flags = IORING_REG_WAIT_TS;
	w[3].min_wait_usec = 1000;
	ASSERT_EQ(0, ring_init(&r, 4, &p));
	ASSERT_EQ(0, register_region(r.fd, w, 4096, REGION_USER,
				     REGION_WAIT, NULL));
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0));

	/* the byte offset of an entry; argsz is the entry's size */
	EXPECT_EQ(-ETIME, wait_reg(&r, 0, sz));
	EXPECT_EQ(-ETIME, wait_reg(&r, 3 * sz, sz));
	EXPECT_EQ(-ETIME, wait_reg(&r, 4096 - sz, sz));
	EXPECT_EQ(-EINVAL, wait_reg(&r, 2 * sz, sz));
	EXPECT_EQ(-EINVAL, wait_reg(&r, 0, sz / 2));
	EXPECT_EQ(-EINVAL, wait_reg(&r, 0, 0));
	EXPECT_EQ(-EFAULT, wait_reg(&r, 1, sz));
	EXPECT_EQ(-EFAULT, wait_reg(&r, 4096 - sz + 8, sz));
	EXPECT_EQ(-EFAULT, wait_reg(&r, 4096, sz));
	EXPECT_EQ(-EFAULT, wait_reg(&r, -8UL, sz));

	/* the entry's signal mask is applied while waiting */
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &block, NULL));
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
	EXPECT_EQ(-EINTR, wait_reg(&r, sz, sz));
	/* and taken away after: SIGALRM is blocked again */
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, NULL, &now));
	EXPECT_EQ(1, sigismember(&now, SIGALRM));
	ASSERT_EQ(0, sigprocmask(SIG_UNBLOCK, &block, NULL));

	/* an entry rewritten between waits is read afresh */
	w[0].flags = 2;
	EXPECT_EQ(-EINVAL, wait_reg(&r, 0, sz));
	w[0].flags = IORING_REG_WAIT_TS;
	/* a CQE that is there wins over the timeout */
	ring_nop(&r, 1);
	ASSERT_EQ(1, ring_submit(&r));
	EXPECT_EQ(0, wait_reg(&r, 0, sz));
	/* EXT_ARG_REG without EXT_ARG: plain enter, arg is a sigset */
	EXPECT_EQ(0, sys_enter(r.fd, 0, 1, IORING_ENTER_GETEVENTS |
			       IORING_ENTER_EXT_ARG_REG, NULL, 0));
	ring_exit(&r);
	munmap(w, 4096);
}

/* Pinned pages of this process (VmPin), in kB; -1 if not reported. */
static long vm_pinned_kb(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmPin: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* The ring is freed after close, by a worker: wait for the charge to go. */
static bool vm_pinned_back_to(long kb)
{
	int i;

	for (i = 0; i < 500; i++) {
		if (vm_pinned_kb() == kb)
			return true;
		usleep(10000);
	}
	return false;
}

TEST(kernel_memory_region_is_mapped_at_its_offset_and_charged)
{
	struct io_uring_params p = { .flags = IORING_SETUP_R_DISABLED };
	const size_t sz = sizeof(struct io_uring_reg_wait);
	struct io_uring_region_desc rd;
	struct io_uring_reg_wait *w;
	char *tail;
	long pinned;
	struct ring r;

	pinned = vm_pinned_kb();
	ASSERT_LE(0, pinned);
	ASSERT_EQ(0, ring_init(&r, 4, &p));
	/* 64 KiB: more than one block of pages, so vmalloc'ed */
	ASSERT_EQ(0, register_region(r.fd, NULL, 65536, 0, REGION_WAIT, &rd));
	ASSERT_NE(0, rd.mmap_offset);
	EXPECT_EQ(pinned + 64, vm_pinned_kb());
	w = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, r.fd,
		 rd.mmap_offset);
	ASSERT_NE(MAP_FAILED, w);
	/* more than the region is refused; a part of it from page 15 is not */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 17 * 4096, PROT_READ, MAP_SHARED,
				   r.fd, rd.mmap_offset));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 2 * 4096, PROT_READ, MAP_SHARED,
				   r.fd, rd.mmap_offset + 15 * 4096));
	tail = mmap(NULL, 4096, PROT_READ, MAP_SHARED, r.fd,
		    rd.mmap_offset + 15 * 4096);
	ASSERT_NE(MAP_FAILED, tail);
	/* it starts zeroed; an entry written through the mapping is used */
	EXPECT_EQ(0, w[1000].flags);
	w[1000].ts.tv_nsec = 10 * 1000 * 1000;
	w[1000].flags = IORING_REG_WAIT_TS;
	/* the same page seen through the second mapping */
	EXPECT_EQ(IORING_REG_WAIT_TS,
		  ((struct io_uring_reg_wait *)tail)[1000 - 960].flags);
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0));
	EXPECT_EQ(-ETIME, wait_reg(&r, 1000 * sz, sz));
	EXPECT_EQ(-EFAULT, wait_reg(&r, 1024 * sz, sz));
	munmap(tail, 4096);
	munmap(w, 65536);
	ring_exit(&r);
	/* closed and unmapped: the charge is given back */
	EXPECT_TRUE(vm_pinned_back_to(pinned));
}

TEST_HARNESS_MAIN
