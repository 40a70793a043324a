#!/usr/bin/env bash
# The lab with libvirt (TXL_LAB_LIBVIRT=1 boot.sh ...): build.sh's artefacts, plus
#   $CACHE/dom0-libvirt.cpio   dom0.cpio followed by a layer with Debian's libvirt
#                              (libvirtd, its libxl driver, virsh) and what they need
# The kernel unpacks concatenated cpio archives in turn, later files winning, so the
# layer holds only what differs from the plain rootfs. build.sh is not changed by
# this: the default lab's cache stays valid and its dom0.cpio byte for byte the same.
# Exit codes: as build.sh's.
set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${TXL_LAB_CACHE:-/var/tmp/txl-lab}
DEBIAN_MIRROR=${TXL_LAB_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${TXL_LAB_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
export DEBIAN_FRONTEND=noninteractive LC_ALL=C
# libvirt-daemon-driver-xen is libvirt's libxl driver ("xen:///system"); libvirt-daemon
# has libvirtd; libvirt-clients has virsh.
LIBVIRT_PKGS=libvirt-daemon-driver-xen,libvirt-daemon,libvirt-clients

say() { echo "lab-build: $*"; }
cannot() { echo "lab-build: CANNOT BUILD: $*" >&2; exit 10; }
# shellcheck source=rootfs.sh
. "$LAB_DIR/rootfs.sh"

bash "$LAB_DIR/build.sh"

exec 9>"$CACHE/.lock"
flock 9

pkg_version() { apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}'; }
XEN_VER=$(pkg_version xen-hypervisor-4.17-amd64)
LV_VER=$(pkg_version libvirt-daemon-driver-xen)
[ -n "$LV_VER" ] && [ "$LV_VER" != "(none)" ] || cannot "libvirt-daemon-driver-xen is not known to apt"

key=$( (echo "$XEN_VER $LV_VER $LIBVIRT_PKGS"; sha256sum "$CACHE/dom0.cpio" | cut -c1-16; cat "$LAB_DIR/build-libvirt.sh" "$LAB_DIR/rootfs.sh") | sha256sum | cut -c1-16)
if [ -f "$CACHE/dom0-libvirt.cpio" ] && [ "$(cat "$CACHE/libvirt.stamp" 2>/dev/null)" = "$key" ]; then
  say "cached: libvirt $LV_VER ($CACHE/dom0-libvirt.cpio)"
  exit 0
fi
rm -f "$CACHE/libvirt.stamp"

# The same rootfs as build.sh's, with libvirt: same packages, same versions of Xen's.
tar_key=$(echo "$XEN_VER $LV_VER $LIBVIRT_PKGS $(cat "$CACHE/rootfs.key")" | sha256sum | cut -c1-16)
if [ ! -f "$CACHE/rootfs-libvirt.tar" ] || [ "$(cat "$CACHE/rootfs-libvirt.key" 2>/dev/null)" != "$tar_key" ]; then
  say "mmdebstrap bookworm rootfs with libvirt $LV_VER"
  rm -f "$CACHE/rootfs-libvirt.key"
  # no recommends: libvirt-daemon's would pull in QEMU, LVM and more
  debian_rootfs "$CACHE/rootfs-libvirt.tar" "$CACHE/mmdebstrap-libvirt.log" "xen-utils-4.17=$XEN_VER,kmod,iproute2,procps,mount,libstdc++6,$LIBVIRT_PKGS" \
    --aptopt='Apt::Install-Recommends "false"' || cannot "mmdebstrap with libvirt failed (see $CACHE/mmdebstrap-libvirt.log)"
  echo "$tar_key" >"$CACHE/rootfs-libvirt.key"
fi

say "assembling dom0-libvirt.cpio"
B=$CACHE/rootfs-base L=$CACHE/rootfs-libvirt
rm -rf "$B" "$L"
mkdir -p "$B" "$L"
tar -C "$B" -xf "$CACHE/rootfs.tar"
tar -C "$L" -xf "$CACHE/rootfs-libvirt.tar"
# what build.sh drops from the plain rootfs, dropped here too
rm -rf "$L/var/cache/apt/"* "$L/var/lib/apt/lists/"* "$L/usr/share/perl/"5.* "$L/usr/lib/x86_64-linux-gnu/perl/"5.* \
  "$L/usr/lib/udev/hwdb.bin" "$L/usr/lib/udev/hwdb.d"
# libvirt-daemon needs the QEMU driver, which needs the user libvirt-daemon-system would
# make; unable to start, it takes libvirtd down with it. Xen needs none of it.
rm -f "$L/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so"
# QEMU's TCG has no VME, so Xen's hw_caps lack it, and every x86 model in libvirt's CPU
# map (all need vme) fails to describe the host: the libxl driver then refuses to start
# ("Cannot find suitable CPU model for given data"). A lab-only model without it lets
# libvirt describe the emulated CPU; guests' CPUs are not affected (PV).
cpu_map=$L/usr/share/libvirt/cpu_map
[ -f "$cpu_map/index.xml" ] || cannot "no libvirt CPU map in the libvirt rootfs"
cat >"$cpu_map/x86_txl-lab-tcg.xml" <<'EOF'
<cpus>
  <model name='txl-lab-tcg'>
    <decode host='on' guest='off'/>
    <feature name='fpu'/>
    <feature name='pse'/>
  </model>
</cpus>
EOF
sed -i "s|^\( *\)<include filename='x86_486.xml'/>|&\n\1<include filename='x86_txl-lab-tcg.xml'/>|" "$cpu_map/index.xml"
grep -q x86_txl-lab-tcg.xml "$cpu_map/index.xml" || cannot "could not add the lab's CPU model to libvirt's CPU map"
# The layer: every path of the libvirt rootfs that is new or different, with its
# parent directories (the kernel's unpacker does not make them).
(cd "$L" && find . -mindepth 1 ! -type d) | LC_ALL=C sort | while IFS= read -r p; do
  if [ -L "$L/$p" ]; then
    [ -L "$B/$p" ] && [ "$(readlink "$L/$p")" = "$(readlink "$B/$p")" ] && continue
  elif [ -f "$B/$p" ] && [ ! -L "$B/$p" ] && cmp -s "$L/$p" "$B/$p"; then
    continue
  fi
  echo "$p"
  d=$(dirname "$p")
  while [ "$d" != . ]; do echo "$d"; d=$(dirname "$d"); done
done | LC_ALL=C sort -u >"$CACHE/libvirt-layer.list"
[ -s "$CACHE/libvirt-layer.list" ] || cannot "the libvirt rootfs has nothing the plain one lacks"
grep -qx './usr/sbin/libvirtd' "$CACHE/libvirt-layer.list" || cannot "no libvirtd in the libvirt rootfs"
(cd "$L" && cpio -o -H newc --quiet <"$CACHE/libvirt-layer.list" >"$CACHE/libvirt-layer.cpio")
cat "$CACHE/dom0.cpio" "$CACHE/libvirt-layer.cpio" >"$CACHE/dom0-libvirt.cpio.tmp"
mv "$CACHE/dom0-libvirt.cpio.tmp" "$CACHE/dom0-libvirt.cpio"
rm -rf "$B" "$L" "$CACHE/libvirt-layer.cpio"
echo "$key" >"$CACHE/libvirt.stamp"
say "done: $(wc -l <"$CACHE/libvirt-layer.list") paths, $(du -h "$CACHE/dom0-libvirt.cpio" | cut -f1) dom0-libvirt.cpio"
