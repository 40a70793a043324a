# The whole command surface, part 2: every per-domain command (test/lab/surface.sh) on a
# live PVH guest, xl as the witness. Guest "labtx91". Like 75, this group may run again from
# its start after a TCG triple fault; surface_domain begins by clearing what a run left.
txl list >/dev/null 2>&1 || { skip "the command surface on PVH" "txl list does not work here: $(txl list 2>&1 | tail -1)"; return 0; }
xl info | grep -q '^virt_caps *:.*\bhap\b' || { skip "the command surface on PVH" "no HAP on this host (xl info virt_caps)"; return 0; }
. "$LAB_DIR/surface.sh"
G=labtx91
# tsc_mode native and one vCPU: see 75-txl-pvh.sh
GUEST_TYPE=pvh guest_cfg $G "$WORK/$G.cfg" 'tsc_mode = "native"' 'maxmem = 192'
surface_domain pvh $G "$WORK/$G.cfg"
