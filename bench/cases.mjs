// The cases of the local suite (no Xen needed). A case is one command line, timed as a whole;
// `floors` says how many Node start-ups it holds (for "minus floor"), `baseline` which case
// its ratio is taken against.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

// 500 as well as 1,000: the cost above one domain at both tells linear (1:2) from worse (1:4)
export const SIM_SIZES = [1, 10, 100, 500, 1000];
export const HOSTFILE_SIZE = 1000;
export const SAMPLE_CFG = 'test-fullvirt-ovmf.cfg';

const lines = (s) => s.split('\n').filter(Boolean);
const needs = (what, ok) => (ok ? undefined : `output does not show ${what}`);
const json = (out) => {
  try {
    return JSON.parse(out);
  } catch {
    return undefined;
  }
};

/**
 * ctx: { node, txl: path of bin/txl, env, dir, fastDir: a tmpfs directory or undefined, states: {n: TXL_SIM_STATE file}, hostFile: host.yaml of HOSTFILE_SIZE domains, cfg: sample config, configs: all 48, xl: {argv, env} | {missing} }
 * Returns { cases, skipped: [{ id, label, why }], cleanup: [directories to remove at the end] }.
 */
export function localCases(ctx) {
  const { node, env, states, hostFile, cfg, configs, xl } = ctx;
  const sim = (n) => ({ ...env, TXL_SIM_STATE: states[n] });
  const txl = (...args) => [node, ctx.txl, ...args];
  const cases = [];
  const skipped = [];
  const add = (c) => cases.push({ env, floors: 1, baseline: 'floor', kind: 'txl', ...c });

  add({ id: 'floor', group: 'floor', label: 'node -e 0', argv: [node, '-e', '0'], kind: 'node', baseline: undefined });
  // Node's own ESM start-up, which every ESM command line pays before its first import
  const empty = join(ctx.dir, 'empty.mjs');
  writeFileSync(empty, '');
  add({ id: 'esm-floor', group: 'floor', label: 'node empty.mjs (ESM entry, no imports)', argv: [node, empty], kind: 'node' });
  add({ id: 'version', group: 'startup', label: 'txl --version', argv: txl('--version'), check: (o) => needs('a version', /^\d+\.\d+\.\d+/.test(o)) });
  add({ id: 'help', group: 'startup', label: 'txl --help', argv: txl('--help'), check: (o) => needs('the command list', o.includes('create')) });
  if (states[10]) {
    add({
      id: 'complete', group: 'startup', label: "txl __complete destroy '' (10 domains)", env: sim(10),
      argv: txl('__complete', '-c', 'test:///default', 'destroy', ''),
      check: (o) => needs('the 10 domains', lines(o).filter((l) => l.startsWith('guest')).length === 10),
    });
  }
  const listed = (n) => (o) => needs(`Domain-0 and ${n} domains`, lines(o).length === n + 2);
  for (const n of SIM_SIZES.filter((k) => states[k])) {
    add({ id: `list-${n}`, group: 'startup', label: `txl list (${n} domain${n > 1 ? 's' : ''})`, env: sim(n), argv: txl('-c', 'test:///default', 'list'), check: listed(n) });
  }
  if (hostFile) {
    add({ id: 'list-hostfile', group: 'startup', label: `txl list (${HOSTFILE_SIZE} domains, test:///PATH/host.yaml)`, argv: txl('-c', `test://${hostFile}`, 'list'), check: listed(HOSTFILE_SIZE) });
  }
  if (cfg) {
    add({ id: 'check', group: 'startup', label: `txl check ${basename(cfg)}`, argv: txl('check', cfg), check: (o, e) => needs('ok', /ok \(0 errors/.test(o + e)) });
    add({
      id: 'create-N', group: 'startup', label: `txl create -N ${basename(cfg)}`, argv: txl('create', '-N', cfg),
      baseline: xl.argv ? 'xl-create-N' : 'floor', check: (o) => needs('libxl JSON', Boolean(json(o)?.c_info)),
    });
  } else skipped.push({ id: 'check', label: 'txl check / create -N on a corpus config', why: 'corpus not found' });

  if (!configs.length) skipped.push({ id: 'convert', label: 'converting the 48 corpus configs', why: 'corpus not found' });
  // Results go to tmpfs when there is one, so that all three compare the work, not the disk;
  // txl's --out-dir writes atomically (fsync each file), measured apart on the scratch disk.
  const outDir = ctx.fastDir ? mkdtempSync(join(ctx.fastDir, 'txl-bench-convert-')) : join(ctx.dir, 'convert');
  const diskDir = join(ctx.dir, 'convert-disk');
  // the loops write each result where `txl convert --out-dir` would, so all three do the same work
  const loop = (cmd) => ['sh', '-c', `D=$1; shift; for f; do ${cmd} "$f" >"$D/\${f##*/}.json" 2>/dev/null || :; done`, 'sh', outDir, ...configs];
  const converted = (d = outDir) => () => needs(`${configs.length - 1}+ results`, readdirSync(d).length >= configs.length - 1);
  if (xl.argv) {
    const xlEnv = xl.env;
    cases.push({ id: 'xl-create-N', group: 'xl', label: `xl -N create ${basename(cfg)}`, argv: [...xl.argv, '-N', 'create', cfg], env: xlEnv, floors: 0, kind: 'xl', check: (o) => needs('libxl JSON', Boolean(json(o)?.c_info)) });
    if (configs.length) {
      cases.push({
        id: 'convert-each-xl', group: 'convert', label: `xl -N create, ${configs.length} processes`,
        argv: loop(`${xl.env.LD_PRELOAD ? `LD_PRELOAD='${xl.env.LD_PRELOAD}' ` : ''}"${xl.argv[0]}" -N create`), env, floors: 0, kind: 'xl',
        before: () => clear(outDir), check: converted(),
      });
    }
  } else skipped.push({ id: 'xl', label: 'xl -N create (and its loop over the corpus)', why: xl.missing });
  if (configs.length) {
    const base = xl.argv ? 'convert-each-xl' : 'floor';
    add({
      id: 'convert-each-txl', group: 'convert', label: `txl convert --to json, ${configs.length} processes`, floors: configs.length,
      argv: loop(`"${node}" "${ctx.txl}" convert --to json`), every: 3, baseline: base, before: () => clear(outDir), check: converted(),
    });
    add({
      id: 'convert-all-txl', group: 'convert', label: `txl convert --to json of ${configs.length} files, 1 process`,
      argv: txl('convert', '--to', 'json', '--out-dir', outDir, ...configs), baseline: base,
      expectCode: 'any', before: () => clear(outDir), check: converted(),
    });
    if (ctx.fastDir) {
      add({
        id: 'convert-all-txl-disk', group: 'convert', label: `the same, --out-dir on disk (${configs.length} fsyncs)`,
        argv: txl('convert', '--to', 'json', '--out-dir', diskDir, ...configs), baseline: 'convert-all-txl',
        expectCode: 'any', before: () => clear(diskDir), check: converted(diskDir),
      });
    }
  }
  return { cases, skipped, cleanup: ctx.fastDir && configs.length ? [outDir] : [] };
}

function clear(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
}
