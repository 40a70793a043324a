#!/usr/bin/env node
// `npm run bench`: times txl next to Node's floor and the real xl, in one run, side by side.
//
//   node bench/run.mjs [--rounds N] [--warmup N] [--only ID,...] [--suite local|lab]
//                      [--build] [--no-fetch] [--json FILE] [--seed N] [--keep]
//   node bench/run.mjs --report FILE     the tables of a run saved with --json
//
// Every case runs `warmup` times (output checked), then `rounds` times interleaved with the
// others; medians are reported, as ratios to a baseline of the same run and as "txl minus
// floor". See BENCHMARKS.md for what the cases are and how to read the tables.
import { spawnSync } from 'node:child_process';
import { rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOSTFILE_SIZE, localCases, SAMPLE_CFG, SIM_SIZES } from './cases.mjs';
import { readFileSync } from 'node:fs';
import { labCases } from './lab.mjs';
import { measureCases, Runner } from './measure.mjs';
import { render } from './report.mjs';
import { childEnv, corpusConfigs, gitRevision, machine, ROOT, scratch, simHost, simState, snapshotBuild, staleBuild } from './setup.mjs';
import { findXl } from './xl.mjs';

const USAGE = 'usage: node bench/run.mjs [--rounds N] [--warmup N] [--only ID,...] [--suite local|lab] [--build] [--no-fetch] [--json FILE] [--seed N] [--keep] | --report FILE';

function parseArgs(argv) {
  const o = { rounds: 15, warmup: 1, only: undefined, suite: 'local', build: false, fetch: true, json: undefined, seed: 1, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--rounds') o.rounds = Number(val());
    else if (a === '--warmup') o.warmup = Number(val());
    else if (a === '--only') o.only = val().split(',').filter(Boolean);
    else if (a === '--suite') o.suite = val();
    else if (a === '--build') o.build = true;
    else if (a === '--no-fetch') o.fetch = false;
    else if (a === '--json') o.json = val();
    else if (a === '--seed') o.seed = Number(val());
    else if (a === '--keep') o.keep = true;
    else if (a === '--report') o.report = val();
    else if (a === '-h' || a === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument '${a}'`);
  }
  if (!(Number.isInteger(o.rounds) && o.rounds >= 1)) throw new Error('--rounds needs a whole number of at least 1');
  if (!(Number.isInteger(o.warmup) && o.warmup >= 1)) throw new Error('--warmup needs a whole number of at least 1 (the warm-up run checks the output)');
  if (!['local', 'lab'].includes(o.suite)) throw new Error("--suite is 'local' or 'lab'");
  return o;
}

const log = (m) => process.stderr.write(`bench: ${m}\n`);

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`bench: ${e.message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (opts.report) {
    // re-renders the tables of a saved --json run, measuring nothing
    console.log(render(JSON.parse(readFileSync(opts.report, 'utf8'))).text);
    return;
  }
  if (opts.build) {
    log('building dist/');
    const b = spawnSync(process.execPath, [join(ROOT, 'build.mjs')], { stdio: 'inherit', cwd: ROOT });
    if (b.status !== 0) throw new Error('node build.mjs failed');
  }
  const stale = staleBuild();
  if (stale) log(`warning: ${stale}`);
  const dir = scratch();
  const env = childEnv(dir);
  const TXL = snapshotBuild(dir);
  const node = process.execPath;
  const wanted = (id) => !opts.only || opts.only.some((p) => id === p || id.startsWith(`${p}-`) || (p === 'list' && id.startsWith('list-')));

  let cases;
  let skipped = [];
  let cleanup = [];
  if (opts.suite === 'local') {
    const configs = corpusConfigs();
    const cfg = configs.find((f) => f.endsWith(`/${SAMPLE_CFG}`));
    const states = {};
    for (const n of SIM_SIZES) {
      if (!wanted(`list-${n}`) && !(n === 10 && wanted('complete'))) continue;
      log(`making a simulated host of ${n} domains`);
      states[n] = simState(dir, n, { node, txl: TXL, env });
    }
    let hostFile;
    if (wanted('list-hostfile')) {
      hostFile = simHost(dir, HOSTFILE_SIZE);
      // the first command on a host file makes its state (and its domains): not part of the timing
      const r = spawnSync(node, [TXL, '-c', `test://${hostFile}`, 'list'], { env, encoding: 'utf8' });
      if (r.status !== 0) log(`warning: preparing the host file failed: ${r.stderr.trim()}`);
    }
    const needXl = ['xl-create-N', 'convert-each-xl', 'create-N'].some(wanted);
    const xl = cfg && needXl ? findXl({ cache: process.env.TXL_BENCH_CACHE || '/var/tmp/txl-bench', fetch: opts.fetch, probeCfg: cfg, env, log }) : { missing: cfg ? 'not asked for (--only)' : 'corpus not found' };
    if (xl.note) log(`xl: ${xl.note}`);
    ({ cases, skipped, cleanup } = localCases({ node, txl: TXL, env, dir, fastDir: fastDir(), states, hostFile, cfg, configs, xl }));
  } else {
    ({ cases, skipped } = labCases({ node, txl: TXL, env, dir, log }));
  }
  cases = cases.filter((c) => c.group === 'floor' || wanted(c.id));

  const m = machine();
  log(`${cases.length} cases, ${opts.rounds} rounds after ${opts.warmup} warm-up; load average ${m.loadavg.join(' ')}`);
  const runner = new Runner();
  const started = new Date();
  let results;
  try {
    results = await measureCases(runner, cases, { rounds: opts.rounds, warmup: opts.warmup, seed: opts.seed, outDir: join(dir, 'out'), log });
  } finally {
    runner.close();
  }
  const run = {
    started: started.toISOString(), suite: opts.suite, machine: m, loadavgAfter: machine().loadavg, rounds: opts.rounds, warmup: opts.warmup,
    revision: gitRevision(), stale, skipped, cases: cases.map(({ id, label, group, kind, floors, baseline }) => ({ id, label, group, kind, floors, baseline })),
    results: Object.fromEntries(results),
  };
  const { text, rows: rs } = render(run);
  console.log(text);
  // `--json -`: on stdout after the tables, one line (the lab's dom0 has only its console)
  if (opts.json === '-') console.log(`bench-json: ${JSON.stringify(run)}`);
  else if (opts.json) writeFileSync(opts.json, JSON.stringify({ ...run, rows: rs }, null, 1));
  if (opts.keep) log(`scratch kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
  if (rs.some((r) => r.error)) process.exitCode = 1;
}

function fastDir() {
  try {
    return statfsSync('/dev/shm').type === TMPFS_MAGIC ? '/dev/shm' : undefined;
  } catch {
    return undefined;
  }
}
const TMPFS_MAGIC = 0x01021994;

main().catch((e) => {
  console.error(`bench: ${e.stack ?? e}`);
  process.exitCode = 1;
});
