# The whole command surface, part 1: the host and format commands (once), then every
# per-domain command on a live PV guest (test/lab/surface.sh), xl as the witness. Guest
# "labtx90". test/lab-coverage.test.ts fails when a command of txl's table runs in no check.
txl list >/dev/null 2>&1 || { skip "the command surface on PV" "txl list does not work here: $(txl list 2>&1 | tail -1)"; return 0; }
. "$LAB_DIR/surface.sh"

# --- host ---------------------------------------------------------------------
xl_info() { xl info | awk -F' *: ' -v k="$1" '$1 == k { print $2 }'; }
check "heap checks are on in every txl run (glibc malloc check 3, perturb)" eval "[ -n \"\$TXL_LAB_HEAPCHECK\" ] && txl_env node -e 'process.exit(require(\"fs\").readFileSync(\"/proc/self/maps\", \"utf8\").includes(\"libc_malloc_debug\") ? 0 : 1)'"
check "txl nodeinfo: xl info's CPUs and memory" eval "t=\$(txl nodeinfo) && eq cpus \"\$(field_of \"\$t\" 'CPU(s)')\" \"\$(xl_info nr_cpus)\" && m=\$(field_of \"\$t\" 'Memory size') && eq 'memory (MiB)' \"\$((\${m% KiB} / 1024))\" \"\$(xl_info total_memory)\""
check "-o json nodeinfo" json_is "j.cpus === $(xl_info nr_cpus)" nodeinfo
check "-o json info: xl info's nr_cpus" json_is "JSON.stringify(j).includes('\"nr_cpus\":') && (j.physinfo ? j.physinfo.nr_cpus : j.nr_cpus) == $(xl_info nr_cpus)" info
hvm_cap() { xl_info xen_caps | grep -q hvm && echo yes || echo no; }
check "txl capabilities: xen guests, hvm exactly when xl info's xen_caps has it" eval "c=\$(txl capabilities) && grep -q '<capabilities>' <<<\"\$c\" && grep -q '<os_type>xen</os_type>' <<<\"\$c\" && eq hvm \"\$(grep -q '<os_type>hvm</os_type>' <<<\"\$c\" && echo yes || echo no)\" \"\$(hvm_cap)\""
check "-o json capabilities" json_is "Array.isArray(j.guests) && j.guests.length > 0" capabilities
check "-o json dmesg: xl dmesg's Xen version line" json_is "JSON.stringify(j).includes('Xen version')" dmesg
check "-o json cpupool-list: Pool-0" json_is "JSON.stringify(j).includes('Pool-0')" cpupool-list
check "txl sched-credit (no domain): as xl on this host" same_rc "sched-credit" "sched-credit"
check "-o json sched-credit: one entry per domain xl sched-credit lists" json_is "Array.isArray(j) && j.length === $(xl sched-credit 2>/dev/null | awk '$1 != "Cpupool" && $1 != "Name"' | grep -c .)" sched-credit
check "txl pci-assignable-list: the rows xl pci-assignable-list shows" eval "eq rows \"\$(txl pci-assignable-list)\" \"\$(xl pci-assignable-list)\""
check "-o json pci-assignable-list" json_is "Array.isArray(j) && j.length === $(xl pci-assignable-list | grep -c .)" pci-assignable-list

# --- formats, on the lab's guest config; xl reads what txl writes --------------
G=labtx90
guest_cfg $G "$WORK/$G.cfg" 'maxmem = 192'
same_json() { # A.json B.json: equal libxl JSON, the uuid aside
  node -e '
    const fs = require("fs");
    const [a, b] = process.argv.slice(1).map((f) => { const j = JSON.parse(fs.readFileSync(f, "utf8")); delete j.c_info.uuid; return JSON.stringify(j); });
    if (a !== b) { console.log("differ:\n" + a + "\n" + b); process.exit(1); }
  ' "$1" "$2"
}
check "txl create -N: the libxl JSON of xl -N create (uuid aside)" eval "xl -N create '$WORK/$G.cfg' >'$WORK/$G.xl.json' 2>/dev/null && txl create -N '$WORK/$G.cfg' >'$WORK/$G.txl.json' && same_json '$WORK/$G.xl.json' '$WORK/$G.txl.json'"
check "txl check: the lab config is clean" txl check "$WORK/$G.cfg"
check "-o json check" json_is "j[0].ok === true && j[0].errors === 0" check "$WORK/$G.cfg"
printf 'name = "x"\nmemory = [\n' >"$WORK/broken.cfg"
check "txl lint (alias of check): a broken config, exit 2 with file:line:col" eval "txl lint '$WORK/broken.cfg' >'$WORK/lint.out' 2>&1; [ \$? -eq 2 ] && grep -q 'broken.cfg:[0-9]*:[0-9]*' '$WORK/lint.out'"
check "txl convert --to xml, then --to xl: xl -N create reads the result as the same domain" eval "txl convert '$WORK/$G.cfg' --to xml >'$WORK/$G.xml' && txl convert '$WORK/$G.xml' --to xl >'$WORK/$G.back.cfg' && xl -N create '$WORK/$G.back.cfg' 2>/dev/null | grep -q '\"name\": \"$G\"'"
check "-o json convert" json_is "j !== null && typeof j === 'object'" convert "$WORK/$G.cfg" --to json
check "txl domxml-from-native and domxml-to-native: xl -N create reads the result" eval "txl domxml-from-native xen-xl '$WORK/$G.cfg' >'$WORK/$G.n.xml' && grep -q '<name>$G</name>' '$WORK/$G.n.xml' && txl domxml-to-native xen-xl '$WORK/$G.n.xml' >'$WORK/$G.n.cfg' && xl -N create '$WORK/$G.n.cfg' >/dev/null 2>&1"
check "-o json domxml-from-native and domxml-to-native" eval "json_is \"JSON.stringify(j).includes('<name>$G</name>')\" domxml-from-native xen-xl '$WORK/$G.cfg' && json_is \"JSON.stringify(j).includes('$G')\" domxml-to-native xen-xl '$WORK/$G.n.xml'"
check "txl new (flags, no terminal): xl -N create reads the config it writes" eval "txl new labtx90n --type pv --memory 128 --kernel $GUEST_DIR/vmlinux --ramdisk $GUEST_DIR/guest.cpio.gz --network xenbr0 -f '$WORK/new.cfg' </dev/null && xl -N create '$WORK/new.cfg' 2>/dev/null | grep -q '\"name\": \"labtx90n\"'"
check "txl completion bash: a script bash accepts" eval "txl completion bash >'$WORK/c.bash' && bash -n '$WORK/c.bash' && grep -q complete '$WORK/c.bash'"
check "txl help: every group; help create; an unknown command exits 2" eval "txl help | grep -q 'Domain lifecycle' && txl help create | grep -q 'Usage: txl create' && { txl help nosuchcmd >/dev/null 2>&1; [ \$? -eq 2 ]; }"

# --- every per-domain command, on a PV guest -----------------------------------
surface_domain pv $G "$WORK/$G.cfg"
