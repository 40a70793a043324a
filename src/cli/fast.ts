// dist/fast.cjs, loaded by bin/txl before anything else: `txl --version` and `txl --help`
// answered from text fixed at build time (build.mjs takes the help from commander's own
// output), without loading dist/cli.cjs (1 MB), commander or the command table. CommonJS because
// Node starts a CommonJS file faster than an ES module.
declare const TXL_VERSION: string;
declare const TXL_HELP: string;

/** Writes the answer and returns true, or returns false when the full path must run. */
export function answer(argv: string[], stdout: NodeJS.WriteStream = process.stdout): boolean {
  if (argv.length !== 1) return false;
  // `txl --help | head -1`: a reader that goes away is not an error
  stdout.once('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  if (argv[0] === '--version') {
    stdout.write(TXL_VERSION + '\n');
    return true;
  }
  // commander wraps help to a terminal's width; the text kept is the one for a pipe or file
  if ((argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') && !stdout.isTTY && typeof TXL_HELP === 'string' && TXL_HELP) {
    stdout.write(TXL_HELP);
    return true;
  }
  return false;
}
