// Connection URIs, the choice of connection, the event stream and the lock, in-process.
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseUri, parseUri } from '../src/backend/index.js';
import { ConnectError, OperationError } from '../src/core/errors.js';
import { FileLock } from '../src/sim/lock.js';
import { SimBackend } from '../src/sim/backend.js';
import { SimStore } from '../src/sim/store.js';
import { simPaths } from '../src/sim/paths.js';
import { Faults } from '../src/sim/faults.js';
import type { DomainEvent } from '../src/core/backend-types.js';
import { guest } from './support/sim.js';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe('connection URIs', () => {
  it('parses xen, the default simulator and a host file', () => {
    expect(parseUri('xen:///system')).toEqual({ kind: 'xen' });
    expect(parseUri('test:///default')).toEqual({ kind: 'test', host: 'default' });
    expect(parseUri('test:///srv/lab/host.yaml')).toEqual({ kind: 'test', host: '/srv/lab/host.yaml' });
    expect(() => parseUri('qemu:///system')).toThrow(ConnectError);
    expect(() => parseUri('xen+ssh://root@host/system')).toThrow('remote connections');
    expect(() => parseUri('nonsense')).toThrow('is not a connection URI');
  });

  it('--connect beats TXL_CONNECT beats the user\'s txl.yaml beats the default', async () => {
    const home = mkdtempSync(join(tmpdir(), 'txl-conn-'));
    process.env.XDG_CONFIG_HOME = join(home, 'cfg');
    delete process.env.TXL_CONNECT;
    if (!existsSync('/etc/txl/txl.yaml')) expect(await chooseUri(undefined, process.env)).toEqual({ uri: 'xen:///system', from: 'default' });
    mkdirSync(join(home, 'cfg', 'txl'), { recursive: true });
    writeFileSync(join(home, 'cfg', 'txl', 'txl.yaml'), 'connect: test:///from-file.yaml\n');
    expect((await chooseUri(undefined, process.env)).uri).toBe('test:///from-file.yaml');
    process.env.TXL_CONNECT = 'test:///default';
    expect(await chooseUri(undefined, process.env)).toEqual({ uri: 'test:///default', from: 'TXL_CONNECT' });
    expect((await chooseUri('xen:///system', process.env)).uri).toBe('xen:///system');
  });
});

describe('faults', () => {
  it('counts occurrences per step: :n fails only the nth, a bare step every time', () => {
    const f = new Faults('disk-attach:2,nic-attach');
    expect(() => f.hit('disk-attach')).not.toThrow();
    expect(() => f.hit('disk-attach')).toThrow("simulated fault 'disk-attach:2'");
    expect(() => f.hit('disk-attach')).not.toThrow();
    expect(() => f.hit('nic-attach')).toThrow(OperationError);
    expect(() => f.hit('nic-attach')).toThrow(OperationError);
    expect(() => new Faults('disk-attach:0')).toThrow('must be 1 or more');
  });
});

describe('lock', () => {
  it('is exclusive, and a second holder waits until the first lets go', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'txl-lock-'));
    const a = new FileLock(join(dir, 'l'));
    const b = new FileLock(join(dir, 'l'));
    await a.acquire();
    let bHas = false;
    const pending = b.acquire({ timeoutMs: 5000 }).then(() => (bHas = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(bHas).toBe(false);
    a.release();
    await pending;
    expect(bHas).toBe(true);
    b.release();
    expect(existsSync(join(dir, 'l'))).toBe(false);
  });

  it('breaks a lock whose owner process is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'txl-lock-'));
    const { hostname } = await import('node:os');
    writeFileSync(join(dir, 'l'), `999999 ${hostname()} ${Date.now()} deadbeef\n`);
    const l = new FileLock(join(dir, 'l'));
    await l.acquire({ timeoutMs: 2000 });
    l.release();
  });
});

describe('events', () => {
  it('streams state changes in order, with seq, type and domain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'txl-ev-'));
    writeFileSync(join(dir, 'host.yaml'), 'memory: 2g\ndom0: {memory: 512m}\n');
    const be = new SimBackend('test:///x', new SimStore(simPaths(join(dir, 'host.yaml'), process.env), process.env));
    const ac = new AbortController();
    const seen: DomainEvent[] = [];
    const reader = (async () => {
      for await (const e of be.events({ signal: ac.signal })) {
        seen.push(e);
        if (seen.length === 4) ac.abort();
      }
    })();
    await new Promise((r) => setTimeout(r, 50));
    const id = await be.create(guest('e'));
    await be.pause(id);
    await be.unpause(id);
    await be.destroy(id);
    await reader;
    expect(seen.map((e) => [e.type, e.name, e.domid])).toEqual([['create', 'e', 1], ['pause', 'e', 1], ['unpause', 'e', 1], ['destroy', 'e', 1]]);
    expect(seen.map((e) => e.seq)).toEqual([1, 2, 3, 4].map((n) => seen[0].seq + n - 1));
  });
});
