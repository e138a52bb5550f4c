# kdev series [--check [--boot[=all]]] OUTDIR: our work as a format-patch
# series against pristine linux-source-6.12, checked with checkpatch.pl
# --strict. With --check, every patch is also applied and built in turn
# (series_steps). With --boot, each patch of selftests boots the kernel
# built so far and runs every selftest the series has added by then
# (series_boot); with --boot=all, every patch that changes the kernel too.

# A patch may not be larger than this (insertions + deletions), except
# the removal of the previous implementation.
SERIES_MAX_LINES=2000

kdev_series() {
	local out="" check=0 boot=none n errs warns p
	while [ $# -gt 0 ]; do
		case "$1" in
		--check) check=1 ;;
		--boot) boot=tests ;;
		--boot=all) boot=all ;;
		-*) die "series" "unknown option $1 (--check, --boot[=all])" ;;
		*) out=$1 ;;
		esac
		shift
	done
	[ -n "$out" ] || die "series" "usage: ./kdev series [--check [--boot[=all]]] OUTDIR"
	[ "$boot" = none ] || [ "$check" = 1 ] || die "series" "--boot needs --check"
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
	[ "$check" = 0 ] || { series_check "$out"; series_steps "$out" "$boot"; }
	echo "$out"
}

# series_steps OUTDIR BOOT: check out each commit of the series in turn
# and build it (the guest config, incrementally, with ccache, in its own
# build folder); selftests too where a patch touches them. BOOT "tests":
# each step that changed the selftests boots the kernel built so far and
# runs them; "all": each step that changed the kernel too, once there are
# selftests; "none": no boot. One line per patch: its size,
# checkpatch's verdict, the build's, the tests'. Fails if any step does
# not build, warns in io_uring/, is too large, or fails a test.
series_steps() {
	local out=$1 boot=$2 bdir n=0 bad=0 c subj ins del size cp build p logf
	local total tests files kernel boot_here tdir="$KDEV_CACHE/series-selftests"
	local VARIANT=series
	bdir=$(build_dir series)
	total=$("${KDEV_GIT[@]}" rev-list --count pristine..io_uring)
	export CCACHE_DIR="$KDEV_CACHE/ccache" CCACHE_BASEDIR="$KDEV_CACHE" \
		CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=8G CCACHE_SLOPPINESS=time_macros
	export KBUILD_BUILD_TIMESTAMP="kdev" KBUILD_BUILD_USER=kdev \
		KBUILD_BUILD_HOST=kdev
	log "kdev: building each of the $total patches (incremental; the first takes a few minutes)"
	# the selftests of the latest step that had any; none yet
	rm -rf "$tdir"
	printf '%-3s %-6s %-6s %-10s %-10s %-8s %s\n' '#' '+' '-' checkpatch \
		build tests subject
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
		build=ok
		files=$("${KDEV_GIT[@]}" diff --name-only "$c^" "$c")
		# a patch of selftests or documentation leaves the kernel as
		# the step before built it
		kernel=0
		grep -qv '^tools/testing/selftests/io_uring/\|^Documentation/' \
			<<<"$files" && kernel=1
		boot_here=$([ "$boot" = all ] && echo $kernel || echo 0)
		if [ $kernel = 1 ] &&
		   ! make -C "$KDEV_TREE" O="$bdir" -j"$KDEV_JOBS" CC="ccache gcc" \
			olddefconfig bzImage headers >"$logf" 2>&1; then
			build=FAILED
		elif grep -q '/io_uring/.*warning:' "$logf"; then
			build=warnings
		elif grep -q '^tools/testing/selftests/io_uring/' <<<"$files"; then
			rm -rf "$tdir" && mkdir -p "$tdir"
			make -C "$KDEV_TREE/tools/testing/selftests/io_uring" \
				OUTPUT="$tdir" KHDR_INCLUDES="-isystem $bdir/usr/include" \
				>>"$logf" 2>&1 || build=selftests
			[ "$boot" = none ] || boot_here=1
		fi
		tests=-
		if [ "$build" = ok ] && [ "$boot_here" = 1 ] && [ -d "$tdir" ]; then
			tests=$(series_boot "$n" "$tdir") || bad=1
		fi
		[ "$build" = ok ] || bad=1
		printf '%-3s %-6s %-6s %-10s %-10s %-8s %s\n' "$n" "+$ins" "-$del" \
			"$cp" "$build$([ $size = big ] && echo ,big)" "$tests" "$subj"
		if [ "$build" != ok ]; then
			grep -m 6 -E 'error:|warning:|Error' "$logf" >&2 || tail -5 "$logf" >&2
		fi
		case $tests in
		*FAIL) grep -E '^(FAIL|    !)' "$KDEV_CACHE/logs/series-$n-tests.log" |
			head -12 >&2 ;;
		esac
	done
	rm -rf "$tdir"
	tree_checkout io_uring
	[ "$bad" = 0 ] || die "series" "a patch does not build, fails a test or is over $SERIES_MAX_LINES lines (logs: $KDEV_CACHE/logs/series-N.log, series-N-tests.log)"
	log "kdev: each of the $total patches builds$([ "$boot" = none ] || echo ", and passes the selftests present")"
}

# series_boot N DIR: boot the kernel of step N (build/series) and run the
# selftests in DIR, those the series has added up to step N. Prints
# "passed/run", with the skipped count, and FAIL when a test failed (then
# returns 1); the report is in logs/series-N-tests.log.
series_boot() {
	local n=$1 dir=$2 rundir="$KDEV_CACHE/run/series" t total rc=0 sum
	local logf="$KDEV_CACHE/logs/series-$n-tests.log"
	rm -rf "$rundir/logs"
	guest_prepare "$rundir" "$KDEV_ROOT/scripts/kdev/guest/run-tests"
	for t in "$dir"/*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		# the safety tests race for seconds each (as in kdev test)
		case ${t##*/} in
		safety_test) echo "selftests/${t##*/} $t 180" ;;
		*) echo "selftests/${t##*/} $t 60" ;;
		esac
	done >"$rundir/tests"
	total=$(wc -l <"$rundir/tests")
	{ guest_boot series "$rundir" 3600 || echo "KDEV-GUEST-EXIT $?"; } |
		report_results ours "$rundir/logs" "$total" >"$logf" 2>&1 || rc=1
	# the tests' own lines (the summary counts the boot's dmesg too)
	printf '%s/%s%s%s\n' "$(grep -c '^ok  *selftests/' "$logf")" "$total" \
		"$(grep -c '^skip  *selftests/' "$logf" | sed '/^0$/d; s/.*/ &skip/')" \
		"$([ $rc = 0 ] || echo " FAIL")"
	return $rc
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
