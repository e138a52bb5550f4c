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

# The series is described by series/NN-*.msg files: header lines
# (Remove:, Paths:, Patch:, Maintainers:), a blank line, then the commit
# message. Commits are built with plumbing in a private index, so the work
# tree is touched only where file contents change (fast incremental builds).
series_commit() {
	local msgf=$1 parent=$2 key val tree subject
	local -a paths=()
	local git=("${KDEV_GIT[@]}")
	while IFS= read -r line; do
		[ -z "$line" ] && break
		key=${line%%:*}
		val=${line#*: }
		case "$key" in
		Remove)
			# shellcheck disable=SC2086
			"${git[@]}" rm -r -q -f --cached --ignore-unmatch -- $val \
				>/dev/null || return 1 ;;
		Paths)
			read -r -a paths <<<"$val"
			git -C "$SERIES_ROOT" ls-files -co --exclude-standard -z -- \
				"${paths[@]}" |
				git --git-dir="$KDEV_TREE/.git" --work-tree="$SERIES_ROOT" \
					add -A -f --pathspec-from-file=- \
					--pathspec-file-nul || return 1 ;;
		Patch)
			"${git[@]}" apply --cached "$SERIES_ROOT/series/$val" ||
				return 1 ;;
		Maintainers)
			maintainers_update "$SERIES_ROOT/series/$val" || return 1 ;;
		esac
	done <"$msgf"
	tree=$("${git[@]}" write-tree) || return 1
	if [ "$tree" = "$("${git[@]}" rev-parse "$parent^{tree}")" ]; then
		echo "$parent"
		return
	fi
	sed '1,/^$/d' "$msgf" >"$KDEV_CACHE/series.msg"
	printf '\nSigned-off-by: %s <%s>\n' "$SERIES_NAME" "$SERIES_EMAIL" \
		>>"$KDEV_CACHE/series.msg"
	GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" \
	GIT_COMMITTER_DATE="2026-01-01T00:00:00Z" \
	GIT_AUTHOR_NAME="$SERIES_NAME" GIT_AUTHOR_EMAIL="$SERIES_EMAIL" \
	GIT_COMMITTER_NAME="$SERIES_NAME" GIT_COMMITTER_EMAIL="$SERIES_EMAIL" \
		"${git[@]}" commit-tree "$tree" -p "$parent" \
		-F "$KDEV_CACHE/series.msg"
}

# Replace the "IO_URING" section of MAINTAINERS with our entry.
maintainers_update() {
	local entry=$1 blob
	blob=$("${KDEV_GIT[@]}" show pristine:MAINTAINERS | awk -v entry="$entry" '
		/^IO_URING$/ { while ((getline l < entry) > 0) print l; skip = 1; next }
		skip && /^$/ { skip = 0 }
		!skip' | "${KDEV_GIT[@]}" hash-object -w --stdin)
	"${KDEV_GIT[@]}" update-index --cacheinfo "100644,$blob,MAINTAINERS"
}

# tree_series: (re)build the branch io_uring = pristine + our series, taken
# from SERIES_ROOT (a checkout of our repository; default: this one).
tree_series() {
	local head=pristine msgf
	SERIES_ROOT=${SERIES_ROOT:-$KDEV_ROOT}
	SERIES_NAME=${SERIES_NAME:-$(git -C "$KDEV_ROOT" config user.name || echo "io_uring clean-room team")}
	SERIES_EMAIL=${SERIES_EMAIL:-$(git -C "$KDEV_ROOT" config user.email || echo "io-uring@localhost")}
	tree_init
	export GIT_INDEX_FILE="$KDEV_CACHE/series.index"
	"${KDEV_GIT[@]}" read-tree pristine
	for msgf in "$SERIES_ROOT"/series/[0-9]*.msg; do
		head=$(series_commit "$msgf" "$head") ||
			die "series" "applying $(basename "$msgf")"
	done
	unset GIT_INDEX_FILE
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
