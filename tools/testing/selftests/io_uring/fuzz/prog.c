// SPDX-License-Identifier: GPL-2.0
/*
 * iouf programs: generation, mutation and the text form. The executor
 * decides what the arguments mean; here they are only numbers, drawn
 * mostly from small values and "interesting" ones (boundaries, flags).
 */
#include <stdlib.h>
#include <string.h>

#include "iouf.h"

const char *const iouf_op_names[IOUF_NR_OPS] = {
	[IOUF_SETUP]	= "setup",
	[IOUF_REGISTER]	= "register",
	[IOUF_SQE]	= "sqe",
	[IOUF_ENTER]	= "enter",
	[IOUF_REAP]	= "reap",
	[IOUF_FORK]	= "fork",
	[IOUF_EXEC]	= "exec",
	[IOUF_THREAD]	= "thread",
	[IOUF_CLOSE]	= "close",
	[IOUF_MUNMAP]	= "munmap",
	[IOUF_SIGNAL]	= "signal",
	[IOUF_SCRIBBLE]	= "scribble",
	[IOUF_FAULT]	= "fault",
	[IOUF_SLEEP]	= "sleep",
};

static __u64 rng_state = 0x9e3779b97f4a7c15ULL;

unsigned int iouf_disabled;

/* "exec,ro": call op names, or "ro"; -1 on a name it does not know */
int iouf_disable(const char *list)
{
	char buf[256], *tok, *save;
	unsigned int op;

	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "ro")) {
			iouf_disabled |= IOUF_NO_RO;
			continue;
		}
		if (!strcmp(tok, "ringpoll")) {
			iouf_disabled |= IOUF_NO_RINGPOLL;
			continue;
		}
		for (op = 0; op < IOUF_NR_OPS; op++)
			if (!strcmp(tok, iouf_op_names[op]))
				break;
		if (op == IOUF_NR_OPS)
			return -1;
		iouf_disabled |= 1U << op;
	}
	return 0;
}

void iouf_seed(__u64 seed)
{
	rng_state = seed ? seed : 0x9e3779b97f4a7c15ULL;
}

/* xorshift64*: fast, and good enough to pick arguments */
__u64 iouf_rand(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static unsigned int rnd(unsigned int n)
{
	return n ? iouf_rand() % n : 0;
}

static const __u64 interesting[] = {
	0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 127, 128, 255, 256,
	511, 512, 1023, 1024, 4095, 4096, 4097, 65535, 65536, 0x7fffffff,
	0x80000000, 0xffffffff, 0x100000000ULL, 0x7fffffffffffffffULL,
	0x8000000000000000ULL, ~0ULL, ~0ULL - 1,
};

static __u64 rnd_value(void)
{
	switch (rnd(8)) {
	case 0:
	case 1:
	case 2:
		return rnd(16);
	case 3:
	case 4:
		return interesting[rnd(sizeof(interesting) /
				       sizeof(interesting[0]))];
	case 5:
		return 1ULL << rnd(64);
	default:
		return iouf_rand();
	}
}

/* Which ops a generated call is, weighted toward SQEs and entering. */
static unsigned int rnd_op(void)
{
	static const __u8 weights[IOUF_NR_OPS] = {
		[IOUF_SETUP] = 6, [IOUF_REGISTER] = 10, [IOUF_SQE] = 40,
		[IOUF_ENTER] = 20, [IOUF_REAP] = 6, [IOUF_FORK] = 1,
		[IOUF_EXEC] = 1, [IOUF_THREAD] = 2, [IOUF_CLOSE] = 2,
		[IOUF_MUNMAP] = 1, [IOUF_SIGNAL] = 1, [IOUF_SCRIBBLE] = 2,
		[IOUF_FAULT] = 3, [IOUF_SLEEP] = 2,
	};
	unsigned int total = 0, i, r;

	for (i = 0; i < IOUF_NR_OPS; i++)
		total += weights[i];
	for (i = 0; i < IOUF_NR_OPS; i++)
		if (iouf_disabled & (1U << i))
			total -= weights[i];
	r = rnd(total);
	for (i = 0; i < IOUF_NR_OPS; i++) {
		if (iouf_disabled & (1U << i))
			continue;
		if (r < weights[i])
			return i;
		r -= weights[i];
	}
	return IOUF_SQE;
}

void iouf_gen_call(struct iouf_call *c)
{
	unsigned int i;

	memset(c, 0, sizeof(*c));
	c->op = rnd_op();
	c->lane = rnd(4) == 0;
	for (i = 0; i < IOUF_NARGS; i++)
		c->a[i] = rnd_value();
	/*
	 * The argument that chooses what a call is (the opcode, the register
	 * op, the setup flags) is taken modulo the number of choices: drawn
	 * from small values, most calls would be the first few opcodes.
	 */
	switch (c->op) {
	case IOUF_SQE:
		c->a[0] = iouf_rand();
		c->a[1] = iouf_rand();	/* the file and the SQE flags */
		/*
		 * a[3] mostly picks among a few (a path, a buffer, a target:
		 * a[3] % 8, % 4, % 2): half the time its low bits uniformly,
		 * or a choice the interesting values never give (6 of 8)
		 * would be rare.
		 */
		if (rnd(2))
			c->a[3] = (c->a[3] & ~0x3fULL) | rnd(64);
		break;
	case IOUF_REGISTER:
		c->a[1] = iouf_rand();
		break;
	case IOUF_SETUP:
		c->a[2] = (c->a[2] & ~0xffULL) | rnd(256);
		break;
	}
	/* most calls are on the first ring or two */
	c->a[0] = (c->a[0] & ~3ULL) | (rnd(3) ? 0 : rnd(IOUF_RINGS));
}

void iouf_gen(struct iouf_prog *p, unsigned int n)
{
	unsigned int i;

	if (n > IOUF_MAX_CALLS)
		n = IOUF_MAX_CALLS;
	p->n = n;
	for (i = 0; i < n; i++)
		iouf_gen_call(&p->c[i]);
	/*
	 * A program without a ring exercises little: start with one, half
	 * the time set up as applications do (setup_combos[] indices: no
	 * flags, COOP_TASKRUN with TASKRUN_FLAG, SQPOLL, and the
	 * SINGLE_ISSUER | DEFER_TASKRUN that liburing recommends).
	 */
	if (n) {
		static const __u8 common[] = { 0, 10, 3, 15 };

		p->c[0].op = IOUF_SETUP;
		p->c[0].lane = 0;
		p->c[0].a[0] &= ~3ULL;
		if (rnd(2))
			p->c[0].a[2] = (p->c[0].a[2] & ~0xffULL) |
				       common[rnd(sizeof(common))];
	}
}

static void mutate_arg(__u64 *v)
{
	switch (rnd(6)) {
	case 0:
		*v ^= 1ULL << rnd(64);
		break;
	case 1:
		*v += rnd(9) - 4;
		break;
	case 2:
		*v = rnd_value();
		break;
	case 3:
		*v ^= 1ULL << rnd(16);
		break;
	default:
		/* the low bits choose what the executor does: stir them */
		*v = (*v & ~0xffULL) | rnd(256);
		break;
	}
}

void iouf_mutate(struct iouf_prog *p, const struct iouf_prog *other)
{
	unsigned int rounds = 1 + rnd(4), i, j;

	while (rounds--) {
		switch (rnd(8)) {
		case 0:
			/* insert a new call */
			if (p->n >= IOUF_MAX_CALLS)
				break;
			i = rnd(p->n + 1);
			memmove(&p->c[i + 1], &p->c[i],
				(p->n - i) * sizeof(p->c[0]));
			iouf_gen_call(&p->c[i]);
			p->n++;
			break;
		case 1:
			/* remove one */
			if (p->n <= 1)
				break;
			i = rnd(p->n);
			memmove(&p->c[i], &p->c[i + 1],
				(p->n - i - 1) * sizeof(p->c[0]));
			p->n--;
			break;
		case 2:
			/* duplicate one (repeating an SQE or enter matters) */
			if (p->n >= IOUF_MAX_CALLS || !p->n)
				break;
			i = rnd(p->n);
			memmove(&p->c[i + 1], &p->c[i],
				(p->n - i) * sizeof(p->c[0]));
			p->n++;
			break;
		case 3:
			/* splice the tail of another program in */
			if (!other || !other->n)
				break;
			i = rnd(p->n + 1);
			j = rnd(other->n);
			while (i < IOUF_MAX_CALLS && j < other->n)
				p->c[i++] = other->c[j++];
			if (i > p->n)
				p->n = i;
			break;
		case 4:
			/* swap the lanes or the order of two calls */
			if (p->n < 2)
				break;
			i = rnd(p->n);
			if (rnd(2)) {
				p->c[i].lane ^= 1;
			} else {
				struct iouf_call t = p->c[i];

				j = rnd(p->n);
				p->c[i] = p->c[j];
				p->c[j] = t;
			}
			break;
		default:
			/* change an argument */
			if (!p->n)
				break;
			i = rnd(p->n);
			mutate_arg(&p->c[i].a[rnd(IOUF_NARGS)]);
			break;
		}
	}
}

int iouf_parse(struct iouf_prog *p, FILE *f)
{
	char line[512], name[32];
	struct iouf_call *c;
	unsigned int lane, op;

	p->n = 0;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (p->n >= IOUF_MAX_CALLS)
			break;
		c = &p->c[p->n];
		memset(c, 0, sizeof(*c));
		if (sscanf(line, "%31s %u %llx %llx %llx %llx %llx %llx", name, &lane,
			   &c->a[0], &c->a[1], &c->a[2], &c->a[3], &c->a[4],
			   &c->a[5]) != 8)
			return -1;
		for (op = 0; op < IOUF_NR_OPS; op++)
			if (!strcmp(name, iouf_op_names[op]))
				break;
		if (op == IOUF_NR_OPS)
			return -1;
		c->op = op;
		c->lane = lane & 1;
		p->n++;
	}
	return 0;
}

void iouf_print(const struct iouf_prog *p, FILE *f)
{
	unsigned int i;

	for (i = 0; i < p->n; i++) {
		const struct iouf_call *c = &p->c[i];

		fprintf(f, "%s %u %llx %llx %llx %llx %llx %llx\n",
			iouf_op_names[c->op], c->lane, c->a[0], c->a[1],
			c->a[2], c->a[3], c->a[4], c->a[5]);
	}
}

__u64 iouf_hash(const struct iouf_prog *p)
{
	const unsigned char *b = (const unsigned char *)p->c;
	size_t len = p->n * sizeof(p->c[0]);
	__u64 h = 1469598103934665603ULL;

	while (len--) {
		h ^= *b++;
		h *= 1099511628211ULL;
	}
	return h;
}
