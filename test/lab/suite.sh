#!/bin/bash
# The lab's end-to-end suite. Runs inside dom0 (boot.mjs's default payload),
# from the project's root (/opt/txl). Each file in test/lab/checks/ is a group
# of checks, run in name order; each check prints exactly one line, and the
# suite ends with "N passed, N failed, N skipped" and fails if any check failed.
#
#   TXL_LAB_CHECKS="10-* 20-*"   only these groups (globs on the file names)
#   TXL_LAB_CHECKS_DIR=DIR        the groups of DIR instead (the suite's own tests)
#
# Writing a check (see checks/*.sh):
#   check "what it proves" cmd args...       passes when cmd exits 0 within
#                                             $TXL_LAB_CHECK_TIMEOUT (360 s); cmd may be a
#                                             function or `eval "..."`; its last output
#                                             line is the reason shown on failure
#   skip "what" "why"                         counted as skipped, never as passed
#   wait_for SECS cmd args...                 retry cmd every 0.5 s until it succeeds
# Helpers: xl_state NAME, guest_cfg NAME FILE [lines...], ticks NAME,
#   console_has NAME REGEX, txl ARGS... (bin/txl --connect xen:///system).
set -u
set -a # checks run in a child bash: export every variable a group sets
CHECK_TIMEOUT=${TXL_LAB_CHECK_TIMEOUT:-360}
LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROJECT=$(cd "$LAB_DIR/../.." && pwd)
WORK=${TXL_LAB_WORK:-/tmp/txl-lab-suite}
GUEST_DIR=${TXL_LAB_GUEST_DIR:-/var/lib/txl-lab}
CONSOLE_DIR=/var/log/xen/console
rm -rf "$WORK"
mkdir -p "$WORK/out"

n=0 passed=0 failed=0 skipped=0
failed_names=()
superseded=() # checks that failed in a group run that was done again (not counted)

# check NAME CMD...: one line, with how long the check took.
check() {
  local name=$1
  shift
  n=$((n + 1))
  local started rc
  started=$(date +%s.%N)
  attempt "$WORK/out/$n.log" "$@"
  rc=$?
  report "$name" $rc "$started" ""
}

# Which guest vCPUs Xen saw triple-fault ("dNvM Triple fault" in xl dmesg), one a line.
faulted_vcpus() { xl dmesg 2>/dev/null | grep -o 'd[0-9]*v[0-9]* Triple fault' | awk '{print $1}' | sort -u; }

# attempt OUT CMD...: runs CMD under timeout(1) with its output in OUT; CMD's exit code.
attempt() {
  local out=$1 rc
  shift
  # A hung check must not eat the whole boot's time: each runs under timeout(1),
  # in a bash that gets every function (and, by set -a, every variable) of here.
  export -f $(compgen -A function)
  timeout -k 5 "$CHECK_TIMEOUT" bash -c '"$@"' check "$@" >"$out" 2>&1 </dev/null
  rc=$?
  [ $rc -eq 124 ] && echo "timed out after ${CHECK_TIMEOUT}s" >>"$out"
  return $rc
}

# report NAME RC STARTED NOTE: the check's one line, and the counts.
report() {
  local name=$1 rc=$2 took out="$WORK/out/$n.log" note=${4:+ [$4]}
  took=$(awk -v a="$3" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1))
    echo "ok   $n - $name (${took}s)$note"
  else
    failed=$((failed + 1))
    failed_names+=("$n")
    local why
    why=$(grep -v '^[[:space:]]*$' "$out" | tail -1 | cut -c1-160)
    echo "FAIL $n - $name (${took}s)$note: ${why:-exit $rc}"
  fi
  return "$rc"
}

skip() {
  n=$((n + 1))
  skipped=$((skipped + 1))
  echo "skip $n - $1: $2"
}

wait_for() {
  local secs=$1 deadline
  shift
  deadline=$(($(date +%s) + secs))
  while :; do
    "$@" && return 0
    [ "$(date +%s)" -ge "$deadline" ] && { echo "still not true after ${secs}s: $*"; return 1; }
    sleep 0.5
  done
}

# nic_attach NAME CMD...: runs CMD, a NIC hot-plug into NAME. Under TCG on a shared
# machine, dom0 can be starved long enough that libxl kills vif-bridge at its 40 s
# timeout ("... because of timeout"), leaving the vif behind; that is the host, not the
# command under test, so the leftover NICs are removed and CMD runs once more.
nic_attach() {
  local g=$1 out rc m
  shift
  out=$("$@" 2>&1)
  rc=$?
  printf '%s\n' "$out"
  if [ $rc -ne 0 ] && grep -q 'because of timeout' <<<"$out"; then
    echo "(libxl timed out a hotplug script; the NIC is removed and the attach runs again)"
    for m in $(xl network-list "$g" 2>/dev/null | awk 'NR > 1 { print $3 }'); do xl network-detach "$g" "$m" || true; done
    wait_for 60 eval "[ -z \"\$(xl network-list $g 2>/dev/null | awk 'NR > 1')\" ]" || return 1
    "$@"
    return
  fi
  return $rc
}

# The state column of `xl list NAME` (r-----, -b----, --p---...), empty if absent.
xl_state() { xl list "$1" 2>/dev/null | awk -v n="$1" '$1 == n { print $5 }'; }
xl_has() { xl list 2>/dev/null | awk '{print $1}' | grep -qx "$1"; }
xl_gone() { ! xl_has "$1"; }
# Alive: not paused, shut down, crashed or dying ("------" is a vCPU waiting for a CPU).
ALIVE='^[r-][b-]----$'
state_is() { # NAME REGEX
  local s
  s=$(xl_state "$1")
  [[ $s =~ $2 ]] || { echo "$1 is '${s:-absent}', wanted /$2/"; return 1; }
}

# json_file_is FILE 'JS EXPR': FILE parses as JSON and EXPR (over j) is true of it, else says
# which; surface.sh's json_is and the remote checks' remote_json read txl's output through it.
json_file_is() {
  node -e '
    const [file, expr] = process.argv.slice(1);
    let j;
    try { j = JSON.parse(require("fs").readFileSync(file, "utf8")); } catch (e) { console.log("not JSON: " + e.message); process.exit(1); }
    if (!(0, eval)("(j) => (" + expr + ")")(j)) { console.log("false of the JSON: " + expr + " in " + JSON.stringify(j).slice(0, 300)); process.exit(1); }
  ' "$1" "$2"
}

# A tiny PV guest: the lab kernel as an ELF and the ticking busybox initramfs.
guest_cfg() { # NAME FILE [extra cfg lines...]
  local name=$1 file=$2
  shift 2
  {
    echo "name = \"$name\""
    echo "type = \"${GUEST_TYPE:-pv}\""
    echo "kernel = \"$GUEST_DIR/vmlinux\""
    echo "ramdisk = \"$GUEST_DIR/guest.cpio.gz\""
    echo 'extra = "console=hvc0 quiet"'
    echo 'memory = 128'
    echo 'vcpus = 1'
    for l in "$@"; do echo "$l"; done
  } >"$file"
}

console_log() { echo "$CONSOLE_DIR/guest-$1.log"; }
ticks() {
  local c
  c=$(grep -c 'txl-guest: tick' "$(console_log "$1")" 2>/dev/null)
  echo "${c:-0}"
}
console_has() { grep -qE "$2" "$(console_log "$1")" 2>/dev/null || { echo "no /$2/ in $(console_log "$1")"; return 1; }; }
# The guest prints its device list whenever it changes; this is the latest one.
guest_devices() { grep 'txl-guest: devices:' "$(console_log "$1")" 2>/dev/null | tail -1 | sed 's/.*devices: //'; }
devices_match() { # NAME REGEX
  local d
  d=$(guest_devices "$1")
  [[ $d =~ $2 ]] || { echo "guest $1 devices '${d:-?}' do not match /$2/"; return 1; }
}
ticks_grow() { # NAME BEFORE
  [ "$(ticks "$1")" -gt "$2" ] || { echo "guest $1 still at $2 ticks"; return 1; }
}

# glibc's heap checks in every txl process of the suite (and the monitors and helpers it
# starts): a corrupted heap aborts at once (exit 134, a failed check) instead of running on.
# Since glibc 2.34 MALLOC_CHECK_ works only with libc_malloc_debug preloaded.
TXL_LAB_HEAPCHECK=
if [ -f /lib/x86_64-linux-gnu/libc_malloc_debug.so.0 ]; then
  TXL_LAB_HEAPCHECK="LD_PRELOAD=/lib/x86_64-linux-gnu/libc_malloc_debug.so.0 MALLOC_CHECK_=3 MALLOC_PERTURB_=165 GLIBC_TUNABLES=glibc.malloc.check=3:glibc.malloc.perturb=165"
fi
# shellcheck disable=SC2086 # the variable is a list of NAME=VALUE words
txl_env() { env $TXL_LAB_HEAPCHECK "$@"; }
txl() { txl_env node "$PROJECT/bin/txl" --connect xen:///system "$@"; }
TXL_BIN="env $TXL_LAB_HEAPCHECK node $PROJECT/bin/txl --connect xen:///system"
# The command that migrates NAME to localhost; HOW is "txl to txl", "xl to txl" or "txl to xl".
migrate_cmd() { # HOW NAME
  case $1 in
    "txl to txl") echo "txl migrate -s '' $2 '$TXL_BIN migrate-receive'" ;;
    "xl to txl") echo "xl migrate -s '' $2 '$TXL_BIN migrate-receive'" ;;
    "txl to xl") echo "txl migrate --remote-xl -s '' $2 'xl migrate-receive'" ;;
  esac
}
# A migrating guest's receiving side logs its console under the name it had then.
both_logs() { cat "$(console_log "$1")" "$CONSOLE_DIR/guest-$1--incoming.log" 2>/dev/null; }
max_tick() { both_logs "$1" | grep -o 'txl-guest: tick [0-9]*' | awk '{print $3}' | sort -n | tail -1; }

# xl list and txl list agree on every domain: name, id, memory, vCPUs, and the state
# flags that do not flicker (paused, shut down, crashed, dying; running/blocked may).
list_rows() { awk 'NR > 1 { print $1, $2, $3, $4, substr($5, 3) }' | sort; }
# A booting guest onlines vCPUs and balloons between the two calls: agreement may take a
# few tries, a real difference stays.
lists_agree() { wait_for 60 lists_agree_now; }
lists_agree_now() {
  local a b
  a=$(xl list | list_rows) && b=$(txl list | list_rows) || { echo "xl list or txl list failed"; return 1; }
  [ "$a" = "$b" ] || { diff <(echo "$a") <(echo "$b") | sed 's/^/  /'; echo "xl list (<) and txl list (>) differ"; return 1; }
}

# Under TCG, QEMU's emulated AMD SVM now and then makes an HVM-type (PVH) guest triple-fault:
# in its boot's TSC calibration, in user mode, under HAP log-dirty in a live migration. Real
# SVM and VMX hardware do not, and PV guests cannot. A group that failed while a guest
# triple-faulted (xl dmesg) runs again from its start, twice at most, and says so; only its
# last run counts (check numbers go on, so each run's outputs stay in $WORK/out/N.log).
run_group() { # FILE NAME
  local try before new counts names
  for try in 1 2 3; do
    counts="$passed $failed $skipped"
    names=("${failed_names[@]}")
    before=$(faulted_vcpus)
    # a group may `return` early when what the rest needs is missing
    source "$1"
    [ "$failed" -eq "$(echo "$counts" | cut -d' ' -f2)" ] && return 0
    new=$(comm -13 <(echo "$before") <(faulted_vcpus) | tr '\n' ' ')
    [ -n "${new// /}" ] && [ $try -lt 3 ] || return 0
    echo "# $2: again from its start, as ${new% } triple-faulted during it (xl dmesg: QEMU's emulated SVM, see suite.sh); only the last run counts"
    read -r passed failed skipped <<<"$counts"
    superseded+=("${failed_names[@]:${#names[@]}}")
    failed_names=("${names[@]}")
  done
}

echo "txl lab suite: $(xl info 2>/dev/null | awk -F': ' '/^xen_version/ {print "Xen " $2}'), dom0 $(uname -r), node $(node --version 2>/dev/null)"
patterns=${TXL_LAB_CHECKS:-*}
for f in "${TXL_LAB_CHECKS_DIR:-$LAB_DIR/checks}"/*.sh; do
  base=$(basename "$f")
  want=
  set -f # the patterns are for file names here, not for the current directory
  for p in $patterns; do
    # shellcheck disable=SC2254
    case $base in $p | $p.sh) want=1 ;; esac
  done
  set +f
  [ -n "$want" ] || continue
  echo "# ${base%.sh}"
  run_group "$f" "${base%.sh}"
done

show_outputs() { # TITLE N...
  echo "# $1"
  shift
  for i in "$@"; do
    echo "## check $i"
    tail -15 "$WORK/out/$i.log" | sed 's/^/  /'
  done
}
[ ${#superseded[@]} -eq 0 ] || show_outputs "output of the checks that failed in a group run done again (not counted)" "${superseded[@]}"
[ ${#failed_names[@]} -eq 0 ] || show_outputs "output of the failed checks" "${failed_names[@]}"
[ "$n" -gt 0 ] || { echo "no check ran (TXL_LAB_CHECKS='$patterns')"; failed=1; }
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
