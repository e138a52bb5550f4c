# kdev test: our kselftests and liburing 2.3's suite in the guest.

KNOWN_FAILURES="$KDEV_ROOT/scripts/kdev/known-failures"
SELFTEST_OUT="$KDEV_CACHE/selftests"
# per test, in seconds; the debug kernel runs about 10-20 times slower
KDEV_TEST_TIMEOUT=${KDEV_TEST_TIMEOUT:-}

# Our selftests are built from the series tree against our UAPI headers.
selftests_build() {
	rm -rf "$SELFTEST_OUT" && mkdir -p "$SELFTEST_OUT"
	run_logged selftests-build make -C "$KDEV_TREE/tools/testing/selftests/io_uring" \
		OUTPUT="$SELFTEST_OUT" \
		KHDR_INCLUDES="-isystem $(build_dir ours)/usr/include"
}

selftests_list() {
	local t
	for t in "$SELFTEST_OUT"/*; do
		[ -f "$t" ] && [ -x "$t" ] && echo "selftests/${t##*/} $t"
	done
}

# Turn the guest's KDEV-RESULT lines into the report and the final count.
report_results() {
	local mode=$1 logdir=$2 expected=$3 interactive=()
	# mawk reads a pipe in blocks: ask it for line-by-line, to stream
	awk -W version 2>&1 | grep -q mawk && interactive=(-W interactive)
	awk "${interactive[@]}" -v known="$KNOWN_FAILURES" -v mode="$mode" -v logdir="$logdir" \
		-v expected="$expected" '
	BEGIN {
		while ((getline line < known) > 0) {
			if (line ~ /^[ \t]*(#|$)/) continue
			split(line, f, /[ \t]+/)
			name = f[1]; sub(/^[^ \t]+[ \t]+/, "", line)
			reason[name] = line
		}
	}
	# the failed assertions first (kselftest prints file:line:test:Expected),
	# then the end of the log
	function tail_log(name,   file, cmd, l) {
		file = name; gsub("/", "_", file)
		cmd = "grep -a -m 8 -E \"(:[0-9]+:.*(Expected|Assertion)|^not ok )\" \"" \
			logdir "/" file ".log\" 2>/dev/null"
		while ((cmd | getline l) > 0) print "    ! " l
		close(cmd)
		cmd = "tail -n 15 \"" logdir "/" file ".log\" 2>/dev/null"
		while ((cmd | getline l) > 0) print "    | " l
		close(cmd)
	}
	/^KDEV-GUEST-EXIT / {
		printf "FAIL  %-40s guest ended with status %s\n", "guest", $2; failed++
		next
	}
	/^KDEV-RESULT / {
		if ($2 !~ /^(boot|debug)\//) seen++
		report($2, $3, $4, $5)
		fflush()
		next
	}
	function report(name, rc, secs, splat,   listed, what) {
		listed = (name in reason)
		if (splat == 1) {
			printf "FAIL  %-40s kernel splat in dmesg\n", name; failed++
			tail_log(name); return
		}
		if (rc == 77) { printf "skip  %s\n", name; skipped++; return }
		if (rc == 0) {
			if (listed && mode != "stock" && reason[name] !~ /^flaky:/) {
				printf "FAIL  %-40s passes but is in known-failures: drop it\n", name
				failed++; return
			}
			if (listed) printf "ok    %-40s (%ss; listed for ours: %s)\n", name, secs, reason[name]
			else printf "ok    %-40s %ss\n", name, secs
			passed++; return
		}
		what = (rc == 124 || rc == 137) ? "timeout" : "exit " rc
		if (listed && mode != "stock") {
			printf "xfail %-40s %s: %s\n", name, what, reason[name]; xfailed++; return
		}
		if (listed) { printf "FAIL  %-40s %s (fails on stock too)\n", name, what; failed++; return }
		printf "FAIL  %-40s %s\n", name, what; failed++
		tail_log(name)
	}
	{ if (ENVIRON["KDEV_VERBOSE"] == 1) print "      " $0 }
	END {
		if (seen < expected) {
			printf "FAIL  %-40s %d of %d tests never reported (guest crash?)\n",
				"guest", expected - seen, expected
			failed++
		}
		printf "%d passed, %d failed, %d skipped, %d known failures\n",
			passed, failed, skipped, xfailed
		exit(failed > 0)
	}'
}

# fio's io_uring engine writing and verifying data (crc32c) on the NVMe
# namespace (direct) and on a file on the ext4 scratch disk (buffered and
# direct), at several queue depths, with and without registered files and
# buffers. Each case is a small script under the run directory.
fio_tests() {
	local dir=$1 target qd fixed name opts
	mkdir -p "$dir"
	for target in nvme ext4 ext4-direct; do
		for qd in 1 32 128; do
			[ $target = ext4-direct ] && [ $qd != 32 ] && continue
			for fixed in "" -fixed; do
				name=$target-qd$qd$fixed
				case $target in
				nvme) opts="--filename=/dev/nvme0n1 --direct=1" ;;
				ext4) opts="--filename=fio.dat" ;;
				ext4-direct) opts="--filename=fio.dat --direct=1" ;;
				esac
				[ -n "$fixed" ] && opts="$opts --fixedbufs --registerfiles"
				printf '#!/bin/sh\nexec fio --name=%s --ioengine=io_uring %s %s\n' \
					"$name" "--rw=randwrite --bs=4k --size=16M --verify=crc32c --do_verify=1 --iodepth=$qd" \
					"$opts" >"$dir/$name"
				chmod +x "$dir/$name"
				echo "fio/$name $dir/$name"
			done
		done
	done
	# the polled and kernel-thread modes, and NVMe passthrough
	fio_case "$dir" nvme-hipri --filename=/dev/nvme0n1 --direct=1 --hipri
	fio_case "$dir" nvme-sqpoll --filename=/dev/nvme0n1 --direct=1 --sqthread_poll=1
	fio_case "$dir" ext4-sqpoll --filename=fio.dat --sqthread_poll=1
	fio_case "$dir" nvme-sqpoll-hipri --filename=/dev/nvme0n1 --direct=1 \
		--sqthread_poll=1 --hipri
	fio_case "$dir" ng-passthrough --ioengine=io_uring_cmd --cmd_type=nvme \
		--filename=/dev/ng0n1
	fio_case "$dir" ng-passthrough-hipri --ioengine=io_uring_cmd --cmd_type=nvme \
		--filename=/dev/ng0n1 --hipri
	# null_blk keeps no data: polled reads, nothing to verify
	printf '#!/bin/sh\nexec fio --name=nullb-hipri --ioengine=io_uring --filename=/dev/nullb0 --direct=1 --hipri --rw=randread --bs=4k --size=64M --iodepth=32 --number_ios=20000\n' \
		>"$dir/nullb-hipri"
	chmod +x "$dir/nullb-hipri"
	echo "fio/nullb-hipri $dir/nullb-hipri"
}

# fio_case DIR NAME OPTS...: a verified write-then-read job; the engine is
# io_uring unless OPTS name another.
fio_case() {
	local dir=$1 name=$2
	shift 2
	printf '#!/bin/sh\nexec fio --name=%s --ioengine=io_uring --rw=randwrite --bs=4k --size=16M --verify=crc32c --do_verify=1 --iodepth=32 %s\n' \
		"$name" "$*" >"$dir/$name"
	chmod +x "$dir/$name"
	echo "fio/$name $dir/$name"
}

# liburing's passthrough test wants the NVMe generic device as argument.
passthrough_wrap() {
	local dir=$1 name path
	mkdir -p "$dir"
	while read -r name path; do
		if [ "$name" = liburing/io_uring_passthrough ]; then
			printf '#!/bin/sh\nexec %s /dev/ng0n1\n' "$path" >"$dir/passthrough"
			chmod +x "$dir/passthrough"
			path=$dir/passthrough
		fi
		echo "$name $path"
	done
}

kdev_test() {
	local only="" rundir list rc=0 mode
	parse_variant "$@"
	if [ -z "$KDEV_TEST_TIMEOUT" ]; then
		case "$VARIANT" in
		*-debug) KDEV_TEST_TIMEOUT=300 ;;
		*) KDEV_TEST_TIMEOUT=60 ;;
		esac
	fi
	set -- "${REST[@]}"
	while [ $# -gt 0 ]; do
		case "$1" in
		--only) only=$2; shift 2 ;;
		*) die "test" "unknown argument $1" ;;
		esac
	done
	kdev_lock
	# selftests come from our tree, whichever kernel runs them
	build_kernel ours >/dev/null
	selftests_build
	build_kernel "$VARIANT" >/dev/null
	liburing_build

	rundir="$KDEV_CACHE/run/test-$VARIANT"
	rm -rf "$rundir/logs"
	guest_prepare "$rundir" "$KDEV_ROOT/scripts/kdev/guest/run-tests"
	list="$rundir/tests"
	{ selftests_list; liburing_tests | passthrough_wrap "$rundir/fio"
	  fio_tests "$rundir/fio"; } |
	while read -r name path; do
		[ -z "$only" ] || [[ $name =~ $only ]] || continue
		# fio moves real data, the safety tests race for seconds each,
		# two syzbot reproducers fork thousands of times and
		# poll-mshot-update loops (16-51 s on the plain kernel, 10-20
		# times that under KASAN): room for them on the debug kernel
		case $name in
		fio/*|selftests/safety_test|liburing/a4c0b3decb33|liburing/pollfree|\
		liburing/poll-mshot-update)
			echo "$name $path $((KDEV_TEST_TIMEOUT * 3))" ;;
		*) echo "$name $path $KDEV_TEST_TIMEOUT" ;;
		esac
	done >"$list"
	[ -s "$list" ] || die "test" "no tests match '$only'"
	log "kdev: running $(wc -l <"$list") tests on the $VARIANT kernel"
	mode=ours
	case "$VARIANT" in stock*) mode=stock ;; esac
	set -o pipefail
	{ guest_boot "$VARIANT" "$rundir" 5400 || echo "KDEV-GUEST-EXIT $?"; } |
		report_results "$mode" "$rundir/logs" "$(wc -l <"$list")" || rc=$?
	return $rc
}
