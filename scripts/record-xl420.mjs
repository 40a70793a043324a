#!/usr/bin/env node
// Records what Xen 4.20's `xl -N create` prints for the corpus configs, where that differs
// from what Xen 4.17's xl prints for the same config on the same fake host. Both xl binaries
// are Debian's (scripts/fetch-xen.sh 4.17 / 4.20: 12's and 13's packages, unpacked, never
// installed), run through their own release's ld.so, so any Linux x86_64 machine works,
// without a hypervisor: test/shim/xen-shim.c lets libxl_ctx_alloc succeed and
// scripts/xl-host-shim.c answers xl's CPU and NUMA questions.
//
//   scripts/record-xl420.mjs [OUT]     OUT defaults to test/xl420-dryrun
//
// Xen's golden device spec cases (xl -N block-attach / network-attach) are compared too.
// OUT/SUMMARY.json lists every config compared and those where 4.20 differs; OUT/<dir>/NAME.json
// (xl 4.20 accepted it) or NAME.stderr (xl 4.20 refused it) hold 4.20's output for each of
// those. test/conformance-xl420.test.ts compares txl against them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = resolve(process.env.TXL_CORPUS || join(PROJECT, '../shared/corpus'));
const OUT = resolve(process.argv[2] || join(PROJECT, 'test/xl420-dryrun'));
const VERSIONS = ['4.17', '4.20'];
const rootOf = (v) => process.env[`TXL_XEN${v.replace('.', '')}_ROOT`] || join(homedir(), `.cache/txl/xen-${v}`);

const die = (m) => { console.error(`record-xl420: ${m}`); process.exit(1); };
if (!existsSync(CORPUS)) die(`no corpus at ${CORPUS} (set TXL_CORPUS)`);

const work = mkdtempSync(join(tmpdir(), 'txl-xl420-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

/** Each version: its root, its ld.so and library path, its two shims compiled against its headers. */
const xl = {};
for (const v of VERSIONS) {
  const root = rootOf(v);
  if (!existsSync(join(root, '.complete'))) {
    const r = spawnSync('sh', [join(PROJECT, 'scripts/fetch-xen.sh'), v, root], { stdio: 'inherit' });
    if (r.status !== 0) die(`scripts/fetch-xen.sh ${v} failed`);
  }
  const libs = [join(root, 'lib/x86_64-linux-gnu'), join(root, 'usr/lib/x86_64-linux-gnu')];
  const ldso = [join(root, 'lib64/ld-linux-x86-64.so.2'), join(root, 'usr/lib64/ld-linux-x86-64.so.2'), join(root, 'usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2')].find(existsSync);
  if (!ldso) die(`no ld.so in ${root}`);
  const cc = (src, out, lib) => {
    const r = spawnSync('cc', ['-shared', '-fPIC', '-Wall', '-Werror', '-I', join(root, 'usr/include'), '-o', out, src, '-L', libs[1], `-l${lib}`], { encoding: 'utf8' });
    if (r.status !== 0) die(`cc ${src} for ${v}:\n${r.stderr}`);
    return out;
  };
  // the host shim first: its libxl_get_physinfo (6 NUMA nodes) shadows xen-shim's (1 node)
  const shims = [
    cc(join(PROJECT, 'scripts/xl-host-shim.c'), join(work, `xl-host-shim-${v}.so`), 'xenlight'),
    cc(join(PROJECT, 'test/shim/xen-shim.c'), join(work, `xen-shim-${v}.so`), 'xentoollog'),
  ];
  const bin = join(root, `usr/lib/xen-${v}/bin/xl`);
  const version = readFileSync(join(root, '.complete'), 'utf8').match(new RegExp(`xen-utils-${v.replace('.', '\\.')}_([^_]+)_`))?.[1] ?? v;
  const xlN = (args) => spawnSync(ldso, ['--library-path', libs.join(':'), '--preload', shims.join(' '), bin, '-N', ...args], { cwd: CORPUS, encoding: 'utf8', env: { PATH: '/usr/bin:/bin', LC_ALL: 'C' } });
  xl[v] = { run: (cfg) => xlN(['create', cfg]), xlN, version };
}

function configs() {
  const out = [];
  for (const f of readdirSync(join(CORPUS, 'libvirt-xl')).filter((f) => f.endsWith('.cfg')).sort()) out.push({ dir: 'libvirt-xl', file: f, name: f.replace(/\.cfg$/, '') });
  for (const f of readdirSync(join(CORPUS, 'xen-examples')).filter((f) => f !== 'xl.conf' && f !== 'cpupool').sort()) out.push({ dir: 'xen-examples', file: f, name: f });
  return out;
}

/** xl's result with what is random (the uuid of a config that gives none) left out. */
function outcome(r, cfgText) {
  if (r.status !== 0 || !r.stdout.trim()) return { ok: false, stderr: r.stderr, signal: r.signal };
  const json = JSON.parse(r.stdout);
  if (!/^\s*uuid\s*=/m.test(cfgText)) delete json.c_info?.uuid;
  return { ok: true, json, text: r.stdout };
}

rmSync(OUT, { recursive: true, force: true });
const summary = { xl: Object.fromEntries(VERSIONS.map((v) => [v, xl[v].version])), compared: [], refusedByBoth: [], differ: {} };
for (const c of configs()) {
  const rel = `${c.dir}/${c.file}`;
  const text = readFileSync(join(CORPUS, rel), 'utf8');
  const [a, b] = VERSIONS.map((v) => outcome(xl[v].run(rel), text));
  if (a.signal || b.signal) die(`${rel}: xl ${a.signal ? '4.17' : '4.20'} died (${a.signal || b.signal})`);
  summary.compared.push(`${c.dir}/${c.name}`);
  if (!a.ok && !b.ok) summary.refusedByBoth.push(`${c.dir}/${c.name}`);
  const same = a.ok === b.ok && (!a.ok || JSON.stringify(a.json) === JSON.stringify(b.json));
  if (same) continue;
  const why = a.ok !== b.ok ? (b.ok ? 'accepted by 4.20 only' : 'refused by 4.20 only') : 'different JSON';
  summary.differ[`${c.dir}/${c.name}`] = why;
  mkdirSync(join(OUT, c.dir), { recursive: true });
  if (b.ok) writeFileSync(join(OUT, c.dir, `${c.name}.json`), b.text);
  else writeFileSync(join(OUT, c.dir, `${c.name}.stderr`), b.stderr.replace(/^Failed to read config file: .*\n/m, ''));
}
// Xen's golden cases of the device specs (xl-spec-cases.json): `xl -N block-attach 0 WORDS`
// and `xl -N network-attach 0 WORDS`; where the versions differ, both outputs go in SUMMARY.
const specCases = JSON.parse(readFileSync(join(CORPUS, 'xl-spec-cases.json'), 'utf8'));
summary.specs = { compared: 0, differ: [] };
for (const [kind, cmd] of [['disk', 'block-attach'], ['vif', 'network-attach']]) {
  for (const c of specCases[kind]) {
    summary.specs.compared++;
    const [a, b] = VERSIONS.map((v) => xl[v].xlN([cmd, '0', ...c.args]));
    if (a.signal || b.signal) die(`${kind} ${c.args.join(' ')}: xl died`);
    if (a.status === b.status && a.stdout === b.stdout) continue;
    const res = (r) => ({ ok: r.status === 0, stdout: r.stdout });
    summary.specs.differ.push({ kind, args: c.args, [VERSIONS[0]]: res(a), [VERSIONS[1]]: res(b) });
  }
}
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'SUMMARY.json'), JSON.stringify(summary, null, 2) + '\n');
console.log(`record-xl420: xl ${summary.xl['4.17']} and ${summary.xl['4.20']} on ${summary.compared.length} configs (${summary.refusedByBoth.length} refused by both): ${Object.keys(summary.differ).length} differ (${OUT})`);
for (const [k, why] of Object.entries(summary.differ)) console.log(`  ${k}: ${why}`);
console.log(`record-xl420: ${summary.specs.compared} device spec cases: ${summary.specs.differ.length} differ`);
for (const d of summary.specs.differ) console.log(`  ${d.kind} ${d.args.join(' ')}: 4.17 ${d['4.17'].ok ? 'accepts' : 'refuses'}, 4.20 ${d['4.20'].ok ? 'accepts' : 'refuses'}`);
