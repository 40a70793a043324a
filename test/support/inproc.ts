// What a test about a command's behaviour imports instead of txl.ts and sim.ts: the same
// txl() and simHost(), whose command lines run in this process (inproc-run.ts) rather than
// in a new bin/txl each. spawnTxl and spawnSimHost are the spawning ones, for the few cases
// in such a file that are about the process itself.
import { runInProcess } from './inproc-run.js';
import { simHost as baseSimHost, type SimHost } from './sim.js';
import { ROOT, txl as spawnTxl, type Run } from './txl.js';

export { BIN, CORPUS, HAVE_CORPUS, ROOT, tempDir, type Run } from './txl.js';
export { guest, guestJson, SIM_BIN, type SimHost } from './sim.js';
export { spawnTxl };

/** txl() of txl.ts, run in this process (spawned for input on stdin, which commands read from fd 0). */
export function txl(args: string[], opts: { env?: Record<string, string>; input?: string; cwd?: string } = {}): Run {
  if (opts.input) return spawnTxl(args, opts);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, NO_COLOR: '1', ...opts.env })) if (v !== undefined) env[k] = v;
  return runInProcess(args, env, opts.cwd ?? ROOT);
}

/** simHost() of sim.ts whose run() is in this process. */
export function simHost(hostYaml?: string): SimHost {
  return baseSimHost(hostYaml, 'inproc');
}

/** simHost() of sim.ts, spawning bin/txl for every command line. */
export function spawnSimHost(hostYaml?: string): SimHost {
  return baseSimHost(hostYaml, 'spawn');
}

