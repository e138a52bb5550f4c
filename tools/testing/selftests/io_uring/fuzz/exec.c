// SPDX-License-Identifier: GPL-2.0
/*
 * iouf executor: runs one program in the calling process, which is a
 * fresh child of the fuzzer. It builds a pool of real objects (files,
 * pipes, sockets, eventfd, signalfd, epoll, block devices), runs the two
 * lanes of the program in two threads, with KCOV enabled in each and
 * remote coverage from the io threads they create, and writes the PCs it
 * saw to the shared cover buffer. It never returns: the process exits.
 *
 * Each argument is decoded so that most values mean something valid
 * (a real fd, a mapped buffer, a flag the opcode knows) and the rest is
 * hostile: unmapped and kernel addresses, huge lengths, unknown flags.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/io_uring.h>
#include <linux/io_uring/bpf_filter.h>
#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/openat2.h>
#include <linux/kcov.h>
#include <linux/nvme_ioctl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "iouf.h"

#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup	425
#define __NR_io_uring_enter	426
#define __NR_io_uring_register	427
#endif

/* io_uring alone fits in 64K PCs a run; the whole kernel needs more */
#define KCOV_WORDS	(iouf_pc_wanted ? 262144 : 65536)
#define MEM_SIZE	(2 << 20)

/* ---- the object pool -------------------------------------------------- */

enum {
	OBJ_FILE, OBJ_DIRECT, OBJ_PIPE_R, OBJ_PIPE_W, OBJ_UNIX_A, OBJ_UNIX_B,
	OBJ_TCP_A, OBJ_TCP_B, OBJ_UDP_A, OBJ_UDP_B, OBJ_EVENTFD, OBJ_SIGNALFD,
	OBJ_EPOLL, OBJ_NULL, OBJ_NULLB, OBJ_NVME, OBJ_NG, OBJ_FIFO,
	OBJ_LISTEN, OBJ_DIR, OBJ_TIMERFD, OBJ_NR
};

static int objs[OBJ_NR];
static pid_t last_child;	/* a fork call's, unreaped: WAITID waits on it */
static struct sockaddr_in listen_addr;

struct xring {
	int		fd;		/* -1: none */
	bool		reg_only;	/* fd is a registered index */
	bool		mapped;		/* rings and SQEs are there to touch */
	struct io_uring_params p;
	void		*ring_mem, *sqe_mem;
	size_t		ring_sz, sqe_sz;
	unsigned int	*sq_head, *sq_tail, *sq_mask, *sq_array;
	unsigned int	*cq_head, *cq_tail, *cq_mask;
	struct io_uring_cqe *cqes;
	unsigned int	sqe_tail;
	pid_t		owner;		/* the thread that set it up */
};

static struct xring rings[IOUF_RINGS];
static char *mem;	/* buffers, iovecs, msghdrs, paths, ... */

/* where things live in mem */
#define M_DATA		0x00000	/* 64 KiB of data, 4 KiB aligned */
#define M_IOV		0x10000
#define M_MSG		0x11000
#define M_MSG1		0x11100	/* the same, with one iovec */
#define M_ADDR		0x11800
#define M_CTRL		0x11c00
#define M_TS		0x12000
#define M_PATH		0x13000
#define M_STATX		0x14000
#define M_FUTEX		0x15000
#define M_WAITV		0x15800
#define M_EPEV		0x16000
#define M_HOW		0x16800
#define M_ARG		0x17000	/* register arguments are built here */
#define M_PBUF		0x20000	/* buffer rings: 4 of 16 KiB */
#define M_UMEM		0x40000	/* NO_MMAP rings: 4 of 128 KiB */
#define M_UMEM_SZ	0x20000
#define M_RO		0xc0000	/* a page made read-only around one call */
#define M_WAITREG	0xc1000	/* registered wait arguments (one page) */

static const char *const paths[] = {
	"f", "newfile", "/", "dir/x", "", "dir", "fifo.unopened", "..",
};

static int obj_fd(__u64 v)
{
	unsigned int k = v % 32;

	if (k < OBJ_NR)
		return objs[k];
	switch (k) {
	case 21: case 22: case 23: case 24:
		return rings[k - 21].fd;
	case 25:
		return -1;
	case 26:
		return (v >> 8) % 4;	/* a small fixed-file index */
	case 27:
		return 100000;
	default:
		return (v >> 8) % 64;
	}
}

static void *addr_of(__u64 v)
{
	unsigned int off = (v >> 8) % 0x1000;

	switch (v % 16) {
	case 0:
		return NULL;
	case 1: case 2:
		return mem + M_DATA + ((v >> 8) % 16) * 4096;
	case 3:
		return mem + M_IOV;
	case 4:
		return mem + M_MSG;
	case 5:
		return mem + M_TS + ((v >> 8) % 4) * 16;
	case 6:
		return mem + M_PATH + ((v >> 8) % 8) * 64;
	case 7:
		return mem + M_STATX;
	case 8:
		return mem + M_FUTEX + ((v >> 8) % 4) * 4;
	case 9:
		return mem + M_WAITV;
	case 10:
		return mem + M_EPEV;
	case 11:
		return mem + M_ADDR;
	case 12:
		return mem + MEM_SIZE + off;		/* past the end */
	case 13:
		return (void *)0xffffffff81000000ULL;	/* the kernel's */
	case 14:
		return mem + M_DATA + 0x10000 - (off & 0xff); /* an edge */
	default:
		/* memory the kernel reads too: a buffer ring's entries */
		if ((v >> 8) & 1)
			return mem + M_PBUF + ((v >> 9) % 0x10000);
		return (void *)(uintptr_t)(v >> 4);
	}
}

static int tcp_pair(int sv[2])
{
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (lfd < 0 || bind(lfd, (void *)&a, sizeof(a)) || listen(lfd, 4) ||
	    getsockname(lfd, (void *)&a, &len))
		return -1;
	sv[0] = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(sv[0], (void *)&a, sizeof(a)))
		return -1;
	sv[1] = accept(lfd, NULL, NULL);
	close(lfd);
	return 0;
}

static void pool_init(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct epoll_event ev = { .events = EPOLLIN };
	socklen_t len = sizeof(a);
	int sv[2], i, fd;
	sigset_t set;

	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		_exit(3);
	memset(mem + M_DATA, 'd', 0x10000);
	for (i = 0; i < 16; i++) {
		struct iovec *iov = (struct iovec *)(mem + M_IOV) + i;

		iov->iov_base = mem + M_DATA + i * 4096;
		iov->iov_len = 4096 >> (i % 4);
	}
	{
		struct msghdr *m = (struct msghdr *)(mem + M_MSG);

		m->msg_name = mem + M_ADDR;
		m->msg_namelen = sizeof(struct sockaddr_in);
		m->msg_iov = (struct iovec *)(mem + M_IOV);
		m->msg_iovlen = 2;
		m->msg_control = mem + M_CTRL;
		m->msg_controllen = 64;
		memcpy(mem + M_MSG1, m, sizeof(*m));
		((struct msghdr *)(mem + M_MSG1))->msg_iovlen = 1;
	}
	{
		struct __kernel_timespec *ts = (void *)(mem + M_TS);

		ts[0].tv_nsec = 1000000;	/* 1 ms */
		ts[1].tv_nsec = 0;
		ts[2].tv_nsec = 10000000;	/* 10 ms */
		ts[3].tv_sec = -1;
	}
	for (i = 0; i < 8; i++)
		snprintf(mem + M_PATH + i * 64, 64, "%s", paths[i]);
	{
		struct futex_waitv *w = (void *)(mem + M_WAITV);

		for (i = 0; i < 2; i++) {
			w[i].uaddr = (uintptr_t)(mem + M_FUTEX + i * 4);
			w[i].flags = FUTEX2_SIZE_U32;
		}
	}
	{
		struct open_how *how = (void *)(mem + M_HOW);

		how->flags = O_RDWR | O_CREAT;
		how->mode = 0644;
	}
	((struct epoll_event *)(mem + M_EPEV))->events = EPOLLIN | EPOLLOUT;

	for (i = 0; i < OBJ_NR; i++)
		objs[i] = -1;
	mkdir("dir", 0755);
	objs[OBJ_FILE] = open("f", O_RDWR | O_CREAT, 0644);
	if (objs[OBJ_FILE] >= 0 && ftruncate(objs[OBJ_FILE], 65536))
		;
	objs[OBJ_DIRECT] = open("f", O_RDWR | O_DIRECT);
	if (!pipe2(sv, O_NONBLOCK)) {
		objs[OBJ_PIPE_R] = sv[0];
		objs[OBJ_PIPE_W] = sv[1];
		if (write(sv[1], mem, 100) < 0)
			;
	}
	if (!socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) {
		objs[OBJ_UNIX_A] = sv[0];
		objs[OBJ_UNIX_B] = sv[1];
	}
	if (!tcp_pair(sv)) {
		objs[OBJ_TCP_A] = sv[0];
		objs[OBJ_TCP_B] = sv[1];
	}
	objs[OBJ_UDP_A] = socket(AF_INET, SOCK_DGRAM, 0);
	objs[OBJ_UDP_B] = socket(AF_INET, SOCK_DGRAM, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (!bind(objs[OBJ_UDP_B], (void *)&a, sizeof(a)) &&
	    !getsockname(objs[OBJ_UDP_B], (void *)&a, &len))
		connect(objs[OBJ_UDP_A], (void *)&a, sizeof(a));
	objs[OBJ_EVENTFD] = eventfd(0, EFD_NONBLOCK);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	objs[OBJ_SIGNALFD] = signalfd(-1, &set, SFD_NONBLOCK);
	objs[OBJ_EPOLL] = epoll_create1(0);
	epoll_ctl(objs[OBJ_EPOLL], EPOLL_CTL_ADD, objs[OBJ_PIPE_R], &ev);
	objs[OBJ_NULL] = open("/dev/null", O_RDWR);
	objs[OBJ_NULLB] = open("/dev/nullb0", O_RDWR | O_DIRECT);
	objs[OBJ_NVME] = open("/dev/nvme0n1", O_RDONLY | O_DIRECT);
	objs[OBJ_NG] = open("/dev/ng0n1", O_RDONLY);
	mkfifo("fifo", 0644);
	mkfifo("fifo.unopened", 0644);	/* an open of it waits for a peer */
	objs[OBJ_FIFO] = open("fifo", O_RDWR | O_NONBLOCK);
	objs[OBJ_LISTEN] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	listen_addr.sin_family = AF_INET;
	listen_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	len = sizeof(listen_addr);
	if (!bind(objs[OBJ_LISTEN], (void *)&listen_addr, sizeof(listen_addr)) &&
	    !listen(objs[OBJ_LISTEN], 8))
		getsockname(objs[OBJ_LISTEN], (void *)&listen_addr, &len);
	memcpy(mem + M_ADDR, &listen_addr, sizeof(listen_addr));
	objs[OBJ_DIR] = open(".", O_RDONLY | O_DIRECTORY);
	objs[OBJ_TIMERFD] = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	for (i = 0; i < IOUF_RINGS; i++)
		rings[i].fd = -1;
	/* pending connections for ACCEPT */
	for (i = 0; i < 2; i++) {
		fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		connect(fd, (void *)&listen_addr, sizeof(listen_addr));
	}
}

/* one in sixteen random values is "hostile": any bits at all */
static bool hostile_bits(__u64 v)
{
	return (v & 0xf) == 0xf;
}

/* ---- rings --------------------------------------------------------------- */

static int sys_setup(unsigned int entries, struct io_uring_params *p)
{
	return syscall(__NR_io_uring_setup, entries, p);
}

static int sys_enter(int fd, unsigned int submit, unsigned int min,
		     unsigned int flags, void *arg, size_t sz)
{
	return syscall(__NR_io_uring_enter, fd, submit, min, flags, arg, sz);
}

static int sys_register(int fd, unsigned int op, void *arg, unsigned int nr)
{
	return syscall(__NR_io_uring_register, fd, op, arg, nr);
}

/* setup flag sets that make sense together, and then any bits */
static const unsigned int setup_combos[] = {
	0, 0, IORING_SETUP_IOPOLL, IORING_SETUP_SQPOLL,
	IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF, IORING_SETUP_CQSIZE,
	IORING_SETUP_CLAMP, IORING_SETUP_R_DISABLED, IORING_SETUP_SUBMIT_ALL,
	IORING_SETUP_COOP_TASKRUN,
	IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
	IORING_SETUP_SQE128, IORING_SETUP_CQE32,
	IORING_SETUP_SQE128 | IORING_SETUP_CQE32, IORING_SETUP_SINGLE_ISSUER,
	IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
	IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
	IORING_SETUP_CQSIZE | IORING_SETUP_TASKRUN_FLAG,
	IORING_SETUP_NO_SQARRAY, IORING_SETUP_NO_MMAP,
	IORING_SETUP_NO_MMAP | IORING_SETUP_REGISTERED_FD_ONLY,
	IORING_SETUP_ATTACH_WQ, IORING_SETUP_SQPOLL | IORING_SETUP_ATTACH_WQ,
	IORING_SETUP_IOPOLL | IORING_SETUP_SQPOLL,
	IORING_SETUP_R_DISABLED | IORING_SETUP_SINGLE_ISSUER,
	IORING_SETUP_IOPOLL | IORING_SETUP_SQE128,	/* polled passthrough */
	/* (new ones go last: checked-in programs name combos by index) */
	IORING_SETUP_R_DISABLED | IORING_SETUP_SQPOLL,
	IORING_SETUP_R_DISABLED | IORING_SETUP_SINGLE_ISSUER |
	IORING_SETUP_DEFER_TASKRUN,
	IORING_SETUP_CQE_MIXED, IORING_SETUP_SQE_MIXED,
	IORING_SETUP_SQE_MIXED | IORING_SETUP_CQE_MIXED |
	IORING_SETUP_NO_SQARRAY,
	IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
	IORING_SETUP_CQE_MIXED,
};

static const unsigned int entries_vals[] = { 1, 2, 4, 8, 16, 32, 3, 0 };

static void ring_map(struct xring *r)
{
	struct io_uring_params *p = &r->p;
	size_t cqe_sz = (p->flags & IORING_SETUP_CQE32) ? 32 : 16;
	size_t sq_sz = p->sq_off.array + p->sq_entries * 4;
	size_t cq_sz = p->cq_off.cqes + p->cq_entries * cqe_sz;
	char *base;

	r->sqe_sz = p->sq_entries * ((p->flags & IORING_SETUP_SQE128) ? 128 : 64);
	if (p->flags & IORING_SETUP_NO_MMAP) {
		base = r->ring_mem;
	} else {
		r->ring_sz = sq_sz > cq_sz ? sq_sz : cq_sz;
		r->ring_mem = mmap(NULL, r->ring_sz, PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_POPULATE, r->fd,
				   IORING_OFF_SQ_RING);
		r->sqe_mem = mmap(NULL, r->sqe_sz, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_POPULATE, r->fd,
				  IORING_OFF_SQES);
		if (r->ring_mem == MAP_FAILED || r->sqe_mem == MAP_FAILED)
			return;
		base = r->ring_mem;
	}
	r->sq_head = (void *)(base + p->sq_off.head);
	r->sq_tail = (void *)(base + p->sq_off.tail);
	r->sq_mask = (void *)(base + p->sq_off.ring_mask);
	r->sq_array = (p->flags & IORING_SETUP_NO_SQARRAY) ? NULL :
		      (void *)(base + p->sq_off.array);
	r->cq_head = (void *)(base + p->cq_off.head);
	r->cq_tail = (void *)(base + p->cq_off.tail);
	r->cq_mask = (void *)(base + p->cq_off.ring_mask);
	r->cqes = (void *)(base + p->cq_off.cqes);
	r->sqe_tail = *r->sq_tail;
	r->mapped = true;
}

/*
 * Hostile memory of another kind: a struct the kernel reads and then
 * writes back (setup's params, a register op's results) in a page it can
 * read but not write, so the call fails late, after its side effects.
 * One page for both lanes: a lane that finds it taken uses normal memory.
 */
static pthread_mutex_t ro_lock = PTHREAD_MUTEX_INITIALIZER;

static void *ro_begin(const void *src, size_t len)
{
	char *page = mem + M_RO;

	if ((iouf_disabled & IOUF_NO_RO) || pthread_mutex_trylock(&ro_lock))
		return NULL;
	memcpy(page, src, len);
	if (mprotect(page, 4096, PROT_READ)) {
		pthread_mutex_unlock(&ro_lock);
		return NULL;
	}
	return page;
}

static void ro_end(void)
{
	mprotect(mem + M_RO, 4096, PROT_READ | PROT_WRITE);
	pthread_mutex_unlock(&ro_lock);
}

static void op_setup(const __u64 *a)
{
	struct xring *r = &rings[a[0] % IOUF_RINGS];
	unsigned int entries = entries_vals[a[1] % 8];
	struct io_uring_params p;
	void *ro;
	int fd;

	if (r->fd >= 0)
		return;
	memset(&p, 0, sizeof(p));
	if (hostile_bits(a[1] >> 8))
		entries = a[1] >> 12;
	p.flags = setup_combos[(a[2] & 0xff) % ARRAY_SIZE(setup_combos)];
	if (hostile_bits(a[2] >> 8))
		p.flags |= (__u32)(a[2] >> 32);	/* any bits */
	p.cq_entries = (a[3] & 0xff) ? (a[3] & 0xff) : 64;
	p.sq_thread_idle = (a[3] >> 8) % 20;
	p.sq_thread_cpu = (a[3] >> 16) % 4;
	p.wq_fd = rings[a[4] % IOUF_RINGS].fd;
	if (p.flags & IORING_SETUP_NO_MMAP) {
		r->ring_mem = mem + M_UMEM + (a[0] % IOUF_RINGS) * M_UMEM_SZ;
		r->sqe_mem = (char *)r->ring_mem + M_UMEM_SZ / 2;
		p.cq_off.user_addr = (uintptr_t)r->ring_mem;
		p.sq_off.user_addr = (uintptr_t)r->sqe_mem;
		if (a[4] & 0x100)
			p.sq_off.user_addr += 64;	/* misaligned */
	}
	ro = (a[4] & 0x200) ? ro_begin(&p, sizeof(p)) : NULL;
	if (ro) {
		fd = sys_setup(entries, ro);
		ro_end();
		if (fd >= 0) {
			close(fd);	/* params not written back: unusable */
			return;
		}
	} else {
		fd = sys_setup(entries, &p);
	}
	if (fd < 0)
		return;
	r->fd = fd;
	r->owner = syscall(SYS_gettid);
	r->p = p;
	r->reg_only = p.flags & IORING_SETUP_REGISTERED_FD_ONLY;
	r->mapped = false;
	ring_map(r);
}

/* the fd (or registered index) and flag bits to name the ring with */
static int ring_fd(const struct xring *r, unsigned int *enter_flags,
		   unsigned int *reg_flags)
{
	if (r->reg_only) {
		if (enter_flags)
			*enter_flags |= IORING_ENTER_REGISTERED_RING;
		if (reg_flags)
			*reg_flags |= IORING_REGISTER_USE_REGISTERED_RING;
	}
	return r->fd;
}

static struct io_uring_sqe *get_sqe(struct xring *r)
{
	unsigned int head, idx;
	struct io_uring_sqe *sqe;

	if (!r->mapped)
		return NULL;
	head = __atomic_load_n(r->sq_head, __ATOMIC_ACQUIRE);
	if (r->sqe_tail - head >= r->p.sq_entries)
		return NULL;
	idx = r->sqe_tail & *r->sq_mask;
	if (r->p.flags & IORING_SETUP_SQE128)
		sqe = (void *)((char *)r->sqe_mem + idx * 128);
	else
		sqe = (void *)((char *)r->sqe_mem + idx * 64);
	memset(sqe, 0, (r->p.flags & IORING_SETUP_SQE128) ? 128 : 64);
	if (r->sq_array)
		r->sq_array[idx] = idx;
	r->sqe_tail++;
	return sqe;
}

static void publish(struct xring *r)
{
	if (r->mapped)
		__atomic_store_n(r->sq_tail, r->sqe_tail, __ATOMIC_RELEASE);
}

/* ---- SQEs ------------------------------------------------------------------ */

static const __u8 sqe_flag_bits[] = {
	IOSQE_FIXED_FILE, IOSQE_IO_DRAIN, IOSQE_IO_LINK, IOSQE_IO_HARDLINK,
	IOSQE_ASYNC, IOSQE_BUFFER_SELECT, IOSQE_CQE_SKIP_SUCCESS,
};

/* small values an opcode-specific flags field takes */
static __u32 op_flags(unsigned int op, __u64 v)
{
	static const __u32 rw[] = { 0, RWF_NOWAIT, RWF_HIPRI, RWF_DSYNC,
				       RWF_APPEND };
	static const __u32 msg[] = { 0, MSG_DONTWAIT, MSG_WAITALL,
					MSG_PEEK, MSG_TRUNC, MSG_ERRQUEUE,
					MSG_NOSIGNAL | MSG_MORE };
	static const __u32 tmo[] = { 0, IORING_TIMEOUT_ABS,
					IORING_TIMEOUT_MULTISHOT,
					IORING_TIMEOUT_BOOTTIME,
					IORING_TIMEOUT_REALTIME,
					IORING_TIMEOUT_ETIME_SUCCESS,
					IORING_TIMEOUT_UPDATE,
					IORING_LINK_TIMEOUT_UPDATE };
	static const __u32 cancel[] = { 0, IORING_ASYNC_CANCEL_ALL,
					   IORING_ASYNC_CANCEL_FD,
					   IORING_ASYNC_CANCEL_ANY,
					   IORING_ASYNC_CANCEL_FD |
					   IORING_ASYNC_CANCEL_FD_FIXED,
					   IORING_ASYNC_CANCEL_OP,
					   IORING_ASYNC_CANCEL_USERDATA |
					   IORING_ASYNC_CANCEL_ALL };

	if (hostile_bits(v >> 4))
		return v >> 8;
	switch (op) {
	case IORING_OP_READV: case IORING_OP_WRITEV: case IORING_OP_READ:
	case IORING_OP_WRITE: case IORING_OP_READ_FIXED:
	case IORING_OP_WRITE_FIXED:
		return rw[v % 5];
	case IORING_OP_SENDMSG: case IORING_OP_RECVMSG: case IORING_OP_SEND:
	case IORING_OP_RECV: case IORING_OP_SEND_ZC: case IORING_OP_SENDMSG_ZC:
		return msg[v % 7];
	case IORING_OP_TIMEOUT: case IORING_OP_TIMEOUT_REMOVE:
	case IORING_OP_LINK_TIMEOUT:
		return tmo[v % 8] | tmo[(v >> 3) % 8];
	case IORING_OP_ASYNC_CANCEL:
		return cancel[v % 7];
	case IORING_OP_POLL_ADD: case IORING_OP_POLL_REMOVE:
		return (v & 1 ? POLLIN : 0) | (v & 2 ? POLLOUT : 0) |
		       (v & 4 ? POLLPRI : 0) | (v & 8 ? EPOLLONESHOT : 0) |
		       (v & 16 ? EPOLLEXCLUSIVE : 0);
	case IORING_OP_MSG_RING:
		return v % 4;
	case IORING_OP_OPENAT: case IORING_OP_OPENAT2:
		/* every access mode: a FIFO's open waits for the other end */
		return (v % 4 == 0 ? O_RDONLY : v % 4 == 1 ? O_WRONLY : O_RDWR) |
		       (v & 4 ? O_CREAT : 0) | (v & 8 ? O_TRUNC : 0) |
		       (v & 16 ? O_DIRECT : 0) |
		       ((v & 96) == 96 ? O_PATH : 0);
	case IORING_OP_FSYNC:
		return v & 1 ? IORING_FSYNC_DATASYNC : 0;
	case IORING_OP_NOP:
		return v & 1 ? IORING_NOP_INJECT_RESULT : 0;
	default:
		return v % 4;
	}
}

static __u16 op_ioprio(unsigned int op, __u64 v)
{
	if (hostile_bits(v >> 4))
		return v >> 8;
	switch (op) {
	case IORING_OP_RECV: case IORING_OP_RECVMSG:
		return (v & 1 ? IORING_RECV_MULTISHOT : 0) |
		       (v & 2 ? IORING_RECVSEND_BUNDLE : 0) |
		       (v & 4 ? IORING_RECVSEND_POLL_FIRST : 0);
	case IORING_OP_SEND: case IORING_OP_SENDMSG: case IORING_OP_SEND_ZC:
	case IORING_OP_SENDMSG_ZC: {
		__u16 f = (v & 1 ? IORING_RECVSEND_FIXED_BUF : 0) |
			  (v & 2 ? IORING_RECVSEND_BUNDLE : 0) |
			  (v & 4 ? IORING_RECVSEND_POLL_FIRST : 0) |
			  (v & 8 ? IORING_SEND_ZC_REPORT_USAGE : 0);

		if (!((v >> 12) % 8))
			return f;	/* any of them, one time in eight */
		/* otherwise only what the op takes */
		if (op == IORING_OP_SEND || op == IORING_OP_SENDMSG)
			f &= ~(IORING_RECVSEND_FIXED_BUF |
			       IORING_SEND_ZC_REPORT_USAGE);
		else if (op == IORING_OP_SEND_ZC)
			f &= ~IORING_RECVSEND_BUNDLE;
		else
			f &= ~IORING_RECVSEND_FIXED_BUF;
		return f;
	}
	case IORING_OP_ACCEPT:
		return v % 8;
	default:
		return 0;
	}
}

/* user_data of an earlier SQE: targets for cancel, remove and update */
static __u64 target_ud(__u64 v)
{
	return v % 48;
}

/*
 * An SQE: the opcode from a0, the object and the flags from a1, the rest
 * as the opcode uses them (zero where it wants zero). One SQE in sixteen
 * gets values in every field instead, and one in sixteen a flipped word.
 */
static void op_sqe(const __u64 *a, unsigned int idx)
{
	struct xring *r = &rings[a[0] % IOUF_RINGS];
	unsigned int op = (a[0] >> 2) % (IORING_OP_LAST + 2), i;
	struct io_uring_sqe *sqe;
	__u64 fl = a[1] >> 32;

	/*
	 * NVMe passthrough needs 128-byte SQEs: mostly it goes to a ring
	 * that has them, if there is one, and not only when the draw of
	 * the ring happens to agree (3 setups in 27).
	 */
	if (op == IORING_OP_URING_CMD && (a[2] & 0x100) && (a[2] & 0x1800) &&
	    !(r->p.flags & IORING_SETUP_SQE128))
		for (i = 0; i < IOUF_RINGS; i++)
			if (rings[i].mapped &&
			    (rings[i].p.flags & IORING_SETUP_SQE128))
				r = &rings[i];
	sqe = get_sqe(r);
	if (!sqe)
		return;
	sqe->opcode = op;
	/* each flag about one time in eight; all of them if hostile */
	fl = hostile_bits(a[1]) ? fl : fl & (fl >> 8) & (fl >> 16);
	for (i = 0; i < sizeof(sqe_flag_bits); i++)
		if (fl & (1ULL << i))
			sqe->flags |= sqe_flag_bits[i];
	sqe->fd = obj_fd(a[1] >> 8);
	/* one time in 32, the ring's own fd: a poll or a read of itself */
	if ((a[1] >> 8) % 32 == 28 && !r->reg_only)
		sqe->fd = r->fd;
	if (sqe->flags & IOSQE_FIXED_FILE)
		sqe->fd = (a[1] >> 8) % 4;
	if (hostile_bits(a[5])) {
		sqe->off = a[2];
		sqe->addr = (uintptr_t)addr_of(a[3]);
		sqe->len = a[4];
		sqe->rw_flags = a[4] >> 32;
		sqe->buf_index = a[5] >> 8;
		sqe->personality = a[5] >> 24;
		sqe->file_index = a[5] >> 32;
		sqe->addr3 = a[3] >> 8;
		sqe->ioprio = a[2] >> 48;
	}

	switch (op) {
	case IORING_OP_READ: case IORING_OP_WRITE: case IORING_OP_READ_FIXED:
	case IORING_OP_WRITE_FIXED: case IORING_OP_READV:
	case IORING_OP_WRITEV: case IORING_OP_READ_MULTISHOT:
		sqe->off = a[2] % 4 == 0 ? -1ULL : (a[2] % 4) * 4096 - 4096;
		sqe->addr = (uintptr_t)addr_of(a[3] % 8 ? 1 + (a[3] & ~0xfULL) :
					       a[3]);
		sqe->len = a[4] % 4 == 3 ? (a[4] >> 8) % 70000 :
			   4096 >> (a[4] % 4);
		sqe->rw_flags = op_flags(op, a[4] >> 8);
		/* a polled ring takes O_DIRECT block I/O: mostly give it that */
		if ((r->p.flags & IORING_SETUP_IOPOLL) &&
		    !(sqe->flags & IOSQE_FIXED_FILE) && (a[1] >> 8) % 4) {
			static const int polled[] = { OBJ_NULLB, OBJ_NVME,
						      OBJ_NULLB, OBJ_DIRECT };

			sqe->fd = objs[polled[(a[1] >> 10) % 4]];
		}
		if (op == IORING_OP_READV || op == IORING_OP_WRITEV) {
			sqe->addr = (uintptr_t)(mem + M_IOV);
			sqe->len = 1 + a[4] % 4;
		}
		if (op == IORING_OP_READ_FIXED || op == IORING_OP_WRITE_FIXED) {
			sqe->buf_index = a[5] % 4;
			/* mostly inside the buffer registered from iovec i */
			if (a[3] % 4)
				sqe->addr = (uintptr_t)(mem + M_DATA +
					sqe->buf_index * 4096 +
					((a[3] >> 8) % 4) * 512);
		}
		if (op == IORING_OP_READ_MULTISHOT ||
		    (sqe->flags & IOSQE_BUFFER_SELECT)) {
			sqe->flags |= IOSQE_BUFFER_SELECT;
			sqe->addr = 0;
			sqe->len = a[4] % 2 ? 0 : 64;
			if (op == IORING_OP_READV) {	/* one iovec */
				sqe->addr = (uintptr_t)(mem + M_IOV);
				sqe->len = a[4] % 8 ? 1 : 2;
			}
		}
		break;
	case IORING_OP_SEND: case IORING_OP_RECV: case IORING_OP_SEND_ZC:
		sqe->fd = objs[OBJ_UNIX_A + (a[1] >> 8) % 6];
		sqe->addr = (uintptr_t)addr_of(1 + (a[3] & ~0xfULL));
		sqe->len = a[4] % 2 ? 64 : 4096;
		sqe->msg_flags = op_flags(op, a[4] >> 8);
		sqe->ioprio = op_ioprio(op, a[5] >> 8);
		if (sqe->ioprio & (IORING_RECV_MULTISHOT |
				   IORING_RECVSEND_BUNDLE))
			sqe->flags |= IOSQE_BUFFER_SELECT;
		if (sqe->flags & IOSQE_BUFFER_SELECT) {
			sqe->addr = 0;
			sqe->len = 0;
		}
		if (sqe->ioprio & IORING_RECVSEND_FIXED_BUF) {
			sqe->buf_index = a[5] % 4;
			if (a[3] % 4)	/* inside registered buffer i, mostly */
				sqe->addr = (uintptr_t)(mem + M_DATA +
						sqe->buf_index * 4096);
		}
		break;
	case IORING_OP_SENDMSG: case IORING_OP_RECVMSG:
	case IORING_OP_SENDMSG_ZC:
		sqe->fd = objs[OBJ_UNIX_A + (a[1] >> 8) % 6];
		sqe->addr = (uintptr_t)(mem + M_MSG);
		sqe->msg_flags = op_flags(op, a[4] >> 8);
		sqe->ioprio = op_ioprio(op, a[5] >> 8) &
			      ~IORING_RECVSEND_BUNDLE;
		if (sqe->ioprio & IORING_RECV_MULTISHOT)
			sqe->flags |= IOSQE_BUFFER_SELECT;
		/* a selected buffer is one iovec */
		if ((sqe->flags & IOSQE_BUFFER_SELECT) && a[3] % 8)
			sqe->addr = (uintptr_t)(mem + M_MSG1);
		break;
	case IORING_OP_NOP:
		sqe->rw_flags = a[4] & 1 ? IORING_NOP_INJECT_RESULT : 0;
		sqe->len = a[4] >> 8;
		break;
	case IORING_OP_FSYNC:
		sqe->fsync_flags = a[4] & 1 ? IORING_FSYNC_DATASYNC : 0;
		break;
	case IORING_OP_SYNC_FILE_RANGE: case IORING_OP_FALLOCATE:
	case IORING_OP_FADVISE: case IORING_OP_FTRUNCATE:
		sqe->off = (a[2] % 16) * 4096;
		sqe->len = a[4] % 3;
		sqe->addr = (a[3] % 4) * 4096;
		if (op == IORING_OP_FTRUNCATE) {
			sqe->len = 0;
			sqe->addr = 0;
		}
		if (op == IORING_OP_SYNC_FILE_RANGE) {
			sqe->addr = a[3] % 8 ? 0 : 4096;
			sqe->sync_range_flags = (a[4] >> 8) % 8;
		}
		if (op == IORING_OP_FADVISE)
			sqe->fadvise_advice = (a[4] >> 8) % 6;
		break;
	case IORING_OP_MADVISE:
		sqe->addr = (uintptr_t)(mem + M_DATA);
		sqe->len = 4096;
		sqe->fadvise_advice = a[4] % 5;
		break;
	case IORING_OP_TIMEOUT: case IORING_OP_LINK_TIMEOUT:
		sqe->addr = (uintptr_t)(mem + M_TS + (a[3] % 3) * 16);
		sqe->len = 1;
		sqe->off = op == IORING_OP_TIMEOUT ? a[2] % 4 : 0;
		sqe->timeout_flags = op_flags(op, a[4]) &
				     ~IORING_TIMEOUT_UPDATE_MASK;
		if (op == IORING_OP_LINK_TIMEOUT) {
			unsigned int prev = r->sqe_tail - 2;

			sqe->timeout_flags &= ~IORING_TIMEOUT_MULTISHOT;
			/* mostly linked to the SQE before, if not yet seen */
			if (a[3] % 8 && (int)(prev - *r->sq_tail) >= 0) {
				size_t sz = r->p.flags & IORING_SETUP_SQE128 ?
					    128 : 64;
				struct io_uring_sqe *ps = (void *)
					((char *)r->sqe_mem +
					 (prev & *r->sq_mask) * sz);

				ps->flags |= IOSQE_IO_LINK;
			}
		}
		break;
	case IORING_OP_TIMEOUT_REMOVE:
		sqe->addr = target_ud(a[3]);
		sqe->addr2 = (uintptr_t)(mem + M_TS);
		sqe->timeout_flags = a[4] % 3 == 1 ? IORING_TIMEOUT_UPDATE :
				     a[4] % 3 == 2 ? IORING_LINK_TIMEOUT_UPDATE :
				     0;
		if (!sqe->timeout_flags)	/* a removal takes no time */
			sqe->addr2 = 0;
		break;
	case IORING_OP_POLL_REMOVE:
		sqe->addr = target_ud(a[3]);
		sqe->len = a[2] % 8;
		/* new events and user_data only with the flag that says so */
		if (sqe->len & IORING_POLL_UPDATE_USER_DATA)
			sqe->off = target_ud(a[2] >> 8);
		if (sqe->len & IORING_POLL_UPDATE_EVENTS)
			sqe->poll32_events = op_flags(op, a[4]);
		break;
	case IORING_OP_ASYNC_CANCEL:
		sqe->addr = target_ud(a[3]);
		sqe->cancel_flags = op_flags(op, a[4]);
		if (!(sqe->cancel_flags & IORING_ASYNC_CANCEL_FD_FIXED))
			sqe->fd = obj_fd(a[1] >> 8);
		break;
	case IORING_OP_POLL_ADD: {
		/* the rings themselves are files to poll: one time in two */
		const struct xring *t = (a[3] >> 2) & 1 ? r :
					&rings[(a[3] >> 3) % IOUF_RINGS];

		if (a[3] % 2 == 1 && t->fd >= 0 && !t->reg_only &&
		    !(sqe->flags & IOSQE_FIXED_FILE))
			sqe->fd = t->fd;
		/* -X ringpoll: past a known bug of polls on rings */
		if (iouf_disabled & IOUF_NO_RINGPOLL) {
			for (i = 0; i < IOUF_RINGS; i++)
				if (sqe->fd == rings[i].fd && rings[i].fd >= 0)
					sqe->fd = objs[OBJ_PIPE_R];
		}
		sqe->len = a[2] % 4 == 0 ? IORING_POLL_ADD_MULTI :
			   a[2] % 4 == 1 ? IORING_POLL_ADD_LEVEL : 0;
		sqe->poll32_events = op_flags(op, a[4]) | POLLIN;
		break;
	}
	case IORING_OP_ACCEPT:
		if (!(a[1] & (1ULL << 40)))
			sqe->fd = objs[OBJ_LISTEN];
		sqe->ioprio = op_ioprio(op, a[5] >> 8);
		sqe->accept_flags = a[4] % 2 ? SOCK_NONBLOCK : 0;
		if (a[5] & 0x100000)
			sqe->file_index = a[5] & 0x200000 ?
					  IORING_FILE_INDEX_ALLOC : 1;
		break;
	case IORING_OP_CONNECT:
		sqe->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		sqe->addr = (uintptr_t)(mem + M_ADDR);
		sqe->off = sizeof(struct sockaddr_in);
		break;
	case IORING_OP_OPENAT: case IORING_OP_OPENAT2:
	case IORING_OP_STATX: case IORING_OP_UNLINKAT: case IORING_OP_MKDIRAT:
	case IORING_OP_RENAMEAT: case IORING_OP_LINKAT:
	case IORING_OP_SYMLINKAT:
		if (!(a[1] & (1ULL << 40)))
			sqe->fd = AT_FDCWD;
		sqe->addr = (uintptr_t)(mem + M_PATH + (a[3] % 8) * 64);
		sqe->addr2 = (uintptr_t)(mem + M_PATH + ((a[3] >> 3) % 8) * 64);
		if (op == IORING_OP_OPENAT) {
			sqe->addr2 = 0;
			sqe->open_flags = op_flags(op, a[4]);
			sqe->len = 0644;
		} else if (op == IORING_OP_OPENAT2) {
			struct open_how *how = (void *)(mem + M_HOW);

			how->flags = op_flags(op, a[4]);
			how->mode = how->flags & O_CREAT ? 0644 : 0;
			sqe->addr2 = (uintptr_t)(mem + M_HOW);
			sqe->len = sizeof(struct open_how);
		} else if (op == IORING_OP_STATX) {
			sqe->addr2 = (uintptr_t)(mem + M_STATX);
			sqe->len = 0x7ff;
		} else if (op == IORING_OP_MKDIRAT) {
			sqe->addr2 = 0;
			sqe->len = 0755;
		} else if (op == IORING_OP_RENAMEAT || op == IORING_OP_LINKAT) {
			sqe->len = AT_FDCWD;
		} else if (op == IORING_OP_SYMLINKAT) {
			sqe->len = 0;
		} else {
			sqe->addr2 = 0;
		}
		if ((op == IORING_OP_OPENAT || op == IORING_OP_OPENAT2) &&
		    (a[5] & 0x100000))
			sqe->file_index = a[5] & 0x200000 ?
					  IORING_FILE_INDEX_ALLOC : 1;
		break;
	case IORING_OP_CLOSE:
		if (a[5] & 0x100000) {
			sqe->fd = 0;
			sqe->file_index = 1 + a[5] % 4;
		} else {
			sqe->fd = dup(obj_fd(a[1] >> 8));
		}
		break;
	case IORING_OP_SPLICE: case IORING_OP_TEE:
		sqe->splice_fd_in = objs[OBJ_PIPE_R];
		/* the FIFO is another pipe: what tee needs on its far end */
		sqe->fd = a[2] % 3 == 0 ? objs[OBJ_PIPE_W] :
			  a[2] % 3 == 1 ? objs[OBJ_UNIX_A] : objs[OBJ_FIFO];
		sqe->splice_off_in = op == IORING_OP_SPLICE && a[2] % 4 > 1 ?
				     0 : -1ULL;
		sqe->off = -1ULL;
		if (op == IORING_OP_TEE) {
			sqe->off = 0;
			sqe->splice_off_in = a[2] % 8 == 7 ? -1ULL : 0;
			if (a[2] % 4)
				sqe->fd = objs[OBJ_FIFO];
		}
		sqe->len = a[4] & 0xfff;
		sqe->splice_flags = a[4] & 0x1000 ? SPLICE_F_NONBLOCK : 0;
		break;
	case IORING_OP_PROVIDE_BUFFERS: case IORING_OP_REMOVE_BUFFERS:
		sqe->fd = 1 + (a[1] >> 8) % 8;		/* how many */
		sqe->buf_group = a[5] % 4;
		if (op == IORING_OP_PROVIDE_BUFFERS) {
			sqe->addr = (uintptr_t)(mem + M_DATA);
			sqe->len = 512;
			sqe->off = (a[2] >> 8) % 16;	/* first bid */
		}
		break;
	case IORING_OP_EPOLL_CTL:
		sqe->fd = objs[OBJ_EPOLL];
		sqe->off = obj_fd(a[2] >> 8);
		sqe->len = 1 + a[2] % 3;		/* ADD, DEL, MOD */
		sqe->addr = (uintptr_t)(mem + M_EPEV);
		break;
	case IORING_OP_SHUTDOWN:
		sqe->fd = objs[OBJ_UNIX_A + (a[1] >> 8) % 6];
		sqe->len = a[4] % 3;
		break;
	case IORING_OP_MSG_RING: {
		const struct xring *t = &rings[(a[1] >> 8) % IOUF_RINGS];

		sqe->fd = t->fd;
		if (t->reg_only || (sqe->flags & IOSQE_FIXED_FILE))
			sqe->fd = 0;
		sqe->addr = a[3] % 2 ? IORING_MSG_SEND_FD : IORING_MSG_DATA;
		sqe->len = a[4] & 0xffff;
		sqe->off = a[2];
		sqe->msg_ring_flags = a[4] >> 16 & 3;
		if (sqe->addr == IORING_MSG_SEND_FD) {
			sqe->addr3 = (a[3] >> 8) % 4;	/* source slot */
			sqe->file_index = (a[5] >> 20) % 5;
		}
		/* mostly the flag the command takes: SKIP for fds, PASS data */
		if ((a[4] >> 20) % 8)
			sqe->msg_ring_flags &= sqe->addr == IORING_MSG_DATA ?
					       IORING_MSG_RING_FLAGS_PASS :
					       IORING_MSG_RING_CQE_SKIP;
		if (sqe->msg_ring_flags & IORING_MSG_RING_FLAGS_PASS)
			sqe->file_index = a[5] >> 40;	/* the CQE's flags */
		break;
	}
	case IORING_OP_FSETXATTR: case IORING_OP_FGETXATTR:
	case IORING_OP_SETXATTR: case IORING_OP_GETXATTR:
		sqe->fd = objs[OBJ_FILE];
		sqe->addr = (uintptr_t)(mem + M_PATH + 64 * 7);	/* the name */
		snprintf(mem + M_PATH + 64 * 7, 64, "user.iouf");
		sqe->addr2 = (uintptr_t)(mem + M_DATA);
		sqe->len = a[4] % 64;
		if (op == IORING_OP_SETXATTR || op == IORING_OP_GETXATTR)
			sqe->addr3 = (uintptr_t)(mem + M_PATH);
		break;
	case IORING_OP_SOCKET:
		sqe->fd = a[2] % 3 == 0 ? AF_UNIX : AF_INET;
		sqe->off = a[2] % 2 ? SOCK_STREAM : SOCK_DGRAM;
		if (a[5] & 0x100000)
			sqe->file_index = a[5] & 0x200000 ?
					  IORING_FILE_INDEX_ALLOC : 1;
		break;
	case IORING_OP_URING_CMD:
		sqe->cmd_op = a[2] % 4;		/* SOCKET_URING_OP_* */
		sqe->fd = objs[OBJ_TCP_A];
		if (a[2] & 0x100) {
			/* NVMe passthrough: a read or write of 4 KiB (SQE128) */
			struct nvme_uring_cmd *nc = (void *)sqe->cmd;

			sqe->fd = objs[OBJ_NG];
			sqe->cmd_op = a[2] & 0x200 ? NVME_URING_CMD_IO_VEC :
						     NVME_URING_CMD_IO;
			if (!(r->p.flags & IORING_SETUP_SQE128))
				break;	/* -EINVAL: the command needs 128 bytes */
			nc->opcode = a[2] & 0x400 ? 0x01 : 0x02;
			nc->nsid = 1;
			nc->addr = sqe->cmd_op == NVME_URING_CMD_IO_VEC ?
				   (uintptr_t)(mem + M_IOV) :
				   (uintptr_t)(mem + M_DATA);
			nc->data_len = sqe->cmd_op == NVME_URING_CMD_IO_VEC ?
				       1 : 4096;
			nc->cdw10 = (a[3] >> 8) % 1024;	/* start LBA */
			nc->cdw12 = 7;			/* 8 blocks */
		}
		break;
	case IORING_OP_FUTEX_WAIT: case IORING_OP_FUTEX_WAKE:
		sqe->fd = FUTEX2_SIZE_U32;
		sqe->addr = (uintptr_t)(mem + M_FUTEX + (a[3] % 2) * 4);
		sqe->addr2 = a[2] % 3;
		sqe->addr3 = FUTEX_BITSET_MATCH_ANY;
		break;
	case IORING_OP_FUTEX_WAITV:
		sqe->fd = 0;
		sqe->addr = (uintptr_t)(mem + M_WAITV);
		sqe->len = 1 + a[4] % 2;
		break;
	case IORING_OP_WAITID:
		sqe->len = a[2] % 2 ? P_ALL : P_PID;
		/* the last child a fork call made, if it has not been reaped */
		sqe->fd = sqe->len == P_PID ? last_child : 0;
		sqe->file_index = WEXITED | (a[2] & 2 ? WNOHANG : 0);
		break;
	case IORING_OP_FIXED_FD_INSTALL:
		sqe->flags |= IOSQE_FIXED_FILE;
		sqe->fd = (a[1] >> 8) % 4;
		sqe->install_fd_flags = a[4] & 1;
		break;
	case IORING_OP_BIND: case IORING_OP_LISTEN:
		sqe->fd = socket(AF_INET, SOCK_STREAM, 0);
		if (op == IORING_OP_BIND) {
			sqe->addr = (uintptr_t)(mem + M_ADDR);
			sqe->addr2 = sizeof(struct sockaddr_in);
		} else {
			sqe->len = a[4] % 8;
		}
		break;
	case IORING_OP_FILES_UPDATE:
		*(int *)(mem + M_ARG + 2048) = obj_fd(a[2] >> 8);
		sqe->addr = (uintptr_t)(mem + M_ARG + 2048);
		sqe->len = 1;
		sqe->off = a[2] % 3 == 2 ? IORING_FILE_INDEX_ALLOC : a[2] % 3;
		break;
	}
	if (sqe->flags & IOSQE_BUFFER_SELECT)
		sqe->buf_group = a[5] % 4;
	if (hostile_bits(a[4] >> 4)) {
		/* one word of the SQE, any value */
		__u64 *w = (__u64 *)sqe + (a[4] >> 8) % 8;

		*w ^= a[2];
	}
	/* the user_data stays the call's index, to be a cancel target */
	sqe->user_data = idx;
}

/* ---- register ------------------------------------------------------------ */

/* fill buffer ring @slot (in mem) with @nr buffers, publish the tail */
static void *pbuf_ring_fill(unsigned int slot, unsigned int nr, __u64 v)
{
	struct io_uring_buf_ring *br = (void *)(mem + M_PBUF + slot * 0x4000);
	unsigned int i;

	for (i = 0; i < nr && i < 16; i++) {
		br->bufs[i].addr = (uintptr_t)(mem + M_DATA + i * 4096);
		br->bufs[i].len = 512 << (i % 4);
		br->bufs[i].bid = i;
	}
	/* a buffer inside the ring that lists it: data lands on the entries */
	if ((v >> 40) % 8 == 0 && nr)
		br->bufs[(v >> 44) % (nr < 16 ? nr : 16)].addr = (uintptr_t)br;
	/* a buffer of no length, or of any length */
	if (hostile_bits(v) && nr)
		br->bufs[(v >> 4) % (nr < 16 ? nr : 16)].len =
			(v >> 8) & 1 ? 0 : v >> 32;
	__atomic_store_n(&br->tail, nr, __ATOMIC_RELEASE);
	return br;
}

/* the entries of a task restriction header at @arg */
static unsigned int tr_nr(void *arg)
{
	return ((struct io_uring_task_restriction *)arg)->nr_res;
}

static void op_register(const __u64 *a)
{
	struct xring *r = &rings[a[0] % IOUF_RINGS];
	unsigned int op = a[1] % (IORING_REGISTER_LAST + 1), nr = 0, flags = 0;
	void *arg = mem + M_ARG, *ro;
	bool task = false;
	int fd, i;

	memset(arg, 0, 512);
	switch (op) {
	case IORING_REGISTER_BUFFERS:
		nr = 1 + a[2] % 4;
		memcpy(arg, mem + M_IOV, nr * sizeof(struct iovec));
		break;
	case IORING_REGISTER_BUFFERS2: case IORING_REGISTER_FILES2: {
		struct io_uring_rsrc_register *rr = arg;
		int *fds = (int *)((char *)arg + 256);

		rr->nr = 1 + a[2] % 8;
		rr->flags = a[2] & 0x100 ? IORING_RSRC_REGISTER_SPARSE : 0;
		if (op == IORING_REGISTER_BUFFERS2) {
			rr->nr = 1 + a[2] % 4;
			rr->data = (uintptr_t)(mem + M_IOV);
		} else {
			for (i = 0; i < 8; i++)
				fds[i] = obj_fd(a[3] >> (i * 5));
			rr->data = (uintptr_t)fds;
		}
		/* a sparse table comes with no data, mostly */
		if (rr->flags && !(a[2] & 0x200))
			rr->data = 0;
		nr = sizeof(*rr);
		break;
	}
	case IORING_REGISTER_FILES: {
		int *fds = arg;

		nr = 1 + a[2] % 8;
		for (i = 0; i < (int)nr; i++)
			fds[i] = (a[3] >> i) & 1 ? -1 : obj_fd(a[4] >> (i * 5));
		break;
	}
	case IORING_REGISTER_FILES_UPDATE: case IORING_REGISTER_FILES_UPDATE2:
	case IORING_REGISTER_BUFFERS_UPDATE: {
		struct io_uring_rsrc_update2 *up = arg;
		int *fds = (int *)((char *)arg + 256);

		fds[0] = obj_fd(a[3]);
		fds[1] = -1;
		up->offset = a[2] % 3 == 2 ? IORING_FILE_INDEX_ALLOC : a[2] % 4;
		up->data = op == IORING_REGISTER_BUFFERS_UPDATE ?
			   (uintptr_t)(mem + M_IOV) : (uintptr_t)fds;
		up->nr = 1 + a[4] % 2;
		nr = op == IORING_REGISTER_FILES_UPDATE ? up->nr : sizeof(*up);
		break;
	}
	case IORING_REGISTER_EVENTFD: case IORING_REGISTER_EVENTFD_ASYNC:
		*(int *)arg = a[2] % 4 ? objs[OBJ_EVENTFD] : obj_fd(a[3]);
		nr = 1;
		break;
	case IORING_REGISTER_PROBE:
		nr = a[2] % 2 ? 256 : a[2] % 300;
		/* the whole struct zeroed, as the kernel wants it */
		memset(arg, 0, sizeof(struct io_uring_probe) +
		       nr * sizeof(struct io_uring_probe_op));
		break;
	case IORING_UNREGISTER_PERSONALITY:
		arg = NULL;
		nr = a[2] % 4;
		break;
	case IORING_REGISTER_RESTRICTIONS: {
		struct io_uring_restriction *res = arg;

		nr = a[2] % 4;
		/* the task's policy (fd -1): a header, then the entries */
		if (a[2] & 0x100) {
			struct io_uring_task_restriction *tr = arg;

			task = true;
			tr->nr_res = nr;
			res = tr->restrictions;
			nr = 1;
		}
		for (i = 0; i < (int)(task ? tr_nr(arg) : nr); i++) {
			res[i].opcode = (a[3] >> (i * 8)) % 5;
			res[i].sqe_op = (a[4] >> (i * 8)) % 64;
			if (res[i].opcode == IORING_RESTRICTION_REGISTER_OP &&
			    (a[4] >> (i * 8)) % 8)
				res[i].sqe_op %= IORING_REGISTER_LAST;
		}
		break;
	}
	case IORING_REGISTER_IOWQ_AFF:
		*(__u64 *)arg = a[2];
		nr = 1 + a[3] % 8;
		break;
	case IORING_REGISTER_IOWQ_MAX_WORKERS:
		((__u32 *)arg)[0] = a[2] % 8;
		((__u32 *)arg)[1] = (a[2] >> 8) % 8;
		nr = 2;
		break;
	case IORING_REGISTER_RING_FDS: case IORING_UNREGISTER_RING_FDS: {
		struct io_uring_rsrc_update *up = arg;

		up->offset = a[2] % 2 ? -1U : a[2] % 16;
		up->data = rings[(a[3]) % IOUF_RINGS].fd;
		if (op == IORING_UNREGISTER_RING_FDS) {
			/* a slot, and no data, mostly */
			up->data = (a[3] & 0xf0) ? 0 : up->data;
			up->offset = a[2] % 8 ? a[2] % 16 : -1U;
		}
		nr = 1;
		break;
	}
	case IORING_REGISTER_PBUF_RING: {
		struct io_uring_buf_reg *reg = arg;
		unsigned int slot = a[2] % 4;

		reg->ring_entries = 1U << (a[3] % 5);
		reg->ring_addr = (uintptr_t)pbuf_ring_fill(slot,
							   reg->ring_entries,
							   a[4]);
		reg->bgid = slot;
		reg->flags = a[3] & 0x100 ? IOU_PBUF_RING_INC : 0;
		if (a[3] & 0x200) {	/* the kernel allocates the ring */
			reg->flags |= IOU_PBUF_RING_MMAP;
			reg->ring_addr = 0;
		}
		if (hostile_bits(a[3] >> 12))
			reg->ring_entries = a[3] >> 16;
		nr = 1;
		break;
	}
	case IORING_UNREGISTER_PBUF_RING: case IORING_REGISTER_PBUF_STATUS:
		((struct io_uring_buf_reg *)arg)->bgid = a[2] % 4;
		nr = 1;
		break;
	case IORING_REGISTER_SYNC_CANCEL: {
		struct io_uring_sync_cancel_reg *sc = arg;

		sc->addr = target_ud(a[2]);
		sc->fd = obj_fd(a[3]);
		sc->flags = op_flags(IORING_OP_ASYNC_CANCEL, a[4]);
		sc->timeout.tv_nsec = 1000000;
		nr = 1;
		break;
	}
	case IORING_REGISTER_FILE_ALLOC_RANGE: {
		struct io_uring_file_index_range *fr = arg;

		fr->off = a[2] % 4;
		fr->len = a[3] % 8;
		nr = 0;
		break;
	}
	case IORING_REGISTER_NAPI: case IORING_UNREGISTER_NAPI:
		((struct io_uring_napi *)arg)->busy_poll_to = a[2] % 100;
		nr = 1;
		break;
	case IORING_REGISTER_CLOCK:
		((struct io_uring_clock_register *)arg)->clockid = a[2] % 8;
		nr = 0;
		break;
	case IORING_REGISTER_RESIZE_RINGS: {
		struct io_uring_params *p = arg;

		/*
		 * Only DEFER_TASKRUN rings take it (NO_MMAP ones need memory):
		 * mostly aim at one, if there is one.
		 */
		for (i = 0; i < IOUF_RINGS && (a[3] >> 10) % 4; i++) {
			struct xring *d = &rings[(a[0] + i) % IOUF_RINGS];

			/* and from its issuer: anyone else gets -EEXIST */
			if (d->fd >= 0 &&
			    (d->p.flags & IORING_SETUP_DEFER_TASKRUN) &&
			    d->owner == syscall(SYS_gettid)) {
				r = d;
				break;
			}
		}
		p->sq_entries = entries_vals[a[2] % 8];
		p->cq_entries = a[3] % 64;
		p->flags = ((a[3] >> 8) & 1 ? IORING_SETUP_CQSIZE : 0) |
			   ((a[3] >> 9) & 1 ? IORING_SETUP_CLAMP : 0);
		nr = 1;
		break;
	}
	case IORING_REGISTER_MEM_REGION: {
		struct io_uring_mem_region_reg *mr = arg;
		struct io_uring_region_desc *rd = (void *)((char *)arg + 64);

		/*
		 * Always user memory: op_enter() writes the wait argument it
		 * points at, so that a wait always ends.
		 */
		rd->user_addr = (uintptr_t)(mem + M_WAITREG);
		rd->size = 4096;
		rd->flags = IORING_MEM_REGION_TYPE_USER;
		mr->region_uptr = (uintptr_t)rd;
		mr->flags = a[2] & 1 ? IORING_MEM_REGION_REG_WAIT_ARG : 0;
		nr = 1;
		break;
	}
	case IORING_REGISTER_BPF_FILTER: {
		struct io_uring_bpf *bpf = arg;
		struct sock_filter *f = (void *)((char *)arg + 256);

		/* "deny if this word of the context is k", or raw noise */
		f[0] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						    ((a[4] >> 8) % 12) * 4);
		f[1] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						    a[4] >> 32, 0, 1);
		f[2] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0);
		f[3] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 1);
		if (hostile_bits(a[4]))
			memcpy(f, &a[3], 2 * sizeof(__u64));
		bpf->cmd_type = IO_URING_BPF_CMD_FILTER;
		bpf->filter.opcode = a[2] % (IORING_OP_LAST + 1);
		bpf->filter.flags = (a[3] & 7) == 0 ?
			IO_URING_BPF_FILTER_DENY_REST : (a[3] >> 3) % 4;
		bpf->filter.pdu_size = (a[3] >> 8) % 8 ? 0 : (a[3] >> 11) % 32;
		bpf->filter.filter_len = 1 + (a[4] & 3);
		bpf->filter.filter_ptr = (uintptr_t)(f + 4 - bpf->filter.filter_len);
		task = a[2] & 0x100;
		nr = 1;
		break;
	}
	case IORING_REGISTER_CLONE_BUFFERS:
		((struct io_uring_clone_buffers *)arg)->src_fd =
			rings[a[2] % IOUF_RINGS].fd;
		if (rings[a[2] % IOUF_RINGS].reg_only)
			((struct io_uring_clone_buffers *)arg)->flags =
				IORING_REGISTER_SRC_REGISTERED;
		nr = 1;
		break;
	default:
		/* the ops that take nothing */
		arg = NULL;
		nr = 0;
		break;
	}
	if (hostile_bits(a[5])) {
		/* another count, or a bad pointer */
		nr = a[5] >> 8;
		if (a[5] & 0x10)
			arg = addr_of(a[5] >> 16);
	}
	fd = ring_fd(r, NULL, &flags);
	/* a policy for this program's process and what it forks */
	if (task) {
		fd = -1;
		flags = 0;
	}
	ro = (a[5] & 0x20) && arg == mem + M_ARG ? ro_begin(arg, 512) : NULL;
	if (ro) {
		sys_register(fd, op | flags, ro, nr);
		ro_end();
		return;
	}
	if (sys_register(fd, op | flags, arg, nr) == 0 &&
	    op == IORING_REGISTER_RESIZE_RINGS && arg == mem + M_ARG &&
	    r->mapped && !(r->p.flags & IORING_SETUP_NO_MMAP)) {
		struct io_uring_params *p = arg;

		/*
		 * Map the new rings. The old mappings stay (the other lane
		 * may be writing to them): they keep their pages, which the
		 * ring no longer reads.
		 */
		r->p.sq_entries = p->sq_entries;
		r->p.cq_entries = p->cq_entries;
		r->p.sq_off = p->sq_off;
		r->p.cq_off = p->cq_off;
		ring_map(r);
	}
}

/* ---- enter, reap ------------------------------------------------------------ */

static void op_enter(const __u64 *a)
{
	struct xring *r = &rings[a[0] % IOUF_RINGS];
	struct io_uring_getevents_arg *ga = (void *)(mem + M_ARG + 1024);
	unsigned int flags = 0, submit, min;
	struct __kernel_timespec *ts = (void *)(mem + M_ARG + 1536);
	sigset_t *ss = (void *)(mem + M_ARG + 1600);
	void *arg = NULL;
	size_t sz = 0;
	int fd;

	publish(r);
	submit = hostile_bits(a[1] >> 8) ? a[1] >> 12 :
		 (r->mapped ? r->sqe_tail - *r->sq_head : a[1] & 7);
	min = a[2] % 4;
	if (a[3] & 1)
		flags |= IORING_ENTER_GETEVENTS;
	if (a[3] & 2)
		flags |= IORING_ENTER_SQ_WAKEUP;
	if (a[3] & 4)
		flags |= IORING_ENTER_SQ_WAIT;
	if (a[3] & 8)
		flags |= IORING_ENTER_ABS_TIMER;
	if (hostile_bits(a[3] >> 8))
		flags |= a[3] >> 12;	/* any bits */
	if ((flags & IORING_ENTER_GETEVENTS) || (a[3] & 16)) {
		/* a wait always ends: at most 5 ms */
		flags |= IORING_ENTER_EXT_ARG;
		memset(ga, 0, sizeof(*ga));
		ts->tv_sec = 0;
		ts->tv_nsec = 1000000 * (1 + a[4] % 5);
		if ((flags & IORING_ENTER_ABS_TIMER) && (a[4] >> 28) % 8) {
			/* a deadline ahead (on the default clock) */
			struct timespec now;

			clock_gettime(CLOCK_MONOTONIC, &now);
			ts->tv_sec = now.tv_sec;
			ts->tv_nsec += now.tv_nsec;
			if (ts->tv_nsec >= 1000000000) {
				ts->tv_sec++;
				ts->tv_nsec -= 1000000000;
			}
		}
		ga->ts = (uintptr_t)ts;
		ga->min_wait_usec = (a[4] >> 8) % 3 == 0 ? 500 : 0;
		if (a[4] & 0x10000) {
			sigemptyset(ss);
			ga->sigmask = (uintptr_t)ss;
			ga->sigmask_sz = 8;
		}
		arg = ga;
		sz = hostile_bits(a[4] >> 20) ? a[4] >> 24 : sizeof(*ga);
		/* a registered wait argument, if the ring has a wait region */
		if (a[3] & 32) {
			struct io_uring_reg_wait *w = (void *)(mem + M_WAITREG);

			memset(w, 0, sizeof(*w));
			w->ts.tv_nsec = ts->tv_nsec;
			w->ts.tv_sec = ts->tv_sec;
			w->flags = IORING_REG_WAIT_TS;
			w->min_wait_usec = ga->min_wait_usec;
			flags |= IORING_ENTER_EXT_ARG_REG;
			arg = NULL;	/* entry 0 */
			sz = sizeof(*w);
		}
		/* now and then the plain sigmask form: no timeout, no wait */
		if (!((a[4] >> 32) % 16) && !(a[3] & 16) && !min) {
			flags &= ~IORING_ENTER_EXT_ARG;
			sigemptyset(ss);
			arg = ss;
			sz = 8;
		}
	}
	fd = ring_fd(r, &flags, NULL);
	sys_enter(fd, submit, min, flags, arg, sz);
}

static void op_reap(const __u64 *a)
{
	struct xring *r = &rings[a[0] % IOUF_RINGS];
	unsigned int head, tail, n = 1 + a[1] % 64;

	if ((a[1] & 0x100) && r->fd >= 0 && !r->reg_only) {
		/* what fdinfo shows walks the ring's state too */
		char path[64], buf[4096];
		int fd;

		snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", r->fd);
		fd = open(path, O_RDONLY);
		if (fd >= 0) {
			while (read(fd, buf, sizeof(buf)) > 0)
				;
			close(fd);
		}
	}
	if (!r->mapped)
		return;
	head = *r->cq_head;
	tail = __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE);
	if (tail - head < n)
		n = tail - head;
	__atomic_store_n(r->cq_head, head + n, __ATOMIC_RELEASE);
}

/* ---- life events ------------------------------------------------------------ */

static void op_close(const __u64 *a)
{
	unsigned int k = a[0] % 32;

	if (k >= 21 && k <= 24 && rings[k - 21].fd >= 0 &&
	    !rings[k - 21].reg_only) {
		close(rings[k - 21].fd);	/* the mappings stay */
		rings[k - 21].fd = -1;
		return;
	}
	if (k < OBJ_NR && objs[k] >= 0)
		close(objs[k]);
}

static void op_munmap(const __u64 *a)
{
	struct xring *r = &rings[a[0] % IOUF_RINGS];

	if (!r->mapped || (r->p.flags & IORING_SETUP_NO_MMAP))
		return;
	r->mapped = false;
	if (a[1] & 1)
		munmap(r->sqe_mem, r->sqe_sz);
	else
		munmap(r->ring_mem, r->ring_sz);
}

static void sig_handler(int sig)
{
	(void)sig;
}

static pthread_t lane_threads[IOUF_LANES];

static void op_signal(const __u64 *a)
{
	static const int sigs[] = { SIGUSR1, SIGUSR2, SIGALRM };
	int sig = sigs[a[0] % 3];

	if (a[1] & 1)
		pthread_kill(lane_threads[(a[1] >> 1) & 1], sig);
	else
		kill(getpid(), sig);
}

struct scribble {
	unsigned int *p;
	unsigned int v, n;
};

static void *scribble_fn(void *arg)
{
	struct scribble *s = arg;
	unsigned int i;

	for (i = 0; i < s->n; i++)
		__atomic_store_n(s->p, s->v + i, __ATOMIC_RELAXED);
	free(s);
	return NULL;
}

static void op_scribble(const __u64 *a)
{
	struct xring *r = &rings[a[0] % IOUF_RINGS];
	struct scribble *s;
	unsigned int *p = NULL;
	pthread_t t;

	switch (a[1] % 6) {
	case 0:
		p = r->mapped ? r->sq_tail : NULL;
		break;
	case 1:
		p = r->mapped ? r->cq_head : NULL;
		break;
	case 2:
		p = r->mapped && r->sq_array ?
		    &r->sq_array[(a[1] >> 8) % r->p.sq_entries] : NULL;
		break;
	case 3:
		p = (unsigned int *)(mem + M_PBUF + ((a[1] >> 8) % 4) * 0x4000 +
				     14);	/* a buffer ring's tail */
		break;
	case 4:
		p = r->mapped ? (unsigned int *)((char *)r->sqe_mem +
						 ((a[1] >> 8) % 64) * 4) : NULL;
		break;
	default:
		p = (unsigned int *)(mem + M_PBUF + ((a[1] >> 8) % 0x1000) * 4);
		break;
	}
	if (!p)
		return;
	if (!(a[3] & 1)) {
		*p = a[2];
		return;
	}
	/* racing writes while the other lane goes on */
	s = malloc(sizeof(*s));
	if (!s)
		return;
	s->p = p;
	s->v = a[2];
	s->n = 1 + (a[3] >> 1) % 100000;
	if (!pthread_create(&t, NULL, scribble_fn, s))
		pthread_detach(t);
	else
		free(s);
}

static void op_fault(const __u64 *a, bool faults)
{
	char buf[16];
	int fd, len;

	if (!faults)
		return;
	fd = open("/proc/thread-self/fail-nth", O_WRONLY);
	if (fd < 0)
		return;
	len = snprintf(buf, sizeof(buf), "%u", 1 + (unsigned int)(a[0] % 32));
	if (write(fd, buf, len) < 0)
		;
	close(fd);
}

/* ---- after exec -------------------------------------------------------------- */

/* the fds open in this process, as bits */
static void fd_snapshot(unsigned long *bits, size_t words)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	memset(bits, 0, words * sizeof(*bits));
	if (!d)
		return;
	while ((e = readdir(d))) {
		int fd = atoi(e->d_name);

		if (e->d_name[0] == '.' || fd == dirfd(d))
			continue;
		if ((size_t)fd < words * 64)
			bits[fd / 64] |= 1UL << (fd % 64);
	}
	closedir(d);
}

/*
 * The image an exec starts must never see a request of the old image run
 * (6.12 cancels them all at exec): such a request would act with the new
 * image's files, memory and credentials. An fd that appears here without
 * this image opening one was installed by such a request (OPENAT, ACCEPT,
 * SOCKET, FIXED_FD_INSTALL, ...): it is reported in the kernel log, where
 * the fuzzer looks for bugs.
 */
int iouf_exec_probe(void)
{
	unsigned long before[16], after[16];
	unsigned int i;
	int fd;

	fd_snapshot(before, 16);
	for (i = 0; i < 30; i++) {
		usleep(10000);
		fd_snapshot(after, 16);
		for (fd = 0; fd < 16 * 64; fd++) {
			char msg[160];
			int k;

			if (!(after[fd / 64] & ~before[fd / 64] & 1UL << (fd % 64)))
				continue;
			k = open("/dev/kmsg", O_WRONLY);
			snprintf(msg, sizeof(msg),
				 "iouf: BUG: an fd appeared after exec: a request of the old image ran in the new one\n");
			if (k >= 0 && write(k, msg, strlen(msg)) < 0)
				;
			return 1;
		}
	}
	return 0;
}

/* ---- lanes ------------------------------------------------------------------ */

struct lane {
	const struct iouf_prog *p;
	unsigned int lane, from, to;
	struct iouf_cover *cov;
	bool faults;
};

bool (*iouf_pc_wanted)(__u64 pc);
static pthread_barrier_t start_barrier;

static void run_calls(const struct iouf_prog *p, unsigned int lane,
		      unsigned int from, unsigned int to, bool faults);

/* the next @n calls of @lane after @i: run by a forked or new thread */
static unsigned int span_end(const struct iouf_prog *p, unsigned int lane,
			     unsigned int i, unsigned int n)
{
	while (++i < p->n && n)
		if (p->c[i].lane == lane)
			n--;
	return i;
}

struct thread_span {
	const struct iouf_prog *p;
	unsigned int lane, from, to;
	bool faults;
};

/*
 * Threads of thread calls that run on beside their lane: joined at the
 * end like the lanes, so that an exit of theirs that hangs is seen too
 * (a detached one would be killed with the process, and the hang hidden).
 */
#define IOUF_SPANS	16
static pthread_t span_threads[IOUF_SPANS];
/* SPAN_PENDING until its creator knows: a thread to join, or none */
enum { SPAN_PENDING, SPAN_THREAD, SPAN_NONE };
static int span_state[IOUF_SPANS];
static unsigned int spans_started, spans_returned;

static void *span_fn(void *arg)
{
	struct thread_span *ts = arg;

	run_calls(ts->p, ts->lane, ts->from, ts->to, ts->faults);
	free(ts);
	__atomic_add_fetch(&spans_returned, 1, __ATOMIC_RELEASE);
	return NULL;	/* a thread exit with whatever it left in flight */
}

static struct iouf_cover *exec_cov;	/* this run's, for forked children */
static int kcov_open(unsigned long **area);
static void cover_add(struct iouf_cover *cov, unsigned long *area);

/*
 * The calls of a forked child, with KCOV of its own (a child inherits
 * none): its PCs join the run's. Its exit, and an exec that follows,
 * report through the remote handle it inherited.
 */
static void child_calls(const struct iouf_prog *p, unsigned int lane,
			unsigned int from, unsigned int to, bool faults)
{
	unsigned long *area = NULL;
	int kfd = exec_cov ? kcov_open(&area) : -1;

	if (kfd >= 0 && ioctl(kfd, KCOV_ENABLE, KCOV_TRACE_PC)) {
		close(kfd);
		kfd = -1;
	}
	if (kfd >= 0)
		__atomic_store_n(&area[0], 0, __ATOMIC_RELAXED);
	run_calls(p, lane, from, to, faults);
	if (kfd >= 0) {
		ioctl(kfd, KCOV_DISABLE, 0);
		cover_add(exec_cov, area);
		close(kfd);
	}
}

static void *idle_fn(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static unsigned int run_call(const struct iouf_prog *p, unsigned int lane,
			     unsigned int i, bool faults)
{
	const struct iouf_call *c = &p->c[i];
	unsigned int end;
	pid_t pid;

	if (iouf_disabled & (1U << c->op))
		return i + 1;
	switch (c->op) {
	case IOUF_SETUP:
		op_setup(c->a);
		break;
	case IOUF_REGISTER:
		op_register(c->a);
		break;
	case IOUF_SQE:
		op_sqe(c->a, i);
		break;
	case IOUF_ENTER:
		op_enter(c->a);
		break;
	case IOUF_REAP:
		op_reap(c->a);
		break;
	case IOUF_FORK:
		end = span_end(p, lane, i, 1 + c->a[1] % 4);
		pid = fork();
		if (pid == 0) {
			child_calls(p, lane, i + 1, end, faults);
			_exit(0);
		}
		if (pid > 0 && (c->a[2] & 1))
			waitpid(pid, NULL, 0);
		else if (pid > 0)
			last_child = pid;
		return end;
	case IOUF_EXEC:
		end = span_end(p, lane, i, 1 + c->a[1] % 4);
		pid = fork();
		if (pid == 0) {
			/* the new image is this program again, as the probe */
			static char *const argv[] = { "/proc/self/exe", NULL };
			static char *const envp[] = {
				IOUF_EXEC_PROBE_ENV "=1", NULL
			};
			pthread_t t;

			child_calls(p, lane, i + 1, end, faults);
			if (c->a[2] & 1)
				pthread_create(&t, NULL, idle_fn, NULL);
			execve(argv[0], argv, envp);
			_exit(0);
		}
		if (pid > 0)
			waitpid(pid, NULL, 0);
		return end;
	case IOUF_THREAD: {
		struct thread_span *ts = malloc(sizeof(*ts));
		unsigned int slot;
		pthread_t t;

		end = span_end(p, lane, i, 1 + c->a[1] % 4);
		if (!ts)
			return end;
		*ts = (struct thread_span){ p, lane, i + 1, end, faults };
		slot = c->a[2] & 1 ? IOUF_SPANS :
		       __atomic_fetch_add(&spans_started, 1, __ATOMIC_ACQ_REL);
		if (pthread_create(&t, NULL, span_fn, ts)) {
			free(ts);
			/* nothing to wait for in this slot */
			if (slot < IOUF_SPANS) {
				__atomic_add_fetch(&spans_returned, 1,
						   __ATOMIC_RELEASE);
				__atomic_store_n(&span_state[slot], SPAN_NONE,
						 __ATOMIC_RELEASE);
			}
			return end;
		}
		if (c->a[2] & 1) {
			pthread_join(t, NULL);
		} else if (slot < IOUF_SPANS) {
			span_threads[slot] = t;
			__atomic_store_n(&span_state[slot], SPAN_THREAD,
					 __ATOMIC_RELEASE);
		} else {
			pthread_detach(t);
		}
		return end;
	}
	case IOUF_CLOSE:
		op_close(c->a);
		break;
	case IOUF_MUNMAP:
		op_munmap(c->a);
		break;
	case IOUF_SIGNAL:
		op_signal(c->a);
		break;
	case IOUF_SCRIBBLE:
		op_scribble(c->a);
		break;
	case IOUF_FAULT:
		op_fault(c->a, faults);
		break;
	case IOUF_SLEEP:
		usleep(c->a[0] % 3000);
		break;
	}
	return i + 1;
}

/*
 * A fault armed by a fault call and not yet used up is disarmed: it is
 * meant for one of the program's calls, and in the thread's own exit it
 * would only make noise (a clear_child_tid store that fails leaves
 * pthread_join() waiting: a hang that is not one). Opening and writing
 * the file may use it up instead, which does as well.
 */
static void fault_disarm(bool faults)
{
	int fd;

	if (!faults)
		return;
	fd = open("/proc/thread-self/fail-nth", O_WRONLY);
	if (fd < 0)
		return;
	if (write(fd, "0", 1) < 0)
		;
	close(fd);
}

static void run_calls(const struct iouf_prog *p, unsigned int lane,
		      unsigned int from, unsigned int to, bool faults)
{
	unsigned int i = from;

	while (i < to && i < p->n) {
		if (p->c[i].lane != lane) {
			i++;
			continue;
		}
		i = run_call(p, lane, i, faults);
	}
	fault_disarm(faults);
}

static int kcov_open(unsigned long **area)
{
	int fd = open("/sys/kernel/debug/kcov", O_RDWR);

	if (fd < 0)
		return -1;
	if (ioctl(fd, KCOV_INIT_TRACE, KCOV_WORDS)) {
		close(fd);
		return -1;
	}
	*area = mmap(NULL, KCOV_WORDS * sizeof(unsigned long),
		     PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (*area == MAP_FAILED) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Lanes and forked children add at once (@cov is shared memory): each
 * reserves its stretch with one atomic add, and the reader bounds n.
 */
static void cover_add(struct iouf_cover *cov, unsigned long *area)
{
	unsigned long n, m = 0, i;
	__u32 base;

	if (!cov || !area)
		return;
	n = __atomic_load_n(&area[0], __ATOMIC_RELAXED);
	if (n >= KCOV_WORDS)
		n = KCOV_WORDS - 1;
	for (i = 0; i < n; i++)	/* ours, packed in place */
		if (area[i + 1] && (!iouf_pc_wanted || iouf_pc_wanted(area[i + 1])))
			area[++m] = area[i + 1];
	base = __atomic_fetch_add(&cov->n, m, __ATOMIC_RELAXED);
	for (i = 0; i < m && base + i < IOUF_COVER_MAX; i++)
		cov->pc[base + i] = area[i + 1];
}

/*
 * KCOV devices opened once by the fuzzer (iouf_kcov_init()) and inherited
 * by every child: enabling one is per task and ends with the task, so the
 * next child enables it again, without a new 512 KiB area each time.
 */
static int kcov_fds[IOUF_LANES + 1] = { -1, -1, -1 };
static unsigned long *kcov_areas[IOUF_LANES + 1];

void iouf_kcov_init(void)
{
	int i;

	for (i = 0; i <= IOUF_LANES; i++)
		kcov_fds[i] = kcov_open(&kcov_areas[i]);
}

/* device @i enabled for current with @cmd: its fd, or a fresh one */
static int kcov_get(int i, unsigned long cmd, unsigned long arg,
		    unsigned long **area)
{
	int fd = kcov_fds[i];

	*area = kcov_areas[i];
	if (fd >= 0 && !ioctl(fd, cmd, arg))
		return fd;
	/* still held by a child that would not die: one of our own */
	fd = kcov_open(area);
	if (fd >= 0 && ioctl(fd, cmd, arg))
		fd = -1;
	return fd;
}

/*
 * A thread's exit cancels what it left in flight and waits for it; in
 * seconds it is gone. A lane still there IOUF_EXIT_HANG_MS after its
 * function returned is a bug (a request holds the exit), which a kill of
 * the process would hide, so the executor reports it itself, and asks
 * the fuzzer (iouf_child_grace) to wait for its verdict.
 */
volatile long long *iouf_child_grace;
static unsigned int lanes_returned;

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void child_grace(long long until)
{
	if (iouf_child_grace)
		*iouf_child_grace = until;
}

/* join @t if it is done within 10 ms */
static bool join_soon(pthread_t t)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += 10000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	return !pthread_clockjoin_np(t, NULL, CLOCK_MONOTONIC, &ts);
}

/* every user function returned: what is left is the kernel's exit */
static bool all_returned(void)
{
	unsigned int started = __atomic_load_n(&spans_started,
						__ATOMIC_ACQUIRE);

	if (started > IOUF_SPANS)
		started = IOUF_SPANS;
	return __atomic_load_n(&lanes_returned, __ATOMIC_ACQUIRE) ==
	       IOUF_LANES &&
	       __atomic_load_n(&spans_returned, __ATOMIC_ACQUIRE) >= started;
}

/* The lanes, and the threads of thread calls, each joined once. */
static void join_lanes(void)
{
	bool joined[IOUF_LANES + IOUF_SPANS] = { false };
	unsigned int i, n, left;
	long long since = 0;

	for (;;) {
		n = __atomic_load_n(&spans_started, __ATOMIC_ACQUIRE);
		if (n > IOUF_SPANS)
			n = IOUF_SPANS;
		left = 0;
		for (i = 0; i < IOUF_LANES + n; i++) {
			if (joined[i])
				continue;
			if (i >= IOUF_LANES) {
				int st = __atomic_load_n(&span_state[i - IOUF_LANES],
							 __ATOMIC_ACQUIRE);

				/* a failed pthread_create(): none to join */
				if (st == SPAN_NONE) {
					joined[i] = true;
					continue;
				}
				/* its creator has not stored it yet */
				if (st == SPAN_PENDING) {
					left++;
					continue;
				}
			}
			if (join_soon(i < IOUF_LANES ? lane_threads[i] :
				      span_threads[i - IOUF_LANES]))
				joined[i] = true;
			else
				left++;
		}
		if (!left && n == __atomic_load_n(&spans_started,
						  __ATOMIC_ACQUIRE))
			return;
		if (!all_returned()) {
			if (!left)
				usleep(1000);
			continue;
		}
		if (!since) {
			since = mono_ms();
			child_grace(since + IOUF_EXIT_HANG_MS + 2000);
		} else if (mono_ms() - since > IOUF_EXIT_HANG_MS) {
			int k = open("/dev/kmsg", O_WRONLY);
			static const char msg[] =
				"iouf: BUG: a thread's exit hung on a request\n";

			if (k >= 0 && write(k, msg, sizeof(msg) - 1) < 0)
				;
			_exit(5);
		}
	}
}

static void *lane_fn(void *arg)
{
	struct lane *l = arg;
	unsigned long *area = NULL;
	int kfd = l->cov ? kcov_get(l->lane, KCOV_ENABLE, KCOV_TRACE_PC,
				    &area) : -1;

	if (kfd >= 0)
		__atomic_store_n(&area[0], 0, __ATOMIC_RELAXED);
	pthread_barrier_wait(&start_barrier);
	run_calls(l->p, l->lane, l->from, l->to, l->faults);
	if (kfd >= 0) {
		cover_add(l->cov, area);
		ioctl(kfd, KCOV_DISABLE, 0);
	}
	__atomic_add_fetch(&lanes_returned, 1, __ATOMIC_RELEASE);
	return NULL;
}

void iouf_exec(const struct iouf_prog *p, struct iouf_cover *cov, bool faults)
{
	struct lane lanes[IOUF_LANES];
	struct kcov_remote_arg *ra;
	unsigned long *rarea = NULL;
	int rfd = -1, i;

	signal(SIGUSR1, sig_handler);
	signal(SIGALRM, sig_handler);
	signal(SIGPIPE, SIG_IGN);
	pool_init();
	exec_cov = cov;
	if (cov) {
		cov->n = 0;
		/* io workers and SQPOLL threads report here (remote) */
		ra = calloc(1, sizeof(*ra));
		if (ra) {
			ra->trace_mode = KCOV_TRACE_PC;
			ra->area_size = KCOV_WORDS;
			ra->common_handle =
				kcov_remote_handle(KCOV_SUBSYSTEM_COMMON,
						   getpid() & 0xffffffff);
			rfd = kcov_get(IOUF_LANES, KCOV_REMOTE_ENABLE,
				       (unsigned long)ra, &rarea);
			if (rfd >= 0)
				__atomic_store_n(&rarea[0], 0,
						 __ATOMIC_RELAXED);
		}
	}
	pthread_barrier_init(&start_barrier, NULL, IOUF_LANES);
	for (i = 0; i < IOUF_LANES; i++) {
		lanes[i] = (struct lane){ p, i, 0, p->n, cov, faults };
		if (pthread_create(&lane_threads[i], NULL, lane_fn, &lanes[i]))
			_exit(4);
	}
	join_lanes();
	/*
	 * Close the rings while coverage is still collected: their teardown
	 * runs in a kernel worker that reports to our remote handle, and
	 * takes a grace period or two. What is still in flight gets the
	 * same moment to finish (or not).
	 */
	child_grace(mono_ms() + 500);
	for (i = 0; i < IOUF_RINGS; i++)
		if (rings[i].fd >= 0 && !rings[i].reg_only)
			close(rings[i].fd);
	usleep(30000);
	if (rfd >= 0)
		cover_add(cov, rarea);
	_exit(0);
}
