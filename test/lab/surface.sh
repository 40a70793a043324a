# The whole command surface on one live guest of a type: sourced by checks/90-txl-surface-pv.sh
# and checks/91-txl-surface-pvh.sh (not a group itself: it lives outside checks/). Every
# command of `txl help` that acts on a domain runs here, in text and in -o json (parsed),
# with xl as the witness wherever xl has the command. test/lab-coverage.test.ts fails when a
# command of the table runs in no lab check.

# same_rc "XL ARGS" "TXL ARGS": xl and txl both succeed or both fail; a txl failure is one
# `txl: error:` line (and at most a hint), never a stack trace.
same_rc() {
  local xr tr
  eval "xl $1" >"$WORK/same.xl" 2>&1
  xr=$?
  eval "txl $2" >"$WORK/same.txl" 2>&1
  tr=$?
  if [ $xr -eq 0 ] && [ $tr -eq 0 ]; then return 0; fi
  if [ $xr -ne 0 ] && [ $tr -ne 0 ]; then
    grep -q '^txl: error: ' "$WORK/same.txl" || { cat "$WORK/same.txl"; echo "txl failed without a 'txl: error:' line"; return 1; }
    ! grep -qE '^\s+at |internal error|not supported' "$WORK/same.txl" || { cat "$WORK/same.txl"; echo "txl's error is not a plain one-line error"; return 1; }
    # one error line; a hint may follow, indented (libxl's own lines under it)
    [ "$(grep -cv '^ ' "$WORK/same.txl")" -le 1 ] || { cat "$WORK/same.txl"; echo "txl's error is more than one line"; return 1; }
    return 0
  fi
  tail -3 "$WORK/same.xl" "$WORK/same.txl"
  echo "xl $1 exited $xr, txl $2 exited $tr"
  return 1
}

# json_is 'JS EXPR' TXL ARGS...: `txl -o json ARGS` parses, and EXPR (over j) is true.
json_is() {
  local expr=$1
  shift
  txl -o json "$@" >"$WORK/j.json" 2>"$WORK/j.err" || { cat "$WORK/j.err"; echo "txl -o json $* failed"; return 1; }
  json_file_is "$WORK/j.json" "$expr"
}

# eq WHAT A B: A = B, else says what differs.
eq() { [ "$2" = "$3" ] || { echo "$1: '$2' != '$3'"; return 1; }; }
xl_id() { xl domid "$1" 2>/dev/null; }
xl_uuid() { xl list -l "$1" | grep -o '"uuid": "[^"]*"' | head -1 | cut -d'"' -f4; }
xl_col() { xl list "$1" | awk -v n="$1" -v c="$2" '$1 == n { print $c }'; }
field_of() { awk -F': *' -v k="$2" '$1 == k { print $2 }' <<<"$1"; } # TEXT KEY ("Key:   value")

# surface_domain TYPE G CFG: every per-domain command on guest G (not yet running), started
# from its managed config; leaves G destroyed and undefined.
surface_domain() {
  local T=$1 G=$2 CFG=$3
  xl destroy "$G" >/dev/null 2>&1
  txl undefine "$G" >/dev/null 2>&1
  rm -f "$(console_log "$G")"

  # --- managed: define, list --all, start, edit ---
  check "$T: txl define stores $G; list --all shows it shut off, xl knows nothing of it" eval "txl define '$CFG' && txl list --all | awk '\$1 == \"$G\" { print \$2 }' | grep -qx -- - && xl_gone $G"
  check "$T: -o json list --all has $G without a domid" json_is "j.some((d) => d.name === '$G' && (d.domid === null || d.domid === undefined))" list --all
  check "$T: txl start $G; xl list shows it and it boots" eval "txl start $G && xl_has $G && wait_for 240 console_has $G 'txl-guest: tick 1'" ||
    { skip "$T: the rest of the command surface" "$G did not start"; xl destroy "$G" >/dev/null 2>&1; txl undefine "$G" >/dev/null 2>&1; return 0; }
  local id
  id=$(xl_id "$G")
  # the stored config changes, the live domain does not: the restart at the end shows the 144
  check "$T: txl edit --as xl (EDITOR) of $G's stored config; the live domain keeps its memory" eval "EDITOR='sed -i s/^memory.*/memory=144/' txl edit $G --as xl </dev/null && [ \"\$(xl_col $G 3)\" -le 128 ]"

  # Paused from here to the resume below: the commands that only read work on a paused guest,
  # and a paused guest leaves dom0 the CPU (under TCG each txl run costs seconds).
  check "$T: txl suspend (alias of pause): xl shows it paused; domstate says paused" eval "txl suspend $G && state_is $G '^..p' && eq domstate \"\$(txl domstate $G)\" paused"
  # --- naming and state: xl as the witness ---
  check "$T: txl domid = xl domid" eval "eq domid \"\$(txl domid $G)\" \"$id\""
  check "$T: txl domname = xl domname" eval "eq domname \"\$(txl domname $id)\" \"\$(xl domname $id)\""
  check "$T: txl domuuid = the uuid of xl list -l" eval "eq uuid \"\$(txl domuuid $G)\" \"\$(xl_uuid $G)\""
  check "$T: -o json domid, domname, domuuid" eval "json_is 'j.domid === $id' domid $G && json_is \"j.name === '$G'\" domname $id && json_is \"j.uuid === '\$(xl_uuid $G)'\" domuuid $G"
  check "$T: txl dominfo: id, name, uuid as xl has them; persistent" eval "t=\$(txl dominfo $G) && eq Id \"\$(field_of \"\$t\" Id)\" $id && eq Name \"\$(field_of \"\$t\" Name)\" $G && eq UUID \"\$(field_of \"\$t\" UUID)\" \"\$(xl_uuid $G)\" && eq Persistent \"\$(field_of \"\$t\" Persistent)\" yes"
  check "$T: -o json dominfo" json_is "j.id === $id && j.name === '$G'" dominfo "$G"
  check "$T: -o json domstate: paused" json_is "j.state === 'paused'" domstate "$G"
  check "$T: txl uptime: the name and id xl uptime shows" eval "eq uptime \"\$(txl uptime $G | awk 'NR > 1 { print \$1, \$2 }')\" \"\$(xl uptime $G | awk 'NR > 1 { print \$1, \$2 }')\""
  check "$T: -o json uptime" json_is "JSON.stringify(j).includes('\"$G\"')" uptime "$G"
  check "$T: txl li (alias of list): the row xl list shows" eval "eq row \"\$(txl li $G | awk 'NR > 1 { print \$1, \$2, \$3 }')\" \"\$(xl list $G | awk 'NR > 1 { print \$1, \$2, \$3 }')\""
  check "$T: -o json list" json_is "j.some((d) => d.name === '$G' && d.domid === $id)" list

  # --- watching: top, domstats ---
  check "$T: txl top -b -i 1 shows $G with xl's memory" eval "txl top -b -i 1 | awk -v n=$G '\$1 == n' | grep -q ."
  check "$T: -o json top" json_is "JSON.stringify(j).includes('\"$G\"')" top -b -i 1
  check "$T: txl domstats $G: current memory as xl list has it" eval "m=\$(txl domstats $G | awk -F= '/balloon.current=/ { print \$2 }') && eq 'balloon.current (MiB)' \"\$((m / 1024))\" \"\$(xl_col $G 3)\""
  check "$T: -o json domstats" json_is "JSON.stringify(j).includes('$G')" domstats "$G"

  # --- resources ---
  check "$T: txl vcpu-pin $G 0 all: xl vcpu-list shows all" eval "txl vcpu-pin $G 0 all && xl vcpu-list $G | awk -v n=$G '\$1 == n && \$3 == 0 { print \$7 }' | grep -qx all"
  check "$T: -o json vcpu-list" json_is "JSON.stringify(j).includes('vcpuid')" vcpu-list "$G"
  check "$T: txl mem-max 256m: xenstore static-max follows" eval "txl mem-max $G 256m && [ \"\$(xenstore-read /local/domain/$id/memory/static-max)\" = 262144 ]"
  check "$T: txl sched-credit2 -d $G: the weight xl shows" eval "eq weight \"\$(txl sched-credit2 -d $G | awk -v n=$G '\$1 == n { print \$3 }')\" \"\$(xl sched-credit2 -d $G | awk -v n=$G '\$1 == n { print \$3 }')\""
  check "$T: -o json sched-credit2" json_is "JSON.stringify(j).includes('weight')" sched-credit2 -d "$G"
  check "$T: txl sched-credit -d $G: as xl on this host" same_rc "sched-credit -d $G" "sched-credit -d $G"

  # --- config views: xl reads what txl prints ---
  check "$T: txl config: xl -N create accepts it, same name and memory" eval "txl config $G >'$WORK/$G.live.cfg' && xl -N create '$WORK/$G.live.cfg' >'$WORK/$G.live.json' 2>&1 && grep -q '\"name\": \"$G\"' '$WORK/$G.live.json'"
  check "$T: txl config --as json: libxl JSON with $G's uuid" eval "txl config $G --as json | grep -q \"\$(xl_uuid $G)\""
  check "$T: -o json config" json_is "JSON.stringify(j).includes('$G')" config "$G"
  check "$T: txl dumpxml: name, id and uuid as xl has them" eval "x=\$(txl dumpxml $G) && grep -q \"<domain type='xen' id='$id'>\" <<<\"\$x\" && grep -q '<name>$G</name>' <<<\"\$x\" && grep -q \"<uuid>\$(xl_uuid $G)</uuid>\" <<<\"\$x\""
  check "$T: -o json dumpxml" json_is "JSON.stringify(j).includes('<name>$G</name>')" dumpxml "$G"
  check "$T: txl resume (alias of unpause): running again; domstate says running" eval "txl resume $G && state_is $G \"\$ALIVE\" && eq domstate \"\$(txl domstate $G)\" running"
  check "$T: txl domrename (alias of rename) and back: xl follows; the managed config follows" eval "txl domrename $G ${G}x && xl_has ${G}x && txl list --all | grep -q '^${G}x ' && txl rename ${G}x $G && xl_has $G"

  # --- events: xl acts, txl watches ---
  watch_pause() {
    txl events --count 2 --timeout 90 "$G" >"$WORK/ev.$G" 2>&1 &
    local p=$!
    sleep 4
    xl pause "$G" && sleep 2 && xl unpause "$G"
    wait $p || { cat "$WORK/ev.$G"; echo "txl events failed"; return 1; }
    grep -q " pause $G $id" "$WORK/ev.$G" && grep -q " unpause $G $id" "$WORK/ev.$G" || { cat "$WORK/ev.$G"; echo "no pause and unpause events of $G"; return 1; }
  }
  check "$T: txl events sees xl pause and xl unpause of $G" watch_pause
  check "$T: -o json events (alias event): one object per line" eval "(txl -o json event --count 1 --timeout 90 $G >'$WORK/ev.json' &) ; sleep 4; xl pause $G; sleep 3; xl unpause $G; wait_for 30 eval \"[ -s '$WORK/ev.json' ]\" && node -e 'const o = JSON.parse(require(\"fs\").readFileSync(process.argv[1], \"utf8\").trim()); if (o.name !== process.argv[2]) process.exit(1)' '$WORK/ev.json' $G"

  # --- devices, virsh style ---
  truncate -s 8M "$WORK/$G-ad.img"
  check "$T: txl attach-disk: xl block-list shows xvdc (51744)" eval "txl attach-disk $G '$WORK/$G-ad.img' xvdc && wait_for 30 eval \"xl block-list $G | awk 'NR > 1 { print \\\$1 }' | grep -qx 51744\""
  check "$T: txl domblklist: xvdc and its file" eval "txl domblklist $G | grep -qE '^ *xvdc +$WORK/$G-ad.img'"
  check "$T: -o json domblklist" json_is "JSON.stringify(j).includes('xvdc')" domblklist "$G"
  check "$T: -o json block-list" json_is "JSON.stringify(j).includes('51744')" block-list "$G"
  check "$T: txl detach-disk: xvdc leaves xl block-list" eval "txl detach-disk $G xvdc && wait_for 60 eval \"! xl block-list $G | awk 'NR > 1 { print \\\$1 }' | grep -qx 51744\""
  check "$T: txl attach-interface: xl network-list shows a NIC" eval "nic_attach $G txl attach-interface $G bridge xenbr0 && wait_for 30 eval \"[ -n \\\"\\\$(xl network-list $G | awk 'NR > 1')\\\" ]\""
  mac_of_xl() { xl network-list "$G" | awk 'NR > 1 { print $3; exit }'; }
  check "$T: txl domiflist: the MAC xl network-list shows" eval "txl domiflist $G | grep -qi \"\$(mac_of_xl)\""
  check "$T: -o json domiflist" json_is "JSON.stringify(j).toLowerCase().includes('$(mac_of_xl | tr A-F a-f)')" domiflist "$G"
  check "$T: -o json network-list" json_is "Array.isArray(j) && j.length === 1" network-list "$G"
  check "$T: txl detach-interface --mac: the NIC leaves xl network-list" eval "txl detach-interface $G bridge --mac \"\$(mac_of_xl)\" && wait_for 60 eval \"[ -z \\\"\\\$(xl network-list $G | awk 'NR > 1')\\\" ]\""
  check "$T: txl channel-list: the rows xl channel-list shows (none)" eval "eq rows \"\$(txl channel-list $G | awk 'NR > 1')\" \"\$(xl channel-list $G | awk 'NR > 1')\""
  check "$T: -o json channel-list" json_is "Array.isArray(j) || typeof j === 'object'" channel-list "$G"
  check "$T: txl vtpm-list: the rows xl vtpm-list shows (none)" eval "eq rows \"\$(txl vtpm-list $G | awk 'NR > 1')\" \"\$(xl vtpm-list $G | awk 'NR > 1')\""
  check "$T: -o json vtpm-list" json_is "Array.isArray(j) || typeof j === 'object'" vtpm-list "$G"
  check "$T: txl pci-list: the rows xl pci-list shows (none)" eval "eq rows \"\$(txl pci-list $G | awk 'NR > 1')\" \"\$(xl pci-list $G | awk 'NR > 1')\""
  check "$T: -o json pci-list" json_is "Array.isArray(j) || typeof j === 'object'" pci-list "$G"
  # no PCI device is assignable in the lab: both refuse, txl in one line
  check "$T: txl pci-attach of a device not assignable: refused as xl refuses it" same_rc "pci-attach $G 0000:00:01.0" "pci-attach $G 0000:00:01.0"
  check "$T: txl pci-detach of a device not attached: refused as xl refuses it" same_rc "pci-detach $G 0000:00:01.0" "pci-detach $G 0000:00:01.0"
  # cd-insert/cd-eject need an emulated (HVM) drive: PV and PVH guests have none
  check "$T: txl cd-insert on a $T guest: refused as xl refuses it" same_rc "cd-insert $G xvdd '$WORK/$G-ad.img'" "cd-insert $G xvdd '$WORK/$G-ad.img'"
  check "$T: txl cd-eject on a $T guest: refused as xl refuses it" same_rc "cd-eject $G xvdd" "cd-eject $G xvdd"

  check "$T: txl console --log $G: the guest's console log" eval "txl console --log $G | grep -q 'txl-guest: tick'"

  # --- the end: a restart from the edited config, undefine ---
  check "$T: txl destroy, txl start again: xl list shows the edited memory (144)" eval "txl destroy $G && wait_for 30 xl_gone $G && txl start $G && wait_for 30 eval '[ \"\$(xl_col $G 3)\" = 144 ]'"
  check "$T: txl undefine: dominfo says not persistent, the running domain stays" eval "txl undefine $G && eq Persistent \"\$(field_of \"\$(txl dominfo $G)\" Persistent)\" no && xl_has $G"
  xl destroy "$G" >/dev/null 2>&1
  wait_for 30 xl_gone "$G" >/dev/null
}
