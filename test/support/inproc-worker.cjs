// The thread behind test/support/inproc.ts: loads the CLI's build (dist/cli.cjs, what bin/txl
// runs) once and runs one command line per message through its run(argv, io), with the
// output kept in memory. The main thread waits on `flag` until the answer is posted.
'use strict';
const { workerData } = require('node:worker_threads');
const { Writable } = require('node:stream');

const { port, flag, bin, cli } = workerData;
// what a real txl sees as its own script: the domain monitor is started from it (src/monitor/spawn.ts)
process.argv[1] = bin;

let current;
const sink = (name) => new Writable({
  write(chunk, _enc, done) {
    current?.[name].push(Buffer.from(chunk));
    done();
  },
});
// a write that goes around the Context straight to the process's streams is still the
// command's output: kept with the run's own
for (const name of ['stdout', 'stderr']) {
  const stream = process[name];
  const write = stream.write.bind(stream);
  stream.write = (chunk, ...rest) => {
    if (!current) return write(chunk, ...rest);
    current[name].push(Buffer.from(chunk));
    const done = rest.find((r) => typeof r === 'function');
    if (done) process.nextTick(done);
    return true;
  };
}

/** Hands the run's result to the waiting main thread. */
function answer(code, extra = {}) {
  const out = current;
  current = undefined;
  port.postMessage({ code, stdout: Buffer.concat(out.stdout).toString('utf8'), stderr: Buffer.concat(out.stderr).toString('utf8'), ...extra });
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

// What would end a real txl ends this thread: its run is answered as the process would have
// ended, and the main thread starts a fresh thread for the next run (`dead`).
process.on('exit', (code) => {
  if (current) answer(code ?? 0, { dead: true });
});
for (const event of ['uncaughtException', 'unhandledRejection']) {
  process.on(event, (err) => {
    if (!current) throw err;
    current.stderr.push(Buffer.from(`${err?.stack ?? err}\n`));
    answer(1, { dead: true });
    process.exit(1);
  });
}

let mod;
port.on('message', async ({ args, env }) => {
  current = { stdout: [], stderr: [] };
  // the environment as the process would have it, for code that still reads process.env
  for (const k of Object.keys(process.env)) delete process.env[k];
  Object.assign(process.env, env);
  let code;
  try {
    mod ??= require(cli);
    code = await mod.run(args, { env: Object.freeze({ ...env }), stdout: sink('stdout'), stderr: sink('stderr'), stdin: { isTTY: false } });
    // writes still queued in the streams
    await new Promise((resolve) => setImmediate(resolve));
  } catch (err) {
    current.stderr.push(Buffer.from(`inproc: run() threw: ${err?.stack ?? err}\n`));
    code = 70;
  }
  process.exitCode = undefined;
  answer(code);
});
