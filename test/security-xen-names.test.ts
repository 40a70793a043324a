// xen:///system checks names with the simulator's rules (src/validate.ts) before libxl sees
// them: in-process, on a XenBackend whose libxl and xenstore handles throw at the first touch;
// and through bin/txl on the LD_PRELOAD shim (test/shim), where libxl really loads.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XenBackend } from '../src/backend/xen.js';
import { OperationError, UsageError } from '../src/core/errors.js';
import { MIGRATION_SUFFIXES, NAME_MAX_LENGTH, domainNameProblem } from '../src/validate.js';
import { AWAY_SUFFIX, INCOMING_SUFFIX } from '../src/migrate/protocol.js';
import type { DomainConfig } from '../src/core/model.js';
import { txl } from './support/txl.js';
import { compileShim, SHIM_MISSING, tempDir } from './shim/harness.js';

const HOSTILE = [
  '../../etc/x', 'a/b', '..', '.hidden', '-rf', 'two words', 'tab\tname', 'esc\u001b[31m', 'del\u007f', 'c1\u0085', 'a\\b', '123',
  '3316cbea-0bbf-4d87-9e74-24c997840c84', 'x'.repeat(NAME_MAX_LENGTH + 1), '',
];

/** A backend whose every libxl or xenstore access is recorded and fails. */
function trapped() {
  const touched: string[] = [];
  const trap = new Proxy({}, {
    get(_t, prop) {
      touched.push(String(prop));
      throw new Error(`libxl touched (${String(prop)})`);
    },
  });
  const stateDir = tempDir('txl-xen-names-');
  const be = new XenBackend('xen:///system', trap as never, trap as never, { TXL_XEN_STATE_DIR: stateDir });
  return { be, touched, stateDir };
}
const cfg = (name: string | undefined): DomainConfig => ({ c_info: { name, type: 'pv' }, b_info: { kernel: '/k', max_memkb: 131072 } }) as DomainConfig;

describe('XenBackend refuses a bad name before any libxl call', () => {
  it.each(HOSTILE.map((n) => [n]))('create, rename and define refuse %j', async (name) => {
    const { be, touched } = trapped();
    await expect(be.create(cfg(name))).rejects.toThrow(name ? UsageError : OperationError);
    await expect(be.rename(5, name)).rejects.toThrow(name ? UsageError : OperationError);
    await expect(be.define(cfg(name))).rejects.toThrow(name ? UsageError : OperationError);
    expect(touched).toEqual([]);
  });
  it('the message shows no control character', async () => {
    const { be } = trapped();
    const e = await be.create(cfg('evil\u001b]0;x\u0007')).catch((x: Error) => x);
    expect((e as Error).message).toMatch(/cannot be a domain name/);
    expect((e as Error).message).not.toMatch(/[\u0000-\u001f\u007f]/);
  });
  it('a good name goes on to libxl (so the check is not what stops everything)', async () => {
    const { be, touched } = trapped();
    for (const name of ['web-01', 'élan', 'x'.repeat(NAME_MAX_LENGTH), `${'x'.repeat(NAME_MAX_LENGTH)}${INCOMING_SUFFIX}`]) {
      touched.length = 0;
      await expect(be.create(cfg(name))).rejects.toThrow(/libxl touched/);
      expect(touched.length).toBeGreaterThan(0);
    }
    touched.length = 0;
    await expect(be.rename(5, `${'y'.repeat(NAME_MAX_LENGTH)}${AWAY_SUFFIX}`)).rejects.toThrow(/libxl touched/);
    expect(touched.length).toBeGreaterThan(0);
  });
  it('the length limit leaves room for the names a migration gives (and only those)', () => {
    expect([...MIGRATION_SUFFIXES]).toEqual([INCOMING_SUFFIX, AWAY_SUFFIX]);
    const longest = 'x'.repeat(NAME_MAX_LENGTH);
    for (const sfx of MIGRATION_SUFFIXES) expect(domainNameProblem(longest + sfx)).toBeUndefined();
    expect(domainNameProblem(`${longest}x${INCOMING_SUFFIX}`)).toMatch(/longer than/);
    expect(domainNameProblem(`${longest}--other`)).toMatch(/longer than/);
  });
  it('a managed config of a bad name is never written', async () => {
    const { be, stateDir } = trapped();
    await expect(be.define(cfg('../evil'))).rejects.toThrow(UsageError);
    expect(() => mkdirSync(join(stateDir, 'managed'))).not.toThrow(); // nothing created it
  });
});

describe.skipIf(Boolean(SHIM_MISSING))(`bin/txl on xen:///system under the shim${SHIM_MISSING ? ` (skipped: ${SHIM_MISSING})` : ''}`, { timeout: 120_000 }, () => {
  let dir = '';
  let shim = '';
  beforeAll(() => {
    dir = tempDir('txl-xen-names-shim-');
    shim = compileShim(dir);
    mkdirSync(join(dir, 'hooks'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  it.each([['../../etc/x'], ['two words'], ['123'], ['esc\u001b[2J']])('create refuses %j with the simulator\'s message, exit 2', (name) => {
    const f = join(dir, 'g.json');
    writeFileSync(f, JSON.stringify(cfg(name)), { mode: 0o644 });
    const r = txl(['-c', 'xen:///system', 'create', f], { env: { LD_PRELOAD: shim, TXL_HOOKS_DIR: join(dir, 'hooks'), TXL_XEN_STATE_DIR: dir } });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^txl: error: '.*' cannot be a domain name: /m);
    expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });
});
