// Semantic comparison of two JSON values: every path where they differ. Used to check that
// libxl took every field txl handed it (from_json silently drops keys it does not know).
export interface JsonDifference { path: string; ours: unknown; libxl: unknown }

export function jsonDiff(ours: unknown, libxl: unknown, path = ''): JsonDifference[] {
  if (Object.is(ours, libxl)) return [];
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (Array.isArray(ours) && Array.isArray(libxl)) {
    const out: JsonDifference[] = [];
    for (let i = 0; i < Math.max(ours.length, libxl.length); i++) out.push(...jsonDiff(ours[i], libxl[i], `${path}[${i}]`));
    return out;
  }
  if (isObj(ours) && isObj(libxl)) {
    const out: JsonDifference[] = [];
    for (const k of new Set([...Object.keys(ours), ...Object.keys(libxl)])) out.push(...jsonDiff(ours[k], libxl[k], path ? `${path}.${k}` : k));
    return out;
  }
  return [{ path: path || '(root)', ours, libxl }];
}
