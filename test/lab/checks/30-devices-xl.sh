# Hot-plugged disks and NICs reach the guest (dom0 backends: blkback with
# script=block over a loop device, netback on xenbr0). Guest "labdev".
G=labdev
guest_cfg $G "$WORK/$G.cfg"
check "xl create: guest $G for device checks" xl create "$WORK/$G.cfg" || return 0
check "guest console: $G is up" wait_for 90 console_has $G 'txl-guest: tick 1'
truncate -s 16M "$WORK/disk.img"
check "xl block-attach: file disk (script=block) appears as xvdb" eval "xl block-attach $G 'format=raw,vdev=xvdb,access=rw,script=block,target=$WORK/disk.img' && wait_for 30 devices_match $G xvdb"
check "xl block-list: $G has one disk" eval "xl block-list $G | awk 'NR > 1' | grep -c . | grep -qx 1"
check "xl block-detach: xvdb leaves the guest" eval "xl block-detach $G xvdb && wait_for 30 eval '! devices_match $G xvdb >/dev/null'"
check "xl network-attach: NIC on xenbr0 appears as eth0" eval "nic_attach $G xl network-attach $G bridge=xenbr0 && wait_for 30 devices_match $G eth0"
check "dom0: the NIC's backend vif is on xenbr0" eval "ls /sys/class/net/xenbr0/brif | grep -q '^vif'"
check "xl network-detach: eth0 leaves the guest" eval "xl network-detach $G 0 && wait_for 30 eval '! devices_match $G eth0 >/dev/null'"
check "xl destroy: $G is gone" eval "xl destroy $G && wait_for 20 xl_gone $G"
xl destroy $G >/dev/null 2>&1
