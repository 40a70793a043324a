// Checks on the names and files txl is handed, shared by every command: txl runs as root, so a
// domain name must not be able to reach outside the directory it names a file in, nor put
// escape sequences on an admin's terminal, and a config or hook that another user can rewrite
// must not be trusted.
//
// libxl itself only limits a name by what xenstore stores (4096 bytes) and by uniqueness; the
// limits below come from what the name turns into: file names (managed/<name>.json, xl's
// /var/log/xen/xl-<name>.log, dumps), xl's find_domain (all digits = a domid), and
// txl's own lookups (a UUID is taken as a UUID). 64 is the limit the simulator enforces too.
import { lstatSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { TxlError, UsageError } from './core/errors.js';
import { untrustedComponent } from './trust.js';

export const NAME_MAX_LENGTH = 64;
/** Linux PATH_MAX, the longest path the kernel takes. */
export const PATH_MAX_LENGTH = 4095;

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** The first control character (C0, DEL, C1, line/paragraph separators), or undefined. */
export function findControl(s: string): { index: number; code: number } | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029) return { index: i, code: c };
  }
  return undefined;
}

const hex = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

// Characters that change how a name reads without being seen: bidirectional controls (an RTL
// override makes "0-niamoD" print as "Domain-0"), format characters (zero-width space and
// joiners, soft hyphen, BOM), other default-ignorables (variation selectors, Hangul fillers)
// and lone surrogates (not text). Two such names would print as one row.
const HIDDEN = /[\p{Bidi_Control}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Cs}]/u;

/** The first invisible or bidirectional character, or undefined. */
export function findHidden(s: string): { index: number; code: number; bidi: boolean } | undefined {
  const m = HIDDEN.exec(s);
  if (!m) return undefined;
  const code = m[0].codePointAt(0)!;
  return { index: [...s.slice(0, m.index)].length, code, bidi: /\p{Bidi_Control}/u.test(m[0]) };
}

/** A name safe to show and to print, even when it is being refused. */
export function printable(s: string, max = 80): string {
  let out = '';
  for (const ch of s.slice(0, max)) {
    // the code point, not its first UTF-16 unit: a hidden character beyond U+FFFF (a tag
    // character) shown as half a surrogate pair would name another character
    const c = ch.codePointAt(0)!;
    const hidden = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || HIDDEN.test(ch);
    out += !hidden ? ch : c > 0xffff ? `\\u{${c.toString(16)}}` : `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return s.length > max ? `${out}...` : out;
}

/**
 * The names a migration gives a domain while it is under way (src/migrate/protocol.ts, as xl
 * does): the limit applies to the name before them, so that every valid name can migrate.
 */
export const MIGRATION_SUFFIXES = ['--incoming', '--migratedaway'] as const;

function withoutMigrationSuffix(name: string): string {
  const s = MIGRATION_SUFFIXES.find((x) => name.endsWith(x) && name.length > x.length);
  return s ? name.slice(0, -s.length) : name;
}

/** Why a domain name cannot be used, or undefined if it can. */
export function domainNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'the name is empty';
  const ctl = findControl(name);
  if (ctl) return `it contains the control character ${hex(ctl.code)} at position ${ctl.index + 1}`;
  const hid = findHidden(name);
  if (hid) return `it contains the ${hid.bidi ? 'bidirectional control' : 'invisible'} character ${hex(hid.code)} at position ${hid.index + 1}`;
  if ([...withoutMigrationSuffix(name)].length > NAME_MAX_LENGTH) return `it is longer than ${NAME_MAX_LENGTH} characters`;
  if (/\s/.test(name)) return 'it contains white space';
  if (name.includes('/')) return "it contains '/'";
  if (name.includes('\\')) return "it contains '\\'";
  if (name === '.' || name === '..') return `'${name}' names a directory`;
  if (name.startsWith('.')) return "it starts with '.' (a hidden file name)";
  if (name.startsWith('-')) return "it starts with '-' (it would be read as an option)";
  if (/^\d+$/.test(name)) return 'it is all digits, so it would be taken for a domain id';
  if (UUID_RE.test(name)) return 'it would be taken for a UUID';
  if (name.includes('\ufffd')) return 'it is not valid UTF-8';
  return undefined;
}

/** Throws a UsageError (exit 2) for a name that cannot be a domain's; returns the name. */
export function checkDomainName(name: string, what = 'domain name'): string {
  const why = domainNameProblem(name);
  if (why) {
    throw new UsageError(`'${printable(name)}' cannot be a ${what}: ${why}`,
      `use at most ${NAME_MAX_LENGTH} letters, digits and punctuation such as - _ . : (not all digits, no '/', no spaces)`);
  }
  return name;
}

/**
 * A managed config is stored as <dir>/<name>.json: the name must be a domain name, and the
 * file must land inside the directory whatever the name holds.
 */
export function managedConfigPath(dir: string, name: string): string {
  checkDomainName(name, 'managed domain name');
  return insideDir(dir, `${name}.json`);
}

/** Joins a file name under a directory, refusing anything that would leave it. */
export function insideDir(dir: string, name: string): string {
  const base = resolve(dir);
  const full = resolve(base, name);
  const rel = relative(base, full);
  if (!rel || rel.startsWith('..') || isAbsolute(rel) || rel.includes(sep)) {
    throw new UsageError(`'${printable(name)}' would be stored outside '${base}'`, 'a name cannot contain a path');
  }
  return full;
}

/** Why a path given on the command line cannot be used, or undefined. */
export function pathProblem(path: string): string | undefined {
  if (path.length === 0) return 'the path is empty';
  const ctl = findControl(path);
  if (ctl) return `it contains the control character ${hex(ctl.code)} at position ${ctl.index + 1}`;
  if (Buffer.byteLength(path) > PATH_MAX_LENGTH) return `it is longer than ${PATH_MAX_LENGTH} bytes`;
  return undefined;
}

export function checkPath(path: string, what = 'path'): string {
  const why = pathProblem(path);
  if (why) throw new UsageError(`the ${what} '${printable(path)}' cannot be used: ${why}`);
  return path;
}

/** A file that someone other than its owner (or root) could have changed. */
export class UnsafeFileError extends TxlError {}

/** config: a domain config; hook: a program run as root; policy: the host's txl.yaml (as strict as a hook). */
export type TrustKind = 'config' | 'hook' | 'policy';

export interface TrustReport {
  /** the file as resolved (symlinks followed) */
  path: string;
  /** what makes the file less than trustworthy but is still accepted (configs only) */
  warnings: string[];
}

export interface TrustOptions {
  /** the user the file must belong to besides root (default: the current effective user) */
  uid?: number;
  /** stat, replaceable in tests */
  stat?: (p: string) => Stats;
}

/**
 * Checks that a config or hook file can only have been written by root or its user.
 * Refused (UnsafeFileError): a file anyone may write; a file or directory on its path that
 * another user may replace (world-writable without the sticky bit); for hooks, which run as
 * root, and the host's settings (which may lift restrictions), also group-writable files and
 * a file or directory owned by another user. Configs that
 * are group-writable or owned by another user are accepted with a warning.
 */
export function checkTrustedFile(file: string, kind: TrustKind, opts: TrustOptions = {}): TrustReport {
  const uid = opts.uid ?? (typeof process.geteuid === 'function' ? process.geteuid() : 0);
  const st = opts.stat ?? statSync;
  const what = kind === 'hook' ? 'hook' : kind === 'policy' ? 'settings file' : 'config file';
  const strict = kind !== 'config';
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    real = resolve(file);
  }
  const s = st(real);
  const trusted = (owner: number) => owner === 0 || owner === uid;
  const warnings: string[] = [];
  const refuse = (why: string): never => {
    throw new UnsafeFileError(`refusing to use the ${what} '${printable(file)}': ${why}`,
      strict ? `make it owned by root and not writable by group or others (chown root: ${real}; chmod go-w ${real})`
        : `make it writable only by its owner (chmod go-w ${real})`);
  };
  if (s.mode & 0o002) refuse('it is writable by every user');
  if (!trusted(s.uid)) {
    if (strict) refuse(`it belongs to another user (uid ${s.uid})`);
    warnings.push(`the ${what} '${printable(file)}' belongs to another user (uid ${s.uid})`);
  }
  if (s.mode & 0o020) {
    if (strict) refuse('it is writable by its group');
    warnings.push(`the ${what} '${printable(file)}' is writable by its group (gid ${s.gid})`);
  }
  // every directory up to the root: whoever may rename entries there may swap the file
  for (let dir = dirname(real); ; dir = dirname(dir)) {
    const d = st(dir);
    if ((d.mode & 0o002) && !(d.mode & 0o1000)) refuse(`the directory '${dir}' is writable by every user`);
    if (!trusted(d.uid)) {
      if (strict) refuse(`the directory '${dir}' belongs to another user (uid ${d.uid})`);
      warnings.push(`the directory '${dir}' holding the ${what} belongs to another user (uid ${d.uid})`);
    }
    if (dir === dirname(dir)) break;
  }
  // a hook or the settings: also the directories of the path as given and of every symlink on
  // the way, which the walk above (from the resolved file) never sees
  if (strict && !opts.stat) {
    const bad = untrustedComponent(file, uid);
    if (bad) refuse(bad.path === real ? bad.why : `${bad.why}, on the way to it`);
  }
  return { path: real, warnings };
}

/** lstat that says whether a path is a symlink, for callers that refuse them. */
export function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

// Secret redaction lives in its own module (no imports), so that src/core/errors.ts can use it.
export { redactDiagnostic, redactSecrets, secretFreeTitle, secretValues } from './core/redact.js';
