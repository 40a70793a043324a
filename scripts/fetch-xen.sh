#!/bin/sh
# Unpacks a Debian release's Xen userland (headers, libxenlight, xl) and the libc it needs
# into a directory, without touching the machine's apt sources: apt runs with a private
# configuration whose only source is that release.
#   scripts/fetch-xen.sh 4.20 [DIR]   Debian 13 (trixie), DIR defaults to ~/.cache/txl/xen-4.20
#   scripts/fetch-xen.sh 4.17 [DIR]   Debian 12 (bookworm), ~/.cache/txl/xen-4.17
# Used by test/bindings-layout.test.ts and test/libxl-json-versions.test.ts (4.20's headers)
# and scripts/record-xl420.sh (both xl binaries, run on any glibc through their own ld.so).
set -eu
VERSION=${1:?usage: fetch-xen.sh 4.17|4.20 [DIR]}
case $VERSION in
  4.17) SUITE=bookworm EXT2FS=libext2fs2 NCURSES=libncursesw6 ;;
  4.20) SUITE=trixie EXT2FS=libext2fs2t64 NCURSES=libncursesw6 ;;
  *) echo "fetch-xen.sh: Xen 4.17 or 4.20, not $VERSION" >&2; exit 2 ;;
esac
ROOT=${2:-$HOME/.cache/txl/xen-$VERSION}
MIRROR=${TXL_DEBIAN_MIRROR:-http://deb.debian.org/debian}
PKGS="libxen-dev libxenmisc$VERSION xen-utils-$VERSION libxenstore4 libxentoollog1 libxencall1
  libxenforeignmemory1 libxendevicemodel1 libxenevtchn1 libxengnttab1 libxenhypfs1 libxentoolcore1
  libc6 libyajl2 libzstd1 liblzma5 zlib1g libuuid1 $EXT2FS libcom-err2 $NCURSES libtinfo6"

if [ -f "$ROOT/.complete" ]; then echo "$ROOT: already there"; exit 0; fi
APT=$(mktemp -d /tmp/txl-xen-apt.XXXXXX)
trap 'rm -rf "$APT"' EXIT
mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$APT/parts" "$APT/prefs" "$APT/debs"
KEY=/usr/share/keyrings/debian-archive-keyring.gpg
SECURITY=${TXL_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
printf 'deb [signed-by=%s] %s %s main\ndeb [signed-by=%s] %s %s-updates main\ndeb [signed-by=%s] %s %s-security main\n' \
  "$KEY" "$MIRROR" "$SUITE" "$KEY" "$MIRROR" "$SUITE" "$KEY" "$SECURITY" "$SUITE" > "$APT/sources.list"
# an empty dpkg status: the candidates are the release's, whatever this machine has installed
: > "$APT/status"
cat > "$APT/apt.conf" <<CONF
Dir::Etc::sourcelist "$APT/sources.list";
Dir::Etc::sourceparts "$APT/parts";
Dir::Etc::preferencesparts "$APT/prefs";
Dir::State::Lists "$APT/lists";
Dir::State::status "$APT/status";
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
echo "$ROOT: $(grep -c . "$ROOT/.complete") packages, $(ls "$ROOT"/usr/lib/x86_64-linux-gnu/libxenlight.so.$VERSION)"
