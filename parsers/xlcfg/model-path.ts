// Reads and writes of one model field named by a '/'-separated path (the key table's paths,
// as in parsers/delta.ts). Segment names may hold dots ("type.hvm").

type Obj = Record<string, unknown>;

export function getPath(root: object, path: string): unknown {
  let o: unknown = root;
  for (const seg of path.split('/')) {
    if (!o || typeof o !== 'object') return undefined;
    o = (o as Obj)[seg];
  }
  return o;
}

/** Sets the field, making the objects on the way. */
export function setPath(root: object, path: string, value: unknown): void {
  const segs = path.split('/');
  let o = root as Obj;
  for (const seg of segs.slice(0, -1)) o = (o[seg] ??= {}) as Obj;
  o[segs.at(-1)!] = value;
}
