# Sourced by build.sh and build-libvirt.sh (needs DEBIAN_MIRROR and SECURITY_MIRROR).
# debian_rootfs OUT.tar LOG PACKAGES [mmdebstrap options...]: a Debian rootfs tarball
# ($DEBIAN_SUITE, bookworm unless set),
# written beside OUT and moved into place only once whole. Docs, man pages and locales
# are left out: dom0's root is in RAM.
debian_rootfs() {
  local out=$1 log=$2 pkgs=$3 suite=${DEBIAN_SUITE:-bookworm}
  shift 3
  mmdebstrap --variant=essential --mode=root "$@" \
    --include="$pkgs" \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    "$suite" "${out%.tar}-new.tar" \
    "deb $DEBIAN_MIRROR $suite main" \
    "deb $DEBIAN_MIRROR $suite-updates main" \
    "deb $SECURITY_MIRROR $suite-security main" \
    >"$log" 2>&1 || return 1
  mv "${out%.tar}-new.tar" "$out"
}
