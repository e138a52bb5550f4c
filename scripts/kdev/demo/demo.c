// SPDX-License-Identifier: GPL-2.0
/*
 * kdev demo: what a newcomer sees io_uring do on the guest kernel.
 * Raw system calls, so every step is visible.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../../../tools/testing/selftests/io_uring/ring.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
	struct {
		struct io_uring_probe p;
		struct io_uring_probe_op ops[256];
	} probe = { };
	struct io_uring_params p = { };
	struct io_uring_cqe cqe;
	struct ring r;
	int i, n = 0, ret;
	double t0, t1;

	ret = ring_init(&r, 64, &p);
	if (ret) {
		fprintf(stderr, "io_uring_setup: %s\n", strerror(-ret));
		return 1;
	}
	printf("ring fd %d: %u SQ entries, %u CQ entries, features 0x%x\n",
	       r.fd, p.sq_entries, p.cq_entries, p.features);

	ret = sys_register(r.fd, IORING_REGISTER_PROBE, &probe, 256);
	if (ret) {
		fprintf(stderr, "probe: %s\n", strerror(-ret));
		return 1;
	}
	for (i = 0; i <= probe.p.last_op; i++)
		n += !!(probe.ops[i].flags & IO_URING_OP_SUPPORTED);
	printf("probe: %d of %d opcodes supported\n", n, probe.p.last_op + 1);

	/* three NOPs, one with an injected result, in one system call */
	ring_nop(&r, 0x1111);
	ring_nop(&r, 0x2222)->nop_flags = IORING_NOP_INJECT_RESULT;
	r.sqes[1].len = 42;
	ring_nop(&r, 0x3333)->opcode = 250;
	ret = ring_submit_and_wait(&r, 3);
	printf("submitted %d SQEs with one io_uring_enter()\n", ret);
	while (ring_peek_cqe(&r, &cqe, NULL))
		printf("  cqe: user_data 0x%llx res %d\n",
		       (unsigned long long)cqe.user_data, cqe.res);

	/* throughput: batches of 32 NOPs */
	t0 = now();
	for (i = 0; i < 20000; i++) {
		int j;

		for (j = 0; j < 32; j++)
			ring_nop(&r, j);
		if (ring_submit_and_wait(&r, 32) != 32)
			return 1;
		while (ring_peek_cqe(&r, &cqe, NULL))
			;
	}
	t1 = now();
	printf("NOP round trips: %.0f per second (640000 in %.2fs, batches of 32)\n",
	       640000 / (t1 - t0), t1 - t0);
	ring_exit(&r);
	return 0;
}
