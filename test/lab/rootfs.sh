# Sourced by build.sh and build-libvirt.sh (needs DEBIAN_MIRROR and SECURITY_MIRROR).
# debian_rootfs OUT.tar LOG PACKAGES [mmdebstrap options...]: a bookworm rootfs tarball,
# written beside OUT and moved into place only once whole. Docs, man pages and locales
# are left out: dom0's root is in RAM.
debian_rootfs() {
  local out=$1 log=$2 pkgs=$3
  shift 3
  mmdebstrap --variant=essential --mode=root "$@" \
    --include="$pkgs" \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    bookworm "${out%.tar}-new.tar" \
    "deb $DEBIAN_MIRROR bookworm main" \
    "deb $DEBIAN_MIRROR bookworm-updates main" \
    "deb $SECURITY_MIRROR bookworm-security main" \
    >"$log" 2>&1 || return 1
  mv "${out%.tar}-new.tar" "$out"
}
