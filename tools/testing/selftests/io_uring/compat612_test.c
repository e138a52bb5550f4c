// SPDX-License-Identifier: GPL-2.0
/*
 * Linux 6.12 behaviours that user space newer than liburing 2.3 relies on:
 * each test asserts what io_uring_register(2), io_uring_enter(2) and the
 * liburing 2.8 man pages say, and where they are silent what the stock
 * 6.12 kernel does, so the suite passes on stock 6.12 as well.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <arpa/inet.h>
#include <linux/futex.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/fanotify.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "ring.h"

#ifndef FUTEX2_SIZE_U32
#define FUTEX2_SIZE_U32		0x02
#endif
#ifndef FUTEX_BITSET_MATCH_ANY
#define FUTEX_BITSET_MATCH_ANY	0xffffffff
#endif

static int ring_init_flags(struct ring *r, unsigned int entries,
			   unsigned int flags)
{
	struct io_uring_params p = { .flags = flags };

	return ring_init(r, entries, &p);
}

/* Wait up to @ms for one CQE; 0, -ETIME or -errno. */
static int wait_cqe_ms(struct ring *r, struct io_uring_cqe *cqe, int ms)
{
	struct __kernel_timespec ts = {
		.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000LL,
	};
	struct io_uring_getevents_arg arg = { .ts = (uintptr_t)&ts };
	int ret;

	if (ring_peek_cqe(r, cqe, NULL))
		return 0;
	ret = sys_enter(r->fd, 0, 1, IORING_ENTER_GETEVENTS |
			IORING_ENTER_EXT_ARG, &arg, sizeof(arg));
	if (ret < 0 && ret != -ETIME)
		return ret;
	return ring_peek_cqe(r, cqe, NULL) ? 0 : -ETIME;
}

static int tcp_listener(struct sockaddr_in *addr)
{
	socklen_t len = sizeof(*addr);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -errno;
	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)addr, sizeof(*addr)) ||
	    listen(fd, 16) ||
	    getsockname(fd, (struct sockaddr *)addr, &len)) {
		close(fd);
		return -errno;
	}
	return fd;
}

/* ---- 1: MSG_RING to the submitting ring itself ------------------------ */

static void msg_self(struct __test_metadata *_metadata, unsigned int flags)
{
	struct io_uring_cqe cqe;
	bool got_msg = false, got_own = false;
	struct ring r;
	int i, ret;

	ASSERT_EQ(0, ring_init_flags(&r, 8, flags));
	ASSERT_NE(NULL, ring_rw(&r, IORING_OP_MSG_RING, r.fd,
				(void *)(uintptr_t)IORING_MSG_DATA, 0x55,
				0xbeef, 1));
	ASSERT_EQ(1, ring_submit_and_wait(&r, 2));
	for (i = 0; i < 2; i++) {
		/* an IOPOLL ring's wait takes no timeout: it polls */
		ret = flags & IORING_SETUP_IOPOLL ? ring_wait_cqe(&r, &cqe) :
						    wait_cqe_ms(&r, &cqe, 5000);
		ASSERT_EQ(0, ret);
		if (cqe.user_data == 0xbeef) {
			EXPECT_EQ(0x55, cqe.res);
			EXPECT_EQ(0, cqe.flags);
			got_msg = true;
		} else {
			EXPECT_EQ(1, cqe.user_data);
			EXPECT_EQ(0, cqe.res);
			got_own = true;
		}
	}
	EXPECT_TRUE(got_msg);
	EXPECT_TRUE(got_own);
	ring_exit(&r);
}

TEST(msg_ring_data_to_own_ring_posts_both_cqes)
{
	msg_self(_metadata, 0);
}

TEST(msg_ring_data_to_own_iopoll_ring_posts_both_cqes)
{
	msg_self(_metadata, IORING_SETUP_IOPOLL);
}

TEST(msg_ring_data_to_own_defer_taskrun_ring_posts_both_cqes)
{
	msg_self(_metadata, IORING_SETUP_SINGLE_ISSUER |
		 IORING_SETUP_DEFER_TASKRUN);
}

/* ---- 2: restrictions with no entries ---------------------------------- */

TEST(zero_restrictions_leave_the_ring_allowing_nothing)
{
	struct io_uring_restriction res[1] = {};
	struct io_uring_probe *probe;
	struct io_uring_cqe cqe;
	struct ring r;

	ASSERT_EQ(0, ring_init_flags(&r, 8, IORING_SETUP_R_DISABLED));
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_RESTRICTIONS, res, 0));
	/* registered once: a second time is refused */
	EXPECT_EQ(-EBUSY, sys_register(r.fd, IORING_REGISTER_RESTRICTIONS,
				       res, 0));
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0));
	ASSERT_NE(NULL, ring_nop(&r, 7));
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	EXPECT_EQ(7, cqe.user_data);
	EXPECT_EQ(-EACCES, cqe.res);
	probe = calloc(1, sizeof(*probe) + 256 * sizeof(probe->ops[0]));
	ASSERT_NE(NULL, probe);
	EXPECT_EQ(-EACCES, sys_register(r.fd, IORING_REGISTER_PROBE, probe,
					256));
	free(probe);
	ring_exit(&r);
}

/* ---- 3: io-wq limits query, and register through a registered fd ------ */

static unsigned int default_bounded(struct ring *r)
{
	unsigned int cpus = 4 * sysconf(_SC_NPROCESSORS_ONLN);

	return r->p.sq_entries < cpus ? r->p.sq_entries : cpus;
}

TEST(iowq_max_workers_query_reports_limits_before_any_work)
{
	unsigned int v[2] = { 0, 0 };
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_IOWQ_MAX_WORKERS, v, 2));
	EXPECT_EQ(default_bounded(&r), v[0]);
	EXPECT_NE(0, v[1]);
	/* setting returns the old values, a query then the new ones */
	v[0] = 2;
	v[1] = 3;
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_IOWQ_MAX_WORKERS, v, 2));
	EXPECT_EQ(default_bounded(&r), v[0]);
	EXPECT_NE(0, v[1]);
	v[0] = 0;
	v[1] = 0;
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_IOWQ_MAX_WORKERS, v, 2));
	EXPECT_EQ(2, v[0]);
	EXPECT_EQ(3, v[1]);
	ring_exit(&r);
}

static int register_ring_fd(int fd)
{
	struct io_uring_rsrc_update up = { .offset = -1U, .data = fd };
	int ret;

	ret = sys_register(fd, IORING_REGISTER_RING_FDS, &up, 1);
	return ret == 1 ? (int)up.offset : (ret < 0 ? ret : -EIO);
}

TEST(register_through_registered_fd_after_normal_fd_closed)
{
	unsigned int v[2] = { 0, 0 };
	struct io_uring_cqe cqe;
	struct ring r;
	int idx, ret;

	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	idx = register_ring_fd(r.fd);
	ASSERT_GE(idx, 0);
	close(r.fd);
	ASSERT_EQ(0, sys_register(idx, IORING_REGISTER_IOWQ_MAX_WORKERS |
				  IORING_REGISTER_USE_REGISTERED_RING, v, 2));
	EXPECT_EQ(default_bounded(&r), v[0]);
	EXPECT_NE(0, v[1]);
	/* and enter through it still submits */
	ASSERT_NE(NULL, ring_nop(&r, 9));
	ret = sys_enter(idx, ring_flush_sq(&r), 1, IORING_ENTER_GETEVENTS |
			IORING_ENTER_REGISTERED_RING, NULL, 0);
	ASSERT_EQ(1, ret);
	ASSERT_TRUE(ring_peek_cqe(&r, &cqe, NULL));
	EXPECT_EQ(9, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	r.fd = -1;
	ring_exit(&r);
}

TEST(registered_fd_only_ring_takes_register_ops)
{
	struct io_uring_params p = {
		.flags = IORING_SETUP_REGISTERED_FD_ONLY | IORING_SETUP_NO_MMAP,
	};
	unsigned int v[2] = { 0, 0 };
	void *mem;
	int idx;

	/* rings and SQEs each in one page of our own (NO_MMAP) */
	mem = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	p.cq_off.user_addr = (uintptr_t)mem;
	p.sq_off.user_addr = (uintptr_t)mem + 4096;
	idx = sys_setup(4, &p);
	ASSERT_GE(idx, 0);
	ASSERT_EQ(0, sys_register(idx, IORING_REGISTER_IOWQ_MAX_WORKERS |
				  IORING_REGISTER_USE_REGISTERED_RING, v, 2));
	EXPECT_EQ(4, v[0]);
	EXPECT_NE(0, v[1]);
	munmap(mem, 8192);
}

/* ---- 4: allocating a direct descriptor without a table ---------------- */

static int socket_direct_alloc(struct ring *r)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);
	struct io_uring_cqe cqe;
	int ret;

	if (!sqe)
		return -EBUSY;
	sqe->opcode = IORING_OP_SOCKET;
	sqe->fd = AF_UNIX;
	sqe->off = SOCK_DGRAM;
	sqe->file_index = IORING_FILE_INDEX_ALLOC;
	sqe->user_data = 3;
	ret = ring_submit_one(r, &cqe);
	return ret ? ret : cqe.res;
}

TEST(file_index_alloc_without_table_is_enfile)
{
	int fds[2] = { -1, -1 };
	struct io_uring_cqe cqe;
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	EXPECT_EQ(-ENFILE, socket_direct_alloc(&r));
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_FILES, fds, 2));
	EXPECT_EQ(0, socket_direct_alloc(&r));
	EXPECT_EQ(1, socket_direct_alloc(&r));
	EXPECT_EQ(-ENFILE, socket_direct_alloc(&r));
	ASSERT_EQ(0, sys_register(r.fd, IORING_UNREGISTER_FILES, NULL, 0));
	EXPECT_EQ(-ENFILE, socket_direct_alloc(&r));
	/* FILES_UPDATE's own allocation says there is no table: -ENXIO */
	fds[0] = 0;
	ASSERT_NE(NULL, ring_rw(&r, IORING_OP_FILES_UPDATE, -1, fds, 1,
				IORING_FILE_INDEX_ALLOC, 4));
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	EXPECT_EQ(-ENXIO, cqe.res);
	ring_exit(&r);
}

/* ---- 5: removing a multishot timeout ---------------------------------- */

TEST(timeout_remove_cqe_comes_before_the_removed_timeouts)
{
	struct __kernel_timespec ts = { .tv_sec = 5 };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	sqe = ring_rw(&r, IORING_OP_TIMEOUT, -1, &ts, 1, 0, 1);
	ASSERT_NE(NULL, sqe);
	sqe->timeout_flags = IORING_TIMEOUT_MULTISHOT;
	ASSERT_EQ(1, ring_submit(&r));
	sqe = ring_rw(&r, IORING_OP_TIMEOUT_REMOVE, -1, NULL, 0, 0, 2);
	ASSERT_NE(NULL, sqe);
	sqe->addr = 1;
	ASSERT_EQ(1, ring_submit(&r));
	/* the first CQE a program waits for is the remove's own */
	ASSERT_EQ(0, wait_cqe_ms(&r, &cqe, 2000));
	EXPECT_EQ(2, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	ASSERT_EQ(0, wait_cqe_ms(&r, &cqe, 2000));
	EXPECT_EQ(1, cqe.user_data);
	EXPECT_EQ(-ECANCELED, cqe.res);
	EXPECT_EQ(0, cqe.flags & IORING_CQE_F_MORE);
	ring_exit(&r);
}

/* ---- 6: FUTEX_WAKE of nobody ------------------------------------------ */

static struct io_uring_sqe *futex_sqe(struct ring *r, int op, uint32_t *addr,
				      uint64_t val, uint64_t user_data)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	if (sqe) {
		sqe->opcode = op;
		sqe->fd = FUTEX2_SIZE_U32;
		sqe->addr = (uintptr_t)addr;
		sqe->addr2 = val;
		sqe->addr3 = FUTEX_BITSET_MATCH_ANY;
		sqe->user_data = user_data;
	}
	return sqe;
}

TEST(futex_wake_of_zero_wakes_nobody)
{
	uint32_t futex = 0;
	struct io_uring_cqe cqe;
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	ASSERT_NE(NULL, futex_sqe(&r, IORING_OP_FUTEX_WAIT, &futex, 0, 1));
	ASSERT_EQ(1, ring_submit(&r));
	ASSERT_NE(NULL, futex_sqe(&r, IORING_OP_FUTEX_WAKE, &futex, 0, 2));
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	EXPECT_EQ(2, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	/* the waiter is still queued */
	EXPECT_EQ(-ETIME, wait_cqe_ms(&r, &cqe, 100));
	ASSERT_NE(NULL, futex_sqe(&r, IORING_OP_FUTEX_WAKE, &futex, 1, 3));
	ASSERT_EQ(1, ring_submit(&r));
	ASSERT_EQ(0, wait_cqe_ms(&r, &cqe, 2000));
	if (cqe.user_data == 1) {
		EXPECT_EQ(0, cqe.res);
		ASSERT_EQ(0, wait_cqe_ms(&r, &cqe, 2000));
		EXPECT_EQ(3, cqe.user_data);
		EXPECT_EQ(1, cqe.res);
	} else {
		EXPECT_EQ(3, cqe.user_data);
		EXPECT_EQ(1, cqe.res);
		ASSERT_EQ(0, wait_cqe_ms(&r, &cqe, 2000));
		EXPECT_EQ(1, cqe.user_data);
		EXPECT_EQ(0, cqe.res);
	}
	ring_exit(&r);
}

/* ---- 7: min_wait_usec (IORING_FEAT_MIN_TIMEOUT) ------------------------ */

/*
 * Wait for 4 CQEs with a min wait and an overall timeout, @nops NOPs
 * completed beforehand; returns enter's result, *ms the time it took.
 */
static int min_wait(struct ring *r, int nops, long ts_us, unsigned int min_us,
		    long long *ms)
{
	struct __kernel_timespec ts = {
		.tv_sec = ts_us / 1000000, .tv_nsec = (ts_us % 1000000) * 1000,
	};
	struct io_uring_getevents_arg arg = {
		.ts = (uintptr_t)&ts, .min_wait_usec = min_us,
	};
	struct io_uring_cqe cqe;
	long long start;
	int i, ret;

	for (i = 0; i < nops; i++)
		ring_nop(r, i);
	if (nops && ring_submit(r) != nops)
		return -EIO;
	start = ring_now_ms();
	ret = sys_enter(r->fd, 0, 4, IORING_ENTER_GETEVENTS |
			IORING_ENTER_EXT_ARG, &arg, sizeof(arg));
	*ms = ring_now_ms() - start;
	while (ring_peek_cqe(r, &cqe, NULL))
		;
	return ret;
}

static void min_wait_cases(struct __test_metadata *_metadata,
			   unsigned int flags)
{
	struct ring r;
	long long ms;

	ASSERT_EQ(0, ring_init_flags(&r, 8, flags));
	if (!(r.p.features & IORING_FEAT_MIN_TIMEOUT))
		SKIP(return, "no IORING_FEAT_MIN_TIMEOUT");
	/* all there: at once */
	EXPECT_EQ(0, min_wait(&r, 4, 100000, 50000, &ms));
	EXPECT_LE(ms, 5);
	/* some there: when the min wait ends */
	EXPECT_EQ(0, min_wait(&r, 2, 100000, 50000, &ms));
	EXPECT_GE(ms, 45);
	EXPECT_LE(ms, 70);
	/* nothing: the overall timeout */
	EXPECT_EQ(-ETIME, min_wait(&r, 0, 100000, 50000, &ms));
	EXPECT_GE(ms, 95);
	EXPECT_LE(ms, 130);
	/* nothing, and the min wait is the longer one: it counts */
	EXPECT_EQ(-ETIME, min_wait(&r, 0, 20000, 50000, &ms));
	EXPECT_GE(ms, 45);
	EXPECT_LE(ms, 70);
	EXPECT_EQ(-ETIME, min_wait(&r, 0, 50001, 50000, &ms));
	EXPECT_GE(ms, 45);
	EXPECT_LE(ms, 70);
	ring_exit(&r);
}

TEST(min_wait_batches_then_times_out_as_documented)
{
	min_wait_cases(_metadata, 0);
}

TEST(min_wait_batches_then_times_out_on_defer_taskrun)
{
	min_wait_cases(_metadata, IORING_SETUP_SINGLE_ISSUER |
		       IORING_SETUP_DEFER_TASKRUN);
}

struct late_writer {
	int fd;
	unsigned int delay_us;
};

static void *late_write(void *arg)
{
	struct late_writer *w = arg;

	usleep(w->delay_us);
	if (write(w->fd, "x", 1) != 1)
		return (void *)1;
	return NULL;
}

TEST(min_wait_expired_returns_on_the_next_completion)
{
	struct __kernel_timespec ts = { .tv_sec = 1 };
	struct io_uring_getevents_arg arg = {
		.ts = (uintptr_t)&ts, .min_wait_usec = 10000,
	};
	struct late_writer w = { .delay_us = 100000 };
	struct io_uring_cqe cqe;
	long long start, ms;
	char buf[8];
	pthread_t t;
	int p[2], ret;
	struct ring r;

	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	ASSERT_NE(NULL, ring_rw(&r, IORING_OP_READ, p[0], buf, sizeof(buf),
				0, 1));
	ASSERT_EQ(1, ring_submit(&r));
	w.fd = p[1];
	ASSERT_EQ(0, pthread_create(&t, NULL, late_write, &w));
	start = ring_now_ms();
	ret = sys_enter(r.fd, 0, 4, IORING_ENTER_GETEVENTS |
			IORING_ENTER_EXT_ARG, &arg, sizeof(arg));
	ms = ring_now_ms() - start;
	pthread_join(t, NULL);
	EXPECT_EQ(0, ret);
	EXPECT_GE(ms, 90);
	EXPECT_LE(ms, 300);
	ASSERT_TRUE(ring_peek_cqe(&r, &cqe, NULL));
	EXPECT_EQ(1, cqe.res);
	close(p[0]);
	close(p[1]);
	ring_exit(&r);
}

/* ---- 8: multishot poll and receive under racing wakeups --------------- */

static struct io_uring_sqe *poll_sqe(struct ring *r, int fd, unsigned int ev,
				     bool multi, uint64_t user_data)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	if (sqe) {
		sqe->opcode = IORING_OP_POLL_ADD;
		sqe->fd = fd;
		sqe->poll32_events = ev;
		sqe->len = multi ? IORING_POLL_ADD_MULTI : 0;
		sqe->user_data = user_data;
	}
	return sqe;
}

TEST(multishot_poll_reports_events_that_came_together)
{
	struct io_uring_cqe cqe;
	unsigned int mask = 0;
	int sp[2], val = 1;
	struct ring r;
	char buf[2];

	ASSERT_EQ(0, ring_init_flags(&r, 8, IORING_SETUP_SINGLE_ISSUER |
				     IORING_SETUP_DEFER_TASKRUN));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sp));
	ASSERT_EQ(0, setsockopt(sp[0], SOL_SOCKET, SO_SNDBUF, &val,
				sizeof(val)));
	ASSERT_EQ(2, send(sp[0], "ab", 2, 0));
	ASSERT_NE(NULL, poll_sqe(&r, sp[0], POLLIN | POLLOUT, true, 1));
	ASSERT_EQ(1, ring_submit(&r));
	/* readable, then writable, while the task is not looking */
	ASSERT_EQ(1, send(sp[1], "c", 1, 0));
	ASSERT_EQ(2, recv(sp[1], buf, 2, 0));
	ASSERT_EQ(0, wait_cqe_ms(&r, &cqe, 2000));
	do {
		EXPECT_EQ(1, cqe.user_data);
		EXPECT_TRUE(cqe.flags & IORING_CQE_F_MORE);
		mask |= cqe.res;
	} while (ring_peek_cqe(&r, &cqe, NULL));
	EXPECT_EQ(POLLIN | POLLOUT, mask & (POLLIN | POLLOUT));
	close(sp[0]);
	close(sp[1]);
	ring_exit(&r);
}

#define PBUF_BGID	1

struct pbuf_ring {
	struct io_uring_buf_ring *br;
	size_t br_sz;
	char *bufs;
	unsigned int nr, size;
	uint16_t tail;
};

static int pbuf_setup(struct ring *r, struct pbuf_ring *pb, unsigned int nr,
		      unsigned int size, unsigned int flags)
{
	struct io_uring_buf_reg reg = {
		.ring_entries = nr, .bgid = PBUF_BGID, .flags = flags,
	};
	int ret;

	pb->nr = nr;
	pb->size = size;
	pb->br_sz = nr * sizeof(struct io_uring_buf);
	if (pb->br_sz < 4096)
		pb->br_sz = 4096;
	pb->br = mmap(NULL, pb->br_sz, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pb->bufs = malloc((size_t)nr * size);
	if (pb->br == MAP_FAILED || !pb->bufs)
		return -ENOMEM;
	reg.ring_addr = (uintptr_t)pb->br;
	ret = sys_register(r->fd, IORING_REGISTER_PBUF_RING, &reg, 1);
	if (ret)
		return ret;
	pb->tail = 0;
	return 0;
}

static void pbuf_add(struct pbuf_ring *pb, unsigned int bid)
{
	struct io_uring_buf *b = &pb->br->bufs[pb->tail & (pb->nr - 1)];

	b->addr = (uintptr_t)(pb->bufs + (size_t)bid * pb->size);
	b->len = pb->size;
	b->bid = bid;
	pb->tail++;
	__atomic_store_n(&pb->br->tail, pb->tail, __ATOMIC_RELEASE);
}

static void pbuf_free(struct pbuf_ring *pb)
{
	munmap(pb->br, pb->br_sz);
	free(pb->bufs);
}

struct writer {
	int fd, nr, size;
};

static void *writer_fn(void *arg)
{
	struct writer *w = arg;
	char buf[256];
	int i;

	memset(buf, 'w', sizeof(buf));
	for (i = 0; i < w->nr; i++)
		if (write(w->fd, buf, w->size) != w->size)
			return (void *)1;
	return NULL;
}

static struct io_uring_sqe *recv_sqe(struct ring *r, int fd, bool multi,
				     uint64_t user_data)
{
	struct io_uring_sqe *sqe = ring_rw(r, IORING_OP_RECV, fd, NULL, 0, 0,
					   user_data);

	if (sqe) {
		sqe->flags = IOSQE_BUFFER_SELECT;
		sqe->buf_group = PBUF_BGID;
		if (multi)
			sqe->ioprio = IORING_RECV_MULTISHOT;
	}
	return sqe;
}

/* 64 writes of 64 bytes against one multishot receive with 64 buffers */
TEST(multishot_recv_with_buffer_ring_survives_racing_wakeups)
{
	struct io_uring_cqe cqe;
	int round, i, sp[2], bytes;
	struct pbuf_ring pb;
	struct writer w;
	struct ring r;
	pthread_t t;

	for (round = 0; round < 100; round++) {
		ASSERT_EQ(0, ring_init(&r, 8, NULL));
		ASSERT_EQ(0, pbuf_setup(&r, &pb, 64, 64, 0));
		for (i = 0; i < 64; i++)
			pbuf_add(&pb, i);
		ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sp));
		ASSERT_NE(NULL, recv_sqe(&r, sp[0], true, 1));
		ASSERT_EQ(1, ring_submit(&r));
		w.fd = sp[1];
		w.nr = 64;
		w.size = 64;
		ASSERT_EQ(0, pthread_create(&t, NULL, writer_fn, &w));
		bytes = 0;
		while (bytes < 64 * 64) {
			ASSERT_EQ(0, wait_cqe_ms(&r, &cqe, 10000));
			ASSERT_GT(cqe.res, 0);
			ASSERT_TRUE(cqe.flags & IORING_CQE_F_BUFFER);
			ASSERT_LT(cqe.flags >> IORING_CQE_BUFFER_SHIFT, 64);
			bytes += cqe.res;
			if (!(cqe.flags & IORING_CQE_F_MORE) &&
			    bytes < 64 * 64) {
				ASSERT_NE(NULL, recv_sqe(&r, sp[0], true, 1));
				ASSERT_EQ(1, ring_submit(&r));
			}
		}
		EXPECT_EQ(64 * 64, bytes);
		pthread_join(t, NULL);
		close(sp[0]);
		close(sp[1]);
		ring_exit(&r);
		pbuf_free(&pb);
	}
}

/* 64 single-shot receives armed at once, racing for 64 writes */
TEST(racing_single_shot_recvs_with_buffer_ring_all_complete)
{
	struct io_uring_cqe cqe;
	int round, i, sp[2];
	struct pbuf_ring pb;
	bool seen[64];
	struct writer w;
	struct ring r;
	pthread_t t;

	for (round = 0; round < 50; round++) {
		ASSERT_EQ(0, ring_init(&r, 64, NULL));
		ASSERT_EQ(0, pbuf_setup(&r, &pb, 64, 64, 0));
		for (i = 0; i < 64; i++)
			pbuf_add(&pb, i);
		ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sp));
		for (i = 0; i < 64; i++)
			ASSERT_NE(NULL, recv_sqe(&r, sp[0], false, i));
		ASSERT_EQ(64, ring_submit(&r));
		w.fd = sp[1];
		w.nr = 64;
		w.size = 64;
		ASSERT_EQ(0, pthread_create(&t, NULL, writer_fn, &w));
		memset(seen, 0, sizeof(seen));
		for (i = 0; i < 64; i++) {
			unsigned int bid;

			ASSERT_EQ(0, wait_cqe_ms(&r, &cqe, 10000)) {
				TH_LOG("round %d: %d of 64 receives done",
				       round, i);
			}
			ASSERT_EQ(64, cqe.res);
			ASSERT_TRUE(cqe.flags & IORING_CQE_F_BUFFER);
			bid = cqe.flags >> IORING_CQE_BUFFER_SHIFT;
			ASSERT_LT(bid, 64);
			EXPECT_FALSE(seen[bid]);
			seen[bid] = true;
		}
		EXPECT_EQ(-ETIME, wait_cqe_ms(&r, &cqe, 10));
		pthread_join(t, NULL);
		close(sp[0]);
		close(sp[1]);
		ring_exit(&r);
		pbuf_free(&pb);
	}
}

/* ---- 9: an event loop on epoll over the ring fd ----------------------- */

static void no_feedback(struct __test_metadata *_metadata, bool via_eventfd)
{
	struct io_uring_cqe cqe;
	struct epoll_event ev = { .events = EPOLLIN };
	int epfd, efd = -1, pfd, got;
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	if (via_eventfd) {
		efd = eventfd(0, EFD_CLOEXEC);
		ASSERT_GE(efd, 0);
		ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_EVENTFD,
					  &efd, 1));
		pfd = efd;
	} else {
		epfd = epoll_create1(0);
		ASSERT_GE(epfd, 0);
		ASSERT_EQ(0, epoll_ctl(epfd, EPOLL_CTL_ADD, r.fd, &ev));
		pfd = epfd;
	}
	ASSERT_NE(NULL, poll_sqe(&r, pfd, POLLIN, true, 1));
	ASSERT_EQ(1, ring_submit(&r));
	ASSERT_NE(NULL, ring_nop(&r, 2));
	ASSERT_EQ(1, ring_submit(&r));
	/* the NOP, and one poll CQE its posting caused: then quiet */
	for (got = 0; got < 2; got++) {
		ASSERT_EQ(0, wait_cqe_ms(&r, &cqe, 2000));
		if (cqe.user_data == 1) {
			EXPECT_TRUE(cqe.res & POLLIN);
			/* woken by our own CQE posting: multishot ends */
			EXPECT_FALSE(cqe.flags & IORING_CQE_F_MORE);
		} else {
			EXPECT_EQ(2, cqe.user_data);
		}
	}
	EXPECT_EQ(-ETIME, wait_cqe_ms(&r, &cqe, 200));
	close(pfd);
	ring_exit(&r);
}

TEST(epoll_on_ring_fd_does_not_feed_back)
{
	no_feedback(_metadata, false);
}

TEST(poll_on_ring_eventfd_does_not_feed_back)
{
	no_feedback(_metadata, true);
}

/* ---- 11: bundles: every receive reports its buffers ------------------- */

static int tcp_pair(int sv[2])
{
	struct sockaddr_in addr;
	int lfd = tcp_listener(&addr);

	if (lfd < 0)
		return lfd;
	sv[1] = socket(AF_INET, SOCK_STREAM, 0);
	if (sv[1] < 0 || connect(sv[1], (struct sockaddr *)&addr,
				 sizeof(addr)))
		return -errno;
	sv[0] = accept(lfd, NULL, NULL);
	close(lfd);
	return sv[0] < 0 ? -errno : 0;
}

static void bundle_recv(struct __test_metadata *_metadata, bool inc)
{
	const unsigned int nbufs = inc ? 1 : 256, bsize = inc ? 1 << 20 : 128;
	unsigned int sent = 0, recvd = 0, next_bid = 0, i;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct pbuf_ring pb;
	char data[3000];
	int sv[2] = { -1, -1 };
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, 16, NULL));
	if (!(r.p.features & IORING_FEAT_RECVSEND_BUNDLE))
		SKIP(return, "no bundles");
	ASSERT_EQ(0, pbuf_setup(&r, &pb, nbufs, bsize,
				inc ? IOU_PBUF_RING_INC : 0));
	for (i = 0; i < nbufs; i++)
		pbuf_add(&pb, i);
	ASSERT_EQ(0, tcp_pair(sv));
	memset(data, 'b', sizeof(data));
	sqe = recv_sqe(&r, sv[0], true, 1);
	ASSERT_NE(NULL, sqe);
	sqe->ioprio |= IORING_RECVSEND_BUNDLE;
	ASSERT_EQ(1, ring_submit(&r));
	/* sends of mixed sizes, each reaped in whatever pieces it comes */
	for (i = 0; i < 20; i++) {
		unsigned int len = 1 + (i * 733) % sizeof(data);

		ASSERT_EQ(len, send(sv[1], data, len, 0));
		sent += len;
		while (recvd < sent) {
			unsigned int bid;

			ASSERT_EQ(0, wait_cqe_ms(&r, &cqe, 5000));
			ASSERT_EQ(1, cqe.user_data);
			ASSERT_GT(cqe.res, 0);
			ASSERT_TRUE(cqe.flags & IORING_CQE_F_BUFFER);
			bid = cqe.flags >> IORING_CQE_BUFFER_SHIFT;
			if (inc) {
				EXPECT_EQ(0, bid);
				EXPECT_NE(0, cqe.flags & IORING_CQE_F_BUF_MORE);
			} else {
				EXPECT_EQ(next_bid, bid);
				next_bid = (next_bid + (cqe.res + bsize - 1) /
					    bsize) % nbufs;
			}
			recvd += cqe.res;
			if (!(cqe.flags & IORING_CQE_F_MORE)) {
				sqe = recv_sqe(&r, sv[0], true, 1);
				ASSERT_NE(NULL, sqe);
				sqe->ioprio |= IORING_RECVSEND_BUNDLE;
				ASSERT_EQ(1, ring_submit(&r));
			}
		}
	}
	EXPECT_EQ(sent, recvd);
	close(sv[0]);
	close(sv[1]);
	ring_exit(&r);
	pbuf_free(&pb);
}

TEST(bundle_receives_always_report_buffers)
{
	bundle_recv(_metadata, false);
}

TEST(bundle_receives_on_incremental_ring_report_buf_more)
{
	bundle_recv(_metadata, true);
}

/*
 * A send bundle on an almost full socket: each send's CQE says F_MORE
 * while the group still has buffers, and the last one does not.
 */
TEST(send_bundle_goes_on_until_the_group_is_empty)
{
	unsigned int sent = 0, cqes = 0, i;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int sv[2] = { -1, -1 }, fill;
	struct pbuf_ring pb;
	char buf[4096];
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	if (!(r.p.features & IORING_FEAT_RECVSEND_BUNDLE))
		SKIP(return, "no bundles");
	ASSERT_EQ(0, pbuf_setup(&r, &pb, 4, 128, 0));
	for (i = 0; i < 4; i++) {
		memset(pb.bufs + i * 128, 'a' + i, 128);
		pbuf_add(&pb, i);
	}
	/*
	 * How many 128-byte sends a fresh connection takes before it says
	 * EAGAIN; then, on a second one, leave room for about two of them.
	 */
	memset(buf, 'x', sizeof(buf));
	ASSERT_EQ(0, tcp_pair(sv));
	for (fill = 0; send(sv[1], buf, 128, MSG_DONTWAIT) == 128; fill++)
		;
	close(sv[0]);
	close(sv[1]);
	ASSERT_GT(fill, 4);
	ASSERT_EQ(0, tcp_pair(sv));
	/* (a second connection may take fewer: its ACKs come at other times) */
	for (i = 0; i < fill - 2; i++)
		if (send(sv[1], buf, 128, MSG_DONTWAIT) != 128)
			break;
	ASSERT_GT(i, 0);
	sqe = ring_rw(&r, IORING_OP_SEND, sv[1], NULL, 0, 0, 1);
	ASSERT_NE(NULL, sqe);
	sqe->flags = IOSQE_BUFFER_SELECT;
	sqe->buf_group = PBUF_BGID;
	sqe->ioprio = IORING_RECVSEND_BUNDLE;
	ASSERT_EQ(1, ring_submit(&r));
	/* drain the peer bit by bit until the bundle's last CQE */
	for (;;) {
		int ret = wait_cqe_ms(&r, &cqe, 10);

		if (ret == -ETIME) {
			ASSERT_GT(recv(sv[0], buf, 512, MSG_DONTWAIT), 0);
			continue;
		}
		ASSERT_EQ(0, ret);
		ASSERT_EQ(1, cqe.user_data);
		ASSERT_GT(cqe.res, 0);
		EXPECT_TRUE(cqe.flags & IORING_CQE_F_BUFFER);
		sent += cqe.res;
		cqes++;
		if (!(cqe.flags & IORING_CQE_F_MORE))
			break;
		ASSERT_LT(sent, 512);
	}
	/* all of it, or a short send (not whole buffers) ended the bundle */
	if (sent != 512)
		EXPECT_NE(0, cqe.res % 128);
	EXPECT_LE(sent, 512);
	TH_LOG("%u CQEs for the bundle, %u bytes", cqes, sent);
	close(sv[0]);
	close(sv[1]);
	ring_exit(&r);
	pbuf_free(&pb);
}

/* ---- 12: incremental buffers keep reporting BUF_MORE ------------------ */

static int read_inc(struct ring *r, int fd, struct io_uring_cqe *cqe)
{
	struct io_uring_sqe *sqe = ring_rw(r, IORING_OP_READ, fd, NULL, 32,
					   -1ULL, 1);

	if (!sqe)
		return -EBUSY;
	sqe->flags = IOSQE_BUFFER_SELECT;
	sqe->buf_group = PBUF_BGID;
	return ring_submit_one(r, cqe);
}

TEST(incremental_buffer_read_at_eof_keeps_buf_more)
{
	struct io_uring_cqe cqe;
	struct pbuf_ring pb;
	struct ring r;
	int p[2];

	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	ASSERT_EQ(0, pbuf_setup(&r, &pb, 1, 256, IOU_PBUF_RING_INC));
	pbuf_add(&pb, 0);
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(12, write(p[1], "hello world!", 12));
	ASSERT_EQ(0, read_inc(&r, p[0], &cqe));
	EXPECT_EQ(12, cqe.res);
	EXPECT_TRUE(cqe.flags & IORING_CQE_F_BUFFER);
	EXPECT_TRUE(cqe.flags & IORING_CQE_F_BUF_MORE);
	close(p[1]);
	ASSERT_EQ(0, read_inc(&r, p[0], &cqe));
	EXPECT_EQ(0, cqe.res);
	EXPECT_TRUE(cqe.flags & IORING_CQE_F_BUFFER);
	EXPECT_TRUE(cqe.flags & IORING_CQE_F_BUF_MORE);
	close(p[0]);
	ring_exit(&r);
	pbuf_free(&pb);
}

TEST(incremental_buffer_file_reads_report_buf_more)
{
	const char *path = "compat612-inc";
	struct io_uring_cqe cqe;
	struct pbuf_ring pb;
	char data[512];
	struct ring r;
	int fd, i;

	memset(data, 'f', sizeof(data));
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(sizeof(data), write(fd, data, sizeof(data)));
	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	ASSERT_EQ(0, pbuf_setup(&r, &pb, 1, 256, IOU_PBUF_RING_INC));
	pbuf_add(&pb, 0);
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, read_inc(&r, fd, &cqe));
		EXPECT_EQ(32, cqe.res);
		EXPECT_TRUE(cqe.flags & IORING_CQE_F_BUFFER);
		EXPECT_EQ(0, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
		EXPECT_TRUE(cqe.flags & IORING_CQE_F_BUF_MORE);
	}
	close(fd);
	unlink(path);
	ring_exit(&r);
	pbuf_free(&pb);
}

/* ---- 10: multishot accept of an already queued backlog ---------------- */

TEST(multishot_accept_takes_a_queued_backlog_and_says_so)
{
	struct sockaddr_in addr;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int lfd, c[3], i;
	struct ring r;

	lfd = tcp_listener(&addr);
	ASSERT_GE(lfd, 0);
	for (i = 0; i < 3; i++) {
		c[i] = socket(AF_INET, SOCK_STREAM, 0);
		ASSERT_GE(c[i], 0);
		ASSERT_EQ(0, connect(c[i], (struct sockaddr *)&addr,
				     sizeof(addr)));
	}
	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	sqe = ring_rw(&r, IORING_OP_ACCEPT, lfd, NULL, 0, 0, 1);
	ASSERT_NE(NULL, sqe);
	sqe->ioprio = IORING_ACCEPT_MULTISHOT;
	ASSERT_EQ(1, ring_submit(&r));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, wait_cqe_ms(&r, &cqe, 5000));
		ASSERT_GE(cqe.res, 0);
		EXPECT_TRUE(cqe.flags & IORING_CQE_F_MORE);
		/* more connections queued behind all but the last */
		EXPECT_EQ(i < 2, !!(cqe.flags & IORING_CQE_F_SOCK_NONEMPTY));
		close(cqe.res);
	}
	/* armed for more: none until one connects */
	EXPECT_EQ(-ETIME, wait_cqe_ms(&r, &cqe, 100));
	for (i = 0; i < 3; i++)
		close(c[i]);
	close(lfd);
	ring_exit(&r);
}

/* ---- 13: fanotify sees reads and writes done by io_uring -------------- */

static int fan_wait_event(int fan, uint64_t mask)
{
	uint64_t buf64[512];
	char *buf = (char *)buf64;
	struct pollfd pfd = { .fd = fan, .events = POLLIN };
	long long end = ring_now_ms() + 5000;

	while (ring_now_ms() < end) {
		struct fanotify_event_metadata *m;
		ssize_t len;

		if (poll(&pfd, 1, 100) <= 0)
			continue;
		len = read(fan, buf, sizeof(buf64));
		if (len <= 0)
			continue;
		for (m = (void *)buf; FAN_EVENT_OK(m, len);
		     m = FAN_EVENT_NEXT(m, len)) {
			if (m->fd >= 0)
				close(m->fd);
			if (m->mask & mask)
				return 0;
		}
	}
	return -ETIME;
}

static void fanotify_rw(struct __test_metadata *_metadata, int oflags)
{
	const char *path = "compat612-fanotify";
	struct io_uring_cqe cqe;
	struct ring r;
	void *buf;
	int fd, fan;

	ASSERT_EQ(0, posix_memalign(&buf, 4096, 4096));
	memset(buf, 0x5a, 4096);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(4096, write(fd, buf, 4096));
	ASSERT_EQ(0, fsync(fd));
	close(fd);
	fan = fanotify_init(FAN_CLASS_NOTIF | FAN_NONBLOCK, O_RDONLY);
	if (fan < 0)
		SKIP(return, "fanotify: %s", strerror(errno));
	ASSERT_EQ(0, fanotify_mark(fan, FAN_MARK_ADD, FAN_ACCESS | FAN_MODIFY,
				   AT_FDCWD, path));
	fd = open(path, O_RDWR | oflags);
	if (fd < 0 && (oflags & O_DIRECT))
		SKIP(return, "O_DIRECT: %s", strerror(errno));
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	ASSERT_NE(NULL, ring_rw(&r, IORING_OP_READ, fd, buf, 4096, 0, 1));
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(4096, cqe.res);
	EXPECT_EQ(0, fan_wait_event(fan, FAN_ACCESS));
	ASSERT_NE(NULL, ring_rw(&r, IORING_OP_WRITE, fd, buf, 4096, 0, 2));
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(4096, cqe.res);
	EXPECT_EQ(0, fan_wait_event(fan, FAN_MODIFY));
	ring_exit(&r);
	close(fd);
	close(fan);
	unlink(path);
	free(buf);
}

TEST(fanotify_sees_direct_io_read_and_write)
{
	fanotify_rw(_metadata, O_DIRECT);
}

TEST(fanotify_sees_buffered_read_and_write)
{
	fanotify_rw(_metadata, 0);
}

/* ---- 14: SQ_WAIT returns once the SQ has room ------------------------- */

TEST(sq_wait_returns_with_room_in_the_sq)
{
	struct io_uring_params p = {
		.flags = IORING_SETUP_SQPOLL, .sq_thread_idle = 1,
	};
	struct io_uring_cqe cqe;
	unsigned int i, n, round;
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, 8, &p));
	for (round = 0; round < 50; round++) {
		/* let the thread go idle, then fill the SQ behind its back */
		for (i = 0; i < 2000 && !(__atomic_load_n(r.sq_flags,
							  __ATOMIC_ACQUIRE) &
					  IORING_SQ_NEED_WAKEUP); i++)
			usleep(1000);
		ASSERT_GT(2000, i);
		for (n = 0; ring_nop(&r, round * 100 + n); n++)
			;
		ASSERT_EQ(r.p.sq_entries, n);
		ring_flush_sq(&r);
		ASSERT_EQ(0, sys_enter(r.fd, 0, 0, IORING_ENTER_SQ_WAKEUP |
				       IORING_ENTER_SQ_WAIT, NULL, 0));
		/* what user space reads: at least one slot free again */
		EXPECT_LT(*r.sq_tail - __atomic_load_n(r.sq_head,
						       __ATOMIC_ACQUIRE),
			  r.p.sq_entries);
		for (i = 0; i < n; i++) {
			ASSERT_EQ(0, wait_cqe_ms(&r, &cqe, 5000));
			EXPECT_EQ(0, cqe.res);
		}
	}
	ring_exit(&r);
}

/*
 * As liburing's sqwait: a busy thread issuing O_DIRECT reads, the program
 * submitting one at a time and waiting for room whenever the SQ is full.
 */
TEST(sq_wait_with_a_busy_thread_always_leaves_room)
{
	const char *path = "compat612-sqwait";
	unsigned int i, inflight = 0, waits = 0;
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct ring r;
	void *buf;
	int fd;

	ASSERT_EQ(0, posix_memalign(&buf, 4096, 4096));
	memset(buf, 1, 4096);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(4096, write(fd, buf, 4096));
	close(fd);
	fd = open(path, O_RDONLY | O_DIRECT);
	if (fd < 0)
		SKIP(return, "O_DIRECT: %s", strerror(errno));
	ASSERT_EQ(0, ring_init(&r, 8, &p));
	for (i = 0; i < 2000; i++) {
		sqe = ring_rw(&r, IORING_OP_READ, fd, buf, 4096, 0, i);
		if (!sqe) {
			ASSERT_EQ(0, sys_enter(r.fd, 0, 0, IORING_ENTER_SQ_WAIT,
					       NULL, 0));
			waits++;
			sqe = ring_rw(&r, IORING_OP_READ, fd, buf, 4096, 0, i);
			ASSERT_NE(NULL, sqe) {
				TH_LOG("SQ full after SQ_WAIT (wait %u)", waits);
			}
		}
		ring_flush_sq(&r);
		/* the tail store before the flag load, as in liburing */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (__atomic_load_n(r.sq_flags, __ATOMIC_RELAXED) &
		    IORING_SQ_NEED_WAKEUP)
			ASSERT_EQ(0, sys_enter(r.fd, 0, 0, IORING_ENTER_SQ_WAKEUP,
					       NULL, 0));
		inflight++;
		while (ring_peek_cqe(&r, &cqe, NULL)) {
			ASSERT_EQ(4096, cqe.res);
			inflight--;
		}
	}
	while (inflight) {
		ASSERT_EQ(0, wait_cqe_ms(&r, &cqe, 5000));
		ASSERT_EQ(4096, cqe.res);
		inflight--;
	}
	ring_exit(&r);
	close(fd);
	unlink(path);
	free(buf);
}

TEST_HARNESS_MAIN
