// virsh's --live/--config/--current: which of a domain's two states a command reads or
// changes. Shared by vcpucount, setvcpus, setmem, setmaxmem and schedinfo.
import type { Backend, DomainInfo, DomainRef } from '../core/backend-types.js';
import type { DomainConfig } from '../core/model.js';
import { NotFoundError, OperationError, UsageError } from '../core/errors.js';

export interface AffectOpts { live?: boolean; config?: boolean; current?: boolean }

/** A domain as these commands see it: its live state if it runs, its stored config if managed. */
export interface Dom {
  ref: DomainRef;
  name: string;
  live: DomainInfo | null;
  config: DomainConfig | null;
}

export async function loadDom(be: Backend, word: string): Promise<Dom> {
  // virsh's refusal of an unknown domain is one line: the message without the hint
  const ref = await be.lookup(word).catch((e: unknown) => {
    throw e instanceof NotFoundError ? new NotFoundError(e.message) : e;
  });
  const live = ref.domid === null ? null : await be.domainInfo(ref.domid);
  const config = ref.managed ? (await be.getManaged(ref.name))?.config ?? null : null;
  return { ref, name: ref.name, live, config };
}

export const NOT_RUNNING = 'Requested operation is not valid: domain is not running';
export const TRANSIENT = 'Requested operation is not valid: cannot change persistent config of a transient domain';

/** virsh refuses --current beside --live or --config, in its own words. */
export function checkExclusive(o: AffectOpts): void {
  for (const other of ['live', 'config'] as const) {
    if (o.current && o[other]) throw new UsageError(`Options --current and --${other} are mutually exclusive`);
  }
}

/**
 * The states a change goes to. Neither flag means the current state: the live domain if it
 * runs, else its config. A transient domain has no config to change; a stopped one no live state.
 */
export function affected(dom: Dom, o: AffectOpts): { live: boolean; config: boolean } {
  checkExclusive(o);
  let live = Boolean(o.live);
  let config = Boolean(o.config);
  if (!live && !config) {
    if (dom.live) live = true;
    else config = true;
  }
  if (live && !dom.live) throw new OperationError(NOT_RUNNING);
  if (config && !dom.config) throw new OperationError(TRANSIENT);
  return { live, config };
}

/** vCPU counts of a stored config: libxl's max_vcpus and the online ones (avail_vcpus). */
export function configVcpus(cfg: DomainConfig): { max: number; current: number } {
  const avail = cfg.b_info?.avail_vcpus;
  const max = cfg.b_info?.max_vcpus ?? avail?.length ?? 1;
  return { max, current: avail ? avail.length : max };
}
