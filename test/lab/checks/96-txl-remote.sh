# Remote connections on real Xen: dom0 runs its own sshd (a throw-away host key and user key,
# loopback only) and txl reaches it as xen+ssh://root@127.0.0.1:PORT/system, xl as the
# witness: list, -o json list, create and destroy of a paused PV guest, the one-line errors
# of a wrong host key and of a remote without txl. Guest "labtx96".
txl list >/dev/null 2>&1 || { skip "the remote (ssh) checks" "txl list does not work here: $(txl list 2>&1 | tail -1)"; return 0; }
[ -x /usr/sbin/sshd ] && command -v ssh >/dev/null && command -v ssh-keygen >/dev/null ||
  { skip "the remote (ssh) checks" "dom0 has no openssh-server/-client (test/lab/build.sh's rootfs is older)"; return 0; }

G=labtx96
D=$WORK/ssh96
PORT=2296
xl destroy $G >/dev/null 2>&1
rm -rf "$D"
mkdir -p "$D/bin" "$D/notxl" /run/sshd
# the remote txl: this checkout, found on the session's PATH as the remote user would
printf '#!/bin/sh\nexec node %s/bin/txl "$@"\n' "$PROJECT" >"$D/bin/txl"
chmod +x "$D/bin/txl"
NODE_DIR=$(dirname "$(command -v node)")
ssh-keygen -q -t ed25519 -N '' -f "$D/hostkey" && ssh-keygen -q -t ed25519 -N '' -f "$D/userkey" && ssh-keygen -q -t ed25519 -N '' -f "$D/otherkey"
cp "$D/userkey.pub" "$D/authorized_keys"
sshd_conf() { # FILE PATH PIDFILE
  cat >"$1" <<EOF
HostKey $D/hostkey
AuthorizedKeysFile $D/authorized_keys
PidFile $3
ListenAddress 127.0.0.1
StrictModes no
UsePAM no
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
SetEnv PATH=$2 HOME=$D
EOF
}
sshd_conf "$D/sshd_config" "$D/bin:$NODE_DIR:/usr/sbin:/usr/bin:/sbin:/bin" "$D/sshd.pid"
sshd_conf "$D/sshd_notxl" "$D/notxl:/usr/sbin:/usr/bin:/sbin:/bin" "$D/sshd2.pid"
for p in "$PORT" $((PORT + 1)); do
  echo "[127.0.0.1]:$p $(cut -d' ' -f1,2 "$D/hostkey.pub")" >>"$D/known_hosts"
  echo "[127.0.0.1]:$p $(cut -d' ' -f1,2 "$D/otherkey.pub")" >>"$D/bad_known_hosts"
done
ssh_conf() { # FILE KNOWN_HOSTS
  printf 'Host *\n  IdentityFile %s\n  IdentitiesOnly yes\n  UserKnownHostsFile %s\n  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking yes\n' "$D/userkey" "$2" >"$1"
}
ssh_conf "$D/ssh_config" "$D/known_hosts"
ssh_conf "$D/bad_ssh_config" "$D/bad_known_hosts"
URI=xen+ssh://root@127.0.0.1:$PORT/system
# the local txl, with no --connect of its own: the URI names the host
rtxl() { TXL_SSH_OPTS="-F $D/ssh_config" txl_env node "$PROJECT/bin/txl" "$@"; }
sshd_up() { /usr/sbin/sshd -f "$1" -p "$2" -E "$D/sshd-$2.log" && wait_for 10 grep -q 'Server listening' "$D/sshd-$2.log"; }

check "sshd on 127.0.0.1:$PORT and :$((PORT + 1)) (throw-away host and user keys)" \
  eval "sshd_up '$D/sshd_config' $PORT && sshd_up '$D/sshd_notxl' $((PORT + 1))" ||
  { skip "the rest of the remote (ssh) checks" "sshd did not start: $(tail -1 "$D/sshd-$PORT.log" 2>/dev/null)"; return 0; }

# CMD...: exit CODE, one "txl: error: ..." line on stderr (and its hint)
one_line_code() { # CODE REGEX CMD...
  local want=$1 re=$2 rc
  shift 2
  "$@" >"$D/out" 2>"$D/err"
  rc=$?
  [ $rc = "$want" ] || { echo "exit $rc, wanted $want: $(head -3 "$D/err")"; return 1; }
  [ "$(grep -vc '^ ' "$D/err")" = 1 ] && grep -qE "^txl: error: $re" "$D/err" || { echo "not one error line /$re/:"; cat "$D/err"; return 1; }
}
names_agree() {
  local a b
  a=$(xl list | awk 'NR > 1 { print $1, $2 }' | sort) && b=$(rtxl -c "$URI" list | awk 'NR > 1 { print $1, $2 }' | sort) || { echo "xl list or txl list over ssh failed"; return 1; }
  [ "$a" = "$b" ] || { diff <(echo "$a") <(echo "$b"); echo "xl list (<) and txl -c $URI list (>) differ"; return 1; }
}
remote_json() { # EXPR ARGS...: json_is's test of txl -c URI -o json ARGS
  local expr=$1
  shift
  rtxl -c "$URI" -o json "$@" >"$D/j.json" 2>"$D/j.err" || { cat "$D/j.err"; echo "txl -c $URI -o json $* failed"; return 1; }
  json_file_is "$D/j.json" "$expr"
}

guest_cfg $G "$WORK/$G.cfg"
check "txl -c $URI list: xl list's names and ids" names_agree
check "txl -c $URI -o json list: JSON from the remote, Domain-0 and every domain xl lists" \
  eval "remote_json \"j[0].name === 'Domain-0' && j.length === $(xl list | tail -n +2 | grep -c .)\" list"
check "txl -c $URI create -p (the config sent from here over ssh): xl shows $G paused" \
  eval "rtxl -c '$URI' create -p '$WORK/$G.cfg' && state_is $G '^--p---\$'"
check "txl -c $URI destroy $G: gone from xl list" eval "rtxl -c '$URI' destroy $G && ! xl list $G >/dev/null 2>&1"
check "a wrong host key: one line, exit 255, nothing created" \
  eval "TXL_SSH_OPTS='-F $D/bad_ssh_config' one_line_code 255 'cannot connect to 127.0.0.1: Host key verification failed' txl_env node '$PROJECT/bin/txl' -c '$URI' create -p '$WORK/$G.cfg' && ! xl list $G >/dev/null 2>&1"
check "no txl on the remote PATH: one line, exit 127" \
  eval "TXL_SSH_OPTS='-F $D/ssh_config' one_line_code 127 '127.0.0.1 has no txl on its PATH' txl_env node '$PROJECT/bin/txl' -c xen+ssh://root@127.0.0.1:$((PORT + 1))/system list"

xl destroy $G >/dev/null 2>&1
for f in "$D/sshd.pid" "$D/sshd2.pid"; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
true
