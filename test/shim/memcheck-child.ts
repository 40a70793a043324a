// The child of the memcheck test: one node under valgrind for both halves, since node's own
// start-up under memcheck costs more than the checks. First the JSON bridge (as
// bridge-child.ts: each [{name, type, json}] item of argv[2] through from_json, to_json and
// dispose on a real libxl context), then the line argv[3] on stderr, then the control: a read
// of freed memory through the same bindings, which a memcheck that could catch anything in
// the bridge must report. Valgrind writes its reports to the same stderr as they happen, so
// those before that line belong to the bridge and those after it to the control.
// Prints {results, live, control} on stdout.
import { readFileSync } from 'node:fs';
import type { Libs } from '../../bindings/index.js';
import { bridge, type Item } from './bridge-run.js';
import { mem } from '../../bindings/mem.js';

// the libraries the bridge loaded: they stay loaded after its context is freed (and koffi
// cannot load its types twice in one process, so no second Libxl.open)
function control(libs: Libs) {
  const m = mem(libs);
  const p = m.calloc(64);
  m.free(p);
  const v = libs.koffi.decode(p, 'uint64_t') as bigint;
  return v === 0n ? 0 : 1;
}

const { results, live, libs } = await bridge(JSON.parse(readFileSync(process.argv[2], 'utf8')) as Item[]);
// stderr is a pipe, written synchronously: the line lands before any report of the control
process.stderr.write(`${process.argv[3]}\n`);
process.stdout.write(JSON.stringify({ results, live, control: control(libs) }));
