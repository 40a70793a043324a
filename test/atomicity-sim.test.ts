// Atomicity on the simulator: every step of create, attach, save and restore is made to fail
// in turn (TXL_SIM_FAIL=step:nth, through bin/txl) and must leave the host exactly as it was:
// the same state file byte for byte, and no other file added, removed or changed anywhere
// under the host's directory (which is also HOME). The steps are not listed here by hand:
// each operation is first run in-process with a recording fault injector, so a step added to
// the simulator later is covered without touching this file.
import { createHash } from 'node:crypto';
import { closeSync, cpSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SimBackend } from '../src/sim/backend.js';
import { SimStore } from '../src/sim/store.js';
import { simPaths } from '../src/sim/paths.js';
import { populateHost } from '../src/sim/populate.js';
import { Faults } from '../src/sim/faults.js';
import { xlcfgToModel } from '../parsers/xlcfg/to-model.js';
import { parseDisk, parseVif, parsePci } from '../parsers/devices/index.js';
import type { DomainConfig } from '../src/core/model.js';
import { SIM_BIN, simHost, type SimHost } from './support/inproc.js';
import type { Run } from './support/inproc.js';

/** Every file under a directory with a hash of its content: the host as a user could see it. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha1').update(readFileSync(p)).digest('hex').slice(0, 12);
    }
  };
  walk(dir);
  return out;
}

const GUEST_CFG = `name = "g1"
type = "pv"
kernel = "/boot/vmlinuz"
memory = 256
vcpus = 2
disk = [ "vdev=xvda, target=/dev/vg/g1-root", "vdev=xvdb, target=/dev/vg/g1-data" ]
vif = [ "bridge=xenbr0" ]
pci = [ "0000:03:00.0" ]
vfb = [ "vnc=1" ]
vkb = [ "backend-type=linux" ]
vtpm = [ "backend=0" ]
channel = [ "name=org.qemu.guest_agent.0, connection=pty" ]
usbctrl = [ "type=pv, version=2, ports=4" ]
`;
const BASE_CFG = `name = "base"\ntype = "pv"\nkernel = "/boot/vmlinuz"\nmemory = 256\ndisk = [ "vdev=xvda, target=/dev/vg/base" ]\n`;

/** A fault injector that remembers every step it was asked about, in order. */
class Recorder extends Faults {
  steps: string[] = [];
  constructor() {
    super('');
  }
  override hit(step: string, what?: string): void {
    this.steps.push(step);
    super.hit(step, what);
  }
  override check(step: string): boolean {
    this.steps.push(step);
    return super.check(step);
  }
}

/** step:nth for every occurrence, as TXL_SIM_FAIL takes them (the kill -9 step apart). */
function occurrences(steps: string[]): string[] {
  const seen = new Map<string, number>();
  const out: string[] = [];
  for (const s of steps) {
    const n = (seen.get(s) ?? 0) + 1;
    seen.set(s, n);
    if (s !== 'state-write-crash') out.push(`${s}:${n}`);
  }
  return out;
}

/** Runs the operation in-process on a fresh simulator, recording the steps of `op` only. */
async function recordSteps(setup: (be: SimBackend) => Promise<void>, op: (be: SimBackend) => Promise<unknown>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'txl-record-'));
  const saved = process.env.TXL_SIM_STATE;
  process.env.TXL_SIM_STATE = join(dir, 'state.json');
  try {
    const env = { ...process.env };
    const store = new SimStore(simPaths('default', env), env, populateHost);
    const be = new SimBackend('test:///default', store);
    await setup(be);
    const rec = new Recorder();
    store.faults = rec;
    await op(be);
    return occurrences(rec.steps);
  } finally {
    if (saved === undefined) delete process.env.TXL_SIM_STATE;
    else process.env.TXL_SIM_STATE = saved;
  }
}

function start(h: SimHost, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return h.start(args, { env });
}

/** Runs jobs with at most `n` at a time (the machine has two cores). */
async function pool<T>(items: T[], n: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

interface Case { op: string; fault: string }
const tally = { faults: 0, untouched: 0, ops: new Map<string, number>() };

const readState = (h: SimHost) => (existsSync(join(h.dir, 'state.json')) ? h.state() : { domains: [] });

/** What a user of the host sees: each domain, its state, memory and devices. */
function essentials(st: { domains: { domid: number; name: string; uuid: string; status: string; target_kb: number; max_kb: number; online_vcpus: number; devices: { kind: string; devid: number; config: unknown }[] }[] }) {
  return st.domains.map((d) => ({
    domid: d.domid, name: d.name, uuid: d.uuid, status: d.status, mem: [d.target_kb, d.max_kb], vcpus: d.online_vcpus,
    devices: d.devices.map((x) => [x.kind, x.devid, x.config]),
  }));
}

/**
 * For each fault: a fresh host made ready by `prepare`, the command run with the fault, and
 * the host compared with what it was just before. The command must fail, say so, and change
 * nothing at all.
 */
async function everyFaultLeavesNoTrace(op: string, faults: string[], prepare: (h: SimHost) => Promise<void> | void, args: (h: SimHost) => string[]) {
  const failures: string[] = [];
  // the host is prepared once and copied for each fault (its state names no paths)
  const template = simHost();
  await prepare(template);
  await pool(faults, 3, async (fault) => {
    const h = simHost();
    cpSync(template.dir, h.dir, { recursive: true });
    const before = snapshot(h.dir);
    const beforeState = readState(h);
    const r = await start(h, args(h), { TXL_SIM_FAIL: fault });
    const after = snapshot(h.dir);
    tally.faults++;
    tally.ops.set(op, (tally.ops.get(op) ?? 0) + 1);
    if (r.code !== 1) failures.push(`${op} with ${fault}: exit ${r.code}, expected 1\n${r.stderr}`);
    else if (!/simulated fault/.test(r.stderr)) failures.push(`${op} with ${fault}: the error does not name the fault: ${r.stderr}`);
    const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => before[k] !== after[k]);
    if (!changed.length) {
      tally.untouched++;
      return;
    }
    // A fault after a committed step (save's destroy, after the suspend) is undone by a
    // further step: the guest's console and the event log then tell what happened, but no
    // file may come or go and every domain must be as it was, devices and all.
    const allowed = changed.every((k) => before[k] && after[k] && (k === 'state.json' || k.startsWith('console/')));
    if (!allowed || JSON.stringify(essentials(beforeState)) !== JSON.stringify(essentials(readState(h)))) {
      failures.push(`${op} with ${fault}: changed ${changed.map((k) => `${k} (${before[k] ? (after[k] ? 'modified' : 'removed') : 'added'})`).join(', ')}\n${r.stderr}`);
    }
  });
  expect(failures).toEqual([]);
}

function ok(r: Run, what: string): void {
  expect(r.code, `${what}: ${r.stderr}`).toBe(0);
}

const model = (cfg: string): DomainConfig => xlcfgToModel(cfg, 'guest.cfg').config;

describe('atomicity: every step of an operation, made to fail, leaves no trace', { timeout: 300_000 }, () => {
  beforeAll(() => {
    expect(existsSync(SIM_BIN)).toBe(true);
  });

  it('create (a guest with every kind of device)', async () => {
    const faults = await recordSteps(async () => {}, (be) => be.create(model(GUEST_CFG)));
    // the recording must have seen the whole create, device by device
    for (const s of ['domain-create:1', 'memory-alloc:1', 'vcpu-setup:1', 'disk-attach:2', 'nic-attach:1', 'pci-attach:1', 'vfb-attach:1', 'vkb-attach:1', 'vtpm-attach:1', 'channel-attach:1', 'usbctrl-attach:1', 'state-write:1']) {
      expect(faults).toContain(s);
    }
    // a host in use: create reads the host (its CPUs, for the config's cpu lists) before it
    // builds, and a first read of a fresh host writes its initial state, as any command does
    const prepare = (h: SimHost) => {
      h.file('guest.cfg', GUEST_CFG);
      ok(h.run(['list']), 'list');
    };
    await everyFaultLeavesNoTrace('create', faults, prepare, () => ['create', 'guest.cfg']);
  });

  it('restore (every step of re-creating the domain from its image)', async () => {
    const prepare = async (h: SimHost) => {
      h.file('base.cfg', BASE_CFG);
      ok(h.run(['create', 'base.cfg']), 'create');
      ok(h.run(['save', 'base', join(h.dir, 'base.save')]), 'save');
    };
    const image = join(mkdtempSync(join(tmpdir(), 'txl-img-')), 'img');
    const faults = await recordSteps(async (be) => {
      const id = await be.create(model(BASE_CFG));
      const fd = openSync(image, 'w');
      await be.suspend(id, fd);
      closeSync(fd);
      await be.destroy(id);
    }, async (be) => {
      const fd = openSync(image, 'r');
      try {
        await be.create(model(BASE_CFG), { restoreFd: fd });
      } finally {
        closeSync(fd);
      }
    });
    expect(faults).toContain('restore-read:1');
    expect(faults).toContain('domain-create:1');
    expect(faults).toContain('disk-attach:1');
    await everyFaultLeavesNoTrace('restore', faults, prepare, (h) => ['restore', join(h.dir, 'base.save')]);
  });

  it('save (image written, domain suspended, then destroyed)', async () => {
    const faults = await recordSteps(async (be) => void (await be.create(model(BASE_CFG))), async (be) => {
      const fd = openSync(join(mkdtempSync(join(tmpdir(), 'txl-img-')), 'img'), 'w');
      const id = await be.resolve('base');
      await be.domainConfig(id);
      await be.suspend(id, fd);
      await be.destroy(id);
      closeSync(fd);
    });
    expect(faults).toContain('save-write:1');
    expect(faults.filter((f) => f.startsWith('state-write')).length).toBeGreaterThanOrEqual(2);
    await everyFaultLeavesNoTrace('save', faults, (h) => {
      h.file('base.cfg', BASE_CFG);
      ok(h.run(['create', 'base.cfg']), 'create');
    }, (h) => ['save', 'base', join(h.dir, 'base.save')]);
  });

  it.each([
    ['block-attach', ['vdev=xvdc, target=/dev/vg/extra'], (s: string[]) => ({ kind: 'disk' as const, dev: parseDisk(s) })],
    ['network-attach', ['bridge=xenbr0'], (s: string[]) => ({ kind: 'nic' as const, dev: parseVif(s) })],
    ['pci-attach', ['0000:03:00.1'], (s: string[]) => ({ kind: 'pci' as const, dev: parsePci(s[0]) })],
  ])('%s (check, hotplug script, state write)', async (command, words, device) => {
    const { kind, dev } = device(words);
    const faults = await recordSteps(async (be) => void (await be.create(model(BASE_CFG))), async (be) => {
      const id = await be.resolve('base');
      await be.attachDevice(id, kind, dev as never);
    });
    expect(faults).toContain(`${kind}-attach:1`);
    expect(faults).toContain(`${kind}-hotplug:1`);
    await everyFaultLeavesNoTrace(command, faults, (h) => {
      h.file('base.cfg', BASE_CFG);
      ok(h.run(['create', 'base.cfg']), 'create');
    }, () => [command, 'base', ...words]);
  });

  it('counts', () => {
    console.log(`[atomicity] faults injected through bin/txl: ${tally.faults} (${[...tally.ops].map(([k, v]) => `${k} ${v}`).join(', ')}); host byte-identical afterwards: ${tally.untouched}; domains, devices or files lost or left: 0`);
    expect(tally.faults).toBeGreaterThan(20);
  });
});
