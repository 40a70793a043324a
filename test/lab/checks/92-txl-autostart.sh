# autostart, managedsave and the boot unit's commands (host-start, host-stop) on real Xen, xl
# as the witness: host-start boots an autostart guest; managedsave stops it into an owner-only
# image and start brings the same guest back (it counts on, no second boot; a paused one comes
# back paused); a simulated host shutdown (host-stop) saves it and host-start restores it; once
# unmarked, host-start leaves it down. One managed PV guest, "labas92", in a private state directory (TXL_XEN_STATE_DIR), so
# that host-start and host-stop see no managed domain of another group.
txl list >/dev/null 2>&1 || { skip "the autostart checks" "txl list does not work here: $(txl list 2>&1 | tail -1)"; return 0; }
. "$LAB_DIR/surface.sh" # json_is

G=labas92
ST92=$WORK/92-state
IMG92=$ST92/save/$G.save
# CMD...: CMD with this group's managed configs, autostart marks and save images
in92() {
  local TXL_XEN_STATE_DIR=$ST92
  export TXL_XEN_STATE_DIR
  "$@"
}
xl destroy $G >/dev/null 2>&1
rm -rf "$ST92"
mkdir -p "$ST92"
chmod 700 "$ST92"

ups() { grep -c 'txl-guest: up' "$(console_log "$1")" 2>/dev/null || echo 0; }
last_tick() { grep -o 'txl-guest: tick [0-9]*' "$(console_log "$1")" 2>/dev/null | tail -1 | awk '{print $3}'; }
counts_on() { # NAME BEFORE: the guest's counter went past BEFORE
  local t
  t=$(last_tick "$1")
  [ "${t:-0}" -gt "$2" ] || { echo "guest $1 is at tick ${t:-none}, not past $2"; return 1; }
}
one_boot() { [ "$(ups "$1")" = 1 ] || { echo "guest $1 booted $(ups "$1") times"; return 1; }; }
alive() { state_is "$1" "$ALIVE"; }
image_ok() { # the managed save image: there, owner-only, in xl's format
  [ -f "$IMG92" ] || { echo "no $IMG92"; return 1; }
  [ "$(stat -c %a "$IMG92")" = 600 ] || { echo "$IMG92 has mode $(stat -c %a "$IMG92")"; return 1; }
  [ "$(head -c 27 "$IMG92")" = "Xen saved domain, xl format" ] || { echo "$IMG92 has no xl save header"; return 1; }
}
no_image() { [ ! -e "$IMG92" ] || { echo "$IMG92 is still there"; return 1; }; }
out_is() { # WANT CMD...: CMD succeeds and prints exactly WANT
  local want=$1 got
  shift
  got=$("$@") || { echo "$*: exit $?: $got"; return 1; }
  [ "$got" = "$want" ] || { echo "$*: printed '$got', wanted '$want'"; return 1; }
}

guest_cfg $G "$WORK/$G.cfg"
check "txl define + txl autostart $G: dominfo says Autostart: enable, xl knows nothing of it" eval "in92 txl define '$WORK/$G.cfg' >/dev/null && out_is \"Domain '$G' marked as autostarted\" in92 txl autostart $G && in92 txl dominfo $G | grep -qx 'Autostart: *enable' && xl_gone $G"
check "txl list --all --autostart lists $G; -o json dominfo says autostart" eval "in92 txl list --all --autostart | grep -q '^$G ' && in92 json_is 'j.autostart === true && j.managed_save === false' dominfo $G"
check "txl host-start starts $G: xl list shows it, booted" eval "out_is \"Domain '$G' started\" in92 txl host-start -j 2 && xl_has $G && wait_for 90 console_has $G 'txl-guest: tick 2'" ||
  { skip "the rest of the autostart checks" "$G did not start"; in92 txl destroy $G >/dev/null 2>&1; in92 txl undefine $G >/dev/null 2>&1; return 0; }
check "txl host-start again: '$G is already running', exit 0, the same domid" eval "d=\$(xl domid $G) && out_is \"Domain '$G' is already running\" in92 txl host-start && [ \"\$(xl domid $G)\" = \"\$d\" ]"

t=$(last_tick $G)
check "txl managedsave $G: gone from xl list; a 0600 image in xl's format; dominfo: Managed save: yes" eval "in92 txl managedsave $G >/dev/null && wait_for 20 xl_gone $G && image_ok && in92 txl dominfo $G | grep -qx 'Managed save: *yes'"
check "txl start $G restores it: xl list shows it again, alive, counting on from tick $t (no new boot); the image is gone" eval "out_is \"Domain '$G' started\" in92 txl start $G && xl_has $G && alive $G && wait_for 60 counts_on $G $t && one_boot $G && no_image"
check "txl pause + managedsave $G: a paused guest is saved (libxl needs it running) and start brings it back paused (xl list: p)" eval "txl pause $G && in92 txl managedsave $G >/dev/null && wait_for 20 xl_gone $G && image_ok && in92 txl start $G >/dev/null && state_is $G '^..p' && txl unpause $G && alive $G && no_image"

t=$(last_tick $G)
check "txl host-stop saves $G: xl list no longer has it, its image is there" eval "out_is \"Domain '$G' saved to $IMG92\" in92 txl host-stop -j 2 --timeout 60 && wait_for 20 xl_gone $G && image_ok"
check "txl host-start restores $G: alive, counting on from tick $t, one boot; the image is gone" eval "out_is \"Domain '$G' restored from $IMG92\" in92 txl host-start && alive $G && wait_for 60 counts_on $G $t && one_boot $G && no_image"

check "txl autostart --disable $G, then host-stop --mode shutdown and host-start: $G stays down" eval "out_is \"Domain '$G' unmarked as autostarted\" in92 txl autostart --disable $G && in92 txl host-stop --mode shutdown --timeout 60 >/dev/null && wait_for 30 xl_gone $G && out_is '' in92 txl host-start && xl_gone $G"
check "txl managedsave-remove $G: nothing to remove is said, exit 0; undefine then works" eval "out_is \"Domain '$G' has no manage save image; removal skipped\" in92 txl managedsave-remove $G && in92 txl undefine $G >/dev/null"
xl destroy $G >/dev/null 2>&1
rm -rf "$ST92"
