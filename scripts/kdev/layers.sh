# kdev layers: io_uring's cross-file calls against scripts/kdev/layers.rules
# (the layering Documentation/io_uring/layout.rst describes), and its file
# and function sizes. Builds our kernel first: the calls are read from
# the objects.

kdev_layers() {
	[ $# -eq 0 ] || die "layers" "no arguments expected"
	kdev_lock
	VARIANT=ours build_kernel ours
	python3 "$KDEV_ROOT/scripts/kdev/layers.py" "$(build_dir ours)/io_uring" \
		"$KDEV_ROOT/io_uring" "$KDEV_ROOT/scripts/kdev/layers.rules"
}
