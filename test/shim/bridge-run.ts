// The JSON bridge round trip both shim children run: each {name, type, json} item through
// libxl_<type>_from_json and back through _to_json on a real libxl context.
import { FromJsonError, Libxl } from '../../bindings/index.js';

export interface Item { name: string; type: string; json: string }

export async function bridge(items: Item[]) {
  const lx = await Libxl.open();
  const results: unknown[] = [];
  for (const it of items) {
    const mark = lx.log.mark();
    try {
      const out = await lx.json.with(it.type, it.json, (obj) => lx.json.toJson(it.type, obj.ptr));
      results.push({ name: it.name, out });
    } catch (e) {
      const rc = e instanceof FromJsonError ? e.rc : undefined;
      results.push({ name: it.name, rc, error: String(e), log: lx.log.since(mark).map((l) => l.raw) });
    }
  }
  const live = lx.json.liveObjects;
  await lx.close();
  return { results, live, libs: lx.libs };
}
