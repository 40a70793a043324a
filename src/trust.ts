// Whether a file txl runs or reads as root could have been replaced by someone else, judged
// as sudo and ssh judge theirs: every component of the path as written, every symlink on the
// way and every component of its target, up to /. Each must be owned by root or the user
// running txl, and not writable by group or others, except a directory with the sticky bit
// (/tmp), where only an entry's owner may rename it: the owner of the entry is checked then.
import { lstatSync, readlinkSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** A component that others could change, and why; undefined when every one is trusted. */
export interface Untrusted {
  /** the component at fault (a directory, a symlink or the file itself) */
  path: string;
  why: string;
}

const MAX_LINKS = 40; // the kernel's own limit on symlinks followed in one lookup

const modeText = (st: Stats) => (st.mode & 0o7777).toString(8).padStart(4, '0');

function nodeProblem(path: string, st: Stats, uid: number): string | undefined {
  if (st.uid !== 0 && st.uid !== uid) return `${path} is owned by uid ${st.uid}, not by root`;
  if (st.isSymbolicLink()) return undefined; // a symlink's own mode means nothing
  if (st.isDirectory() && st.mode & 0o1000) return undefined;
  if (st.mode & 0o022) {
    const who = st.mode & 0o020 ? (st.mode & 0o002 ? 'group and others' : 'its group') : 'others';
    return `${path} is writable by ${who} (mode ${modeText(st)})`;
  }
  return undefined;
}

/**
 * The first component of `path` (absolute or relative to the working directory) that someone
 * other than root or `uid` could change, or undefined. A missing component is not a fault
 * here: the caller's own open or stat says so.
 */
export function untrustedComponent(path: string, uid = process.geteuid?.() ?? 0): Untrusted | undefined {
  const seen = new Map<string, { real: string; problem?: Untrusted }>();
  let links = 0;
  // the real directory a path's parent names, every component of the way checked
  const visit = (p: string): { real: string; problem?: Untrusted } => {
    const abs = resolve(p);
    const known = seen.get(abs);
    if (known) return known;
    const parent = dirname(abs);
    let real = abs;
    let problem: Untrusted | undefined;
    if (parent !== abs) {
      const up = visit(parent);
      if (up.problem) return up;
      real = join(up.real, abs.slice(parent.length + (parent.endsWith('/') ? 0 : 1)));
    }
    let st: Stats | undefined;
    try {
      st = lstatSync(real);
    } catch {
      st = undefined;
    }
    if (st) {
      const why = nodeProblem(real, st, uid);
      if (why) problem = { path: real, why };
      else if (st.isSymbolicLink()) {
        if (++links > MAX_LINKS) problem = { path: real, why: `${real}: too many levels of symbolic links` };
        else {
          const target = visit(resolve(dirname(real), readlinkSync(real)));
          problem = target.problem;
          real = target.real;
        }
      }
    }
    const out = { real, problem };
    seen.set(abs, out);
    return out;
  };
  return visit(path).problem;
}

/** The one check of a single entry (no walk): for many files in a directory already checked. */
export function entryProblem(path: string, st: Stats, uid = process.geteuid?.() ?? 0): string | undefined {
  return nodeProblem(path, st, uid);
}

/** The command that fixes a component refused by untrustedComponent or entryProblem. */
export function fixFor(bad: Untrusted, isDir: boolean): string {
  if (/ is owned by uid /.test(bad.why)) return `chown ${process.geteuid?.() === 0 ? 'root' : String(process.geteuid?.() ?? 0)} ${bad.path}`;
  return isDir ? `chmod go-w ${bad.path}` : `chmod 600 ${bad.path}`;
}
