# virsh's jobs, displays and power management on Xen, xl and xenstore as the witnesses: a
# txl save in the background is seen by domjobinfo and stopped by domjobabort (the guest
# runs on), vncdisplay and domdisplay of a PV guest's VNC vfb match xenstore's vnc-port, and
# dompmsuspend / dompmwakeup refuse a PV guest in one line. One PV guest, "labtx95".
. "$LAB_DIR/surface.sh" # json_is, eq
txl list >/dev/null 2>&1 || { skip "the job, display and S3 checks" "txl list does not work here: $(txl list 2>&1 | tail -1)"; return 0; }

G=labtx95
FIFO=$WORK/$G.fifo
xl destroy $G >/dev/null 2>&1
rm -f "$FIFO"

# CMD...: exit 1, nothing on stdout, one line "txl: error: ..." on stderr
one_line_refusal() {
  local rc
  "$@" >"$WORK/95.out" 2>"$WORK/95.err"
  rc=$?
  [ $rc = 1 ] || { echo "exit $rc, wanted 1: $(head -3 "$WORK/95.err")"; return 1; }
  [ ! -s "$WORK/95.out" ] && [ "$(wc -l <"$WORK/95.err")" = 1 ] && grep -q '^txl: error: ' "$WORK/95.err" ||
    { echo "not one error line:"; cat "$WORK/95.out" "$WORK/95.err"; return 1; }
}

boots() { # CMD CFG: the guest starts and ticks
  $1 create "$2" >"$WORK/$G.create.log" 2>&1 && wait_for 90 console_has $G 'txl-guest: tick 1' ||
    { tail -2 "$WORK/$G.create.log"; tail -2 "/var/log/xen/qemu-dm-$G.log" 2>/dev/null; xl destroy $G >/dev/null 2>&1; return 1; }
}
guest_cfg $G "$WORK/$G.vnc.cfg" "vfb = [ 'vnc=1,vnclisten=127.0.0.1' ]"
guest_cfg $G "$WORK/$G.cfg"
VNC=yes
if ! boots txl "$WORK/$G.vnc.cfg" >"$WORK/95.boot" 2>&1; then
  # xl as the witness: a host whose QEMU cannot give a PV guest a VNC display fails xl too
  if boots xl "$WORK/$G.vnc.cfg" >"$WORK/95.xlboot" 2>&1; then
    check "txl create: $G with a VNC vfb boots, as xl create does" eval "cat '$WORK/95.boot'; false"
  else
    skip "vncdisplay and domdisplay of a VNC vfb" "xl create fails too: $(tr '\n' ' ' <"$WORK/95.xlboot" | cut -c1-200)"
  fi
  xl destroy $G >/dev/null 2>&1
  VNC=no
  check "txl create: $G (no vfb) boots" boots txl "$WORK/$G.cfg" ||
    { skip "the rest of the job and S3 checks" "$G did not start"; return 0; }
else
  check "txl create: $G with a VNC vfb boots" true
fi

# --- vncdisplay, domdisplay: the port QEMU reported, as libxl wrote it to xenstore ---------
if [ $VNC = yes ]; then
  vnc_port() { xenstore-read "/local/domain/$(xl domid $G)/console/vnc-port" 2>/dev/null; }
  wait_for 20 vnc_port >/dev/null
  PORT=$(vnc_port)
  N=$(( ${PORT:-0} - 5900 ))
  check "xenstore-read console/vnc-port of $G: QEMU's VNC port (${PORT:-none})" eval "[ -n '$PORT' ] && [ '$PORT' -ge 5900 ]"
  check "txl vncdisplay $G: 127.0.0.1:$N, from vnc-port $PORT" eval "eq vncdisplay \"\$(txl vncdisplay $G)\" '127.0.0.1:$N'"
  check "txl domdisplay $G: vnc://127.0.0.1:$N" eval "eq domdisplay \"\$(txl domdisplay $G)\" 'vnc://127.0.0.1:$N' && eq 'domdisplay --type vnc' \"\$(txl domdisplay --type vnc $G)\" 'vnc://127.0.0.1:$N'"
  check "txl -o json vncdisplay $G: port $PORT, display $N" json_is "j.port === $PORT && j.display === $N && j.listen === '127.0.0.1'" vncdisplay $G
  check "txl -o json domdisplay $G: the URI, no password" json_is "j.type === 'vnc' && j.port === $PORT && j.uri === 'vnc://127.0.0.1:$N' && !('passwd' in j)" domdisplay $G
  check "txl domdisplay --type spice $G: no SPICE display, one line" eval "one_line_refusal txl domdisplay --type spice $G && grep -q 'no SPICE display' '$WORK/95.err'"
else
  # no vfb: xenstore has no vnc-port, and both say so in one line
  check "txl vncdisplay $G without a vfb: one line, as xenstore has no console/vnc-port" eval "! xenstore-read /local/domain/\$(xl domid $G)/console/vnc-port >/dev/null 2>&1 && one_line_refusal txl vncdisplay $G && grep -q 'no VNC display' '$WORK/95.err'"
  check "txl domdisplay $G without a vfb: one line" eval "one_line_refusal txl domdisplay $G && grep -q 'no graphical display' '$WORK/95.err'"
  check "txl -o json domdisplay/vncdisplay $G: no JSON on stdout, exit 1" eval "! json_is 'true' vncdisplay $G >/dev/null && ! json_is 'true' domdisplay $G >/dev/null"
fi

# --- dompmsuspend, dompmwakeup: S3 is for HVM guests -----------------------------------
check "txl dompmsuspend $G mem: a PV guest is refused in one line; xl list: still running" eval "one_line_refusal txl dompmsuspend $G mem && grep -q 'PV guest' '$WORK/95.err' && state_is $G '$ALIVE'"
check "txl dompmwakeup $G: refused in one line (PV)" eval "one_line_refusal txl dompmwakeup $G && grep -q 'PV guest' '$WORK/95.err'"
check "txl dompmsuspend $G disk: refused in one line, as libvirt's Xen driver" eval "one_line_refusal txl dompmsuspend $G disk && grep -q \"'disk' is not supported\" '$WORK/95.err'"

# --- domjobinfo, domjobabort: a save into a pipe nobody reads yet waits, its job on record ---
check "txl domjobinfo $G: no job, 'Job type: None'" eval "txl domjobinfo $G | grep -q '^Job type: *None' && json_is \"j.type === 'none'\" domjobinfo $G"
check "txl domjobabort $G without a job: one line" eval "one_line_refusal txl domjobabort $G && grep -q 'no job is active' '$WORK/95.err'"
mkfifo "$FIFO"
GO=$WORK/95.go
rm -f "$GO"
# the reader opens the pipe only once domjobabort has sent its signal: until then the save
# waits to open it, its job on record (no clock decides which comes first)
( while [ ! -e "$GO" ]; do sleep 0.2; done; cat "$FIFO" >/dev/null ) &
READER=$!
txl save $G "$FIFO" >"$WORK/95.save.log" 2>&1 &
SAVER=$!
job_shown() { txl domjobinfo $G >"$WORK/95.job" 2>&1 && grep -q '^Job type: *Unbounded' "$WORK/95.job" && grep -q '^Operation: *Save' "$WORK/95.job" || { cat "$WORK/95.job"; return 1; }; }
check "txl domjobinfo $G during a txl save in the background: Unbounded, Save" wait_for 60 job_shown
check "txl -o json domjobinfo $G: a save, by a live process" json_is "j.type === 'unbounded' && j.operation === 'save' && j.pid > 0" domjobinfo $G
abort_job() {
  local p rc
  txl domjobabort $G >"$WORK/95.abort.out" 2>"$WORK/95.abort" &
  p=$!
  wait_for 60 grep -q 'Aborting the save' "$WORK/95.abort" || { touch "$GO"; cat "$WORK/95.abort"; return 1; }
  touch "$GO"
  wait $p
  rc=$?
  [ $rc = 0 ] && [ ! -s "$WORK/95.abort.out" ] || { echo "domjobabort: exit $rc"; cat "$WORK/95.abort.out" "$WORK/95.abort"; return 1; }
}
check "txl domjobabort $G: signals the save, which then unwinds; exit 0 once it has" abort_job
touch "$GO"
wait $SAVER
SAVE_RC=$?
kill $READER 2>/dev/null
wait $READER 2>/dev/null
check "the aborted txl save: exit 130, 'interrupted: ... was resumed'" eval "[ $SAVE_RC = 130 ] && grep -q 'interrupted: .*$G' '$WORK/95.save.log' || { echo 'exit $SAVE_RC'; cat '$WORK/95.save.log'; false; }"
ticks_above() { [ "$(ticks "$1")" -gt "$2" ] || { echo "$1: $(ticks "$1") ticks, not above $2"; return 1; }; }
check "xl list: $G running again after the abort, and ticking" eval "state_is $G '$ALIVE' && wait_for 20 ticks_above $G \$(ticks $G)"
check "txl domjobinfo $G after the abort: no job" eval "txl domjobinfo $G | grep -q '^Job type: *None'"

xl destroy $G >/dev/null 2>&1
rm -f "$FIFO"
