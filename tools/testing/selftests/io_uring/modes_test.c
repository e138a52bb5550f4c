// SPDX-License-Identifier: GPL-2.0
/*
 * Ring modes: IORING_SETUP_NO_MMAP, NO_SQARRAY, REGISTERED_FD_ONLY,
 * DEFER_TASKRUN, and polled completions (IOPOLL) on null_blk, plus
 * IORING_OP_URING_CMD with NVMe passthrough (/dev/ng0n1) with and
 * without IOPOLL. Devices that are not there are skipped.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <poll.h>
#include <linux/nvme_ioctl.h>

#include "../kselftest_harness.h"
#include "ring.h"

#define NULLB	"/dev/nullb0"
#define NVME_NG	"/dev/ng0n1"

/* Rings and SQEs in our memory (NO_MMAP): point the ring at it. */
static int ring_init_mem(struct ring *r, unsigned int entries,
			 unsigned int flags, void *mem, void *sqes)
{
	memset(r, 0, sizeof(*r));
	r->p.flags = flags | IORING_SETUP_NO_MMAP;
	r->p.cq_off.user_addr = (uintptr_t)mem;
	r->p.sq_off.user_addr = (uintptr_t)sqes;
	r->fd = sys_setup(entries, &r->p);
	if (r->fd < 0)
		return r->fd;
	r->rings = mem;
	r->sqes = sqes;
	r->sq_head = RING_U32(r, r->p.sq_off.head);
	r->sq_tail = RING_U32(r, r->p.sq_off.tail);
	r->sq_mask = RING_U32(r, r->p.sq_off.ring_mask);
	r->sq_array = RING_U32(r, r->p.sq_off.array);
	r->sq_flags = RING_U32(r, r->p.sq_off.flags);
	r->cq_head = RING_U32(r, r->p.cq_off.head);
	r->cq_tail = RING_U32(r, r->p.cq_off.tail);
	r->cq_mask = RING_U32(r, r->p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)((char *)mem + r->p.cq_off.cqes);
	r->sqe_tail = *r->sq_tail;
	return 0;
}

TEST(no_mmap_no_sqarray)
{
	void *mem, *sqes;
	struct io_uring_cqe cqe;
	struct ring r;
	int i;

	ASSERT_EQ(0, posix_memalign(&mem, 4096, 16384));
	ASSERT_EQ(0, posix_memalign(&sqes, 4096, 4096));
	memset(mem, 0, 16384);
	ASSERT_EQ(0, ring_init_mem(&r, 8, IORING_SETUP_NO_SQARRAY, mem, sqes));
	ASSERT_EQ(0, r.p.sq_off.array);
	ASSERT_EQ((uintptr_t)mem, r.p.cq_off.user_addr);
	/* the fd cannot be mapped: the rings are ours */
	ASSERT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED, r.fd, 0));
	for (i = 0; i < 20; i++) {
		ring_nop(&r, i);
		ASSERT_EQ(0, ring_submit_one(&r, &cqe));
		ASSERT_EQ(i, cqe.user_data);
	}
	ring_exit(&r);
	r.rings = NULL;
	/* bad user memory: unaligned, unmapped */
	ASSERT_EQ(-EINVAL, ring_init_mem(&r, 8, 0, (char *)mem + 64, sqes));
	ASSERT_GT(0, ring_init_mem(&r, 8, 0, (void *)4096, sqes));
	free(mem);
	free(sqes);
}

TEST(registered_fd_only)
{
	void *mem, *sqes;
	struct io_uring_params p = { .flags = IORING_SETUP_REGISTERED_FD_ONLY };
	struct io_uring_cqe cqe;
	struct ring r;
	int idx;

	/* without NO_MMAP the rings could not be reached */
	ASSERT_EQ(-EINVAL, sys_setup(4, &p));
	ASSERT_EQ(0, posix_memalign(&mem, 4096, 16384));
	ASSERT_EQ(0, posix_memalign(&sqes, 4096, 4096));
	memset(mem, 0, 16384);
	idx = ring_init_mem(&r, 4, IORING_SETUP_REGISTERED_FD_ONLY, mem, sqes);
	ASSERT_LE(0, idx);
	ASSERT_GT(16, idx);
	ring_nop(&r, 5);
	ASSERT_EQ(1, sys_enter(idx, ring_flush_sq(&r), 1,
			       IORING_ENTER_GETEVENTS | IORING_ENTER_REGISTERED_RING,
			       NULL, 0));
	ASSERT_TRUE(ring_peek_cqe(&r, &cqe, NULL));
	ASSERT_EQ(5, cqe.user_data);
	/* register through the index too */
	ASSERT_LT(0, sys_register(idx, IORING_REGISTER_PERSONALITY |
					IORING_REGISTER_USE_REGISTERED_RING,
				  NULL, 0));
	free(mem);
	free(sqes);
}

static void *other_task_wait(void *arg)
{
	struct ring *r = arg;

	return (void *)(long)sys_enter(r->fd, 0, 1, IORING_ENTER_GETEVENTS,
				       NULL, 0);
}

TEST(defer_taskrun)
{
	struct io_uring_params p = { .flags = IORING_SETUP_DEFER_TASKRUN };
	struct io_uring_cqe cqe;
	struct ring r;
	pthread_t thr;
	void *res;
	int fds[2], i;
	char c;

	/* deferred work needs its one issuer */
	ASSERT_EQ(-EINVAL, sys_setup(4, &p));
	p.flags |= IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_TASKRUN_FLAG;
	ASSERT_EQ(0, ring_init(&r, 8, &p));
	ASSERT_EQ(0, pipe(fds));
	ring_rw(&r, IORING_OP_READ, fds[0], &c, 1, 0, 1);
	ASSERT_EQ(1, ring_submit(&r));
	ASSERT_EQ(1, write(fds[1], "d", 1));
	/* the wakeup queues the read's task work on the ring */
	for (i = 0; i < 2000 && !(__atomic_load_n(r.sq_flags, __ATOMIC_ACQUIRE) &
				  IORING_SQ_TASKRUN); i++)
		usleep(1000);
	/* ready, but not run until we ask: the flag says there is work */
	ASSERT_EQ(0, ring_cq_ready(&r));
	ASSERT_TRUE(*r.sq_flags & IORING_SQ_TASKRUN);
	/* another task may not run it */
	ASSERT_EQ(0, pthread_create(&thr, NULL, other_task_wait, &r));
	ASSERT_EQ(0, pthread_join(thr, &res));
	ASSERT_EQ(-EEXIST, (long)res);
	ASSERT_EQ(0, sys_enter(r.fd, 0, 0, IORING_ENTER_GETEVENTS, NULL, 0));
	ASSERT_EQ(1, ring_cq_ready(&r));
	ASSERT_TRUE(ring_peek_cqe(&r, &cqe, NULL));
	ASSERT_EQ(1, cqe.res);
	ASSERT_FALSE(*r.sq_flags & IORING_SQ_TASKRUN);
	/* min_complete is honoured: two reads, wait for both */
	ring_rw(&r, IORING_OP_READ, fds[0], &c, 1, 0, 2);
	ring_rw(&r, IORING_OP_READ, fds[0], &c, 1, 0, 3);
	ASSERT_EQ(2, ring_submit(&r));
	ASSERT_EQ(2, write(fds[1], "ef", 2));
	ASSERT_EQ(0, sys_enter(r.fd, 0, 2, IORING_ENTER_GETEVENTS, NULL, 0));
	ASSERT_EQ(2, ring_cq_ready(&r));
	ring_exit(&r);
	close(fds[0]);
	close(fds[1]);
}

TEST(iopoll_bad_input)
{
	struct io_uring_params p = { .flags = IORING_SETUP_IOPOLL };
	struct io_uring_cqe cqe;
	struct ring r;
	int fds[2];
	char buf[16];

	ASSERT_EQ(0, ring_init(&r, 8, &p));
	ASSERT_EQ(0, pipe(fds));
	/* a file that cannot be polled for completions */
	ring_rw(&r, IORING_OP_READ, fds[0], buf, 1, 0, 1);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(-EOPNOTSUPP, cqe.res);
	/* an op that is not polled I/O */
	ring_rw(&r, IORING_OP_POLL_ADD, fds[0], NULL, 0, 0, 2)->poll32_events = POLLIN;
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(-EINVAL, cqe.res);
	/* NOP is fine */
	ring_nop(&r, 3);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(0, cqe.res);
	/* a command on a file without ->uring_cmd */
	ring_rw(&r, IORING_OP_URING_CMD, fds[0], NULL, 0, 0, 4);
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_EQ(-EOPNOTSUPP, cqe.res);
	ring_exit(&r);
	close(fds[0]);
	close(fds[1]);
}

/* 16 polled 4k reads of null_blk submitted; with @wait, all reaped */
static void nullb_reads(struct __test_metadata *_metadata, struct ring *r,
			int fd, void *buf, bool wait)
{
	struct io_uring_cqe cqe;
	int i;

	for (i = 0; i < 16; i++)
		ring_rw(r, IORING_OP_READ, fd, (char *)buf + i * 4096, 4096,
			i * 4096, i);
	ASSERT_EQ(16, ring_submit(r));
	for (i = 0; wait && i < 16; i++) {
		ASSERT_EQ(0, ring_wait_cqe(r, &cqe));
		ASSERT_EQ(4096, cqe.res);
	}
}

TEST(iopoll_nullb)
{
	struct io_uring_params p = { .flags = IORING_SETUP_IOPOLL };
	struct ring r;
	void *buf;
	int fd, i, status;
	pid_t pid;

	fd = open(NULLB, O_RDONLY | O_DIRECT);
	if (fd < 0)
		SKIP(return, NULLB " not available");
	ASSERT_EQ(0, posix_memalign(&buf, 4096, 4096 * 16));
	ASSERT_EQ(0, ring_init(&r, 16, &p));
	nullb_reads(_metadata, &r, fd, buf, true);
	/* closing the ring with polled reads in flight */
	nullb_reads(_metadata, &r, fd, buf, false);
	ring_exit(&r);
	/* ... and a task exiting with them */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (ring_init(&r, 16, &p))
			_exit(1);
		for (i = 0; i < 16; i++)
			ring_rw(&r, IORING_OP_READ, fd, (char *)buf + i * 4096,
				4096, i * 4096, i);
		ring_submit(&r);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	close(fd);
	free(buf);
}

/*
 * null_blk (as the guest loads it) completes a read inside the submission
 * itself, in the submitting task. Submitted alone (not plugged), such a
 * read is finished at once, without task_work: even on a DEFER_TASKRUN
 * ring, whose task_work waits for GETEVENTS, its CQE is there when the
 * submit returns. A plugged batch completes as the plug is flushed and
 * goes through task_work: a chain of them still runs in order.
 */
TEST(read_completed_at_submission_posts_before_the_submit_returns)
{
	struct io_uring_params p = {
		.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
	};
	struct io_uring_cqe cqe;
	struct ring r;
	void *buf;
	int fd, i;

	fd = open(NULLB, O_RDONLY | O_DIRECT);
	if (fd < 0)
		SKIP(return, NULLB " not available");
	ASSERT_EQ(0, posix_memalign(&buf, 4096, 4096 * 4));
	ASSERT_EQ(0, ring_init(&r, 8, &p));
	for (i = 0; i < 3; i++) {
		ring_rw(&r, IORING_OP_READ, fd, buf, 4096, i * 8192, i);
		/* submit only: no GETEVENTS */
		ASSERT_EQ(1, ring_submit(&r));
		ASSERT_EQ(1, ring_cq_ready(&r));
		ASSERT_TRUE(ring_peek_cqe(&r, &cqe, NULL));
		ASSERT_EQ(i, cqe.user_data);
		ASSERT_EQ(4096, cqe.res);
	}
	/* and nothing was left queued for the wait to run */
	ASSERT_EQ(0, sys_enter(r.fd, 0, 0, IORING_ENTER_GETEVENTS, NULL, 0));
	ASSERT_EQ(0, ring_cq_ready(&r));
	for (i = 0; i < 3; i++)
		ring_rw(&r, IORING_OP_READ, fd, (char *)buf + i * 4096, 4096,
			i * 4096, 10 + i)->flags |= IOSQE_IO_LINK;
	ring_nop(&r, 13);
	ASSERT_EQ(4, ring_submit_and_wait(&r, 4));
	for (i = 0; i < 4; i++) {
		ASSERT_TRUE(ring_peek_cqe(&r, &cqe, NULL));
		ASSERT_EQ(10 + i, cqe.user_data);
		ASSERT_EQ(i < 3 ? 4096 : 0, cqe.res);
	}
	ring_exit(&r);
	close(fd);
	free(buf);
}

/* IORING_SETUP_HYBRID_IOPOLL (6.13): sleep a while, then poll */
TEST(hybrid_iopoll_nullb)
{
	struct io_uring_params p = { .flags = IORING_SETUP_HYBRID_IOPOLL };
	struct ring r;
	void *buf;
	int fd, round;

	/* only with IOPOLL */
	ASSERT_EQ(-EINVAL, ring_init(&r, 16, &p));
	fd = open(NULLB, O_RDONLY | O_DIRECT);
	if (fd < 0)
		SKIP(return, NULLB " not available");
	ASSERT_EQ(0, posix_memalign(&buf, 4096, 4096 * 16));
	p = (struct io_uring_params){ .flags = IORING_SETUP_IOPOLL |
					       IORING_SETUP_HYBRID_IOPOLL };
	ASSERT_EQ(0, ring_init(&r, 16, &p));
	/* rounds after the first sleep for part of the measured wait */
	for (round = 0; round < 4; round++)
		nullb_reads(_metadata, &r, fd, buf, true);
	/* closed with polled reads in flight */
	nullb_reads(_metadata, &r, fd, buf, false);
	ring_exit(&r);
	close(fd);
	free(buf);
}

static void fill_nvme_read(struct io_uring_sqe *sqe, int fd, void *buf,
			   uint64_t ud)
{
	struct nvme_uring_cmd *cmd = (void *)sqe->cmd;

	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = NVME_URING_CMD_IO;
	sqe->user_data = ud;
	cmd->opcode = 0x02;	/* read */
	cmd->nsid = 1;
	cmd->addr = (uintptr_t)buf;
	cmd->data_len = 4096;
	cmd->cdw10 = 0;		/* LBA 0 */
	cmd->cdw12 = 0;		/* one block */
}

static void prep_nvme_read(struct ring *r, int fd, void *buf, uint64_t ud)
{
	fill_nvme_read(ring_get_sqe(r), fd, buf, ud);
}

static void do_nvme_passthrough(struct __test_metadata *_metadata,
				unsigned int extra)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SQE128 |
					      IORING_SETUP_CQE32 | extra };
	struct io_uring_cqe cqe;
	uint64_t big[2];
	struct ring r;
	void *buf;
	int fd, i;

	fd = open(NVME_NG, O_RDONLY);
	if (fd < 0)
		SKIP(return, NVME_NG " not available");
	ASSERT_EQ(0, posix_memalign(&buf, 4096, 4096 * 4));
	ASSERT_EQ(0, ring_init(&r, 8, &p));
	for (i = 0; i < 4; i++)
		prep_nvme_read(&r, fd, (char *)buf + i * 4096, i);
	ASSERT_EQ(4, ring_submit(&r));
	for (i = 0; i < 4; i++) {
		do {
			ASSERT_LE(0, sys_enter(r.fd, 0, 1, IORING_ENTER_GETEVENTS,
					       NULL, 0));
		} while (!ring_peek_cqe(&r, &cqe, big));
		ASSERT_EQ(0, cqe.res);
		ASSERT_GT(4, cqe.user_data);
	}
	/* without 128-byte SQEs the command does not fit: the driver says no */
	ring_exit(&r);
	p.flags = extra;
	ASSERT_EQ(0, ring_init(&r, 8, &p));
	ring_rw(&r, IORING_OP_URING_CMD, fd, NULL, 0, 0, 9)->cmd_op = NVME_URING_CMD_IO;
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	ASSERT_GT(0, cqe.res);
	ring_exit(&r);
	close(fd);
	free(buf);
}

TEST(nvme_passthrough)
{
	do_nvme_passthrough(_metadata, 0);
}

TEST(nvme_passthrough_iopoll)
{
	do_nvme_passthrough(_metadata, IORING_SETUP_IOPOLL);
}

/*
 * Mixed sizes: URING_CMD128 takes two 64-byte SQE slots (a URING_CMD in
 * one has no room for the command: the driver refuses it), and the
 * command's completion is a 32-byte CQE in two 16-byte CQE slots.
 */
TEST(nvme_passthrough_on_a_ring_of_mixed_sqe_and_cqe_sizes)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SQE_MIXED |
					      IORING_SETUP_CQE_MIXED };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct ring r;
	void *buf;
	int fd;

	fd = open(NVME_NG, O_RDONLY);
	if (fd < 0)
		SKIP(return, NVME_NG " not available");
	ASSERT_EQ(0, posix_memalign(&buf, 4096, 4096));
	ASSERT_EQ(0, ring_init(&r, 8, &p));
	sqe = ring_get_sqe(&r);
	ASSERT_NE(NULL, ring_get_sqe(&r));	/* the second half */
	fill_nvme_read(sqe, fd, buf, 7);
	sqe->opcode = IORING_OP_URING_CMD128;
	ASSERT_EQ(2, ring_submit_and_wait(&r, 1));
	ASSERT_EQ(2, *r.cq_tail);
	EXPECT_EQ(7, r.cqes[0].user_data);
	EXPECT_EQ(0, r.cqes[0].res);
	EXPECT_EQ(IORING_CQE_F_32, r.cqes[0].flags);
	*r.cq_head = 2;

	ring_rw(&r, IORING_OP_URING_CMD, fd, NULL, 0, 0, 8)->cmd_op =
		NVME_URING_CMD_IO;
	ASSERT_EQ(0, ring_submit_one(&r, &cqe));
	EXPECT_EQ(8, cqe.user_data);
	EXPECT_EQ(-EOPNOTSUPP, cqe.res);
	ring_exit(&r);
	close(fd);
	free(buf);
}

TEST_HARNESS_MAIN
