// Creating a domain the way xl does: when autoballoon is on, under xl's host lock, make room
// by ballooning dom0 down; libxl_domain_create_new (or _create_restore from a saved image),
// then unpause unless asked not to. Any
// failure after libxl handed out a domid destroys that half-built domain: no domain is ever
// left behind.
import { existsSync } from 'node:fs';
import { readBounded } from '../readlimit.js';
import { newUuid } from '../require.js';
import type { Libxl } from '../../bindings/context.js';
import { CONSTANTS } from '../../bindings/layout.js';
import { acquireXlLock, type HeldLock } from '../../bindings/xllock.js';
import { FromJsonError, type LibxlObject } from '../../bindings/json.js';
import { OperationError, TxlError } from '../core/errors.js';
import { checkInterrupt, explain, InterruptedError, interruptRequested, interruptSignal } from '../interrupt.js';
import type { DomainConfig } from '../core/model.js';
import type { CreateOptions } from '../core/backend-types.js';
import { modelToLibxlJson } from '../../parsers/libxl-json.js';
import type { LibxlVersion } from '../../parsers/libxl-idl.js';
import { defaultXlConf, parseXlConf, type XlConf } from '../../parsers/xlcfg/xlconf.js';
import { opError } from './errors.js';
import { createRestore } from './save.js';
import { jsonDiff } from './jsondiff.js';

export const XL_CONF = '/etc/xen/xl.conf';

/** path: the command's TXL_XL_CONF when set (the caller's environment), else xl's own. */
export function readXlConf(path = XL_CONF): XlConf {
  if (!existsSync(path)) return defaultXlConf();
  try {
    return parseXlConf(readBounded(path, 'an xl.conf').toString('utf8'), path);
  } catch {
    return defaultXlConf(); // a broken xl.conf stops xl too, but not a create of ours
  }
}

/** xl's "auto": balloon dom0 unless Xen's command line fixed its memory with dom0_mem=. */
export function autoballoonOn(conf: XlConf, xenCommandline: string): boolean {
  if (conf.autoballoon !== 'auto') return conf.autoballoon === 'on';
  const size = '-?[0-9]+[bBkKmMgGtT]?';
  return !new RegExp(`(^| )dom0_mem=((|min:|max:)(${size}|(${size}\\+)?[0-9]{1,2}%),?)+($| )`).test(xenCommandline);
}

/** The config in libxl's hands; throws if libxl refused it or silently dropped a field. */
export function toLibxl(lx: Libxl, cfg: DomainConfig): LibxlObject {
  // for the loaded libxl: a 4.20 field on a 4.17 host is refused by name, not dropped
  const json = modelToLibxlJson(cfg, { version: lx.version as LibxlVersion });
  const mark = lx.log.mark();
  let obj: LibxlObject;
  try {
    obj = lx.json.fromJson('domain_config', json);
  } catch (e) {
    if (!(e instanceof FromJsonError)) throw e;
    const why = lx.log.since(mark).filter((l) => l.level === 'error').map((l) => l.message).join('; ');
    throw new OperationError(`libxl refused the configuration${why ? `: ${why}` : ''}`);
  }
  // what libxl hands back must contain everything we sent (it may add, never drop)
  const lost = jsonDiff(JSON.parse(json), lx.json.toObject('domain_config', obj.ptr)).filter((d) => d.ours !== undefined);
  if (lost.length) {
    lx.json.dispose(obj);
    throw new OperationError(
      `libxl ${lx.version} does not take ${lost.map((d) => d.path).join(', ')} as txl wrote ${lost.length > 1 ? 'them' : 'it'}`,
      'this is a bug in txl (or a libxl older than the model): please report it with the config',
    );
  }
  return obj;
}

/** xl's freemem(): balloon dom0 down until the new domain fits, for at most ~30 s of no progress. */
async function makeRoom(lx: Libxl, obj: LibxlObject): Promise<void> {
  const need: bigint[] = [0n];
  lx.call('libxl_domain_need_memory', lx.ctx, obj.ptr, CONSTANTS.INVALID_DOMID, need);
  let credit = 30_000;
  for (;;) {
    const free: bigint[] = [0n];
    lx.call('libxl_get_free_memory', lx.ctx, free);
    const [needKb, freeKb] = [BigInt(need[0]), BigInt(free[0])];
    if (freeKb >= needKb) return;
    checkInterrupt();
    if (credit <= 0) throw new OperationError(`not enough free memory for the domain: it needs ${needKb} KiB, the host has ${freeKb} KiB free`, 'free memory (txl mem-set 0 ...), or give the domain less');
    lx.call('libxl_set_memory_target', lx.ctx, 0, freeKb - needKb, 1, 0);
    const start = Date.now();
    await lx.callAsync('libxl_wait_for_memory_target', '', lx.ctx, 0, 10);
    credit -= Date.now() - start;
  }
}

/** hooks.xlConf: the xl.conf to follow (the command's TXL_XL_CONF), by default xl's own. */
export async function createDomain(lx: Libxl, cfg: DomainConfig, opts: CreateOptions = {}, hooks: { onLockWait?: (pid?: number) => void; xlConf?: string } = {}): Promise<number> {
  const name = cfg.c_info?.name ?? '';
  const what = `creating domain '${name}'`;
  const conf = readXlConf(hooks.xlConf || XL_CONF);
  // libxl does not make up a UUID (xl's parser does): without one, every domain would share the nil UUID
  const obj = toLibxl(lx, cfg.c_info?.uuid ? cfg : { ...cfg, c_info: { ...cfg.c_info, uuid: newUuid() } });
  let lock: HeldLock | undefined;
  let domid: number = CONSTANTS.INVALID_DOMID;
  try {
    const vinfo = lx.fn.libxl_get_version_info(lx.ctx) as bigint | null;
    const cmdline = vinfo ? String(lx.json.toObject('version_info', vinfo).commandline ?? '') : '';
    // As xl: the lock covers "make room + build" only when dom0 is ballooned for it. Without
    // ballooning xl takes no lock, and domain builds run side by side (create -j N).
    const balloon = autoballoonOn(conf, cmdline);
    const build = async () => {
      try {
        if (balloon) {
          lock = await acquireXlLock(lx.libs, conf.lockfile, { onWait: (w) => hooks.onLockWait?.(w.pid), signal: interruptSignal() });
          checkInterrupt();
          await makeRoom(lx, obj);
        }
        checkInterrupt();
        const out: number[] = [CONSTANTS.INVALID_DOMID];
        try {
          if (opts.restoreFd !== undefined) await createRestore(lx, obj.ptr, out, opts.restoreFd);
          else if (balloon) await lx.callAsync('libxl_domain_create_new', '', lx.ctx, obj.ptr, out, null, null);
          else await lx.callConcurrent('libxl_domain_create_new', '', lx.ctx, obj.ptr, out, null, null);
        } finally {
          domid = out[0] >>> 0;
        }
      } finally {
        // before the next create of this process takes its turn (see inTurn)
        lock?.release();
        lock = undefined;
      }
    };
    await (balloon ? inTurn(build) : build());
    // a signal during libxl's long create is seen here, before the guest runs
    checkInterrupt();
    if (!opts.paused) await lx.callConcurrent('libxl_domain_unpause', '', lx.ctx, domid, null);
    return domid;
  } catch (err) {
    // a failure the signal caused (xl's lock wait given up, libxl's children killed by a
    // Ctrl-C typed on the terminal) is an interrupt too
    const e = !(err instanceof TxlError) && interruptRequested() ? new InterruptedError() : err;
    if (validGuest(domid)) await destroyQuietly(lx, domid);
    explain(e, validGuest(domid) ? `domain '${name}' (domid ${domid}) was destroyed` : `domain '${name}' was not created`);
    throw e instanceof TxlError ? e : opError(e, what);
  } finally {
    lock?.release();
    lx.json.dispose(obj);
  }
}

// xl's lock is an fcntl lock, which never conflicts within one process (and closing any of
// the process's descriptors of the file drops it): the creates of one txl take turns here.
let turn: Promise<unknown> = Promise.resolve();
function inTurn<T>(fn: () => Promise<T>): Promise<T> {
  const next = turn.then(fn, fn);
  turn = next.catch(() => undefined);
  return next;
}

const validGuest = (domid: number) => domid > 0 && domid < 0x7ff0;

async function destroyQuietly(lx: Libxl, domid: number): Promise<void> {
  try {
    await lx.callAsync('libxl_domain_destroy', '', lx.ctx, domid, null);
  } catch {
    /* the original failure is what the user needs to see */
  }
}

/**
 * Stores an xl.cfg text as the domain's "xl" userdata, as `xl config-update` does: xl's
 * monitor then rebuilds the domain from it at its next reboot. Not done at create: xl 4.17
 * does not either (`xl list -l` reads libxl's own "libxl-json"), and a stale copy would
 * undo devices attached since.
 */
export function storeXlConfig(lx: Libxl, domid: number, xlcfgText: string): void {
  const data = Buffer.from(xlcfgText, 'utf8');
  lx.call('libxl_userdata_store', lx.ctx, domid, 'xl', data, data.length);
}
