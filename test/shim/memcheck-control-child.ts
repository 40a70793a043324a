// The control of the memcheck test: reads native memory after freeing it, through the same
// bindings, so that valgrind must report an invalid read. A memcheck run that stays quiet
// here could not have caught anything in the bridge either.
import { Libxl } from '../../bindings/index.js';
import { mem } from '../../bindings/mem.js';

const lx = await Libxl.open();
const m = mem(lx.libs);
const p = m.calloc(64);
m.free(p);
const v = lx.libs.koffi.decode(p, 'uint64_t') as bigint;
await lx.close();
process.stdout.write(String(v === 0n ? 0 : 1));
