// Child process of the layout test: sizeof of each libxl type as libxl_<type>_init sees it.
import { JsonBridge, loadLibs } from '../../bindings/index.js';

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
process.stdout.write(JSON.stringify({ version: libs.version, sizes: out }));
