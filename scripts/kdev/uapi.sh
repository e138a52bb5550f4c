# kdev uapi: our include/uapi/linux/io_uring.h against upstream's newest
# (../shared/reference/uapi/io_uring.h, or the path given): every IORING_*
# and SOCKET_URING_OP_* number we define and the layout of every struct
# we share must be the same. Names only upstream has are listed, not
# failed (features not added yet).

kdev_uapi() {
	local ref=${1:-$KDEV_ROOT/../shared/reference/uapi/io_uring.h}
	local ours=$KDEV_ROOT/include/uapi/linux/io_uring.h
	local dir names structs n s f rc=0

	[ -f "$ref" ] || die "uapi" "no reference header at $ref"
	dir=$(mktemp -d)
	mkdir -p "$dir/ours/linux" "$dir/ref/linux"
	cp "$ours" "$dir/ours/linux/io_uring.h"
	cp "$ref" "$dir/ref/linux/io_uring.h"
	# names of values: from #defines and enums, ours only
	names=$(grep -ohE '^\s*(#define\s+)?(IORING|IOSQE|IOU|SOCKET_URING_OP|IO_URING_OP)_[A-Z0-9_]+' "$ours" |
		sed -E 's/^\s*(#define\s+)?//' | sort -u)
	structs=$(grep -oE '^struct [a-z0-9_]+ \{' "$ours" | awk '{ print $2 }' | sort -u)
	{
		echo '#include <stdio.h>'
		echo '#include <stddef.h>'
		echo '#include <linux/io_uring.h>'
		echo 'int main(void) {'
		for n in $names; do
			echo "#if defined($n) || 1"
			echo "printf(\"$n %llu\\n\", (unsigned long long)($n));"
			echo "#endif"
		done
		for s in $structs; do
			echo "printf(\"sizeof(struct $s) %zu\\n\", sizeof(struct $s));"
		done
		echo 'return 0; }'
	} >"$dir/t.c"
	if ! gcc -w -I "$dir/ours" -o "$dir/t-ours" "$dir/t.c" 2>"$dir/ours.err"; then
		tail -5 "$dir/ours.err" >&2
		die "uapi" "our header does not compile standalone"
	fi
	# what the reference lacks is reported, then left out
	for n in $names $structs; do
		printf '#include <linux/io_uring.h>\nint x = sizeof(%s);\n' \
			"$(case $n in [a-z]*) echo "struct $n" ;; *) echo "$n" ;; esac)" \
			>"$dir/one.c"
		gcc -w -c -I "$dir/ref" -o /dev/null "$dir/one.c" 2>/dev/null ||
			echo "$n" >>"$dir/ours-only"
	done
	if [ -s "$dir/ours-only" ]; then
		echo "kdev: only in ours (not upstream's ABI):" >&2
		sed 's/^/  /' "$dir/ours-only" >&2
		rc=1
		grep -vxF -f "$dir/ours-only" "$dir/t.c" >"$dir/t2.c" || true
		mv "$dir/t2.c" "$dir/t.c"
		gcc -w -I "$dir/ours" -o "$dir/t-ours" "$dir/t.c"
	fi
	gcc -w -I "$dir/ref" -o "$dir/t-ref" "$dir/t.c" ||
		die "uapi" "the comparison does not build against the reference"
	"$dir/t-ours" >"$dir/ours.txt"
	"$dir/t-ref" >"$dir/ref.txt"
	if ! diff -u "$dir/ref.txt" "$dir/ours.txt" >"$dir/diff"; then
		echo "kdev: values or layouts differ from upstream's:" >&2
		grep '^[-+][^-+]' "$dir/diff" | head -40 >&2
		rc=1
	fi
	echo "kdev: uapi: $(wc -l <"$dir/ours.txt") names and struct sizes compared"
	f=$(grep -ohE '^\s*(#define\s+)?(IORING|IOSQE|IOU|SOCKET_URING_OP)_[A-Z0-9_]+' "$ref" |
		sed -E 's/^\s*(#define\s+)?//' | sort -u | comm -23 - <(echo "$names") | tr '\n' ' ')
	[ -z "$f" ] || echo "kdev: upstream has, we do not: $f"
	rm -rf "$dir"
	return $rc
}
