# txl's save/restore, localhost migration, per-domain monitor and hooks on real Xen,
# each proven against xl: files and migration streams cross between txl and xl both ways,
# and a restored or migrated guest goes on counting where it stopped (same memory, no
# new boot). Guests "labtx7*". Needs txl create (60-txl-xen.sh).
txl list >/dev/null 2>&1 || { skip "the lifecycle checks" "txl list does not work here: $(txl list 2>&1 | tail -1)"; return 0; }

ups() { grep -c 'txl-guest: up' "$(console_log "$1")" 2>/dev/null || echo 0; }
last_tick() { grep -o 'txl-guest: tick [0-9]*' "$(console_log "$1")" 2>/dev/null | tail -1 | awk '{print $3}'; }
domid_of() { xl domid "$1" 2>/dev/null; }
# NAME BEFORE: the guest's counter went past BEFORE, in the log of NAME
counts_on() {
  local t
  t=$(last_tick "$1")
  [ "${t:-0}" -gt "$2" ] || { echo "guest $1 is at tick ${t:-none}, not past $2"; return 1; }
}
# NAME: one boot only, so what runs is the saved guest, not a fresh one
one_boot() { [ "$(ups "$1")" = 1 ] || { echo "guest $1 booted $(ups "$1") times"; return 1; }; }
magic_is_xl() { [ "$(head -c 27 "$1")" = "Xen saved domain, xl format" ] || { echo "$1 has no xl save header"; return 1; }; }
cleanup() { for g in "$@"; do xl destroy "$g" >/dev/null 2>&1; done; }

start_guest() { # NAME [cfg lines...]: created by xl, ticking
  local g=$1
  shift
  guest_cfg "$g" "$WORK/$g.cfg" "$@"
  xl create "$WORK/$g.cfg" >"$WORK/$g.create.log" 2>&1 && wait_for 90 console_has "$g" 'txl-guest: tick 2' >/dev/null
}

# --- save and restore, both ways with xl ------------------------------------
G=labtx7s
# dom0's root is in RAM: a 128 MiB guest makes a 128 MiB file, so one at a time
S=$WORK/$G.save
if start_guest $G; then
  t=$(last_tick $G)
  check "txl save: $G is saved to a file in xl's format and gone" eval "txl save $G '$S' && wait_for 20 xl_gone $G && magic_is_xl '$S'"
  check "xl restore reads txl's save file: $G counts on from tick $t" eval "xl restore '$S' && wait_for 60 counts_on $G $t && one_boot $G"
  rm -f "$S"
  t=$(last_tick $G)
  check "txl restore reads xl's save file: $G counts on from tick $t" eval "xl save $G '$S' >/dev/null && wait_for 20 xl_gone $G && txl restore '$S' && wait_for 60 counts_on $G $t && one_boot $G"
  rm -f "$S"
  t=$(last_tick $G)
  check "txl save -c: $G keeps running after the checkpoint" eval "txl save -c $G '$S' && state_is $G '^-?[rb]' && wait_for 30 counts_on $G $t"
  rm -f "$S"
  t=$(last_tick $G)
  check "txl save + txl restore -p: $G comes back paused, then counts on" eval "txl save $G '$S' && wait_for 20 xl_gone $G && txl restore -p '$S' && state_is $G '^..p' && txl unpause $G && wait_for 60 counts_on $G $t && one_boot $G"
  rm -f "$S"
else
  skip "save and restore" "xl could not start $G: $(tail -1 "$WORK/$G.create.log")"
fi
cleanup $G
rm -f "$S"

# --- localhost migration, txl and xl at either end ------------------------------
G=labtx7m
if start_guest $G; then
  ticks_past() { [ "$(max_tick "$1")" -gt "$2" ] || { echo "guest $1 is at tick $(max_tick "$1"), not past $2"; return 1; }; }
  moved() { # NAME OLD_DOMID: under its name with a new domid, nothing left over
    local id
    id=$(domid_of "$1")
    [ -n "$id" ] && [ "$id" != "$2" ] || { echo "$1 has domid '${id}', was $2"; return 1; }
    ! xl_has "$1--incoming" && ! xl_has "$1--migratedaway" || { xl list; echo "a --incoming or --migratedaway domain is left"; return 1; }
  }
  after_migration() { # NAME OLD_DOMID: moved, and the moved guest (the only one left) counts on, never rebooted
    wait_for 60 moved "$1" "$2" || return 1
    local t
    t=$(max_tick "$1")
    wait_for 60 ticks_past "$1" $((t + 1)) || return 1
    [ "$(both_logs "$1" | grep -c 'txl-guest: up')" = 1 ] || { echo "guest $1 booted again"; return 1; }
  }
  # Live migration of a PV guest needs shadow paging for log-dirty; Debian's Xen is built
  # without it. xl migrate is always live and fails there; txl falls back to non-live.
  live=no
  xl info | grep -q '^virt_caps *:.*\bshadow\b' && live=yes
  mig_log=$WORK/$G.migrate.log
  said_non_live() { grep -q "migrating '$G' non-live: this Xen has no shadow paging" "$mig_log" || { echo "txl did not say it migrated non-live:"; cat "$mig_log"; return 1; }; }
  for how in "txl to txl" "xl to txl" "txl to xl"; do
    id=$(domid_of $G)
    cmd=$(migrate_cmd "$how" $G)
    if [ "$how" = "xl to txl" ] && [ $live = no ]; then
      skip "migrate localhost, $how" "xl migrate is always live, and this Xen has no shadow paging for a PV guest's log-dirty (xl info virt_caps)"
      continue
    fi
    check "migrate localhost, $how: $G moves and counts on" eval "$cmd >'$mig_log' 2>&1 && after_migration $G $id || { cat '$mig_log'; false; }" || break
    if [ $live = no ] && [ "${how%% *}" = txl ]; then
      check "migrate localhost, $how: txl said the PV guest went non-live (no shadow paging)" said_non_live
    fi
  done
else
  skip "localhost migration" "xl could not start $G: $(tail -1 "$WORK/$G.create.log")"
fi
cleanup $G $G--incoming $G--migratedaway

# --- the monitor --------------------------------------------------------------
monitor_log() { echo "/var/log/xen/txl-$1.log"; }
log_has() { grep -qE "$2" "$(monitor_log "$1")" 2>/dev/null || { echo "no /$2/ in $(monitor_log "$1"):"; tail -5 "$(monitor_log "$1")" 2>/dev/null; return 1; }; }
restarted() { # NAME OLD_DOMID
  local id
  id=$(domid_of "$1")
  [ -n "$id" ] && [ "$id" != "$2" ] || { echo "$1 has domid '$id' (was $2)"; return 1; }
  state_is "$1" '^-?[rb]' >/dev/null
}
txl_start() { # NAME [cfg lines...]: created by txl (so with txl's monitor), ticking
  local g=$1
  shift
  guest_cfg "$g" "$WORK/$g.cfg" "$@"
  txl create "$WORK/$g.cfg" >"$WORK/$g.create.log" 2>&1 && wait_for 90 console_has "$g" 'txl-guest: tick 1' >/dev/null
}

G=labtx7r
if txl_start $G 'on_reboot = "restart"'; then
  id=$(domid_of $G)
  check "monitor: txl create started one for $G, logging to $(monitor_log $G)" wait_for 30 log_has $G "Waiting for domain $G \\(domid $id\\) to die"
  check "monitor: $G reboots (txl reboot) and comes back with a new domid" eval "txl reboot $G && wait_for 90 restarted $G $id"
  check "monitor: the restarted $G boots again" wait_for 90 eval "[ \$(ups $G) -ge 2 ]"
  check "monitor: its log says why" log_has $G 'Action for shutdown reason code 1 is restart'
  id=$(domid_of $G)
  check "monitor: xl reboot of $G is acted on as well" eval "xl reboot $G && wait_for 90 restarted $G $id"
  check "monitor: txl destroy of $G ends it" eval "txl destroy $G && wait_for 20 xl_gone $G && wait_for 20 log_has $G 'has been destroyed'"
else
  skip "monitor restart" "txl create of $G failed: $(tail -1 "$WORK/$G.create.log")"
fi
cleanup $G

G=labtx7p
if txl_start $G 'on_poweroff = "preserve"'; then
  check "monitor: on_poweroff = preserve leaves $G shut down" eval "txl shutdown $G && wait_for 60 state_is $G '^---s' && wait_for 20 log_has $G 'preserve'"
else
  skip "monitor preserve" "txl create of $G failed"
fi
cleanup $G

G=labtx7n
if txl_start $G 'on_reboot = "rename-restart"'; then
  id=$(domid_of $G)
  renamed() { xl list | awk -v n="$G-" 'index($1, n) == 1 { f = 1 } END { exit !f }' || { xl list; echo "no $G-<time> domain"; return 1; }; }
  check "monitor: rename-restart keeps the old $G under a time suffix and starts a new one" eval "txl reboot $G && wait_for 90 restarted $G $id && renamed"
  xl list | awk -v n="$G-" 'index($1, n) == 1 { print $1 }' | while read -r old; do xl destroy "$old"; done
else
  skip "monitor rename-restart" "txl create of $G failed"
fi
cleanup $G

G=labtx7c
if txl_start $G 'on_reboot = "coredump-destroy"'; then
  check "monitor: coredump-destroy writes /var/lib/xen/dump/$G and destroys $G" eval "txl reboot $G && wait_for 320 xl_gone $G && [ -s /var/lib/xen/dump/$G ]"
else
  skip "monitor coredump" "txl create of $G failed"
fi
cleanup $G
rm -f /var/lib/xen/dump/labtx7c

G=labtx7l
guest_cfg $G "$WORK/$G.cfg" 'on_reboot = "restart"'
if TXL_REBOOT_LIMIT=1/600 txl create "$WORK/$G.cfg" >"$WORK/$G.create.log" 2>&1 && wait_for 90 console_has $G 'txl-guest: tick 1' >/dev/null; then
  id=$(domid_of $G)
  check "monitor: a first reboot of $G is restarted" eval "txl reboot $G && wait_for 90 restarted $G $id"
  check "monitor: a reboot past the limit (1 in 600 s) leaves $G shut down" eval "wait_for 90 console_has $G 'txl-guest: tick 1' >/dev/null; txl reboot $G && wait_for 60 state_is $G '^---s' && wait_for 20 log_has $G 'reboot loop'"
else
  skip "monitor reboot loop" "txl create of $G failed"
fi
cleanup $G

G=labtx7e
if guest_cfg $G "$WORK/$G.cfg" 'on_reboot = "restart"' && txl create -e "$WORK/$G.cfg" >/dev/null 2>&1 && wait_for 90 console_has $G 'txl-guest: tick 1' >/dev/null; then
  check "create -e: no monitor, so $G is not restarted after its reboot" eval "[ ! -e $(monitor_log $G) ] && txl reboot $G && sleep 15 && ! restarted $G x >/dev/null"
else
  skip "create -e" "txl create -e of $G failed"
fi
cleanup $G

# --- hooks --------------------------------------------------------------------
G=labtx7h
HOOKS=/etc/txl/hooks
mkdir -p $HOOKS/pre-start.d $HOOKS/post-destroy.d
printf '#!/bin/sh\n[ "$1" = %s ] || exit 0\necho "%s may not start here" >&2\nexit 1\n' $G $G >$HOOKS/pre-start.d/50-lab
printf '#!/bin/sh\necho "$1 $2" >> %s\n' "$WORK/post-destroy.log" >$HOOKS/post-destroy.d/50-lab
chmod 755 $HOOKS/pre-start.d/50-lab $HOOKS/post-destroy.d/50-lab
guest_cfg $G "$WORK/$G.cfg"
refused() {
  txl create "$WORK/$G.cfg" >"$WORK/$G.out" 2>&1 && { echo "created despite the hook"; return 1; }
  grep -q "$G may not start here" "$WORK/$G.out" || { cat "$WORK/$G.out"; return 1; }
  xl_gone $G
}
check "hooks: a failing pre-start hook stops txl create, with its message" refused
rm -f $HOOKS/pre-start.d/50-lab
if txl create "$WORK/$G.cfg" >/dev/null 2>&1; then
  id=$(domid_of $G)
  check "hooks: post-destroy runs after txl destroy with the name and id" eval "txl destroy $G && grep -qx '$G $id' '$WORK/post-destroy.log'"
fi
chmod 777 $HOOKS/post-destroy.d/50-lab
check "hooks: a hook writable by others is refused" eval "txl create '$WORK/$G.cfg' >/dev/null 2>&1; txl destroy $G 2>&1 | grep -q 'writable by group and others'"
rm -rf $HOOKS
cleanup $G
