# kdev run: boot a kernel in QEMU (TCG) and run a command inside.

KDEV_RUN_TIMEOUT=${KDEV_RUN_TIMEOUT:-600}

# qemu_cmd KERNEL RUNDIR [extra qemu args...]: prints nothing, sets QEMU.
qemu_setup() {
	local kernel=$1 rundir=$2 icount=$3 append
	append="console=ttyS0 root=hostroot rootfstype=9p ro"
	append+=" rootflags=trans=virtio,version=9p2000.L,msize=262144,cache=loose"
	append+=" init=$KDEV_ROOT/scripts/kdev/guest/init quiet loglevel=${KDEV_LOGLEVEL:-3}"
	append+=" panic=-1 oops=panic"
	append+=" null_blk.nr_devices=1 null_blk.queue_mode=2"
	append+=" null_blk.submit_queues=1 null_blk.poll_queues=1"
	append+=" nvme.poll_queues=1"
	append+=" kdev.cpus=$KDEV_CPUS"
	case "$kernel" in *-debug/*) append+=" kmemleak=on" ;; esac
	# callers add their own (./kdev fuzz: a frozen guest must panic)
	append+="${KDEV_APPEND:+ $KDEV_APPEND}"
	QEMU=(qemu-system-x86_64 -nodefaults -no-user-config -no-reboot
		-machine q35 -cpu max -smp "$KDEV_CPUS" -m 2G
		-kernel "$kernel" -append "$append"
		-fsdev "local,id=root,path=/,security_model=none,readonly=on,multidevs=remap"
		-device virtio-9p-pci,fsdev=root,mount_tag=hostroot
		-fsdev "local,id=run,path=$rundir,security_model=none"
		-device virtio-9p-pci,fsdev=run,mount_tag=kdevrun
		-drive "file=$rundir/scratch.img,if=virtio,format=raw,cache=unsafe"
		-drive "file=$rundir/nvme.img,if=none,id=nvm,format=raw,cache=unsafe"
		-device nvme,serial=kdev0001,drive=nvm
		-display none -monitor none)
	# more of the caller's (a TCG plugin that counts instructions)
	# shellcheck disable=SC2206
	[ -z "${KDEV_QEMU_EXTRA:-}" ] || QEMU+=($KDEV_QEMU_EXTRA)
	if [ -n "$icount" ]; then
		QEMU+=(-accel tcg -icount shift=0,sleep=off)
	else
		QEMU+=(-accel tcg,thread=multi)
	fi
}

# guest_prepare RUNDIR CMD...: the command file and fresh disks.
guest_prepare() {
	local rundir=$1
	shift
	mkdir -p "$rundir"
	{
		echo "cd /tmp/scratch"
		printf '%q ' "$@"
		echo
	} >"$rundir/cmd"
	rm -f "$rundir/rc"
	# host paths the guest covers with its own tmpfs but needs to see
	readlink -f "$KDEV_ROOT" "$KDEV_CACHE" >"$rundir/binds"
	truncate -s 0 "$rundir/scratch.img" && truncate -s 4G "$rundir/scratch.img"
	mkfs.ext4 -q -F -E lazy_itable_init=1,lazy_journal_init=1 \
		"$rundir/scratch.img" || die "run" "mkfs.ext4 of the scratch disk"
	truncate -s 0 "$rundir/nvme.img" && truncate -s 1G "$rundir/nvme.img"
}

# guest_boot VARIANT RUNDIR TIMEOUT [icount]: boot, stream the console to
# stdout, return the command's exit status (124 on timeout, 125 when the
# guest died without one).
guest_boot() {
	local variant=$1 rundir=$2 timeout=$3 icount=${4:-} kernel rc
	kernel="$(build_dir "$variant")/arch/x86/boot/bzImage"
	[ -f "$kernel" ] || die "run" "no $variant kernel; run ./kdev build"
	qemu_setup "$kernel" "$rundir" "$icount"
	# the guest's own reboot banner is noise
	timeout -k 10 "$timeout" "${QEMU[@]}" -serial stdio </dev/null |
		grep -a --line-buffered -v -e '^sysrq: Resetting' -e '^reboot: Restarting'
	rc=${PIPESTATUS[0]}
	if [ -f "$rundir/rc" ]; then
		[ "$(cat "$rundir/rc")" != 97 ] ||
			die "boot" "the guest brought up fewer than $KDEV_CPUS CPUs (CONFIG_ACPI?)"
		return "$(cat "$rundir/rc")"
	fi
	[ "$rc" = 124 ] && { log "kdev: guest timed out after ${timeout}s"; return 124; }
	log "kdev: guest stopped without an exit status (qemu exit $rc)"
	return 125
}

kdev_run() {
	local timeout=$KDEV_RUN_TIMEOUT rundir rc=0
	parse_variant "$@"
	set -- "${REST[@]}"
	while [ $# -gt 0 ]; do
		case "$1" in
		--timeout) timeout=$2; shift 2 ;;
		--) shift; break ;;
		*) break ;;
		esac
	done
	[ $# -gt 0 ] || die "run" "no command given (./kdev run -- CMD...)"
	kdev_lock
	build_kernel "$VARIANT" >/dev/null
	rundir="$KDEV_CACHE/run/$VARIANT"
	guest_prepare "$rundir" "$@"
	guest_boot "$VARIANT" "$rundir" "$timeout" || rc=$?
	return $rc
}

kdev_shell() {
	parse_variant "$@"
	kdev_lock
	build_kernel "$VARIANT" >/dev/null
	local rundir="$KDEV_CACHE/run/$VARIANT"
	guest_prepare "$rundir" sh -c 'setsid sh -c "exec sh </dev/ttyS0 >/dev/ttyS0 2>&1"'
	qemu_setup "$(build_dir "$VARIANT")/arch/x86/boot/bzImage" "$rundir" ""
	"${QEMU[@]}" -serial mon:stdio
}
