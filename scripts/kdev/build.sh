# kdev build: configure and build the guest kernel out of tree with ccache.

# build_dir VARIANT: out-of-tree build folder (ours, stock, ours-debug, ...).
build_dir() { echo "$KDEV_CACHE/build/$1"; }

# parse_variant ARGS...: sets VARIANT (ours|stock)[-debug]; REST=other args.
parse_variant() {
	local base=ours dbg=""
	REST=()
	while [ $# -gt 0 ]; do
		case "$1" in
		--stock) base=stock ;;
		--debug) dbg=-debug ;;
		*) REST+=("$1") ;;
		esac
		shift
	done
	VARIANT=$base$dbg
}

build_config() {
	local out=$1 dbg=$2 frags sum
	frags=("$KDEV_TREE/kernel/configs/kvm_guest.config"
	       "$KDEV_ROOT/scripts/kdev/config/guest.config")
	[ -n "$dbg" ] && frags+=("$KDEV_ROOT/scripts/kdev/config/debug.config")
	# kdev fuzz --kernel: what an older tree needs for coverage
	[ -n "${KDEV_EXTRA_CONFIG:-}" ] && frags+=("$KDEV_EXTRA_CONFIG")
	sum=$(cat "${frags[@]}" | sha1sum | cut -c1-16)
	[ -f "$out/.config" ] && [ "$(cat "$out/.kdev-config" 2>/dev/null)" = "$sum" ] &&
		return 0
	mkdir -p "$out"
	run_logged config-$VARIANT sh -c '
		out=$1; shift
		make -C "$KDEV_TREE" O="$out" tinyconfig &&
		"$KDEV_TREE/scripts/kconfig/merge_config.sh" -m -O "$out" \
			"$out/.config" "$@" &&
		make -C "$KDEV_TREE" O="$out" olddefconfig' sh "$out" "${frags[@]}"
	# Report fragment options that Kconfig dropped (unmet dependencies).
	local missing
	missing=$(grep -h '^CONFIG_.*=y' "${frags[@]:1}" | sort -u |
		grep -vxF -f "$out/.config" || true)
	[ -z "$missing" ] || log "kdev: config: not set in $VARIANT:" $missing
	echo "$sum" >"$out/.kdev-config"
}

kdev_build() {
	parse_variant "$@"
	[ ${#REST[@]} -eq 0 ] || die "build" "unknown argument ${REST[*]}"
	kdev_lock
	build_kernel "$VARIANT"
	echo "$(build_dir "$VARIANT")/arch/x86/boot/bzImage"
}

# build_kernel VARIANT: bring the tree and the build folder up to date.
build_kernel() {
	local variant=$1 out rev
	out=$(build_dir "$variant")
	local VARIANT=$variant
	tree_init
	case "$variant" in
	stock*) rev=pristine ;;
	*) tree_series; rev=io_uring ;;
	esac
	tree_checkout "$rev"
	build_config "$out" "$(case $variant in *-debug) echo y ;; esac)"
	export CCACHE_DIR="$KDEV_CACHE/ccache" CCACHE_BASEDIR="$KDEV_CACHE" \
		CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=8G CCACHE_SLOPPINESS=time_macros
	export KBUILD_BUILD_TIMESTAMP="kdev" KBUILD_BUILD_USER=kdev \
		KBUILD_BUILD_HOST=kdev
	[ -f "$out/arch/x86/boot/bzImage" ] || log "kdev: building $variant kernel (first build takes a few minutes)"
	run_logged build-$variant make -C "$KDEV_TREE" O="$out" \
		-j"$KDEV_JOBS" CC="ccache gcc" bzImage headers
	# our code builds without a warning (W=1's missing prototypes among
	# them): the kernel's own warnings elsewhere are not ours to fix
	case "$variant" in stock*) return 0 ;; esac
	if grep -q '/io_uring/.*warning:' "$KDEV_CACHE/logs/build-$variant.log"; then
		grep -A3 '/io_uring/.*warning:' "$KDEV_CACHE/logs/build-$variant.log" | head -20 >&2
		die "build" "warnings in io_uring/ (see $KDEV_CACHE/logs/build-$variant.log)"
	fi
}
