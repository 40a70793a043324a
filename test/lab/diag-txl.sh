#!/bin/bash
# A lab payload for looking into the xen backend when a check fails: creates the same
# tiny guest with txl and with xl and prints what differs (config, xenstore, state,
# console), then destroys both with txl, keeping libxl's log.
#   test/lab/boot.sh --no-build -- bash test/lab/diag-txl.sh
set -u
cd "$(dirname "$0")/../.." || exit 125
GUEST_DIR=${TXL_LAB_GUEST_DIR:-/var/lib/txl-lab}
W=/tmp/diag
mkdir -p $W
export TXL_LIBXL_LOG=$W/libxl.log
cfg() {
  printf 'name = "%s"\ntype = "pv"\nkernel = "%s/vmlinux"\nramdisk = "%s/guest.cpio.gz"\nextra = "console=hvc0 quiet"\nmemory = 128\nvcpus = 1\n' "$1" "$GUEST_DIR" "$GUEST_DIR" >"$W/$1.cfg"
}
txl() { node bin/txl --connect xen:///system "$@"; }
section() { echo "=== $*"; }

cfg dtxl
cfg dxl
cfg dtxl0
echo 'uuid = "00000000-0000-0000-0000-000000000000"' >>"$W/dtxl0.cfg"
section "txl create"
time txl create "$W/dtxl.cfg"; echo "rc=$?"
section "txl create with the nil UUID"
txl create "$W/dtxl0.cfg"; echo "rc=$?"
section "xl create"
xl create "$W/dxl.cfg"; echo "rc=$?"
sleep 15
section "xl list"
xl list
xl vcpu-list
for n in dtxl dtxl0 dxl; do
  id=$(xl domid $n)
  section "xenstore of $n ($id)"
  xenstore-ls -f /local/domain/$id | grep -v -e '/device/' | sed "s/domain\/$id/domain\/ID/" | sort >$W/$n.xs
  wc -l <$W/$n.xs
  xl list -l $n >$W/$n.json 2>&1
done
section "xenstore diff (txl vs xl)"
diff $W/dtxl.xs $W/dxl.xs
section "xl list -l diff (txl vs xl)"
diff <(sed 's/dtxl/NAME/g' $W/dtxl.json) <(sed 's/dxl/NAME/g' $W/dxl.json) | head -60
section "console logs"
ls -la /var/log/xen/console/
for n in dtxl dtxl0 dxl; do echo "-- $n"; head -c 600 /var/log/xen/console/guest-$n.log; echo; done
section "xl dmesg (tail)"
xl dmesg | tail -15
section "libxl log of the create (errors/warnings)"
grep -E ': (error|warning|critical):' $W/libxl.log | tail -20
section "txl destroy dtxl"
txl destroy dtxl; echo "rc=$?"
section "txl destroy dtxl0"
txl destroy dtxl0; echo "rc=$?"
section "txl destroy dxl"
txl destroy dxl; echo "rc=$?"
xl list
section "libxl log, last 40 lines"
tail -40 $W/libxl.log
for n in dtxl dtxl0 dxl; do xl destroy $n 2>/dev/null; done
exit 0
