// The lab's suite runner (test/lab/suite.sh) on this machine, with a fake `xl` on PATH: how a
// check is counted, and that a group runs again only when a guest triple-faulted during it.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
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
  return { status: r.status, out: r.stdout };
}

// A group whose second check fails on the group's first N runs; on each of them a vCPU of
// domain 7+k triple-faults (or not). $STATE/runs counts the group's runs.
const flaky = (failures: number, fault: boolean) => `
k=$(cat "$STATE/runs" 2>/dev/null || echo 0); echo $((k + 1)) >"$STATE/runs"
check "first" true
flaky() {
  [ "$k" -ge ${failures} ] && return 0
  ${fault ? 'echo "(XEN) d$((7 + k))v0 Triple fault - invoking HVM shutdown action 1" >>"$STATE/dmesg"' : ':'}
  echo "run $k failed"; return 1
}
check "the flaky one" flaky
`;
const runs = (out: string) => out.split('\n').filter((l) => / - the flaky one /.test(l));

describe.skipIf(spawnSync('bash', ['--version']).status !== 0)('the lab suite runner', () => {
  it('counts passes and failures, and shows a failed check\'s output', () => {
    const r = runSuite('check "passes" true\ncheck "fails" eval "echo the reason; false"\nskip "skipped" "no reason"\n');
    expect(r.out).toMatch(/^ok {3}1 - passes \(/m);
    expect(r.out).toMatch(/^FAIL 2 - fails \([\d.]+s\): the reason$/m);
    expect(r.out).toMatch(/^## check 2\n {2}the reason$/m);
    expect(r.out.trim().split('\n').at(-1)).toBe('1 passed, 1 failed, 1 skipped');
    expect(r.status).toBe(1);
  });

  it('runs a group again after a triple fault during it, says so, and counts its last run only', () => {
    const r = runSuite(flaky(1, true), '(XEN) d3v0 Triple fault - an old one\n');
    expect(runs(r.out)).toEqual([expect.stringMatching(/^FAIL 2 - the flaky one \([\d.]+s\): run 0 failed$/), expect.stringMatching(/^ok {3}4 - the flaky one /)]);
    expect(r.out).toMatch(/^# 10-group: again from its start, as d7v0 triple-faulted during it \(xl dmesg/m);
    expect(r.out.trim().split('\n').at(-1)).toBe('2 passed, 0 failed, 0 skipped');
    expect(r.out).not.toContain('# output of the failed checks');
    expect(r.out).toMatch(/^# output of the checks that failed in a group run done again \(not counted\)\n## check 2\n {2}run 0 failed$/m);
    expect(r.status).toBe(0);
  });

  it('runs a group three times at most', () => {
    const r = runSuite(flaky(3, true));
    expect(runs(r.out).map((l) => l.slice(0, 4))).toEqual(['FAIL', 'FAIL', 'FAIL']);
    expect(r.out).toMatch(/^## check 6\n {2}run 2 failed$/m);
    expect(r.out.trim().split('\n').at(-1)).toBe('1 passed, 1 failed, 0 skipped');
    expect(r.status).toBe(1);
  });

  it('does not run a group again when no guest faulted, nor for a fault from before', () => {
    const r = runSuite(flaky(1, false), '(XEN) d7v0 Triple fault - from an earlier group\n');
    expect(runs(r.out)).toEqual([expect.stringMatching(/^FAIL 2 - the flaky one .*: run 0 failed$/)]);
    expect(r.out).not.toContain('again from its start');
    expect(r.status).toBe(1);
  });
});
