// Child process of the SIGCHLD test: with a libxl context open (under the shim), Node's own
// children must work, every SIGCHLD must reach libxl_childproc_sigchld_occurred (which
// asserts that the main loop owns SIGCHLD: a wrong agreement aborts here), and an async
// libxl call must run on a worker. Prints a JSON report.
import { spawn } from 'node:child_process';
import { Libxl } from '../../bindings/index.js';

const lx = await Libxl.open();
const report: Record<string, unknown> = { listenersOpen: process.listenerCount('SIGCHLD') };
const codes: number[] = [];
for (let i = 0; i < 3; i++) {
  codes.push(await new Promise<number>((resolve) => spawn('sh', ['-c', `exit ${i + 3}`]).on('exit', (c) => resolve(c ?? -1))));
}
report.childCodes = codes;
// let libuv deliver the last SIGCHLD to our listener before closing
await new Promise((r) => setTimeout(r, 100));
const f = lx.json.functions('domain_config');
const obj = lx.json.create('domain_config');
const rc = await lx.callAsync(f.fromJson, 'libxl_domain_config_from_json', lx.ctx, obj.ptr, JSON.stringify({ c_info: { name: 'async' } }));
report.asyncRc = rc;
report.asyncName = lx.json.toObject<{ c_info: { name: string } }>('domain_config', obj.ptr).c_info.name;
lx.json.dispose(obj);
await lx.close();
report.forwarded = lx.sigchldForwarded;
report.listenersClosed = process.listenerCount('SIGCHLD');
process.stdout.write(JSON.stringify(report));
