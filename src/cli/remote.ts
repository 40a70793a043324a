// The entry's hook for remote connections: when the connection a command line would use
// (--connect, TXL_CONNECT, txl.yaml, an alias of uri_aliases) names a host over ssh, the
// whole line runs there (src/remote/forward.ts) before any backend opens here. Commands that
// never open a connection (convert, check, new, help) still run here.
import type { CliIo } from './io.js';
import { reportError } from '../run.js';
import { localFiles, runsLocally, splitGlobals } from '../remote/argv.js';

/** The exit code of the line run remotely, or undefined when it runs here. */
export async function forwardIfRemote(argv: string[], io: CliIo): Promise<number | undefined> {
  const complete = argv[0] === '__complete';
  const line = splitGlobals(complete ? argv.slice(1) : argv);
  if (complete) {
    // the word under the cursor is still being typed: a --connect it ends is not chosen yet
    if (line.rest.length === 0) return undefined;
  } else if (runsLocally(line)) return undefined;
  const { isRemoteUri, parseRemoteUri } = await import('../remote/uri.js');
  let uri: string;
  try {
    const { chooseUri } = await import('../backend/index.js');
    uri = (await chooseUri(line.connect, io.env)).uri;
  } catch (e) {
    // a bad txl.yaml or an unknown alias: said once, by the connection that opens it (or not
    // at all for a command that never opens one)
    if (complete || line.connect === undefined) return undefined;
    return reportError(e, io.stderr, io.env);
  }
  if (!isRemoteUri(uri)) return undefined;
  const { forward } = await import('../remote/forward.js');
  try {
    const target = parseRemoteUri(uri);
    if (complete) {
      return await forward(target, ['__complete', '-c', target.local, ...line.globals, ...line.rest], { env: io.env, stdout: io.stdout, stderr: io.stderr, tty: false, noInput: true });
    }
    const { words, stdin } = localFiles(line.rest);
    const tty = Boolean(io.stdin.isTTY && (io.stdout as NodeJS.WriteStream).isTTY) && !stdin;
    return await forward(target, ['-c', target.local, ...line.globals, ...words], {
      env: io.env,
      stdout: io.stdout,
      stderr: io.stderr,
      tty,
      input: stdin,
      inheritStdout: io.stdout === process.stdout,
    });
  } catch (e) {
    return reportError(e, io.stderr, io.env);
  }
}
