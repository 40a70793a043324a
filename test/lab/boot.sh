#!/usr/bin/env bash
# Boot the lab (Xen + dom0 under QEMU) and run a command in dom0; see boot.mjs.
#   test/lab/boot.sh [--shell] [--timeout SEC] [--verbose] [--] [command...]
exec node "$(dirname "${BASH_SOURCE[0]}")/boot.mjs" "$@"
