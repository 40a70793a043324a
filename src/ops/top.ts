// top and domstats. top prints xentop's columns: refreshed in place on a terminal (q or
// Ctrl-C to leave), one snapshot otherwise, as `xentop -b -i 1` would. domstats gives the
// per-domain metrics xenopsd reports: memory target against actual (balloon progress), vCPU
// times, shadow memory, domid.
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import type { Backend, DeviceIo, DomainInfo, DomainStats, HostInfo } from '../core/backend-types.js';
import { UsageError } from '../core/errors.js';
import { withBackend } from './connect.js';
import { fixed, right } from './text.js';

export interface TopRow {
  domid: number; name: string; state: string; cpu_s: number; cpu_pct: number; mem_kb: number; mem_pct: number;
  maxmem_kb: number; maxmem_pct: number; vcpus: number; nets: number; nettx_kb: number; netrx_kb: number;
  vbds: number; vbd_oo: number; vbd_rd: number; vbd_wr: number; vbd_rsect: number; vbd_wsect: number; ssid: number;
}

/** xentop's state letters, in its order: dying, shutdown, blocked, crashed, paused, running. */
function xentopState(d: DomainInfo): string {
  const crashed = d.shutdown && d.shutdown_reason === 'crash';
  return [d.dying ? 'd' : '-', d.shutdown ? 's' : '-', d.blocked ? 'b' : '-', crashed ? 'c' : '-', d.paused ? 'p' : '-', d.running ? 'r' : '-'].join('');
}

interface Sample { at: number; cpu: Map<number, number> }

async function snapshot(be: Backend, host: HostInfo, prev: Sample | undefined): Promise<{ rows: TopRow[]; sample: Sample }> {
  const at = Date.now();
  const doms = await be.listDomains();
  const io = (await be.deviceIo?.()) ?? new Map<number, DeviceIo>();
  const totalKb = host.physinfo.total_memkb;
  const rows: TopRow[] = [];
  for (const d of doms) {
    const { net, block } = io.get(d.domid) ?? { net: [], block: [] };
    const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((a, x) => a + f(x), 0);
    const [disks, nics] = await Promise.all([be.listDevices(d.domid, 'disk').catch(() => []), be.listDevices(d.domid, 'nic').catch(() => [])]);
    const before = prev?.cpu.get(d.domid);
    // ns over µs elapsed, as xentop computes it; 0 without an earlier sample
    const pct = prev && before !== undefined && at > prev.at ? (d.cpu_time - before) / 10 / ((at - prev.at) * 1000) : 0;
    rows.push({
      domid: d.domid, name: d.name, state: xentopState(d), cpu_s: Math.floor(d.cpu_time / 1e9), cpu_pct: pct,
      mem_kb: d.current_memkb, mem_pct: (d.current_memkb / totalKb) * 100, maxmem_kb: d.max_memkb, maxmem_pct: (d.max_memkb / totalKb) * 100,
      // xentop's NETTX is what Domain-0's vif sent, i.e. what the guest received (NetStats
      // is the guest's view); its VBD columns are blkback's raw request and sector counts
      vcpus: d.vcpu_online, nets: nics.length, nettx_kb: Math.floor(sum(net, (n) => n.rx_bytes) / 1024), netrx_kb: Math.floor(sum(net, (n) => n.tx_bytes) / 1024),
      vbds: disks.length, vbd_oo: sum(block, (b) => b.oo_reqs), vbd_rd: sum(block, (b) => b.rd_reqs), vbd_wr: sum(block, (b) => b.wr_reqs),
      vbd_rsect: sum(block, (b) => b.rd_sectors), vbd_wsect: sum(block, (b) => b.wr_sectors), ssid: d.ssidref,
    });
  }
  // xentop sorts by its first column, the name, ignoring case
  rows.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
  return { rows, sample: { at, cpu: new Map(doms.map((d) => [d.domid, d.cpu_time])) } };
}

const COLUMNS: [string, number, (r: TopRow) => string][] = [
  ['NAME', 10, (r) => r.name.slice(0, 10)],
  ['STATE', 6, (r) => r.state],
  ['CPU(sec)', 10, (r) => String(r.cpu_s)],
  ['CPU(%)', 6, (r) => fixed(r.cpu_pct, 1)],
  ['MEM(k)', 10, (r) => String(r.mem_kb)],
  ['MEM(%)', 6, (r) => fixed(r.mem_pct, 1)],
  ['MAXMEM(k)', 10, (r) => String(r.maxmem_kb)],
  ['MAXMEM(%)', 9, (r) => fixed(r.maxmem_pct, 1)],
  ['VCPUS', 5, (r) => String(r.vcpus)],
  ['NETS', 4, (r) => String(r.nets)],
  ['NETTX(k)', 8, (r) => String(r.nettx_kb)],
  ['NETRX(k)', 8, (r) => String(r.netrx_kb)],
  ['VBDS', 4, (r) => String(r.vbds)],
  ['VBD_OO', 8, (r) => String(r.vbd_oo)],
  ['VBD_RD', 8, (r) => String(r.vbd_rd)],
  ['VBD_WR', 8, (r) => String(r.vbd_wr)],
  ['VBD_RSECT', 10, (r) => String(r.vbd_rsect)],
  ['VBD_WSECT', 10, (r) => String(r.vbd_wsect)],
  ['SSID', 4, (r) => String(r.ssid)],
];

export function topTable(rows: TopRow[]): string {
  const head = COLUMNS.map(([h, w]) => right(h, w)).join(' ');
  return [head, ...rows.map((r) => COLUMNS.map(([, w, f]) => right(f(r), w)).join(' '))].join('\n') + '\n';
}

/** xentop's summary lines above the table (interactive mode only, as in xentop). */
function summary(rows: TopRow[], doms: DomainInfo[], host: HostInfo): string {
  // each domain counted once, in xentop's order of precedence (a crashed one counts as shut down)
  const n = { running: 0, blocked: 0, paused: 0, crashed: 0, dying: 0, shutdown: 0 };
  for (const d of doms) {
    if (d.running) n.running++;
    else if (d.blocked) n.blocked++;
    else if (d.paused) n.paused++;
    else if (d.shutdown) n.shutdown++;
    else if (d.dying) n.dying++;
  }
  const p = host.physinfo;
  const used = p.total_memkb - p.free_memkb;
  const v = host.version_info;
  return [
    `xentop - ${new Date().toTimeString().slice(0, 8)}   Xen ${v.xen_version_major}.${v.xen_version_minor}${v.xen_version_extra}`,
    `${rows.length} domains: ${n.running} running, ${n.blocked} blocked, ${n.paused} paused, ${n.crashed} crashed, ${n.dying} dying, ${n.shutdown} shutdown `,
    `Mem: ${p.total_memkb}k total, ${used}k used, ${p.free_memkb}k free    CPUs: ${p.nr_cpus} @ ${Math.floor(p.cpu_khz / 1000)}MHz`,
  ].join('\n') + '\n';
}

export interface TopOpts { delay?: string; iterations?: string; batch?: boolean }

export async function top(ctx: Context, opts: TopOpts): Promise<Result | void> {
  const delay = opts.delay === undefined ? 3 : Number(opts.delay);
  if (!Number.isFinite(delay) || delay <= 0) throw new UsageError(`--delay must be a number of seconds above 0, not '${opts.delay}'`);
  const iterations = opts.iterations === undefined ? undefined : Number(opts.iterations);
  if (iterations !== undefined && (!Number.isInteger(iterations) || iterations < 1)) throw new UsageError(`--iterations must be a whole number of 1 or more, not '${opts.iterations}'`);
  const live = ctx.interactive && !opts.batch && (ctx.output ?? 'text') === 'text';
  return withBackend(ctx, async (be) => {
    const host = await be.hostInfo();
    if (!live) {
      // batch: one snapshot (or -i N of them, -d apart), header and rows as `xentop -b`
      let prev: Sample | undefined;
      let text = '';
      let rows: TopRow[] = [];
      for (let i = 0; i < (iterations ?? 1); i++) {
        if (i) await new Promise((r) => setTimeout(r, delay * 1000));
        const s = await snapshot(be, host, prev);
        prev = s.sample;
        rows = s.rows;
        text += topTable(rows);
      }
      return { data: rows, text, table: { head: COLUMNS.map(([h]) => h), rows: rows.map((r) => COLUMNS.map(([, , f]) => f(r))) } };
    }
    await refreshLoop(ctx, be, delay, iterations);
  });
}

async function refreshLoop(ctx: Context, be: Backend, delay: number, iterations: number | undefined): Promise<void> {
  const out = ctx.stdout;
  const stdin = process.stdin;
  let quit = false;
  let wake: () => void = () => {};
  const onKey = (b: Buffer) => {
    const k = b.toString();
    if (k === 'q' || k === 'Q' || k === '\x03' || k === '\x1b') quit = true;
    wake();
  };
  const onSignal = () => ((quit = true), wake());
  stdin.setRawMode?.(true);
  stdin.resume();
  stdin.on('data', onKey);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  out.write('\x1b[?25l');
  let prev: Sample | undefined;
  try {
    for (let i = 0; !quit && (iterations === undefined || i < iterations); i++) {
      const host = await be.hostInfo();
      const doms = await be.listDomains();
      const s = await snapshot(be, host, prev);
      prev = s.sample;
      out.write('\x1b[H\x1b[2J' + summary(s.rows, doms, host) + topTable(s.rows) + `\nq to quit, refreshing every ${delay}s`);
      if (iterations !== undefined && i + 1 >= iterations) break;
      await new Promise<void>((r) => {
        const t = setTimeout(r, delay * 1000);
        wake = () => (clearTimeout(t), r());
      });
    }
  } finally {
    stdin.off('data', onKey);
    stdin.setRawMode?.(false);
    stdin.pause();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    out.write('\x1b[?25h\n');
  }
}

// ------------------------------------------------------------------ domstats

/** virsh's numbers for a domain state (virDomainState). */
function stateCode(d: DomainInfo): number {
  if (d.paused) return 3;
  if (d.dying) return 4;
  if (d.shutdown) return d.shutdown_reason === 'crash' ? 6 : 5;
  return 1;
}

/** virsh domstats' net.* and block.* keys (block errors: blkback's out-of-requests count, as libvirt maps it). */
export function ioLines(s: DomainStats): string[] {
  const lines: string[] = [];
  if (s.net) {
    lines.push(`  net.count=${s.net.length}`);
    s.net.forEach((n, i) => lines.push(
      `  net.${i}.name=${n.name}`,
      `  net.${i}.rx.bytes=${n.rx_bytes}`, `  net.${i}.rx.pkts=${n.rx_pkts}`, `  net.${i}.rx.errs=${n.rx_errs}`, `  net.${i}.rx.drop=${n.rx_drop}`,
      `  net.${i}.tx.bytes=${n.tx_bytes}`, `  net.${i}.tx.pkts=${n.tx_pkts}`, `  net.${i}.tx.errs=${n.tx_errs}`, `  net.${i}.tx.drop=${n.tx_drop}`,
    ));
  }
  if (s.block) {
    lines.push(`  block.count=${s.block.length}`);
    s.block.forEach((b, i) => lines.push(
      `  block.${i}.name=${b.name}`,
      `  block.${i}.rd.reqs=${b.rd_reqs}`, `  block.${i}.rd.bytes=${b.rd_sectors * 512}`,
      `  block.${i}.wr.reqs=${b.wr_reqs}`, `  block.${i}.wr.bytes=${b.wr_sectors * 512}`,
      `  block.${i}.errors=${b.oo_reqs}`,
    ));
  }
  return lines;
}

export async function domStats(ctx: Context, refs: string[]): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const doms = refs.length ? await Promise.all(refs.map(async (r) => be.domainInfo(await be.resolve(r)))) : await be.listDomains();
    const data: (DomainStats & { state: string; vcpu_max: number })[] = [];
    const blocks: string[] = [];
    for (const d of doms) {
      const s = await be.domainStats(d.domid);
      data.push({ ...s, state: d.state, vcpu_max: d.vcpu_max_id + 1 });
      const lines = [
        `Domain: '${s.name}'`,
        `  domid=${s.domid}`,
        `  state.state=${stateCode(d)}`,
        `  cpu.time=${s.cpu_time}`,
        `  balloon.target=${s.memory.target_kb}`,
        `  balloon.current=${s.memory.actual_kb}`,
        `  balloon.maximum=${s.memory.max_kb}`,
        `  balloon.progress=${fixed(s.memory.balloon_done * 100, 1)}`,
        `  memory.shadow=${s.shadow_kb}`,
        `  vcpu.current=${s.vcpus.filter((v) => v.online).length}`,
        `  vcpu.maximum=${s.vcpus.length}`,
        ...s.vcpus.flatMap((v) => [`  vcpu.${v.vcpuid}.state=${v.online ? 1 : 0}`, `  vcpu.${v.vcpuid}.time=${v.time}`]),
        ...ioLines(s),
      ];
      blocks.push(lines.join('\n') + '\n');
    }
    return {
      data,
      // virsh domstats: one block per domain, each followed by an empty line
      text: blocks.map((b) => b + '\n').join(''),
      table: {
        head: ['Domain', 'ID', 'Target(k)', 'Actual(k)', 'Max(k)', 'Balloon', 'Shadow(k)', 'CPU(s)', 'VCPUs'],
        rows: data.map((s) => [s.name, s.domid, s.memory.target_kb, s.memory.actual_kb, s.memory.max_kb, `${fixed(s.memory.balloon_done * 100, 0)}%`, s.shadow_kb, fixed(s.cpu_time / 1e9, 1), `${s.vcpus.filter((v) => v.online).length}/${s.vcpus.length}`]),
      },
    };
  });
}
