# PVH guests through txl, the whole life of one, with xl list and txl list compared after
# every step. The lab kernel boots as PVH too; PVH needs HAP, which QEMU's TCG provides
# by emulating AMD SVM with nested paging. HAP also tracks dirty pages, so here migration
# is live, unlike for PV guests on Debian's Xen (no shadow paging). Guests "labtx8*".
txl list >/dev/null 2>&1 || { skip "the PVH checks" "txl list does not work here: $(txl list 2>&1 | tail -1)"; return 0; }
xl info | grep -q '^virt_caps *:.*\bhap\b' || { skip "the PVH checks" "no HAP on this host (xl info virt_caps)"; return 0; }

G=labtx8
# from a clean slate: suite.sh may run this group again (a guest triple-faulted under TCG)
for d in $G $G--incoming $G--migratedaway ${G}d; do xl destroy $d >/dev/null 2>&1; done
rm -f "$(console_log $G)" "$CONSOLE_DIR/guest-$G--incoming.log" "$(console_log ${G}d)"
# tsc_mode native: with an emulated TSC Xen traps the guest's RDTSCP, and QEMU's emulated SVM
# gives Xen no next-instruction pointer for it ("SVM Insn len emulation failed"): a lab-only
# limit, real SVM and VMX hardware report it.
PVH_CFG=('tsc_mode = "native"')
# One vCPU: for a freshly booted 2-vCPU PVH guest under TCG, xl list showed 1 vCPU online and
# txl list 2, for over a minute (both read libxl_dominfo.vcpu_online; not yet explained, see
# the session notes). vcpu-set is checked on PV guests (60).
GUEST_TYPE=pvh guest_cfg $G "$WORK/$G.cfg" "${PVH_CFG[@]}" 'maxmem = 192' 'on_reboot = "restart"'
col() { xl list "$1" | awk -v n="$1" -v c="$2" '$1 == n { print $c }'; }
col_is() { local v; v=$(col "$1" "$2"); [ "$v" = "$3" ] || { echo "xl list $1 column $2 is '$v', wanted '$3'"; return 1; }; }
is_pvh() { xl list -l "$1" | grep -q '"type": "pvh"' || { echo "xl list -l does not show $1 as PVH"; return 1; }; }
last_tick() { grep -o 'txl-guest: tick [0-9]*' "$(console_log "$1")" 2>/dev/null | tail -1 | awk '{print $3}'; }
counts_on() { local t; t=$(last_tick "$1"); [ "${t:-0}" -gt "$2" ] || { echo "guest $1 is at tick ${t:-none}, not past $2"; return 1; }; }
ups() { grep -c 'txl-guest: up' "$(console_log "$1")" 2>/dev/null || echo 0; }

# Created running, not paused: under TCG a PVH guest created paused and then unpaused took
# minutes to print its first tick (created running, about 90 s); create -p is covered for PV.
check "PVH: txl create, xl list shows $G as PVH, it boots; the lists agree" eval "txl create '$WORK/$G.cfg' && is_pvh $G && wait_for 240 console_has $G 'txl-guest: tick 2' && lists_agree" ||
  { skip "the rest of the PVH checks" "$G did not come up"; xl destroy $G >/dev/null 2>&1; return 0; }
check "PVH: txl pause; xl list shows it paused; the lists agree" eval "txl pause $G && state_is $G '^..p' && lists_agree"
check "PVH: txl unpause; it runs on; the lists agree" eval "t=\$(last_tick $G); txl unpause $G && state_is $G \"\$ALIVE\" && wait_for 60 counts_on $G \$t && lists_agree"
check "PVH: txl mem-set 96m; the guest balloons down (xl list); the lists agree" eval "txl mem-set $G 96m && wait_for 60 col_is $G 3 96 && lists_agree"

truncate -s 16M "$WORK/tx8-disk.img"
check "PVH: txl block-attach, xvdb reaches the guest" eval "txl block-attach $G 'format=raw,vdev=xvdb,access=rw,script=block,target=$WORK/tx8-disk.img' && wait_for 60 devices_match $G xvdb && xl block-list $G | awk 'NR > 1 { print \$1 }' | grep -qx 51728"
check "PVH: txl block-detach, xvdb leaves the guest and xl block-list" eval "txl block-detach $G xvdb && wait_for 60 eval '! devices_match $G xvdb >/dev/null' && [ -z \"\$(xl block-list $G | awk 'NR > 1')\" ]"
check "PVH: txl network-attach, eth0 reaches the guest" eval "nic_attach $G txl network-attach $G bridge=xenbr0 && wait_for 60 devices_match $G eth0 && [ -n \"\$(xl network-list $G | awk 'NR > 1')\" ]"
check "PVH: txl network-detach, eth0 leaves the guest" eval "txl network-detach $G 0 && wait_for 60 eval '! devices_match $G eth0 >/dev/null' && [ -z \"\$(xl network-list $G | awk 'NR > 1')\" ] && lists_agree"

S=$WORK/$G.save
t=$(last_tick $G)
check "PVH: txl save, $G is gone and the file is xl's format" eval "txl save $G '$S' && wait_for 30 xl_gone $G && [ \"\$(head -c 27 '$S')\" = 'Xen saved domain, xl format' ] && lists_agree"
check "PVH: txl restore, $G counts on from tick $t, no second boot" eval "txl restore '$S' && wait_for 90 counts_on $G $t && [ \$(ups $G) = 1 ] && is_pvh $G && lists_agree"
rm -f "$S"

# live migration to localhost, xl and txl at either end
moved_on() { # NAME OLD_DOMID TICK
  local id
  id=$(col "$1" 2)
  [ -n "$id" ] && [ "$id" != "$2" ] || { echo "$1 has domid '$id', was $2"; return 1; }
  ! xl_has "$1--incoming" && ! xl_has "$1--migratedaway" || { echo "a --incoming or --migratedaway domain is left"; return 1; }
  [ "$(max_tick "$1")" -gt "$3" ] || { echo "$1 is at tick $(max_tick "$1"), not past $3"; return 1; }
}
# What a failed migration leaves to read: txl's monitor log and the hypervisor's last words.
why_not() { echo '-- txl monitor log'; tail -20 "/var/log/xen/txl-$G.log" 2>/dev/null; echo '-- xl dmesg'; xl dmesg | tail -12; }
migrates() { # HOW
  local id t log=$WORK/$G.migrate.log
  id=$(col $G 2)
  t=$(max_tick $G)
  eval "$(migrate_cmd "$1" $G)" >"$log" 2>&1 && ! grep -q 'non-live' "$log" && wait_for 90 moved_on $G "$id" "$t" && lists_agree ||
    { cat "$log"; why_not; false; }
}
for how in "xl to txl" "txl to txl" "txl to xl"; do
  check "PVH: live migration to localhost, $how: $G moves and counts on" migrates "$how" || break
done

# the monitor: txl create starts one (not with -e); the guest last came in through xl migrate-receive, so start afresh
xl destroy $G >/dev/null 2>&1
wait_for 30 xl_gone $G >/dev/null
check "PVH: txl create with its monitor; $G boots" eval "txl create '$WORK/$G.cfg' && wait_for 240 console_has $G 'txl-guest: tick 1' && lists_agree"
id=$(col $G 2)
u=$(ups $G)
check "PVH: txl reboot, the monitor restarts $G with a new domid, it boots again; the lists agree" eval "txl reboot $G && wait_for 120 eval '[ -n \"\$(col $G 2)\" ] && [ \"\$(col $G 2)\" != $id ]' && wait_for 200 eval '[ \$(ups $G) -gt $u ]' && lists_agree"
check "PVH: txl shutdown, $G powers off and is gone; the lists agree" eval "txl shutdown $G && wait_for 90 xl_gone $G && lists_agree"
GUEST_TYPE=pvh guest_cfg ${G}d "$WORK/${G}d.cfg" "${PVH_CFG[@]}"
check "PVH: txl destroy of a running ${G}d; the lists agree" eval "txl create '$WORK/${G}d.cfg' && wait_for 240 console_has ${G}d 'txl-guest: tick 1' && txl destroy ${G}d && wait_for 30 xl_gone ${G}d && lists_agree"
xl destroy $G >/dev/null 2>&1
xl destroy ${G}d >/dev/null 2>&1
