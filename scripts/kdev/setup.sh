# kdev setup: install what the harness needs from Debian (idempotent).
# Sourced by ./kdev; uses its helpers (step, die, log).

SETUP_PKGS="linux-source-6.12 gcc make flex bison bc libelf-dev libssl-dev
ccache cpio xz-utils rsync git kmod qemu-system-x86 qemu-utils e2fsprogs
fio liburing-dev liburing2 dpkg-dev python3 perl busybox-static"

kdev_setup() {
	local sudo="" missing=() p
	[ "$(id -u)" = 0 ] || sudo=sudo

	# deb-src so that "apt-get source liburing" works (deb822 or one-line).
	if ! grep -rqs '^Types:.*deb-src\|^deb-src' /etc/apt/sources.list \
		/etc/apt/sources.list.d/; then
		step "adding deb-src entries"
		if [ -f /etc/apt/sources.list.d/debian.sources ]; then
			$sudo sed -i 's/^Types: deb$/Types: deb deb-src/' \
				/etc/apt/sources.list.d/debian.sources
		else
			grep -s '^deb ' /etc/apt/sources.list |
				sed 's/^deb /deb-src /' |
				$sudo tee /etc/apt/sources.list.d/kdev-src.list >/dev/null
		fi
		rm -f "$KDEV_CACHE/.apt-updated"
	fi

	for p in $SETUP_PKGS; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'ok installed' || missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		step "installing ${missing[*]}"
		run_logged apt-update $sudo apt-get update -q
		run_logged apt-install env DEBIAN_FRONTEND=noninteractive \
			$sudo apt-get install -y -q --no-install-recommends \
			"${missing[@]}"
	fi
	[ -f /usr/src/linux-source-6.12.tar.xz ] ||
		die "setup" "/usr/src/linux-source-6.12.tar.xz missing after install"
	step "setup: all packages present"
}
