// The lab's suite runner (test/lab/suite.sh) on this machine, with a fake `xl` on PATH: how a
// check is counted, and that check_tcg tries again only after a guest's triple fault.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './support/txl.js';

/** Runs suite.sh over one group file; `dmesg` is what the fake `xl dmesg` prints at first. */
function runSuite(group: string, dmesg = '') {
  const dir = mkdtempSync(join(tmpdir(), 'txl-lab-suite-'));
  const bin = join(dir, 'bin');
  const checks = join(dir, 'checks');
  mkdirSync(bin);
  mkdirSync(checks);
  writeFileSync(join(dir, 'dmesg'), dmesg);
  writeFileSync(join(bin, 'xl'), `#!/bin/sh\ncase "$1" in dmesg) cat "${dir}/dmesg" ;; info) echo "xen_version : 4.17.7" ;; *) exit 1 ;; esac\n`);
  chmodSync(join(bin, 'xl'), 0o755);
  writeFileSync(join(checks, '10-group.sh'), group);
  const r = spawnSync('bash', [join(ROOT, 'test/lab/suite.sh')], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, TXL_LAB_CHECKS_DIR: checks, TXL_LAB_WORK: join(dir, 'work'), STATE: dir },
  });
  const prepRuns = (() => {
    try {
      return readFileSync(join(dir, 'prep'), 'utf8').split('\n').filter(Boolean).length;
    } catch {
      return 0;
    }
  })();
  return { status: r.status, out: r.stdout, prepRuns };
}

// fails on its first N runs, and on each of them a vCPU of domain 7+i triple-faults (or not)
const flaky = (failures: number, fault: boolean) => `
flaky() {
  local k; k=$(cat "$STATE/tries" 2>/dev/null || echo 0); echo $((k + 1)) >"$STATE/tries"
  [ "$k" -ge ${failures} ] && return 0
  ${fault ? 'echo "(XEN) d$((7 + k))v0 Triple fault - invoking HVM shutdown action 1" >>"$STATE/dmesg"' : ':'}
  echo "try $k failed"; return 1
}
prep() { echo x >>"$STATE/prep"; }
check_tcg "the flaky one" prep flaky
`;

describe.skipIf(spawnSync('bash', ['--version']).status !== 0)('the lab suite runner', () => {
  it('counts passes and failures, and shows a failed check\'s output', () => {
    const r = runSuite('check "passes" true\ncheck "fails" eval "echo the reason; false"\nskip "skipped" "no reason"\n');
    expect(r.out).toMatch(/^ok {3}1 - passes \(/m);
    expect(r.out).toMatch(/^FAIL 2 - fails \([\d.]+s\): the reason$/m);
    expect(r.out).toMatch(/^## check 2\n {2}the reason$/m);
    expect(r.out.trim().split('\n').at(-1)).toBe('1 passed, 1 failed, 1 skipped');
    expect(r.status).toBe(1);
  });

  it('check_tcg tries again after a triple fault during the failed try, and says so', () => {
    const r = runSuite(flaky(1, true), '(XEN) d3v0 Triple fault - an old one\n');
    expect(r.out).toMatch(/^ok {3}1 - the flaky one \([\d.]+s\) \[retried after a TCG triple fault of d7v0\]$/m);
    expect(r.prepRuns).toBe(1);
    expect(r.status).toBe(0);
  });

  it('check_tcg gives up after two retries', () => {
    const r = runSuite(flaky(3, true));
    expect(r.out).toMatch(/^FAIL 1 - the flaky one .*of d7v0; retried after a TCG triple fault of d8v0\]: try 2 failed$/m);
    expect(r.prepRuns).toBe(2);
    expect(r.status).toBe(1);
  });

  it('check_tcg does not try again when no guest faulted, nor for a fault from before', () => {
    const r = runSuite(flaky(1, false), '(XEN) d7v0 Triple fault - from an earlier check\n');
    expect(r.out).toMatch(/^FAIL 1 - the flaky one \([\d.]+s\): try 0 failed$/m);
    expect(r.prepRuns).toBe(0);
  });
});
