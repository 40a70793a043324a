#!/bin/sh
# Unpacks Debian 13's Xen 4.20 userland (headers, libxenlight.so.4.20, xl) and the trixie
# libc it needs into a directory, without touching the machine's apt sources: apt runs with
# a private configuration whose only source is trixie. Used by test/bindings-layout.test.ts
# (4.20's headers) and scripts/record-xl420.sh (xl 4.20 under the no-hypervisor shim).
#   scripts/fetch-xen420.sh [DIR]     DIR defaults to ~/.cache/txl/xen-4.20
set -eu
ROOT=${1:-${TXL_XEN420_ROOT:-$HOME/.cache/txl/xen-4.20}}
MIRROR=${TXL_DEBIAN_MIRROR:-http://deb.debian.org/debian}
PKGS="libxen-dev libxenmisc4.20 xen-utils-4.20 libxenstore4 libxentoollog1 libxencall1
  libxenforeignmemory1 libxendevicemodel1 libxenevtchn1 libxengnttab1 libxenhypfs1 libxentoolcore1
  libc6 libyajl2 libzstd1 liblzma5 zlib1g libuuid1 libext2fs2t64 libcom-err2 libncursesw6 libtinfo6"

if [ -f "$ROOT/.complete" ]; then echo "$ROOT: already there"; exit 0; fi
APT=$(mktemp -d /tmp/txl-trixie-apt.XXXXXX)
trap 'rm -rf "$APT"' EXIT
mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$APT/parts" "$APT/prefs" "$APT/debs"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR trixie main" > "$APT/sources.list"
cat > "$APT/apt.conf" <<CONF
Dir::Etc::sourcelist "$APT/sources.list";
Dir::Etc::sourceparts "$APT/parts";
Dir::Etc::preferencesparts "$APT/prefs";
Dir::State::Lists "$APT/lists";
Dir::Cache "$APT/cache";
APT::Sandbox::User "root";
CONF
export APT_CONFIG="$APT/apt.conf"
apt-get -q update >/dev/null
# shellcheck disable=SC2086
(cd "$APT/debs" && apt-get -q download $PKGS >/dev/null)
mkdir -p "$ROOT"
for d in "$APT"/debs/*.deb; do dpkg-deb -x "$d" "$ROOT"; done
ls "$APT"/debs > "$ROOT/.complete"
echo "$ROOT: $(grep -c . "$ROOT/.complete") packages, $(ls "$ROOT"/usr/lib/x86_64-linux-gnu/libxenlight.so.4.20)"
