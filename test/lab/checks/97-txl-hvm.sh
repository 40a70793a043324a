# An HVM guest with a device model (Debian's qemu-system-xen), xl, xenstore and dom0's sockets
# as the witnesses: txl create; the VNC port QEMU took (xenstore's console/vnc-port, listening,
# the first free from 5900 as libxl asks QEMU for it) in txl -o json list -l and dominfo;
# cd-eject and cd-insert of ISOs; the serial console (kernel) and the PV console (the init's
# ticks) through txl console under script(1); txl console without a terminal as xl's; save
# and restore; shutdown -F; destroy. One guest, "labtx97": direct kernel boot of the lab's
# bzImage, tsc_mode native (QEMU's TCG, see 75-txl-pvh.sh). Its init takes 80-115 s under
# TCG: the checks that need no init run while it boots.
. "$LAB_DIR/surface.sh" # json_is, eq
txl list >/dev/null 2>&1 || { skip "the HVM checks" "txl list does not work here: $(txl list 2>&1 | tail -1)"; return 0; }
[ -x /usr/libexec/xen-qemu-system-i386 ] || { skip "the HVM checks" "no device model (/usr/libexec/xen-qemu-system-i386: qemu-system-xen)"; return 0; }
xl info | grep -q '^virt_caps *:.*\bhvm\b' || { skip "the HVM checks" "no HVM on this host (xl info virt_caps)"; return 0; }

G=labtx97
SAVE=$WORK/$G.save
SERIAL=$WORK/$G.serial
xl destroy $G >/dev/null 2>&1
rm -f "$SAVE" "$SERIAL"

# ISOs to change, of a file each: genisoimage (Debian 12) or xorriso as mkisofs (Debian 13)
mkiso() { if command -v genisoimage >/dev/null; then genisoimage "$@"; else xorriso -as mkisofs "$@"; fi; }
for n in 1 2; do
  mkdir -p "$WORK/iso$n"
  echo "txl lab cd $n" >"$WORK/iso$n/README"
  mkiso -quiet -V "TXLCD$n" -o "$WORK/cd$n.iso" "$WORK/iso$n" 2>/dev/null
done

# The port QEMU will take: libxl asks for the first free VNC display from :0 (to=99).
listening() { ss -ltnH 2>/dev/null | awk '{print $4}' | grep -q ":$1\$"; }
FREE=5900
while listening $FREE; do FREE=$((FREE + 1)); done

{
  echo "name = \"$G\""
  echo 'type = "hvm"'
  echo "kernel = \"$GUEST_DIR/vmlinuz\""
  echo "ramdisk = \"$GUEST_DIR/guest.cpio.gz\""
  echo 'extra = "console=ttyS0"'
  echo 'memory = 128'
  echo 'vcpus = 1'
  echo 'serial = "pty"'
  echo 'vnc = 1'
  echo 'vnclisten = "127.0.0.1"'
  echo 'tsc_mode = "native"'
  echo "disk = [ 'format=raw,vdev=hdc,access=ro,devtype=cdrom,target=$WORK/cd1.iso' ]"
} >"$WORK/$G.cfg"

# Under TCG on a loaded machine QEMU (the device model) can miss libxl's start-up timeout
# ("Post DM startup configs failed, rc=-9", CI once): that is the host, so txl tries once
# more; and if txl still fails, xl is the witness: a host where xl cannot start the guest
# either skips the HVM checks, one where xl can fails this check.
hvm_create() {
  txl create "$WORK/$G.cfg" >"$WORK/$G.create.log" 2>&1 && return 0
  grep -q 'Post DM startup configs failed\|device model' "$WORK/$G.create.log" || return 1
  echo "(the device model did not start in time; once more)" >>"$WORK/$G.create.log"
  xl destroy $G >/dev/null 2>&1
  txl create "$WORK/$G.cfg" >>"$WORK/$G.create.log" 2>&1
}
if ! hvm_create; then
  xl destroy $G >/dev/null 2>&1
  if xl create "$WORK/$G.cfg" >"$WORK/$G.xlcreate.log" 2>&1; then
    xl destroy $G >/dev/null 2>&1
    check "HVM: txl create $G, as xl create does" eval "cat '$WORK/$G.create.log'; false"
  else
    skip "the HVM checks" "xl create of $G fails too on this host: $(tail -1 "$WORK/$G.xlcreate.log")"
  fi
  xl destroy $G >/dev/null 2>&1
  return 0
fi
check "HVM: txl create $G; xl list shows it running, xl list -l as HVM" eval "state_is $G \"\$ALIVE\" && xl list -l $G | grep -q '\"type\": \"hvm\"'" ||
  { skip "the rest of the HVM checks" "$G did not start: $(tail -1 "$WORK/$G.create.log")"; xl destroy $G >/dev/null 2>&1; return 0; }
ID=$(xl domid $G)

# The serial console from the start, as long as the kernel boots (QEMU drops what a
# detached pty would get): txl console -t serial under script(1), its stdin held open.
# ($! is timeout's: killing it ends script, whose pty's hangup ends txl and xenconsole)
sleep 300 | timeout 300 script -qfc "$TXL_BIN console -t serial -n 0 $G" "$SERIAL" >/dev/null 2>&1 &
SERIAL_PID=$!

vnc_port() { xenstore-read "/local/domain/$ID/console/vnc-port" 2>/dev/null; }
wait_for 30 vnc_port >/dev/null
PORT=$(vnc_port)
check "HVM: xenstore's console/vnc-port is $FREE (the first free display) and QEMU listens there on 127.0.0.1" eval "eq vnc-port '$PORT' $FREE && eq vnc-listen \"\$(xenstore-read /local/domain/$ID/console/vnc-listen)\" 127.0.0.1 && wait_for 10 eval \"ss -ltnH | awk '{print \\\$4}' | grep -qx 127.0.0.1:$FREE\""
check "HVM: txl -o json list -l $G: the VNC display on port $FREE" json_is "j.length === 1 && j[0].domid === $ID && j[0].config.c_info.type === 'hvm' && j[0].displays.length === 1 && j[0].displays[0].type === 'vnc' && j[0].displays[0].port === $FREE && j[0].displays[0].listen === '127.0.0.1'" list -l $G
check "HVM: txl dominfo $G: Display vnc 127.0.0.1:$FREE; -o json the same" eval "txl dominfo $G | grep -qx 'Display: *vnc 127.0.0.1:$FREE' && json_is \"j.os_type === 'hvm' && j.displays[0].port === $FREE\" dominfo $G"

# --- cd-eject, cd-insert: the drive's backend params in xenstore (xl block-list's BE path) ---
be_path() { xl block-list $G | awk '$1 == 5632 { print $7 }'; }
params() { xenstore-read "$(be_path)/params" 2>/dev/null; }
check "HVM: xl block-list shows the CD drive hdc (5632) with cd1.iso in it" eval "[ -n \"\$(be_path)\" ] && params | grep -q cd1.iso"
check "HVM: txl cd-eject $G hdc: the drive is empty (xenstore params)" eval "txl cd-eject $G hdc && ! params | grep -q iso"
check "HVM: txl cd-insert $G hdc cd2.iso: the drive holds it (xenstore params)" eval "txl cd-insert $G hdc '$WORK/cd2.iso' && params | grep -q cd2.iso && state_is $G \"\$ALIVE\""

# --- consoles: what the kernel prints on ttyS0, what the init prints on hvc0 ------------------
serial_shows() { grep -aq 'Run /init as init process' "$SERIAL" 2>/dev/null || { echo "no 'Run /init' in $SERIAL yet: $(tr -d '\r' <"$SERIAL" 2>/dev/null | tail -1 | cut -c1-80)"; return 1; }; }
check "HVM: txl console -t serial -n 0 (under script): the kernel's boot on ttyS0, to its init" wait_for 200 serial_shows
kill $SERIAL_PID 2>/dev/null
# xenconsole takes one lock per domain: an attach waits for the one before to go
no_client() { wait_for 15 eval "! pgrep -f 'xenconsole $ID ' >/dev/null" >/dev/null; }
pv_ticks() { no_client; sleep 8 | timeout 6 script -qfc "$TXL_BIN console -t pv $G" "$WORK/$G.pv" >/dev/null 2>&1; grep -aq 'txl-guest: tick' "$WORK/$G.pv" || { echo "no tick on the PV console: $(tr -d '\r' <"$WORK/$G.pv" | tail -1 | cut -c1-80)"; return 1; }; }
check "HVM: txl console -t pv (under script): the init's ticks on hvc0" wait_for 90 pv_ticks
# the same as xl without a terminal on stdin: both attach (killed by timeout), or both refuse
no_tty() { # xl|txl
  local rc
  no_client
  if [ "$1" = xl ]; then timeout 8 xl console -t pv $G </dev/null >"$WORK/$G.$1.out" 2>&1; else timeout 8 $TXL_BIN console -t pv $G </dev/null >"$WORK/$G.$1.out" 2>&1; fi
  rc=$?
  case $rc in 0 | 124) echo $rc ;; *) echo refused ;; esac
}
notty_same() {
  local a b
  a=$(no_tty xl)
  b=$(no_tty txl)
  eq "xl console (<) and txl console (>) without a terminal" "$a" "$b" || return 1
  [ "$b" != refused ] || [ "$(wc -l <"$WORK/$G.txl.out")" = 1 ] || { echo "txl said more than one line:"; cat "$WORK/$G.txl.out"; return 1; }
}
check "HVM: txl console without a terminal on stdin does what xl console does" notty_same

# --- save, restore, shutdown (ACPI), destroy --------------------------------------------------
check "HVM: txl save $G: xl list no longer shows it; the image is written" eval "txl save $G '$SAVE' && wait_for 30 xl_gone $G && [ -s '$SAVE' ]"
check "HVM: txl restore: xl list shows $G running again" eval "txl restore '$SAVE' && state_is $G \"\$ALIVE\""
check "HVM: txl shutdown -F $G: the guest powers off (xl list: gone)" eval "txl shutdown -F $G && wait_for 90 xl_gone $G"
xl_has $G && check "HVM: txl destroy $G (it did not power off): xl list: gone" eval "txl destroy $G && wait_for 30 xl_gone $G"
xl destroy $G >/dev/null 2>&1
rm -f "$SAVE"
true
