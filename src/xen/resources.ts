// vCPUs, memory, scheduler parameters and cpupools on libxl.
import type { Libxl } from '../../bindings/context.js';
import { makeBitmap, type NativeBitmap } from '../../bindings/bitmap.js';
import { OperationError, UsageError } from '../core/errors.js';
import type { Bitmap, SchedParams } from '../core/model.js';
import type { CpupoolInfo, PinOptions, VcpuInfo } from '../core/backend-types.js';
import { domainInfo } from './domains.js';
import { guard } from './errors.js';

type Obj = Record<string, unknown>;
const num = (v: unknown, d = 0) => (typeof v === 'number' ? v : d);
const bits = (v: unknown): number[] => (Array.isArray(v) ? (v as number[]) : []);

export async function vcpuList(lx: Libxl, domid: number): Promise<VcpuInfo[]> {
  return guard(`listing the vCPUs of domain ${domid}`, domid, () => {
    const nb: number[] = [0];
    const nrCpus: number[] = [0];
    const mark = lx.log.mark();
    const ptr = lx.fn.libxl_list_vcpu(lx.ctx, domid, nb, nrCpus) as bigint | null;
    if (!ptr) {
      const why = lx.log.since(mark).filter((l) => l.level === 'error').at(-1)?.message;
      throw new OperationError(`cannot list the vCPUs of domain ${domid}${why ? `: ${why}` : ''}`);
    }
    try {
      return lx.json.list<Obj>('vcpuinfo', ptr, nb[0]).map((v) => ({
        vcpuid: num(v.vcpuid),
        cpu: v.online === true ? num(v.cpu) : -1,
        online: v.online === true,
        blocked: v.blocked === true,
        running: v.running === true,
        vcpu_time: num(v.vcpu_time),
        cpumap: bits(v.cpumap),
        cpumap_soft: bits(v.cpumap_soft),
      }));
    } finally {
      lx.fn.libxl_vcpuinfo_list_free(ptr, nb[0]);
    }
  });
}

export async function setVcpus(lx: Libxl, domid: number, count: number): Promise<void> {
  const info = await domainInfo(lx, domid);
  const max = info.vcpu_max_id + 1;
  if (!Number.isInteger(count) || count < 1) throw new UsageError(`'${count}' is not a number of vCPUs (at least 1)`);
  if (count > max) throw new OperationError(`domain ${domid} has at most ${max} vCPUs: cannot bring ${count} online`, "raise 'maxvcpus' in its config (takes effect at the next start)");
  const map = makeBitmap(lx, Array.from({ length: count }, (_, i) => i), max);
  try {
    await guard(`setting the vCPUs of domain ${domid}`, domid, () => lx.callAsync('libxl_set_vcpuonline', '', lx.ctx, domid, map.ptr, null));
  } finally {
    map.dispose();
  }
}

/**
 * libxl_set_vcpuaffinity (or _force) on one vCPU or all. The maps are sized as
 * libxl_cpu_bitmap_alloc sizes them; bits beyond that are dropped, as libxl_bitmap_set
 * drops them for xl. Whether a CPU exists is the caller's (and Xen's) concern.
 */
export async function pinVcpu(lx: Libxl, domid: number, vcpu: number | 'all', hard?: Bitmap, soft?: Bitmap, opts: PinOptions = {}): Promise<void> {
  const info = await domainInfo(lx, domid);
  const vcpus = vcpu === 'all' ? Array.from({ length: info.vcpu_max_id + 1 }, (_, i) => i) : [vcpu];
  if (vcpu !== 'all' && (vcpu < 0 || vcpu > info.vcpu_max_id)) throw new OperationError(`domain ${domid} has no vCPU ${vcpu} (it has ${info.vcpu_max_id + 1})`);
  const fn = opts.force ? 'libxl_set_vcpuaffinity_force' : 'libxl_set_vcpuaffinity';
  const maps: NativeBitmap[] = [];
  try {
    const h = hard ? makeBitmap(lx, hard) : undefined;
    if (h) maps.push(h);
    const s = soft ? makeBitmap(lx, soft) : undefined;
    if (s) maps.push(s);
    for (const v of vcpus) {
      await guard(`setting the affinity of vCPU ${v} of domain ${domid}`, domid, () => lx.call(fn, lx.ctx, domid, v, h?.ptr ?? null, s?.ptr ?? null));
    }
  } finally {
    maps.forEach((m) => m.dispose());
  }
}

export async function setMemoryTarget(lx: Libxl, domid: number, memkb: number): Promise<void> {
  await guard(`setting the memory of domain ${domid}`, domid, () => lx.call('libxl_set_memory_target', lx.ctx, domid, BigInt(Math.round(memkb)), 0, 1));
}

export async function setMaxMemory(lx: Libxl, domid: number, memkb: number): Promise<void> {
  await guard(`setting the maximum memory of domain ${domid}`, domid, () => lx.call('libxl_domain_setmaxmem', lx.ctx, domid, BigInt(Math.round(memkb))));
}

const SCHED_FIELDS = ['sched', 'weight', 'cap', 'period', 'budget', 'extratime', 'slice', 'latency'] as const;

export async function schedGet(lx: Libxl, domid: number): Promise<SchedParams> {
  return guard(`reading the scheduler parameters of domain ${domid}`, domid, () =>
    lx.json.with('domain_sched_params', undefined, (obj) => {
      lx.call('libxl_domain_sched_params_get', lx.ctx, domid, obj.ptr);
      const o = lx.json.toObject<Obj>('domain_sched_params', obj.ptr);
      const out: SchedParams = {};
      for (const k of SCHED_FIELDS) if (o[k] !== undefined && o[k] !== -1) (out as Obj)[k] = o[k];
      return out;
    }));
}

/** Sets the given parameters; the others keep their values (libxl leaves -1 fields alone). */
export async function schedSet(lx: Libxl, domid: number, params: SchedParams): Promise<void> {
  const json: Obj = {};
  for (const k of SCHED_FIELDS) if (params[k] !== undefined) json[k] = params[k];
  await guard(`setting the scheduler parameters of domain ${domid}`, domid, () =>
    lx.json.with('domain_sched_params', JSON.stringify(json), (obj) => {
      lx.call('libxl_domain_sched_params_set', lx.ctx, domid, obj.ptr);
    }));
}

export async function listCpupools(lx: Libxl): Promise<CpupoolInfo[]> {
  return guard('listing cpupools', undefined, () => {
    const n: number[] = [0];
    const ptr = lx.fn.libxl_list_cpupool(lx.ctx, n) as bigint | null;
    if (!ptr) throw new OperationError('cannot list the cpupools');
    try {
      return lx.json.list<Obj>('cpupoolinfo', ptr, n[0]).map((p) => ({
        poolid: num(p.poolid),
        pool_name: String(p.pool_name ?? ''),
        sched: String(p.sched ?? 'unknown'),
        n_dom: num(p.n_dom),
        cpumap: bits(p.cpumap),
      }));
    } finally {
      lx.fn.libxl_cpupoolinfo_list_free(ptr, n[0]);
    }
  });
}
