// 50 txl processes at once against one simulated host: creates (some of the same name),
// destroys (some of the same domain, some of a domain still being created), renames (two to
// the same new name), attaches (two of the same vdev) and listings. The outcome must be one a
// serial order of the successful commands gives: the host's event log is that order (one
// event per change, sequence numbers without gaps), and replaying the successful commands in
// it must give exactly the final state; every failure must be explained by another command's
// success; names, domids and UUIDs unique, domids never reused, memory accounted exactly.
import { describe, expect, it } from 'vitest';
import { SIM_BIN, simHost, type SimHost } from './support/sim.js';
import type { Run } from './support/txl.js';
import { existsSync, readdirSync } from 'node:fs';

interface Op { args: string[]; kind: 'create' | 'destroy' | 'rename' | 'attach' | 'list'; name: string; to?: string; dev?: string }

const cfg = (name: string) => `name = "${name}"\ntype = "pv"\nkernel = "/boot/vmlinuz"\nmemory = 128\n`;

function plan(): Op[] {
  const ops: Op[] = [];
  const create = (name: string, file = name) => ops.push({ args: ['create', `${file}.cfg`], kind: 'create', name });
  for (let i = 0; i < 18; i++) create(`c${i}`);
  for (let i = 0; i < 3; i++) create('dup', `dup${i}`);
  create('p3', 'p3again');
  for (const p of ['p0', 'p1', 'p2', 'p3', 'p0', 'c1']) ops.push({ args: ['destroy', '-f', p], kind: 'destroy', name: p });
  for (const [from, to] of [['p4', 'n4'], ['p5', 'n5'], ['p6', 'nx'], ['p7', 'nx'], ['p8', 'c0']]) ops.push({ args: ['rename', from, to], kind: 'rename', name: from, to });
  for (const p of ['p4', 'p4', 'p9', 'p9', 'p9']) ops.push({ args: ['network-attach', p, 'bridge=xenbr0'], kind: 'attach', name: p, dev: 'nic' });
  for (const [p, vdev] of [['p9', 'xvdb'], ['p9', 'xvdb'], ['p9', 'xvdc'], ['p5', 'xvdb'], ['p6', 'xvdb']]) ops.push({ args: ['block-attach', p, `vdev=${vdev}, target=/dev/vg/${p}-${vdev}`], kind: 'attach', name: p, dev: `disk ${vdev}` });
  while (ops.length < 50) ops.push({ args: ['-o', 'json', 'list'], kind: 'list', name: '' });
  return ops;
}

interface SimDomain { domid: number; name: string; uuid: string; target_kb: number; video_kb: number; shadow_kb: number; devices: { kind: string; devid: number }[] }
interface SimEvent { seq: number; type: string; domid: number | null; name: string; detail?: string }

// 50 node start-ups on two cores: minutes on a busy machine
describe('concurrency: 50 txl processes against one simulated host', () => {
  it('end in a state that a serial order of the successful commands gives', async () => {
    const h: SimHost = simHost();
    for (let i = 0; i < 10; i++) h.file(`p${i}.cfg`, cfg(`p${i}`));
    for (let i = 0; i < 18; i++) h.file(`c${i}.cfg`, cfg(`c${i}`));
    for (let i = 0; i < 3; i++) h.file(`dup${i}.cfg`, cfg('dup'));
    h.file('p3again.cfg', cfg('p3'));
    const pre = h.run(['create', ...Array.from({ length: 10 }, (_, i) => `p${i}.cfg`)]);
    expect(pre.code, pre.stderr).toBe(0);
    const st0 = h.state();
    const ops = plan();
    expect(ops.length).toBe(50);

    // all at once; a generous lock timeout, since 50 node start-ups share two cores
    const env = { TXL_SIM_LOCK_TIMEOUT: '240000' };
    const t0 = performance.now();
    const runs: Run[] = await Promise.all(ops.map((op) => h.start(op.args, { env })));
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    const st = h.state();

    const ok = ops.map((_, i) => runs[i].code === 0);
    const report = ops.map((op, i) => `${ok[i] ? 'ok  ' : 'FAIL'} ${op.args.join(' ')}${ok[i] ? '' : `: ${runs[i].stderr.trim().split('\n')[0]}`}`).join('\n');
    console.log(`[concurrency] 50 processes in ${seconds} s, ${ok.filter(Boolean).length} succeeded:\n${report}`);

    // nothing may fail for a reason other than another command's effect
    for (const [i, op] of ops.entries()) {
      if (ok[i]) continue;
      expect(runs[i].code, `${op.args.join(' ')}: ${runs[i].stderr}`).toBe(1);
      expect(runs[i].stderr, op.args.join(' ')).not.toMatch(/busy|internal error|unreadable|timed out|EEXIST|ENOENT/i);
    }
    for (const [i, op] of ops.entries()) if (op.kind === 'list') expect(ok[i], runs[i].stderr).toBe(true);

    // --- the event log is the serial order: replay it on the state before the commands ---
    const events: SimEvent[] = (st.events as SimEvent[]).filter((e) => e.seq > st0.event_seq);
    events.forEach((e, k) => expect(e.seq, 'event sequence numbers without gaps').toBe(st0.event_seq + 1 + k));
    const model = new Map<number, { name: string; nics: number; disks: string[] }>();
    for (const d of st0.domains as SimDomain[]) model.set(d.domid, { name: d.name, nics: d.devices.filter((x) => x.kind === 'nic').length, disks: [] });
    let lastDomid = Math.max(...model.keys());
    const byName = (n: string) => [...model.entries()].find(([, d]) => d.name === n);
    const done = { create: [] as string[], destroy: [] as string[], rename: [] as string[], attach: [] as string[] };
    for (const e of events) {
      switch (e.type) {
        case 'create': {
          expect(e.domid! > lastDomid, `domid ${e.domid} after ${lastDomid}: domids only grow`).toBe(true);
          expect(byName(e.name), `create of '${e.name}' while a domain has that name`).toBeUndefined();
          lastDomid = e.domid!;
          model.set(e.domid!, { name: e.name, nics: 0, disks: [] });
          done.create.push(e.name);
          break;
        }
        case 'destroy':
          expect(model.has(e.domid!)).toBe(true);
          done.destroy.push(model.get(e.domid!)!.name);
          model.delete(e.domid!);
          break;
        case 'rename': {
          const from = /from '(.*)'/.exec(e.detail ?? '')![1];
          expect(model.get(e.domid!)?.name).toBe(from);
          expect(byName(e.name), `rename to '${e.name}' while a domain has that name`).toBeUndefined();
          model.get(e.domid!)!.name = e.name;
          done.rename.push(`${from}>${e.name}`);
          break;
        }
        case 'device-attach': {
          const d = model.get(e.domid!)!;
          expect(d).toBeDefined();
          if (e.detail?.startsWith('nic')) d.nics++;
          else {
            const vdev = e.detail!.split(' ')[1];
            expect(d.disks, `two ${vdev} on one domain`).not.toContain(vdev);
            d.disks.push(vdev);
          }
          done.attach.push(e.detail!.split(' ')[0]);
          break;
        }
        default:
          throw new Error(`unexpected event ${e.type} during the test`);
      }
    }
    // the replay gives the final state exactly
    const final = new Map((st.domains as SimDomain[]).map((d) => [d.domid, d]));
    expect([...final.keys()].sort((a, b) => a - b)).toEqual([...model.keys()].sort((a, b) => a - b));
    for (const [domid, m] of model) {
      const d = final.get(domid)!;
      expect(d.name).toBe(m.name);
      expect(d.devices.filter((x) => x.kind === 'nic').length).toBe(m.nics);
      expect(d.devices.filter((x) => x.kind === 'disk').length).toBe(m.disks.length);
    }
    // one event per successful command, and none for a failed one: no lost update
    const succeeded = (kind: Op['kind']) => ops.filter((op, i) => ok[i] && op.kind === kind).length;
    expect(done.create.length).toBe(succeeded('create'));
    expect(done.destroy.length).toBe(succeeded('destroy'));
    expect(done.rename.length).toBe(succeeded('rename'));
    expect(done.attach.length).toBe(succeeded('attach'));
    for (const [i, op] of ops.entries()) if (op.kind === 'create' && ok[i]) expect(done.create).toContain(op.name);

    // every failure is explained by the serial order
    for (const [i, op] of ops.entries()) {
      if (ok[i] || op.kind === 'list') continue;
      const why = `${op.args.join(' ')} failed: ${runs[i].stderr.trim().split('\n')[0]}`;
      if (op.kind === 'create') expect(done.create.includes(op.name) || (st0.domains as SimDomain[]).some((d) => d.name === op.name) || done.rename.some((r) => r.endsWith(`>${op.name}`)), why).toBe(true);
      if (op.kind === 'destroy' || op.kind === 'attach') {
        expect(done.destroy.includes(op.name) || done.rename.some((r) => r.startsWith(`${op.name}>`)) || /already has|no domain/.test(runs[i].stderr), why).toBe(true);
        if (op.kind === 'destroy' && op.name === 'c1') expect(/no domain/.test(runs[i].stderr), why).toBe(true);
      }
      if (op.kind === 'rename') expect(/already exists|no domain/.test(runs[i].stderr), why).toBe(true);
    }
    // exactly one of the racing pairs won
    expect(ops.filter((op, i) => ok[i] && op.kind === 'create' && op.name === 'dup').length).toBe(1);
    expect(ops.filter((op, i) => ok[i] && op.kind === 'destroy' && op.name === 'p0').length).toBe(1);
    expect(ops.filter((op, i) => ok[i] && op.kind === 'rename' && op.to === 'nx').length).toBe(1);
    expect(ops.filter((op, i) => ok[i] && op.dev === 'disk xvdb' && op.name === 'p9').length).toBeLessThanOrEqual(1);

    // --- invariants of the final state ---
    const doms = st.domains as SimDomain[];
    expect(new Set(doms.map((d) => d.name)).size).toBe(doms.length);
    expect(new Set(doms.map((d) => d.domid)).size).toBe(doms.length);
    expect(new Set(doms.map((d) => d.uuid)).size).toBe(doms.length);
    expect(doms.every((d) => d.domid < st.next_domid)).toBe(true);
    // memory: what the host reports free is its total less what every domain holds
    const info = JSON.parse(h.run(['-o', 'json', 'info']).stdout) as { total_memory: string; free_memory: string };
    const used = doms.reduce((s, d) => s + d.target_kb + d.video_kb + d.shadow_kb, 0);
    expect(Number(info.free_memory) * 1024).toBe(Number(info.total_memory) * 1024 - used);
    const dom0 = doms.find((d) => d.domid === 0)!;
    expect(used).toBe(dom0.target_kb + (doms.length - 1) * 128 * 1024);
    // and nobody left a lock or a temp file behind
    const left = readdirSync(h.dir).filter((f) => /\.lock$|\.tmp$|\.break$/.test(f));
    expect(left).toEqual([]);
    expect(existsSync(SIM_BIN)).toBe(true);
    console.log(`[concurrency] processes: 50, events replayed: ${events.length}, lost updates: 0, domains at the end: ${doms.length}`);
  }, 300_000);
});
