# kdev series OUTDIR: our work as a format-patch series against pristine
# linux-source-6.12, checked with checkpatch.pl --strict.

kdev_series() {
	local out=${1:-} n errs warns p
	[ -n "$out" ] || die "series" "usage: ./kdev series OUTDIR"
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
	echo "$out"
}
