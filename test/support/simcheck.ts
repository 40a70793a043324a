// Assertions shared by the simulator command tests: a command that must succeed, one that
// must fail in a given way, and quick looks into the simulator's state.
import { expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SimHost } from './sim.js';

export function ok(h: SimHost, args: string[], env?: Record<string, string>) {
  const r = h.run(args, { env });
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
}

export function fails(h: SimHost, args: string[], code: number, message: string | RegExp, env?: Record<string, string>) {
  const r = h.run(args, { env });
  expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(code);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/internal error/);
  return r;
}

/** Creates a domain from config text and insists that it worked. */
export function boot(h: SimHost, cfg: string, name = 'guest.cfg'): void {
  const r = h.run(['create', h.file(name, cfg)]);
  expect(r.code, r.stderr).toBe(0);
}

export const dom = (h: SimHost, name = 'guest') => h.state().domains.find((d: { name: string }) => d.name === name);
export const stateText = (h: SimHost) => readFileSync(join(h.dir, 'state.json'), 'utf8');
