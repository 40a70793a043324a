# Ctrl-C on real Xen, sent as a terminal sends it: SIGINT to txl's whole process group, so
# libxl's helpers (libxl-save-helper, hotplug scripts) get it too. An interrupted create
# leaves no domain; an interrupted save leaves the guest running on and no image. Each is
# interrupted half-way through a run timed just before, so it lands mid-operation on a fast
# or a slow machine alike. Guests "labtx9*".
txl list >/dev/null 2>&1 || { skip "the interrupt checks" "txl list does not work here: $(txl list 2>&1 | tail -1)"; return 0; }
command -v setsid >/dev/null || { skip "the interrupt checks" "no setsid here"; return 0; }

# SECS OUT CMD...: CMD in a session of its own, Ctrl-C'd (its process group) after SECS;
# prints CMD's exit status
ctrl_c_after() {
  local secs=$1 out=$2 pid rc
  shift 2
  setsid "$@" >"$out" 2>&1 &
  pid=$!
  sleep "$secs"
  kill -INT -- "-$pid" 2>/dev/null
  wait "$pid"
  rc=$?
  echo "$rc"
}
# CMD...: half the seconds CMD took, empty if it failed
took() {
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1 || return 1
  t1=$(date +%s%N)
  awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.2f", ns / 2e9 }'
}
last_tick() { grep -o 'txl-guest: tick [0-9]*' "$(console_log "$1")" 2>/dev/null | tail -1 | awk '{print $3}'; }
counts_on() { local t; t=$(last_tick "$1"); [ "${t:-0}" -gt "$2" ] || { echo "guest $1 is at tick ${t:-none}, not past $2"; return 1; }; }

# --- create -------------------------------------------------------------------
G=labtx9c
guest_cfg $G "$WORK/$G.cfg"
half=$(took txl create -p "$WORK/$G.cfg")
xl destroy $G >/dev/null 2>&1
if [ -n "$half" ]; then
  interrupted_create() {
    local rc
    rc=$(ctrl_c_after "$half" "$WORK/$G.int" node "$PROJECT/bin/txl" --connect xen:///system create -p "$WORK/$G.cfg")
    cat "$WORK/$G.int"
    [ "$rc" = 130 ] || { echo "txl create exited $rc after Ctrl-C at ${half}s, not 130"; return 1; }
    wait_for 30 xl_gone $G && lists_agree
  }
  check "Ctrl-C half-way through txl create (${half}s): exit 130, no $G left, the lists agree" interrupted_create
else
  skip "Ctrl-C during txl create" "the timing run of txl create -p failed"
fi
xl destroy $G >/dev/null 2>&1

# --- save ---------------------------------------------------------------------
G=labtx9s
S=$WORK/$G.save
guest_cfg $G "$WORK/$G.cfg"
if txl create "$WORK/$G.cfg" >/dev/null 2>&1 && wait_for 120 console_has $G 'txl-guest: tick 2' >/dev/null; then
  half=$(took txl save -c $G "$S")
  rm -f "$S"
  interrupted_save() {
    local rc t
    t=$(last_tick $G)
    rc=$(ctrl_c_after "$half" "$WORK/$G.int" node "$PROJECT/bin/txl" --connect xen:///system save $G "$S")
    cat "$WORK/$G.int"
    [ "$rc" = 130 ] || { echo "txl save exited $rc after Ctrl-C at ${half}s, not 130"; return 1; }
    [ ! -e "$S" ] || { echo "the interrupted save left $S"; return 1; }
    wait_for 30 state_is $G "$ALIVE" && wait_for 90 counts_on $G "$t" && lists_agree
  }
  if [ -n "$half" ]; then
    check "Ctrl-C half-way through txl save (${half}s): exit 130, $G runs on, no image, the lists agree" interrupted_save
  else
    skip "Ctrl-C during txl save" "the timing run of txl save -c failed"
  fi
else
  skip "Ctrl-C during txl save" "txl could not start $G"
fi
xl destroy $G >/dev/null 2>&1
rm -f "$S"
