// VNC and SPICE passwords never leak: not in -v/-vv/-vvv debug output, not in error messages
// (diagnostics quote the source line), not in the process title other users see in ps, not
// in the simulator's logs (console, dmesg, events); and the files that must hold them (the
// state, like xenstore, and managed configs) are readable by their owner only.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../src/core/errors.js';
import { redactSecrets, secretFreeTitle } from '../src/validate.js';
import { ROOT, SIM_BIN, simHost } from './support/inproc.js';
import { leaks, SECRET_CFG } from './support/secrets.js';

const src = (f: string) => readFileSync(join(ROOT, f), 'utf8');
const WIRED = {
  diagnostics: /redactDiagnostic/.test(src('src/core/errors.ts')),
  title: /secretFreeTitle/.test(src('src/cli/entry.ts')),
};

// the redaction is wired where the messages and the title are made: a move of either must move this too
describe('redaction is wired', () => {
  it('in the diagnostics and in the process title', () => expect(WIRED).toEqual({ diagnostics: true, title: true }));
});

const CFG = `${SECRET_CFG}disk = [ "vdev=xvda, target=/dev/vg/sec" ]\n`;

describe('validate.ts: redaction', () => {
  it.each([
    ['vncpasswd = "S3cretVNC"', 'vncpasswd = "*********"'],
    ["spicepasswd='S3cretSPICE' # x", "spicepasswd='***********' # x"],
    ['vnc=1,vncpasswd=S3cretVFB,bogus=1', 'vnc=1,vncpasswd=*********,bogus=1'],
    ['"passwd": "S3cret"', '"passwd": "******"'],
    ["<graphics type='vnc' passwd='S3cret'/>", "<graphics type='vnc' passwd='******'/>"],
    ['password=hunter2 next', 'password=******* next'],
    ['name = "vncpasswd"', 'name = "vncpasswd"'],
  ])('%s', (input, output) => expect(redactSecrets(input)).toBe(output));

  it('keeps every column where it was, so carets still point right', () => {
    const line = 'vncpasswd = "S3cretVNC" junk';
    expect(redactSecrets(line).length).toBe(line.length);
    expect(redactSecrets(line).indexOf('junk')).toBe(line.indexOf('junk'));
  });

  it('a process title without the secret, only when there is one', () => {
    expect(secretFreeTitle(['create', 'g.cfg', 'vncpasswd=S3cret'])).toBe('txl create g.cfg vncpasswd=******');
    expect(secretFreeTitle(['create', 'g.cfg', 'memory=512'])).toBeUndefined();
  });
});

describe('secrets stay out of output, logs and files others can read (bin/txl, simulator)', () => {
  it('-vvv create, define, list, console, dmesg and events print none; the state and managed configs are owner-only', () => {
    const h = simHost();
    h.file('sec.cfg', CFG);
    const runs = [
      h.run(['-vvv', 'create', 'sec.cfg']),
      h.run(['-vvv', 'define', 'sec.cfg']),
      h.run(['-vvv', 'list']),
      h.run(['-vvv', 'dmesg']),
      h.run(['-vvv', 'console', 'sec']),
      h.run(['-vvv', 'pause', 'sec']),
    ];
    expect(runs[0].code, runs[0].stderr).toBe(0);
    for (const r of runs) expect(leaks(r.stderr), r.stderr).toEqual([]);
    for (const r of runs.slice(2)) expect(leaks(r.stdout), r.stdout).toEqual([]);
    // the event log in the state file says what happened, never with the config's secrets
    const events = JSON.stringify(h.state().events) + JSON.stringify(h.state().dmesg);
    expect(leaks(events)).toEqual([]);
    // every file but the ones that must hold the secrets: none has them; those are owner-only
    const holders: string[] = [];
    const walk = (d: string) => {
      for (const name of readdirSync(d)) {
        const p = join(d, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (leaks(readFileSync(p, 'utf8')).length) holders.push(relative(h.dir, p));
      }
    };
    walk(h.dir);
    expect(holders.sort()).toEqual(['managed/sec.json', 'sec.cfg', 'state.json']);
    for (const f of ['managed/sec.json', 'state.json']) expect((statSync(join(h.dir, f)).mode & 0o077).toString(8), f).toBe('0');
  });
});

describe('secrets stay out of error messages (src/core/errors.ts: redactDiagnostic in formatDiagnostic, redactSecrets on the ConfigError message)', () => {
  it.each([
    ['a syntax error on the password line', 'name = "x"\nvncpasswd = "S3cretVNC" junk\n'],
    ['a warning on a vfb spec holding a password', 'name = "x"\ntype = "hvm"\nvfb = [ "vnc=1,vncpasswd=S3cretVFB,bogus=1" ]\nkernel = "/k"\n'],
    ['an override whose password is not quoted (the message quotes it)', 'name = "x"\ntype = "hvm"\n', 'vncpasswd=S3cretVNC'],
  ])('%s', (_what, text, override?: string) => {
    const h = simHost();
    h.file('bad.cfg', text);
    const r = h.run(['-vvv', 'create', '-N', 'bad.cfg', ...(override ? [override] : [])]);
    expect(r.stderr).toMatch(/(bad\.cfg|command line>):\d+:\d+/);
    expect(leaks(r.stderr), r.stderr).toEqual([]);
  });
  it('formatDiagnostic masks excerpts and messages', () => {
    const out = formatDiagnostic({ severity: 'error', file: 'f', line: 1, col: 25, message: "bad value for vncpasswd='S3cretVNC'", excerpt: 'vncpasswd = "S3cretVNC" junk' });
    expect(leaks(out)).toEqual([]);
  });
});

describe('secrets stay out of the process title (set process.title = secretFreeTitle(argv) in src/cli/entry.ts main)', () => {
  it('ps and /proc/PID/cmdline of a running txl do not show a password given on its command line', async () => {
    const h = simHost();
    h.file('sec.cfg', CFG);
    expect(h.run(['list']).code).toBe(0);
    // hold the host's lock so that txl stays running while we look at it
    const lock = join(h.dir, 'state.json.lock');
    writeFileSync(lock, `${process.pid} ${hostname()} ${Date.now()} test0000token\n`);
    const env: Record<string, string> = { ...(process.env as Record<string, string>), ...h.env };
    for (const k of Object.keys(env)) if (env[k] === '' && k.startsWith('TXL_')) delete env[k];
    const p = spawn(process.execPath, [SIM_BIN, '--connect', h.uri, 'create', 'sec.cfg', 'vncpasswd="S3cretVNC"'], { env, cwd: h.dir });
    await new Promise((r) => setTimeout(r, 1500));
    const cmdline = readFileSync(`/proc/${p.pid}/cmdline`, 'utf8');
    p.kill('SIGKILL');
    expect(leaks(cmdline), cmdline).toEqual([]);
  });
});

describe('wiring status', () => {
  it('says which places call the redaction', () => {
    console.log(`[security] redaction wired: diagnostics (src/core/errors.ts) ${WIRED.diagnostics ? 'yes' : 'NO'}, process title (src/cli/entry.ts) ${WIRED.title ? 'yes' : 'NO'}`);
    expect(typeof redactSecrets).toBe('function');
  });
});
