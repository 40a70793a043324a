# What txl writes on the Xen backend survives a full disk and keeps secrets to root: save
# images 0600 from their creation, a save to a full filesystem fails in one line with the
# guest running on and the older image whole, managed configs 0600 in a 0700 directory and
# refused when others could write them, a huge input refused before Xen is asked. Guest
# "labtx82".
txl list >/dev/null 2>&1 || { skip "the hardening checks on Xen" "txl list does not work here: $(txl list 2>&1 | tail -1)"; return 0; }
. "$LAB_DIR/surface.sh" # eq
G=labtx82
xl destroy $G >/dev/null 2>&1
txl undefine $G >/dev/null 2>&1
FULL=$WORK/full82
umount "$FULL" 2>/dev/null
guest_cfg $G "$WORK/$G.cfg"
# saved guests must have booted (their PV drivers answer the suspend)
check "txl create $G; it boots" eval "txl create '$WORK/$G.cfg' && wait_for 120 console_has $G 'txl-guest: tick 1'" || { skip "the rest of the hardening checks on Xen" "$G was not created"; return 0; }
mode_of() { stat -c %a "$1"; }
check "txl save: the image is 0600 (it holds the config), and xl restore reads it" eval "txl save $G '$WORK/$G.save' && eq mode \"\$(mode_of '$WORK/$G.save')\" 600 && xl restore '$WORK/$G.save' >/dev/null 2>&1 && state_is $G \"\$ALIVE\""
mkdir -p "$FULL"
if mount -t tmpfs -o size=2m tmpfs "$FULL" 2>/dev/null; then
  echo "an older image" >"$FULL/$G.save"
  full_save() {
    txl save $G "$FULL/$G.save" >"$WORK/full.out" 2>&1 && { echo "txl save succeeded on a 2 MiB filesystem"; return 1; }
    grep -q "^txl: error: .*no space left on device" "$WORK/full.out" || { cat "$WORK/full.out"; echo "no one-line 'no space left' error"; return 1; }
    # one error line (a hint may follow, indented), beside xl's "Saving to ..." progress line
    [ "$(grep -v '^ ' "$WORK/full.out" | grep -cv '^Saving to ')" -eq 1 ] || { cat "$WORK/full.out"; echo "more than one line"; return 1; }
    eq "the older image" "$(cat "$FULL/$G.save")" "an older image" || return 1
    [ -z "$(ls -A "$FULL" | grep -v "^$G.save\$")" ] || { ls -la "$FULL"; echo "a temporary file was left"; return 1; }
    xl_has $G || { echo "$G is gone"; return 1; }
    state_is $G "$ALIVE" # running on, not left suspended
  }
  check "txl save to a full filesystem: one line, exit 1, $G as it was, the older image whole, nothing left" full_save
  umount "$FULL"
else
  skip "txl save to a full filesystem" "cannot mount a tmpfs in dom0"
fi
xl destroy $G >/dev/null 2>&1

# the monitor's log on a full filesystem: the monitor must still restart its guest
LOGS=$WORK/full82logs
umount "$LOGS" 2>/dev/null
mkdir -p "$LOGS"
if mount -t tmpfs -o size=64k tmpfs "$LOGS" 2>/dev/null; then
  dd if=/dev/zero of="$LOGS/filler" bs=4k >/dev/null 2>&1 # until the filesystem is full
  full_monitor() {
    local id now
    TXL_MONITOR_LOG_DIR=$LOGS txl create "$WORK/$G.cfg" >"$WORK/mon.out" 2>&1 || { cat "$WORK/mon.out"; echo "txl create failed"; return 1; }
    wait_for 120 console_has $G 'txl-guest: tick 1' || return 1
    id=$(xl domid $G)
    wait_for 10 pgrep -f "txl.* domain-monitor $id\$" >/dev/null || { echo "no monitor for domid $id"; return 1; }
    txl reboot $G || return 1
    wait_for 120 eval "now=\$(xl domid $G 2>/dev/null); [ -n \"\$now\" ] && [ \"\$now\" != $id ]" || { echo "$G was not restarted by its monitor"; return 1; }
  }
  check "monitor with its log on a full filesystem: txl reboot still restarts $G" full_monitor
  xl destroy $G >/dev/null 2>&1
  umount "$LOGS"
else
  skip "monitor with its log on a full filesystem" "cannot mount a tmpfs in dom0"
fi
M=/var/lib/txl/managed
check "txl define: the managed config is 0600 in a 0700 directory" eval "txl define '$WORK/$G.cfg' >/dev/null && f=\$(ls $M/$G.* | head -1) && eq mode \"\$(mode_of \"\$f\")\" 600 && eq 'mode of $M' \"\$(mode_of $M)\" 700"
unsafe_managed() {
  local f out
  f=$(ls $M/$G.* | head -1)
  chmod 666 "$f"
  out=$(txl start $G 2>&1)
  local rc=$?
  chmod 600 "$f"
  [ $rc -ne 0 ] || { xl destroy $G >/dev/null 2>&1; echo "txl start used a config anyone can write"; return 1; }
  grep -q 'chmod' <<<"$out" || { echo "$out"; echo "no chmod in the hint"; return 1; }
  xl_gone $G
}
check "txl start of a managed config anyone can write: refused with the fix, nothing started" unsafe_managed
txl undefine $G >/dev/null 2>&1
check "txl create /dev/zero on Xen: refused at the size limit, exit 2, no domain" eval "timeout 60 node $PROJECT/bin/txl --connect xen:///system create /dev/zero >'$WORK/zero.out' 2>&1; [ \$? -eq 2 ] && [ \$(wc -c <'$WORK/zero.out') -lt 2000 ]"
