# txl against the real host, with xl as the cross-check: what txl does must
# be visible to xl, and what xl does must be visible to txl. Guests "labtxl*".
check "txl --version runs in dom0" node "$PROJECT/bin/txl" --version || { skip "the txl checks" "bin/txl does not run (is dist/ built?)"; return 0; }

# Name and id of every domain, "name id" per line, sorted.
xl_ids() { xl list | awk 'NR > 1 { print $1, $2 }' | sort; }
txl_ids() { txl list | awk 'NR > 1 { print $1, $2 }' | sort; }
same_ids() {
  diff <(xl_ids) <(txl_ids) >"$WORK/ids.diff" || { cat "$WORK/ids.diff"; echo "txl list and xl list differ"; return 1; }
}
check "txl list: same domains and ids as xl list" same_ids || { skip "the rest of the txl checks" "txl cannot list this host"; return 0; }

G=labtxl
guest_cfg $G "$WORK/$G.cfg"
check "txl create: xl list shows $G running" eval "txl create '$WORK/$G.cfg' && state_is $G \"\$ALIVE\""
check "guest console: $G (made by txl) prints ticks" wait_for 90 console_has $G 'txl-guest: tick 2'
check "txl list: same domains as xl list with $G" same_ids
check "txl pause: xl list shows $G paused" eval "txl pause $G && state_is $G '^..p'"
check "txl unpause: xl list shows $G running" eval "txl unpause $G && state_is $G \"\$ALIVE\""
check "txl destroy: $G is gone from xl list" eval "txl destroy $G && wait_for 20 xl_gone $G"
xl destroy $G >/dev/null 2>&1

G=labtxl-xl
guest_cfg $G "$WORK/$G.cfg"
if xl create -p "$WORK/$G.cfg" >"$WORK/$G.create.log" 2>&1; then
  check "txl list: sees $G, made paused by xl" eval "txl list $G | awk '\$1 == \"$G\" { print \$5 }' | grep -q '^..p'"
  check "txl unpause: $G (made by xl) runs" eval "txl unpause $G && state_is $G \"\$ALIVE\""
  check "txl destroy: $G (made by xl) is gone" eval "txl destroy $G && wait_for 20 xl_gone $G"
else
  skip "txl on a guest made by xl" "xl create -p failed: $(tail -1 "$WORK/$G.create.log")"
fi
xl destroy $G >/dev/null 2>&1
