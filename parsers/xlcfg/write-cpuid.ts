// cpuid for the xl.cfg writer. The libxl string form ("host,sse3=0,...") is the readable
// one, so it is used when every masked bit has a one-bit name; otherwise the xend list
// form states each register mask as it is (and cannot hold MSR masks).

import type { DomainConfig } from '../../src/core/model.js';
import { CPUID_FEATURE_BITS } from './cpuid-names.js';
import { FIELDS, WORDS } from './map-cpuid.js';
import type { Out } from './write-out.js';

type Reg = 'eax' | 'ebx' | 'ecx' | 'edx';
interface Leaf { leaf: number; subleaf?: number; eax?: string; ebx?: string; ecx?: string; edx?: string }
interface Msr { index: number; policy: string }

let names: Map<string, string> | undefined;

/** "leaf/subleaf/reg/bit" or "msr/index/bit" -> the name libxl reads for that one bit. */
function bitNames(): Map<string, string> {
  if (names) return names;
  names = new Map();
  for (const [name, [leaf, sub, reg, bit, len]] of Object.entries(FIELDS)) {
    const k = `${leaf}/${sub ?? ''}/${reg}/${bit}`;
    if (len === 1 && !names.has(k)) names.set(k, name);
  }
  for (const [name, n] of Object.entries(CPUID_FEATURE_BITS)) {
    if (FIELDS[name]) continue; // libxl would read this name as the field of the same name
    const w = WORDS[Math.floor(n / 32)]!;
    const k = w[0] === 'msr' ? `msr/${w[1]}/${(n % 32) + (w[2] === 'hi' ? 32 : 0)}` : `${w[0]}/${w[1] ?? ''}/${w[2]}/${n % 32}`;
    if (!names.has(k)) names.set(k, name);
  }
  return names;
}

function stringForm(leaves: Leaf[], msrs: Msr[]): string | undefined {
  const n = bitNames();
  const items: string[] = [];
  for (const l of leaves) {
    const regs = (['eax', 'ebx', 'ecx', 'edx'] as Reg[]).filter((r) => l[r] !== undefined);
    if (!regs.length) return undefined;
    for (const r of regs) {
      const mask = l[r]!;
      const base = `${l.leaf}/${l.subleaf ?? ''}/${r}`;
      const set = [...mask].map((ch, i) => [ch, 31 - i] as const).filter(([ch]) => ch !== 'x');
      if (!set.length) {
        // an all-"x" register still exists in the policy: name any bit of it with "x"
        const any = Array.from({ length: 32 }, (_, b) => n.get(`${base}/${b}`)).find((x) => x !== undefined);
        if (!any) return undefined;
        items.push(`${any}=x`);
      }
      for (const [ch, bit] of set) {
        const name = n.get(`${base}/${bit}`);
        if (!name) return undefined;
        items.push(`${name}=${ch}`);
      }
    }
  }
  for (const m of msrs) {
    const set = [...m.policy].map((ch, i) => [ch, 63 - i] as const).filter(([ch]) => ch !== 'x');
    if (!set.length) return undefined;
    for (const [ch, bit] of set) {
      const name = n.get(`msr/${m.index}/${bit}`);
      if (!name) return undefined;
      items.push(`${name}=${ch}`);
    }
  }
  return ['host', ...items].join(',');
}

export function writeCpuid(out: Out, cfg: DomainConfig): void {
  const p = cfg.b_info.cpuid as { cpuid?: Leaf[]; msr?: Msr[] } | undefined;
  if (!p) return;
  const leaves = p.cpuid ?? [];
  const msrs = p.msr ?? [];
  const s = stringForm(leaves, msrs);
  if (s !== undefined) {
    out.set('cpuid', s);
    return;
  }
  if (msrs.length) out.note(`cpuid MSR policies (${msrs.map((m) => `0x${m.index.toString(16)}`).join(', ')}) next to leaves that have no flag names`);
  const lines = leaves.map((l) => {
    const head = `0x${l.leaf.toString(16)}${l.subleaf !== undefined ? `,${l.subleaf}` : ''}:`;
    return head + (['eax', 'ebx', 'ecx', 'edx'] as const).filter((r) => l[r] !== undefined).map((r) => `${r}=${l[r]}`).join(',');
  });
  if (lines.length) out.list('cpuid', lines);
}
