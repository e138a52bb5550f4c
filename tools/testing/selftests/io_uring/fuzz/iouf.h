/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iouf: a coverage-guided fuzzer for io_uring.
 *
 * A program is a short list of calls. Each call is an operation (set up a
 * ring, register something, write an SQE, enter, reap, or a life event:
 * fork, exec, thread exit, close, munmap, a signal, scribbling on shared
 * memory, a fault injected into the next call) with six 64-bit arguments
 * that the executor decodes into plausible or hostile syscall arguments.
 * Calls carry a lane (0 or 1): the two lanes run in two threads at once.
 *
 * Programs are stored as text, one call per line:
 *	<op-name> <lane> <a0> <a1> <a2> <a3> <a4> <a5>
 * with the arguments in hex; lines starting with '#' are comments.
 */
#ifndef IOUF_H
#define IOUF_H

#include <stdbool.h>
#include <linux/types.h>
#include <stdio.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define IOUF_MAX_CALLS	48
#define IOUF_NARGS	6
#define IOUF_LANES	2
#define IOUF_RINGS	4

enum iouf_op {
	IOUF_SETUP,	/* a0 ring slot, a1 entries, a2 flags, a3 cq/idle, a4 wq */
	IOUF_REGISTER,	/* a0 ring, a1 opcode, a2..a5 argument shape */
	IOUF_SQE,	/* a0 ring|opcode, a1..a5 fields */
	IOUF_ENTER,	/* a0 ring, a1 to_submit, a2 min, a3 flags, a4 arg */
	IOUF_REAP,	/* a0 ring, a1 how many */
	IOUF_FORK,	/* a1 calls the child runs, then it exits */
	IOUF_EXEC,	/* a1 calls run first, a2 a thread alive at exec */
	IOUF_THREAD,	/* a1 calls a new thread runs, then it exits */
	IOUF_CLOSE,	/* a0 object */
	IOUF_MUNMAP,	/* a0 ring, a1 which mapping */
	IOUF_SIGNAL,	/* a0 signal choice, a1 target */
	IOUF_SCRIBBLE,	/* a0 ring, a1 field, a2 value, a3 racing writes */
	IOUF_FAULT,	/* a0 nth fault site of the next call */
	IOUF_SLEEP,	/* a0 microseconds (bounded) */
	IOUF_NR_OPS
};

struct iouf_call {
	__u8		op;
	__u8		lane;
	__u64	a[IOUF_NARGS];
};

struct iouf_prog {
	unsigned int	n;
	struct iouf_call c[IOUF_MAX_CALLS];
};

/* prog.c */
extern const char *const iouf_op_names[IOUF_NR_OPS];
__u64 iouf_rand(void);
void iouf_seed(__u64 seed);
void iouf_gen(struct iouf_prog *p, unsigned int n);
void iouf_gen_call(struct iouf_call *c);
void iouf_mutate(struct iouf_prog *p, const struct iouf_prog *other);
int iouf_parse(struct iouf_prog *p, FILE *f);
void iouf_print(const struct iouf_prog *p, FILE *f);
__u64 iouf_hash(const struct iouf_prog *p);

/* exec.c: runs @p in the calling process (a fresh child), then exits */
struct iouf_cover;
void iouf_exec(const struct iouf_prog *p, struct iouf_cover *cov,
	       bool faults);

/* exec.c: open the KCOV devices every child then enables for itself */
void iouf_kcov_init(void);
/* the new image of an "exec" call; set in its environment */
#define IOUF_EXEC_PROBE_ENV	"IOUF_EXEC_PROBE"
int iouf_exec_probe(void);
/*
 * Shared with the fuzzer: a child that is finishing (its rings' teardown,
 * or a thread stuck in its exit, reported after IOUF_EXIT_HANG_MS) asks
 * not to be killed before this CLOCK_MONOTONIC time, in ms.
 */
extern volatile long long *iouf_child_grace;
#define IOUF_EXIT_HANG_MS	20000

/*
 * -X: what the fuzzer must not do, as one would turn off what a known
 * crash needs to go on finding others: a bit per call op, and these.
 */
#define IOUF_NO_RO		(1U << 31)	/* structs in read-only memory */
#define IOUF_NO_RINGPOLL	(1U << 30)	/* polls on ring fds */
extern unsigned int iouf_disabled;
int iouf_disable(const char *list);

/* which PCs count (NULL: all); the fuzzer's -R ranges */
extern bool (*iouf_pc_wanted)(__u64 pc);

/* the coverage a child hands back: PCs from each lane and the io threads */
#define IOUF_COVER_MAX	65536
struct iouf_cover {
	__u32	n;
	__u64	pc[IOUF_COVER_MAX];
};

#endif
