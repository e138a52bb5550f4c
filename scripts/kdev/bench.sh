# kdev bench: fio in the guest, ours against stock, under icount so that
# guest time counts guest instructions and the figures repeat.

BENCH_IOS=${BENCH_IOS:-100000}
BENCH_ROUNDS=${BENCH_ROUNDS:-20000}

# bench_guest_script: fio jobs; prints "mode engine iops" lines.
bench_guest_script() {
	cat <<'SCRIPT'
run() {
	mode=$1 engine=$2 dev=$3; shift 3
	if fio --name=b --filename=$dev --ioengine=$engine --direct=1 --bs=4k \
		--number_ios=$IOS --size=1g --output-format=terse \
		--terse-version=3 "$@" >/tmp/fio.out 2>&1; then
		awk -F';' -v m="$mode" -v e="$engine" '
			{ r = $8 + $49; printf "BENCH %s %s %d\n", m, e, r }' /tmp/fio.out
	else
		echo "BENCH $mode $engine n/a"
	fi
}
for dev in /dev/nullb0 /dev/nvme0n1; do
	d=${dev#/dev/}
	for e in io_uring libaio psync; do
		qd=32; [ $e = psync ] && qd=1
		run "$d-randread-qd$qd" $e $dev --rw=randread --iodepth=$qd
	done
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
for e in io_uring psync; do
	"$PINGPONG" $e $ROUNDS 64 || echo "BENCH lo-tcp-pingpong-64b $e n/a"
done
SCRIPT
}

# the loopback ping-pong, built on the host (liburing) for the guest
bench_build_pingpong() {
	mkdir -p "$KDEV_CACHE/bench"
	run_logged bench-build gcc -O2 -Wall -o "$KDEV_CACHE/bench/pingpong" \
		"$KDEV_ROOT/scripts/kdev/bench/pingpong.c" -luring
}

kdev_bench() {
	local v rundir
	kdev_lock
	bench_build_pingpong
	for v in ours stock; do
		build_kernel "$v" >/dev/null
		rundir="$KDEV_CACHE/run/bench-$v"
		guest_prepare "$rundir" sh -c "IOS=$BENCH_IOS; ROUNDS=$BENCH_ROUNDS; PINGPONG=$KDEV_CACHE/bench/pingpong; $(bench_guest_script)"
		log "kdev: bench on the $v kernel (icount: repeatable guest time)"
		guest_boot "$v" "$rundir" 1800 icount | grep '^BENCH ' \
			>"$KDEV_CACHE/bench-$v.txt" || true
	done
	awk '
	FNR == 1 { v++ }
	{ key = $2; eng = $3; val[v, key, eng] = $4
	  if (!(key in seen)) { seen[key] = 1; order[++n] = key } }
	END {
		printf "%-30s %-12s %10s %10s %10s %12s\n", "mode", "engine",
			"ours", "stock", "ours/stock", "ours/libaio"
		for (i = 1; i <= n; i++) {
			k = order[i]
			split("io_uring io_uring_cmd libaio psync", es, " ")
			for (j = 1; j <= 4; j++) {
				e = es[j]
				if (!((1, k, e) in val) && !((2, k, e) in val)) continue
				o = val[1, k, e]; s = val[2, k, e]
				ratio = (o + 0 > 0 && s + 0 > 0) ? sprintf("%.3f", o / s) : "n/a"
				la = ((1, k, "libaio") in val) ? val[1, k, "libaio"] : ""
				rl = (e == "io_uring" && o + 0 > 0 && la + 0 > 0) ? sprintf("%.3f", o / la) : ""
				printf "%-30s %-12s %10s %10s %10s %12s\n", k, e, o, s, ratio, rl
			}
		}
	}' "$KDEV_CACHE/bench-ours.txt" "$KDEV_CACHE/bench-stock.txt"
	log "kdev: NVMe under icount completes on host time: treat its figures as functional only"
}
