#!/usr/bin/env node
// Boot Xen + a Debian dom0 under QEMU, run one payload command in dom0 and
// return its exit code. See README.md beside this file. TXL_LAB_FLAVOUR picks the
// platform (build.sh): bookworm (Xen 4.17, default) or trixie (Xen 4.20, Debian's nodejs).
//
//   boot.mjs [options] [--] [command...]   default command: bash test/lab/suite.sh
//   --shell         interactive dom0 shell on this terminal (Ctrl-] x quits QEMU)
//   --timeout SEC   default $TXL_LAB_TIMEOUT or 600
//   --log FILE      console log (default $CACHE/logs/console-<time>.log)
//   --accel A       auto (default, $TXL_LAB_ACCEL), tcg or kvm
//   --verbose       print the whole console, not only the payload's lines
//   --no-build      do not run build.sh first
// Exit: the payload's code; 124 timeout; 125 dom0 died or never ran the
// payload; 10 QEMU cannot run on this machine at all (or build.sh said so).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, createWriteStream, copyFileSync, chmodSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const LAB = dirname(fileURLToPath(import.meta.url));
const PROJECT = resolve(LAB, '../..');
const FLAVOUR = process.env.TXL_LAB_FLAVOUR || 'bookworm';
if (!['bookworm', 'trixie'].includes(FLAVOUR)) { console.error(`boot: TXL_LAB_FLAVOUR must be bookworm or trixie, not '${FLAVOUR}'`); process.exit(2); }
// each flavour its own cache (as build.sh chooses it)
const CACHE = process.env.TXL_LAB_CACHE || (FLAVOUR === 'bookworm' ? '/var/tmp/txl-lab' : `/var/tmp/txl-lab-${FLAVOUR}`);
// bookworm's nodejs (18) is below txl's engines: that dom0 gets this host's node; trixie's
// dom0 has Debian's own nodejs package, which is what its admins run
const HOST_NODE = FLAVOUR === 'bookworm';
// TXL_LAB_LIBVIRT=1: dom0 with libvirtd and virsh (build-libvirt.sh), which needs more room
const LIBVIRT = !!process.env.TXL_LAB_LIBVIRT && process.env.TXL_LAB_LIBVIRT !== '0';
if (LIBVIRT && FLAVOUR !== 'bookworm') { console.error('boot: the libvirt lab (TXL_LAB_LIBVIRT) is bookworm only'); process.exit(2); }
const ROOTFS = LIBVIRT ? 'dom0-libvirt.cpio' : 'dom0.cpio';
// dom0's root is a tmpfs of half its memory: with qemu-xen (the HVM checks), openssh and, on
// trixie, Debian's nodejs in the rootfs, 1536M left too little room for the suite's save
// files (save failed with ENOSPC, xl's too)
const DOM0_MEM = process.env.TXL_LAB_DOM0_MEM || '2048M';

const opts = { shell: false, timeout: Number(process.env.TXL_LAB_TIMEOUT || 600), log: '', accel: process.env.TXL_LAB_ACCEL || 'auto', verbose: !!process.env.TXL_LAB_VERBOSE, build: true, cmd: [] };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--shell') opts.shell = true;
  else if (a === '--timeout') opts.timeout = Number(argv[++i]);
  else if (a === '--log') opts.log = resolve(argv[++i]);
  else if (a === '--accel') opts.accel = argv[++i];
  else if (a === '--verbose' || a === '-v') opts.verbose = true;
  else if (a === '--no-build') opts.build = false;
  else if (a === '--') { opts.cmd = argv.slice(i + 1); break; }
  else if (a.startsWith('-')) { console.error(`boot: unknown option ${a}`); process.exit(2); }
  else { opts.cmd = argv.slice(i); break; }
}
if (!(opts.timeout > 0)) { console.error('boot: --timeout needs a positive number of seconds'); process.exit(2); }
if (CACHE.includes(',')) { console.error('boot: TXL_LAB_CACHE must not contain a comma (QEMU splits multiboot modules on it)'); process.exit(2); }

const say = (m) => console.log(`lab: ${m}`);
const t0 = Date.now();
const secs = (ms) => (ms / 1000).toFixed(1);

if (opts.build) {
  const b = spawnSync('bash', [join(LAB, LIBVIRT ? 'build-libvirt.sh' : 'build.sh')], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status === 10 ? 10 : 1);
}
for (const f of ['xen.elf', 'vmlinuz', ROOTFS]) {
  if (!existsSync(join(CACHE, f))) { console.error(`boot: ${join(CACHE, f)} missing: run test/lab/build.sh`); process.exit(1); }
}

// --- the payload cpio: made at every boot, so the newest code is what runs ---
function sh(cmd, args, what) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${what}: ${cmd} ${args.join(' ')}: ${r.stderr?.toString().trim() || r.error}`);
}
const run = mkdtempSync(join(CACHE, 'run-'));
const cleanup = () => rmSync(run, { recursive: true, force: true });
process.on('exit', cleanup);
const stage = join(run, 'stage');
mkdirSync(join(stage, 'opt/txl'), { recursive: true });
mkdirSync(join(stage, 'usr/local/bin'), { recursive: true });
mkdirSync(join(stage, 'usr/local/sbin'), { recursive: true });
mkdirSync(join(stage, 'txl-lab'), { recursive: true });
// hard links when the cache is on the project's filesystem: no copying
function copyInto(src, destDir) {
  mkdirSync(destDir, { recursive: true });
  const r = spawnSync('cp', ['-al', src, destDir], { stdio: 'ignore' });
  if (r.status !== 0) sh('cp', ['-a', src, destDir], 'copy project');
}
const skip = new Set(['.git', 'coverage', '.lab-cache', 'node_modules']);
for (const e of readdirSync(PROJECT)) if (!skip.has(e)) copyInto(join(PROJECT, e), join(stage, 'opt/txl'));
// Only the runtime dependencies: the dev tools (typescript, vitest, esbuild...)
// would add ~75 MiB that dom0 must unpack into RAM under TCG at every boot.
for (const dir of runtimeModules()) copyInto(join(PROJECT, dir), dirname(join(stage, 'opt/txl', dir)));

function runtimeModules() {
  if (!existsSync(join(PROJECT, 'node_modules'))) return [];
  if (!process.env.TXL_LAB_ALL_MODULES) {
    // npm ls exits 1 on any tree problem but still lists what is installed
    const r = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: PROJECT, encoding: 'utf8' });
    const dirs = (r.stdout || '').split('\n').filter((p) => p.startsWith(join(PROJECT, 'node_modules/'))).map((p) => p.slice(PROJECT.length + 1));
    if (dirs.length) return dirs.filter((d) => existsSync(join(PROJECT, d)) && !dirs.some((o) => d.startsWith(`${o}/`)));
    say('npm ls gave nothing: copying all of node_modules');
  }
  return ['node_modules'];
}
if (HOST_NODE) {
  copyFileSync(process.execPath, join(stage, 'usr/local/bin/node'));
  chmodSync(join(stage, 'usr/local/bin/node'), 0o755);
}
copyFileSync(join(LAB, 'dom0-init.sh'), join(stage, 'init'));
chmodSync(join(stage, 'init'), 0o755);
writeFileSync(join(stage, 'usr/local/sbin/poweroff'), '#!/bin/sh\nsync\necho 1 >/proc/sys/kernel/sysrq\necho o >/proc/sysrq-trigger\n', { mode: 0o755 });
const quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
const cmd = opts.cmd.length ? opts.cmd.map(quote).join(' ') : 'bash test/lab/suite.sh';
// the suite's own settings travel into dom0 (it has none of this host's environment)
if (!process.env.TXL_LAB_FLAVOUR) process.env.TXL_LAB_FLAVOUR = FLAVOUR;
const forwarded = ['TXL_LAB_CHECKS', 'TXL_LAB_CHECK_TIMEOUT', 'TXL_LAB_FLAVOUR'].filter((k) => process.env[k]).map((k) => `export ${k}=${quote(process.env[k])}\n`).join('');
writeFileSync(join(stage, 'txl-lab/payload'), `cd /opt/txl || exit 125\n${forwarded}${cmd}\n`);
writeFileSync(join(stage, 'txl-lab/mode'), opts.shell ? 'shell\n' : 'run\n');
// dom0 takes one initrd: the rootfs cpio and the payload cpio, concatenated
// (the kernel unpacks them in turn; later files win).
const initrd = join(run, 'initrd.cpio');
copyFileSync(join(CACHE, ROOTFS), initrd);
const cpio = spawnSync('bash', ['-c', `cd ${quote(stage)} && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet >> ${quote(initrd)}`], { stdio: ['ignore', 'inherit', 'inherit'] });
if (cpio.status !== 0) { console.error('boot: cpio failed'); process.exit(1); }
rmSync(stage, { recursive: true, force: true });
say(`initrd ${(statSync(initrd).size / 1048576).toFixed(0)} MiB ready in ${secs(Date.now() - t0)}s`);

// --- QEMU ---------------------------------------------------------------------
function kvmUsable() {
  // /dev/kvm alone is not enough: a PVM-style KVM without VMX/SVM kills Xen.
  const loaded = ['kvm_intel', 'kvm_amd'].some((m) => existsSync(`/sys/module/${m}`));
  if (!loaded) return false;
  try { return (statSync('/dev/kvm').mode & 0o060000) !== 0; } catch { return false; }
}
function qemuArgs(accel) {
  // spec-ctrl=eager-fpu: with Xen's default lazy FPU switching for PV, dom0
  // processes (node) crashed or computed wrong results while guests ran, under
  // TCG with or without AVX, multi- or single-threaded; eager switching is the
  // suspected cure (see README). TXL_LAB_XEN_ARGS adds options (last one wins).
  const xenCmdline = `console=com1 com1=115200,8n1 dom0_mem=${DOM0_MEM},max:${DOM0_MEM} dom0_max_vcpus=2 smap=0 smep=0 bootscrub=0 spec-ctrl=eager-fpu ${process.env.TXL_LAB_XEN_ARGS || ''}`.trim();
  const a = [
    accel === 'kvm' ? ['-accel', 'kvm', '-cpu', process.env.TXL_LAB_CPU || 'host'] : ['-accel', `tcg,thread=${process.env.TXL_LAB_TCG_THREAD || 'multi'}`, '-cpu', process.env.TXL_LAB_CPU || 'max'],
    ['-m', '4096', '-smp', '2', '-nodefaults', '-display', 'none', '-no-reboot'],
    ['-kernel', join(CACHE, 'xen.elf'), '-append', xenCmdline],
    ['-initrd', `${join(CACHE, 'vmlinuz')} console=hvc0 quiet,${initrd}`],
  ].flat();
  if (opts.shell) {
    // Ctrl-] instead of Ctrl-a as QEMU's escape: Xen uses Ctrl-a itself.
    a.push('-chardev', 'stdio,id=con,mux=on,signal=off', '-serial', 'chardev:con', '-mon', 'chardev=con', '-echr', '0x1d');
  } else {
    a.push('-serial', 'stdio', '-monitor', 'none');
  }
  return a;
}

if (opts.shell) {
  const accel = opts.accel === 'auto' ? (kvmUsable() ? 'kvm' : 'tcg') : opts.accel;
  say(`dom0 shell (${accel}); Ctrl-] x quits QEMU, 'poweroff' stops the machine cleanly`);
  const r = spawnSync('qemu-system-x86_64', qemuArgs(accel), { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

function boot(accel) {
  return new Promise((done) => {
    const started = Date.now();
    mkdirSync(join(CACHE, 'logs'), { recursive: true });
    const logPath = opts.log || join(CACHE, 'logs', `console-${new Date().toISOString().replace(/[:.]/g, '-')}-${accel}.log`);
    const log = createWriteStream(logPath);
    const q = spawn('qemu-system-x86_64', qemuArgs(accel), { stdio: ['ignore', 'pipe', 'pipe'] });
    const st = { accel, logPath, rc: null, ready: 0, marker: 0, bytes: 0, peakKiB: 0, tail: [], stderr: '', timedOut: false, spawnError: null };
    let inPayload = false;
    let partial = '';
    const line = (l) => {
      st.tail.push(l);
      if (st.tail.length > 40) st.tail.shift();
      const m = /txl-lab: (ready|payload start|exit=(\d+))/.exec(l);
      if (m?.[1] === 'ready') { st.ready = Date.now(); say(`dom0 ready ${secs(st.ready - started)}s after QEMU start`); }
      if (m?.[1] === 'payload start') { inPayload = true; return; }
      if (m?.[2] !== undefined) { inPayload = false; st.rc = Number(m[2]); st.marker = Date.now(); setTimeout(() => q.kill('SIGKILL'), 20000).unref(); }
      if (opts.verbose || inPayload) console.log(opts.verbose ? `| ${l}` : l);
    };
    q.stdout.on('data', (buf) => {
      st.bytes += buf.length;
      const text = buf.toString('utf8').replace(/\r/g, '');
      log.write(text);
      const parts = (partial + text).split('\n');
      partial = parts.pop();
      parts.forEach(line);
    });
    q.stderr.on('data', (b) => { st.stderr += b.toString(); });
    q.on('error', (e) => { st.spawnError = e; });
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${q.pid}/status`, 'utf8'));
        if (m) st.peakKiB = Math.max(st.peakKiB, Number(m[1]));
      } catch { /* gone */ }
    }, 1000);
    const timer = setTimeout(() => { st.timedOut = true; q.kill('SIGTERM'); setTimeout(() => q.kill('SIGKILL'), 3000).unref(); }, opts.timeout * 1000);
    q.on('close', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      if (partial) line(partial);
      log.end();
      st.qemuCode = code;
      st.ended = Date.now();
      st.started = started;
      done(st);
    });
  });
}

const showTail = (st) => {
  console.log(`---- last ${st.tail.length} console lines (${st.logPath}) ----`);
  st.tail.forEach((l) => console.log(l));
  if (st.stderr.trim()) console.log(`---- qemu stderr ----\n${st.stderr.trim()}`);
  console.log('----');
};
const startFailed = (st) => st.spawnError || (st.bytes === 0 && st.qemuCode !== 0 && !st.timedOut);

let accel = opts.accel === 'auto' ? (kvmUsable() ? 'kvm' : 'tcg') : opts.accel;
say(`booting Xen + dom0 (${FLAVOUR}) under QEMU (${accel}), timeout ${opts.timeout}s`);
let st = await boot(accel);
// KVM that cannot run Xen dies before dom0 is up: try again without it.
if (accel === 'kvm' && opts.accel === 'auto' && !st.ready && !st.timedOut) {
  say(`KVM did not get dom0 up (${st.stderr.split('\n')[0] || `qemu exit ${st.qemuCode}`}); falling back to TCG`);
  accel = 'tcg';
  st = await boot(accel);
}
const peak = `${(st.peakKiB / 1024).toFixed(0)} MiB`;
if (startFailed(st)) {
  console.log(`lab: QEMU could not run here: ${st.spawnError?.message || st.stderr.trim().split('\n')[0] || `exit ${st.qemuCode}`}`);
  process.exit(10);
}
if (st.timedOut) {
  console.log(`lab: TIMEOUT after ${opts.timeout}s (${st.ready ? 'dom0 was ready' : 'dom0 never got ready'})`);
  showTail(st);
  process.exit(124);
}
if (st.rc === null) {
  console.log(`lab: dom0 never reported the payload's exit code (qemu exit ${st.qemuCode})`);
  showTail(st);
  process.exit(125);
}
const readyS = st.ready ? secs(st.ready - st.started) : '?';
const payloadS = st.ready ? secs(st.marker - st.ready) : '?';
say(`payload exit ${st.rc}; accel ${st.accel}; QEMU start to dom0 ready ${readyS}s; payload ${payloadS}s; QEMU ${secs(st.ended - st.started)}s; whole boot.mjs ${secs(Date.now() - t0)}s; QEMU peak RSS ${peak}; log ${st.logPath}`);
pruneLogs();
process.exit(st.rc);

function pruneLogs() {
  const dir = join(CACHE, 'logs');
  const logs = readdirSync(dir).filter((f) => f.startsWith('console-')).sort();
  for (const f of logs.slice(0, Math.max(0, logs.length - 20))) { try { unlinkSync(join(dir, f)); } catch { /* another run */ } }
}
