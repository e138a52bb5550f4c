/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal raw-syscall io_uring helpers for the selftests: no liburing, so
 * the tests see exactly what the kernel does with each field.
 */
#ifndef SELFTEST_IO_URING_RING_H
#define SELFTEST_IO_URING_RING_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/io_uring.h>

#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup	425
#define __NR_io_uring_enter	426
#define __NR_io_uring_register	427
#endif

static inline int sys_setup(unsigned int entries, struct io_uring_params *p)
{
	int ret = syscall(__NR_io_uring_setup, entries, p);

	return ret < 0 ? -errno : ret;
}

static inline int sys_enter(int fd, unsigned int to_submit,
			    unsigned int min_complete, unsigned int flags,
			    const void *arg, size_t argsz)
{
	int ret = syscall(__NR_io_uring_enter, fd, to_submit, min_complete,
			  flags, arg, argsz);

	return ret < 0 ? -errno : ret;
}

static inline int sys_register(int fd, unsigned int op, const void *arg,
			       unsigned int nr_args)
{
	int ret = syscall(__NR_io_uring_register, fd, op, arg, nr_args);

	return ret < 0 ? -errno : ret;
}

struct ring {
	int fd;
	struct io_uring_params p;
	void *rings;
	size_t rings_sz;
	struct io_uring_sqe *sqes;
	size_t sqes_sz;
	unsigned int *sq_head, *sq_tail, *sq_mask, *sq_array, *sq_flags;
	unsigned int *sq_dropped;
	unsigned int *cq_head, *cq_tail, *cq_mask, *cq_overflow, *cq_flags;
	struct io_uring_cqe *cqes;
	unsigned int sqe_tail;	/* SQEs handed out, not yet published */
};

#define RING_U32(r, off)	((unsigned int *)((char *)(r)->rings + (off)))

/* Map the rings and SQEs r->p describes (after setup or a resize). */
static inline int ring_map(struct ring *r)
{
	size_t sq_sz, cq_sz, cqe_sz = sizeof(struct io_uring_cqe);

	if (r->p.flags & IORING_SETUP_CQE32)
		cqe_sz *= 2;
	sq_sz = r->p.sq_off.array + r->p.sq_entries * sizeof(unsigned int);
	cq_sz = r->p.cq_off.cqes + r->p.cq_entries * cqe_sz;
	r->rings_sz = sq_sz > cq_sz ? sq_sz : cq_sz;
	r->rings = mmap(NULL, r->rings_sz, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
	if (r->rings == MAP_FAILED)
		return -errno;
	r->sqes_sz = r->p.sq_entries * sizeof(struct io_uring_sqe);
	if (r->p.flags & IORING_SETUP_SQE128)
		r->sqes_sz *= 2;
	r->sqes = mmap(NULL, r->sqes_sz, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	if (r->sqes == MAP_FAILED)
		return -errno;
	r->sq_head = RING_U32(r, r->p.sq_off.head);
	r->sq_tail = RING_U32(r, r->p.sq_off.tail);
	r->sq_mask = RING_U32(r, r->p.sq_off.ring_mask);
	r->sq_array = RING_U32(r, r->p.sq_off.array);
	r->sq_flags = RING_U32(r, r->p.sq_off.flags);
	r->sq_dropped = RING_U32(r, r->p.sq_off.dropped);
	r->cq_head = RING_U32(r, r->p.cq_off.head);
	r->cq_tail = RING_U32(r, r->p.cq_off.tail);
	r->cq_mask = RING_U32(r, r->p.cq_off.ring_mask);
	r->cq_overflow = RING_U32(r, r->p.cq_off.overflow);
	r->cq_flags = RING_U32(r, r->p.cq_off.flags);
	r->cqes = (struct io_uring_cqe *)((char *)r->rings + r->p.cq_off.cqes);
	r->sqe_tail = *r->sq_tail;
	return 0;
}

/* Returns 0 or -errno. p may be NULL for defaults. */
static inline int ring_init(struct ring *r, unsigned int entries,
			    struct io_uring_params *p)
{
	memset(r, 0, sizeof(*r));
	if (p)
		r->p = *p;
	r->fd = sys_setup(entries, &r->p);
	if (r->fd < 0)
		return r->fd;
	if (p)
		*p = r->p;
	return ring_map(r);
}

/*
 * IORING_REGISTER_RESIZE_RINGS, then map the new rings as liburing does
 * (the old mappings go). Returns 0 or -errno, the ring as it was on error.
 */
static inline int ring_resize(struct ring *r, unsigned int sq_entries,
			      unsigned int cq_entries, unsigned int flags)
{
	struct io_uring_params p = { .sq_entries = sq_entries,
				     .cq_entries = cq_entries,
				     .flags = flags };
	int ret = sys_register(r->fd, IORING_REGISTER_RESIZE_RINGS, &p, 1);

	if (ret)
		return ret;
	munmap(r->sqes, r->sqes_sz);
	munmap(r->rings, r->rings_sz);
	r->p.sq_entries = p.sq_entries;
	r->p.cq_entries = p.cq_entries;
	r->p.sq_off = p.sq_off;
	r->p.cq_off = p.cq_off;
	return ring_map(r);
}

static inline void ring_exit(struct ring *r)
{
	if (r->sqes && r->sqes != MAP_FAILED)
		munmap(r->sqes, r->sqes_sz);
	if (r->rings && r->rings != MAP_FAILED)
		munmap(r->rings, r->rings_sz);
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

/* Next free SQE, zeroed, or NULL when the SQ is full. */
static inline struct io_uring_sqe *ring_get_sqe(struct ring *r)
{
	unsigned int head = __atomic_load_n(r->sq_head, __ATOMIC_ACQUIRE);
	unsigned int idx;
	struct io_uring_sqe *sqe;

	if (r->sqe_tail - head >= r->p.sq_entries)
		return NULL;
	idx = r->sqe_tail & *r->sq_mask;
	if (r->p.flags & IORING_SETUP_SQE128)
		sqe = &r->sqes[idx * 2];
	else
		sqe = &r->sqes[idx];
	memset(sqe, 0, (r->p.flags & IORING_SETUP_SQE128) ? 128 : 64);
	if (!(r->p.flags & IORING_SETUP_NO_SQARRAY))
		r->sq_array[idx] = idx;
	r->sqe_tail++;
	return sqe;
}

static inline struct io_uring_sqe *ring_nop(struct ring *r, uint64_t user_data)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	if (sqe) {
		sqe->opcode = IORING_OP_NOP;
		sqe->user_data = user_data;
	}
	return sqe;
}

/* A read/write-shaped SQE: addr, len and off as the opcode wants them. */
static inline struct io_uring_sqe *ring_rw(struct ring *r, int op, int fd,
					   const void *addr, unsigned int len,
					   uint64_t off, uint64_t user_data)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	if (sqe) {
		sqe->opcode = op;
		sqe->fd = fd;
		sqe->addr = (uintptr_t)addr;
		sqe->len = len;
		sqe->off = off;
		sqe->user_data = user_data;
	}
	return sqe;
}

/* Publish the SQEs handed out; returns how many are pending. */
static inline unsigned int ring_flush_sq(struct ring *r)
{
	__atomic_store_n(r->sq_tail, r->sqe_tail, __ATOMIC_RELEASE);
	return r->sqe_tail - *r->sq_head;
}

static inline int ring_submit(struct ring *r)
{
	return sys_enter(r->fd, ring_flush_sq(r), 0, 0, NULL, 0);
}

static inline int ring_submit_and_wait(struct ring *r, unsigned int nr)
{
	return sys_enter(r->fd, ring_flush_sq(r), nr, IORING_ENTER_GETEVENTS,
			 NULL, 0);
}

static inline unsigned int ring_cq_ready(struct ring *r)
{
	return __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE) - *r->cq_head;
}

/* Copy out the next CQE without waiting; false if none. */
static inline bool ring_peek_cqe(struct ring *r, struct io_uring_cqe *out,
				 uint64_t big[2])
{
	unsigned int head = *r->cq_head, shift;
	struct io_uring_cqe *cqe;

	if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
		return false;
	shift = (r->p.flags & IORING_SETUP_CQE32) ? 1 : 0;
	cqe = &r->cqes[(head & *r->cq_mask) << shift];
	*out = *cqe;
	if (big) {
		big[0] = shift ? cqe->big_cqe[0] : 0;
		big[1] = shift ? cqe->big_cqe[1] : 0;
	}
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	return true;
}

/* Wait for and consume one CQE; returns 0 or -errno from enter. */
static inline int ring_wait_cqe(struct ring *r, struct io_uring_cqe *out)
{
	int ret;

	while (!ring_peek_cqe(r, out, NULL)) {
		ret = sys_enter(r->fd, 0, 1, IORING_ENTER_GETEVENTS, NULL, 0);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* Submit what is queued, wait for one CQE and take it; 0 or -errno. */
static inline int ring_submit_one(struct ring *r, struct io_uring_cqe *cqe)
{
	int ret = ring_submit_and_wait(r, 1);

	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	return ring_peek_cqe(r, cqe, NULL) ? 0 : -ENOENT;
}

/*
 * Wait for @nr CQEs and store each one's res at results[user_data]
 * (user_data must be below @max); returns 0 or -errno.
 */
static inline int ring_reap(struct ring *r, unsigned int nr, int *results,
			    unsigned int max)
{
	struct io_uring_cqe cqe;
	int ret;

	while (nr--) {
		ret = ring_wait_cqe(r, &cqe);
		if (ret)
			return ret;
		if (cqe.user_data >= max)
			return -ERANGE;
		results[cqe.user_data] = cqe.res;
	}
	return 0;
}

/* CLOCK_MONOTONIC in milliseconds, for deadlines. */
static inline long long ring_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

/* One-letter scheduler state of thread @tid of this process ('S': asleep), or 0. */
static inline char ring_thread_state(pid_t tid)
{
	char path[64], buf[256], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/*
 * Wait up to @ms until thread @tid is in an interruptible sleep; false if
 * it never was. ('S' shows from prepare_to_wait() on, a moment before
 * the thread calls schedule(): a waker must cope with both.)
 */
static inline bool ring_wait_thread_sleeping(pid_t tid, int ms)
{
	long long end = ring_now_ms() + ms;

	do {
		if (ring_thread_state(tid) == 'S')
			return true;
		usleep(500);
	} while (ring_now_ms() < end);
	return false;
}

/*
 * The number after "@name:\t" in the ring's fdinfo, or -1 when the
 * fdinfo left it out this time (some fields need the ring's lock, and
 * are skipped while it is busy).
 */
static inline long ring_fdinfo_field(struct ring *r, const char *name)
{
	static char buf[65536];
	ssize_t n, len = 0;
	char path[64], *p;
	size_t nlen = strlen(name);
	int fd;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", r->fd);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	while (len < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = 0;
	for (p = buf; (p = strstr(p, name)); p += nlen) {
		if ((p == buf || p[-1] == '\n') && p[nlen] == ':' &&
		    p[nlen + 1] == '\t')
			return atol(p + nlen + 2);
	}
	return -1;
}

/*
 * The polls armed on the ring: POLL_ADD, and requests parked until their
 * file is ready (the "PollCount:" of its fdinfo).
 */
static inline int ring_polls_armed(struct ring *r)
{
	return ring_fdinfo_field(r, "PollCount");
}

/* The SQPOLL thread's tid, from the ring's fdinfo; -1 without one. */
static inline pid_t ring_sq_thread(struct ring *r)
{
	return ring_fdinfo_field(r, "SqThread");
}

/* Wait up to @ms for @nr polls to be armed on the ring; true once they are. */
static inline bool ring_wait_polls(struct ring *r, int nr, int ms)
{
	long long end = ring_now_ms() + ms;

	do {
		if (ring_polls_armed(r) >= nr)
			return true;
		usleep(500);
	} while (ring_now_ms() < end);
	return false;
}

/*
 * A NOP's round trip: whatever completes inline or in this task's
 * task_work is posted by the time the NOP's CQE is. Returns 0 when the
 * NOP's CQE was the only one ready (and takes it), -EEXIST when another
 * CQE was there, or an error of the submission.
 */
static inline int ring_cq_barrier(struct ring *r)
{
	struct io_uring_cqe cqe;
	int ret;

	if (!ring_nop(r, ~0ULL))
		return -EBUSY;
	ret = ring_submit_and_wait(r, 1);
	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	if (ring_cq_ready(r) != 1)
		return -EEXIST;
	ring_peek_cqe(r, &cqe, NULL);
	return cqe.user_data == ~0ULL ? 0 : -EEXIST;
}

#endif
