#!/usr/bin/env bash
# Build the lab guest's initramfs: a static busybox, the Xen front-end drivers
# of the guest's kernel, and guest-init.sh as /init. Compressed with gzip: the
# guest kernel unpacks it itself and that is quick for ~1 MiB.
# usage: guest-initramfs.sh <out.cpio.gz> <unpacked-kernel-package-root> <kernel-version>
set -euo pipefail
out=$1 ktree=$2 kver=$3
LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
busybox=$(dpkg -L busybox-static | grep -m1 -E '/s?bin/busybox$')
file -L "$busybox" | grep -q 'statically linked' || { echo "guest-initramfs: $busybox is not static" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/sbin" "$work/modules" "$work/dev"
mknod -m 600 "$work/dev/console" c 5 1
cp "$busybox" "$work/bin/busybox"
cp "$LAB_DIR/guest-init.sh" "$work/init"
chmod 755 "$work/init"
# The kernel's orderly poweroff (xl shutdown) runs /sbin/poweroff; init is a
# plain script, so busybox's signal-to-init poweroff would do nothing.
printf '#!/bin/busybox sh\nsync\nexec /bin/busybox poweroff -f\n' >"$work/sbin/poweroff"
printf '#!/bin/busybox sh\nsync\nexec /bin/busybox reboot -f\n' >"$work/sbin/reboot"
chmod 755 "$work/sbin/poweroff" "$work/sbin/reboot"
: >"$work/modules/order"
for mod in xen-blkfront xen-netfront; do
  modprobe -d "$ktree" -S "$kver" --show-depends "$mod" | awk '$1=="insmod" {print $2}' |
    while read -r ko; do
      base=$(basename "$ko")
      grep -qx "$base" "$work/modules/order" && continue
      cp "$ko" "$work/modules/$base"
      echo "$base" >>"$work/modules/order"
    done
done
(cd "$work" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -9 >"$out.tmp")
mv "$out.tmp" "$out"
echo "guest-initramfs: $out ($(du -h "$out" | cut -f1), modules: $(tr '\n' ' ' <"$work/modules/order"))"
