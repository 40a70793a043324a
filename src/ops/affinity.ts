// What `vcpu-pin` asks of the hypervisor, decided before asking: xl's cpu-list words on a
// bitmap as libxl sizes it, xl.conf's global masks, and the refusals Xen would answer with
// EINVAL (which xl reports as "Could not set affinity for vcpu `N'" after a libxl error
// line) turned into one sentence that names the CPUs and the host's.
import { OperationError, UsageError } from '../core/errors.js';
import { formatCpuList, parseCpuList } from '../../parsers/devices/cpulist.js';

export interface PinHost {
  /** physinfo max_cpu_id + 1: CPUs beyond it do not exist, and it sizes the bitmaps */
  maxCpus: number;
  /** cpus of each NUMA node */
  nodes: number[][];
  /** the CPUs of the domain's cpupool, where its hard affinity must leave at least one */
  poolCpus: number[];
  poolName: string;
}

export interface PinRequest {
  vcpu: string;
  hard: string;
  /** absent: unchanged, as '-' */
  soft?: string;
  force?: boolean;
  /** xl.conf's vm.cpumask and the one for the domain's type (vm.pv.cpumask / vm.hvm.cpumask); absent = all */
  masks?: (string | undefined)[];
  domain: string;
}

export interface PinPlan {
  vcpu: number | 'all';
  /** as parsed (for -N, which prints them before the masks, as xl does) */
  parsed: { hard?: number[]; soft?: number[] };
  /** what goes to libxl */
  hard?: number[];
  soft?: number[];
  warnings: string[];
}

/** The vCPU word: a number or `all` (xl's strtol would also take `1x` as 1; txl says no). */
export function parseVcpuWord(word: string): number | 'all' {
  const m = /^\s*\+?(\d+)\s*$/.exec(word);
  if (m) return Number(m[1]);
  if (word === 'all') return 'all';
  throw new UsageError(`invalid argument '${word}' as VCPU`, "give a vCPU number, or 'all'");
}

export function planPin(req: PinRequest, host: PinHost): PinPlan {
  const vcpu = parseVcpuWord(req.vcpu);
  if (req.force && vcpu === 'all') throw new UsageError("--force and 'all' as VCPU not allowed", 'force one vCPU at a time');
  const topo = { nr_cpus: host.maxCpus, max_cpus: host.maxCpus, nodes: host.nodes };
  const word = (w: string | undefined, which: string) =>
    w === undefined || w === '-' ? undefined : parseCpuList(w, topo, { file: `${which} affinity`, line: 1, col: 1, excerpt: w });
  const hard = word(req.hard, 'hard');
  const soft = word(req.soft, 'soft');
  if (!hard && !soft) throw new UsageError("nothing to change: both affinities are '-'", 'e.g. txl vcpu-pin DOMAIN 0 all');
  const plan: PinPlan = { vcpu, parsed: { hard, soft }, hard, soft, warnings: [] };
  const who = vcpu === 'all' ? `the vCPUs of '${req.domain}'` : `vCPU ${vcpu} of '${req.domain}'`;
  if (hard) {
    let masked = hard;
    for (const m of req.masks ?? []) {
      if (m === undefined) continue;
      const allowed = new Set(parseCpuList(m, topo, { file: 'xl.conf', line: 1, col: 1, excerpt: m }));
      masked = masked.filter((c) => allowed.has(c));
    }
    if (!masked.length && hard.length) {
      throw new OperationError(`cannot pin ${who} to ${cpus(hard, host)}: the vcpu hard affinity map is empty after xl.conf's global masks`, 'see vm.cpumask, vm.pv.cpumask and vm.hvm.cpumask in /etc/xen/xl.conf, or use --ignore-global-affinity-masks');
    }
    plan.hard = masked;
    refuseUnreachable(who, masked, req.hard, host);
  }
  if (soft && !soft.some((c) => host.poolCpus.includes(c))) {
    plan.warnings.push(`all CPUs in the soft affinity of ${who} are unreachable (${req.soft}): only the hard affinity will be considered for scheduling`);
  }
  return plan;
}

/** Xen refuses a hard affinity with no CPU of the domain's cpupool. */
function refuseUnreachable(who: string, hard: number[], word: string, host: PinHost): void {
  if (hard.some((c) => host.poolCpus.includes(c))) return;
  // the sentence names the host's CPUs: no hint line, the refusal stays one line
  if (!hard.length) throw new OperationError(`cannot pin ${who}: '${word}' leaves no CPU for its hard affinity`);
  if (hard.every((c) => c >= host.maxCpus)) throw new OperationError(`cannot pin ${who} to ${cpus(hard, host)}: the host has CPUs 0-${host.maxCpus - 1}`);
  throw new OperationError(`cannot pin ${who} to ${cpus(hard, host)}: none is in its cpupool '${host.poolName}' (CPUs ${formatCpuList(host.poolCpus) || 'none'})`, "'txl cpupool-list -c' shows the CPUs of each cpupool");
}

/** "CPU 5" or "CPUs 2-3,6": the CPUs asked for (a bitmap's padding beyond the host left out when it has some on it). */
function cpus(bits: number[], host: PinHost): string {
  const on = bits.filter((c) => c < host.maxCpus);
  const shown = on.length ? on : bits;
  return `${shown.length === 1 ? 'CPU' : 'CPUs'} ${formatCpuList(shown)}`;
}
