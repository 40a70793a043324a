# The binding-heavy commands once under valgrind's memcheck in dom0: the libxl JSON bridge
# (list -l: libxl_retrieve_domain_configuration, structs made and freed through JSON) and
# bitmaps and arrays of structs (vcpu-list). An invalid read or write, or a use of
# uninitialised memory, fails the check (valgrind's own exit code). Guest "labtx95", made
# paused by xl: the guest need not boot. Only memcheck of valgrind is in dom0 (build.sh).
VG=/opt/valgrind/valgrind.bin
[ -x $VG ] || { skip "txl under valgrind" "no valgrind in this dom0 (test/lab/build.sh puts it in /opt/valgrind)"; return 0; }
G=labtx95
xl destroy $G >/dev/null 2>&1
guest_cfg $G "$WORK/$G.cfg" 'vcpus = 2'
xl create -p "$WORK/$G.cfg" >/dev/null 2>&1 || { skip "txl under valgrind" "xl could not create $G"; return 0; }
memcheck() { # OUTPUT-CHECK TXL ARGS...: no memcheck error, and the output passes OUTPUT-CHECK
  local want=$1
  shift
  VALGRIND_LIB=/opt/valgrind/lib $VG -q --tool=memcheck --error-exitcode=99 --leak-check=no --trace-children=no \
    node "$PROJECT/bin/txl" --connect xen:///system "$@" >"$WORK/vg.out" 2>"$WORK/vg.err"
  local rc=$?
  [ $rc -eq 0 ] || { tail -30 "$WORK/vg.err"; echo "valgrind/txl exited $rc"; return 1; }
  ! grep -q '^==[0-9]*==' "$WORK/vg.err" || { tail -30 "$WORK/vg.err"; echo "valgrind reported errors"; return 1; }
  grep -q "$want" "$WORK/vg.out" || { tail -5 "$WORK/vg.out"; echo "no '$want' in the output"; return 1; }
}
check "valgrind: txl -o json list -l $G, no memcheck error" memcheck "\"name\": \"$G\"" -o json list -l $G
check "valgrind: txl vcpu-list $G, no memcheck error" memcheck "^$G " vcpu-list $G
xl destroy $G >/dev/null 2>&1
