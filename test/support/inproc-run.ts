// Runs a command line the way bin/txl does, but inside this test process: the CLI's build
// (dist/cli.cjs) is loaded once into a worker thread and each call runs its run(argv, io)
// with the output kept in memory. The call blocks until the command ends, so it returns a Run
// exactly as the spawning txl() does: a test switches runner by its import alone.
//
// No new process per command line (Node's start-up and the bundle's load are most of a plain
// command's time), so tests about a command's behaviour use this; tests about the binary
// itself (start-up, signals, stdio, many processes at once) spawn it (txl.ts).
// A command line with input on stdin still spawns: commands read stdin from fd 0 itself.
// Like the spawning tests, it runs the build: `npm run test:unit` and `npm test` make it first.
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { join } from 'node:path';
import { BIN, ROOT, type Run } from './txl.js';

const TIMEOUT_MS = 60_000;

interface Runner {
  worker: Worker;
  port: MessagePort;
  flag: Int32Array;
}
let runner: Runner | undefined;

function start(): Runner {
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(join(ROOT, 'test/support/inproc-worker.cjs'), {
    workerData: { port: port2, flag, bin: BIN, cli: join(ROOT, 'dist/cli.cjs') },
    transferList: [port2],
  });
  // the test's end must not wait for it
  worker.unref();
  port1.unref();
  return { worker, port: port1, flag };
}

/** Runs `txl ARGS` in this process, in `cwd`, with exactly `env` as its environment. */
export function runInProcess(args: string[], env: Record<string, string>, cwd: string): Run {
  runner ??= start();
  const r = runner;
  Atomics.store(r.flag, 0, 0);
  const before = process.cwd();
  process.chdir(cwd);
  try {
    r.port.postMessage({ args, env });
    if (Atomics.wait(r.flag, 0, 0, TIMEOUT_MS) === 'timed-out') {
      // as spawnSync's timeout: no exit status; the next call starts a fresh thread
      void r.worker.terminate();
      runner = undefined;
      return { code: -1, stdout: '', stderr: `txl ${args.join(' ')}: still running after ${TIMEOUT_MS} ms\n` };
    }
    const answer = receiveMessageOnPort(r.port);
    if (!answer) throw new Error('inproc: the worker signalled but posted no answer');
    const { code, stdout, stderr, dead } = answer.message as Run & { dead?: boolean };
    // the command ended its "process" (process.exit, an uncaught error): the next run gets a new one
    if (dead) runner = undefined;
    return { code, stdout, stderr };
  } finally {
    process.chdir(before);
  }
}
