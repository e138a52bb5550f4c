// SPDX-License-Identifier: GPL-2.0
/*
 * A task's io_uring policy (upstream 7.0): restrictions and classic BPF
 * filters registered on fd -1, which every ring the task and its
 * descendants create afterwards obeys, over fork and exec, and which can
 * only get stricter; and BPF filters on a single ring. A denied request
 * completes with -EACCES and nothing of it runs, whichever way it is
 * issued; a sandboxed task cannot reach an unrestricted ring either.
 *
 * Each TEST runs in a process of its own (kselftest_harness forks), so
 * the policies it installs end with it.
 */
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/io_uring/bpf_filter.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include "../kselftest_harness.h"
#include "ring.h"

#define CTX_OFF_USER_DATA	0
#define CTX_OFF_OPCODE		8	/* word: opcode, sqe_flags << 8, pdu << 16 */
#define CTX_OFF_SOCK_FAMILY	16
#define CTX_OFF_SOCK_TYPE	20
#define CTX_OFF_OPEN_FLAGS	16

/* IORING_REGISTER_RESTRICTIONS on fd -1: header and entries */
struct task_res {
	struct io_uring_task_restriction hdr;
	struct io_uring_restriction res[8];
};

static int task_restrict(const struct io_uring_restriction *res,
			 unsigned int nr)
{
	struct task_res tr = { .hdr.nr_res = nr };

	memcpy(tr.res, res, nr * sizeof(*res));
	return sys_register(-1, IORING_REGISTER_RESTRICTIONS, &tr, 1);
}

/* Allow these opcodes only (and every register op). */
static int task_allow_ops(const int *ops, unsigned int nr)
{
	struct io_uring_restriction res[8] = { };
	unsigned int i;

	for (i = 0; i < nr; i++) {
		res[i].opcode = IORING_RESTRICTION_SQE_OP;
		res[i].sqe_op = ops[i];
	}
	/* and the register ops these tests use */
	for (i = 0; i < 4; i++, nr++) {
		static const int reg[] = { IORING_REGISTER_FILES,
			IORING_REGISTER_RING_FDS, IORING_REGISTER_BPF_FILTER,
			IORING_REGISTER_PROBE };

		res[nr].opcode = IORING_RESTRICTION_REGISTER_OP;
		res[nr].register_op = reg[i];
	}
	return task_restrict(res, nr);
}

static int filter(int fd, unsigned int opcode, unsigned int flags,
		  const struct sock_filter *insns, unsigned int len,
		  unsigned int pdu_size)
{
	struct io_uring_bpf bpf = {
		.cmd_type = IO_URING_BPF_CMD_FILTER,
		.filter = {
			.opcode = opcode,
			.flags = flags,
			.filter_len = len,
			.pdu_size = pdu_size,
			.filter_ptr = (uintptr_t)insns,
		},
	};

	return sys_register(fd, IORING_REGISTER_BPF_FILTER, &bpf, 1);
}

static const struct sock_filter allow_all[] = {
	BPF_STMT(BPF_RET | BPF_K, 1),
};

static const struct sock_filter deny_all[] = {
	BPF_STMT(BPF_RET | BPF_K, 0),
};

/* SOCKET: AF_UNIX only */
static const struct sock_filter unix_only[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, CTX_OFF_SOCK_FAMILY),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_UNIX, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 1),
	BPF_STMT(BPF_RET | BPF_K, 0),
};

/* SOCKET: AF_INET only */
static const struct sock_filter inet_only[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, CTX_OFF_SOCK_FAMILY),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 1),
	BPF_STMT(BPF_RET | BPF_K, 0),
};

/* SOCKET: stream sockets only (the type without its flags) */
static const struct sock_filter stream_only[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, CTX_OFF_SOCK_TYPE),
	BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xf),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SOCK_STREAM, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 1),
	BPF_STMT(BPF_RET | BPF_K, 0),
};

/* OPENAT/OPENAT2: no O_CREAT */
static const struct sock_filter no_creat[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, CTX_OFF_OPEN_FLAGS),
	BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, O_CREAT, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 0),
	BPF_STMT(BPF_RET | BPF_K, 1),
};

/* NOP: deny user_data 666, or any with IOSQE_ASYNC */
static const struct sock_filter nop_not_666[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, CTX_OFF_USER_DATA),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 666, 3, 0),
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, CTX_OFF_OPCODE),
	BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, IOSQE_ASYNC << 8, 1, 0),
	BPF_STMT(BPF_RET | BPF_K, 1),
	BPF_STMT(BPF_RET | BPF_K, 0),
};

#define FILTER(fd, op, flags, f, pdu) \
	filter(fd, op, flags, f, ARRAY_SIZE(f), pdu)

static int nnp(void)
{
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

/* One SQE through @r: its CQE's res. */
static int one(struct ring *r, struct io_uring_sqe *sqe)
{
	struct io_uring_cqe cqe;
	int ret;

	if (!sqe)
		return -ENOSPC;
	ret = ring_submit_one(r, &cqe);
	return ret ? ret : cqe.res;
}

static int socket_op(struct ring *r, int family, int type)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);
	int ret;

	sqe->opcode = IORING_OP_SOCKET;
	sqe->fd = family;
	sqe->off = type;
	ret = one(r, sqe);
	if (ret >= 0)
		close(ret);
	return ret;
}

static int openat_op(struct ring *r, const char *path, int flags)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);
	int ret;

	sqe->opcode = IORING_OP_OPENAT;
	sqe->fd = AT_FDCWD;
	sqe->addr = (uintptr_t)path;
	sqe->open_flags = flags;
	sqe->len = 0600;
	ret = one(r, sqe);
	if (ret >= 0)
		close(ret);
	return ret;
}

static int read_op(struct ring *r, int fd)
{
	static char buf[8];

	return one(r, ring_rw(r, IORING_OP_READ, fd, buf, sizeof(buf), 0, 1));
}

/*
 * The exec half of task_restriction_survives_fork_and_exec: run before
 * the harness's main when the environment says so.
 */
__attribute__((constructor)) static void exec_child(void)
{
	struct io_uring_restriction wide[3] = {
		{ .opcode = IORING_RESTRICTION_SQE_OP, .sqe_op = IORING_OP_NOP },
		{ .opcode = IORING_RESTRICTION_SQE_OP, .sqe_op = IORING_OP_READ },
		{ .opcode = IORING_RESTRICTION_SQE_OP, .sqe_op = IORING_OP_WRITE },
	};
	int fds[2];
	struct ring r;

	if (!getenv("IOU_POLICY_EXEC_CHILD"))
		return;
	/* after exec: READ allowed by the parent's set, WRITE not */
	if (ring_init(&r, 4, NULL) || pipe(fds))
		_exit(10);
	if (write(fds[1], "x", 1) != 1 || read_op(&r, fds[0]) != 1)
		_exit(11);
	if (one(&r, ring_rw(&r, IORING_OP_WRITE, fds[1], "y", 1, 0, 2)) !=
	    -EACCES)
		_exit(12);
	/* it cannot widen what it was given */
	if (task_restrict(wide, 3) != -EPERM)
		_exit(13);
	_exit(0);
}

TEST(task_restriction_applies_to_rings_created_after_it)
{
	const int ops[] = { IORING_OP_NOP };
	struct ring r;
	int fds[2];
	char c;

	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(0, nnp());
	ASSERT_EQ(0, task_allow_ops(ops, 1));
	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	/* nothing of a denied op runs: the pipe keeps its byte */
	ASSERT_EQ(1, write(fds[1], "x", 1));
	ASSERT_EQ(0, one(&r, ring_nop(&r, 1)));
	ASSERT_EQ(-EACCES, read_op(&r, fds[0]));
	ASSERT_EQ(-EACCES, one(&r, ring_rw(&r, IORING_OP_WRITE, fds[1], "y",
					   1, 0, 2)));
	ASSERT_EQ(1, read(fds[0], &c, 1));
	ASSERT_EQ('x', c);
	/* both SQEs of a batch are consumed, the denied one fails */
	ring_nop(&r, 3);
	ring_rw(&r, IORING_OP_READ, fds[0], &r, 1, 0, 4);
	ASSERT_EQ(2, ring_submit_and_wait(&r, 2));
	ring_exit(&r);
}

TEST(a_ring_made_before_the_policy_is_out_of_reach)
{
	const int ops[] = { IORING_OP_NOP };
	struct ring old;
	void *map;

	ASSERT_EQ(0, ring_init(&old, 4, NULL));
	ASSERT_EQ(0, nnp());
	ASSERT_EQ(0, task_allow_ops(ops, 1));
	/* it would take anything: enter, register and mmap are refused */
	ASSERT_EQ(-EACCES, sys_enter(old.fd, 0, 0, 0, NULL, 0));
	ASSERT_EQ(-EACCES, sys_register(old.fd, IORING_REGISTER_PROBE, NULL, 0));
	map = mmap(NULL, 4096, PROT_READ, MAP_SHARED, old.fd, IORING_OFF_SQ_RING);
	ASSERT_EQ(MAP_FAILED, map);
	ASSERT_EQ(EACCES, errno);
	ring_exit(&old);
}

TEST(task_restriction_survives_fork_and_exec)
{
	const int ops[] = { IORING_OP_NOP, IORING_OP_READ };
	int status;
	pid_t pid;

	ASSERT_EQ(0, nnp());
	ASSERT_EQ(0, task_allow_ops(ops, 2));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		setenv("IOU_POLICY_EXEC_CHILD", "1", 1);
		execl("/proc/self/exe", "policy_test", NULL);
		_exit(20);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
}

TEST(a_second_task_restriction_may_only_narrow)
{
	struct io_uring_restriction res[3] = {
		{ .opcode = IORING_RESTRICTION_SQE_OP, .sqe_op = IORING_OP_NOP },
		{ .opcode = IORING_RESTRICTION_SQE_OP, .sqe_op = IORING_OP_READ },
		{ .opcode = IORING_RESTRICTION_SQE_OP, .sqe_op = IORING_OP_WRITE },
	};
	struct io_uring_restriction more[2] = {
		{ .opcode = IORING_RESTRICTION_SQE_OP, .sqe_op = IORING_OP_NOP },
		{ .opcode = IORING_RESTRICTION_SQE_FLAGS_ALLOWED,
		  .sqe_flags = IOSQE_IO_LINK },
	};
	struct ring r;
	int fds[2];

	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(0, nnp());
	ASSERT_EQ(0, task_restrict(res, 2));
	/* the same set again (upstream: -EPERM), a wider one */
	ASSERT_EQ(-EPERM, task_restrict(res, 2));
	ASSERT_EQ(-EPERM, task_restrict(res, 3));
	/* a flag it did not allow before */
	ASSERT_EQ(-EPERM, task_restrict(more, 2));
	/* narrower: NOP only */
	ASSERT_EQ(0, task_restrict(res, 1));
	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	ASSERT_EQ(1, write(fds[1], "x", 1));
	ASSERT_EQ(-EACCES, read_op(&r, fds[0]));
	/* the register ops were all denied from the start */
	ASSERT_EQ(-EACCES, sys_register(r.fd, IORING_REGISTER_PROBE, NULL, 0));
	ring_exit(&r);
}

TEST(task_restriction_of_register_ops_and_flags)
{
	struct io_uring_restriction res[4] = {
		{ .opcode = IORING_RESTRICTION_SQE_OP, .sqe_op = IORING_OP_NOP },
		{ .opcode = IORING_RESTRICTION_REGISTER_OP,
		  .register_op = IORING_REGISTER_FILES },
		{ .opcode = IORING_RESTRICTION_SQE_FLAGS_ALLOWED,
		  .sqe_flags = IOSQE_IO_LINK },
		{ .opcode = IORING_RESTRICTION_SQE_FLAGS_REQUIRED,
		  .sqe_flags = IOSQE_CQE_SKIP_SUCCESS },
	};
	struct io_uring_params p = { .flags = IORING_SETUP_R_DISABLED };
	struct iovec iov = { .iov_base = res, .iov_len = 64 };
	struct io_uring_cqe cqe;
	struct ring r, d;
	int fds[2];

	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(0, nnp());
	ASSERT_EQ(0, task_restrict(res, 4));
	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_FILES, fds, 2));
	ASSERT_EQ(-EACCES, sys_register(r.fd, IORING_REGISTER_BUFFERS, &iov, 1));
	/* the required flag: no CQE when it succeeds; without it: denied */
	ring_nop(&r, 1)->flags = IOSQE_CQE_SKIP_SUCCESS;
	ring_nop(&r, 2);
	ASSERT_EQ(2, ring_submit_and_wait(&r, 1));
	ASSERT_TRUE(ring_peek_cqe(&r, &cqe, NULL));
	ASSERT_EQ(2, cqe.user_data);
	ASSERT_EQ(-EACCES, cqe.res);
	ring_nop(&r, 3)->flags = IOSQE_CQE_SKIP_SUCCESS | IOSQE_ASYNC;
	ASSERT_EQ(-EACCES, one(&r, r.sqes + ((r.sqe_tail - 1) & *r.sq_mask)));
	/* RESTRICTIONS and ENABLE_RINGS are not among its register ops */
	ASSERT_EQ(0, ring_init(&d, 4, &p));
	ASSERT_EQ(-EACCES, sys_register(d.fd, IORING_REGISTER_RESTRICTIONS,
					res, 1));
	ASSERT_EQ(-EACCES, sys_register(d.fd, IORING_REGISTER_ENABLE_RINGS,
					NULL, 0));
	ring_exit(&d);
	ring_exit(&r);
}

TEST(task_restriction_needs_no_new_privs_or_cap_sys_admin)
{
	struct io_uring_restriction res = { .opcode = IORING_RESTRICTION_SQE_OP,
					    .sqe_op = IORING_OP_NOP };

	/* as nobody, without no_new_privs: refused, filters too */
	ASSERT_EQ(0, setgid(65534));
	ASSERT_EQ(0, setuid(65534));
	ASSERT_EQ(-EACCES, task_restrict(&res, 1));
	ASSERT_EQ(-EACCES, FILTER(-1, IORING_OP_NOP, 0, deny_all, 0));
	ASSERT_EQ(0, nnp());
	ASSERT_EQ(0, task_restrict(&res, 1));
	ASSERT_EQ(0, FILTER(-1, IORING_OP_NOP, 0, deny_all, 0));
}

TEST(bad_task_restrictions)
{
	struct task_res tr = {
		.hdr.nr_res = 1,
		.res[0] = { .opcode = IORING_RESTRICTION_SQE_OP,
			    .sqe_op = IORING_OP_NOP },
	};
	struct ring r;
	int fds[2];

	ASSERT_EQ(0, nnp());
	ASSERT_EQ(-EINVAL, sys_register(-1, IORING_REGISTER_RESTRICTIONS, &tr, 0));
	ASSERT_EQ(-EINVAL, sys_register(-1, IORING_REGISTER_RESTRICTIONS, &tr, 2));
	ASSERT_EQ(-EINVAL, sys_register(-1, IORING_REGISTER_RESTRICTIONS, NULL, 1));
	ASSERT_EQ(-EFAULT, sys_register(-1, IORING_REGISTER_RESTRICTIONS,
					(void *)8, 1));
	tr.hdr.flags = 1;
	ASSERT_EQ(-EINVAL, sys_register(-1, IORING_REGISTER_RESTRICTIONS, &tr, 1));
	tr.hdr.flags = 0;
	tr.hdr.resv[1] = 1;
	ASSERT_EQ(-EINVAL, sys_register(-1, IORING_REGISTER_RESTRICTIONS, &tr, 1));
	tr.hdr.resv[1] = 0;
	tr.res[0].sqe_op = IORING_OP_LAST;
	ASSERT_EQ(-EINVAL, sys_register(-1, IORING_REGISTER_RESTRICTIONS, &tr, 1));
	tr.res[0].opcode = IORING_RESTRICTION_LAST;
	ASSERT_EQ(-EINVAL, sys_register(-1, IORING_REGISTER_RESTRICTIONS, &tr, 1));
	tr.res[0].opcode = IORING_RESTRICTION_REGISTER_OP;
	tr.res[0].register_op = IORING_REGISTER_LAST;
	ASSERT_EQ(-EINVAL, sys_register(-1, IORING_REGISTER_RESTRICTIONS, &tr, 1));
	tr.hdr.nr_res = 60000;
	ASSERT_EQ(-EINVAL, sys_register(-1, IORING_REGISTER_RESTRICTIONS, &tr, 1));
	/* none of it installed anything: READ still works */
	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(1, write(fds[1], "x", 1));
	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	ASSERT_EQ(1, read_op(&r, fds[0]));
	ring_exit(&r);
}

/* The policy: no O_CREAT, no AF_INET sockets, AF_UNIX fine. */
TEST(filter_denies_creat_and_inet_sockets_allows_unix)
{
	char path[] = "/tmp/iou_policy_XXXXXX";
	struct ring r;
	int fd;

	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, nnp());
	ASSERT_EQ(0, FILTER(-1, IORING_OP_OPENAT, 0, no_creat, 24));
	ASSERT_EQ(0, FILTER(-1, IORING_OP_OPENAT2, 0, no_creat, 24));
	ASSERT_EQ(0, FILTER(-1, IORING_OP_SOCKET, 0, unix_only, 12));
	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	ASSERT_LE(0, openat_op(&r, path, O_RDWR));
	unlink(path);
	ASSERT_EQ(-EACCES, openat_op(&r, path, O_RDWR | O_CREAT));
	/* denied before it ran: the file was not created */
	ASSERT_EQ(-1, access(path, F_OK));
	ASSERT_LE(0, socket_op(&r, AF_UNIX, SOCK_STREAM));
	ASSERT_LE(0, socket_op(&r, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC));
	ASSERT_EQ(-EACCES, socket_op(&r, AF_INET, SOCK_STREAM));
	ASSERT_EQ(-EACCES, socket_op(&r, AF_INET6, SOCK_DGRAM));
	ring_exit(&r);
}

TEST(child_filters_stack_on_the_parents)
{
	struct ring mine;
	int status;
	pid_t pid;

	ASSERT_EQ(0, nnp());
	ASSERT_EQ(0, FILTER(-1, IORING_OP_SOCKET, 0, inet_only, 12));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct ring r;

		/* an allow-all changes nothing; stream-only narrows */
		if (FILTER(-1, IORING_OP_SOCKET, 0, allow_all, 12) ||
		    FILTER(-1, IORING_OP_SOCKET, 0, stream_only, 12) ||
		    ring_init(&r, 4, NULL))
			_exit(1);
		if (socket_op(&r, AF_INET, SOCK_STREAM) < 0)
			_exit(2);
		if (socket_op(&r, AF_INET, SOCK_DGRAM) != -EACCES)
			_exit(3);
		if (socket_op(&r, AF_UNIX, SOCK_STREAM) != -EACCES)
			_exit(4);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	/* the parent's own rings still get datagrams */
	ASSERT_EQ(0, ring_init(&mine, 4, NULL));
	ASSERT_LE(0, socket_op(&mine, AF_INET, SOCK_DGRAM));
	ring_exit(&mine);
}

TEST(deny_rest_denies_every_other_op_for_good)
{
	struct ring r;
	int fds[2];

	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(1, write(fds[1], "x", 1));
	ASSERT_EQ(0, nnp());
	ASSERT_EQ(0, FILTER(-1, IORING_OP_NOP, IO_URING_BPF_FILTER_DENY_REST,
			    allow_all, 0));
	/* a later allow-all for READ stacks on the deny */
	ASSERT_EQ(0, FILTER(-1, IORING_OP_READ, 0, allow_all, 0));
	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	ASSERT_EQ(0, one(&r, ring_nop(&r, 1)));
	ASSERT_EQ(-EACCES, read_op(&r, fds[0]));
	ASSERT_EQ(-EACCES, socket_op(&r, AF_UNIX, SOCK_STREAM));
	ring_exit(&r);
}

TEST(ring_filter_is_the_rings_alone)
{
	struct ring a, b, c;

	ASSERT_EQ(0, nnp());
	ASSERT_EQ(0, ring_init(&a, 4, NULL));
	ASSERT_EQ(0, ring_init(&b, 4, NULL));
	/* on a ring in use, from the next SQE on */
	ASSERT_EQ(0, one(&a, ring_nop(&a, 1)));
	ASSERT_EQ(0, FILTER(a.fd, IORING_OP_NOP, 0, deny_all, 0));
	ASSERT_EQ(-EACCES, one(&a, ring_nop(&a, 2)));
	ASSERT_EQ(0, one(&b, ring_nop(&b, 3)));
	/* and not inherited by rings the task creates */
	ASSERT_EQ(0, ring_init(&c, 4, NULL));
	ASSERT_EQ(0, one(&c, ring_nop(&c, 4)));
	ring_exit(&c);
	ring_exit(&a);
	ring_exit(&b);
}

TEST(filter_pdu_size_is_negotiated)
{
	struct io_uring_bpf bpf = {
		.cmd_type = IO_URING_BPF_CMD_FILTER,
		.filter = {
			.opcode = IORING_OP_SOCKET,
			.filter_len = 1,
			.filter_ptr = (uintptr_t)allow_all,
			.pdu_size = 24,
		},
	};
	struct ring r;

	ASSERT_EQ(0, nnp());
	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	/* larger than the kernel's: refused, the kernel's written back */
	ASSERT_EQ(-EMSGSIZE, sys_register(r.fd, IORING_REGISTER_BPF_FILTER, &bpf, 1));
	ASSERT_EQ(12, bpf.filter.pdu_size);
	/* smaller: fine unless strict */
	bpf.filter.pdu_size = 8;
	bpf.filter.flags = IO_URING_BPF_FILTER_SZ_STRICT;
	ASSERT_EQ(-EMSGSIZE, sys_register(r.fd, IORING_REGISTER_BPF_FILTER, &bpf, 1));
	ASSERT_EQ(12, bpf.filter.pdu_size);
	/* and the kernel's size is written back then too */
	bpf.filter.pdu_size = 8;
	bpf.filter.flags = 0;
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_BPF_FILTER, &bpf, 1));
	ASSERT_EQ(12, bpf.filter.pdu_size);
	/* opens have 24 bytes, NOP none */
	bpf.filter.opcode = IORING_OP_OPENAT2;
	bpf.filter.pdu_size = 0;
	bpf.filter.flags = IO_URING_BPF_FILTER_SZ_STRICT;
	ASSERT_EQ(-EMSGSIZE, sys_register(r.fd, IORING_REGISTER_BPF_FILTER, &bpf, 1));
	ASSERT_EQ(24, bpf.filter.pdu_size);
	bpf.filter.opcode = IORING_OP_NOP;
	bpf.filter.pdu_size = 0;
	ASSERT_EQ(0, sys_register(r.fd, IORING_REGISTER_BPF_FILTER, &bpf, 1));
	ring_exit(&r);
}

TEST(bad_filters)
{
	const struct sock_filter out_of_ctx[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 40),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	const struct sock_filter unaligned[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 2),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	const struct sock_filter byte_load[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 8),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	const struct sock_filter no_return[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 8),
	};
	struct io_uring_bpf bpf = {
		.cmd_type = IO_URING_BPF_CMD_FILTER,
		.filter = {
			.opcode = IORING_OP_NOP,
			.filter_len = 1,
			.filter_ptr = (uintptr_t)allow_all,
		},
	};
	struct io_uring_bpf b;
	struct ring r;

	ASSERT_EQ(0, nnp());
	ASSERT_EQ(0, ring_init(&r, 4, NULL));
#define BAD(field, val, err) do {					\
		b = bpf;						\
		b.field = val;						\
		ASSERT_EQ(err, sys_register(r.fd, IORING_REGISTER_BPF_FILTER, \
					    &b, 1));			\
	} while (0)
	BAD(cmd_type, 0, -EINVAL);
	BAD(cmd_type, 2, -EINVAL);
	BAD(cmd_flags, 1, -EINVAL);
	BAD(resv, 1, -EINVAL);
	BAD(filter.opcode, IORING_OP_LAST, -EINVAL);
	BAD(filter.flags, 4, -EINVAL);
	BAD(filter.resv[2], 1, -EINVAL);
	BAD(filter.resv2[4], 1, -EINVAL);
	BAD(filter.filter_len, 0, -EINVAL);
	BAD(filter.filter_len, 4097, -EINVAL);
	BAD(filter.filter_ptr, 0, -EINVAL);
	BAD(filter.filter_ptr, 8, -EFAULT);
	BAD(filter.filter_ptr, (uintptr_t)out_of_ctx, -EINVAL);
	BAD(filter.filter_ptr, (uintptr_t)unaligned, -EINVAL);
	BAD(filter.filter_ptr, (uintptr_t)byte_load, -EINVAL);
	BAD(filter.filter_ptr, (uintptr_t)no_return, -EINVAL);
#undef BAD
	ASSERT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_BPF_FILTER, &bpf, 0));
	ASSERT_EQ(-EINVAL, sys_register(r.fd, IORING_REGISTER_BPF_FILTER, NULL, 1));
	ASSERT_EQ(-EFAULT, sys_register(r.fd, IORING_REGISTER_BPF_FILTER,
					(void *)8, 1));
	/* nothing got installed */
	ASSERT_EQ(0, one(&r, ring_nop(&r, 1)));
	ring_exit(&r);
}

TEST(filter_reads_user_data_and_sqe_flags)
{
	struct ring r;

	ASSERT_EQ(0, nnp());
	ASSERT_EQ(0, FILTER(-1, IORING_OP_NOP, 0, nop_not_666, 0));
	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	ASSERT_EQ(0, one(&r, ring_nop(&r, 665)));
	ASSERT_EQ(-EACCES, one(&r, ring_nop(&r, 666)));
	ring_nop(&r, 1)->flags = IOSQE_ASYNC;
	ASSERT_EQ(-EACCES, one(&r, r.sqes + ((r.sqe_tail - 1) & *r.sq_mask)));
	ring_exit(&r);
}

/* Every way a request can be issued meets the filter. */
TEST(denied_on_every_path)
{
	struct io_uring_rsrc_update up = { .offset = 0 };
	struct io_uring_cqe cqe;
	struct ring r;
	int i;

	ASSERT_EQ(0, nnp());
	ASSERT_EQ(0, FILTER(-1, IORING_OP_NOP, 0, nop_not_666, 0));
	ASSERT_EQ(0, ring_init(&r, 8, NULL));
	/* linked: a chain with a denied request runs none of it */
	ring_nop(&r, 1)->flags = IOSQE_IO_LINK;
	ring_nop(&r, 666)->flags = IOSQE_IO_LINK;
	ring_nop(&r, 2);
	ASSERT_EQ(3, ring_submit_and_wait(&r, 3));
	for (i = 0; i < 3; i++) {
		ASSERT_TRUE(ring_peek_cqe(&r, &cqe, NULL));
		ASSERT_EQ(cqe.user_data == 666 ? -EACCES : -ECANCELED, cqe.res);
	}
	/* and one that follows an allowed request fails alone */
	ring_nop(&r, 3)->flags = IOSQE_IO_LINK;
	ring_nop(&r, 4);
	ASSERT_EQ(2, ring_submit_and_wait(&r, 2));
	for (i = 0; i < 2; i++) {
		ASSERT_TRUE(ring_peek_cqe(&r, &cqe, NULL));
		ASSERT_EQ(0, cqe.res);
	}
	/* through the registered ring fd */
	up.data = r.fd;
	ASSERT_EQ(1, sys_register(r.fd, IORING_REGISTER_RING_FDS, &up, 1));
	ring_nop(&r, 666);
	ASSERT_EQ(1, sys_enter(up.offset, ring_flush_sq(&r), 1,
			       IORING_ENTER_GETEVENTS |
			       IORING_ENTER_REGISTERED_RING, NULL, 0));
	ASSERT_TRUE(ring_peek_cqe(&r, &cqe, NULL));
	ASSERT_EQ(-EACCES, cqe.res);
	/* IOSQE_ASYNC: filtered before it could go to an io worker */
	ring_nop(&r, 666)->flags = IOSQE_ASYNC;
	ASSERT_EQ(-EACCES, one(&r, r.sqes + ((r.sqe_tail - 1) & *r.sq_mask)));
	ring_exit(&r);
}

TEST(denied_when_the_sqpoll_thread_submits)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL,
				     .sq_thread_idle = 100 };
	struct io_uring_cqe cqe;
	int seen = 0, denied = 0;
	struct ring sq;

	ASSERT_EQ(0, nnp());
	ASSERT_EQ(0, FILTER(-1, IORING_OP_NOP, 0, nop_not_666, 0));
	ASSERT_EQ(0, ring_init(&sq, 8, &p));
	ring_nop(&sq, 3);
	ring_nop(&sq, 666);
	ring_flush_sq(&sq);
	/* the thread may have gone idle before the SQEs came */
	sys_enter(sq.fd, 0, 0, IORING_ENTER_SQ_WAKEUP, NULL, 0);
	while (seen < 2) {
		ASSERT_EQ(0, ring_wait_cqe(&sq, &cqe));
		seen++;
		if (cqe.user_data == 666)
			denied = cqe.res == -EACCES;
		else
			ASSERT_EQ(0, cqe.res);
	}
	ASSERT_TRUE(denied);
	ring_exit(&sq);
}

/* A sandboxed child cannot use, map, message or attach to the parent's rings. */
TEST(sandbox_cannot_reach_rings_from_outside)
{
	int status, ops[] = { IORING_OP_NOP, IORING_OP_MSG_RING };
	struct iovec iov = { .iov_len = 4096 };
	struct ring outside;
	pid_t pid;

	iov.iov_base = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, iov.iov_base);
	ASSERT_EQ(0, ring_init(&outside, 4, NULL));
	ASSERT_EQ(0, sys_register(outside.fd, IORING_REGISTER_BUFFERS, &iov, 1));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct io_uring_params p = { .flags = IORING_SETUP_ATTACH_WQ,
					     .wq_fd = outside.fd };
		struct io_uring_clone_buffers clone = { .src_fd = outside.fd };
		struct io_uring_sqe *sqe, msg = { .opcode = IORING_OP_MSG_RING,
						  .fd = outside.fd, .off = 7 };
		struct ring in;

		if (nnp() || task_allow_ops(ops, 2))
			_exit(1);
		if (ring_init(&in, 4, NULL))
			_exit(2);
		/* the outside ring's fd and mapping: no use */
		if (sys_enter(outside.fd, 0, 0, 0, NULL, 0) != -EACCES)
			_exit(3);
		if (mmap(NULL, 4096, PROT_READ, MAP_SHARED, outside.fd,
			 IORING_OFF_SQES) != MAP_FAILED || errno != EACCES)
			_exit(4);
		/* MSG_RING into it: from a ring, and without one */
		sqe = ring_get_sqe(&in);
		*sqe = msg;
		if (one(&in, sqe) != -EACCES)
			_exit(5);
		if (sys_register(-1, IORING_REGISTER_SEND_MSG_RING, &msg, 1) !=
		    -EACCES)
			_exit(6);
		/* nor share its workers, nor borrow its buffers */
		if (sys_setup(4, &p) != -EACCES)
			_exit(7);
		if (sys_register(in.fd, IORING_REGISTER_CLONE_BUFFERS, &clone,
				 1) != -EACCES)
			_exit(9);
		/* its own ring: messages fine */
		msg.fd = in.fd;
		sqe = ring_get_sqe(&in);
		*sqe = msg;
		sqe->user_data = 9;
		if (ring_submit_and_wait(&in, 2) != 1)
			_exit(8);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	/* nothing reached the outside ring */
	ASSERT_EQ(0, ring_cq_ready(&outside));
	ring_exit(&outside);
}

/*
 * An SQPOLL ring runs what is written to its mapped SQ, no enter needed:
 * no policy while one made outside it is mapped.
 */
TEST(no_policy_while_an_outside_sqpoll_ring_is_mapped)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL,
				     .sq_thread_idle = 1000 };
	const int ops[] = { IORING_OP_NOP };
	struct ring sq;

	ASSERT_EQ(0, nnp());
	ASSERT_EQ(0, ring_init(&sq, 4, &p));
	ASSERT_EQ(-EBUSY, task_allow_ops(ops, 1));
	ASSERT_EQ(-EBUSY, FILTER(-1, IORING_OP_OPENAT, 0, deny_all, 0));
	/* unmapped, the fd alone is harmless: enter is refused */
	munmap(sq.sqes, sq.sqes_sz);
	munmap(sq.rings, sq.rings_sz);
	sq.sqes = NULL;
	sq.rings = NULL;
	ASSERT_EQ(0, task_allow_ops(ops, 1));
	ASSERT_EQ(-EACCES, sys_enter(sq.fd, 0, 0, IORING_ENTER_SQ_WAKEUP,
				     NULL, 0));
	ring_exit(&sq);
}

TEST(ring_less_msg_ring_obeys_the_task_policy)
{
	struct io_uring_sqe msg = { .opcode = IORING_OP_MSG_RING, .off = 7 };
	const int ops[] = { IORING_OP_NOP };
	struct ring r;

	ASSERT_EQ(0, nnp());
	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	msg.fd = r.fd;
	ASSERT_EQ(0, sys_register(-1, IORING_REGISTER_SEND_MSG_RING, &msg, 1));
	ASSERT_EQ(1, ring_cq_ready(&r));
	ring_exit(&r);
	ASSERT_EQ(0, task_allow_ops(ops, 1));
	ASSERT_EQ(0, ring_init(&r, 4, NULL));
	msg.fd = r.fd;
	ASSERT_EQ(-EACCES, sys_register(-1, IORING_REGISTER_SEND_MSG_RING, &msg, 1));
	ASSERT_EQ(0, ring_cq_ready(&r));
	ring_exit(&r);
}

TEST_HARNESS_MAIN
