// Runs the real binary the way a user does, and hands back what the user would see.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin/txl');
export const CORPUS = join(ROOT, '../shared/corpus');
export const HAVE_CORPUS = existsSync(CORPUS);

export interface Run { code: number; stdout: string; stderr: string }

export function txl(args: string[], opts: { env?: Record<string, string>; input?: string; cwd?: string } = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix = 'txl-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
