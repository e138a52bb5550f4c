// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring asks the LSM and tells audit. Proves that:
 * - IORING_SETUP_SQPOLL calls security_uring_sqpoll() and fails setup
 *   with its error (sqpoll_needs_mac_admin);
 * - a request with sqe->personality calls security_uring_override_creds()
 *   at submission and completes with its error, also with IOSQE_ASYNC
 *   (personality_override_checked_by_lsm);
 * - IORING_OP_URING_CMD calls security_uring_cmd() before the file's
 *   ->uring_cmd, inline and from io-wq, with the issuer's credentials
 *   (uring_cmd_checked_by_lsm);
 * - OPENAT and CLOSE are audited (AUDIT_URINGOP) both inline, within
 *   io_uring_enter's own audit event, and from io-wq workers, while NOP is
 *   audited neither way (audit_records_openat_not_nop).
 *
 * The LSM tests need root and Smack as the active LSM, and expect Smack's
 * policy (security/smack/smack_lsm.c): an SQPOLL thread needs
 * CAP_MAC_ADMIN; running as a personality with another label needs
 * CAP_MAC_OVERRIDE; a command needs read access from the opener's label
 * to the inode's, or CAP_MAC_OVERRIDE in the task issuing it. Each runs in
 * a child that drops capabilities from its effective set and changes its
 * own label; nothing shared is relabelled. The audit test needs audit
 * netlink and leaves audit as it found it, also when it fails.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/netlink.h>

#include "../kselftest_harness.h"
#include "ring.h"

#ifndef AUDIT_URINGOP
#define AUDIT_URINGOP		1336
#endif
#ifndef AUDIT_FILTER_URING_EXIT
#define AUDIT_FILTER_URING_EXIT	0x07
#endif

#define LABEL_A		"iouring_test_a"
#define LABEL_B		"iouring_test_b"
#define LABEL_OPENER	"iouring_test_opener"
#define LABEL_SECRET	"iouring_test_secret"
#define AUDIT_KEY	"iouring_selftest"
#define XATTR_SMACK	"security.SMACK64"
#define SMACK_SELF	"/proc/self/attr/smack/current"

/* What a child saw, for the parent to assert on. */
struct outcome {
	int step;	/* the step that went wrong, 0 if none did */
	int err;	/* and its errno */
	int res[8];
};

static struct outcome *outcome_new(void)
{
	void *o = mmap(NULL, sizeof(struct outcome), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return o == MAP_FAILED ? NULL : o;
}

/* Said after a child's exit status, when it is not 0. */
static void child_log(struct __test_metadata *_metadata, struct outcome *o)
{
	TH_LOG("child failed at step %d: %s", o->step, strerror(o->err));
}

static int fail(struct outcome *o, int step, int err)
{
	o->step = step;
	o->err = err;
	return 1;
}

/* Run fn(o, arg) in a child; its exit status, or -1 if it did not exit. */
static int in_child(int (*fn)(struct outcome *, int), struct outcome *o,
		    int arg)
{
	int status;
	pid_t pid;

	memset(o, 0, sizeof(*o));
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(fn(o, arg));
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Take @cap out of, or put it back into, the effective set (no libcap). */
static int cap_effective(int cap, bool on)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	if (on)
		data[CAP_TO_INDEX(cap)].effective |= CAP_TO_MASK(cap);
	else
		data[CAP_TO_INDEX(cap)].effective &= ~CAP_TO_MASK(cap);
	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

/* The file's contents as a string without trailing NULs or newlines. */
static int read_str(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\0'))
		n--;
	buf[n] = '\0';
	return n;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	close(fd);
	if (n < 0)
		return -errno;
	return n == (ssize_t)strlen(s) ? 0 : -EIO;
}

/* Change our own Smack label (needs CAP_MAC_ADMIN) and check it took. */
static int smack_set_self(const char *label)
{
	char now[256];
	int ret;

	ret = write_str(SMACK_SELF, label);
	if (ret)
		return ret;
	ret = read_str(SMACK_SELF, now, sizeof(now));
	if (ret < 0)
		return ret;
	return strcmp(now, label) ? -EIO : 0;
}

/* Why the Smack tests cannot run here, or NULL if they can. */
static const char *smack_missing(void)
{
	char buf[512];
	int ret;

	if (geteuid())
		return "needs root";
	ret = read_str("/sys/kernel/security/lsm", buf, sizeof(buf));
	if (ret >= 0 && !strstr(buf, "smack"))
		return "Smack is not an active LSM";
	/* only an active Smack answers here (attr/current: any LSM's) */
	if (read_str(SMACK_SELF, buf, sizeof(buf)) <= 0)
		return "Smack is not an active LSM";
	if (access("/sys/fs/smackfs/load2", F_OK))
		syscall(SYS_mount, "smackfs", "/sys/fs/smackfs", "smackfs", 0,
			NULL);
	/* with onlycap set, root's capabilities may not count for Smack */
	if (read_str("/sys/fs/smackfs/onlycap", buf, sizeof(buf)) > 0 &&
	    strspn(buf, " \t\n") != strlen(buf))
		return "Smack onlycap is set";
	return NULL;
}

static struct io_uring_sqe *prep(struct ring *r, int opcode, int fd,
				 unsigned int sqe_flags)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	sqe->opcode = opcode;
	sqe->fd = fd;
	sqe->flags = sqe_flags;
	sqe->user_data = opcode;
	return sqe;
}

/* Submit what is queued and wait for its CQE; 0 or -errno, res in *res. */
static int take_one(struct ring *r, int *res)
{
	struct io_uring_cqe cqe;
	int ret = ring_submit_one(r, &cqe);

	if (!ret)
		*res = cqe.res;
	return ret;
}

static int sqpoll_child(struct outcome *o, int cap)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL,
				     .sq_thread_idle = 1000 };
	struct io_uring_cqe cqe;
	struct ring r, plain;
	int ret;

	ret = cap_effective(cap, false);
	if (ret)
		return fail(o, 1, -ret);
	/* a ring without a thread is no business of the LSM */
	o->res[0] = ring_init(&plain, 4, NULL);
	if (!o->res[0])
		ring_exit(&plain);
	o->res[1] = ring_init(&r, 4, &p);
	if (o->res[1])
		return 0;
	/* the thread is there and submits */
	ring_nop(&r, 42);
	ring_flush_sq(&r);
	ret = sys_enter(r.fd, 0, 0, IORING_ENTER_SQ_WAKEUP, NULL, 0);
	if (ret < 0)
		return fail(o, 2, -ret);
	ret = ring_wait_cqe(&r, &cqe);
	if (ret)
		return fail(o, 3, -ret);
	o->res[2] = cqe.res;
	o->res[3] = cqe.user_data;
	ring_exit(&r);
	return 0;
}

TEST(sqpoll_needs_mac_admin)
{
	const char *why = smack_missing();
	struct outcome *o;

	if (why)
		SKIP(return, "%s", why);
	o = outcome_new();
	ASSERT_NE(NULL, o);
	/* no CAP_MAC_ADMIN: Smack refuses the thread, and only the thread */
	ASSERT_EQ(0, in_child(sqpoll_child, o, CAP_MAC_ADMIN))
		child_log(_metadata, o);
	ASSERT_EQ(0, o->res[0]);
	ASSERT_EQ(-EPERM, o->res[1]);
	/* another MAC capability gone changes nothing: a working thread */
	ASSERT_EQ(0, in_child(sqpoll_child, o, CAP_MAC_OVERRIDE))
		child_log(_metadata, o);
	ASSERT_EQ(0, o->res[0]);
	ASSERT_EQ(0, o->res[1]);
	ASSERT_EQ(0, o->res[2]);
	ASSERT_EQ(42, o->res[3]);
	munmap(o, sizeof(*o));
}

static int nop_as(struct ring *r, int personality, unsigned int sqe_flags,
		  int *res)
{
	prep(r, IORING_OP_NOP, -1, sqe_flags)->personality = personality;
	return take_one(r, res);
}

static int personality_child(struct outcome *o, int keep_override)
{
	struct ring r;
	int ret, id_a, id_b;

	ret = smack_set_self(LABEL_A);
	if (ret)
		return fail(o, 1, -ret);
	ret = ring_init(&r, 8, NULL);
	if (ret)
		return fail(o, 2, -ret);
	id_a = sys_register(r.fd, IORING_REGISTER_PERSONALITY, NULL, 0);
	if (id_a < 0)
		return fail(o, 3, -id_a);
	ret = smack_set_self(LABEL_B);
	if (ret)
		return fail(o, 4, -ret);
	id_b = sys_register(r.fd, IORING_REGISTER_PERSONALITY, NULL, 0);
	if (id_b < 0)
		return fail(o, 5, -id_b);
	if (!keep_override) {
		ret = cap_effective(CAP_MAC_OVERRIDE, false);
		if (ret)
			return fail(o, 6, -ret);
	}
	/* the old label, asked about at submission, also for io-wq */
	if (nop_as(&r, id_a, 0, &o->res[0]) ||
	    nop_as(&r, id_a, IOSQE_ASYNC, &o->res[1]) ||
	    /* our own label now, and no personality at all */
	    nop_as(&r, id_b, 0, &o->res[2]) ||
	    nop_as(&r, 0, 0, &o->res[3]))
		return fail(o, 7, EIO);
	ring_exit(&r);
	return 0;
}

TEST(personality_override_checked_by_lsm)
{
	const char *why = smack_missing();
	struct outcome *o;

	if (why)
		SKIP(return, "%s", why);
	o = outcome_new();
	ASSERT_NE(NULL, o);
	/* another label and no CAP_MAC_OVERRIDE: the request fails */
	ASSERT_EQ(0, in_child(personality_child, o, false))
		child_log(_metadata, o);
	ASSERT_EQ(-EPERM, o->res[0]);
	ASSERT_EQ(-EPERM, o->res[1]);
	ASSERT_EQ(0, o->res[2]);
	ASSERT_EQ(0, o->res[3]);
	/* with CAP_MAC_OVERRIDE the same requests run */
	ASSERT_EQ(0, in_child(personality_child, o, true))
		child_log(_metadata, o);
	ASSERT_EQ(0, o->res[0]);
	ASSERT_EQ(0, o->res[1]);
	ASSERT_EQ(0, o->res[2]);
	ASSERT_EQ(0, o->res[3]);
	munmap(o, sizeof(*o));
}

static dev_t null_dev;

/* /dev/null's ->uring_cmd takes any command and returns 0. */
static int null_cmd(struct ring *r, int fd, unsigned int sqe_flags, int *res)
{
	prep(r, IORING_OP_URING_CMD, fd, sqe_flags)->cmd_op = 0x1234;
	return take_one(r, res);
}

/*
 * Sockets will not do: their inodes are labelled "*", which every label
 * may read, and Smack refuses SMACK64 on them (smack_inode_setxattr). So
 * /dev/null, which has a ->uring_cmd, through a node of our own in a
 * private tmpfs: relabelling that touches nothing another test sees.
 */
static int uring_cmd_child(struct outcome *o, int unused)
{
	static const char * const dirs[] = { "/tmp", "/mnt" };
	char node[32];
	unsigned int i;
	struct ring r;
	int fd, ret;

	if (unshare(CLONE_NEWNS))
		return fail(o, 1, errno);
	if (syscall(SYS_mount, "none", "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return fail(o, 2, errno);
	/* the label the file is opened with, so f_cred's label */
	ret = smack_set_self(LABEL_OPENER);
	if (ret)
		return fail(o, 3, -ret);
	for (i = 0; i < ARRAY_SIZE(dirs); i++)
		if (!syscall(SYS_mount, "tmpfs", dirs[i], "tmpfs", 0,
			     "mode=0700"))
			break;
	if (i == ARRAY_SIZE(dirs))
		return fail(o, 4, errno);
	snprintf(node, sizeof(node), "%s/null", dirs[i]);
	if (mknod(node, S_IFCHR | 0600, null_dev))
		return fail(o, 5, errno);
	fd = open(node, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(o, 6, errno);
	ret = ring_init(&r, 8, NULL);
	if (ret)
		return fail(o, 7, -ret);
	/* the file was opened with it: only the issuer's counts */
	ret = cap_effective(CAP_MAC_OVERRIDE, false);
	if (ret)
		return fail(o, 8, -ret);
	/* the node is the opener's (or "*"): the command reaches the driver */
	if (null_cmd(&r, fd, 0, &o->res[0]))
		return fail(o, 9, EIO);
	/* a label the opener may not read; CAP_MAC_ADMIN is still ours */
	if (setxattr(node, XATTR_SMACK, LABEL_SECRET,
		     strlen(LABEL_SECRET), 0))
		return fail(o, 10, errno);
	if (null_cmd(&r, fd, 0, &o->res[1]) ||
	    null_cmd(&r, fd, IOSQE_ASYNC, &o->res[2]))
		return fail(o, 11, EIO);
	/* CAP_MAC_OVERRIDE of the task issuing it overrides */
	ret = cap_effective(CAP_MAC_OVERRIDE, true);
	if (ret)
		return fail(o, 12, -ret);
	if (null_cmd(&r, fd, 0, &o->res[3]))
		return fail(o, 13, EIO);
	ring_exit(&r);
	close(fd);
	return 0;
}

TEST(uring_cmd_checked_by_lsm)
{
	const char *why = smack_missing();
	struct outcome *o;
	struct stat st;

	if (why)
		SKIP(return, "%s", why);
	ASSERT_EQ(0, stat("/dev/null", &st));
	ASSERT_TRUE(S_ISCHR(st.st_mode));
	null_dev = st.st_rdev;
	o = outcome_new();
	ASSERT_NE(NULL, o);
	ASSERT_EQ(0, in_child(uring_cmd_child, o, 0))
		child_log(_metadata, o);
	ASSERT_EQ(0, o->res[0]);
	/* refused before ->uring_cmd, inline and from io-wq */
	ASSERT_EQ(-EACCES, o->res[1]);
	ASSERT_EQ(-EACCES, o->res[2]);
	ASSERT_EQ(0, o->res[3]);
	munmap(o, sizeof(*o));
}

/* audit netlink */

static unsigned int audit_seq;

static int ms_left(const struct timespec *deadline)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (deadline->tv_sec - now.tv_sec) * 1000 +
	     (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms > 0 ? ms : 0;
}

static void deadline_in(struct timespec *deadline, int sec)
{
	clock_gettime(CLOCK_MONOTONIC, deadline);
	deadline->tv_sec += sec;
}

/*
 * One datagram within @ms: its length, 0 on timeout, or -errno. Audit
 * sends one message a datagram; records that go to auditd carry an
 * nlmsg_len without the header, so only nlmsg_type and the length of
 * the datagram are to be trusted.
 */
static int audit_recv(int fd, void *buf, size_t len, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int ret = poll(&pfd, 1, ms);

	if (ret <= 0)
		return ret < 0 ? -errno : 0;
	ret = recv(fd, buf, len, MSG_DONTWAIT);
	return ret < 0 ? -errno : ret;
}

/* Send a request and wait for its ack (and its @reply); 0 or -errno. */
static int audit_request(int fd, int type, const void *data, size_t len,
			 void *reply, size_t reply_len)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	__u32 buf[4096] = { 0 };
	struct nlmsghdr *nlh = (void *)buf;
	bool acked = false, replied = !reply;
	struct timespec deadline;
	unsigned int seq;
	int n;

	if (NLMSG_SPACE(len) > sizeof(buf))
		return -E2BIG;
	nlh->nlmsg_len = NLMSG_LENGTH(len);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	seq = ++audit_seq;
	nlh->nlmsg_seq = seq;
	if (len)
		memcpy(NLMSG_DATA(nlh), data, len);
	if (sendto(fd, buf, nlh->nlmsg_len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0)
		return -errno;
	deadline_in(&deadline, 5);
	while (!acked || !replied) {
		n = audit_recv(fd, buf, sizeof(buf), ms_left(&deadline));
		if (n == -ENOBUFS || n == -EINTR)
			continue;
		if (n <= 0)
			return n ? n : -ETIMEDOUT;
		/* records and others' replies go by */
		if (n < NLMSG_HDRLEN || nlh->nlmsg_seq != seq)
			continue;
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			struct nlmsgerr *e = NLMSG_DATA(nlh);

			if (e->error)
				return e->error;
			acked = true;
		} else if (reply && nlh->nlmsg_type == type) {
			n -= NLMSG_HDRLEN;
			memcpy(reply, NLMSG_DATA(nlh),
			       (size_t)n < reply_len ? (size_t)n : reply_len);
			replied = true;
		}
	}
	return 0;
}

/* Every io_uring op on AUDIT_FILTER_URING_EXIT, with our key. */
static int audit_rule(int fd, int type)
{
	__u32 buf[(sizeof(struct audit_rule_data) + 64) / 4] = { 0 };
	struct audit_rule_data *rule = (void *)buf;
	int i;

	/*
	 * Prepended so that no rule of the system's hides it. The flag is
	 * not kept with the rule, so removing it must not carry it.
	 */
	rule->flags = AUDIT_FILTER_URING_EXIT;
	if (type == AUDIT_ADD_RULE)
		rule->flags |= AUDIT_FILTER_PREPEND;
	rule->action = AUDIT_ALWAYS;
	/* for this list the mask is one of opcodes */
	for (i = 0; i < AUDIT_BITMASK_SIZE; i++)
		rule->mask[i] = ~0U;
	rule->field_count = 1;
	rule->fields[0] = AUDIT_FILTERKEY;
	rule->fieldflags[0] = AUDIT_EQUAL;
	rule->values[0] = strlen(AUDIT_KEY);
	rule->buflen = strlen(AUDIT_KEY);
	memcpy(rule->buf, AUDIT_KEY, strlen(AUDIT_KEY));
	return audit_request(fd, type, rule, sizeof(*rule) + rule->buflen,
			     NULL, 0);
}

/* A socket on the read-only multicast group, for when auditd runs. */
static int audit_multicast_socket(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK,
				  .nl_groups = 1 << (AUDIT_NLGRP_READLOG - 1) };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -errno;
	}
	return fd;
}

/* What the child's records said. */
struct audit_seen {
	int openat, close, nop;
	int nr_openat, nr_enter;
	unsigned int openat_serial[16];
	unsigned int enter_serial[64];
};

static void audit_note(struct audit_seen *s, int type, const char *text,
		       pid_t pid)
{
	char who[32], enter[32];
	unsigned int serial;
	const char *op;

	snprintf(who, sizeof(who), " pid=%d ", pid);
	if (!strstr(text, who) ||
	    sscanf(text, "audit(%*u.%*u:%u)", &serial) != 1)
		return;
	if (type == AUDIT_URINGOP) {
		op = strstr(text, "uring_op=");
		if (!op)
			return;
		switch (atoi(op + strlen("uring_op="))) {
		case IORING_OP_NOP:
			s->nop++;
			break;
		case IORING_OP_OPENAT:
			s->openat++;
			if (s->nr_openat < (int)ARRAY_SIZE(s->openat_serial))
				s->openat_serial[s->nr_openat++] = serial;
			break;
		case IORING_OP_CLOSE:
			s->close++;
			break;
		}
		return;
	}
	snprintf(enter, sizeof(enter), " syscall=%d ", __NR_io_uring_enter);
	if (type == AUDIT_SYSCALL && strstr(text, enter) &&
	    s->nr_enter < (int)ARRAY_SIZE(s->enter_serial))
		s->enter_serial[s->nr_enter++] = serial;
}

/*
 * OPENAT records in the same event as an io_uring_enter SYSCALL record
 * (same serial): logged from the syscall's own audit context, i.e. the
 * op ran inline. The others came from a context of their own: io-wq.
 */
static int openat_inline(const struct audit_seen *s, bool want)
{
	int i, j, n = 0;
	bool in;

	for (i = 0; i < s->nr_openat; i++) {
		in = false;
		for (j = 0; j < s->nr_enter; j++)
			in |= s->openat_serial[i] == s->enter_serial[j];
		n += in == want;
	}
	return n;
}

static bool audit_done(const struct audit_seen *s)
{
	return s->openat >= 2 && s->close >= 2 && openat_inline(s, true) &&
	       openat_inline(s, false);
}

static int audit_child(struct outcome *o, int unused)
{
	struct io_uring_sqe *sqe;
	struct ring r;
	int ret;

	ret = ring_init(&r, 8, NULL);
	if (ret)
		return fail(o, 1, -ret);
	/* data path, inline and from io-wq: not audited */
	prep(&r, IORING_OP_NOP, -1, 0);
	if (take_one(&r, &o->res[0]))
		return fail(o, 2, EIO);
	prep(&r, IORING_OP_NOP, -1, IOSQE_ASYNC);
	if (take_one(&r, &o->res[1]))
		return fail(o, 3, EIO);
	/* "/" is always in the dcache: this one does not need io-wq */
	sqe = prep(&r, IORING_OP_OPENAT, AT_FDCWD, 0);
	sqe->addr = (uintptr_t)"/";
	sqe->open_flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
	if (take_one(&r, &o->res[2]))
		return fail(o, 4, EIO);
	sqe = prep(&r, IORING_OP_OPENAT, AT_FDCWD, IOSQE_ASYNC);
	sqe->addr = (uintptr_t)"/";
	sqe->open_flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
	if (take_one(&r, &o->res[3]))
		return fail(o, 5, EIO);
	/* the last records: when they are in, all of ours are */
	prep(&r, IORING_OP_CLOSE, o->res[2], 0);
	if (take_one(&r, &o->res[4]))
		return fail(o, 6, EIO);
	prep(&r, IORING_OP_CLOSE, o->res[3], IOSQE_ASYNC);
	if (take_one(&r, &o->res[5]))
		return fail(o, 7, EIO);
	ring_exit(&r);
	return 0;
}

FIXTURE(audit) {
	int fd;		/* requests, and records while we are auditd */
	int mfd;	/* multicast records, while another auditd runs */
	struct audit_status saved;
	bool enabled_set, pid_set, rule_added;
};

FIXTURE_SETUP(audit)
{
	memset(self, 0, sizeof(*self));
	self->fd = -1;
	self->mfd = -1;
}

/* Also after a failed assertion: audit as we found it. */
FIXTURE_TEARDOWN(audit)
{
	struct audit_status s;

	if (self->rule_added)
		EXPECT_EQ(0, audit_rule(self->fd, AUDIT_DEL_RULE));
	if (self->pid_set) {
		memset(&s, 0, sizeof(s));
		s.mask = AUDIT_STATUS_PID;
		s.pid = 0;
		EXPECT_EQ(0, audit_request(self->fd, AUDIT_SET, &s, sizeof(s),
					   NULL, 0));
	}
	if (self->enabled_set) {
		memset(&s, 0, sizeof(s));
		s.mask = AUDIT_STATUS_ENABLED;
		s.enabled = self->saved.enabled;
		EXPECT_EQ(0, audit_request(self->fd, AUDIT_SET, &s, sizeof(s),
					   NULL, 0));
	}
	if (self->mfd >= 0)
		close(self->mfd);
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(audit, audit_records_openat_not_nop)
{
	static char buf[16384];
	struct audit_seen seen = { 0 };
	struct timespec deadline;
	struct audit_status s;
	struct outcome *o;
	int rfd, ret, n;
	pid_t pid;

	if (geteuid())
		SKIP(return, "needs root");
	self->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (self->fd < 0)
		SKIP(return, "no audit netlink: %s", strerror(errno));
	ret = audit_request(self->fd, AUDIT_GET, NULL, 0, &self->saved,
			    sizeof(self->saved));
	if (ret)
		SKIP(return, "AUDIT_GET: %s", strerror(-ret));
	if (self->saved.enabled == 2)
		SKIP(return, "the audit configuration is locked");
	if (self->saved.enabled != 1) {
		memset(&s, 0, sizeof(s));
		s.mask = AUDIT_STATUS_ENABLED;
		s.enabled = 1;
		ASSERT_EQ(0, audit_request(self->fd, AUDIT_SET, &s, sizeof(s),
					   NULL, 0));
		self->enabled_set = true;
	}
	/* records come to us, unless a real auditd has them */
	ret = -EEXIST;
	if (!self->saved.pid) {
		memset(&s, 0, sizeof(s));
		s.mask = AUDIT_STATUS_PID;
		s.pid = getpid();
		ret = audit_request(self->fd, AUDIT_SET, &s, sizeof(s),
				    NULL, 0);
	}
	if (!ret) {
		self->pid_set = true;
		rfd = self->fd;
	} else {
		ASSERT_EQ(-EEXIST, ret);
		self->mfd = audit_multicast_socket();
		ASSERT_LE(0, self->mfd);
		rfd = self->mfd;
	}
	ret = audit_rule(self->fd, AUDIT_ADD_RULE);
	/* one a run that died left behind is ours to remove as well */
	if (ret != -EEXIST)
		ASSERT_EQ(0, ret);
	self->rule_added = true;

	/* forked now that audit is on: the child has an audit context */
	o = outcome_new();
	ASSERT_NE(NULL, o);
	memset(o, 0, sizeof(*o));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(audit_child(o, 0));
	ASSERT_EQ(pid, waitpid(pid, &ret, 0));
	ASSERT_TRUE(WIFEXITED(ret));
	ASSERT_EQ(0, WEXITSTATUS(ret))
		child_log(_metadata, o);
	ASSERT_EQ(0, o->res[0]);
	ASSERT_EQ(0, o->res[1]);
	ASSERT_LE(0, o->res[2]);
	ASSERT_LE(0, o->res[3]);
	ASSERT_EQ(0, o->res[4]);
	ASSERT_EQ(0, o->res[5]);

	/* kauditd sends them in the order they were logged */
	deadline_in(&deadline, 10);
	while (!audit_done(&seen) && ms_left(&deadline)) {
		n = audit_recv(rfd, buf, sizeof(buf) - 1, ms_left(&deadline));
		if (n == -ENOBUFS || n == -EINTR || n == -EAGAIN)
			continue;
		ASSERT_LE(0, n);
		if (n <= NLMSG_HDRLEN)
			continue;
		buf[n] = '\0';
		audit_note(&seen, ((struct nlmsghdr *)buf)->nlmsg_type,
			   buf + NLMSG_HDRLEN, pid);
	}
	TH_LOG("records: %d openat (%d inline), %d close, %d nop",
	       seen.openat, openat_inline(&seen, true), seen.close, seen.nop);
	ASSERT_LE(2, seen.openat);
	/* in io_uring_enter, in the SYSCALL record's event */
	ASSERT_LE(1, openat_inline(&seen, true));
	/* from io-wq, an event of its own */
	ASSERT_LE(1, openat_inline(&seen, false));
	ASSERT_LE(2, seen.close);
	/* they came before the rest: none */
	ASSERT_EQ(0, seen.nop);
	munmap(o, sizeof(*o));
}

TEST_HARNESS_MAIN
