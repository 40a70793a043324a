// The real-Xen suite, run inside the lab's dom0 (or any dom0):
//   TXL_LAB_LIBVIRT=1 test/lab/boot.sh --timeout 5400 -- node bench/run.mjs --suite lab --rounds 2 --json -
// txl list vs xl list (vs virsh list when libvirt is installed) with 3 guests up, and 8 tiny
// PV guests made by `txl create -j 4` vs a loop of `xl create`. Guests are destroyed after
// every run, untimed. Every guest is made paused (xl and txl `create -p`, `virsh create
// --paused`): under TCG 8 booting kernels starved dom0 and the runs measured the starvation;
// building a domain is the toolstacks' work, its boot after the unpause is the guest's.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onRealXen } from './xl.mjs';

export const GUESTS = 8;
const LIST_GUESTS = 3;
const GUEST_DIR = process.env.TXL_LAB_GUEST_DIR || '/var/lib/txl-lab';
const have = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

function guestConfig(dir, name) {
  const file = join(dir, `${name}.cfg`);
  writeFileSync(file, [
    `name = "${name}"`, 'type = "pv"', `kernel = "${GUEST_DIR}/vmlinux"`, `ramdisk = "${GUEST_DIR}/guest.cpio.gz"`,
    'extra = "console=hvc0 quiet"', 'memory = 128', 'vcpus = 1', '',
  ].join('\n'));
  return file;
}

// every helper command is bounded: a hung xl must not hang the whole lab run
const T = { timeout: 120_000, killSignal: 'SIGKILL' };
const listed = () => spawnSync('xl', ['list'], { encoding: 'utf8', ...T }).stdout ?? '';
const running = (out, n) => new RegExp(`^${n}\\s`, 'm').test(out);

// Also waits for the domains' monitors (xl's, txl's `domain-monitor`) to go: a txl monitor
// still starting up would otherwise eat dom0's CPU during the next case.
function destroyAll(names) {
  // one `xl list` per look: with guests booting it can take half a minute under TCG
  const up = () => { const o = listed(); return names.filter((n) => running(o, n)); };
  for (const n of up()) spawnSync('xl', ['destroy', n], { stdio: 'ignore', ...T });
  for (let i = 0; i < 100 && up().length; i++) spawnSync('sleep', ['0.2']);
  const monitors = () => spawnSync('pgrep', ['-f', `domain-monitor|xl create.*(${names.join('|')})`], { encoding: 'utf8', ...T }).stdout?.trim();
  for (let i = 0; i < 240 && monitors(); i++) {
    if (i === 20) say(`waiting for monitors to exit: ${monitors().replace(/\n/g, ' ')}`);
    spawnSync('sleep', ['0.5']);
  }
}

let say = () => {};

export function labCases({ node, txl, env, dir, log }) {
  if (log) say = log;
  // slow: under QEMU without KVM every command takes seconds; the log shows where a run is
  const floor = { id: 'floor', group: 'floor', label: 'node -e 0', argv: [node, '-e', '0'], env, kind: 'node', floors: 1, slow: true };
  if (!onRealXen()) {
    return { cases: [floor], skipped: [{ id: 'lab', label: 'the real-Xen cases', why: 'not a dom0 with a running hypervisor (/proc/xen/capabilities has no control_d): run it in the lab, see BENCHMARKS.md' }] };
  }
  const cases = [floor];
  const skipped = [];
  // the list cases run with a few guests up for the whole run, made here untimed
  const listNames = Array.from({ length: LIST_GUESTS }, (_, i) => `listguest${i}`);
  const virshName = have('virsh') ? listNames.pop() : undefined;
  say(`starting ${LIST_GUESTS} guests for the list cases`);
  for (const n of listNames) spawnSync('xl', ['create', '-q', '-p', guestConfig(dir, n)], { stdio: 'ignore', ...T, timeout: 600_000 });
  if (virshName) virshCreate(dir, virshName, { node, txl, env });
  const guests = [...listNames, ...(virshName ? [virshName] : [])];
  process.on('exit', () => destroyAll(guests));
  const upNow = guests.filter((n) => running(listed(), n));
  const withGuests = (o) => (!/^Domain-0\s/m.test(o) ? 'output does not list Domain-0' : upNow.find((n) => !running(o, n)) && `output does not list ${upNow.find((n) => !running(o, n))}`) || undefined;
  const suffix = ` (${upNow.length} guests)`;
  cases.push({ id: 'lab-xl-list', group: 'lab', label: `xl list${suffix}`, argv: ['xl', 'list'], env, kind: 'xl', floors: 0, check: withGuests, slow: true });
  cases.push({ id: 'lab-txl-list', group: 'lab', label: `txl list${suffix}`, argv: [node, txl, '-c', 'xen:///system', 'list'], env, kind: 'txl', floors: 1, baseline: 'lab-xl-list', check: withGuests, slow: true });
  if (virshName) {
    // libvirt lists only the domains it made itself (here: one), not xl's or txl's
    const virshOk = (o) => (/^\s*Id\s+Name\s+State/m.test(o) ? undefined : 'no table in the output');
    cases.push({ id: 'lab-virsh-list', group: 'lab', label: 'virsh -c xen:///system list', argv: ['virsh', '-c', 'xen:///system', 'list'], env, kind: 'virsh', floors: 0, baseline: 'lab-xl-list', check: virshOk, slow: true });
  } else skipped.push({ id: 'lab-virsh-list', label: 'virsh -c xen:///system list', why: "libvirt (virsh and its libxl driver) is not installed in the lab's dom0: boot the lab with TXL_LAB_LIBVIRT=1" });

  const names = Array.from({ length: GUESTS }, (_, i) => `benchguest${i}`);
  const files = names.map((n) => guestConfig(dir, n));
  const clean = () => destroyAll(names);
  // checked while the guests are still up (before `after` destroys them)
  let lastCheck;
  const allUp = () => {
    const o = listed();
    const missing = names.filter((n) => !running(o, n));
    lastCheck = missing.length ? `not listed after create: ${missing.join(', ')}` : undefined;
  };
  const after = () => { allUp(); clean(); };
  // each twice: with monitors, and without (-e): xl forks its monitor, txl starts a node
  // process for each, which under TCG costs seconds of dom0's CPU; -e tells that from create's own
  for (const e of [[], ['-e']]) {
    const id = e.length ? '-e' : '';
    const common = { group: 'lab', env, slow: true, timeoutS: 1800, before: clean, after, check: () => lastCheck };
    cases.push({
      ...common, id: `lab-create-xl${id}`, label: `${GUESTS} guests: for f; do xl create -p ${e.join(' ')}${id ? ' ' : ''}$f; done`, kind: 'xl', floors: 0,
      argv: ['sh', '-c', `for f; do xl create -p ${e.join(' ')} "$f" || exit 1; done`, 'sh', ...files],
    });
    cases.push({
      ...common, id: `lab-create-txl${id}`, label: `${GUESTS} guests: txl create -p ${e.join(' ')}${id ? ' ' : ''}-j 4`, kind: 'txl', floors: 1, baseline: `lab-create-xl${id}`,
      argv: [node, txl, '-c', 'xen:///system', 'create', '-p', ...e, '-j', '4', ...files],
    });
  }
  process.on('exit', clean);
  return { cases, skipped };
}

// A guest libvirt made, from the domain XML `txl convert` writes for the lab's xl.cfg.
function virshCreate(dir, name, { node, txl, env }) {
  const xml = join(dir, `${name}.xml`);
  const r = spawnSync(node, [txl, 'convert', '--to', 'xml', guestConfig(dir, name)], { env, encoding: 'utf8', ...T });
  if (r.status !== 0) return;
  writeFileSync(xml, r.stdout);
  spawnSync('virsh', ['-c', 'xen:///system', 'create', '--paused', xml], { stdio: 'ignore', ...T, timeout: 600_000 });
}

export function labTargets(rs) {
  const get = (id) => rs.find((r) => r.id === id);
  const create = get('lab-create-txl');
  const list = get('lab-txl-list');
  const virsh = get('lab-virsh-list');
  const t = [{ target: `${GUESTS} guests: txl create -p -j 4 ≤ 0.6x the xl create -p loop`, value: create?.ratio, limit: 0.6, unit: 'x', state: create?.ratio === undefined ? 'not measured' : create.ratio <= 0.6 ? 'met' : 'NOT met' }];
  if (virsh?.median !== undefined && list?.median !== undefined) {
    const r = list.median / virsh.median;
    t.push({ target: 'txl list no slower than virsh list (ratio txl/virsh ≤ 1)', value: r, limit: 1, unit: 'x', state: r <= 1 ? 'met' : 'NOT met' });
  } else t.push({ target: 'txl list no slower than virsh list', value: undefined, limit: 1, unit: 'x', state: 'not measured (no virsh in the lab)' });
  const txlRows = rs.filter((r) => r.kind === 'txl' && Number.isFinite(r.rssKb));
  const worst = txlRows.reduce((a, b) => (b.rssKb > (a?.rssKb ?? -1) ? b : a), undefined);
  t.push({ target: `peak RSS of txl on real Xen < 60 MB (worst: ${worst?.label ?? '–'})`, value: worst ? worst.rssKb / 1024 : undefined, limit: 60, unit: 'MB' });
  return t;
}
