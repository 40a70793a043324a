// Save, restore and migration on libxl. The stream libxl writes and reads is the "domain
// image" part of xl's save file and of xl's migration stream (src/ops/savefile.ts writes
// and reads the header before it), so files and migrations interoperate with xl.
import type { Libxl } from '../../bindings/context.js';
import { saveFunctions, SUSPEND_DEBUG, SUSPEND_LIVE } from '../../bindings/save.js';
import { ERROR_GUEST_TIMEDOUT } from '../../bindings/events.js';
import { OperationError } from '../core/errors.js';
import { checkInterrupt, InterruptedError, interruptRequested } from '../interrupt.js';
import { opError } from './errors.js';
import { domainInfo } from './domains.js';

export interface SuspendOptions {
  /** pre-copy memory while the guest runs (migration), as xl migrate does */
  live?: boolean;
  /** libxl's debug checks of the stream (xl migrate --debug) */
  debug?: boolean;
}

/** libxl_domain_suspend: the domain's image to fd; the domain is left suspended (shut down, reason suspend). */
export async function suspendDomain(lx: Libxl, domid: number, fd: number, opts: SuspendOptions = {}): Promise<void> {
  if (domid === 0) throw new OperationError('cannot save Domain-0');
  const f = saveFunctions(lx.libs);
  const flags = (opts.live ? SUSPEND_LIVE : 0) | (opts.debug ? SUSPEND_DEBUG : 0);
  checkInterrupt();
  try {
    await lx.callAsync(f.libxl_domain_suspend, 'libxl_domain_suspend', lx.ctx, domid, fd, flags, null);
  } catch (e) {
    // Ctrl-C on a terminal also reaches libxl-save-helper (same process group), which
    // fails the suspend: run the guest again, as xl does after a failed save
    if (interruptRequested()) {
      await resumeDomain(lx, domid).catch(() => undefined);
      throw new InterruptedError();
    }
    // the guest may have suspended before the stream failed: xl resumes it after a failed
    // save; txl does so only when it is suspended (a paused or running guest is left alone)
    const info = await domainInfo(lx, domid).catch(() => undefined);
    if (info?.shutdown && info.shutdown_reason === 'suspend') await resumeDomain(lx, domid).catch(() => undefined);
    const logged = ((e as { log?: { message: string }[] }).log ?? []).map((l) => l.message).join('\n');
    if (/No space left on device/.test(logged)) {
      throw new OperationError('cannot write the image: no space left on device', 'free some space on that filesystem, or save somewhere else');
    }
    if ((e as { rc?: number }).rc === ERROR_GUEST_TIMEDOUT) {
      throw new OperationError(
        `domain ${domid} did not suspend: the guest did not answer the request in time`,
        'a guest must run Xen\'s PV drivers to be saved or migrated, and must not be paused',
      );
    }
    throw opError(e, `saving domain ${domid}`, domid);
  }
}

/**
 * libxl_domain_resume after a suspend (save -c, a failed migration). Co-operative
 * ("suspend cancel"), as xl does: the guest carries on from where it was.
 */
export async function resumeDomain(lx: Libxl, domid: number): Promise<void> {
  const f = saveFunctions(lx.libs);
  try {
    await lx.callAsync(f.libxl_domain_resume, 'libxl_domain_resume', lx.ctx, domid, 1, null);
  } catch (e) {
    throw opError(e, `resuming domain ${domid}`, domid);
  }
}

/**
 * The create step of a restore: libxl_domain_create_restore on an initialised
 * libxl_domain_config (configPtr), reading the image from fd, positioned just after xl's
 * header. Used by createDomain in place of libxl_domain_create_new, under the same lock
 * and with the same clean-up; `domidOut[0]` receives the domid even when it fails.
 */
export async function createRestore(lx: Libxl, configPtr: bigint, domidOut: number[], fd: number, streamVersion = 2): Promise<void> {
  const f = saveFunctions(lx.libs);
  await lx.json.with('domain_restore_params', JSON.stringify({ stream_version: streamVersion }), (params) =>
    lx.callAsync(f.libxl_domain_create_restore, 'libxl_domain_create_restore', lx.ctx, configPtr, domidOut, fd, -1, params.ptr, null, null));
}
