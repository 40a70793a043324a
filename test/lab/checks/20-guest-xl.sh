# A tiny PV guest through its whole life with xl: proves the lab can run the
# guests txl's checks will drive. Guest "labxl".
G=labxl
guest_cfg $G "$WORK/$G.cfg"
check "xl create: PV guest $G from an ELF kernel" xl create "$WORK/$G.cfg" || { skip "the rest of the xl guest checks" "$G was not created"; return 0; }
check "xl list: $G is alive (not paused, shut down or crashed)" state_is $G "$ALIVE"
check "guest console: $G prints ticks" wait_for 90 console_has $G 'txl-guest: tick 2'
check "xl pause: $G is paused" eval "xl pause $G && state_is $G '^..p'"
paused_still() {
  local a b
  sleep 1
  a=$(ticks $G)
  sleep 3
  b=$(ticks $G)
  [ "$a" = "$b" ] || { echo "ticks went from $a to $b while paused"; return 1; }
}
check "guest console: no ticks while paused" paused_still
before=$(ticks $G)
check "xl unpause: ticks go on" eval "xl unpause $G && wait_for 30 ticks_grow $G $before"
list_l_names_it() {
  xl list -l $G >"$WORK/$G.json" || return 1
  node -e '
    const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const d = j.find((x) => x.config && x.config.c_info && x.config.c_info.name === process.argv[2]);
    if (!d) { console.log("no domain named " + process.argv[2] + " in xl list -l"); process.exit(1); }
    if (!(d.domid > 0)) { console.log("bad domid " + d.domid); process.exit(1); }
  ' "$WORK/$G.json" $G
}
check "xl list -l: libxl JSON names $G" list_l_names_it
check "xl destroy: $G is gone" eval "xl destroy $G && wait_for 20 xl_gone $G"

# A clean shutdown goes through the guest (xenbus control/shutdown -> /sbin/poweroff).
G=labxl2
guest_cfg $G "$WORK/$G.cfg"
check "xl create: second guest $G" xl create "$WORK/$G.cfg" || return 0
check "guest console: $G is up" wait_for 90 console_has $G 'txl-guest: tick 1'
check "xl shutdown -w: $G powers itself off" eval "timeout 60 xl shutdown -w $G && wait_for 20 xl_gone $G"
xl destroy $G >/dev/null 2>&1
xl destroy labxl >/dev/null 2>&1
