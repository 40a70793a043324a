// Child process of the bridge tests: reads [{name, type, json}] from the file given as argv[2],
// sends each through libxl_<type>_from_json and back through _to_json on a real libxl
// context, and prints [{name, out} | {name, rc, log}] as JSON on stdout.
import { readFileSync } from 'node:fs';
import { FromJsonError, Libxl } from '../../bindings/index.js';

interface Item { name: string; type: string; json: string }

const items = JSON.parse(readFileSync(process.argv[2], 'utf8')) as Item[];
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
process.stdout.write(JSON.stringify({ results, live }));
