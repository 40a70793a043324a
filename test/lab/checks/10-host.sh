# The lab itself: a Xen 4.17 host whose dom0 has the toolstack, node and txl.
xen_is_417() { xl info | grep -E '^xen_(major|minor)' | awk '{print $3}' | tr '\n' . | grep -qx '4.17.' || { xl info | grep ^xen_; echo "not Xen 4.17"; return 1; }; }
check "xl info: Xen 4.17 is running" xen_is_417 || return 0
dom0_listed() { xl list | awk '$1 == "Domain-0" && $2 == 0 { found = 1 } END { exit !found }' || { xl list; echo "no Domain-0 with id 0"; return 1; }; }
check "xl list: Domain-0 has id 0" dom0_listed
check "xenstore: /local/domain/0/name is Domain-0" eval '[ "$(xenstore-read /local/domain/0/name)" = Domain-0 ]'
check "xenconsoled is running (guest consoles logged)" pgrep -x xenconsoled
check "xenbr0 bridge exists for guest networks" ip link show xenbr0
check "node runs in dom0" node -e 'if (!process.versions.node) process.exit(1)'
check "lab guest kernel is an ELF" eval "head -c4 '$GUEST_DIR/vmlinux' | grep -q ELF"
check "libxenlight.so.4.17 is present for koffi" eval 'ldconfig -p | grep -q "libxenlight.so.4.17 "'
