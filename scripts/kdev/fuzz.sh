# kdev fuzz: coverage-guided fuzzing of io_uring on the debug kernel (KASAN,
# lockdep, kmemleak, KCOV over io_uring/, fault injection), in the guest.

FUZZ_HOME="$KDEV_CACHE/fuzz"
FUZZ_SRC="tools/testing/selftests/io_uring/fuzz"

# fuzz_build_iouf VARIANT: the fuzzer, from this checkout, against the
# variant's UAPI headers.
fuzz_build_iouf() {
	local inc
	inc="$(build_dir "$1")/usr/include"
	mkdir -p "$FUZZ_HOME"
	run_logged fuzz-build gcc -O2 -g -Wall -Wno-format-truncation \
		-isystem "$inc" -o "$FUZZ_HOME/iouf" \
		"$KDEV_ROOT/$FUZZ_SRC/main.c" "$KDEV_ROOT/$FUZZ_SRC/prog.c" \
		"$KDEV_ROOT/$FUZZ_SRC/exec.c" -lpthread
}

# fuzz_kernel COMMIT: build our series as of COMMIT with the debug config;
# sets VARIANT. Trees from before KCOV_INSTRUMENT_URING get KCOV everywhere
# (the fuzzer then keeps only io_uring's PCs, by address).
fuzz_kernel() {
	local commit=$1 short src
	if [ -z "$commit" ]; then
		VARIANT=ours-debug
		build_kernel "$VARIANT" >/dev/null
		return
	fi
	short=$(git -C "$KDEV_ROOT" rev-parse --short=12 "$commit^{commit}") ||
		die "fuzz" "no commit $commit in $KDEV_ROOT"
	src="$FUZZ_HOME/src-$short"
	if [ ! -d "$src" ]; then
		rm -rf "$src"
		git -C "$KDEV_ROOT" worktree prune
		run_logged fuzz-worktree git -C "$KDEV_ROOT" worktree add \
			--detach "$src" "$short"
	fi
	KDEV_EXTRA_CONFIG=""
	if ! grep -q KCOV_INSTRUMENT_URING "$src/io_uring/Kconfig"; then
		KDEV_EXTRA_CONFIG="$FUZZ_HOME/kcov-all.config"
		echo "CONFIG_KCOV_INSTRUMENT_ALL=y" >"$KDEV_EXTRA_CONFIG"
	fi
	export KDEV_EXTRA_CONFIG
	VARIANT=fuzz-$short-debug
	log "kdev: fuzz kernel: our series as of $short"
	SERIES_ROOT=$src build_kernel "$VARIANT" >/dev/null
}

# fuzz_ranges VARIANT OUT: io_uring's functions in vmlinux, "start end" hex
fuzz_ranges() {
	awk '$2 ~ /^[tT]$/ { print $1, $3 }' "$(build_dir "$1")/System.map" |
		sort >"$2.all"
	local o names
	names=$(for o in "$(build_dir "$1")"/io_uring/*.o; do
		nm --defined-only "$o" 2>/dev/null | awk '$2 ~ /^[tT]$/ { print $3 }'
	done | sort -u)
	awk -v names="$names" '
		BEGIN { n = split(names, a, "\n"); for (i = 1; i <= n; i++) want[a[i]] = 1 }
		{ if (prev != "" ) { print prev, $1 } prev = ""
		  base = $2; sub(/\..*/, "", base); if (base in want) prev = $1 }
	' "$2.all" >"$2"
	rm -f "$2.all"
}

kdev_fuzz() {
	local minutes=10 commit="" faults=() start left rundir rc=0 boots=0 jobs=2
	while [ $# -gt 0 ]; do
		case "$1" in
		--minutes) minutes=$2; shift 2 ;;
		--kernel) commit=$2; shift 2 ;;
		--no-faults) faults=(-F); shift ;;
		# programs run at once in the guest (each mostly waits)
		--jobs) jobs=$2; shift 2 ;;
		# past a known crash: call ops (exec, fork, ...), "ro" or
		# "ringpoll" to skip
		--disable) faults+=(-X "$2"); shift 2 ;;
		*) die "fuzz" "unknown argument $1 (--minutes N, --kernel COMMIT, --jobs N, --no-faults, --disable LIST)" ;;
		esac
	done
	kdev_lock
	# A hang with interrupts off freezes the guest, and no perf NMI
	# watchdog runs under TCG: the RCU stall detector on the other CPU
	# sees it. Panicking on it (and on soft lockups) reboots the guest,
	# and the program that was running becomes the finding.
	export KDEV_APPEND="sysctl.kernel.panic_on_rcu_stall=1 softlockup_panic=1"
	fuzz_kernel "$commit"
	fuzz_build_iouf "$VARIANT"
	local home="$FUZZ_HOME/$VARIANT"
	mkdir -p "$home/corpus" "$home/findings"
	rundir="$KDEV_CACHE/run/fuzz"
	start=$(date +%s)
	local before build_id
	before=$(find "$home/findings" -mindepth 1 -maxdepth 1 -type d | wc -l)
	# PCs are addresses in one build: a new kernel starts the count again
	build_id=$(sha1sum "$(build_dir "$VARIANT")/System.map" | cut -c1-16)
	if [ "$(cat "$home/pcs.build" 2>/dev/null)" != "$build_id" ]; then
		rm -f "$home/pcs" "$home/sites"
		echo "$build_id" >"$home/pcs.build"
	fi
	# the coverage sites in io_uring/: the status lines count those hit,
	# as the report at the end does
	{ [ -f "$home/sites" ] && [ "$(wc -l <"$home/sites")" -gt 1 ]; } || python3 "$KDEV_ROOT/scripts/kdev/fuzz-cover.py" \
		--sites "$(build_dir "$VARIANT")" >"$home/sites" 2>/dev/null ||
		rm -f "$home/sites"
	while :; do
		left=$(( minutes * 60 - ($(date +%s) - start) ))
		[ "$left" -gt 30 ] || break
		boots=$((boots + 1))
		# the corpus lives in the cache; the guest works on a copy
		mkdir -p "$rundir"
		rm -rf "$rundir/fuzz" && mkdir -p "$rundir/fuzz/out"
		cp -r "$KDEV_ROOT/$FUZZ_SRC/corpus" "$rundir/fuzz/corpus"
		cp -r "$home/corpus/." "$rundir/fuzz/corpus/" 2>/dev/null || true
		[ -n "$commit" ] && fuzz_ranges "$VARIANT" "$rundir/fuzz/ranges"
		[ -s "$home/sites" ] && cp "$home/sites" "$rundir/fuzz/sites"
		guest_prepare "$rundir" "$FUZZ_HOME/iouf" fuzz \
			-c /run/kdev/fuzz/corpus -o /run/kdev/fuzz/out \
			-m $(( (left - 20) / 60 > 0 ? (left - 20) / 60 : 1 )) -j "$jobs" \
			${commit:+-R /run/kdev/fuzz/ranges} "${faults[@]}" \
			$([ -s "$home/sites" ] && echo "-T /run/kdev/fuzz/sites")
		rc=0
		guest_boot "$VARIANT" "$rundir" $((left + 120)) \
			>"$rundir/console.log" 2>&1 &
		local qpid=$!
		# status lines and findings as they come
		# (with the minutes since the start: how long a finding took)
		tail -n +1 -F --pid=$qpid "$rundir/console.log" 2>/dev/null |
			grep -a --line-buffered -E '^iouf: |Kernel panic|BUG: |WARNING: ' |
			while IFS= read -r line; do
				printf '[%3dm] %s\n' $(( ($(date +%s) - start) / 60 )) "$line"
			done &
		wait $qpid || rc=$?
		sleep 1
		cp -r "$rundir/fuzz/corpus/." "$home/corpus/" 2>/dev/null || true
		cp -r "$rundir/fuzz/out/." "$home/findings/" 2>/dev/null || true
		touch "$home/pcs"
		[ -f "$rundir/fuzz/out/pcs" ] && sort -u "$rundir/fuzz/out/pcs" \
			"$home/pcs" 2>/dev/null >"$home/pcs.new" && mv "$home/pcs.new" "$home/pcs"
		if grep -aq -E 'Kernel panic|Oops|general protection' "$rundir/console.log"; then
			# the guest died: the program it was running is the finding
			local d="$home/findings/panic-$(date +%s)" title
			mkdir -p "$d"
			# from its first splat that iouf had not reported already
			awk '
			FNR == NR {
				if (match($0, /iouf: FINDING: /))
					seen[substr($0, RSTART + RLENGTH)] = 1
				next
			}
			!go && !/iouf: / &&
			/Oops|BUG: |WARNING: |INFO: |rcu: |watchdog: |general protection|Kernel panic/ {
				t = $0
				sub(/\r$/, "", t)
				sub(/^\[[ 0-9.]*\] /, "", t)
				go = !(t in seen)
			}
			go && n++ < 100' "$rundir/console.log" "$rundir/console.log" >"$d/log"
			title=$(head -n 1 "$d/log" | sed -e 's/^\[[ 0-9.]*\] //' -e 's/\r//g')
			{ echo "# $title"; cat "$rundir/fuzz/out/current"; } \
				>"$d/prog" 2>/dev/null || true
			# with --jobs, the other workers' programs are suspects too
			local c
			for c in "$rundir"/fuzz/out/current.*; do
				[ -s "$c" ] || continue
				{ echo "# $title"; cat "$c"; } >"$d/prog.${c##*.}"
			done
			log "kdev: fuzz: [$(( ($(date +%s) - start) / 60 ))m] the guest died ($title); program and log in $d"
		fi
		[ "$rc" = 0 ] || [ "$rc" = 1 ] || [ "$rc" = 124 ] || [ "$rc" = 125 ] ||
			die "fuzz" "the guest failed (exit $rc)" "$rundir/console.log"
	done
	log "kdev: fuzz: $boots boot(s); corpus $(ls "$home/corpus" | wc -l) programs in $home/corpus"
	local d p
	for d in "$home"/findings/*/; do
		[ -d "$d" ] && [ ! -f "$d/repro.c" ] || continue
		p="$d/repro"
		[ -f "$p" ] || p="$d/prog"
		# (a guest that died between two programs leaves none)
		grep -q '^[a-z]' "$p" 2>/dev/null || continue
		fuzz_emit_c "$p" "$(head -n 1 "$p" | sed 's/^# //')" >"$d/repro.c"
		log "kdev: fuzz: finding: $(head -n 1 "$p" | sed 's/^# //') -> $d"
	done
	if [ -f "$home/pcs" ]; then
		python3 "$KDEV_ROOT/scripts/kdev/fuzz-cover.py" "$(build_dir "$VARIANT")" "$home/pcs" ||
			log "kdev: fuzz: no coverage report"
	fi
	local found
	found=$(( $(find "$home/findings" -mindepth 1 -maxdepth 1 -type d | wc -l) - before ))
	log "kdev: fuzz: $found new finding(s); all are in $home/findings"
	[ "$found" = 0 ]
}

# fuzz_emit_c PROG [TITLE]: a standalone C reproducer on stdout: the
# executor and the program in one file (gcc -O2 -pthread repro.c).
fuzz_emit_c() {
	local prog=$1 title=${2:-} src="$KDEV_ROOT/$FUZZ_SRC"
	cat <<HDR
// SPDX-License-Identifier: GPL-2.0
/*
 * iouf reproducer${title:+: $title}
 *
 * Standalone: iouf's executor and the program, in one file. Build with
 * "gcc -O2 -pthread -o repro repro.c" and run it as root in a scratch
 * directory of the guest (it creates files there).
 */
#define _GNU_SOURCE
HDR
	sed -e '/^#include "iouf.h"/d' "$src/iouf.h" "$src/prog.c" "$src/exec.c"
	printf 'static const char prog_text[] =\n'
	{ grep -v '^#' "$prog" || true; } | sed -e 's/^/\t"/' -e 's/$/\\n"/'
	cat <<'MAIN'
	;

static void write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd >= 0) {
		if (write(fd, val, strlen(val)) < 0)
			;
		close(fd);
	}
}

int main(void)
{
	struct iouf_prog p;
	FILE *f = fmemopen((void *)prog_text, sizeof(prog_text) - 1, "r");
	pid_t pid;

	if (getenv(IOUF_EXEC_PROBE_ENV))
		return iouf_exec_probe();	/* the image an "exec" started */
	if (!f || iouf_parse(&p, f))
		return 2;
	/* as the fuzzer: GFP_KERNEL allocations may be made to fail too */
	write_file("/sys/kernel/debug/failslab/ignore-gfp-wait", "N");
	write_file("/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait", "N");
	iouf_child_grace = mmap(NULL, sizeof(long long),
				PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (iouf_child_grace == MAP_FAILED)
		iouf_child_grace = NULL;
	pid = fork();
	if (pid == 0)
		iouf_exec(&p, NULL, true);
	/* 3 s, or as long as the child asks (a stuck exit to report) */
	for (long long end = mono_ms() + 3000;
	     waitpid(pid, NULL, WNOHANG) != pid; usleep(10000)) {
		if (iouf_child_grace && *iouf_child_grace > end)
			end = *iouf_child_grace;
		if (mono_ms() >= end)
			break;
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return 0;
}
MAIN
}
