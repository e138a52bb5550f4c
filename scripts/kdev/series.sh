# kdev series OUTDIR: our work as a format-patch series against pristine
# linux-source-6.12, checked with checkpatch.pl --strict.

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
	rm -f "$out"/*.patch
	"${KDEV_GIT[@]}" format-patch -q --no-signature -o "$out" \
		pristine..io_uring >/dev/null || die "series" "git format-patch"
	n=$(ls "$out"/*.patch | wc -l)
	errs=0
	warns=0
	for p in "$out"/*.patch; do
		"$KDEV_TREE/scripts/checkpatch.pl" --strict --no-tree --quiet \
			--show-types "$p" >"$p.checkpatch" 2>&1 || true
		errs=$((errs + $(grep -c '^ERROR:' "$p.checkpatch" || true)))
		warns=$((warns + $(grep -c '^WARNING:\|^CHECK:' "$p.checkpatch" || true)))
		[ -s "$p.checkpatch" ] || rm -f "$p.checkpatch"
	done
	log "kdev: $n patches in $out; checkpatch --strict: $errs errors, $warns warnings/checks"
	[ "$errs" = 0 ] || { grep -h -A4 '^ERROR:' "$out"/*.checkpatch | head -40 >&2; exit 1; }
	[ "$check" = 0 ] || series_check "$out"
	echo "$out"
}

# series_check OUTDIR: git am the series onto a fresh pristine worktree and
# compare the result with the tree "kdev build" boots.
series_check() {
	local out=$1 wt="$KDEV_CACHE/am-check"
	"${KDEV_GIT[@]}" worktree remove --force "$wt" >/dev/null 2>&1 || rm -rf "$wt"
	"${KDEV_GIT[@]}" worktree prune
	run_logged series-worktree "${KDEV_GIT[@]}" worktree add -q --detach "$wt" pristine
	run_logged series-am git -C "$wt" -c user.name=kdev -c user.email=kdev@localhost \
		am -q "$out"/*.patch
	if [ "$(git -C "$wt" rev-parse 'HEAD^{tree}')" != \
	     "$("${KDEV_GIT[@]}" rev-parse 'io_uring^{tree}')" ]; then
		die "series" "git am result differs from the built tree"
	fi
	"${KDEV_GIT[@]}" worktree remove --force "$wt"
	log "kdev: series applies with git am onto pristine 6.12 and matches the built tree"
}
