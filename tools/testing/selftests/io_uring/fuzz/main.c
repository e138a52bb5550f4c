// SPDX-License-Identifier: GPL-2.0
/*
 * iouf: coverage-guided fuzzing of io_uring, in the guest.
 *
 *   iouf fuzz -c CORPUS -o OUT [-m MIN] [-s SEED] [-j JOBS] [-F]
 *	[-R RANGES] [-T N] [-X LIST]
 *	mutate and run programs; a program that reaches new io_uring code
 *	(KCOV PCs, io threads included) joins CORPUS; a kernel splat in
 *	the log is a finding, saved in OUT/<title>/ with the program, the
 *	log and a minimised program. -F turns fault injection off. OUT/pcs
 *	lists every PC covered, OUT/current the program being run (for a
 *	panic). -R keeps only PCs inside the "start end" ranges of a file
 *	(a kernel with KCOV everywhere). -T: the number of coverage sites
 *	in io_uring/, for the status line. -X LIST: call ops (and "ro":
 *	structs in read-only memory, "ringpoll": polls on ring fds) not to
 *	do, to get past a known crash. -j: programs run at once, each
 *	worker in its own directory (OUT/current.N its program).
 *	Status every 10 s on stdout;
 *	exit 1 if anything was found.
 *   iouf replay PATH...
 *	run each program (files, or every file in directories) once; exit
 *	1 on a splat. This is the regression test of the corpus and of the
 *	reproducers of fixed findings.
 *   iouf run FILE
 *	run one program, print its splat if any (exit 1).
 *   iouf cover FILE
 *	run one program and print the PCs it reached.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "iouf.h"

#define EXEC_TIMEOUT_MS		3000
#define HANG_TIMEOUT_MS		60000
#define MAX_CORPUS		8192

static struct iouf_cover *cover;	/* shared with the child */
/* -T: io_uring's coverage sites (sorted), and how many of them were hit */
static __u64 *sites;
static unsigned long cover_total;
static int kmsg_fd = -1;

/* ---- the kernel log ------------------------------------------------------------ */

static const char *const splat_patterns[] = {
	"BUG: ", "WARNING: ", "KASAN: ", "UBSAN: ", "kernel BUG at",
	"Oops", "general protection fault", "possible circular locking",
	"possible recursive locking", "inconsistent lock state",
	"suspicious RCU usage", "blocked for more than", "soft lockup",
	"hard LOCKUP", "self-detected stall", "rcu_preempt detected stall",
	"Kernel panic", "list_add corruption", "list_del corruption",
	"refcount_t: ", "ODEBUG: ", "BUG kmalloc", "Unable to handle",
	"INFO: task ",
};

static void kmsg_open(void)
{
	kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (kmsg_fd >= 0)
		lseek(kmsg_fd, 0, SEEK_END);
}

/*
 * Read what the kernel logged since the last call. Returns true if it
 * holds a splat; @title gets its first line (the message text only),
 * @log (if not NULL) the lines from there on.
 */
static bool kmsg_check(char *title, size_t tlen, FILE *log)
{
	char rec[2048];
	bool found = false;
	ssize_t n;
	unsigned int i;

	if (kmsg_fd < 0)
		return false;
	for (;;) {
		char *msg;

		n = read(kmsg_fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on */
		if (n <= 0)
			break;
		rec[n] = 0;
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		if (found) {
			if (log)
				fputs(msg, log);
			continue;
		}
		for (i = 0; i < ARRAY_SIZE(splat_patterns); i++) {
			if (!strstr(msg, splat_patterns[i]))
				continue;
			found = true;
			snprintf(title, tlen, "%s", msg);
			title[strcspn(title, "\n")] = 0;
			if (log)
				fputs(msg, log);
			break;
		}
	}
	return found;
}

/* "BUG: KASAN: slab-use-after-free in io_foo+0x12/0x40" -> a dir name */
static void title_key(const char *title, char *key, size_t len)
{
	size_t i, j = 0;

	for (i = 0; title[i] && j + 1 < len; i++) {
		char c = title[i];

		if (c == '+' || (c == ' ' && title[i + 1] == '['))
			break;	/* offsets and pids differ between runs */
		if (c >= '0' && c <= '9') {
			/* pids, counts and times differ between runs */
			if (!j || key[j - 1] != 'N')
				key[j++] = 'N';
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   c == '_' || c == '-') {
			key[j++] = c;
		} else if (j && key[j - 1] != '_') {
			key[j++] = '_';
		}
	}
	key[j] = 0;
}

/* ---- running one program ---------------------------------------------------- */

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

enum { RUN_OK, RUN_TIMEOUT, RUN_HANG };

static int run_prog(const struct iouf_prog *p, bool faults, bool with_cover)
{
	long long deadline;
	int status;
	pid_t pid;

	if (cover)
		cover->n = 0;
	if (iouf_child_grace)
		*iouf_child_grace = 0;
	pid = fork();
	if (pid < 0)
		return RUN_OK;
	if (pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		setpgid(0, 0);
		iouf_exec(p, with_cover ? cover : NULL, faults);
		_exit(0);
	}
	setpgid(pid, pid);
	deadline = now_ms() + EXEC_TIMEOUT_MS;
	for (;;) {
		long long left = deadline - now_ms();
		struct timespec ts = { left / 1000, (left % 1000) * 1000000 };
		sigset_t chld;

		if (waitpid(pid, &status, WNOHANG) == pid) {
			kill(-pid, SIGKILL);	/* its forks, too */
			return RUN_OK;
		}
		/* the child is finishing, or will report a stuck exit */
		if (left <= 0 && iouf_child_grace &&
		    *iouf_child_grace > deadline &&
		    *iouf_child_grace <= now_ms() + IOUF_EXIT_HANG_MS + 2000) {
			deadline = *iouf_child_grace;
			continue;
		}
		if (left <= 0)
			break;
		/* SIGCHLD is blocked: sleep until a child changes state */
		sigemptyset(&chld);
		sigaddset(&chld, SIGCHLD);
		sigtimedwait(&chld, NULL, &ts);
	}
	kill(-pid, SIGKILL);
	deadline = now_ms() + HANG_TIMEOUT_MS;
	while (now_ms() < deadline) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return RUN_TIMEOUT;
		usleep(10000);
	}
	return RUN_HANG;	/* SIGKILL did not end it: stuck in the kernel */
}

/* ---- coverage ------------------------------------------------------------ */

/*
 * The PCs seen so far, an open-addressing set in memory shared by the
 * workers (-j): a PC one of them reached is not new to the others.
 * Slots are claimed with a compare-and-swap, so no lock is needed.
 */
#define PCSET_BITS	20
static __u64 *pcset;

/* what the workers share (MAP_SHARED, set up before they fork) */
#define MAX_JOBS	8
struct shared {
	unsigned long execs;
	unsigned int pcs, corpus_added, findings, sites_hit;
	int findings_owner;		/* worker + 1 reporting a finding */
	int busy[MAX_JOBS];		/* running a program */
};

static struct shared *sh;
static int job;				/* this worker, 0 .. jobs - 1 */

static bool pcset_add(__u64 pc)
{
	size_t mask = (1UL << PCSET_BITS) - 1, i;

	if (!pc)
		return false;
	i = (pc * 0x9e3779b97f4a7c15ULL >> 20) & mask;
	for (;;) {
		__u64 cur = __atomic_load_n(&pcset[i], __ATOMIC_ACQUIRE);

		if (cur == pc)
			return false;
		if (!cur) {
			if (__atomic_load_n(&sh->pcs, __ATOMIC_RELAXED) >=
			    mask / 2)
				return false;	/* full: stop growing */
			if (__atomic_compare_exchange_n(&pcset[i], &cur, pc,
							false, __ATOMIC_ACQ_REL,
							__ATOMIC_ACQUIRE)) {
				__atomic_add_fetch(&sh->pcs, 1,
						   __ATOMIC_RELAXED);
				return true;
			}
			if (cur == pc)
				return false;	/* another worker won */
		}
		i = (i + 1) & mask;
	}
}

/* -R: io_uring's functions, when KCOV covers the whole kernel */
static __u64 (*ranges)[2];
static unsigned int nr_ranges;

static void ranges_load(const char *path)
{
	unsigned long s, e;
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	while (fscanf(f, "%lx %lx", &s, &e) == 2) {
		__u64 (*r)[2] = realloc(ranges, (nr_ranges + 1) *
					   sizeof(*ranges));

		if (!r)
			break;
		ranges = r;
		ranges[nr_ranges][0] = s;
		ranges[nr_ranges][1] = e;
		nr_ranges++;
	}
	fclose(f);
}

static bool in_ranges(__u64 pc)
{
	unsigned int lo = 0, hi = nr_ranges;

	if (!nr_ranges)
		return true;
	while (lo < hi) {	/* sorted by start: the last start <= pc */
		unsigned int mid = (lo + hi) / 2;

		if (ranges[mid][0] <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && pc < ranges[lo - 1][1];
}

static bool is_site(__u64 pc)
{
	unsigned long lo = 0, hi = cover_total;

	while (lo < hi) {
		unsigned long mid = (lo + hi) / 2;

		if (sites[mid] == pc)
			return true;
		if (sites[mid] < pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* -T FILE: the sites' addresses, one per line in hex, sorted */
static void sites_load(const char *path)
{
	unsigned long long a;
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	while (fscanf(f, "%llx", &a) == 1) {
		__u64 *n = realloc(sites, (cover_total + 1) * sizeof(*sites));

		if (!n)
			break;
		sites = n;
		sites[cover_total++] = a;
	}
	fclose(f);
}

static unsigned int cover_merge(void)
{
	unsigned int i, fresh = 0;

	for (i = 0; i < cover->n && i < IOUF_COVER_MAX; i++)
		if (in_ranges(cover->pc[i]) && pcset_add(cover->pc[i])) {
			fresh++;
			if (sites && is_site(cover->pc[i]))
				__atomic_add_fetch(&sh->sites_hit, 1,
						   __ATOMIC_RELAXED);
		}
	return fresh;
}

static void pcs_write(const char *out)
{
	char path[4096];
	size_t i;
	FILE *f;

	snprintf(path, sizeof(path), "%s/pcs", out);
	f = fopen(path, "w");
	if (!f)
		return;
	for (i = 0; i < (1UL << PCSET_BITS); i++)
		if (pcset[i])
			fprintf(f, "%llx\n", pcset[i]);
	fclose(f);
}

/* ---- corpus ------------------------------------------------------------------ */

static struct iouf_prog *corpus;
static unsigned int corpus_n;

static bool load_prog(const char *path, struct iouf_prog *p)
{
	FILE *f = fopen(path, "r");
	int ret;

	if (!f)
		return false;
	ret = iouf_parse(p, f);
	fclose(f);
	return !ret && p->n;
}

typedef void (*prog_fn)(const char *path, void *arg);

/* calls @fn for each program file under @path (a file or a directory) */
static void walk_progs(const char *path, prog_fn fn, void *arg)
{
	struct dirent *de;
	char sub[4096];
	struct stat st;
	DIR *d;

	if (stat(path, &st))
		return;
	if (!S_ISDIR(st.st_mode)) {
		fn(path, arg);
		return;
	}
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		walk_progs(sub, fn, arg);
	}
	closedir(d);
}

static void corpus_load_one(const char *path, void *arg)
{
	(void)arg;
	if (corpus_n < MAX_CORPUS && load_prog(path, &corpus[corpus_n]))
		corpus_n++;
}

static void save_prog(const char *dir, const char *name,
		      const struct iouf_prog *p, const char *comment)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return;
	if (comment)
		fprintf(f, "# %s\n", comment);
	iouf_print(p, f);
	fclose(f);
}

/* ---- findings ---------------------------------------------------------------- */

/*
 * Every worker reads the whole kernel log, so each sees every splat,
 * whichever worker's program caused it. Reporting one is done alone:
 * the reporter waits until no other worker runs a program, and then
 * tries its own program again; a finding kept without a reproducer is
 * taken over by the worker whose program does reproduce it.
 */
static void findings_lock(int jobs)
{
	int me = job + 1, i;

	for (;;) {
		int none = 0;

		if (__atomic_compare_exchange_n(&sh->findings_owner, &none, me,
						false, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			break;
		usleep(20000);
	}
	for (i = 0; i < jobs; i++)
		while (i != job &&
		       __atomic_load_n(&sh->busy[i], __ATOMIC_SEQ_CST))
			usleep(10000);
}

static void findings_unlock(void)
{
	__atomic_store_n(&sh->findings_owner, 0, __ATOMIC_SEQ_CST);
}

/* a program may run: no other worker is reporting a finding */
static void run_begin(void)
{
	for (;;) {
		int owner;

		__atomic_store_n(&sh->busy[job], 1, __ATOMIC_SEQ_CST);
		owner = __atomic_load_n(&sh->findings_owner, __ATOMIC_SEQ_CST);
		if (!owner || owner == job + 1)
			return;
		__atomic_store_n(&sh->busy[job], 0, __ATOMIC_SEQ_CST);
		while (__atomic_load_n(&sh->findings_owner, __ATOMIC_SEQ_CST))
			usleep(20000);
	}
}

static void run_end(void)
{
	__atomic_store_n(&sh->busy[job], 0, __ATOMIC_SEQ_CST);
}

/* does @p still give a splat with key @key? up to @tries runs */
static bool reproduces(const struct iouf_prog *p, const char *key,
		       unsigned int tries, bool faults)
{
	char title[512], k[256];

	while (tries--) {
		int ret = run_prog(p, faults, false);

		if (kmsg_check(title, sizeof(title), NULL)) {
			title_key(title, k, sizeof(k));
			if (!strcmp(k, key))
				return true;
		}
		if (ret == RUN_HANG && !strcmp(key, "hang"))
			return true;
	}
	return false;
}

/* when the fuzz run ends: minimising a finding must not outlast it */
static long long fuzz_end;

/*
 * Drop calls while the splat stays: halves first, then smaller runs of
 * calls, down to one at a time. A hang costs half a minute a try (the
 * hung task report), so few tries matter more than few calls. Bounded by
 * ten minutes and by the end of the run.
 */
static void minimise(struct iouf_prog *p, const char *key, bool faults)
{
	long long deadline = now_ms() + 10 * 60 * 1000;
	unsigned int chunk;
	int i;

	if (fuzz_end && fuzz_end - 30000 < deadline)
		deadline = fuzz_end - 30000;
	for (chunk = p->n / 2; chunk >= 1; chunk /= 2) {
		for (i = p->n - chunk; i >= 0 && now_ms() < deadline;
		     i -= chunk) {
			struct iouf_prog q = *p;

			if ((unsigned int)i + chunk > q.n)
				continue;
			memmove(&q.c[i], &q.c[i + chunk],
				(q.n - i - chunk) * sizeof(q.c[0]));
			q.n -= chunk;
			if (q.n && reproduces(&q, key, 2, faults))
				*p = q;
		}
	}
}

static void finding(const char *out, const struct iouf_prog *p,
		    const char *title, const char *logtext, bool faults)
{
	char key[256], dir[4096], path[4096];
	struct iouf_prog q = *p;
	struct stat st;
	bool known;
	FILE *f;

	title_key(title, key, sizeof(key));
	snprintf(dir, sizeof(dir), "%s/%s", out, key);
	snprintf(path, sizeof(path), "%s/repro", dir);
	if (!stat(path, &st))
		return;	/* known, and reproduced */
	known = !stat(dir, &st);
	if (!known) {
		mkdir(dir, 0755);
		__atomic_add_fetch(&sh->findings, 1, __ATOMIC_RELAXED);
		printf("iouf: FINDING: %s\n", title);
		fflush(stdout);
		save_prog(dir, "prog", p, title);
		snprintf(path, sizeof(path), "%s/log", dir);
		f = fopen(path, "w");
		if (f) {
			fputs(logtext, f);
			fclose(f);
		}
	}
	if (reproduces(&q, key, 3, faults)) {
		/* (another worker's program may have been saved first) */
		if (known)
			save_prog(dir, "prog", p, title);
		minimise(&q, key, faults);
		save_prog(dir, "repro", &q, title);
		printf("iouf: minimised to %u calls: %s/repro\n", q.n, dir);
	} else if (!known) {
		printf("iouf: did not reproduce at once (%s)\n",
		       "a race, once per boot, or another worker's");
	}
	fflush(stdout);
}

/* ---- fault injection setup ----------------------------------------------------- */

static void write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		return;
	if (write(fd, val, strlen(val)) < 0)
		;
	close(fd);
}

static bool faults_setup(void)
{
	if (access("/proc/self/fail-nth", W_OK))
		return false;
	/* GFP_KERNEL allocations are the ones io_uring makes: fail them too */
	write_file("/sys/kernel/debug/failslab/ignore-gfp-wait", "N");
	write_file("/sys/kernel/debug/failslab/verbose", "0");
	write_file("/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait", "N");
	write_file("/sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem", "N");
	write_file("/sys/kernel/debug/fail_page_alloc/min-order", "0");
	write_file("/sys/kernel/debug/fail_page_alloc/verbose", "0");
	write_file("/sys/kernel/debug/fail_usercopy/verbose", "0");
	return true;
}

/*
 * io_uring's tracepoints on: the code behind each trace_io_uring_*() call
 * runs only when its event is enabled. Nobody reads the buffer; it wraps.
 */
static void tracing_setup(void)
{
	static const char en[] = "/sys/kernel/tracing/events/io_uring/enable";

	if (access(en, W_OK))
		mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL);
	write_file(en, "1");
	/* the per-op latency counters too: they run at every completion */
	write_file("/proc/sys/kernel/io_uring_op_latency", "1");
}

/* ---- the fuzz loop ------------------------------------------------------------- */

/* OUT/current: the program that a guest which dies was running */
static void set_current(int cur_fd, const struct iouf_prog *p)
{
	FILE *cf;

	if (cur_fd < 0)
		return;
	cf = fdopen(dup(cur_fd), "w");
	if (!cf)
		return;
	if (ftruncate(cur_fd, 0))
		;
	rewind(cf);
	iouf_print(p, cf);
	fflush(cf);
	fsync(fileno(cf));
	fclose(cf);
}

/*
 * -j N: N workers, each a process with its own programs, kcov, kernel
 * log reader and scratch directory (wN/: the files its programs open),
 * sharing the coverage and the corpus directory. A program spends most
 * of its time waiting (timeouts, sockets, the exit of its threads), so
 * two run in nearly the time of one.
 */
static bool worker_start(int k, __u64 seed)
{
	char dir[32];

	cover = mmap(NULL, sizeof(*cover), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	iouf_child_grace = mmap(NULL, sizeof(long long),
				PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (cover == MAP_FAILED || iouf_child_grace == MAP_FAILED)
		return false;
	close(kmsg_fd);
	kmsg_open();
	snprintf(dir, sizeof(dir), "w%d", k);
	mkdir(dir, 0755);
	if (chdir(dir))
		return false;
	job = k;
	iouf_seed(seed ^ (k * 0x9e3779b97f4a7c15ULL));
	return true;
}

/* the corpus loaded at the start; sh->corpus_added counts what joined */
static unsigned int corpus_base;

static void status_line(long long start)
{
	long long s = (now_ms() - start) / 1000;
	unsigned long execs = __atomic_load_n(&sh->execs, __ATOMIC_RELAXED);

	printf("iouf: %llds execs %lu (%.1f/s) corpus %u pcs %u", s, execs,
	       s ? (double)execs / s : 0.0, corpus_base +
	       __atomic_load_n(&sh->corpus_added, __ATOMIC_RELAXED),
	       __atomic_load_n(&sh->pcs, __ATOMIC_RELAXED));
	if (cover_total)
		printf(" sites %u of %lu (%.1f%%)", sh->sites_hit, cover_total,
		       100.0 * sh->sites_hit / cover_total);
	printf(" findings %u\n",
	       __atomic_load_n(&sh->findings, __ATOMIC_RELAXED));
	fflush(stdout);
}

static void fuzz_loop(const char *corpus_dir, const char *out, long long start,
		      long long end, bool faults, int jobs)
{
	long long last_status = start, last_pcs = start;
	char cur_path[4096];
	int cur_fd;

	snprintf(cur_path, sizeof(cur_path), job ? "%s/current.%d" : "%s/current",
		 out, job);
	cur_fd = open(cur_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	while (now_ms() < end) {
		struct iouf_prog p;
		char title[512], *logbuf = NULL;
		size_t loglen = 0;
		unsigned int fresh;
		bool splat;
		FILE *log;
		int ret;

		/*
		 * Fresh programs: one in ten, more while the corpus is small
		 * (50 / (50 + n): the neighbourhood of a few programs is soon
		 * explored, and a fresh program brings a new combination).
		 */
		if (iouf_rand() % 10 == 0 ||
		    iouf_rand() % (50 + corpus_n) < 50) {
			iouf_gen(&p, 4 + iouf_rand() % 20);
		} else {
			p = corpus[iouf_rand() % corpus_n];
			iouf_mutate(&p, &corpus[iouf_rand() % corpus_n]);
		}
		set_current(cur_fd, &p);
		run_begin();
		ret = run_prog(&p, faults, true);
		run_end();
		__atomic_add_fetch(&sh->execs, 1, __ATOMIC_RELAXED);
		fresh = cover_merge();
		log = open_memstream(&logbuf, &loglen);
		splat = kmsg_check(title, sizeof(title), log);
		fclose(log);
		if (splat || ret == RUN_HANG) {
			findings_lock(jobs);
			if (splat)
				finding(out, &p, title, logbuf, faults);
			if (ret == RUN_HANG)
				finding(out, &p, "hang: SIGKILL did not end the program",
					"", faults);
			findings_unlock();
		}
		free(logbuf);
		if (fresh && corpus_n < MAX_CORPUS) {
			char name[32];

			corpus[corpus_n++] = p;
			__atomic_add_fetch(&sh->corpus_added, 1,
					   __ATOMIC_RELAXED);
			snprintf(name, sizeof(name), "%016llx", iouf_hash(&p));
			save_prog(corpus_dir, name, &p, NULL);
		}
		if (job)
			continue;
		if (now_ms() - last_status >= 10000) {
			last_status = now_ms();
			status_line(start);
		}
		if (now_ms() - last_pcs >= 60000) {
			last_pcs = now_ms();
			pcs_write(out);
		}
	}
}

static int fuzz(const char *corpus_arg, const char *out_arg, int minutes,
		__u64 seed, bool faults, int jobs)
{
	long long start = now_ms(), end = start + minutes * 60000LL;
	char corpus_dir[4096], out[4096], cur_path[4096];
	pid_t workers[MAX_JOBS];
	int cur_fd, k;

	/* the workers work in directories of their own */
	if (!realpath(corpus_arg, corpus_dir) || !realpath(out_arg, out))
		return 2;
	fuzz_end = end;
	faults = faults && faults_setup();
	tracing_setup();
	iouf_kcov_init();
	if (!seed)
		seed = (__u64)time(NULL) ^ getpid();
	iouf_seed(seed);
	walk_progs(corpus_dir, corpus_load_one, NULL);
	snprintf(cur_path, sizeof(cur_path), "%s/current", out);
	cur_fd = open(cur_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	printf("iouf: %u programs in the corpus, faults %s, kcov %s, %d worker(s)\n",
	       corpus_n, faults ? "on" : "off",
	       access("/sys/kernel/debug/kcov", R_OK) ? "off" : "on", jobs);
	/* the corpus first, unmutated: its coverage is the starting point */
	for (unsigned int i = 0; i < corpus_n && now_ms() < end; i++) {
		char title[512];

		set_current(cur_fd, &corpus[i]);
		run_prog(&corpus[i], false, true);
		cover_merge();
		if (kmsg_check(title, sizeof(title), NULL))
			finding(out, &corpus[i], title, title, false);
		__atomic_add_fetch(&sh->execs, 1, __ATOMIC_RELAXED);
	}
	close(cur_fd);
	corpus_base = corpus_n;
	for (k = 1; k < jobs; k++) {
		workers[k] = fork();
		if (workers[k] == 0) {
			if (worker_start(k, seed))
				fuzz_loop(corpus_dir, out, start, end, faults,
					  jobs);
			_exit(0);
		}
	}
	worker_start(0, seed);
	fuzz_loop(corpus_dir, out, start, end, faults, jobs);
	for (k = 1; k < jobs; k++)
		if (workers[k] > 0)
			waitpid(workers[k], NULL, 0);
	pcs_write(out);
	printf("iouf: done: execs %lu corpus %u pcs %u findings %u\n",
	       sh->execs, corpus_base + sh->corpus_added, sh->pcs,
	       sh->findings);
	return sh->findings ? 1 : 0;
}

/* ---- replay -------------------------------------------------------------------- */

struct replay {
	unsigned int runs, bad;
};

static void replay_one(const char *path, void *arg)
{
	struct replay *r = arg;
	struct iouf_prog p;
	char title[512];

	if (!load_prog(path, &p))
		return;
	r->runs++;
	if (run_prog(&p, false, false) == RUN_HANG ||
	    kmsg_check(title, sizeof(title), NULL)) {
		r->bad++;
		printf("iouf: %s: %s\n", path, title);
	}
}

int main(int argc, char **argv)
{
	const char *corpus_dir = NULL, *out = NULL;
	__u64 seed = 0;
	bool faults = true;
	int minutes = 10, jobs = 1, opt, i;

	if (getenv(IOUF_EXEC_PROBE_ENV))
		return iouf_exec_probe();
	if (argc < 2) {
		fprintf(stderr, "usage: iouf fuzz -c DIR -o DIR [-m MIN] [-s SEED] [-j N] [-F]\n"
				"       iouf replay PATH... | iouf run FILE\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	{
		sigset_t chld;

		sigemptyset(&chld);
		sigaddset(&chld, SIGCHLD);
		sigprocmask(SIG_BLOCK, &chld, NULL);
	}
	cover = mmap(NULL, sizeof(*cover), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	iouf_child_grace = mmap(NULL, sizeof(long long),
				PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (iouf_child_grace == MAP_FAILED)
		iouf_child_grace = NULL;
	pcset = mmap(NULL, (1UL << PCSET_BITS) * sizeof(*pcset),
		     PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	corpus = calloc(MAX_CORPUS, sizeof(*corpus));
	if (cover == MAP_FAILED || pcset == MAP_FAILED || sh == MAP_FAILED ||
	    !corpus)
		return 2;
	kmsg_open();
	if (!strcmp(argv[1], "fuzz")) {
		optind = 2;
		while ((opt = getopt(argc, argv, "c:o:m:s:j:FR:T:X:")) != -1) {
			switch (opt) {
			case 'X':
				if (iouf_disable(optarg)) {
					fprintf(stderr, "iouf: -X %s: not a call op or \"ro\"\n",
						optarg);
					return 2;
				}
				break;
			case 'T':
				sites_load(optarg);
				break;
			case 'R':
				ranges_load(optarg);
				iouf_pc_wanted = in_ranges;
				break;
			case 'c':
				corpus_dir = optarg;
				break;
			case 'o':
				out = optarg;
				break;
			case 'm':
				minutes = atoi(optarg);
				break;
			case 'j':
				jobs = atoi(optarg);
				if (jobs < 1 || jobs > MAX_JOBS)
					return 2;
				break;
			case 's':
				seed = strtoull(optarg, NULL, 0);
				break;
			case 'F':
				faults = false;
				break;
			default:
				return 2;
			}
		}
		if (!corpus_dir || !out)
			return 2;
		mkdir(corpus_dir, 0755);
		mkdir(out, 0755);
		return fuzz(corpus_dir, out, minutes, seed, faults, jobs);
	}
	if (!strcmp(argv[1], "cover") && argc == 3) {
		struct iouf_prog p;
		unsigned int i;

		/* the PCs one run of a program reaches, one per line */
		if (!load_prog(argv[2], &p))
			return 2;
		iouf_kcov_init();
		run_prog(&p, false, true);
		for (i = 0; i < cover->n && i < IOUF_COVER_MAX; i++)
			printf("%llx\n", cover->pc[i]);
		return 0;
	}
	if (!strcmp(argv[1], "replay") || !strcmp(argv[1], "run")) {
		struct replay r = { 0, 0 };

		for (i = 2; i < argc; i++)
			walk_progs(argv[i], replay_one, &r);
		printf("iouf: replayed %u programs, %u with a splat or a hang\n",
		       r.runs, r.bad);
		return r.bad ? 1 : 0;
	}
	return 2;
}
