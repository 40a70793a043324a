// txl's own files (the simulator's state, managed configs on either backend) decide what runs
// and hold VNC/SPICE passwords: a state file or a managed config that others could write would let them start
// domains with any config as the user running txl (root on a lab host). Refused, with the fix.
import { lstatSync, type Stats } from 'node:fs';
import { UnsafeFileError } from './validate.js';
import { entryProblem, fixFor, untrustedComponent } from './trust.js';

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function refuse(what: string, path: string, why: string, fix: string): never {
  throw new UnsafeFileError(`refusing to use the ${what} '${path}': ${why}`, fix);
}

/** One file or directory of the simulator's: every component trusted, and no symlink where noLink. */
function checkOne(what: string, path: string, noLink: boolean): void {
  const st = lstatOrUndefined(path);
  if (!st) return;
  // written through, a symlink would put the state or a password wherever it points
  if (noLink && st.isSymbolicLink()) refuse(what, path, 'it is a symbolic link', `replace the link with a ${what.endsWith('directory') ? 'directory' : 'file'} of its own (mv ${path} ${path}.old)`);
  const bad = untrustedComponent(path);
  if (bad) refuse(what, path, bad.why, fixFor(bad, bad.path !== path || st.isDirectory()));
}

/** The state's directory, the state file and managed/: checked before the first transaction. */
export function checkSimFiles(paths: { dir: string; state: string; managed: string }): void {
  checkOne("simulator's state directory", paths.dir, false);
  checkOne("simulator's state file", paths.state, true);
  checkManagedDir(paths.managed);
}

/** A managed/ directory (the simulator's, or /var/lib/txl/managed on Xen). */
export function checkManagedDir(dir: string): void {
  checkOne('managed config directory', dir, true);
}

/** A managed config about to be read (its directory checked by checkSimFiles). */
export function checkManagedFile(path: string): void {
  const st = lstatOrUndefined(path);
  if (!st) return;
  if (st.isSymbolicLink()) refuse('managed config', path, 'it is a symbolic link', `replace it with the file itself (cp --remove-destination "$(readlink -f ${path})" ${path}; chmod 600 ${path})`);
  const why = entryProblem(path, st);
  if (why) refuse('managed config', path, why, fixFor({ path, why }, false));
}
