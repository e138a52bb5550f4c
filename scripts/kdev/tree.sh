# The kernel tree in the cache: the tarball extracted once as a git tree with
# a "pristine" tag, and our series as commits on the branch "io_uring".

KDEV_TREE="$KDEV_CACHE/linux"
export KDEV_TREE
KDEV_GIT=(git -C "$KDEV_TREE" -c user.name=kdev -c user.email=kdev@localhost
	-c core.autocrlf=false -c gc.auto=0)

# Stock paths our series replaces wholesale.
STOCK_PATHS="io_uring include/linux/io_uring.h include/linux/io_uring_types.h
include/linux/io_uring include/trace/events/io_uring.h
include/uapi/linux/io_uring.h tools/testing/selftests/io_uring"

tree_init() {
	[ -f "$KDEV_TREE/.kdev-pristine" ] && return 0
	[ -f "$KDEV_TARBALL" ] ||
		die "tree" "$KDEV_TARBALL missing; run ./kdev setup"
	rm -rf "$KDEV_TREE" && mkdir -p "$KDEV_TREE"
	log "kdev: extracting $(basename "$KDEV_TARBALL") (once)"
	run_logged extract tar -C "$KDEV_TREE" --strip-components=1 \
		-xJf "$KDEV_TARBALL"
	run_logged git-init sh -c '
		cd "$1" && git init -q -b pristine-base &&
		git add -A -f . &&
		git -c user.name=kdev -c user.email=kdev@localhost \
			commit -q -m "Linux $(make -s kernelversion) (Debian linux-source-6.12)" &&
		git tag pristine' sh "$KDEV_TREE"
	touch "$KDEV_TREE/.kdev-pristine"
}

# The series is described by series/NN-*.msg files: header lines saying
# what the patch adds or removes, a blank line, then the commit message;
# scripts/kdev/series.py turns them into commits with plumbing in a private
# index, so the work tree is touched only where file contents change (fast
# incremental builds).

# tree_series: (re)build the branch io_uring = pristine + our series, taken
# from SERIES_ROOT (a checkout of our repository; default: this one).
tree_series() {
	local head=pristine msgf
	SERIES_ROOT=${SERIES_ROOT:-$KDEV_ROOT}
	SERIES_NAME=${SERIES_NAME:-$(git -C "$KDEV_ROOT" config user.name || echo "io_uring clean-room team")}
	SERIES_EMAIL=${SERIES_EMAIL:-$(git -C "$KDEV_ROOT" config user.email || echo "io-uring@localhost")}
	tree_init
	head=$(GIT_DIR="$KDEV_TREE/.git" GIT_INDEX_FILE="$KDEV_CACHE/series.index" \
		python3 "$KDEV_ROOT/scripts/kdev/series.py" "$SERIES_ROOT" \
		pristine "$SERIES_NAME" "$SERIES_EMAIL") || die "series" "series/ (see above)"
	"${KDEV_GIT[@]}" update-ref refs/heads/io_uring "$head"
}

# tree_checkout REV: put the shared work tree at REV (pristine or io_uring).
tree_checkout() {
	local want
	want=$("${KDEV_GIT[@]}" rev-parse "$1^{commit}")
	[ "$("${KDEV_GIT[@]}" rev-parse HEAD 2>/dev/null)" = "$want" ] &&
		[ -z "$("${KDEV_GIT[@]}" status --porcelain -uno)" ] && return 0
	"${KDEV_GIT[@]}" checkout -q -f --detach "$want" ||
		die "tree" "checkout of $1 in $KDEV_TREE"
}
