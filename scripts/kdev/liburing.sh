# liburing 2.3's test suite, from Debian's source package, built on the host.

LIBURING_DIR="$KDEV_CACHE/liburing"

liburing_build() {
	local src
	[ -f "$LIBURING_DIR/.kdev-built" ] && return 0
	rm -rf "$LIBURING_DIR" && mkdir -p "$LIBURING_DIR"
	run_logged liburing-source sh -c \
		'cd "$1" && apt-get source -q --download-only liburing &&
		 dpkg-source -x --skip-debianization liburing_*.dsc src' \
		sh "$LIBURING_DIR"
	src="$LIBURING_DIR/src"
	run_logged liburing-build sh -c '
		cd "$1" && ./configure >/dev/null &&
		make -j"$2" -C src >/dev/null && make -j"$2" -C test' \
		sh "$src" "$KDEV_JOBS"
	touch "$LIBURING_DIR/.kdev-built"
}

# liburing_tests: "name path" lines for every test binary.
liburing_tests() {
	local t
	for t in "$LIBURING_DIR"/src/test/*.t; do
		[ -x "$t" ] || continue
		t=${t##*/}
		echo "liburing/${t%.t} $LIBURING_DIR/src/test/$t"
	done
}
