# Watching real Xen: `txl events` as the observer of what xl (and txl) do to a guest, and
# domstats and top reading the guest's vif and blkback counters, compared with xl list and
# dom0's sysfs; `txl create -F` ends when the guest's shutdown ends it. One guest does all
# but the last check. Guests "labtx65*".
txl list >/dev/null 2>&1 || { skip "the watching checks" "txl list does not work here: $(txl list 2>&1 | tail -1)"; return 0; }
for d in $(xl list 2>/dev/null | awk 'NR > 1 && $1 ~ /^labtx65/ { print $1 }'); do xl destroy "$d" >/dev/null 2>&1; done
# old console logs would show ticks before the new guests boot
rm -f "$CONSOLE_DIR"/guest-labtx65*.log

G=labtx65
truncate -s 16M "$WORK/tx65-a.img" "$WORK/tx65-b.img"
guest_cfg $G "$WORK/$G.cfg" "disk = [ 'format=raw,vdev=xvda,access=rw,script=block,target=$WORK/tx65-a.img' ]" "vif = [ 'bridge=xenbr0' ]"
EV=$WORK/tx65.events
# an event line: "TIME TYPE NAME DOMID [details]"
seen() { # TYPE NAME [REGEX for the details]
  grep -qE "^[0-9T:.-]+Z $1 $2 [0-9]+${3:+ $3}\$" "$EV" || { echo "no '$1 $2${3:+ $3}' event in $EV"; return 1; }
}
# within 30 s; if not, the last events and why
saw() { wait_for 30 seen "$@" >/dev/null || { tail -5 "$EV"; seen "$@"; }; }
listening() { grep -q 'listening for events' "$1" || { echo "txl events has not started: $(tail -1 "$1")"; return 1; }; }
domid() { xl domid "$1" 2>/dev/null; }

# OUT ARGS...: txl in the background, its own process (so that a signal reaches txl itself):
# OUT.pid is its pid, OUT.rc its exit status once it has ended
bg_txl() {
  local out=$1
  shift
  rm -f "$out.pid" "$out.rc"
  (node "$PROJECT/bin/txl" --connect xen:///system "$@" >"$out" 2>"$out.err" & echo $! >"$out.pid"; wait $!; echo $? >"$out.rc") &
}
ended() { [ -s "$1.rc" ] || { echo "$1: txl has not ended"; return 1; }; }

# --- the observer: everything below until the guest's shutdown ---------------------
bg_txl "$EV" -v events --timeout 900
stop_watch() { kill -TERM "$(cat "$EV.pid")" 2>/dev/null; }
check "txl events starts watching" wait_for 120 listening "$EV.err" || { stop_watch; return 0; }

# --- xl acts, txl watches --------------------------------------------------------
check "xl create: txl events sees the create of $G" eval "xl create '$WORK/$G.cfg' >/dev/null && saw create $G" || { skip "the rest of the watching checks" "$G was not created"; stop_watch; xl destroy $G >/dev/null 2>&1; return 0; }
wait_for 90 console_has $G 'txl-guest: tick 1' >/dev/null
check "xl pause / unpause: seen as pause and unpause" eval "xl pause $G && saw pause $G && xl unpause $G && saw unpause $G"
check "xl rename: seen as a rename, with the old name" eval "xl rename $G ${G}x && saw rename ${G}x \"from '$G'\" && xl rename ${G}x $G && saw rename $G \"from '${G}x'\""
check "xl block-attach / block-detach: device-attach and device-detach of disk xvdb" \
  eval "xl block-attach $G 'format=raw,vdev=xvdb,access=rw,script=block,target=$WORK/tx65-b.img' && saw device-attach $G 'disk xvdb' && xl block-detach $G xvdb && saw device-detach $G 'disk xvdb'"

# --- txl acts, txl watches -------------------------------------------------------
mac=00:16:3e:65:00:01
check "txl network-attach / network-detach: device-attach and device-detach of nic $mac" \
  eval "txl network-attach $G bridge=xenbr0 mac=$mac && saw device-attach $G 'nic $mac' && txl network-detach $G $mac && saw device-detach $G 'nic $mac'"
json_events() {
  local out=$WORK/tx65.json
  bg_txl "$out" -v -o json events --count 3 --timeout 300 $G
  wait_for 120 listening "$out.err" || return 1
  txl pause $G && txl unpause $G && txl rename $G ${G}j || return 1
  wait_for 60 ended "$out" || return 1
  txl rename ${G}j $G
  [ "$(cat "$out.rc")" = 0 ] || { cat "$out.err"; echo "txl -o json events exited $(cat "$out.rc")"; return 1; }
  node -e '
    const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n");
    const evs = lines.map((l) => JSON.parse(l));
    const got = evs.map((e) => e.type).join(" ");
    if (got !== "pause unpause rename") { console.log(lines.join("\n")); console.log("events were: " + got); process.exit(1); }
    const id = Number(process.argv[2]);
    if (!evs.every((e) => e.domid === id && typeof e.seq === "number" && typeof e.time === "number" && e.uuid)) { console.log("an event lacks domid " + id + ", seq, time or uuid"); process.exit(1); }
    if (evs[2].name !== process.argv[3] + "j" || evs[2].detail !== "from '\''" + process.argv[3] + "'\''") { console.log("rename event: " + lines[2]); process.exit(1); }
  ' "$out" "$(domid $G)" $G
}
check "txl -o json events --count 3: txl pause, unpause, rename as 3 JSON lines, then exit 0" json_events

# --- domstats and top, against xl list and dom0's counters -------------------------
sysfs() { cat "$1" 2>/dev/null || echo "?"; }
vbd_stat() { sysfs "/sys/bus/xen-backend/devices/vbd-$(domid $G)-51712/statistics/$1"; }
vif_stat() { sysfs "/sys/class/net/vif$(domid $G).0/statistics/$1"; }
xl_mem() { xl list $G | awk -v n=$G '$1 == n { print $3 }'; }
stats_text() {
  local f=$WORK/tx65.stats
  txl domstats $G >"$f" || return 1
  v() { awk -F= -v k="  $1" '$1 == k { print $2 }' "$f"; }
  [ $(($(v balloon.current) / 1024)) = "$(xl_mem)" ] || { cat "$f"; echo "balloon.current $(v balloon.current) KiB, xl list says $(xl_mem) MiB"; return 1; }
  [ "$(v block.count)" = 1 ] && [ "$(v block.0.name)" = xvda ] || { cat "$f"; echo "block.count/name: not 1 xvda"; return 1; }
  [ "$(v block.0.rd.reqs)" = "$(vbd_stat rd_req)" ] && [ "$(v block.0.rd.reqs)" -gt 0 ] || { echo "block.0.rd.reqs $(v block.0.rd.reqs), sysfs rd_req $(vbd_stat rd_req)"; return 1; }
  [ "$(v block.0.rd.bytes)" = $(($(vbd_stat rd_sect) * 512)) ] || { echo "block.0.rd.bytes $(v block.0.rd.bytes), sysfs rd_sect $(vbd_stat rd_sect)"; return 1; }
  [ "$(v net.count)" = 1 ] && [ "$(v net.0.name)" = "vif$(domid $G).0" ] || { cat "$f"; echo "net.count/name: not 1 vif$(domid $G).0"; return 1; }
  # the guest's rx is what dom0's vif transmitted
  [ "$(v net.0.rx.bytes)" = "$(vif_stat tx_bytes)" ] && [ "$(v net.0.tx.bytes)" = "$(vif_stat rx_bytes)" ] || { echo "net.0 rx/tx $(v net.0.rx.bytes)/$(v net.0.tx.bytes), sysfs tx/rx $(vif_stat tx_bytes)/$(vif_stat rx_bytes)"; return 1; }
}
check "txl domstats $G: memory as xl list, block.0 (xvda) and net.0 (vif) counters as dom0's sysfs" wait_for 20 stats_text
stats_json() {
  txl -o json domstats $G >"$WORK/tx65.stats.json" || return 1
  node -e '
    const [s] = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const [, mem, rd, tx] = process.argv.slice(1);
    const bad = [];
    if (Math.floor(s.memory.actual_kb / 1024) !== Number(mem)) bad.push(`actual_kb ${s.memory.actual_kb}, xl list ${mem} MiB`);
    if (!s.block || s.block.length !== 1 || s.block[0].rd_reqs !== Number(rd)) bad.push(`block ${JSON.stringify(s.block)}, sysfs rd_req ${rd}`);
    if (!s.net || s.net.length !== 1 || s.net[0].rx_bytes !== Number(tx)) bad.push(`net ${JSON.stringify(s.net)}, sysfs tx_bytes ${tx}`);
    if (!(s.vcpus.length === 1 && s.cpu_time > 0)) bad.push("vcpus or cpu_time");
    if (bad.length) { console.log(bad.join("; ")); process.exit(1); }
  ' "$WORK/tx65.stats.json" "$(xl_mem)" "$(vbd_stat rd_req)" "$(vif_stat tx_bytes)"
}
check "txl -o json domstats $G: the same figures, parsed" wait_for 20 stats_json
top_row() {
  local row
  txl top -b -i 1 >"$WORK/tx65.top" || return 1
  row=$(awk -v n=$G '$1 == n' "$WORK/tx65.top")
  [ -n "$row" ] || { cat "$WORK/tx65.top"; echo "no $G row"; return 1; }
  # NAME STATE CPU(sec) CPU(%) MEM(k) MEM(%) MAXMEM(k) MAXMEM(%) VCPUS NETS NETTX NETRX VBDS VBD_OO VBD_RD VBD_WR ...
  set -- $row
  [ "${10}" -ge 1 ] && [ "${13}" -ge 1 ] || { echo "$row"; echo "NETS ${10}, VBDS ${13}: not at least 1"; return 1; }
  [ "${15}" = "$(vbd_stat rd_req)" ] || { echo "$row"; echo "VBD_RD ${15}, sysfs rd_req $(vbd_stat rd_req)"; return 1; }
  [ "${11}" = $(($(vif_stat tx_bytes) / 1024)) ] || { echo "$row"; echo "NETTX ${11}k, sysfs vif tx_bytes $(vif_stat tx_bytes)"; return 1; }
}
check "txl top -b -i 1: $G with NETS and VBDS, VBD_RD and NETTX as dom0's counters" wait_for 20 top_row
check "txl -o json top: parses, $G has a vif and a disk" eval "txl -o json top -b -i 1 >'$WORK/tx65.top.json' && node -e 'const r = JSON.parse(require(\"fs\").readFileSync(process.argv[1], \"utf8\")).find((x) => x.name === process.argv[2]); if (!r || r.nets < 1 || r.vbds < 1) { console.log(JSON.stringify(r)); process.exit(1); }' '$WORK/tx65.top.json' $G"

# --- the end of the guest, and of the observer ---------------------------------------
check "xl shutdown: seen as shutdown reason=poweroff, then destroy (xl's monitor)" eval "xl shutdown $G && wait_for 90 seen shutdown $G reason=poweroff && saw destroy $G"
not_seen() { ! grep -qE " (pause|unpause|device-detach) $G " <(sed -n '/ shutdown '"$G"' /,$p' "$EV") || { cat "$EV"; echo "events of the teardown were reported"; return 1; }; }
check "the teardown after the shutdown is not reported as pauses or detaches" not_seen
stop_watch
sigterm_ends() {
  wait_for 20 ended "$EV" || return 1
  [ "$(cat "$EV.rc")" = 0 ] || { cat "$EV.err"; echo "txl events exited $(cat "$EV.rc") on SIGTERM"; return 1; }
  ! grep -q '^txl: error' "$EV.err" || { cat "$EV.err"; return 1; }
}
check "txl events ends cleanly on SIGTERM within seconds (exit 0, no error)" sigterm_ends
xl destroy $G >/dev/null 2>&1

# --- create -F: ends with the guest ------------------------------------------------
F=labtx65f
guest_cfg $F "$WORK/$F.cfg"
FO=$WORK/$F.out
bg_txl "$FO" create -F "$WORK/$F.cfg"
foreground() {
  wait_for 120 console_has $F 'txl-guest: tick 1' || { cat "$FO.err"; return 1; }
  ! ended "$FO" >/dev/null || { cat "$FO.err"; echo "txl create -F ended while $F runs"; return 1; }
  xl shutdown $F || return 1
  wait_for 90 ended "$FO" || { cat "$FO.err"; echo "txl create -F still waits"; return 1; }
  cat "$FO.err"
  [ "$(cat "$FO.rc")" = 0 ] || { echo "txl create -F exited $(cat "$FO.rc")"; return 1; }
  grep -q 'has been destroyed' "$FO.err" && xl_gone $F
}
check "txl create -F: waits while $F runs, ends with exit 0 when xl shutdown ends it" foreground
xl destroy $F >/dev/null 2>&1
