# kdev bench: fio in the guest, ours against stock, under icount so that
# guest time counts guest instructions and the figures repeat.

BENCH_IOS=${BENCH_IOS:-100000}
BENCH_ROUNDS=${BENCH_ROUNDS:-20000}
# runs of each wall-clock row per kernel, interleaved; the table has medians
BENCH_WALL_RUNS=${BENCH_WALL_RUNS:-3}

# The rows whose figures run on host time under icount (NVMe completes on
# the host's clock, and an SQPOLL thread's idle spin): shell patterns in
# the guest, an ERE on BENCH lines here.
BENCH_WALL_ERE='^BENCH ((nvme0n1|ng0n1)-|[^ ]*sqpoll)'

# bench_guest_script: the rows; prints "BENCH row engine figure" lines.
# ROWS (comma-separated shell patterns) picks rows by name; WALL_ONLY=1
# keeps only the wall-clock ones (the interleaved extra runs).
bench_guest_script() {
	cat <<'SCRIPT'
want() {
	if [ -n "$WALL_ONLY" ]; then
		case "$1" in
		nvme0n1-*|ng0n1-*|*sqpoll*) ;;
		*) return 1 ;;
		esac
	fi
	[ -z "$ROWS" ] && return 0
	old=$IFS; IFS=,
	for pat in $ROWS; do
		IFS=$old
		case "$1" in $pat) return 0 ;; esac
	done
	IFS=$old
	return 1
}
# prof ROW CMD...: CMD, under perf when PROFILE is set (the top symbols
# as "PROF row percent symbol" lines; under icount, samples count
# instructions)
prof() {
	prow=$1; shift
	[ -n "$PROFILE" ] || { "$@"; return; }
	perf record -q -a -F 997 -o /tmp/perf.data -- "$@"
	prc=$?
	perf report -q -i /tmp/perf.data --stdio --sort sym 2>/dev/null |
		awk -v r="$prow" 'NF >= 3 && $1 ~ /%$/ { $2 = ""; print "PROF", r, $0 }' |
		head -30 >/tmp/prof.txt
	return $prc
}
run() {
	mode=$1 engine=$2 dev=$3; shift 3
	want "$mode" || return 0
	if prof "$mode-$engine" fio --name=b --filename=$dev --ioengine=$engine --direct=1 --bs=4k \
		--number_ios=$IOS --size=1g --output-format=terse \
		--terse-version=3 "$@" >/tmp/fio.out 2>&1; then
		awk -F';' -v m="$mode" -v e="$engine" '
			{ r = $8 + $49; printf "BENCH %s %s %d\n", m, e, r }' /tmp/fio.out
	else
		echo "BENCH $mode $engine n/a"
		# why: fio's last words, shown under the table
		tail -n 3 /tmp/fio.out | sed "s/^/BENCHERR $mode $engine: /"
	fi
	[ -z "$PROFILE" ] || cat /tmp/prof.txt
}
# ub ROW ARGS...: a row of uringbench
ub() {
	want "$1" || return 0
	row=$1; shift
	prof "$row" "$UB" "$@" || echo "BENCH $row io_uring n/a"
	[ -z "$PROFILE" ] || cat /tmp/prof.txt
}
for dev in /dev/nullb0 /dev/nvme0n1; do
	d=${dev#/dev/}
	for e in io_uring libaio psync; do
		qd=32; [ $e = psync ] && qd=1
		run "$d-randread-qd$qd" $e $dev --rw=randread --iodepth=$qd
	done
	run "$d-randread-qd1" io_uring $dev --rw=randread --iodepth=1
	run "$d-randread-qd32-hipri" io_uring $dev --rw=randread --iodepth=32 --hipri
	run "$d-randread-qd32-fixed" io_uring $dev --rw=randread --iodepth=32 \
		--fixedbufs --registerfiles
	run "$d-randread-qd32-sqpoll" io_uring $dev --rw=randread --iodepth=32 \
		--sqthread_poll=1
	for e in io_uring libaio; do
		run "$d-randwrite-qd32" $e $dev --rw=randwrite --iodepth=32
	done
done
# NVMe passthrough on the generic char device (no O_DIRECT there),
# interrupt-driven and polled
for hipri in "" --hipri; do
	run "ng0n1-randread-qd32${hipri:+-hipri}" io_uring_cmd /dev/ng0n1 \
		--direct=0 --cmd_type=nvme --rw=randread --iodepth=32 $hipri
done
ub nop-batch1 nop 1 $((IOS * 2))
ub nop-batch32 nop 32 $((IOS * 10))
# the same with kernel.io_uring_op_latency on (ours; stock has no such
# counters and runs it plain): what leaving the fdinfo histograms on costs
if want nop-batch32-oplat; then
	lat=/proc/sys/kernel/io_uring_op_latency
	[ -w $lat ] && echo 1 >$lat
	"$UB" nop 32 $((IOS * 10)) | sed 's/nop-batch32 /nop-batch32-oplat /' ||
		echo "BENCH nop-batch32-oplat io_uring n/a"
	[ -w $lat ] && echo 0 >$lat
fi
ub ring-setup-teardown-64 setup $((IOS / 50))
ub sizeof-io_kiocb sizeof
ub inflight-read-bytes inflight 4096
# The buffered reads' ext4 is on a second null_blk, one that keeps its
# data and completes each I/O on a 10 us timer: waiting for the disk is
# guest time, so the row repeats like the other icount rows (on the
# virtio scratch disk, which completes on host time, two runs of one
# kernel differed by 2x).
bufread_disk() {
	cfs=/sys/kernel/config
	[ -d $cfs/nullb ] || mount -t configfs configfs $cfs || return 1
	nb=$cfs/nullb/nullb1
	mkdir $nb || return 1
	for kv in size=512 blocksize=4096 queue_mode=2 memory_backed=1 \
		irqmode=2 completion_nsec=10000 power=1; do
		echo "${kv#*=}" >"$nb/${kv%%=*}" || return 1
	done
	mkfs.ext4 -q -F /dev/nullb1 && mkdir -p /tmp/bufread &&
		mount -t ext4 -o noatime /dev/nullb1 /tmp/bufread
}
if want 'bufread-*'; then
	if bufread_disk; then
		(cd /tmp/bufread && ub 'bufread-*' bufread $((IOS / 10)))
	else
		echo "BENCH bufread-4k-qd32 io_uring n/a"
		echo "BENCHERR bufread-4k-qd32 io_uring: no memory-backed null_blk for its ext4"
	fi
fi
ub lo-tcp-send-64k send $((IOS / 50))
ub lo-tcp-sendzc-64k sendzc $((IOS / 50))
ub asynclink-8 asynclink $((IOS / 100))
if want lo-tcp-pingpong-64b; then
	for e in io_uring psync; do
		"$PINGPONG" $e $ROUNDS 64 || echo "BENCH lo-tcp-pingpong-64b $e n/a"
	done
fi
SCRIPT
}

# the loopback ping-pong and the micro benchmarks, built on the host
# (liburing) for the guest
bench_build_pingpong() {
	mkdir -p "$KDEV_CACHE/bench"
	run_logged bench-build sh -c '
		gcc -O2 -Wall -o "$1/pingpong" "$2/pingpong.c" -luring &&
		gcc -O2 -Wall -o "$1/uringbench" "$2/uringbench.c" -luring -lpthread' \
		sh "$KDEV_CACHE/bench" "$KDEV_ROOT/scripts/kdev/bench"
}

# bench_boot VERSION WALL_ONLY ROWS PROFILE: one boot of the rows, its
# BENCH and PROF lines on stdout
bench_boot() {
	local v=$1 wall_only=$2 rows=$3 profile=$4 rundir
	rundir="$KDEV_CACHE/run/bench-$v"
	guest_prepare "$rundir" sh -c "IOS=$BENCH_IOS; ROUNDS=$BENCH_ROUNDS; ROWS='$rows'; WALL_ONLY=$wall_only; PROFILE=$profile; PINGPONG=$KDEV_CACHE/bench/pingpong; UB=$KDEV_CACHE/bench/uringbench; $(bench_guest_script)"
	guest_boot "$v" "$rundir" 3600 icount | grep -a -E '^(BENCH|BENCHERR|PROF) ' || true
}

kdev_bench() {
	local v rows="" profile="" runs=$BENCH_WALL_RUNS run
	while [ $# -gt 0 ]; do
		case "$1" in
		--rows) rows=$2; shift 2 ;;
		--profile) profile=1; shift ;;
		--wall-runs) runs=$2; shift 2 ;;
		*) die "bench" "unknown argument $1 (--rows PATTERN,... --profile --wall-runs N)" ;;
		esac
	done
	case "$runs" in
	[1-9] | [1-9][0-9]) ;;
	*) die "bench" "--wall-runs takes a number from 1 to 99, not '$runs'" ;;
	esac
	kdev_lock
	bench_build_pingpong
	for v in ours stock; do
		build_kernel "$v" >/dev/null
		log "kdev: bench on the $v kernel (icount: repeatable guest time)"
		bench_boot "$v" "" "$rows" "$profile" >"$KDEV_CACHE/bench-$v.out"
		grep '^BENCH ' "$KDEV_CACHE/bench-$v.out" >"$KDEV_CACHE/bench-$v.txt" || true
	done
	# the wall-clock rows again, the kernels taking turns: their table
	# figure is the median of the runs, so a host hiccup in one is outvoted
	if grep -q -E "$BENCH_WALL_ERE" "$KDEV_CACHE/bench-ours.txt"; then
		for run in $(seq 2 "$runs"); do
			for v in ours stock; do
				log "kdev: wall-clock rows, run $run of $runs, on the $v kernel"
				bench_boot "$v" 1 "$rows" "" | grep '^BENCH ' \
					>>"$KDEV_CACHE/bench-$v.txt" || true
			done
		done
	fi
	bench_table "$KDEV_CACHE/bench-ours.txt" "$KDEV_CACHE/bench-stock.txt"
	for v in ours stock; do
		grep '^BENCHERR ' "$KDEV_CACHE/bench-$v.out" |
			sed "s/^BENCHERR /kdev: a row failed on the $v kernel: /" >&2 || true
	done
	if [ -n "$profile" ]; then
		for v in ours stock; do
			echo "== profile, $v kernel (row, share of samples, symbol)"
			grep '^PROF ' "$KDEV_CACHE/bench-$v.out" | cut -d' ' -f2- || true
		done
	fi
	log "kdev: NVMe and SQPOLL run on host time under icount: rows marked wall are medians of interleaved runs"
}

# bench_table OURS STOCK: one line per row and engine. "gain" is ours over
# stock where more is better, stock over ours for bytes; above 1 we win.
# A row listed more than once (the wall-clock rows' interleaved runs) shows
# the median of its figures (the most, for a count of threads), marked
# "wall xN" in the last column.
bench_table() {
	awk '
	FNR == 1 { v++ }
	{ key = $2; eng = $3; id = v SUBSEP key SUBSEP eng
	  if ($4 + 0 > 0 || $4 == "0") vals[id, ++cnt[id]] = $4 + 0
	  else na[id] = 1
	  if (!((key, eng) in seen)) { seen[key, eng] = 1; order[++n] = key SUBSEP eng } }
	# the figure of a row: its median, or its most for a thread count
	function fig(id, eng,    m, i, j, t, a) {
		m = cnt[id]
		if (!m) return (id in na) ? "n/a" : ""
		for (i = 1; i <= m; i++) a[i] = vals[id, i]
		for (i = 2; i <= m; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
		if (eng == "threads") return a[m]
		if (m % 2) return a[(m + 1) / 2]
		return int((a[m / 2] + a[m / 2 + 1]) / 2)
	}
	END {
		printf "%-30s %-12s %10s %10s %8s %12s %8s\n", "row", "engine",
			"ours", "stock", "gain", "ours/libaio", "clock"
		min = ""
		for (i = 1; i <= n; i++) {
			split(order[i], ke, SUBSEP); k = ke[1]; e = ke[2]
			o = fig(1 SUBSEP k SUBSEP e, e); s = fig(2 SUBSEP k SUBSEP e, e)
			if (o == "") o = "n/a"
			if (s == "") s = "n/a"
			g = ""
			if (o + 0 > 0 && s + 0 > 0 && e != "threads")
				g = e == "bytes" ? s / o : o / s
			la = fig(1 SUBSEP k SUBSEP "libaio", "libaio")
			rl = (e == "io_uring" && o + 0 > 0 && la + 0 > 0) ? sprintf("%.3f", o / la) : ""
			wall = k ~ /^(nvme0n1|ng0n1)-|sqpoll/
			runs = cnt[1 SUBSEP k SUBSEP e]
			printf "%-30s %-12s %10s %10s %8s %12s %8s\n", k, e, o, s,
				g == "" ? "" : sprintf("%.3f", g), rl,
				!wall ? "icount" : runs ? "wall x" runs : "wall"
			# the ratio that matters: io_uring rows, off the wall clock
			# (NVMe and SQPOLL)
			if (g != "" && e != "libaio" && e != "psync" && !wall &&
			    (min == "" || g < min)) {
				min = g; mink = k " " e
			}
		}
		if (min != "")
			printf "smallest gain (icount rows): %.3f (%s)\n", min, mink
	}' "$@"
}
