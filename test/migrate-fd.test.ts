// The fd plumbing under save, restore and migrate: positions read from /proc for the
// progress bar, and blocking OS pipes made without pipe(2).
import { describe, expect, it } from 'vitest';
import { closeSync, mkdtempSync, openSync, readSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fdPosition, trackFd } from '../src/fdprogress.js';
import { makePipe } from '../src/migrate/transport.js';
import { expectMessage, readExactly, writeAll } from '../src/migrate/protocol.js';
import { makeContext } from '../src/context.js';

const linux = process.platform === 'linux';

describe.skipIf(!linux)('fd positions', () => {
  it('follow reads and writes on the file description', () => {
    const fd = openSync(join(mkdtempSync(join(tmpdir(), 'txl-fd-')), 'f'), 'w+');
    expect(fdPosition(fd)).toBe(0);
    writeSync(fd, Buffer.alloc(3 * 1024 * 1024));
    expect(fdPosition(fd)).toBe(3 * 1024 * 1024);
    closeSync(fd);
    expect(fdPosition(fd)).toBeUndefined();
  });

  it('draw a bar in MiB on a terminal, nothing elsewhere', async () => {
    const fd = openSync(join(mkdtempSync(join(tmpdir(), 'txl-fd-')), 'f'), 'w+');
    const tty = Object.assign(new PassThrough(), { isTTY: true, columns: 100 });
    let out = '';
    tty.on('data', (c) => (out += c));
    const ctx = makeContext({}, { stdout: new PassThrough(), stderr: tty, stdin: new PassThrough() } as never);
    const p = trackFd(ctx, fd, 'Saving web', 4 * 1024 * 1024, 10);
    writeSync(fd, Buffer.alloc(2 * 1024 * 1024));
    await new Promise((r) => setTimeout(r, 60));
    p.done();
    expect(out).toContain('Saving web [');
    expect(out).toMatch(/2\/4 2 MiB/);
    expect(out).toMatch(/done\n$/);
    const plain = new PassThrough();
    let quiet = '';
    plain.on('data', (c) => (quiet += c));
    const p2 = trackFd(makeContext({}, { stdout: new PassThrough(), stderr: plain, stdin: new PassThrough() } as never), fd, 'Saving web', 1);
    p2.done();
    expect(quiet).toBe('');
  });
});

describe('pipes for the migration transport', () => {
  it('are blocking OS pipes: bytes go through in order, EOF when the writer closes', async () => {
    const p = await makePipe();
    writeAll(p.write, Buffer.from('hello world'), 'greeting', 'test');
    expect((await readExactly(p.read, 5, 'hello', 'test')).toString()).toBe('hello');
    closeSync(p.write);
    const rest = Buffer.alloc(16);
    expect(readSync(p.read, rest, 0, 16, null)).toBe(6);
    await expect(readExactly(p.read, 1, 'more', 'test stream')).rejects.toThrow('test stream ended early (file/stream truncated reading more)');
    closeSync(p.read);
  });

  it('a message that is not the expected one is named in the error', async () => {
    const p = await makePipe();
    writeAll(p.write, Buffer.from('nope!'), 'x', 'test');
    await expect(expectMessage(p.read, Buffer.from('hello'), 'banner', 'peer stream', 'ssh h txl')).rejects.toThrow(
      'peer stream contained unexpected data instead of banner (command run was: ssh h txl ): "nope!"',
    );
    closeSync(p.read);
    closeSync(p.write);
  });
});
