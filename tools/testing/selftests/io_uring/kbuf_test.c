// SPDX-License-Identifier: GPL-2.0
/*
 * Provided buffers: PROVIDE/REMOVE_BUFFERS, buffer rings (user memory,
 * kernel memory mmapped, incremental), PBUF_STATUS, buffer selection for
 * read and recv, multishot recv/recvmsg and READ_MULTISHOT, bundles, and
 * the errors for each.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "ring.h"

#define BGID	7
#define BUFSZ	64

static struct io_uring_sqe *prep_provide(struct ring *r, void *addr, int len,
					 int nr, int bgid, int bid)
{
	struct io_uring_sqe *sqe = ring_rw(r, IORING_OP_PROVIDE_BUFFERS, nr,
					   addr, len, bid, 100);

	sqe->buf_group = bgid;
	return sqe;
}

static struct io_uring_sqe *prep_select_read(struct ring *r, int op, int fd,
					     unsigned int len, int bgid,
					     uint64_t ud)
{
	struct io_uring_sqe *sqe = ring_rw(r, op, fd, NULL, len, 0, ud);

	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = bgid;
	return sqe;
}

/* A buffer ring in user memory: registered, empty. */
static struct io_uring_buf_ring *buf_ring_user(struct ring *r, int bgid,
					       unsigned int entries, int flags)
{
	struct io_uring_buf_reg reg = { .ring_entries = entries, .bgid = bgid,
					.flags = flags };
	void *mem;

	if (posix_memalign(&mem, 4096, 4096 > entries * 16 ? 4096 : entries * 16))
		return NULL;
	memset(mem, 0, 4096);
	reg.ring_addr = (uintptr_t)mem;
	if (sys_register(r->fd, IORING_REGISTER_PBUF_RING, &reg, 1))
		return NULL;
	return mem;
}

static void buf_ring_add(struct io_uring_buf_ring *br, unsigned int entries,
			 void *addr, unsigned int len, unsigned short bid,
			 unsigned int nth)
{
	struct io_uring_buf *buf = &br->bufs[(br->tail + nth) & (entries - 1)];

	buf->addr = (uintptr_t)addr;
	buf->len = len;
	buf->bid = bid;
}

static void buf_ring_advance(struct io_uring_buf_ring *br, unsigned int nr)
{
	__atomic_store_n(&br->tail, br->tail + nr, __ATOMIC_RELEASE);
}

TEST(provide_and_remove)
{
	char *bufs = calloc(8, BUFSZ), data[BUFSZ];
	struct io_uring_cqe cqe;
	struct ring r;
	int fds[2], i;

	ASSERT_EQ(0, ring_init(&r, 16, NULL));
	ASSERT_EQ(0, pipe(fds));
	prep_provide(&r, bufs, BUFSZ, 8, BGID, 10);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(0, cqe.res);

	/* two reads take two buffers, in the order provided */
	for (i = 0; i < 2; i++) {
		memset(data, 'a' + i, sizeof(data));
		ASSERT_EQ(5, write(fds[1], data, 5));
		prep_select_read(&r, IORING_OP_READ, fds[0], 0, BGID, i);
		ASSERT_EQ(0, ring_submit_one(&r, &cqe));
		ASSERT_EQ(5, cqe.res);
		ASSERT_TRUE(cqe.flags & IORING_CQE_F_BUFFER);
		ASSERT_EQ(10 + i, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
		ASSERT_EQ('a' + i, bufs[i * BUFSZ]);
	}
	/* a read that waits gives its buffer back meanwhile: same id */
	prep_select_read(&r, IORING_OP_READ, fds[0], 3, BGID, 5);
	ASSERT_EQ(1, ring_submit(&r));
	ASSERT_EQ(3, write(fds[1], "xyz", 3));
	ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
	ASSERT_EQ(3, cqe.res);
	ASSERT_EQ(12, cqe.flags >> IORING_CQE_BUFFER_SHIFT);

	/* remove: how many were there, then none; a missing group */
	ring_rw(&r, IORING_OP_REMOVE_BUFFERS, 100, NULL, 0, 0, 1)->buf_group = BGID;
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(5, cqe.res);
	ring_rw(&r, IORING_OP_REMOVE_BUFFERS, 1, NULL, 0, 0, 1)->buf_group = BGID + 1;
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(-ENOENT, cqe.res);
	/* an empty group: -ENOBUFS, and the data stays in the pipe */
	ASSERT_EQ(1, write(fds[1], "q", 1));
	prep_select_read(&r, IORING_OP_READ, fds[0], 0, BGID, 1);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(-ENOBUFS, cqe.res);
	ASSERT_FALSE(cqe.flags & IORING_CQE_F_BUFFER);

	/* bad input */
	prep_provide(&r, bufs, BUFSZ, 0, BGID, 0);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(-E2BIG, cqe.res);
	prep_provide(&r, bufs, BUFSZ, 1, BGID, 70000);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(-E2BIG, cqe.res);
	prep_provide(&r, (void *)-4096L, BUFSZ, 8, BGID, 0);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_LT(cqe.res, 0);
	/* BUFFER_SELECT on an op that cannot take one */
	ring_rw(&r, IORING_OP_WRITE, fds[1], NULL, 1, 0, 1)->flags |= IOSQE_BUFFER_SELECT;
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	ring_exit(&r);
	free(bufs);
}

TEST(buf_ring)
{
	struct io_uring_buf_status st = { .buf_group = BGID };
	struct io_uring_buf_reg reg = { .ring_entries = 8, .bgid = BGID };
	char *bufs = calloc(8, BUFSZ);
	struct io_uring_buf_ring *br;
	struct io_uring_cqe cqe;
	struct ring r;
	int fds[2], i;
	void *mem;

	ASSERT_EQ(0, ring_init(&r, 16, NULL));
	ASSERT_EQ(0, pipe(fds));
	br = buf_ring_user(&r, BGID, 8, 0);
	ASSERT_NE(NULL, br);
	/* registered twice; classic buffers into a ring group */
	reg.ring_addr = (uintptr_t)br;
	ASSERT_EQ(-EEXIST, sys_register(r.fd, IORING_REGISTER_PBUF_RING, &reg, 1));
	prep_provide(&r, bufs, BUFSZ, 1, BGID, 0);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);

	/* empty ring: -ENOBUFS */
	ASSERT_EQ(1, write(fds[1], "a", 1));
	prep_select_read(&r, IORING_OP_READ, fds[0], 0, BGID, 1);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(-ENOBUFS, cqe.res);

	for (i = 0; i < 4; i++)
		buf_ring_add(br, 8, bufs + i * BUFSZ, BUFSZ, 40 + i, i);
	buf_ring_advance(br, 4);
	for (i = 0; i < 3; i++) {
		if (i)
			ASSERT_EQ(1, write(fds[1], "b", 1));
		prep_select_read(&r, IORING_OP_READ, fds[0], 0, BGID, 1);
		ASSERT_EQ(0, ring_submit_one(&r, &cqe));
		ASSERT_EQ(1, cqe.res);
		ASSERT_EQ(40 + i, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	}
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_PBUF_STATUS, &st, 1));
	ASSERT_EQ(3, st.head);
	st.resv[0] = 1;
	ASSERT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_PBUF_STATUS, &st, 1));
	st.resv[0] = 0;
	st.buf_group = BGID + 1;
	ASSERT_EQ(-ENOENT, sys_register(r.fd, IORING_REGISTER_PBUF_STATUS, &st, 1));

	/* bad registrations */
	ASSERT_EQ(0, posix_memalign(&mem, 4096, 4096));
	reg = (struct io_uring_buf_reg) { .ring_addr = (uintptr_t)mem,
					  .ring_entries = 3, .bgid = 9 };
	ASSERT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_PBUF_RING, &reg, 1));
	reg.ring_entries = 65536;
	ASSERT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_PBUF_RING, &reg, 1));
	reg.ring_entries = 8;
	reg.ring_addr += 16;
	ASSERT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_PBUF_RING, &reg, 1));
	reg.ring_addr = 4096;
	ASSERT_GT(0, sys_register(r.fd, IORING_REGISTER_PBUF_RING, &reg, 1));
	reg.ring_addr = (uintptr_t)mem;
	reg.flags = IOU_PBUF_RING_MMAP;
	ASSERT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_PBUF_RING, &reg, 1));
	reg.flags = 0x80;
	ASSERT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_PBUF_RING, &reg, 1));
	reg.flags = 0;
	reg.resv[2] = 1;
	ASSERT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_PBUF_RING, &reg, 1));

	/* unregister: an unknown group, then ours; after it, -ENOBUFS */
	reg = (struct io_uring_buf_reg) { .bgid = 9 };
	ASSERT_EQ(-ENOENT, sys_register(r.fd, IORING_UNREGISTER_PBUF_RING, &reg, 1));
	reg.bgid = BGID;
	ASSERT_EQ(0, sys_register(r.fd, IORING_UNREGISTER_PBUF_RING, &reg, 1));
	prep_select_read(&r, IORING_OP_READ, fds[0], 0, BGID, 1);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(-ENOBUFS, cqe.res);
	ring_exit(&r);
	free(bufs);
	free(mem);
	free(br);
}

TEST(buf_ring_mmap_and_inc)
{
	struct io_uring_buf_reg reg = { .ring_entries = 4, .bgid = 3,
					.flags = IOU_PBUF_RING_MMAP | IOU_PBUF_RING_INC };
	struct io_uring_buf_ring *br;
	struct io_uring_cqe cqe;
	char *buf = calloc(1, 4096);
	struct ring r;
	int fds[2];

	ASSERT_EQ(0, ring_init(&r, 16, NULL));
	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_PBUF_RING, &reg, 1));
	br = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, r.fd,
		  IORING_OFF_PBUF_RING | (3ULL << IORING_OFF_PBUF_SHIFT));
	ASSERT_NE(MAP_FAILED, br);
	/* a group that is not a kernel-allocated ring cannot be mapped */
	ASSERT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED, r.fd,
				   IORING_OFF_PBUF_RING | (4ULL << IORING_OFF_PBUF_SHIFT)));

	buf_ring_add(br, 4, buf, 4096, 1, 0);
	buf_ring_advance(br, 1);
	/* incremental: two reads share the buffer, the second after the first */
	ASSERT_EQ(100, write(fds[1], buf + 1000, 100));
	prep_select_read(&r, IORING_OP_READ, fds[0], 0, 3, 1);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(100, cqe.res);
	ASSERT_EQ(1, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	ASSERT_TRUE(cqe.flags & IORING_CQE_F_BUF_MORE);
	ASSERT_EQ((uintptr_t)buf + 100, br->bufs[0].addr);
	ASSERT_EQ(4096 - 100, br->bufs[0].len);
	ASSERT_EQ(50, write(fds[1], "0123456789012345678901234567890123456789012345678901", 50));
	prep_select_read(&r, IORING_OP_READ, fds[0], 0, 3, 2);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(50, cqe.res);
	ASSERT_EQ(1, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	ASSERT_EQ(0, memcmp(buf + 100, "0123456789", 10));

	munmap(br, 4096);
	/* the mapping is gone with the ring; closing it unmaps nothing else */
	reg = (struct io_uring_buf_reg) { .bgid = 3 };
	ASSERT_EQ(0, sys_register(r.fd, IORING_UNREGISTER_PBUF_RING, &reg, 1));
	ring_exit(&r);
	free(buf);
}

/*
 * min_left (backported to 6.12.y): a partly used incremental buffer with
 * fewer bytes left than that is used up; only for IOU_PBUF_RING_INC.
 */
TEST(buf_ring_inc_min_left)
{
	struct io_uring_buf_reg reg = { .ring_entries = 4, .bgid = 5,
					.flags = IOU_PBUF_RING_MMAP,
					.min_left = 64 };
	struct io_uring_buf_ring *br;
	struct io_uring_cqe cqe;
	char *buf = calloc(1, 4096), data[200] = { 0 };
	struct ring r;
	int fds[2];

	ASSERT_EQ(0, ring_init(&r, 16, NULL));
	ASSERT_EQ(0, pipe(fds));
	/* not incremental: there is nothing to leave */
	ASSERT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_PBUF_RING, &reg, 1));
	reg.flags |= IOU_PBUF_RING_INC;
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_PBUF_RING, &reg, 1));
	br = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, r.fd,
		  IORING_OFF_PBUF_RING | (5ULL << IORING_OFF_PBUF_SHIFT));
	ASSERT_NE(MAP_FAILED, br);
	buf_ring_add(br, 4, buf, 256, 1, 0);
	buf_ring_add(br, 4, buf + 1024, 256, 2, 1);
	buf_ring_advance(br, 2);

	/* 100 of 256 used, 156 left: still buffer 1, with more to come */
	ASSERT_EQ(100, write(fds[1], data, 100));
	prep_select_read(&r, IORING_OP_READ, fds[0], 0, 5, 1);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(100, cqe.res);
	ASSERT_EQ(1, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	ASSERT_TRUE(cqe.flags & IORING_CQE_F_BUF_MORE);
	ASSERT_EQ(156, br->bufs[0].len);
	/* 100 more: 56 left is under 64, so buffer 1 is done */
	ASSERT_EQ(100, write(fds[1], data, 100));
	prep_select_read(&r, IORING_OP_READ, fds[0], 0, 5, 2);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(100, cqe.res);
	ASSERT_EQ(1, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	ASSERT_FALSE(cqe.flags & IORING_CQE_F_BUF_MORE);
	/* the next read takes buffer 2 */
	ASSERT_EQ(10, write(fds[1], data, 10));
	prep_select_read(&r, IORING_OP_READ, fds[0], 0, 5, 3);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(10, cqe.res);
	ASSERT_EQ(2, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	ASSERT_TRUE(cqe.flags & IORING_CQE_F_BUF_MORE);

	munmap(br, 4096);
	ring_exit(&r);
	close(fds[0]);
	close(fds[1]);
	free(buf);
}

/* Mapped, then unregistered: the pages stay valid until unmapped. */
TEST(buf_ring_mmap_outlives_unregister)
{
	struct io_uring_buf_reg reg = { .ring_entries = 8, .bgid = 1,
					.flags = IOU_PBUF_RING_MMAP };
	struct io_uring_buf_ring *br;
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_PBUF_RING, &reg, 1));
	br = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, r.fd,
		  IORING_OFF_PBUF_RING | (1ULL << IORING_OFF_PBUF_SHIFT));
	ASSERT_NE(MAP_FAILED, br);
	reg.flags = 0;
	ASSERT_EQ(0, sys_register(r.fd, IORING_UNREGISTER_PBUF_RING, &reg, 1));
	ring_exit(&r);
	/* still our page: writing it is harmless */
	memset(br, 0x5a, 4096);
	ASSERT_EQ(0x5a, ((unsigned char *)br)[4095]);
	munmap(br, 4096);
}

/*
 * The multishot RECV tests' start: a ring, a stream socket pair, and
 * group BGID of 16 buffers of BUFSZ in @bufs. NULL if any step failed.
 */
static struct io_uring_buf_ring *recv_mshot_setup(struct ring *r, int sv[2],
						  char *bufs)
{
	struct io_uring_buf_ring *br;
	int i;

	if (ring_init(r, 16, NULL) || socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return NULL;
	br = buf_ring_user(r, BGID, 16, 0);
	if (!br)
		return NULL;
	for (i = 0; i < 16; i++)
		buf_ring_add(br, 16, bufs + i * BUFSZ, BUFSZ, i, i);
	buf_ring_advance(br, 16);
	return br;
}

TEST(recv_multishot)
{
	char *bufs = calloc(16, BUFSZ);
	struct io_uring_buf_ring *br;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct ring r;
	int sv[2], i, seen = 0;

	br = recv_mshot_setup(&r, sv, bufs);
	ASSERT_NE(NULL, br);

	sqe = prep_select_read(&r, IORING_OP_RECV, sv[0], 0, BGID, 9);
	sqe->ioprio = IORING_RECV_MULTISHOT;
	ASSERT_EQ(1, ring_submit(&r));
	for (i = 0; i < 3; i++) {
		char msg[8];

		snprintf(msg, sizeof(msg), "msg%d", i);
		ASSERT_EQ(4, write(sv[1], msg, 4));
		ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
		ASSERT_EQ(9, cqe.user_data);
		ASSERT_EQ(4, cqe.res);
		ASSERT_TRUE(cqe.flags & IORING_CQE_F_MORE);
		ASSERT_TRUE(cqe.flags & IORING_CQE_F_BUFFER);
		ASSERT_EQ(0, memcmp(bufs + (cqe.flags >> 16) * BUFSZ, msg, 4));
		seen |= 1 << (cqe.flags >> 16);
	}
	ASSERT_EQ(7, seen);
	/* end of stream: a last CQE, no F_MORE, no buffer taken */
	close(sv[1]);
	ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
	ASSERT_EQ(0, cqe.res);
	ASSERT_FALSE(cqe.flags & IORING_CQE_F_MORE);
	ASSERT_FALSE(cqe.flags & IORING_CQE_F_BUFFER);

	/* multishot wants a buffer group and no MSG_WAITALL */
	sqe = ring_rw(&r, IORING_OP_RECV, sv[0], NULL, 0, 0, 1);
	sqe->ioprio = IORING_RECV_MULTISHOT;
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	sqe = prep_select_read(&r, IORING_OP_RECV, sv[0], 0, BGID, 1);
	sqe->ioprio = IORING_RECV_MULTISHOT;
	sqe->msg_flags = MSG_WAITALL;
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	ring_exit(&r);
	close(sv[0]);
	free(bufs);
	free(br);
}

/*
 * IOSQE_ASYNC: an io worker runs the multishot, blocking in each receive
 * and posting each CQE under the ring's uring_lock, which it takes (it
 * holds none): every message still gets its CQE, in order.
 */
TEST(recv_multishot_in_an_io_worker_posts_each_cqe)
{
	char *bufs = calloc(16, BUFSZ);
	struct io_uring_buf_ring *br;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct ring r;
	int sv[2], i;

	br = recv_mshot_setup(&r, sv, bufs);
	ASSERT_NE(NULL, br);

	sqe = prep_select_read(&r, IORING_OP_RECV, sv[0], 0, BGID, 9);
	sqe->ioprio = IORING_RECV_MULTISHOT;
	sqe->flags |= IOSQE_ASYNC;
	ASSERT_EQ(1, ring_submit(&r));
	for (i = 0; i < 5; i++) {
		char msg[8];

		snprintf(msg, sizeof(msg), "msg%d", i);
		ASSERT_EQ(4, write(sv[1], msg, 4));
		ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
		ASSERT_EQ(9, cqe.user_data);
		ASSERT_EQ(4, cqe.res);
		ASSERT_TRUE(cqe.flags & IORING_CQE_F_MORE);
		ASSERT_TRUE(cqe.flags & IORING_CQE_F_BUFFER);
		ASSERT_EQ(0, memcmp(bufs + (cqe.flags >> 16) * BUFSZ, msg, 4));
		/* a NOP meanwhile: the submitter and the worker share the CQ */
		ring_nop(&r, 2);
		ASSERT_EQ(0, ring_submit_one(&r, &cqe));
		ASSERT_EQ(2, cqe.user_data);
	}
	close(sv[1]);
	ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
	ASSERT_EQ(9, cqe.user_data);
	ASSERT_EQ(0, cqe.res);
	ASSERT_FALSE(cqe.flags & IORING_CQE_F_MORE);
	ring_exit(&r);
	close(sv[0]);
	free(bufs);
	free(br);
}

/*
 * Multishot RECV with a length (6.17): each receive takes at most len
 * bytes. A total (sqe->optlen) is not implemented: -EINVAL.
 */
TEST(recv_multishot_len_caps_each_receive)
{
	char *bufs = calloc(16, BUFSZ), data[100];
	struct io_uring_buf_ring *br;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int sv[2], i, total = 0;
	struct ring r;

	br = recv_mshot_setup(&r, sv, bufs);
	ASSERT_NE(NULL, br);
	for (i = 0; i < 100; i++)
		data[i] = i;

	ASSERT_EQ(100, write(sv[1], data, 100));
	sqe = prep_select_read(&r, IORING_OP_RECV, sv[0], 30, BGID, 10);
	sqe->ioprio = IORING_RECV_MULTISHOT;
	ASSERT_EQ(1, ring_submit(&r));
	for (; total < 100; total += cqe.res) {
		ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
		ASSERT_EQ(10, cqe.user_data);
		ASSERT_EQ(total < 90 ? 30 : 10, cqe.res);
		ASSERT_TRUE(cqe.flags & IORING_CQE_F_MORE);
		ASSERT_EQ(0, memcmp(bufs + (cqe.flags >> 16) * BUFSZ,
				    data + total, cqe.res));
	}
	close(sv[1]);
	ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
	ASSERT_EQ(0, cqe.res);
	ASSERT_FALSE(cqe.flags & IORING_CQE_F_MORE);

	ring_exit(&r);
	close(sv[0]);
	free(bufs);
	free(br);
}

/* optlen: a multishot RECV's total; the receive that reaches it is the last */
TEST(recv_multishot_optlen_ends_it_at_a_total)
{
	char *bufs = calloc(16, BUFSZ), data[48];
	struct io_uring_buf_ring *br;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int sv[2], i;
	struct ring r;

	br = recv_mshot_setup(&r, sv, bufs);
	ASSERT_NE(NULL, br);
	memset(data, 'x', sizeof(data));

	sqe = prep_select_read(&r, IORING_OP_RECV, sv[0], 0, BGID, 12);
	sqe->ioprio = IORING_RECV_MULTISHOT;
	sqe->optlen = 100;
	ASSERT_EQ(1, ring_submit(&r));
	/* 48, 96: below the total; 144: past it, and the end */
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(48, write(sv[1], data, 48));
		ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
		ASSERT_EQ(12, cqe.user_data);
		ASSERT_EQ(48, cqe.res);
		ASSERT_EQ(i < 2, !!(cqe.flags & IORING_CQE_F_MORE));
		ASSERT_TRUE(cqe.flags & IORING_CQE_F_BUFFER);
	}
	/* nothing more is received: the next write stays in the socket */
	ASSERT_EQ(48, write(sv[1], data, 48));
	ASSERT_EQ(0, sys_enter(r.fd, 0, 0, IORING_ENTER_GETEVENTS, NULL, 0));
	ASSERT_EQ(0, ring_cq_ready(&r));
	ASSERT_EQ(48, recv(sv[0], bufs, BUFSZ, MSG_DONTWAIT));

	/* only a multishot RECV takes one */
	sqe = prep_select_read(&r, IORING_OP_RECV, sv[0], 0, BGID, 13);
	sqe->optlen = 25;
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	sqe = prep_select_read(&r, IORING_OP_RECVMSG, sv[0], 0, BGID, 14);
	sqe->ioprio = IORING_RECV_MULTISHOT;
	sqe->optlen = 25;
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	ring_exit(&r);
	close(sv[0]);
	close(sv[1]);
	free(bufs);
	free(br);
}

/* Running out of buffers ends a multishot receive with -ENOBUFS. */
TEST(recv_multishot_enobufs_and_cancel)
{
	char *bufs = calloc(2, BUFSZ);
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct ring r;
	int sv[2];

	ASSERT_EQ(0, ring_init(&r, 16, NULL));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	prep_provide(&r, bufs, BUFSZ, 2, BGID, 0);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	sqe = prep_select_read(&r, IORING_OP_RECV, sv[0], 0, BGID, 9);
	sqe->ioprio = IORING_RECV_MULTISHOT;
	ASSERT_EQ(1, ring_submit(&r));
	ASSERT_EQ(1, write(sv[1], "a", 1));
	ASSERT_EQ(1, write(sv[1], "b", 1));
	ASSERT_EQ(1, write(sv[1], "c", 1));
	ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
	ASSERT_EQ(1, cqe.res);
	ASSERT_TRUE(cqe.flags & IORING_CQE_F_MORE);
	ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
	ASSERT_EQ(1, cqe.res);
	ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
	ASSERT_EQ(-ENOBUFS, cqe.res);
	ASSERT_FALSE(cqe.flags & IORING_CQE_F_MORE);

	/* and a cancelled one ends with -ECANCELED */
	prep_provide(&r, bufs, BUFSZ, 2, BGID, 0);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(1, read(sv[0], bufs, 1));
	sqe = prep_select_read(&r, IORING_OP_RECV, sv[0], 0, BGID, 9);
	sqe->ioprio = IORING_RECV_MULTISHOT;
	ASSERT_EQ(1, ring_submit(&r));
	sqe = ring_get_sqe(&r);
	sqe->opcode = IORING_OP_ASYNC_CANCEL;
	sqe->addr = 9;
	sqe->user_data = 10;
	ASSERT_EQ(1, ring_submit(&r));
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
		/* the cancelled receive, and the cancel that found it */
		ASSERT_EQ(cqe.user_data == 9 ? -ECANCELED : 0, cqe.res);
	}
	ring_exit(&r);
	close(sv[0]);
	close(sv[1]);
	free(bufs);
}

TEST(recvmsg_multishot_layout)
{
	char *bufs = calloc(4, 256);
	struct io_uring_recvmsg_out *out;
	struct msghdr msg = { .msg_namelen = 0, .msg_controllen = 0 };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct ring r;
	int sv[2];

	ASSERT_EQ(0, ring_init(&r, 16, NULL));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	prep_provide(&r, bufs, 256, 4, BGID, 0);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	sqe = prep_select_read(&r, IORING_OP_RECVMSG, sv[0], 1, BGID, 9);
	sqe->addr = (uintptr_t)&msg;
	sqe->ioprio = IORING_RECV_MULTISHOT;
	ASSERT_EQ(1, ring_submit(&r));
	ASSERT_EQ(5, write(sv[1], "hello", 5));
	ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
	ASSERT_EQ(sizeof(*out) + 5, cqe.res);
	ASSERT_TRUE(cqe.flags & IORING_CQE_F_MORE);
	out = (void *)(bufs + (cqe.flags >> 16) * 256);
	ASSERT_EQ(5, out->payloadlen);
	ASSERT_EQ(0, memcmp(out + 1, "hello", 5));
	ring_exit(&r);
	close(sv[0]);
	close(sv[1]);
	free(bufs);
}

TEST(read_multishot)
{
	char *bufs = calloc(8, BUFSZ);
	struct io_uring_cqe cqe;
	struct ring r;
	int fds[2], fd, i;

	ASSERT_EQ(0, ring_init(&r, 16, NULL));
	ASSERT_EQ(0, pipe(fds));
	prep_provide(&r, bufs, BUFSZ, 8, BGID, 0);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	prep_select_read(&r, IORING_OP_READ_MULTISHOT, fds[0], 0, BGID, 9);
	ASSERT_EQ(1, ring_submit(&r));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(3, write(fds[1], "abc", 3));
		ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
		ASSERT_EQ(3, cqe.res);
		ASSERT_TRUE(cqe.flags & IORING_CQE_F_MORE);
		ASSERT_EQ(i, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	}
	close(fds[1]);
	ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
	ASSERT_EQ(0, cqe.res);
	ASSERT_FALSE(cqe.flags & IORING_CQE_F_MORE);

	/* without a buffer group; on a file that cannot be polled */
	ring_rw(&r, IORING_OP_READ_MULTISHOT, fds[0], NULL, 0, 0, 1);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	fd = open("/proc/self/status", O_RDONLY);
	ASSERT_LE(0, fd);
	prep_select_read(&r, IORING_OP_READ_MULTISHOT, fd, 0, BGID, 1);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(-EBADFD, cqe.res);
	close(fd);
	ring_exit(&r);
	free(bufs);
}

TEST(recv_bundle)
{
	char *bufs = calloc(8, 16), data[40];
	struct io_uring_buf_ring *br;
	struct io_uring_params p = { };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct ring r;
	int sv[2], i;

	ASSERT_EQ(0, ring_init(&r, 16, &p));
	ASSERT_TRUE(p.features & IORING_FEAT_RECVSEND_BUNDLE);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	br = buf_ring_user(&r, BGID, 8, 0);
	ASSERT_NE(NULL, br);
	for (i = 0; i < 8; i++)
		buf_ring_add(br, 8, bufs + i * 16, 16, 20 + i, i);
	buf_ring_advance(br, 8);
	for (i = 0; i < 40; i++)
		data[i] = i;
	ASSERT_EQ(40, write(sv[1], data, 40));
	sqe = prep_select_read(&r, IORING_OP_RECV, sv[0], 0, BGID, 9);
	sqe->ioprio = IORING_RECVSEND_BUNDLE;
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	/* 40 bytes over three consecutive 16-byte buffers */
	ASSERT_EQ(40, cqe.res);
	ASSERT_EQ(20, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	ASSERT_EQ(0, memcmp(bufs, data, 40));
	/* the next receive starts at the fourth buffer */
	ASSERT_EQ(1, write(sv[1], "z", 1));
	prep_select_read(&r, IORING_OP_RECV, sv[0], 0, BGID, 9);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(23, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	/* a bundle needs provided buffers */
	sqe = ring_rw(&r, IORING_OP_RECV, sv[0], data, 4, 0, 1);
	sqe->ioprio = IORING_RECVSEND_BUNDLE;
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	ring_exit(&r);
	close(sv[0]);
	close(sv[1]);
	free(bufs);
	free(br);
}

/* A child exits with a multishot receive armed and buffers held. */
TEST(exit_with_multishot)
{
	int status, i;

	for (i = 0; i < 20; i++) {
		pid_t pid = fork();

		ASSERT_LE(0, pid);
		if (!pid) {
			char *bufs = calloc(4, BUFSZ);
			struct io_uring_cqe cqe;
			struct io_uring_sqe *sqe;
			struct ring r;
			int sv[2];

			if (ring_init(&r, 8, NULL) ||
			    socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
				_exit(1);
			prep_provide(&r, bufs, BUFSZ, 4, BGID, 0);
			if (ring_submit_one(&r, &cqe) || cqe.res)
				_exit(2);
			sqe = prep_select_read(&r, IORING_OP_RECV, sv[0], 0, BGID, 9);
			sqe->ioprio = IORING_RECV_MULTISHOT;
			ring_submit(&r);
			if (i & 1)
				write(sv[1], "x", 1);
			_exit(0);
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_EQ(0, WEXITSTATUS(status));
	}
}

/*
 * A bundle on an incremental buffer ring (6.15): a receive takes as many
 * buffers as it fills, the last one perhaps in part (IORING_CQE_F_BUF_MORE),
 * and the next receive goes on in that one where this one stopped.
 */
TEST(recv_bundle_on_an_incremental_ring)
{
	char *bufs = calloc(4, 64), data[150];
	struct io_uring_buf_ring *br;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int sv[2], i;
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	br = buf_ring_user(&r, BGID, 4, IOU_PBUF_RING_INC);
	ASSERT_NE(NULL, br);
	for (i = 0; i < 4; i++)
		buf_ring_add(br, 4, bufs + i * 64, 64, i, i);
	buf_ring_advance(br, 4);
	for (i = 0; i < 150; i++)
		data[i] = i;

	/* 100 bytes: buffer 0 whole, 36 of buffer 1 */
	ASSERT_EQ(100, write(sv[1], data, 100));
	sqe = prep_select_read(&r, IORING_OP_RECV, sv[0], 0, BGID, 1);
	sqe->ioprio = IORING_RECVSEND_BUNDLE;
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(100, cqe.res);
	EXPECT_EQ(0, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	EXPECT_TRUE(cqe.flags & IORING_CQE_F_BUF_MORE);
	EXPECT_EQ(0, memcmp(bufs, data, 100));
	/* 20 more: on in buffer 1, after the 36 */
	ASSERT_EQ(20, write(sv[1], data + 100, 20));
	sqe = prep_select_read(&r, IORING_OP_RECV, sv[0], 0, BGID, 2);
	sqe->ioprio = IORING_RECVSEND_BUNDLE;
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(20, cqe.res);
	EXPECT_EQ(1, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	EXPECT_TRUE(cqe.flags & IORING_CQE_F_BUF_MORE);
	EXPECT_EQ(0, memcmp(bufs + 64 + 36, data + 100, 20));
	/* 150: the 8 left of buffer 1 and buffers 2 and 3, used up */
	ASSERT_EQ(150, write(sv[1], data, 150));
	sqe = prep_select_read(&r, IORING_OP_RECV, sv[0], 0, BGID, 3);
	sqe->ioprio = IORING_RECVSEND_BUNDLE;
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(136, cqe.res);
	EXPECT_EQ(1, cqe.flags >> IORING_CQE_BUFFER_SHIFT);
	EXPECT_FALSE(cqe.flags & IORING_CQE_F_BUF_MORE);
	EXPECT_EQ(0, memcmp(bufs + 64 + 56, data, 8));
	EXPECT_EQ(0, memcmp(bufs + 128, data + 8, 128));
	ring_exit(&r);
	close(sv[0]);
	close(sv[1]);
	free(bufs);
	free(br);
}

TEST_HARNESS_MAIN
