# virsh's device XML commands on real Xen, xl as the witness: attach-device and detach-device
# of a <disk> (a loop device) and of an <interface> on xenbr0 (--persistent: live and stored),
# domif-getlink/-setlink (down/up of the backend vif in dom0, ip link as the witness; down with
# --config refused in one line: libxl's config has no link state), update-device
# refusing a live bridge move and changing the stored config with --config. One managed PV
# guest, "labdx93".
txl list >/dev/null 2>&1 || { skip "the device XML checks" "txl list does not work here: $(txl list 2>&1 | tail -1)"; return 0; }
. "$LAB_DIR/surface.sh" # json_is

G=labdx93
MAC=00:16:3e:93:00:01
txl destroy $G >/dev/null 2>&1
txl undefine $G >/dev/null 2>&1
IMG=$WORK/$G-disk.img
truncate -s 16M "$IMG"
LOOP=$(losetup -f --show "$IMG" 2>/dev/null)

# CMD...: exit 1, nothing on stdout, one line "txl: error: ..." on stderr
one_line_refusal() {
  local rc
  "$@" >"$WORK/93.out" 2>"$WORK/93.err"
  rc=$?
  [ $rc = 1 ] || { echo "exit $rc, wanted 1: $(head -3 "$WORK/93.err")"; return 1; }
  [ ! -s "$WORK/93.out" ] && [ "$(wc -l <"$WORK/93.err")" = 1 ] && grep -q '^txl: error: ' "$WORK/93.err" ||
    { echo "not one error line:"; cat "$WORK/93.out" "$WORK/93.err"; return 1; }
}
# the dom0 backend interface of the guest's first NIC, and whether it is administratively UP
vif_if() { echo "vif$(xl domid $G).$(xl network-list $G | awk 'NR > 1 { print $1; exit }')"; }
vif_up() { ip -o link show dev "$(vif_if)" | grep -q '[<,]UP[,>]'; }
vif_is() { # up|down
  if vif_up; then [ "$1" = up ]; else [ "$1" = down ]; fi || { echo "ip link: $(ip -o link show dev "$(vif_if)" 2>&1 | cut -c1-120), wanted $1"; return 1; }
}
macs() { xl network-list $G | awk 'NR > 1 { print $3 }' | sort | tr '\n' ' '; }
macs_are() { [ "$(macs)" = "$1" ] || { echo "xl network-list: '$(macs)', wanted '$1'"; return 1; }; }
disks_are() { # DEVIDS: the Vdev column of xl block-list
  local d
  d=$(xl block-list $G | awk 'NR > 1 { print $1 }' | tr '\n' ' ')
  [ "$d" = "$1" ] || { echo "xl block-list: '$d', wanted '$1'"; return 1; }
}

cat >"$WORK/$G-disk.xml" <<XML
<disk type='block' device='disk'>
  <driver name='phy' type='raw'/>
  <source dev='${LOOP:-/dev/null}'/>
  <target dev='xvdb' bus='xen'/>
</disk>
XML
cat >"$WORK/$G-nic.xml" <<XML
<interface type='bridge'>
  <mac address='$MAC'/>
  <source bridge='xenbr0'/>
</interface>
XML
cat >"$WORK/$G-move.xml" <<XML
<interface type='bridge'>
  <mac address='$MAC'/>
  <source bridge='xenbr93'/>
</interface>
XML

guest_cfg $G "$WORK/$G.cfg"
check "txl define + start: $G (managed) boots" eval "txl define '$WORK/$G.cfg' >/dev/null && txl start $G >'$WORK/$G.start.log' 2>&1 && wait_for 90 console_has $G 'txl-guest: tick 1'" ||
  { skip "the rest of the device XML checks" "$G did not start: $(tail -1 "$WORK/$G.start.log")"; txl destroy $G >/dev/null 2>&1; txl undefine $G >/dev/null 2>&1; [ -n "$LOOP" ] && losetup -d "$LOOP"; return 0; }

# --- disk ----------------------------------------------------------------------
if [ -n "$LOOP" ]; then
  check "txl attach-device: a <disk> on $LOOP, xvdb in xl block-list and in the guest" eval "txl attach-device $G '$WORK/$G-disk.xml' --live | grep -q 'Device attached successfully' && disks_are '51728 ' && wait_for 60 devices_match $G xvdb"
  check "txl detach-device: xvdb leaves xl block-list" eval "txl detach-device $G '$WORK/$G-disk.xml' | grep -q 'Device detached successfully' && wait_for 30 disks_are ''"
else
  skip "txl attach-device / detach-device of a <disk>" "losetup found no free loop device"
fi
check "txl detach-device: a disk that is not there is refused in one line" one_line_refusal txl detach-device $G "$WORK/$G-disk.xml"

# --- interface, link, update-device ---------------------------------------------
check "txl attach-device --persistent: an <interface> on xenbr0, its MAC in xl network-list" eval "nic_attach $G txl attach-device $G '$WORK/$G-nic.xml' --persistent && macs_are '$MAC '"
check "txl domif-getlink: the new vif is up; -o json" eval "txl domif-getlink $G $MAC | grep -qx '$MAC up' && json_is 'j.state === \"up\"' domif-getlink $G $MAC"
check "txl domif-setlink down: the backend vif is down in ip link; domif-getlink says down, -o json domiflist link down" eval "vif_is up && txl domif-setlink $G $MAC down >/dev/null && vif_is down && txl domif-getlink $G \$(vif_if) | grep -qx \"\$(vif_if) down\" && json_is 'j[0].link === \"down\"' domiflist $G"
check "txl domif-setlink up: the backend vif is UP again; down --config refused in one line" eval "txl domif-setlink $G $MAC up >/dev/null && vif_is up && txl domif-getlink $G $MAC | grep -qx '$MAC up' && one_line_refusal txl domif-setlink $G $MAC down --config && vif_is up && macs_are '$MAC '"
check "txl update-device --live: moving the NIC to another bridge is refused in one line, nothing changed" eval "one_line_refusal txl update-device $G '$WORK/$G-move.xml' --live && macs_are '$MAC ' && txl config $G | grep -q 'bridge=xenbr0'"
check "txl update-device --config: accepted, the live NIC stays on xenbr0" eval "txl update-device $G '$WORK/$G-move.xml' --config >/dev/null && txl config $G | grep -q 'bridge=xenbr0'"
check "txl detach-device --live: the <interface> leaves xl network-list" eval "txl detach-device $G '$WORK/$G-nic.xml' --live >/dev/null && wait_for 30 macs_are ''"
check "the stored config (txl config after destroy) has the NIC on the new bridge" eval "txl destroy $G >/dev/null && txl config $G | grep -q 'mac=$MAC,bridge=xenbr93'"

txl destroy $G >/dev/null 2>&1
txl undefine $G >/dev/null 2>&1
[ -n "$LOOP" ] && losetup -d "$LOOP"
rm -f "$IMG"
return 0
