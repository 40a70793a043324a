// txl migrate / migrate-receive: xl's protocol byte for byte, and whole migrations on the
// simulator with both ends as real txl processes (HOST is the receiver's command, -s '').
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AWAY_SUFFIX, BANNER, GO, INCOMING_SUFFIX, migrationRune, printable, READY, REPORT } from '../src/migrate/protocol.js';
import { encodeHeader, SAVE_MAGIC } from '../src/savefile.js';
import { guestJson, SIM_BIN, simHost, type SimHost } from './support/sim.js';
import { BIN } from './support/txl.js';
import { runInProcess } from './support/inproc-run.js';

/**
 * A command line that prepares or inspects the host, in this process (test/support/inproc.ts);
 * h.run, which spawns, stays for the migrations, whose two ends are the subject.
 */
function setup(h: SimHost, args: string[]) {
  if (SIM_BIN !== BIN) return h.run(args);
  const env: Record<string, string> = { ...(process.env as Record<string, string>), ...h.env };
  for (const k of Object.keys(env)) if (env[k] === '' && k.startsWith('TXL_')) delete env[k];
  return runInProcess(['--connect', h.uri, ...args], env, h.dir);
}

const names = (h: SimHost) => (h.state().domains as { name: string; domid: number; status: string }[]).filter((d) => d.domid !== 0);
const receiver = (h: SimHost, env = '') => `${env ? `env ${env} ` : ''}'${process.execPath}' '${SIM_BIN}' --connect '${h.uri}' migrate-receive`;

function hostWithGuest(name = 'web'): SimHost {
  const h = simHost();
  const r = setup(h, ['create', h.file(`${name}.json`, guestJson(name, 128))]);
  expect(r.code, r.stderr).toBe(0);
  return h;
}

describe('protocol: xl\'s messages, byte for byte', () => {
  it('has xl\'s four messages, the banner without its NUL and the others with it', () => {
    expect(BANNER.toString('latin1')).toBe('xl migration receiver ready, send binary domain data.\n');
    expect([READY, GO, REPORT].map((b) => b.toString('latin1'))).toEqual([
      'domain received, ready to unpause\0',
      'domain is yours, you are cleared to unpause\0',
      'my copy unpause results are as follows\0',
    ]);
    expect([BANNER.length, READY.length, GO.length, REPORT.length]).toEqual([54, 34, 44, 39]);
    expect([INCOMING_SUFFIX, AWAY_SUFFIX]).toEqual(['--incoming', '--migratedaway']);
  });

  it('builds xl\'s command line for the other end', () => {
    expect(migrationRune('h2', { ssh: 'ssh', remote: 'txl' })).toBe('exec ssh h2 txl migrate-receive');
    expect(migrationRune('h2', { ssh: 'ssh -p 2222', remote: 'txl', noMonitor: true, debug: true, paused: true, tty: true }))
      .toBe('exec ssh -p 2222 h2 txl migrate-receive -t -e -d -p');
    // to xl, -t is a global option and goes before the command
    expect(migrationRune('h2', { ssh: 'ssh', remote: 'xl', tty: true, paused: true })).toBe('exec ssh h2 xl -t migrate-receive -p');
    expect(migrationRune('txl migrate-receive', { ssh: '', remote: 'txl', paused: true })).toBe('txl migrate-receive');
    // a simulated host migrates to the same kind of host at the other end
    expect(migrationRune('h2', { ssh: 'ssh', remote: 'txl', connect: "test:///it's.yaml" })).toBe("exec ssh h2 txl -c 'test:///it'\\''s.yaml' migrate-receive");
  });

  it('shows what a peer sent instead of a message', () => {
    expect(printable(Buffer.from('hi\n\0\x01'))).toBe('"hi\\n\\0\\x01"');
  });
});

describe('migrate on the simulator: both ends are txl', () => {
  it('moves a domain: same name and UUID, a new domid, running, the old copy gone', async () => {
    const h = hostWithGuest();
    const before = names(h)[0];
    const uuid = h.state().domains.find((d: { name: string }) => d.name === 'web').uuid;
    const r = h.run(['migrate', '-s', '', 'web', receiver(h)]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const after = names(h);
    expect(after.map((d) => d.name)).toEqual(['web']);
    expect(after[0].domid).not.toBe(before.domid);
    expect(after[0].status).toBe('running');
    expect(h.state().domains.find((d: { name: string }) => d.name === 'web').uuid).toBe(uuid);
    // xl's sequence of messages, from both ends (the receiver's stderr is the sender's)
    const order = [
      'migration target: Ready to receive domain.',
      'Saving to migration stream new xl format (info 0x3/0x0/',
      'migration target: Transfer complete, requesting permission to start domain.',
      'migration sender: Target has acknowledged transfer.',
      'migration sender: Giving target permission to start.',
      'migration target: Got permission, starting domain.',
      'migration sender: Target reports successful startup.',
      'Migration successful.',
    ].map((m) => r.stderr.indexOf(m));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('-p leaves the domain paused at the other end', () => {
    const h = hostWithGuest();
    const r = h.run(['migrate', '-p', '-s', '', 'web', `${receiver(h)} -p`]);
    expect(r.code, r.stderr).toBe(0);
    expect(names(h).map((d) => [d.name, d.status])).toEqual([['web', 'paused']]);
  });

  it('keeps a managed domain\'s config under its own name', () => {
    const h = hostWithGuest();
    expect(setup(h, ['define', h.file('web-def.json', guestJson('web', 128))]).code).toBe(0);
    const r = h.run(['migrate', '-s', '', 'web', receiver(h)]);
    expect(r.code, r.stderr).toBe(0);
    const all = setup(h, ['-o', 'json', 'list', '--all']);
    const listed = JSON.parse(all.stdout) as { name: string }[];
    expect(listed.map((d) => d.name).filter((n) => n.startsWith('web'))).toEqual(['web']);
  });

  it('--dry-run shows the command it would run and changes nothing', () => {
    const h = hostWithGuest();
    const r = h.run(['--dry-run', 'migrate', 'web', 'host2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`through: exec ssh host2 txl -c '${h.uri}' migrate-receive`);
    expect(names(h).map((d) => d.status)).toEqual(['running']);
  });
});

describe('migrate on the simulator: failures leave one running copy', () => {
  it('a receiver that does not speak the protocol: nothing is touched', () => {
    const h = hostWithGuest();
    let r = h.run(['migrate', '-s', '', 'web', 'printf "%060d" 0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^txl: error: Migration failed: the receiver did not answer: migration receiver stream contained unexpected data instead of banner \(command run was: printf "%060d" 0 \): "0000/m);
    expect(names(h).map((d) => [d.name, d.status])).toEqual([['web', 'running']]);
    r = h.run(['migrate', '-s', '', 'web', 'echo "Permission denied (publickey)." >&2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Permission denied (publickey).');
    expect(r.stderr).toContain('migration receiver stream ended early (file/stream truncated reading banner)');
    expect(names(h).map((d) => [d.name, d.status])).toEqual([['web', 'running']]);
  });

  it('a receiver that cannot create the domain: resumed at the sender', () => {
    const h = hostWithGuest();
    const r = h.run(['migrate', '-s', '', 'web', receiver(h, 'TXL_SIM_FAIL=domain-create')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('migration target: Domain creation failed');
    expect(r.stderr).toMatch(/^txl: error: Migration failed, resuming at sender: migration receiver stream ended early \(file\/stream truncated reading ready message\)/m);
    expect(names(h).map((d) => [d.name, d.status])).toEqual([['web', 'running']]);
  });

  it('a receiver that cannot start it after GO: destroys its copy, and the sender takes the domain back', () => {
    const h = hostWithGuest();
    const r = h.run(['migrate', '-s', '', 'web', receiver(h, 'TXL_SIM_FAIL=domain-unpause')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('migration target: Failure, destroying our copy.');
    expect(r.stderr).toMatch(/Target reports startup failure \(status code \d+\)/);
    expect(r.stderr).toContain('migration sender: Resumed OK.');
    expect(names(h).map((d) => [d.name, d.status])).toEqual([['web', 'running']]);
  });

  it('a domain that does not exist: not found, no transport started', () => {
    const h = simHost();
    const r = h.run(['migrate', '-s', '', 'ghost', 'touch started']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no domain 'ghost'/);
  });
});

/** Runs a node script as the "other end" and returns what it wrote to its result file. */
function peer(h: SimHost, name: string, body: string): { script: string; result: () => any } {
  const out = join(h.dir, `${name}.result.json`);
  const script = h.file(`${name}.mjs`, `
import { readSync, writeSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
const readN = (fd, n) => { const b = Buffer.alloc(n); let g = 0; while (g < n) { let r; try { r = readSync(fd, b, g, n - g, null); } catch (e) { if (e.code === 'EAGAIN') continue; throw e; } if (!r) throw new Error('EOF after ' + g + ' of ' + n); g += r; } return b; };
const txl = (...a) => execFileSync(${JSON.stringify(process.execPath)}, [${JSON.stringify(SIM_BIN)}, '--connect', ${JSON.stringify(h.uri)}, ...a], { encoding: 'utf8' });
const out = {};
${body}
writeFileSync(${JSON.stringify(out)}, JSON.stringify(out));
`);
  return { script, result: () => JSON.parse(readFileSync(out, 'utf8')) };
}

describe('interoperability: each end against a scripted peer that follows xl', () => {
  it('the sender sends xl\'s header, the config, the image; renames away before GO; destroys after success', () => {
    const h = hostWithGuest();
    const p = peer(h, 'xl-receiver', `
writeSync(1, ${JSON.stringify(BANNER.toString('latin1'))});
const fixed = readN(0, 48);
out.magic = fixed.subarray(0, 32).toString('latin1');
out.byteorder = fixed.readUInt32LE(32); out.mandatory = fixed.readUInt32LE(36); out.optional = fixed.readUInt32LE(40);
const opt = readN(0, fixed.readUInt32LE(44));
out.config = JSON.parse(opt.subarray(4, 4 + opt.readUInt32LE(0) - 1).toString('utf8'));
out.nul = opt[4 + opt.readUInt32LE(0) - 1];
let image = '';
while ((image.match(/\\n/g) || []).length < 2) image += readN(0, 1).toString('latin1');
out.imageMagic = image.split('\\n')[0];
out.namesBeforeReady = JSON.parse(txl('-o', 'json', 'list')).map((d) => d.name);
writeSync(1, Buffer.from(${JSON.stringify(READY.toString('latin1'))}, 'latin1'));
out.go = readN(0, ${GO.length}).toString('latin1');
out.namesAtGo = JSON.parse(txl('-o', 'json', 'list')).map((d) => d.name);
writeSync(1, Buffer.concat([Buffer.from(${JSON.stringify(REPORT.toString('latin1'))}, 'latin1'), Buffer.from([0])]));
`);
    const r = h.run(['migrate', '-s', '', 'web', `'${process.execPath}' '${p.script}'`]);
    expect(r.code, r.stderr).toBe(0);
    const got = p.result();
    expect(got.magic).toBe(SAVE_MAGIC.toString('latin1'));
    expect([got.byteorder, got.mandatory, got.optional]).toEqual([0x01020304, 3, 0]);
    expect(got.config.c_info.name).toBe('web');
    expect(got.config.c_info.domid).toBeUndefined();
    expect(got.nul).toBe(0);
    expect(got.imageMagic).toBe('TXLSIM-STREAM 1');
    expect(got.namesBeforeReady).toContain('web');
    expect(got.go).toBe(GO.toString('latin1'));
    expect(got.namesAtGo).toContain('web--migratedaway');
    expect(got.namesAtGo).not.toContain('web');
    // the receiver was fake: after its success report the sender's copy is destroyed
    expect(names(h)).toEqual([]);
  });

  it('the receiver answers an xl sender: banner, restore as NAME--incoming, READY, GO, report 0', async () => {
    const h = hostWithGuest();
    // a save file is xl's migration stream exactly: header, config, image
    const file = join(h.dir, 'web.save');
    expect(setup(h, ['save', 'web', file]).code).toBe(0);
    const stream = readFileSync(file);
    const child = spawn(process.execPath, [SIM_BIN, '--connect', h.uri, 'migrate-receive'], { env: { ...process.env, ...h.env, TXL_SIM_STATE: join(h.dir, 'state.json') }, stdio: ['pipe', 'pipe', 'pipe'] });
    let got = Buffer.alloc(0);
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    const waitFor = (n: number) => new Promise<Buffer>((resolve, reject) => {
      const check = () => {
        if (got.length >= n) {
          const b = got.subarray(0, n);
          got = got.subarray(n);
          child.stdout.off('data', onData);
          resolve(b);
        }
      };
      const onData = (c: Buffer) => ((got = Buffer.concat([got, c])), check());
      child.stdout.on('data', onData);
      child.once('close', () => reject(new Error(`receiver exited: ${err}`)));
      check();
    });
    expect((await waitFor(BANNER.length)).equals(BANNER)).toBe(true);
    child.stdin.write(stream);
    expect((await waitFor(READY.length)).equals(READY)).toBe(true);
    // restored, paused, under its temporary name until GO
    expect(names(h).map((d) => [d.name, d.status])).toEqual([['web--incoming', 'paused']]);
    child.stdin.write(GO);
    const report = await waitFor(REPORT.length + 1);
    expect(report.subarray(0, REPORT.length).equals(REPORT)).toBe(true);
    expect(report[REPORT.length]).toBe(0);
    const code = await new Promise((r) => child.on('close', r));
    expect(code, err).toBe(0);
    const running = names(h).find((d) => d.name === 'web');
    expect(running?.status).toBe('running');
  });

  it('the receiver refuses a stream that is not xl\'s, and creates nothing', () => {
    const h = simHost();
    expect(setup(h, ['list']).code).toBe(0);
    const r = h.run(['migrate-receive'], { input: 'GET / HTTP/1.1\r\n\r\n' + 'x'.repeat(64) });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(BANNER.toString('latin1'));
    expect(r.stderr).toContain('wrong magic number');
    expect(names(h)).toEqual([]);
  });

  it('the header the sender writes is the save file\'s', () => {
    const { bytes, header } = encodeHeader('{"c_info":{"name":"x"}}');
    writeFileSync(join(simHost().dir, 'h'), bytes);
    expect(header).toEqual({ mandatory: 3, optional: 0, optlen: 4 + 24 });
  });
});
