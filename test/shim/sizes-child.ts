// Child process of the layout test: sizeof of each libxl type as libxl_<type>_init sees it,
// and each function prototype of the bindings bound in the library (they bind on first use).
import { JsonBridge, loadLibs } from '../../bindings/index.js';
import { bindFunctions } from '../../bindings/libxl.js';

const libs = await loadLibs();
const bridge = new JsonBridge(libs, () => 0n);
const out: Record<string, number | string> = {};
for (const t of process.argv.slice(2)) {
  try {
    out[t] = bridge.sizeOf(t);
  } catch (e) {
    out[t] = String(e);
  }
}
const fns = bindFunctions(libs.xl);
const unbound: Record<string, string> = {};
for (const name of Object.keys(fns) as (keyof typeof fns)[]) {
  try {
    if (typeof fns[name] !== 'function') unbound[name] = typeof fns[name];
  } catch (e) {
    unbound[name] = String(e);
  }
}
process.stdout.write(JSON.stringify({ version: libs.version, sizes: out, functions: Object.keys(fns).length, unbound }));
