// Every environment variable txl reads, fed extreme and malformed values through the real
// binary: one line at most of error, no stack trace, no output over 64 KiB, no run over 5 s.
// The list comes from src/env.ts's rules, and a variable the sources read without a rule
// fails here (a new variable must be validated too).
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ENV_RULES } from '../src/env.js';
import { ROOT, simHost } from './support/inproc.js';

// set by txl for hooks and the monitor, build-time constants and a namespace constant: not inputs
const NOT_INPUTS = new Set(['TXL_DOMAIN_CONFIG', 'TXL_DOMAIN_ID', 'TXL_DOMAIN_NAME', 'TXL_HOOK', 'TXL_HELP', 'TXL_VERSION', 'TXL_NS']);

function sourcesRead(): Set<string> {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.ts')) for (const m of readFileSync(p, 'utf8').matchAll(/\bTXL_[A-Z0-9_]+/g)) found.add(m[0]);
    }
  };
  for (const d of ['src', 'commands', 'parsers', 'bindings']) walk(join(ROOT, d));
  return found;
}

const VALUES: [string, string][] = [
  ['100 KiB', 'x'.repeat(100 * 1024)],
  ['control characters', 'a\u001b[2J\u0007b'],
  ['a path outside', '../../../../etc/shadow'],
  ['a number past 2^53', '99999999999999999999'],
];

describe('environment variables', () => {
  it('every TXL_ variable the sources read has a rule in src/env.ts', () => {
    const unruled = [...sourcesRead()].filter((v) => !(v in ENV_RULES) && !NOT_INPUTS.has(v));
    expect(unruled).toEqual([]);
  });

  const names = Object.keys(ENV_RULES);
  it.each(names.map((n) => [n]))('%s: extreme values give one line or nothing, quickly, never a trace', (name) => {
    const h = simHost();
    for (const [what, value] of VALUES) {
      const t0 = Date.now();
      const r = h.run(['list'], { env: { [name]: value } });
      const ms = Date.now() - t0;
      const out = r.stdout + r.stderr;
      const where = `${name}=${what}: exit ${r.code}\n${r.stderr.slice(0, 500)}`;
      expect([0, 1, 2], where).toContain(r.code);
      expect(out.length, where).toBeLessThan(64 * 1024);
      expect(ms, where).toBeLessThan(5000);
      expect(r.stderr, where).not.toMatch(/^\s+at |internal error|this is a bug/m);
      if (r.code !== 0) expect(r.stderr.split('\n').filter((l) => l && !l.startsWith(' ')).length, where).toBe(1);
    }
  });
});
