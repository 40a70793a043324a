// What of a command line goes to the remote txl: the global options but --connect, the
// command and its words; and, for create and define, the config file read here and sent on
// stdin (`-`), as virsh reads the XML a remote create is given on the client.
import { existsSync, statSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { readBounded } from '../readlimit.js';

/** Global options that take a value (fast-parse.ts GLOBAL_FLAGS): -c, -o. */
const VALUED = new Set(['-c', '--connect', '-o', '--output']);

export interface SplitLine {
  /** the --connect value, when given */
  connect?: string;
  /** the global options, --connect left out */
  globals: string[];
  /** the command word and everything after it */
  rest: string[];
}

/** Splits the leading global options from the command; --connect is taken out. */
export function splitGlobals(argv: string[]): SplitLine {
  const globals: string[] = [];
  let connect: string | undefined;
  let i = 0;
  for (; i < argv.length; i++) {
    const w = argv[i];
    if (w === '--' || !w.startsWith('-') || w === '-') break;
    const eq = w.startsWith('--') ? w.indexOf('=') : -1;
    const name = eq >= 0 ? w.slice(0, eq) : w;
    if (name === '-c' || name === '--connect') {
      connect = eq >= 0 ? w.slice(eq + 1) : argv[++i];
      continue;
    }
    if (/^-c./.test(w)) {
      connect = w.slice(2);
      continue;
    }
    globals.push(w);
    if (VALUED.has(name) && eq < 0 && i + 1 < argv.length) globals.push(argv[++i]);
  }
  return { connect, globals, rest: argv.slice(i) };
}

/** Commands that never open a connection: they run here even with a remote URI. */
const LOCAL = new Set(['convert', 'check', 'new', 'completion', 'help', 'domxml-from-native', 'domxml-to-native']);

/** Whether the command line runs here whatever the connection (help, --version, the file converters). */
export function runsLocally(line: SplitLine): boolean {
  if (line.globals.some((g) => g === '--version' || g === '-h' || g === '--help')) return true;
  if (line.rest.length === 0) return true;
  if (line.rest.includes('-h') || line.rest.includes('--help')) return true;
  return LOCAL.has(line.rest[0]);
}

/** Options of create that take a value (the config file itself: -f, --config). */
const CREATE_VALUED = new Set(['-j', '--jobs']);
const CREATE_FILE = new Set(['-f', '--config']);

/**
 * The words to send and the text for the remote's stdin: for create and define, a config
 * file that exists here is read here and replaced by `-`. A path that does not exist here is
 * left as it is: it names a file on the remote host (e.g. /etc/xen/guest.cfg of that dom0).
 */
export function localFiles(rest: string[]): { words: string[]; stdin?: Buffer } {
  const [command, ...words] = rest;
  if (command !== 'create' && command !== 'define') return { words: rest };
  const files: number[] = [];
  let named = false;
  let dashes = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (dashes || !w.startsWith('-') || w === '-') {
      // with -f, every word after the options may be key=value (create's description)
      if (!w.includes('=') && !named) files.push(i);
      continue;
    }
    if (w === '--') {
      dashes = true;
      continue;
    }
    const eq = w.startsWith('--') ? w.indexOf('=') : -1;
    const name = eq >= 0 ? w.slice(0, eq) : w;
    if (command === 'create' && CREATE_FILE.has(name)) {
      named = true;
      if (eq < 0 && i + 1 < words.length) files.push(++i);
      else if (eq >= 0) {
        // --config=FILE: split, so that the file word can be replaced
        words.splice(i, 1, name, w.slice(eq + 1));
        files.push(++i);
      }
    } else if (command === 'create' && CREATE_VALUED.has(name) && eq < 0) i++;
  }
  const here = files.filter((i) => words[i] !== '-' && existsSync(words[i]) && statSync(words[i]).isFile());
  if (here.length === 0) return { words: rest };
  if (here.length > 1 || files.some((i) => words[i] === '-')) {
    throw new UsageError(`over ssh, ${command} sends one config file from this machine (on stdin): give them one at a time`);
  }
  const text = readBounded(words[here[0]], 'a config file');
  const sent = [...words];
  sent[here[0]] = '-';
  return { words: [command, ...sent], stdin: text };
}
