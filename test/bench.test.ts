// The bench harness (bench/, `npm run bench`) runs and prints well-formed ratios. One tiny
// round of the cheapest cases: this checks the harness, never how fast txl is.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, tempDir } from './support/txl.js';

const HAVE_PYTHON = spawnSync('python3', ['--version']).status === 0;
const BUILT = existsSync(join(ROOT, 'dist/cli.cjs'));

interface Row { id: string; kind: string; label: string; median?: number; ratio?: number; cpuRatio?: number; minusFloor?: number; cpuMinusFloor?: number; rssKb?: number; error?: string; n?: number }

function bench(args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bench/run.mjs'), ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!BUILT || !HAVE_PYTHON)('bench/run.mjs, one round', () => {
  const dir = tempDir('txl-bench-test-');
  const json = join(dir, 'bench.json');
  const r = bench(['--rounds', '1', '--only', 'floor,version,list-1', '--no-fetch', '--json', json]);
  const rows: Row[] = existsSync(json) ? JSON.parse(readFileSync(json, 'utf8')).rows : [];
  rmSync(dir, { recursive: true, force: true });

  it('exits 0 and measures the floor and each asked-for case once', () => {
    expect(r.stderr).not.toMatch(/Error|not measured/);
    expect(r.code).toBe(0);
    expect(rows.map((x) => x.id).sort()).toEqual(['esm-floor', 'floor', 'list-1', 'version']);
    for (const row of rows) {
      expect(row.error).toBeUndefined();
      expect(row.n).toBe(1);
      expect(row.median).toBeGreaterThan(0);
      expect(row.rssKb).toBeGreaterThan(1024);
    }
  });

  it("gives every txl case a positive ratio to the floor and a txl − floor figure", () => {
    const txlRows = rows.filter((x) => x.kind === 'txl');
    expect(txlRows.map((x) => x.id).sort()).toEqual(['list-1', 'version']);
    for (const row of txlRows) {
      expect(Number.isFinite(row.ratio) && row.ratio! > 0).toBe(true);
      expect(Number.isFinite(row.cpuRatio) && row.cpuRatio! > 0).toBe(true);
      expect(Number.isFinite(row.minusFloor)).toBe(true);
      expect(Number.isFinite(row.cpuMinusFloor)).toBe(true);
    }
  });

  it('prints Markdown tables whose rows carry the median, ratio and peak RSS', () => {
    const line = r.stdout.split('\n').find((l) => l.startsWith('| txl --version |'));
    expect(line).toBeDefined();
    const cells = line!.split('|').slice(1, -1).map((c) => c.trim());
    expect(cells).toHaveLength(11);
    expect(cells[1]).toBe('1');
    expect(cells[2]).toMatch(/^\d+(\.\d)?$/);
    expect(cells[4]).toMatch(/^\d+\.\d\dx$/);
    expect(cells[5]).toMatch(/^\d+(\.\d)?$/);
    expect(cells[6]).toMatch(/^\d+\.\d\dx$/);
    expect(cells[7]).toBe('floor');
    expect(cells[9]).toMatch(/^-?\d+(\.\d)?$/);
    expect(cells[10]).toMatch(/^\d+\.\d$/);
    expect(r.stdout).toMatch(/^### Targets$/m);
    expect(r.stdout).toMatch(/^Machine: \d+ CPUs/m);
  });
});

describe('bench/run.mjs arguments', () => {
  it('refuses a bad --rounds with exit 2 and the usage', () => {
    const r = bench(['--rounds', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage: node bench/run.mjs');
  });
});

describe('bench/report.mjs: the list scaling check', async () => {
  const { scaling } = (await import(pathToFileURL(join(ROOT, 'bench/report.mjs')).href)) as {
    scaling: (rows: { id: string; median: number; cpu: number }[], sizes: number[]) => { k: number; text: string };
  };
  const sizes = [1, 10, 100, 500, 1000];
  // wall time noisy and flat, CPU time carrying the signal: the verdict must follow the CPU time
  const rowsFor = (cost: (n: number) => number) => sizes.map((n, i) => ({ id: `list-${n}`, median: 300 + (i % 2) * 40, cpu: cost(n) }));

  it('calls a linear cost linear', () => {
    const s = scaling(rowsFor((n) => 50 + 0.02 * n), sizes);
    expect(s.k).toBeCloseTo(1, 1);
    expect(s.text).toContain('linear or better');
    expect(s.text).toContain('| 500 → 1000 | ');
  });

  it('calls a quadratic cost worse than linear', () => {
    const s = scaling(rowsFor((n) => 50 + 0.0001 * n * n), sizes);
    expect(s.k).toBeGreaterThan(1.5);
    expect(s.text).toContain('worse than linear');
  });
});
