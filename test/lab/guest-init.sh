#!/bin/busybox sh
# /init of the lab's tiny PV guest. It prints one numbered line per second on
# hvc0, so a test reading the guest's console log can see it run, stop while
# paused and go on once unpaused; and a line whenever its set of block or net
# devices changes, so block-/network-attach and -detach can be seen from dom0.
/bin/busybox --install -s /bin
mkdir -p /proc /sys /dev /tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
# front-end drivers, in dependency order (written by guest-initramfs.sh)
while read -r ko; do insmod "/modules/$ko" 2>/dev/null; done </modules/order
exec >/dev/hvc0 2>&1 </dev/null
echo "txl-guest: up, kernel $(uname -r), $(cat /proc/cmdline)"
devices() { ls /sys/block /sys/class/net 2>/dev/null | grep -v -e '^lo$' -e '^/' -e '^$' | tr '\n' ' '; }
last=
n=0
while :; do
  now=$(devices)
  if [ "$now" != "$last" ]; then echo "txl-guest: devices: ${now:-none}"; last=$now; fi
  echo "txl-guest: tick $n"
  n=$((n + 1))
  sleep 1
done
