// Connecting to xen:///system without a hypervisor: each way it can fail must end in one
// clear sentence and exit 1, taken from what libxl really logs (no shim: the real "not on
// Xen" path; with the shim: EACCES on privcmd, xenstored down). And with the shim's fake
// host, the SIGCHLD agreement and async calls work while Node runs children of its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { txl } from './support/txl.js';
import { bundle, compileShim, HAVE_LIBXL, runNode, SHIM_MISSING, tempDir } from './shim/harness.js';

const onXen = existsSync('/dev/xen/privcmd');
const list = (env: Record<string, string | undefined> = {}) => txl(['-c', 'xen:///system', 'list'], { env: env as Record<string, string> });

describe('xen:///system without libxenlight', () => {
  it('says which package to install', () => {
    const r = list({ TXL_LIBXENLIGHT: '/nonexistent/libxenlight.so.4.17' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^txl: error: cannot connect to xen:\/\/\/system: Xen's libxl library .* is not installed/m);
    expect(r.stderr).toMatch(/apt install xen-utils-4\.17/);
    expect(r.stdout).toBe('');
  });
});

describe.skipIf(!HAVE_LIBXL || onXen)(`xen:///system on a machine without Xen${!HAVE_LIBXL ? ' (skipped: libxenlight missing)' : onXen ? ' (skipped: this machine runs Xen)' : ''}`, () => {
  it('says the machine is not running Xen, from libxl\'s own failure', () => {
    const r = list({ LD_PRELOAD: undefined });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe('txl: error: cannot connect to xen:///system: this machine is not running Xen (no /dev/xen/privcmd)');
    expect(r.stderr).toMatch(/hint: .*test:\/\/\/default/);
  });

  it('other commands that need the host fail the same way', () => {
    const r = txl(['-c', 'xen:///system', 'info']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/this machine is not running Xen/);
  });
});

describe.skipIf(Boolean(SHIM_MISSING))(`xen:///system under the shim${SHIM_MISSING ? ` (skipped: ${SHIM_MISSING})` : ''}`, () => {
  let dir = '';
  let shim = '';
  let sigchldChild = '';
  beforeAll(async () => {
    dir = tempDir('txl-xen-connect-');
    shim = compileShim(dir);
    sigchldChild = await bundle('test/shim/sigchld-child.ts', dir);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('not root: permission denied on privcmd becomes "txl must run as root"', () => {
    const r = list({ LD_PRELOAD: shim, TXL_SHIM_PRIVCMD: 'EACCES' });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe("txl: error: cannot connect to xen:///system: permission denied opening Xen's control interface (/dev/xen/privcmd); txl must run as root");
    expect(r.stderr).toMatch(/hint: run it as root/);
  });

  it('xenstored not running', () => {
    const r = list({ LD_PRELOAD: shim, TXL_SHIM_XENSTORE: 'down' });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe('txl: error: cannot connect to xen:///system: xenstored is not running');
    expect(r.stderr).toMatch(/hint: start Xen's daemons/);
  });

  it('SIGCHLD: Node children run beside libxl, each SIGCHLD reaches libxl, async calls work', () => {
    const r = runNode(sigchldChild, [], { preload: shim });
    expect(r.signal, r.stderr).toBeNull();
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.listenersOpen).toBe(1);
    expect(rep.childCodes).toEqual([3, 4, 5]);
    expect(rep.forwarded).toBeGreaterThanOrEqual(1);
    expect(rep.asyncRc).toBe(0);
    expect(rep.asyncName).toBe('async');
    expect(rep.listenersClosed).toBe(0);
  });
});
