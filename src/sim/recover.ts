// A save killed (kill -9, a crash) after its suspend was committed leaves the domain suspended
// beside its image: `unpause` finds it shut down, `restore` finds it still there. The suspend
// records who is saving and where (SimDomain.saving); the first transaction that finds the
// saver gone finishes the save when its image reached its name whole (the domain goes, as the
// save meant), and otherwise undoes it (the temp image goes, the domain runs again).
import { closeSync, existsSync, openSync } from 'node:fs';
import { removeQuietly, pidAlive } from '../fsutil.js';
import { readHeader } from '../savefile.js';
import { destroyDomain } from './guest.js';
import { startTime } from './lock.js';
import { logXen, type SimDomain } from './state.js';
import { readImageFd } from './stream.js';
import type { Tx } from './store.js';

export function recoverSaves(tx: Tx): boolean {
  let changed = false;
  for (const d of [...tx.st.domains]) {
    const s = d.saving;
    if (!s) continue;
    if (pidAlive(s.pid) && (s.started === undefined || startTime(s.pid) === s.started)) continue;
    changed = true;
    delete d.saving;
    if (d.status !== 'shutdown' || d.shutdown_reason !== 'suspend') continue;
    removeQuietly(s.tmp);
    if (!s.keep && holdsImageOf(s.file, d, s.at)) {
      destroyDomain(tx, d, `saved to ${s.file} by process ${s.pid}, which died before destroying it`);
      continue;
    }
    d.status = 'running';
    delete d.shutdown_reason;
    d.run_since = tx.now;
    logXen(tx.st, `d${d.domid}: resumed: process ${s.pid} died while saving it`);
  }
  return changed;
}

/**
 * Whether file is the whole image this save wrote (header, config, simulator image): of this
 * very domain and suspended at `at`, since an older save of the same domain (save -c) may
 * still hold the name, and finishing on it would destroy the guest's newer state.
 */
function holdsImageOf(file: string, d: SimDomain, at: number | undefined): boolean {
  if (!existsSync(file)) return false;
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const h = readHeader(fd);
    const cfg = JSON.parse(h.config ?? '{}') as { c_info?: { uuid?: string; name?: string } };
    if (cfg.c_info?.uuid !== undefined && cfg.c_info.uuid !== d.uuid) return false;
    const img = readImageFd(fd);
    return img.domid === d.domid && img.name === d.name && (at === undefined || img.saved_at === at);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
