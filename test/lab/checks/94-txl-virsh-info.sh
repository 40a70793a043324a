# virsh's resource and information commands on real Xen, xl (and xenstore, dom0's sysfs) as
# the witness: vcpucount, setvcpus, setmem, setmaxmem, vcpuinfo, schedinfo on a managed PV
# guest (live and --config), domblkstat and domifstat against blkback's and netback's
# counters, and the host's freecell, version, hostname and sysinfo. Guest "labtx94".
txl list >/dev/null 2>&1 || { skip "the virsh information checks" "txl list does not work here: $(txl list 2>&1 | tail -1)"; return 0; }
. "$LAB_DIR/surface.sh" # json_is, eq

G=labtx94
xl destroy $G >/dev/null 2>&1
txl undefine $G >/dev/null 2>&1
rm -f "$(console_log $G)"
truncate -s 16M "$WORK/tx94.img"
guest_cfg $G "$WORK/$G.cfg" 'vcpus = 2' 'maxmem = 192' \
  "disk = [ 'format=raw,vdev=xvda,access=rw,script=block,target=$WORK/tx94.img' ]" "vif = [ 'bridge=xenbr0' ]"

# CMD...: exit 1, nothing on stdout, one line "txl: error: ..." on stderr
one_line() {
  local rc
  "$@" >"$WORK/94.out" 2>"$WORK/94.err"
  rc=$?
  [ $rc = 1 ] || { echo "exit $rc, wanted 1: $(head -3 "$WORK/94.err")"; return 1; }
  [ ! -s "$WORK/94.out" ] && [ "$(wc -l <"$WORK/94.err")" = 1 ] && grep -q '^txl: error: ' "$WORK/94.err" ||
    { echo "not one error line:"; cat "$WORK/94.out" "$WORK/94.err"; return 1; }
}
id_of() { xl domid $G 2>/dev/null; }
# xl vcpu-list: all vCPUs of G, and the online ones (an offline one has no CPU: '-')
xl_vcpus() { xl vcpu-list $G | awk -v n=$G '$1 == n' | grep -c .; }
xl_online() { xl vcpu-list $G | awk -v n=$G '$1 == n && $4 != "-"' | grep -c .; }
online_is() { [ "$(xl_online)" = "$1" ] || { xl vcpu-list $G; echo "xl vcpu-list: $(xl_online) online, wanted $1"; return 1; }; }
xs_mem() { xenstore-read "/local/domain/$(id_of)/memory/$1"; }
# ROW STATE: a row of `txl vcpucount` saved in $WORK/94.count
row_of() { awk -v a="$1" -v b="$2" '$1 == a && $2 == b { print $3 }' "$WORK/94.count"; }

check "txl define and start $G (PV, 2 vCPUs, a disk and a vif); it boots" \
  eval "txl define '$WORK/$G.cfg' >/dev/null && txl start $G >/dev/null && wait_for 240 console_has $G 'txl-guest: tick 1'" ||
  { skip "the rest of the virsh information checks" "$G did not start"; xl destroy $G >/dev/null 2>&1; txl undefine $G >/dev/null 2>&1; return 0; }

# --- vCPUs ---------------------------------------------------------------------
check "txl vcpucount $G: maximum/current, config/live, live ones as xl vcpu-list" \
  eval "txl vcpucount $G >'$WORK/94.count' && eq 'maximum live' \"\$(row_of maximum live)\" \"\$(xl_vcpus)\" && eq 'current live' \"\$(row_of current live)\" \"\$(xl_online)\" && eq 'maximum config' \"\$(row_of maximum config)\" 2 && eq 'current config' \"\$(row_of current config)\" 2"
check "-o json vcpucount: xl vcpu-list's counts" json_is "j.maximum.live === $(xl_vcpus) && j.current.live === $(xl_online) && j.maximum.config === 2" vcpucount $G
check "txl setvcpus $G 1 --config: the config says 1, the live domain keeps 2 (xl vcpu-list)" \
  eval "txl setvcpus $G 1 --config && eq config \"\$(txl -q vcpucount $G --active --config)\" 1 && online_is 2"
check "txl setvcpus $G 1: xl vcpu-list shows 1 online" eval "txl setvcpus $G 1 && wait_for 30 online_is 1"
check "txl setvcpus $G 3: above the maximum, refused in one line; still 1 online" eval "one_line txl setvcpus $G 3 && grep -q 'greater than max allowable vcpus' '$WORK/94.err' && online_is 1"
check "txl vcpuinfo $G: a block per vCPU of xl vcpu-list, y/- affinity over the host's CPUs" \
  eval "t=\$(txl vcpuinfo $G) && eq blocks \"\$(grep -c '^VCPU:' <<<\"\$t\")\" \"\$(xl_vcpus)\" && grep -qE '^CPU Affinity: +[y-]{$(($(xl info | awk -F': *' '/^max_cpu_id/ { print $2 }') + 1))}\$' <<<\"\$t\""
check "-o json vcpuinfo: one row per vCPU" json_is "j.length === $(xl_vcpus) && j.filter((v) => v.state !== 'offline').length === $(xl_online)" vcpuinfo $G
# the rest needs no running guest: paused, it leaves the lab's CPUs to txl
xl pause $G

# --- memory --------------------------------------------------------------------
check "txl setmem $G 160M: xenstore's memory/target follows (163840)" eval "txl setmem $G 160M && eq target \"\$(xs_mem target)\" 163840"
check "txl setmaxmem $G 256M: xenstore's static-max follows (262144)" eval "txl setmaxmem $G 256M && eq static-max \"\$(xs_mem static-max)\" 262144"
check "txl setmem $G 1G: above the maximum, refused in one line; the target stays" eval "one_line txl setmem $G 1G && grep -q 'cannot set memory higher than max memory' '$WORK/94.err' && eq target \"\$(xs_mem target)\" 163840"
check "txl setmaxmem $G 200M --config: the stored maximum (setmem 220M --config is refused), not the live one" \
  eval "txl setmaxmem $G 200M --config && one_line txl setmem $G 220M --config && eq static-max \"\$(xs_mem static-max)\" 262144"

# --- scheduler -----------------------------------------------------------------
SCHED=$(xl info | awk -F': *' '/^xen_scheduler/ { print $2 }')
xl_weight() { xl sched-$SCHED -d $G | awk -v n=$G '$1 == n { print $3 }'; }
if [ "$SCHED" = credit ] || [ "$SCHED" = credit2 ]; then
  check "txl schedinfo $G --weight 384: 'Scheduler : $SCHED', and xl sched-$SCHED shows 384" \
    eval "txl schedinfo $G --weight 384 | grep -qE '^Scheduler +: $SCHED\$' && eq weight \"\$(xl_weight)\" 384"
  check "-o json schedinfo: the scheduler and xl's weight" json_is "j.scheduler === '$SCHED' && j.weight === 384" schedinfo $G
else
  skip "txl schedinfo --weight" "the host runs $SCHED, which has no weight"
fi

# --- I/O counters ---------------------------------------------------------------
vbd() { cat "/sys/bus/xen-backend/devices/vbd-$(id_of)-51712/statistics/$1" 2>/dev/null || echo "?"; }
vif() { cat "/sys/class/net/vif$(id_of).0/statistics/$1" 2>/dev/null || echo "?"; }
blk() { txl -q domblkstat $G xvda | awk -v k="$1" '$2 == k { print $3 }'; }
ifs() { txl -q domifstat $G "vif$(id_of).0" | awk -v k="$1" '$2 == k { print $3 }'; }
# LOW VALUE HIGH: LOW <= VALUE <= HIGH (counters read before and after)
between() { [ "$1" -le "$2" ] && [ "$2" -le "$3" ] 2>/dev/null || { echo "$2 is not within $1..$3"; return 1; }; }
blk_agrees() {
  local a b c
  a=$(vbd rd_req) b=$(blk rd_req) c=$(vbd rd_req)
  between "$a" "$b" "$c" && [ "$b" -gt 0 ] && [ "$(blk rd_bytes)" -ge $((b > 0 ? 512 : 0)) ] || { echo "rd_req sysfs $a..$c, txl $b"; return 1; }
  local again
  again=$(blk rd_req)
  [ "$again" -ge "$b" ] || { echo "rd_req went down: $b then $again"; return 1; }
}
if_agrees() {
  local a b c
  # the guest receives what dom0's vif transmits
  a=$(vif tx_bytes) b=$(ifs rx_bytes) c=$(vif tx_bytes)
  between "$a" "$b" "$c" || { echo "rx_bytes: sysfs tx_bytes $a..$c, txl $b"; return 1; }
  [ "$(ifs rx_bytes)" -ge "$b" ] || { echo "rx_bytes went down"; return 1; }
}
check "txl domblkstat $G xvda: rd_req as blkback's sysfs counter, never going down" blk_agrees
check "-o json domblkstat: the counters, summed over the disks" json_is "j.rd_req > 0 && j.devices.includes('xvda') && typeof j.wr_bytes === 'number'" domblkstat $G
check "txl domblkstat $G xvdz: refused in one line" eval "one_line txl domblkstat $G xvdz && grep -q 'invalid path: xvdz' '$WORK/94.err'"
check "txl domifstat $G vifD.0: rx_bytes as the vif's tx_bytes in dom0's sysfs" if_agrees
check "-o json domifstat: the vif's counters" json_is "j.interface === 'vif$(id_of).0' && typeof j.rx_bytes === 'number' && typeof j.tx_packets === 'number'" domifstat $G "vif$(id_of).0"

# --- host ----------------------------------------------------------------------
xl_free_kib() { echo $(($(xl info | awk -F': *' '/^free_memory/ { print $2 }') * 1024)); }
free_agrees() {
  local t x
  t=$(txl -q freecell | awk '{ print $2 }') x=$(xl_free_kib)
  # free memory moves a little between the two reads; xl rounds down to MiB
  [ $((t - x)) -ge -8192 ] && [ $((t - x)) -le 9216 ] || { echo "txl freecell $t KiB, xl info free_memory $x KiB"; return 1; }
  txl -q freecell --all | grep -qE '^ +0: +[0-9]+ KiB$' || { txl freecell --all; return 1; }
}
check "txl freecell: xl info's free_memory (within 8 MiB); --all lists cell 0" free_agrees
check "-o json freecell --all: the cells and the total" json_is "Array.isArray(j.cells) && j.cells.length >= 1 && j.total_kib > 0" freecell --all
XV=$(xl info | awk -F': *' '/^xen_version/ { print $2 }')
XV3=$(sed -E 's/^([0-9]+)\.([0-9]+)(\.([0-9]+))?.*/\1.\2.\4/; s/\.$/.0/' <<<"$XV")
check "txl version: 'Running hypervisor: Xen $XV3' (xl info's xen_version $XV)" eval "txl version | grep -qx 'Running hypervisor: Xen $XV3' && txl version | grep -q '^Compiled against library: txl '"
check "-o json version" json_is "j.hypervisor === 'Xen' && j.hypervisor_version === '$XV3'" version
check "txl hostname: hostname's answer" eval "eq hostname \"\$(txl -q hostname)\" \"\$(hostname)\""
check "-o json hostname" json_is "j.hostname === '$(hostname)'" hostname
dmi_vendor=$(cat /sys/class/dmi/id/sys_vendor 2>/dev/null)
check "txl sysinfo: SMBIOS XML with the system manufacturer of /sys/class/dmi/id ('${dmi_vendor:-none}')" \
  eval "t=\$(txl sysinfo) && grep -qx \"<sysinfo type='smbios'>\" <<<\"\$t\" && { [ -z '$dmi_vendor' ] || grep -qF \"<entry name='manufacturer'>$dmi_vendor</entry>\" <<<\"\$t\"; }"
check "-o json sysinfo" json_is "j.type === 'smbios' && j.source === '/sys/class/dmi/id'" sysinfo

check "a missing domain: txl vcpucount refuses it in one line" eval "one_line txl vcpucount labtx94-none && grep -qx \"txl: error: no domain 'labtx94-none'\" '$WORK/94.err'"
xl destroy $G >/dev/null 2>&1
txl undefine $G >/dev/null 2>&1
rm -f "$WORK/tx94.img"
