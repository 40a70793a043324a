// virsh's setmem and setmaxmem: a size in virsh's units (KiB unless a suffix says otherwise),
// applied to the running domain (balloon target or ceiling) and/or its stored config.
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import { OperationError, UsageError } from '../core/errors.js';
import { withBackend } from './connect.js';
import { dryRun } from './text.js';
import { affected, loadDom, type AffectOpts } from './virsh-affect.js';

const POWERS: Record<string, number> = { k: 1, m: 2, g: 3, t: 4, p: 5, e: 6 };

/**
 * A size as virsh scales it: no suffix is KiB; b, byte, bytes are bytes; k, m, g, t, p, e
 * alone or with "iB" are powers of 1024, with "B" powers of 1000 (KB = 1000 bytes). Any case.
 * Returns KiB, rounded up as virsh does.
 */
export function parseVirshSize(word: string, option = 'size'): number {
  const bad = () => new UsageError(`Scaled numeric value '${word}' for <${option}> option is malformed or out of range`, 'e.g. 524288 (KiB), 512M, 1G or 1073741824b');
  const m = /^\s*(\d+)([a-zA-Z]*)$/.exec(word);
  if (!m) throw bad();
  const n = BigInt(m[1]!);
  const suffix = m[2]!;
  let bytes: bigint;
  if (suffix === '') bytes = n * 1024n;
  else if (/^(b|bytes?)$/i.test(suffix)) bytes = n;
  else {
    const power = POWERS[suffix[0]!.toLowerCase()];
    const rest = suffix.slice(1);
    const base = rest === '' || rest.toLowerCase() === 'ib' ? 1024n : rest.toLowerCase() === 'b' ? 1000n : 0n;
    if (power === undefined || base === 0n) throw new UsageError(`invalid argument: unknown suffix '${suffix}'`, 'suffixes: b, KiB (k), KB, MiB (M), MB, GiB (G), GB, TiB (T), TB');
    bytes = n * base ** BigInt(power);
  }
  const kib = (bytes + 1023n) / 1024n;
  if (kib > BigInt(Number.MAX_SAFE_INTEGER)) throw bad();
  return Number(kib);
}

export async function setmem(ctx: Context, ref: string, size: string, max: boolean, o: AffectOpts): Promise<Result> {
  const kib = parseVirshSize(size);
  if (kib < 1) throw new UsageError('invalid argument: the memory size must be more than 0');
  return withBackend(ctx, async (be) => {
    const dom = await loadDom(be, ref);
    const to = affected(dom, o);
    const cfg = dom.config ? structuredClone(dom.config) : null;
    if (to.config && cfg) {
      const b = cfg.b_info;
      if (max) {
        b.max_memkb = kib;
        // the boot-time memory cannot exceed the new ceiling
        if ((b.target_memkb ?? kib) > kib) b.target_memkb = kib;
      } else {
        const ceiling = b.max_memkb ?? b.target_memkb ?? kib;
        if (kib > ceiling) throw new OperationError('invalid argument: cannot set memory higher than max memory');
        b.target_memkb = kib;
      }
    }
    if (to.live && !max) {
      // Xen holds a ballooning PV guest to its target plus a little; the ceiling the balloon may
      // reach is xenstore's static-max, which the live config gives as max_memkb
      const ceiling = Math.max(dom.live!.max_memkb, (await be.domainConfig(dom.live!.domid)).b_info?.max_memkb ?? 0);
      if (kib > ceiling) throw new OperationError('invalid argument: cannot set memory higher than max memory');
    }
    const data = { name: dom.name, [max ? 'max_memory_kib' : 'memory_kib']: kib, live: to.live, config: to.config };
    const where = [to.live ? 'live' : '', to.config ? 'config' : ''].filter(Boolean).join(' and ');
    if (ctx.dryRun) return dryRun(ctx, `set the ${max ? 'maximum memory' : 'memory'} of '${dom.name}' to ${kib} KiB (${where})`, data);
    if (to.live) {
      if (max) await be.setMaxMemory(dom.live!.domid, kib);
      else await be.setMemoryTarget(dom.live!.domid, kib);
    }
    if (to.config && cfg) await be.define(cfg);
    return { data, text: '' };
  });
}
