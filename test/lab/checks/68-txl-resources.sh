# vcpu-pin in the cpu-list forms xl takes, on this host whatever its size (the lab's has
# 2 CPUs, where `txl vcpu-pin G 0 all` once failed), read back with xl vcpu-list; then a
# guest brought back by txl restore or received by txl migrate-receive gets txl's monitor
# (it restarts on reboot), and none with restore -e. One PV guest, "labtx68", 2 vCPUs. Needs txl create (60-txl-xen.sh).
txl list >/dev/null 2>&1 || { skip "the vcpu-pin and restore checks" "txl list does not work here: $(txl list 2>&1 | tail -1)"; return 0; }

G=labtx68
S=$WORK/$G.save
# an earlier run may have left the guest (its monitor ends with it) and the image
xl destroy $G >/dev/null 2>&1
rm -f "$S"

MAXID=$(xl info | awk -F': *' '/^max_cpu_id/ { print $2 }')
[ -n "$MAXID" ] && [ "$MAXID" -ge 1 ] || { skip "the vcpu-pin and restore checks" "the host needs 2 CPUs or more (max_cpu_id '${MAXID:-?}')"; return 0; }
# how xl prints CPUs 0-1 and 1-MAXID on this host
if [ "$MAXID" = 1 ]; then FIRST_TWO=all UPPER=1; else FIRST_TWO=0-1 UPPER=1-$MAXID; fi
# beyond the host, still inside libxl's bitmap when the host has up to 4 CPUs: Xen's own EINVAL
BEYOND=$((MAXID + 4))

# "HARD / SOFT" of one vCPU as xl vcpu-list prints it
aff() { xl vcpu-list "$1" | awk -v n="$1" -v v="$2" '$1 == n && $3 == v { print $7 " / " $9 }'; }
aff_is() { # NAME VCPU "HARD / SOFT"
  local a
  a=$(aff "$1" "$2")
  [ "$a" = "$3" ] || { echo "xl vcpu-list: vCPU $2 of $1 is '$a', wanted '$3'"; return 1; }
}
pin_then() { # NAME VCPU "HARD / SOFT" ARGS...: txl vcpu-pin NAME ARGS, then xl shows it
  local g=$1 v=$2 want=$3
  shift 3
  txl vcpu-pin "$g" "$@" && aff_is "$g" "$v" "$want"
}
# CMD...: exit 1, nothing on stdout, one line "txl: error: ..." on stderr
one_line_refusal() {
  local rc
  "$@" >"$WORK/68.out" 2>"$WORK/68.err"
  rc=$?
  [ $rc = 1 ] || { echo "exit $rc, wanted 1: $(head -3 "$WORK/68.err")"; return 1; }
  [ ! -s "$WORK/68.out" ] && [ "$(wc -l <"$WORK/68.err")" = 1 ] && grep -q '^txl: error: ' "$WORK/68.err" ||
    { echo "not one error line:"; cat "$WORK/68.out" "$WORK/68.err"; return 1; }
}
xl_exit_is() { # CODE CMD...
  local want=$1 rc
  shift
  "$@" >/dev/null 2>&1
  rc=$?
  [ $rc = "$want" ] || { echo "$*: exit $rc, wanted $want"; return 1; }
}

guest_cfg $G "$WORK/$G.cfg" 'vcpus = 2' 'on_reboot = "restart"'
check "txl create: $G (2 vCPUs) boots" eval "txl create '$WORK/$G.cfg' >'$WORK/$G.create.log' 2>&1 && wait_for 90 console_has $G 'txl-guest: tick 1'" ||
  { skip "the rest of the vcpu-pin and restore checks" "$G did not start: $(tail -1 "$WORK/$G.create.log")"; xl destroy $G >/dev/null 2>&1; return 0; }

# --- vcpu-pin ------------------------------------------------------------------
check "txl vcpu-pin $G 0 all: xl vcpu-list shows 'all' (after a pin to CPU 0)" eval "pin_then $G 0 '0 / all' 0 0 && pin_then $G 0 'all / all' 0 all"
check "txl vcpu-pin $G all 0: both vCPUs on CPU 0" eval "pin_then $G 0 '0 / all' all 0 && aff_is $G 1 '0 / all'"
check "txl vcpu-pin $G 0 - 0: soft affinity CPU 0, hard left as it was" eval "pin_then $G 0 '0 / 0' 0 - 0"
check "txl vcpu-pin $G 0 0-1: xl shows '$FIRST_TWO'" eval "pin_then $G 0 '1 / 0' 0 1 && pin_then $G 0 '$FIRST_TWO / 0' 0 0-1"
check "txl vcpu-pin $G 1 all,^0: '^' takes CPU 0 out ('$UPPER')" pin_then $G 1 "$UPPER / all" 1 'all,^0'
NODE0=$(xl -N vcpu-pin $G 0 nodes:0 | sed -n 's/^cpumap: //p')
check "txl vcpu-pin $G 0 nodes:0 all: node 0's CPUs ('${NODE0:-?}', as xl -N says), 'all' for soft" eval "pin_then $G 0 '0 / all' 0 0 all && pin_then $G 0 '${NODE0:-?} / all' 0 nodes:0 all"
check "txl vcpu-pin -f $G 1 0: --force, as xl's" pin_then $G 1 "0 / all" -f 1 0
check "txl vcpu-pin $G 0 $BEYOND: refused in one line, exit 1" eval "one_line_refusal txl vcpu-pin $G 0 $BEYOND && grep -q 'CPU $BEYOND: the host has CPUs 0-$MAXID' '$WORK/68.err'"
check "xl vcpu-pin $G 0 $BEYOND: xl refuses it too, exit 1; vCPU 0 unchanged" eval "xl_exit_is 1 xl vcpu-pin $G 0 $BEYOND && aff_is $G 0 '${NODE0:-?} / all'"
check "txl vcpu-pin $G 0 - $BEYOND: soft beyond the host is taken with libxl's warning; xl shows 'none'" eval "txl vcpu-pin $G 0 - $BEYOND 2>'$WORK/68.err' && grep -q 'txl: warning: all CPUs in the soft affinity' '$WORK/68.err' && aff_is $G 0 '${NODE0:-?} / none'"
check "txl -N vcpu-pin prints what xl -N prints" eval "[ \"\$(txl -N vcpu-pin $G 0 all ^1)\" = \"\$(xl -N vcpu-pin $G 0 all ^1)\" ] || { xl -N vcpu-pin $G 0 all ^1; txl -N vcpu-pin $G 0 all ^1; false; }"
json_agrees() {
  local ours theirs
  ours=$(txl -o json vcpu-list $G | node -e '
    const rows = JSON.parse(require("fs").readFileSync(0, "utf8"));
    for (const r of rows) console.log(r.vcpuid, r.affinity + " / " + r.affinity_soft, Array.isArray(r.cpumap));') || { echo "txl -o json vcpu-list $G does not parse"; return 1; }
  theirs=$(xl vcpu-list $G | awk -v n=$G '$1 == n { print $3, $7 " / " $9, "true" }')
  [ -n "$ours" ] && [ "$ours" = "$theirs" ] || { echo "txl JSON: $ours"; echo "xl: $theirs"; return 1; }
}
check "txl -o json vcpu-list $G parses and agrees with xl vcpu-list" json_agrees

# --- restore: the monitor --------------------------------------------------------
domid_of() { xl domid "$1" 2>/dev/null; }
monitor_of() { pgrep -f "txl domain-monitor $1\$" >/dev/null; } # DOMID
has_monitor() { wait_for 10 monitor_of "$1" >/dev/null || { echo "no txl domain-monitor for domid $1:"; pgrep -af domain-monitor; return 1; }; }
no_monitor() { ! monitor_of "$1" || { echo "a monitor runs for domid $1:"; pgrep -af "domain-monitor $1"; return 1; }; }
restarted() { # NAME OLD_DOMID
  local id
  id=$(domid_of "$1")
  [ -n "$id" ] && [ "$id" != "$2" ] || { echo "$1 has domid '${id:-none}' (was $2)"; return 1; }
  state_is "$1" '^-?[rb]' >/dev/null
}
saved() { txl save $G "$S" && wait_for 30 xl_gone $G; }

check "txl save + txl restore: $G is back, with a monitor for its new domid" eval "saved && txl restore '$S' && has_monitor \$(domid_of $G)"
rm -f "$S"
id=$(domid_of $G)
# at once, as a user would: the reboot may come before the monitor watches
check "txl reboot of the restored $G: its monitor restarts it with a new domid (xl list)" eval "txl reboot $G && wait_for 120 restarted $G ${id:-none}"
check "the monitor's log says it restarted $G (on_reboot = restart)" eval "wait_for 20 grep -q 'Domain $G restarted as domid' /var/log/xen/txl-$G.log || { tail -5 /var/log/xen/txl-$G.log; false; }"
ups() { grep -c 'txl-guest: up' "$(console_log "$1")" 2>/dev/null || echo 0; }
booted_again() { # NAME BOOTS: that many boots in its console log, ticking since the last
  [ "$(ups "$1")" -ge "$2" ] && awk '/txl-guest: up/ { n = 0 } /txl-guest: tick/ { n++ } END { exit !(n >= 1) }' "$(console_log "$1")" ||
    { echo "$1: $(ups "$1") boots in its console log, wanted $2"; return 1; }
}
# restore added no boot: the second is the restart
check "the restarted $G boots again" wait_for 90 booted_again $G 2

# --- migrate-receive: the monitor ------------------------------------------------
# this Xen has no shadow paging for a PV guest's log-dirty: txl migrates it non-live
moved_here() { # NAME LOG
  xl_has "$1" && ! xl_has "$1--incoming" && ! xl_has "$1--migratedaway" || { xl list; tail -3 "$2"; return 1; }
}
check "txl migrate to localhost: $G is received by txl migrate-receive, with a monitor for its new domid" \
  eval "$(migrate_cmd 'txl to txl' $G) >'$WORK/$G.migrate.log' 2>&1 && moved_here $G '$WORK/$G.migrate.log' && has_monitor \$(domid_of $G)"
id=$(domid_of $G)
check "txl reboot of the received $G: the receiver's monitor restarts it with a new domid" \
  eval "txl reboot $G && wait_for 120 restarted $G ${id:-none} && wait_for 20 grep -q 'restarted as domid' /var/log/xen/txl-$G--incoming.log"
# the received guest wrote to the console log of $G--incoming: this is the third boot in that of $G
check "the restarted $G boots again, a third time" wait_for 90 booted_again $G 3
check "txl restore -e: $G is back without a monitor" eval "saved && txl restore -e '$S' && no_monitor \$(domid_of $G) && sleep 3 && no_monitor \$(domid_of $G)"
rm -f "$S"
id=$(domid_of $G)
stays_down() { # NAME DOMID: shut down, and still the same domain a while later
  wait_for 60 state_is "$1" '^---s' >/dev/null || { state_is "$1" '^---s'; return 1; }
  sleep 5
  [ "$(domid_of "$1")" = "$2" ] && state_is "$1" '^---s'
}
check "txl reboot of $G restored with -e: left shut down, as xl restore -e leaves it" eval "txl reboot $G && stays_down $G ${id:-none}"
check "txl destroy: $G gone" eval "txl destroy $G && wait_for 30 xl_gone $G"
xl destroy $G >/dev/null 2>&1
rm -f "$S"
