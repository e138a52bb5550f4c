# kdev demo: from a fresh machine to io_uring working in a guest.

kdev_demo() {
	local out="$KDEV_CACHE/demo"
	kdev_setup
	(kdev_lock; build_kernel ours >/dev/null)
	mkdir -p "$out"
	run_logged demo-build gcc -O2 -Wall -isystem "$(build_dir ours)/usr/include" \
		-o "$out/demo" "$KDEV_ROOT/scripts/kdev/demo/demo.c"
	log "kdev: booting the guest (TCG, a few seconds)"
	kdev_run --timeout 300 -- sh -c '
		echo "== kernel $(uname -r), io_uring from the kdev series"
		"$1"
		echo
		echo "== fio on null_blk (/dev/nullb0), 4k random reads, QD32, 20000 I/Os"
		for engine in io_uring libaio; do
			fio --name=demo --filename=/dev/nullb0 --ioengine=$engine \
				--rw=randread --bs=4k --iodepth=32 --direct=1 \
				--number_ios=20000 --size=1g --output-format=terse \
				--terse-version=3 >/tmp/fio.$engine 2>&1 &&
			awk -F";" -v e=$engine "{ printf \"  %-9s %8d IOPS\n\", e, \$8 }" /tmp/fio.$engine ||
			{ printf "  %-9s failed: " $engine; grep -m1 -i "err\|fail" /tmp/fio.$engine; }
		done' sh "$out/demo"
}
