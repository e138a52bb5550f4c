# kdev series [--check] OUTDIR: our work as a format-patch series against
# pristine linux-source-6.12, checked with checkpatch.pl --strict. With
# --check, every patch is also applied and built in turn (series_steps).

# A patch may not be larger than this (insertions + deletions), except
# the removal of the previous implementation.
SERIES_MAX_LINES=2000

kdev_series() {
	local out="" check=0 n errs warns p
	while [ $# -gt 0 ]; do
		case "$1" in
		--check) check=1 ;;
		*) out=$1 ;;
		esac
		shift
	done
	[ -n "$out" ] || die "series" "usage: ./kdev series [--check] OUTDIR"
	mkdir -p "$out" && out=$(cd "$out" && pwd)
	kdev_lock
	tree_series
	rm -f "$out"/*.patch "$out"/*.checkpatch
	"${KDEV_GIT[@]}" format-patch -q --no-signature --cover-letter \
		--from="$SERIES_NAME <$SERIES_EMAIL>" \
		-o "$out" pristine..io_uring >/dev/null ||
		die "series" "git format-patch"
	cover_letter "$out/0000-cover-letter.patch" "$SERIES_ROOT/series/cover-letter.txt"
	n=$(ls "$out"/[0-9]*.patch | grep -vc 0000-cover-letter)
	errs=0
	warns=0
	for p in $(series_patches "$out"); do
		"$KDEV_TREE/scripts/checkpatch.pl" --strict --no-tree --quiet \
			--show-types "$p" >"$p.checkpatch" 2>&1 || true
		errs=$((errs + $(grep -c '^ERROR:' "$p.checkpatch" || true)))
		warns=$((warns + $(grep -c '^WARNING:\|^CHECK:' "$p.checkpatch" || true)))
		[ -s "$p.checkpatch" ] || rm -f "$p.checkpatch"
	done
	log "kdev: $n patches in $out; checkpatch --strict: $errs errors, $warns warnings/checks"
	[ "$errs" = 0 ] || { grep -h -A4 '^ERROR:' "$out"/*.checkpatch | head -40 >&2; exit 1; }
	[ "$check" = 0 ] || { series_check "$out"; series_steps "$out"; }
	echo "$out"
}

# series_steps OUTDIR: check out each commit of the series in turn and
# build it (the guest config, incrementally, with ccache, in its own build
# folder); selftests too where a patch touches them. One line per patch:
# its size, checkpatch's verdict, the build's. Fails if any step does not
# build, warns in io_uring/, or is too large.
series_steps() {
	local out=$1 bdir n=0 bad=0 c subj ins del size cp build p logf
	local total VARIANT=series
	bdir=$(build_dir series)
	total=$("${KDEV_GIT[@]}" rev-list --count pristine..io_uring)
	export CCACHE_DIR="$KDEV_CACHE/ccache" CCACHE_BASEDIR="$KDEV_CACHE" \
		CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=8G CCACHE_SLOPPINESS=time_macros
	export KBUILD_BUILD_TIMESTAMP="kdev" KBUILD_BUILD_USER=kdev \
		KBUILD_BUILD_HOST=kdev
	log "kdev: building each of the $total patches (incremental; the first takes a few minutes)"
	printf '%-3s %-6s %-6s %-22s %-10s %s\n' '#' '+' '-' checkpatch build subject
	for c in $("${KDEV_GIT[@]}" rev-list --reverse pristine..io_uring); do
		n=$((n + 1))
		subj=$("${KDEV_GIT[@]}" log -1 --format=%s "$c")
		read -r ins del < <("${KDEV_GIT[@]}" diff --numstat "$c^" "$c" |
			awk '{ i += $1; d += $2 } END { print i + 0, d + 0 }')
		size=ok
		if [ $((ins + del)) -gt "$SERIES_MAX_LINES" ] && [ "$n" -gt 1 ]; then
			size=big
			bad=1
		fi
		p=$(ls "$out"/"$(printf '%04d' "$n")"-*.patch 2>/dev/null | head -1)
		cp=clean
		if [ -n "$p" ] && [ -s "$p.checkpatch" ]; then
			cp="$(grep -c '^ERROR:' "$p.checkpatch")E/$(grep -c '^WARNING:\|^CHECK:' "$p.checkpatch")W"
		fi
		tree_checkout "$c"
		build_config "$bdir" ""
		logf="$KDEV_CACHE/logs/series-$n.log"
		: >"$logf"
		rm -rf "$KDEV_CACHE/series-selftests"
		mkdir -p "$KDEV_CACHE/series-selftests"
		build=ok
		# a patch of selftests or documentation leaves the kernel as
		# the step before built it
		if "${KDEV_GIT[@]}" diff --name-only "$c^" "$c" |
			grep -qv '^tools/testing/selftests/io_uring/\|^Documentation/' &&
		   ! make -C "$KDEV_TREE" O="$bdir" -j"$KDEV_JOBS" CC="ccache gcc" \
			olddefconfig bzImage headers >"$logf" 2>&1; then
			build=FAILED
		elif grep -q '/io_uring/.*warning:' "$logf"; then
			build=warnings
		elif "${KDEV_GIT[@]}" diff --name-only "$c^" "$c" |
			grep -q '^tools/testing/selftests/io_uring/' &&
			! make -C "$KDEV_TREE/tools/testing/selftests/io_uring" \
				OUTPUT="$KDEV_CACHE/series-selftests" \
				KHDR_INCLUDES="-isystem $bdir/usr/include" \
				>>"$logf" 2>&1; then
			build=selftests
		fi
		[ "$build" = ok ] || bad=1
		printf '%-3s %-6s %-6s %-22s %-10s %s\n' "$n" "+$ins" "-$del" \
			"$cp" "$build$([ $size = big ] && echo ,big)" "$subj"
		if [ "$build" != ok ]; then
			grep -m 6 -E 'error:|warning:|Error' "$logf" >&2 || tail -5 "$logf" >&2
		fi
	done
	rm -rf "$KDEV_CACHE/series-selftests"
	tree_checkout io_uring
	[ "$bad" = 0 ] || die "series" "a patch does not build or is over $SERIES_MAX_LINES lines (logs: $KDEV_CACHE/logs/series-N.log)"
	log "kdev: each of the $total patches builds"
}

# series_patches OUTDIR: the patches, without the cover letter
series_patches() {
	ls "$1"/[0-9]*.patch | grep -v /0000-cover-letter.patch
}

# cover_letter FILE TEXT: fill format-patch's cover letter in: its subject
# is TEXT's first line, its blurb the rest (shortlog and diffstat stay).
cover_letter() {
	python3 - "$1" "$2" <<'PY'
import sys
cover, text = sys.argv[1], open(sys.argv[2]).read()
subject, _, blurb = text.partition("\n")
s = open(cover).read()
s = s.replace("*** SUBJECT HERE ***", subject.strip())
s = s.replace("*** BLURB HERE ***", blurb.strip("\n"))
open(cover, "w").write(s)
PY
}

# series_check OUTDIR: git am the series onto a fresh pristine worktree and
# compare the result with the tree "kdev build" boots.
series_check() {
	local out=$1 wt="$KDEV_CACHE/am-check"
	"${KDEV_GIT[@]}" worktree remove --force "$wt" >/dev/null 2>&1 || rm -rf "$wt"
	"${KDEV_GIT[@]}" worktree prune
	run_logged series-worktree "${KDEV_GIT[@]}" worktree add -q --detach "$wt" pristine
	run_logged series-am git -C "$wt" -c user.name=kdev -c user.email=kdev@localhost \
		am -q $(series_patches "$out")
	if [ "$(git -C "$wt" rev-parse 'HEAD^{tree}')" != \
	     "$("${KDEV_GIT[@]}" rev-parse 'io_uring^{tree}')" ]; then
		die "series" "git am result differs from the built tree"
	fi
	"${KDEV_GIT[@]}" worktree remove --force "$wt"
	log "kdev: series applies with git am onto pristine 6.12 and matches the built tree"
}
