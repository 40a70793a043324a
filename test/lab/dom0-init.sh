#!/bin/sh
# /init of the lab's dom0 (PID 1; there is no systemd and no udev).
# Brings up what a Xen host needs (xenfs, the Xen modules, xenstored,
# xen-init-dom0, xenconsoled, a bridge), then runs /txl-lab/payload or, in
# shell mode, a login shell on the console; then powers the machine off.
# boot.mjs reads the "txl-lab:" lines this prints on the console.
# Xen's own tools: /usr/lib/xen-4.17 on bookworm, /usr/lib/xen-4.20 on trixie
for d in /usr/lib/xen-4.*/bin; do XEN_BIN=$d; done
TXL_LAB_XEN=${XEN_BIN#/usr/lib/xen-}
export TXL_LAB_XEN=${TXL_LAB_XEN%/bin}
export PATH=$XEN_BIN:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8 TERM=${TERM:-vt100}

say() { echo "txl-lab: $*"; }
off() {
  sync
  echo 1 >/proc/sys/kernel/sysrq
  # Xen turns dom0's power-off into QEMU's (ACPI S5); QEMU then exits.
  echo o >/proc/sysrq-trigger
  sleep 5
  echo b >/proc/sysrq-trigger # reboot: QEMU runs with -no-reboot, so it exits too
  sleep 30
}
fail() {
  say "dom0 setup failed: $*"
  say "exit=125"
  off
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
# udev would make these; Xen's hotplug scripts need /dev/stdin (their lock
# loop stats it and spins until libxl's 40 s timeout without it), bash /dev/fd.
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run
mkdir -p /run/xen /run/xenstored /run/lock /var/log/xen/console /var/lib/xen /var/lib/xenstored /tmp
chmod 1777 /tmp
hostname txl-lab-dom0
exec </dev/console >/dev/console 2>&1

up() { cut -d' ' -f1 /proc/uptime; }
say "dom0 up at $(up)s, kernel $(uname -r), Xen tools $TXL_LAB_XEN, node $(node --version 2>/dev/null || echo none), $(grep MemTotal /proc/meminfo | tr -s ' ')"
# No udev: load by hand what the toolstack and its backends need.
# One modprobe for all: each process start is costly under TCG.
modprobe -a xenfs xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xen-blkback xen-netback bridge loop tun ||
  say "warning: some modules did not load"
mount -t xenfs xenfs /proc/xen || fail "mount xenfs"
grep -q control_d /proc/xen/capabilities || fail "not dom0 (no control_d in /proc/xen/capabilities)"

say "modules loaded at $(up)s"
xenstored --pid-file=/run/xenstored.pid || fail "xenstored"
xen-init-dom0 >/var/log/xen/xen-init-dom0.log 2>&1 || fail "xen-init-dom0 (see /var/log/xen/xen-init-dom0.log)"
# --log=guest: each guest's console goes to /var/log/xen/console/guest-NAME.log
xenconsoled --pid-file=/run/xenconsoled.pid --log=guest || fail "xenconsoled"

ip link set lo up
ip link add xenbr0 type bridge && ip link set xenbr0 up || say "warning: no xenbr0 bridge"

# Only in the libvirt lab (TXL_LAB_LIBVIRT=1). Debian 12's libvirt 9 ships the
# monolithic libvirtd only (no virtxend); its libxl driver serves xen:///system.
if [ -x /usr/sbin/libvirtd ]; then
  mkdir -p /run/libvirt /var/log/libvirt /var/lib/libvirt /var/cache/libvirt
  LIBVIRT_LOG_OUTPUTS="3:file:/var/log/libvirt/libvirtd.log" libvirtd --daemon --pid-file=/run/libvirtd.pid ||
    say "warning: libvirtd did not start"
  # the socket appears once the drivers are loaded, which takes a while under TCG
  # (it exits when a driver it needs fails: see its log)
  for _ in $(seq 240); do
    [ -S /run/libvirt/libvirt-sock ] && break
    [ -f /run/libvirtd.pid ] && ! kill -0 "$(cat /run/libvirtd.pid)" 2>/dev/null && break
    sleep 0.5
  done
  [ -S /run/libvirt/libvirt-sock ] && say "libvirtd up at $(up)s" ||
    say "warning: libvirtd is not serving: $(grep -m1 ' error : .*[Ii]nitiali' /var/log/libvirt/libvirtd.log)"
fi

# Lets the payload find the lab's guest kernel and initramfs.
export TXL_LAB=1 TXL_LAB_GUEST_DIR=/var/lib/txl-lab
cd /opt/txl 2>/dev/null || cd /
say "ready at $(up)s of dom0 uptime"

if [ "$(cat /txl-lab/mode 2>/dev/null)" = shell ]; then
  say "interactive shell (project in /opt/txl; 'poweroff' or exit to stop the machine)"
  # -c gives the shell a controlling terminal, so job control and ^C work
  setsid -c /bin/bash -l
  rc=$?
else
  say "payload start"
  sh /txl-lab/payload
  rc=$?
fi
say "exit=$rc"
off
