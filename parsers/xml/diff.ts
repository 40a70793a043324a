// Structural comparison of two models (or any JSON values): which paths differ, and which
// only one side has. Used by the conformance suites and by format round-trip checks.

export interface Difference {
  path: string;
  kind: 'differs' | 'left-only' | 'right-only';
  left?: unknown;
  right?: unknown;
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

export function diffValues(a: unknown, b: unknown, path = ''): Difference[] {
  if (a === undefined && b === undefined) return [];
  if (a === undefined) return [{ path, kind: 'right-only', right: b }];
  if (b === undefined) return [{ path, kind: 'left-only', left: a }];
  if (Array.isArray(a) && Array.isArray(b)) {
    const out: Difference[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...diffValues(a[i], b[i], `${path}[${i}]`));
    return out;
  }
  if (isObj(a) && isObj(b)) {
    const out: Difference[] = [];
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      out.push(...diffValues(a[k], b[k], path ? `${path}.${k}` : k));
    }
    return out;
  }
  return a === b ? [] : [{ path, kind: 'differs', left: a, right: b }];
}

export function formatDifference(d: Difference): string {
  const show = (v: unknown) => JSON.stringify(v);
  if (d.kind === 'left-only') return `${d.path}: only left: ${show(d.left)}`;
  if (d.kind === 'right-only') return `${d.path}: only right: ${show(d.right)}`;
  return `${d.path}: ${show(d.left)} != ${show(d.right)}`;
}
