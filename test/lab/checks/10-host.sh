# The lab itself: a Xen host (4.17 on bookworm, 4.20 on trixie: the version of dom0's Xen
# tools, TXL_LAB_XEN from dom0-init.sh) whose dom0 has the toolstack, node and txl.
XEN_WANTED=${TXL_LAB_XEN:-4.17}
xen_is_wanted() { xl info | grep -E '^xen_(major|minor)' | awk '{print $3}' | tr '\n' . | grep -qx "$XEN_WANTED." || { xl info | grep ^xen_; echo "not Xen $XEN_WANTED"; return 1; }; }
check "xl info: Xen $XEN_WANTED is running" xen_is_wanted || return 0
dom0_listed() { xl list | awk '$1 == "Domain-0" && $2 == 0 { found = 1 } END { exit !found }' || { xl list; echo "no Domain-0 with id 0"; return 1; }; }
check "xl list: Domain-0 has id 0" dom0_listed
check "xenstore: /local/domain/0/name is Domain-0" eval '[ "$(xenstore-read /local/domain/0/name)" = Domain-0 ]'
check "xenconsoled is running (guest consoles logged)" pgrep -x xenconsoled
check "xenbr0 bridge exists for guest networks" ip link show xenbr0
check "node runs in dom0" node -e 'if (!process.versions.node) process.exit(1)'
check "lab guest kernel is an ELF" eval "head -c4 '$GUEST_DIR/vmlinux' | grep -q ELF"
check "libxenlight.so.$XEN_WANTED is present for koffi" eval 'ldconfig -p | grep -q "libxenlight.so.$XEN_WANTED "'
# trixie: txl runs on Debian's own nodejs package (engines >= 20.12)
[ "${TXL_LAB_FLAVOUR:-bookworm}" = bookworm ] || check "node is Debian's nodejs package ($(node --version 2>&1))" eval '[ "$(command -v node)" = /usr/bin/node ] && dpkg -s nodejs >/dev/null'
