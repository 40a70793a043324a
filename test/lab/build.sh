#!/usr/bin/env bash
# Build (or reuse) everything the lab boots, cached outside the repo:
#   $CACHE/xen.elf        Xen as an uncompressed ELF (QEMU's multiboot loader needs it)
#   $CACHE/vmlinuz        the Debian kernel dom0 boots
#   $CACHE/dom0.cpio      Debian rootfs with xen-utils, the kernel's needed modules,
#                         and the guest's vmlinux + initramfs under /var/lib/txl-lab
# The project (and, on bookworm, this host's node) go in a second cpio that boot.mjs makes
# at every boot.
# TXL_LAB_FLAVOUR picks the platform, each with its own cache:
#   bookworm (default)  Debian 12, Xen 4.17, kernel 6.1     /var/tmp/txl-lab
#   trixie              Debian 13, Xen 4.20, kernel 6.12,   /var/tmp/txl-lab-trixie
#                       and Debian's own nodejs in dom0
# Packages of another suite than the host's come through a private apt configuration in
# the cache (the host's apt sources are never changed).
# Exit codes: 0 ok, 10 the lab cannot be built here (packages or downloads impossible), 1 a bug.
set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FLAVOUR=${TXL_LAB_FLAVOUR:-bookworm}
case $FLAVOUR in
  # an ISO maker for cd-insert (checks/97-txl-hvm.sh): Debian 13 has xorriso, not genisoimage
  bookworm) SUITE=bookworm XENV=4.17 KSERIES='6[.]1[.]0-' FLAVOUR_PKGS=,genisoimage ;;
  # nodejs: dom0 runs txl on Debian's own Node (20.19), not a copy of this host's
  trixie) SUITE=trixie XENV=4.20 KSERIES='6[.]12[.]' FLAVOUR_PKGS=,nodejs,xorriso ;;
  *) echo "lab-build: TXL_LAB_FLAVOUR must be bookworm or trixie, not '$FLAVOUR'" >&2; exit 1 ;;
esac
CACHE=${TXL_LAB_CACHE:-/var/tmp/txl-lab$([ "$FLAVOUR" = bookworm ] || echo "-$FLAVOUR")}
export DEBIAN_SUITE=$SUITE
DEBIAN_MIRROR=${TXL_LAB_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${TXL_LAB_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
export DEBIAN_FRONTEND=noninteractive LC_ALL=C

say() { echo "lab-build: $*"; }
cannot() { echo "lab-build: CANNOT BUILD: $*" >&2; exit 10; }
# shellcheck source=rootfs.sh
. "$LAB_DIR/rootfs.sh"

mkdir -p "$CACHE"
# Two builds at once (two engineers, or CI beside a developer) must not interleave.
exec 9>"$CACHE/.lock"
flock 9

apt_updated=
apt_update_once() {
  [ -n "$apt_updated" ] && return 0
  say "apt-get update"
  apt-get update -qq >"$CACHE/apt-update.log" 2>&1 || cannot "apt-get update failed (see $CACHE/apt-update.log)"
  apt_updated=1
}

# --- host tools --------------------------------------------------------------
need_pkgs=()
have() { command -v "$1" >/dev/null 2>&1; }
have qemu-system-x86_64 || need_pkgs+=(qemu-system-x86)
have mmdebstrap || need_pkgs+=(mmdebstrap)
have cpio || need_pkgs+=(cpio)
have modprobe && have depmod || need_pkgs+=(kmod)
have xz || need_pkgs+=(xz-utils)
# Debian 13's kernel modules are zstd-compressed
have zstd || need_pkgs+=(zstd)
# the guest's busybox must be static: it runs alone in an initramfs
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' || need_pkgs+=(busybox-static)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || cannot "need root to install ${need_pkgs[*]}"
  apt_update_once
  say "installing host packages: ${need_pkgs[*]}"
  apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >"$CACHE/apt-install.log" 2>&1 ||
    cannot "apt-get install ${need_pkgs[*]} failed (see $CACHE/apt-install.log)"
fi
have qemu-system-x86_64 || cannot "qemu-system-x86_64 is missing after install"

# --- another suite's packages: a private apt configuration ---------------------
host_suite=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
if [ "$SUITE" != "$host_suite" ]; then
  A=$CACHE/apt
  mkdir -p "$A/lists/partial" "$A/cache/archives/partial" "$A/parts" "$A/prefs"
  : >"$A/status"
  printf 'deb %s %s main\ndeb %s %s-updates main\ndeb %s %s-security main\n' \
    "$DEBIAN_MIRROR" "$SUITE" "$DEBIAN_MIRROR" "$SUITE" "$SECURITY_MIRROR" "$SUITE" >"$A/sources.list"
  cat >"$A/apt.conf" <<CONF
Dir::Etc::sourcelist "$A/sources.list";
Dir::Etc::sourceparts "$A/parts";
Dir::Etc::preferencesparts "$A/prefs";
Dir::State::Lists "$A/lists";
Dir::State::status "$A/status";
Dir::Cache "$A/cache";
CONF
  export APT_CONFIG=$A/apt.conf
  apt_updated=
  # lists older than a day: update, so that the candidates below are today's
  [ -n "$(find "$A/lists" -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1)" ] && apt_updated=1
fi

# --- which versions ---------------------------------------------------------
# The kernel is whatever linux-image-amd64 points at; Xen is the candidate.
pkg_version() { apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}'; }
XPKG=xen-hypervisor-$XENV-amd64
kernel_pkg() { { apt-cache depends linux-image-amd64 2>/dev/null || true; } | awk -v re="^linux-image-${KSERIES}.*-amd64\$" '$1 == "Depends:" && $2 ~ re {print $2; exit}'; }
KPKG=$(kernel_pkg)
if [ -z "$KPKG" ] || [ -z "$(pkg_version "$XPKG")" ] || [ "$(pkg_version "$XPKG")" = "(none)" ]; then
  apt_update_once
  KPKG=$(kernel_pkg)
fi
[ -n "$KPKG" ] || cannot "no linux-image-$KSERIES*-amd64 package known to apt ($SUITE)"
XEN_VER=$(pkg_version "$XPKG")
[ -n "$XEN_VER" ] && [ "$XEN_VER" != "(none)" ] || cannot "$XPKG is not known to apt ($SUITE)"
KVER=${KPKG#linux-image-}

# Everything below depends on these and on the lab's own build inputs.
inputs_hash=$( (echo "$FLAVOUR $KPKG $XEN_VER"; cat "$LAB_DIR/build.sh" "$LAB_DIR/rootfs.sh" "$LAB_DIR/guest-initramfs.sh" "$LAB_DIR/guest-init.sh" "$LAB_DIR/extract-vmlinux.mjs") | sha256sum | cut -c1-16)
if [ -f "$CACHE/stamp" ] && [ "$(cat "$CACHE/stamp")" = "$inputs_hash" ] &&
  [ -f "$CACHE/xen.elf" ] && [ -f "$CACHE/vmlinuz" ] && [ -f "$CACHE/dom0.cpio" ]; then
  say "cached: $FLAVOUR, xen $XEN_VER, kernel $KVER ($CACHE)"
  exit 0
fi
say "building in $CACHE: $FLAVOUR, xen $XEN_VER, kernel $KVER"
rm -f "$CACHE/stamp"

# --- packages downloaded, unpacked, never installed on the host --------------
fetch_deb() { # name version -> path of the .deb
  local name=$1 ver=$2 f
  f=$(ls "$CACHE/debs/${name}_"*"${ver##*:}"*_amd64.deb 2>/dev/null | head -1 || true)
  if [ -z "$f" ]; then
    (cd "$CACHE/debs" && apt-get download -qq -o APT::Sandbox::User=root "$name=$ver" >/dev/null 2>"$CACHE/apt-download.log") ||
      { apt_update_once; (cd "$CACHE/debs" && apt-get download -qq -o APT::Sandbox::User=root "$name=$ver" >/dev/null 2>"$CACHE/apt-download.log"); } ||
      cannot "apt-get download $name=$ver failed (see $CACHE/apt-download.log)"
    f=$(ls "$CACHE/debs/${name}_"*_amd64.deb | head -1)
  fi
  echo "$f"
}
mkdir -p "$CACHE/debs"
# old versions pile up otherwise
find "$CACHE/debs" -name '*.deb' ! -name "${KPKG}_*" ! -name "${XPKG}_*" -delete
XEN_DEB=$(fetch_deb "$XPKG" "$XEN_VER")
K_DEB=$(fetch_deb "$KPKG" "$(pkg_version "$KPKG")")

rm -rf "$CACHE/xen" "$CACHE/kernel"
dpkg -x "$XEN_DEB" "$CACHE/xen"
gzip -dc "$CACHE/xen/boot/xen-$XENV-amd64.gz" >"$CACHE/xen.elf.tmp"
mv "$CACHE/xen.elf.tmp" "$CACHE/xen.elf"
dpkg -x "$K_DEB" "$CACHE/kernel"
# Debian 13 puts modules under /usr/lib/modules, zstd-compressed: link them where this
# host's kmod looks (-d/-b take lib/modules) and decompress them, so that depmod here, the
# guest's busybox insmod and dom0's modprobe all take them as they are.
if [ ! -e "$CACHE/kernel/lib/modules" ] && [ -d "$CACHE/kernel/usr/lib/modules" ]; then
  mkdir -p "$CACHE/kernel/lib"
  ln -s ../usr/lib/modules "$CACHE/kernel/lib/modules"
fi
find "$CACHE/kernel/lib/modules/" -name '*.ko.zst' -print0 | xargs -0 -r zstd -d -q --rm
find "$CACHE/kernel/lib/modules/" -name '*.ko.xz' -print0 | xargs -0 -r xz -d
cp "$CACHE/kernel/boot/vmlinuz-$KVER" "$CACHE/vmlinuz"
node "$LAB_DIR/extract-vmlinux.mjs" "$CACHE/vmlinuz" "$CACHE/vmlinux"
# the package leaves modules.dep to its postinst
depmod -b "$CACHE/kernel" "$KVER"

# Copy the given modules and what they depend on from the unpacked kernel into a root.
copy_modules() { # root module...
  local root=$1 mod dep
  shift
  mkdir -p "$root/lib/modules/$KVER"
  for f in modules.order modules.builtin modules.builtin.modinfo; do
    cp "$CACHE/kernel/lib/modules/$KVER/$f" "$root/lib/modules/$KVER/"
  done
  for mod in "$@"; do
    # "insmod /path" lines; builtin modules print "builtin x" and need nothing
    modprobe -d "$CACHE/kernel" -S "$KVER" --show-depends "$mod" | awk '$1=="insmod" {print $2}' |
      while read -r dep; do
        mkdir -p "$root$(dirname "${dep#"$CACHE/kernel"}")"
        cp "$dep" "$root${dep#"$CACHE/kernel"}"
      done
  done
  depmod -b "$root" "$KVER"
}

# --- the guest: the same kernel as an ELF, and a busybox initramfs ------------
bash "$LAB_DIR/guest-initramfs.sh" "$CACHE/guest.cpio.gz" "$CACHE/kernel" "$KVER"

# --- dom0 root filesystem ----------------------------------------------------
# Only the expensive mmdebstrap run has its own stamp, so changing the guest or
# the module list does not download the rootfs again.
rootfs_key=$(echo "$XEN_VER $SUITE xen-utils-$XENV${FLAVOUR_PKGS:+ ${FLAVOUR_PKGS#,}} kmod iproute2 procps mount libstdc++6 openssh-server openssh-client qemu-system-xen v2" | sha256sum | cut -c1-16)
if [ ! -f "$CACHE/rootfs.tar" ] || [ "$(cat "$CACHE/rootfs.key" 2>/dev/null)" != "$rootfs_key" ]; then
  say "mmdebstrap $SUITE rootfs (xen-utils-$XENV $XEN_VER$FLAVOUR_PKGS)"
  rm -f "$CACHE/rootfs.key"
  # libstdc++6: the host's node binary, copied in at boot, links against it.
  # openssh-server and -client: txl -c xen+ssh://root@127.0.0.1/system (checks/96-txl-remote.sh).
  # qemu-system-xen: HVM's device model, /usr/libexec/xen-qemu-system-i386 (checks/97-txl-hvm.sh).
  # (mmdebstrap runs its own apt: not the private configuration above)
  (unset APT_CONFIG; debian_rootfs "$CACHE/rootfs.tar" "$CACHE/mmdebstrap.log" "xen-utils-$XENV=$XEN_VER,kmod,iproute2,procps,mount,libstdc++6,openssh-server,openssh-client,qemu-system-xen$FLAVOUR_PKGS") ||
    cannot "mmdebstrap failed (see $CACHE/mmdebstrap.log)"
  echo "$rootfs_key" >"$CACHE/rootfs.key"
fi

say "assembling dom0.cpio"
R=$CACHE/rootfs
rm -rf "$R"
mkdir -p "$R"
tar -C "$R" -xf "$CACHE/rootfs.tar"
rm -rf "$R/var/cache/apt/"* "$R/var/lib/apt/lists/"*
# dom0 unpacks all of this into RAM at every boot under TCG: drop what nothing
# there uses (the full perl that usrmerge pulls in; perl-base stays; udev's
# hardware database, with no udev running).
rm -rf "$R/usr/share/perl/"5.* "$R/usr/lib/x86_64-linux-gnu/perl/"5.* "$R/usr/lib/udev/hwdb.bin" "$R/usr/lib/udev/hwdb.d"
copy_modules "$R" xenfs xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xen-blkback xen-netback \
  bridge loop tun
mkdir -p "$R/var/lib/txl-lab"
# vmlinuz too: QEMU boots an HVM guest's kernel from its bzImage (checks/97-txl-hvm.sh)
cp "$CACHE/vmlinux" "$CACHE/vmlinuz" "$CACHE/guest.cpio.gz" "$R/var/lib/txl-lab/"
echo "xen=$XEN_VER kernel=$KVER" >"$R/var/lib/txl-lab/versions"
(cd "$R" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet >"$CACHE/dom0.cpio.tmp")
mv "$CACHE/dom0.cpio.tmp" "$CACHE/dom0.cpio"
rm -rf "$R" "$CACHE/xen" "$CACHE/kernel"
echo "$inputs_hash" >"$CACHE/stamp"
say "done: $(du -h "$CACHE/dom0.cpio" | cut -f1) dom0.cpio, xen $XEN_VER, kernel $KVER"
