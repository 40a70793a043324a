// Two libxenlight versions, one toolstack: the version of the library found decides which
// size table the bindings check against; a version without a table is refused in one line,
// and the install hint names the packages of the Debian release at hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectError, xenForDebian } from '../src/xen/errors.js';
import { UnsupportedLibxlError } from '../bindings/load.js';
import { txl } from './support/txl.js';
import { HAVE_LIBXL, tempDir } from './shim/harness.js';

let dir = '';
beforeAll(() => {
  dir = tempDir('txl-versions-');
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('which Xen packages a hint names', () => {
  const osRelease = (text: string) => {
    const f = join(dir, `os-release-${Math.random()}`);
    writeFileSync(f, text);
    return f;
  };
  it('4.20 on Debian 13, 4.17 on Debian 12 and when unsure', () => {
    expect(xenForDebian(osRelease('PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\nVERSION_ID="13"\nVERSION_CODENAME=trixie\n'))).toBe('4.20');
    expect(xenForDebian(osRelease('VERSION_ID="12"\nVERSION_CODENAME=bookworm\n'))).toBe('4.17');
    expect(xenForDebian(join(dir, 'absent'))).toBe('4.17');
  });
});

describe('an unsupported libxenlight', () => {
  it('is one line naming the supported versions and the one found, without a hint', () => {
    const e = connectError(new UnsupportedLibxlError('4.19', 'libxenlight.so.4.19'), 'xen:///system');
    expect(e.message).toBe('txl supports libxl 4.17 and 4.20; this host has 4.19');
    expect(e.hint).toBeUndefined();
  });

  it.skipIf(!HAVE_LIBXL)('txl refuses a library whose SONAME is another version (TXL_LIBXENLIGHT)', () => {
    const fake = join(dir, 'lib', 'libxenlight.so.4.19');
    mkdirSync(join(dir, 'lib'), { recursive: true });
    symlinkSync('/usr/lib/x86_64-linux-gnu/libxenlight.so.4.17', fake);
    const r = txl(['-c', 'xen:///system', 'list'], { env: { TXL_LIBXENLIGHT: fake } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('txl: error: txl supports libxl 4.17 and 4.20; this host has 4.19\n');
    expect(r.stdout).toBe('');
  });
});
