#!/usr/bin/env bash
# The whole lab step: build (cached), boot Xen + dom0 under QEMU, run the suite.
# Exit: the suite's result (0 all checks passed); 3 the lab could not run at all
# here, or 0 in that case when TXL_LAB_ALLOW_SKIP=1. Never reports a skip as a pass.
set -uo pipefail
LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROJECT=$(cd "$LAB_DIR/../.." && pwd)
started=$(date +%s)
# boot.mjs alone gives up after 10 min; the whole suite grows with txl's checks
# and a busy 2-core machine can triple its time.
export TXL_LAB_TIMEOUT=${TXL_LAB_TIMEOUT:-3300}

skipped() {
  echo
  echo "lab: SKIPPED: $1"
  echo "lab: SKIPPED: txl's real-Xen checks did NOT run; nothing was proven on Xen."
  if [ "${TXL_LAB_ALLOW_SKIP:-}" = 1 ]; then exit 0; fi
  echo "lab: (set TXL_LAB_ALLOW_SKIP=1 to let a skipped lab exit 0)"
  exit 3
}
elapsed() { echo "$(($(date +%s) - started))s"; }

[ "$(uname -m)" = x86_64 ] || skipped "this host is $(uname -m), the lab needs x86_64"
command -v apt-get >/dev/null || command -v qemu-system-x86_64 >/dev/null ||
  skipped "no qemu-system-x86_64 and no apt-get to install it"

bash "$LAB_DIR/build.sh"
rc=$?
[ $rc -eq 10 ] && skipped "the lab could not be built here (packages or downloads impossible; see above)"
[ $rc -eq 0 ] || { echo "lab: FAILED: build.sh exited $rc"; exit 1; }
echo "lab: build ready (${TXL_LAB_FLAVOUR:-bookworm}) after $(elapsed)"

# The suite runs bin/txl, which loads dist/: build it so the newest code is tested.
if [ -f "$PROJECT/build.mjs" ]; then
  (cd "$PROJECT" && node build.mjs) >/tmp/txl-lab-build.$$.log 2>&1 ||
    { cat /tmp/txl-lab-build.$$.log; rm -f /tmp/txl-lab-build.$$.log; echo "lab: FAILED: node build.mjs"; exit 1; }
  rm -f /tmp/txl-lab-build.$$.log
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT
node "$LAB_DIR/boot.mjs" --no-build "$@" | tee "$out"
rc=${PIPESTATUS[0]}
[ $rc -eq 10 ] && skipped "QEMU cannot run on this machine (see above)"

summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -1)
case $rc in
  0) echo "lab: PASSED in $(elapsed)" ;;
  124) echo "lab: FAILED: timed out ($(elapsed))" ;;
  125) echo "lab: FAILED: dom0 did not run the suite to its end ($(elapsed))" ;;
  *) echo "lab: FAILED: suite exit $rc ($(elapsed))" ;;
esac
# the suite's count, last and alone on its line, for whoever reads the run's end
if [ -n "$summary" ]; then
  echo "$summary"
elif [ $rc -eq 0 ]; then
  echo "lab: the suite printed no count"
  exit 1
fi
exit $rc
