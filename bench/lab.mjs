// The real-Xen suite, run inside the lab's dom0 (or any dom0):
//   test/lab/boot.sh --timeout 3600 -- node bench/run.mjs --suite lab --rounds 3
// txl list vs xl list (vs virsh list when libvirt is installed), and 8 tiny PV guests made
// by `txl create -j 4` vs a loop of `xl create`. Guests are destroyed after every run, untimed.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onRealXen } from './xl.mjs';

export const GUESTS = 8;
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

function destroyAll(names) {
  for (const n of names) spawnSync('xl', ['destroy', n], { stdio: 'ignore' });
  const listed = () => spawnSync('xl', ['list'], { encoding: 'utf8' }).stdout ?? '';
  for (let i = 0; i < 100 && names.some((n) => new RegExp(`^${n}\\s`, 'm').test(listed())); i++) spawnSync('sleep', ['0.2']);
}

export function labCases({ node, txl, env, dir }) {
  // slow: under QEMU without KVM every command takes seconds; the log shows where a run is
  const floor = { id: 'floor', group: 'floor', label: 'node -e 0', argv: [node, '-e', '0'], env, kind: 'node', floors: 1, slow: true };
  if (!onRealXen()) {
    return { cases: [floor], skipped: [{ id: 'lab', label: 'the real-Xen cases', why: 'not a dom0 with a running hypervisor (/proc/xen/capabilities has no control_d): run it in the lab, see BENCHMARKS.md' }] };
  }
  const cases = [floor];
  const skipped = [];
  const hasDom0 = (o) => (/^Domain-0\s/m.test(o) ? undefined : 'output does not list Domain-0');
  cases.push({ id: 'lab-xl-list', group: 'lab', label: 'xl list', argv: ['xl', 'list'], env, kind: 'xl', floors: 0, check: hasDom0, slow: true });
  cases.push({ id: 'lab-txl-list', group: 'lab', label: 'txl list', argv: [node, txl, '-c', 'xen:///system', 'list'], env, kind: 'txl', floors: 1, baseline: 'lab-xl-list', check: hasDom0, slow: true });
  if (have('virsh')) {
    cases.push({ id: 'lab-virsh-list', group: 'lab', label: 'virsh -c xen:///system list', argv: ['virsh', '-c', 'xen:///system', 'list'], env, kind: 'virsh', floors: 0, baseline: 'lab-xl-list' });
  } else skipped.push({ id: 'lab-virsh-list', label: 'virsh -c xen:///system list', why: "libvirt (virsh and its libxl driver) is not installed in the lab's dom0" });

  const names = Array.from({ length: GUESTS }, (_, i) => `benchguest${i}`);
  const files = names.map((n) => guestConfig(dir, n));
  const clean = () => destroyAll(names);
  const allUp = () => {
    const o = spawnSync('xl', ['list'], { encoding: 'utf8' }).stdout ?? '';
    const missing = names.filter((n) => !new RegExp(`^${n}\\s`, 'm').test(o));
    return missing.length ? `not running after create: ${missing.join(', ')}` : undefined;
  };
  cases.push({
    id: 'lab-create-xl', group: 'lab', label: `${GUESTS} guests: for f; do xl create $f; done`, kind: 'xl', floors: 0, env, slow: true, timeoutS: 1800,
    argv: ['sh', '-c', 'for f; do xl create "$f" || exit 1; done', 'sh', ...files], before: clean, check: allUp,
  });
  cases.push({
    id: 'lab-create-txl', group: 'lab', label: `${GUESTS} guests: txl create -j 4`, kind: 'txl', floors: 1, env, baseline: 'lab-create-xl', slow: true, timeoutS: 1800,
    argv: [node, txl, '-c', 'xen:///system', 'create', '-j', '4', ...files], before: clean, check: allUp,
  });
  // the last run of each leaves its guests up until the next case's `before`; clean at the end too
  process.on('exit', clean);
  return { cases, skipped };
}

export function labTargets(rs) {
  const get = (id) => rs.find((r) => r.id === id);
  const create = get('lab-create-txl');
  const list = get('lab-txl-list');
  const virsh = get('lab-virsh-list');
  const t = [{ target: `${GUESTS} guests: txl create -j 4 ≤ 0.6x the xl create loop`, value: create?.ratio, limit: 0.6, unit: 'x', state: create?.ratio === undefined ? 'not measured' : create.ratio <= 0.6 ? 'met' : 'NOT met' }];
  if (virsh?.median !== undefined && list?.median !== undefined) {
    const r = list.median / virsh.median;
    t.push({ target: 'txl list no slower than virsh list (ratio txl/virsh ≤ 1)', value: r, limit: 1, unit: 'x', state: r <= 1 ? 'met' : 'NOT met' });
  } else t.push({ target: 'txl list no slower than virsh list', value: undefined, limit: 1, unit: 'x', state: 'not measured (no virsh in the lab)' });
  const txlRows = rs.filter((r) => r.kind === 'txl' && Number.isFinite(r.rssKb));
  const worst = txlRows.reduce((a, b) => (b.rssKb > (a?.rssKb ?? -1) ? b : a), undefined);
  t.push({ target: `peak RSS of txl on real Xen < 60 MB (worst: ${worst?.label ?? '–'})`, value: worst ? worst.rssKb / 1024 : undefined, limit: 60, unit: 'MB' });
  return t;
}
