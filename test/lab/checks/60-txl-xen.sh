# The xen:///system backend in depth (bindings to libxl): host info, a guest's
# resources and devices, rename, shutdown/reboot, and that a failed create leaves
# nothing behind. Every change txl makes is read back with xl (or xenstore).
# Guests "labtx6*". Needs the basics of 50-txl.sh (txl runs and lists).
txl list >/dev/null 2>&1 || { skip "the xen backend checks" "txl list does not work here: $(txl list 2>&1 | tail -1)"; return 0; }

# --- host --------------------------------------------------------------------
field() { awk -F' *: ' -v k="$2" '$1 == k { print $2 }' "$1"; }
same_info() {
  local k a b
  xl info >"$WORK/xl.info" && txl info >"$WORK/txl.info" || return 1
  for k in "$@"; do
    a=$(field "$WORK/xl.info" "$k")
    b=$(field "$WORK/txl.info" "$k")
    [ "$a" = "$b" ] || { echo "$k: xl says '$a', txl says '$b'"; return 1; }
  done
}
check "txl info: same CPUs, memory, version and scheduler as xl info" same_info nr_cpus nr_nodes total_memory xen_version xen_scheduler xen_caps xen_commandline
dmesg_same() {
  local want
  want=$(xl dmesg | grep -m1 'Xen version')
  [ -n "$want" ] || { echo "xl dmesg has no 'Xen version' line"; return 1; }
  txl dmesg | grep -qF "$want" || { echo "txl dmesg lacks: $want"; return 1; }
}
check "txl dmesg: the hypervisor's console ring, as xl dmesg shows it" dmesg_same
check "txl cpupool-list: Pool-0, as xl has it" eval "txl cpupool-list | grep -q '^Pool-0' && xl cpupool-list | grep -q '^Pool-0'"

# --- a guest with room to change ----------------------------------------------
G=labtx6
guest_cfg $G "$WORK/$G.cfg" 'vcpus = 2' 'maxmem = 192'
check "txl create -p: xl list shows $G paused" eval "txl create -p '$WORK/$G.cfg' && state_is $G '^..p'" || { skip "the rest of the xen backend checks" "$G was not created"; xl destroy $G >/dev/null 2>&1; return 0; }
check "txl unpause: $G boots" eval "txl unpause $G && wait_for 90 console_has $G 'txl-guest: tick 2'"
list_l_has() { # TOOL NAME
  $1 list -l "$2" >"$WORK/$2.$1.json" || return 1
  node -e '
    const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const d = (Array.isArray(j) ? j : [j]).find((x) => x.config && x.config.c_info && x.config.c_info.name === process.argv[2]);
    if (!d) { console.log("no " + process.argv[2] + " in list -l"); process.exit(1); }
    if (!(d.config.b_info && d.config.b_info.max_memkb === 196608)) { console.log("max_memkb is " + (d.config.b_info || {}).max_memkb); process.exit(1); }
  ' "$WORK/$2.$1.json" "$2"
}
check "xl list -l reads the config of $G (made by txl)" list_l_has xl $G
check "txl list -l reads the same config" list_l_has txl $G
col() { xl list "$1" | awk -v n="$1" -v c="$2" '$1 == n { print $c }'; }
col_is() { local v; v=$(col "$1" "$2"); [ "$v" = "$3" ] || { echo "xl list $1 column $2 is '$v', wanted '$3'"; return 1; }; }
check "txl vcpu-set: xl list shows $G with 1 vCPU online" eval "txl vcpu-set $G 1 && wait_for 30 col_is $G 4 1"
pinned() {
  xl vcpu-list $G | awk -v n=$G '$1 == n && $3 == 0 { print $7 }' | grep -qx 0 || { xl vcpu-list $G; echo "vCPU 0 of $G is not pinned to CPU 0"; return 1; }
}
check "txl vcpu-pin: xl vcpu-list shows vCPU 0 pinned to CPU 0" eval "txl vcpu-pin $G 0 0 && pinned"
check "txl vcpu-list: same vCPUs as xl vcpu-list" eval "[ \"\$(txl vcpu-list $G | awk 'NR > 1 { print \$3 }' | sort)\" = \"\$(xl vcpu-list $G | awk 'NR > 1 { print \$3 }' | sort)\" ]"
check "txl mem-set: the guest balloons down to 96 MiB (xl list)" eval "txl mem-set $G 96m && wait_for 60 col_is $G 3 96"
static_max() { local id; id=$(col $G 2); [ "$(xenstore-read /local/domain/$id/memory/static-max)" = "$1" ] || { echo "static-max is $(xenstore-read /local/domain/$id/memory/static-max)"; return 1; }; }
check "txl mem-max: xenstore's static-max follows (256 MiB)" eval "txl mem-max $G 256m && static_max 262144"
weight_is() { xl sched-credit2 -d $G | awk -v n=$G '$1 == n { print $3 }' | grep -qx "$1" || { xl sched-credit2 -d $G; echo "weight is not $1"; return 1; }; }
if xl info | grep -q '^xen_scheduler *: credit2'; then
  check "txl sched-credit2 -w: xl shows the new weight" eval "txl sched-credit2 -d $G -w 512 && weight_is 512"
  check "txl sched-credit2 -d: shows what xl shows" eval "txl sched-credit2 -d $G | awk -v n=$G '\$1 == n { print \$3 }' | grep -qx 512"
else
  skip "txl sched-credit2" "the host does not run credit2"
fi

# --- devices ----------------------------------------------------------------
truncate -s 16M "$WORK/tx6-disk.img"
check "txl block-attach: xvdb reaches the guest" eval "txl block-attach $G 'format=raw,vdev=xvdb,access=rw,script=block,target=$WORK/tx6-disk.img' && wait_for 30 devices_match $G xvdb"
check "txl block-list: the disk xl block-list shows (devid 51728)" eval "xl block-list $G | awk 'NR > 1 { print \$1 }' | grep -qx 51728 && txl block-list $G | awk 'NR > 1 { print \$1 }' | grep -qx 51728"
check "txl block-detach: xvdb leaves the guest and xl block-list" eval "txl block-detach $G xvdb && wait_for 30 eval '! devices_match $G xvdb >/dev/null' && [ -z \"\$(xl block-list $G | awk 'NR > 1')\" ]"
check "txl network-attach: eth0 reaches the guest" eval "nic_attach $G txl network-attach $G bridge=xenbr0 && wait_for 30 devices_match $G eth0"
check "txl network-list: the NIC xl network-list shows" eval "[ \"\$(xl network-list $G | awk 'NR > 1 { print \$1, \$3 }')\" = \"\$(txl network-list $G | awk 'NR > 1 { print \$1, \$3 }')\" ]"
check "txl network-detach: eth0 leaves the guest" eval "txl network-detach $G 0 && wait_for 30 eval '! devices_match $G eth0 >/dev/null'"

# --- naming, console, shutdown ------------------------------------------------
check "txl rename: xl list knows $G as ${G}b" eval "txl rename $G ${G}b && xl_has ${G}b && xl_gone $G"
check "txl rename back" eval "txl rename ${G}b $G && xl_has $G"
check "txl console --log: the guest's ticks" eval "txl console --log $G | grep -q 'txl-guest: tick'"
check "txl shutdown: $G powers itself off" eval "txl shutdown $G && wait_for 60 xl_gone $G"
xl destroy $G >/dev/null 2>&1

G=labtx6r
guest_cfg $G "$WORK/$G.cfg"
if txl create "$WORK/$G.cfg" >/dev/null 2>&1 && wait_for 90 console_has $G 'txl-guest: tick 1' >/dev/null; then
  # its monitor re-creates it (new domid); without one it stays shut down: either shows the reboot happened
  before=$(col $G 2)
  rebooted() {
    local now
    now=$(col $G 2)
    # absent is not enough: between the old domain's death and the monitor's re-create the
    # name is briefly gone, and the destroy below would then find nothing
    { [ -n "$now" ] && [ "$now" != "$before" ]; } || state_is $G '[sc]' >/dev/null || { echo "$G still has id $before, state $(xl_state $G)"; return 1; }
  }
  check "txl reboot: $G reboots (a new domid, or shut down for the restart)" eval "txl reboot $G && wait_for 60 rebooted"
  check "txl destroy: $G is gone" eval "txl destroy $G && wait_for 20 xl_gone $G"
else
  skip "txl reboot" "$G did not start"
fi
xl destroy $G >/dev/null 2>&1

# --- failures leave nothing behind -------------------------------------------
G=labtx6bad
guest_cfg $G "$WORK/$G.cfg" "disk = [ 'format=raw,vdev=xvda,access=rw,target=/nonexistent/disk.img' ]"
bad_create() {
  txl create "$WORK/$G.cfg" >"$WORK/$G.out" 2>&1 && { echo "txl create succeeded on a missing disk"; return 1; }
  grep -q "^txl: error: " "$WORK/$G.out" || { cat "$WORK/$G.out"; echo "no clear error"; return 1; }
  wait_for 20 xl_gone $G
}
check "txl create with a missing disk: one error, and no $G left in xl list" bad_create
check "txl destroy on a missing domain: not found, exit 1" eval "txl destroy labtx6-none 2>&1 | grep -q \"no domain 'labtx6-none'\"; [ \${PIPESTATUS[0]} -eq 1 ]"
xl destroy $G >/dev/null 2>&1
