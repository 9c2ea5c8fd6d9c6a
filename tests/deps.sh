#!/bin/sh
# tests/deps.sh -- install the Debian 12 packages soabridge needs to build and test (`make deps`).
# Root: apt-get installs what is missing. Not root: prints the command to run, exit 1.
# After installing Samba, the distribution's own samba/smbd/nmbd/winbind services are stopped and
# disabled: they would listen on 389/636 on all interfaces, where the lab DC (tests/lab/lab) binds
# 127.0.0.1.
set -eu

# One list, in groups; later steps append to it (for example chromium).
PACKAGES="
gcc make pkg-config libldap2-dev libcurl4-openssl-dev libjansson-dev libssl-dev libconfuse-dev
libsqlite3-dev libcmocka-dev libsystemd-dev libkrb5-dev libsasl2-dev libsasl2-modules-gssapi-mit
samba samba-ad-dc samba-ad-provision samba-dsdb-modules winbind ldb-tools ldap-utils krb5-user openssl
python3 python3-cryptography python3-prometheus-client ca-certificates curl sqlite3
cppcheck
clang libclang-rt-14-dev clang-format
chromium
"

missing=""
n=0
for p in $PACKAGES; do
	n=$((n + 1))
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case $status in
	*"ok installed") ;;
	*) missing="$missing $p" ;;
	esac
done

if [ -z "$missing" ]; then
	echo "deps: all $n packages present"
	exit 0
fi
missing=${missing# }

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing: $missing" >&2
	echo "deps: run as root, or:" >&2
	echo "sudo apt-get update && sudo apt-get install -y --no-install-recommends $missing"
	exit 1
fi

echo "deps: installing $missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update
# shellcheck disable=SC2086 # word splitting wanted
apt-get install -y --no-install-recommends $missing

# The distribution's Samba services must not keep running (a policy-rc.d may already have kept them
# from starting; then there is nothing to do).
stop_distro_samba() {
	for svc in samba-ad-dc samba smbd nmbd winbind; do
		if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
			systemctl disable --now "$svc" >/dev/null 2>&1 || true
		elif command -v update-rc.d >/dev/null 2>&1 && [ -e "/etc/init.d/$svc" ]; then
			update-rc.d "$svc" disable >/dev/null 2>&1 || true
		fi
		if [ -e "/etc/init.d/$svc" ] && command -v service >/dev/null 2>&1; then
			service "$svc" stop >/dev/null 2>&1 || true
		fi
	done
	# Whatever still runs from the system configuration (not a lab DC: those use their own smb.conf).
	for name in samba smbd nmbd winbindd; do
		for pid in $(pgrep -x "$name" 2>/dev/null || true); do
			if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- '-s \|--configfile'; then
				continue
			fi
			kill -TERM "$pid" 2>/dev/null || true
		done
	done
}
case " $missing " in
*" samba "* | *" samba-ad-dc "* | *" winbind "*) stop_distro_samba ;;
esac

echo "deps: installed $missing"
