# Failures on real Xen leave nothing behind, txl and xl share xl's lock, and the host's
# boot allow-list (/etc/txl/txl.yaml) is enforced. Each failed create must print one error
# and leave no domain in xl list and nothing of it in xenstore or among dom0's interfaces.
# Guests "labtx8*". Needs txl create (60-txl-xen.sh).
txl list >/dev/null 2>&1 || { skip "the fault checks" "txl list does not work here: $(txl list 2>&1 | tail -1)"; return 0; }

cleanup() { for g in "$@"; do xl destroy "$g" >/dev/null 2>&1; done; }
set_cfg() { sed -i "s|^$2 = .*|$2 = $3|" "$1"; } # FILE KEY VALUE: guest_cfg's line replaced
# What a create could leave behind: domains in xenstore, vif backends, vif interfaces.
host_trace() {
  echo "domains: $(xenstore-list /local/domain 2>/dev/null | sort -n | tr '\n' ' ')"
  echo "vm: $(xenstore-list /vm 2>/dev/null | sort | tr '\n' ' ')"
  echo "libxl: $(xenstore-list /libxl 2>/dev/null | sort -n | tr '\n' ' ')"
  echo "vif backends: $(xenstore-list /local/domain/0/backend/vif 2>/dev/null | sort -n | tr '\n' ' ')"
  echo "vif links: $(ls /sys/class/net | grep '^vif' | sort | tr '\n' ' ')"
}
# NAME CFG BEFORE_TRACE_FILE: txl create fails, with exactly one error line, and leaves no trace
fails_cleanly() {
  local out="$WORK/$1.out" n
  txl create "$2" >"$out" 2>&1 && { echo "txl create of $1 succeeded"; return 1; }
  n=$(grep -c '^txl: error: ' "$out")
  [ "$n" = 1 ] || { cat "$out"; echo "$n error lines, wanted 1"; return 1; }
  wait_for 30 xl_gone "$1" >/dev/null || { xl list; echo "$1 is still in xl list"; return 1; }
  wait_for 30 eval "host_trace | diff -u '$3' - >/dev/null" >/dev/null || { host_trace | diff -u "$3" -; echo "$1 left something behind"; return 1; }
  grep '^txl: error: ' "$out"
}

# --- a bridge that does not exist --------------------------------------------
G=labtx8br
guest_cfg $G "$WORK/$G.cfg" "vif = [ 'bridge=labnobr0' ]"
host_trace >"$WORK/trace.before"
check "txl create with a bridge that does not exist: one error, no $G, no vif left" fails_cleanly $G "$WORK/$G.cfg" "$WORK/trace.before"
cleanup $G

# --- far too much memory -----------------------------------------------------
G=labtx8mem
guest_cfg $G "$WORK/$G.cfg" 'maxmem = 1048576'
set_cfg "$WORK/$G.cfg" memory 1048576
host_trace >"$WORK/trace.before"
free_before=$(xl info | awk -F': ' '/^free_memory/ { print $2 }')
check "txl create asking for 1 TiB: one error, no $G, nothing left" fails_cleanly $G "$WORK/$G.cfg" "$WORK/trace.before"
free_back() {
  local f
  f=$(xl info | awk -F': ' '/^free_memory/ { print $2 }')
  [ "$f" -ge $((free_before - 8)) ] || { echo "free memory $f MiB, was $free_before MiB"; return 1; }
}
check "txl create asking for 1 TiB: the host's free memory is back ($free_before MiB)" wait_for 30 free_back
cleanup $G

# --- a bad name never reaches libxl ------------------------------------------
guest_cfg '../labtx8' "$WORK/badname.cfg"
bad_name() {
  txl create "$WORK/badname.cfg" >"$WORK/badname.out" 2>&1
  local rc=$?
  [ $rc = 2 ] && grep -q "cannot be a domain name" "$WORK/badname.out" || { cat "$WORK/badname.out"; echo "exit $rc"; return 1; }
  xl_gone '../labtx8'
}
check "txl create of a domain named '../labtx8': refused before libxl (exit 2)" bad_name

# --- txl and xl at the same moment share xl's lock ---------------------------
# START_FIRST THEN NAME_A NAME_B: one tool starts its create, the other starts as soon as
# the first has read its config (txl) or at once (xl); both are paused creates.
race() {
  local first=$1 a=$2 b=$3 ra rb
  rm -f "$WORK/$a.out" "$WORK/$b.out"
  if [ "$first" = txl ]; then
    txl create -p "$WORK/$a.cfg" >"$WORK/$a.out" 2>&1 &
    local pa=$!
    wait_for 60 grep -q 'Parsing config' "$WORK/$a.out" >/dev/null
    xl create -p "$WORK/$b.cfg" >"$WORK/$b.out" 2>&1 &
    local pb=$!
  else
    xl create -p "$WORK/$b.cfg" >"$WORK/$b.out" 2>&1 &
    local pb=$!
    txl create -p "$WORK/$a.cfg" >"$WORK/$a.out" 2>&1 &
    local pa=$!
  fi
  wait $pa
  ra=$?
  wait $pb
  rb=$?
  echo "$ra $rb"
}
# NAME RC: created (rc 0) and in xl list, or failed with an error and gone
clean_outcome() {
  if [ "$2" = 0 ]; then
    xl_has "$1" || { echo "$1 reported success but is not in xl list"; return 1; }
  else
    grep -qiE 'error|fail' "$WORK/$1.out" || { cat "$WORK/$1.out"; echo "$1 failed without saying why"; return 1; }
    wait_for 30 xl_gone "$1" >/dev/null || { echo "$1 failed but is still in xl list"; return 1; }
  fi
}
# no over-commit: what xl list gives the domains fits in the host's memory
fits() {
  local total used free
  total=$(xl info | awk -F': ' '/^total_memory/ { print $2 }')
  free=$(xl info | awk -F': ' '/^free_memory/ { print $2 }')
  used=$(xl list | awk 'NR > 1 { s += $3 } END { print s }')
  [ "$free" -ge 0 ] && [ $((used + free)) -le "$total" ] || { xl list; echo "used $used + free $free MiB > total $total MiB"; return 1; }
}

A=labtx8ta B=labtx8xb
guest_cfg $A "$WORK/$A.cfg"
guest_cfg $B "$WORK/$B.cfg"
both_fit() {
  local rcs
  rcs=$(race "$1" $A $B)
  [ "$rcs" = "0 0" ] || { cat "$WORK/$A.out" "$WORK/$B.out"; echo "exit codes txl/xl: $rcs"; return 1; }
  xl_has $A && xl_has $B && fits
}
check "txl create and xl create at once (txl first), both fit: both created, nothing over-committed" both_fit txl
cleanup $A $B
wait_for 30 eval "xl_gone $A && xl_gone $B" >/dev/null
check "xl create and txl create at once (xl first), both fit: both created" both_fit xl
cleanup $A $B
wait_for 30 eval "xl_gone $A && xl_gone $B" >/dev/null

# each guest more than half of what is free: at most one can be built. xl (and so txl) takes
# /var/lock/xl only when it balloons dom0; with dom0_mem= set (this lab) neither locks, and two
# builds racing for the same memory may both fail: never both succeed, never over-commit.
# With autoballoon on, the lock makes exactly one succeed.
free=$(xl info | awk -F': ' '/^free_memory/ { print $2 }')
half=$((free / 2 + 64))
if [ "$half" -lt "$free" ] && [ "$free" -gt 256 ]; then
  set_cfg "$WORK/$A.cfg" memory $half
  set_cfg "$WORK/$B.cfg" memory $half
  one_fits() {
    local rcs ok=0
    rcs=$(race "$1" $A $B)
    set -- $rcs
    [ "$1" = 0 ] && ok=$((ok + 1))
    [ "$2" = 0 ] && ok=$((ok + 1))
    clean_outcome $A "$1" && clean_outcome $B "$2" || return 1
    [ $ok -le 1 ] || { cat "$WORK/$A.out" "$WORK/$B.out"; echo "$ok of the two ${half} MiB guests were created, with $free MiB free"; return 1; }
    fits
  }
  check "txl and xl at once, each guest $half of $free MiB free: never both created, failures clean, nothing over-committed" one_fits txl
  cleanup $A $B
  wait_for 30 eval "xl_gone $A && xl_gone $B" >/dev/null
  check "xl and txl at once, the same: never both created, failures clean, nothing over-committed" one_fits xl
  cleanup $A $B
else
  skip "txl and xl racing for memory" "only $free MiB free"
fi

# --- the boot allow-list -----------------------------------------------------
CONF=/etc/txl/txl.yaml
if [ -e $CONF ]; then
  skip "the boot allow-list" "$CONF exists already; it is the host's, not the lab's"
else
  mkdir -p /etc/txl
  printf 'boot:\n  kernel_dirs: [%s]\n' "$GUEST_DIR" >$CONF
  chmod 644 $CONF
  cp "$GUEST_DIR/vmlinux" "$WORK/vmlinux"
  ln -sf "$WORK/vmlinux" "$GUEST_DIR/labtx8-escape"
  G=labtx8k
  refused_kernel() { # KERNEL
    guest_cfg $G "$WORK/$G.cfg"
    set_cfg "$WORK/$G.cfg" kernel "\"$1\""
    host_trace >"$WORK/trace.before"
    fails_cleanly $G "$WORK/$G.cfg" "$WORK/trace.before" | grep -q "its kernel '$1'.*boot.kernel_dirs of $CONF (allowed: $GUEST_DIR)" || { cat "$WORK/$G.out"; return 1; }
  }
  check "boot allow-list: a kernel outside $GUEST_DIR is refused, naming it, the list and $CONF" refused_kernel "$WORK/vmlinux"
  check "boot allow-list: a symlink in $GUEST_DIR to a kernel outside is refused" refused_kernel "$GUEST_DIR/labtx8-escape"
  up=$(echo "$GUEST_DIR" | sed 's|/[^/]*|../|g') # as many ../ as GUEST_DIR is deep
  check "boot allow-list: .. out of $GUEST_DIR is refused" refused_kernel "$GUEST_DIR/$up${WORK#/}/vmlinux"
  guest_cfg $G "$WORK/$G.cfg"
  check "boot allow-list: the lab's kernel in $GUEST_DIR is allowed" eval "txl create -p '$WORK/$G.cfg' && state_is $G '^..p'"
  cleanup $G
  chmod 666 $CONF
  unsafe_conf() {
    txl create -p "$WORK/$G.cfg" >"$WORK/$G.out" 2>&1 && { echo "created despite a $CONF anyone can write"; return 1; }
    grep -q 'writable by every user' "$WORK/$G.out" || { cat "$WORK/$G.out"; return 1; }
    xl_gone $G
  }
  check "boot allow-list: a $CONF anyone can write stops txl create" unsafe_conf
  cleanup $G
  rm -f $CONF "$GUEST_DIR/labtx8-escape"
  rmdir /etc/txl 2>/dev/null
fi
