# Helpers shared by the kdev verbs. Quiet on success; on failure name the
# step and show the tail of its log.

KDEV_VERBOSE=${KDEV_VERBOSE:-0}

log() { printf '%s\n' "$*" >&2; }
step() { [ "$KDEV_VERBOSE" = 0 ] || printf 'kdev: %s\n' "$*" >&2; }

# die STEP MESSAGE [LOGFILE]
die() {
	printf 'kdev: %s failed: %s\n' "$1" "$2" >&2
	if [ -n "${3:-}" ] && [ -f "$3" ]; then
		if grep -q 'error:' "$3"; then
			printf -- '--- first errors in %s ---\n' "$3" >&2
			grep -m 8 -A 3 'error:' "$3" >&2
		else
			printf -- '--- last lines of %s ---\n' "$3" >&2
			tail -n 25 "$3" >&2
		fi
	fi
	exit 1
}

# run_logged NAME CMD...: run CMD with output in logs/NAME.log.
run_logged() {
	local name=$1 logf="$KDEV_CACHE/logs/$1.log"
	shift
	step "$name"
	if [ "$KDEV_VERBOSE" = 1 ]; then
		"$@" 2>&1 | tee "$logf" >&2 || die "$name" "exit ${PIPESTATUS[0]}" "$logf"
	elif ! "$@" >"$logf" 2>&1; then
		die "$name" "see $logf" "$logf"
	fi
}

# Serialize verbs that share the tree and build folders.
kdev_lock() {
	exec 9>"$KDEV_CACHE/.lock"
	flock 9
}
