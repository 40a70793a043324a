// cpuid= in both of xl's syntaxes: the libxl string "host,feature=value,..." and the list of
// xend-style "leaf[,subleaf]:eax=<32 chars>,..." lines, into libxl's cpuid policy (one
// 32-character mask per register, bit 31 first, plus 64-character MSR masks).

import { CPUID_FEATURE_BITS } from './cpuid-names.js';
import { failValue, listAtoms, setting, type Ctx } from './map-ctx.js';
import type { Value } from './syntax.js';

type Reg = 'eax' | 'ebx' | 'ecx' | 'edx';
interface Leaf { leaf: number; subleaf?: number; eax?: string; ebx?: string; ecx?: string; edx?: string }
interface Policy { cpuid: Leaf[]; msr: { index: number; policy: string }[] }

/** Named fields libxl knows besides the feature flags: [leaf, subleaf, register, first bit, width]. */
export const FIELDS: Record<string, [number, number | undefined, Reg, number, number]> = {
  maxleaf: [0, undefined, 'eax', 0, 32], stepping: [1, undefined, 'eax', 0, 4], model: [1, undefined, 'eax', 4, 8],
  family: [1, undefined, 'eax', 8, 8], brandid: [1, undefined, 'ebx', 0, 8], clflush: [1, undefined, 'ebx', 8, 8],
  proccount: [1, undefined, 'ebx', 16, 8], localapicid: [1, undefined, 'ebx', 24, 8], est: [1, undefined, 'ecx', 7, 1],
  cntxid: [1, undefined, 'ecx', 10, 1], cmpxchg16: [1, undefined, 'ecx', 13, 1], sse4_1: [1, undefined, 'ecx', 19, 1],
  'sse4.1': [1, undefined, 'ecx', 19, 1], sse4_2: [1, undefined, 'ecx', 20, 1], 'sse4.2': [1, undefined, 'ecx', 20, 1],
  aes: [1, undefined, 'ecx', 25, 1], cmpxchg8: [1, undefined, 'edx', 8, 1], sysenter: [1, undefined, 'edx', 11, 1],
  psn: [1, undefined, 'edx', 18, 1], clfsh: [1, undefined, 'edx', 19, 1], tm: [1, undefined, 'edx', 29, 1],
  ia64: [1, undefined, 'edx', 30, 1], pbe: [1, undefined, 'edx', 31, 1], arat: [6, undefined, 'eax', 2, 1],
  tsc_adjust: [7, 0, 'ebx', 1, 1], cmt: [7, 0, 'ebx', 12, 1], lahfsahf: [0x80000001, undefined, 'ecx', 0, 1],
  cmplegacy: [0x80000001, undefined, 'ecx', 1, 1], altmovcr8: [0x80000001, undefined, 'ecx', 4, 1],
  nodeid: [0x80000001, undefined, 'ecx', 19, 1], perfctr_core: [0x80000001, undefined, 'ecx', 23, 1],
  perfctr_nb: [0x80000001, undefined, 'ecx', 24, 1], procpkg: [4, 0, 'eax', 26, 6], invtsc: [0x80000007, undefined, 'edx', 8, 1],
  ppin: [0x80000008, undefined, 'ebx', 23, 1], 'btc-no': [0x80000008, undefined, 'ebx', 29, 1], nc: [0x80000008, undefined, 'ecx', 0, 8],
  apicidsize: [0x80000008, undefined, 'ecx', 12, 4], svm_npt: [0x8000000a, undefined, 'edx', 0, 1],
  svm_lbrv: [0x8000000a, undefined, 'edx', 1, 1], svm_nrips: [0x8000000a, undefined, 'edx', 3, 1],
  svm_tscrate: [0x8000000a, undefined, 'edx', 4, 1], svm_vmcbclean: [0x8000000a, undefined, 'edx', 5, 1],
  svm_decode: [0x8000000a, undefined, 'edx', 7, 1], svm_pausefilt: [0x8000000a, undefined, 'edx', 10, 1],
  'lfence+': [0x80000021, undefined, 'eax', 2, 1], maxhvleaf: [0x40000000, undefined, 'eax', 0, 8],
};

/** Where each 32-bit word of the featureset lives: a CPUID register, or half of an MSR. */
export const WORDS: ([number, number | undefined, Reg] | ['msr', number, 'lo' | 'hi'])[] = [
  [1, undefined, 'edx'], [1, undefined, 'ecx'], [0x80000001, undefined, 'edx'], [0x80000001, undefined, 'ecx'],
  [0xd, 1, 'eax'], [7, 0, 'ebx'], [7, 0, 'ecx'], [0x80000007, undefined, 'edx'], [0x80000008, undefined, 'ebx'],
  [7, 0, 'edx'], [7, 1, 'eax'], [0x80000021, undefined, 'eax'], [7, 1, 'ebx'], [7, 2, 'edx'], [7, 1, 'ecx'],
  [7, 1, 'edx'], ['msr', 0x10a, 'lo'], ['msr', 0x10a, 'hi'], [0x80000021, undefined, 'ecx'],
];

function leafOf(p: Policy, leaf: number, subleaf: number | undefined): Leaf {
  let e = p.cpuid.find((l) => l.leaf === leaf && l.subleaf === subleaf);
  if (!e) {
    e = subleaf === undefined ? { leaf } : { leaf, subleaf };
    p.cpuid.push(e);
  }
  return e;
}

const splice = (s: string, at: number, part: string) => s.slice(0, at) + part + s.slice(at + part.length);

/** libxl's cpuid_add: writes `val` (a number, or x/k/s for the whole field) into a register mask. */
function addField(p: Policy, name: string, [leaf, subleaf, reg, bit, len]: [number, number | undefined, Reg, number, number], val: string): boolean {
  const num = /^\s*[+-]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)/.exec(val);
  let n = 0n;
  let flags: string;
  if (num) {
    n = BigInt.asUintN(64, BigInt(num[1].startsWith('0') && !/^0[xX]/.test(num[1]) ? '0o' + (num[1].slice(1) || '0') : num[1]) * (num[0].trim().startsWith('-') ? -1n : 1n));
    flags = Array.from({ length: len }, (_, i) => ((n >> BigInt(len - 1 - i)) & 1n ? '1' : '0')).join('');
  } else if (val[0] === 'x' || val[0] === 'k' || val[0] === 's') {
    flags = val[0].repeat(len);
  } else return false;
  const e = leafOf(p, leaf, subleaf);
  let r = e[reg] ?? 'x'.repeat(32);
  if (name === 'family') {
    if (n < 16n) {
      r = splice(r, 28 - bit, flags.slice(4, 8));
      r = splice(r, 4, '00000000');
    } else {
      let m = n - 15n;
      r = splice(r, 28 - bit, '1111');
      const f = flags.split('');
      for (let i = 0; i < 7; i++) { f[7 - i] = m & 1n ? '1' : '0'; m >>= 1n; }
      r = splice(r, 4, f.join(''));
    }
  } else if (name === 'model') {
    r = splice(r, 12, flags.slice(0, 4));
    r = splice(r, 28 - bit, flags.slice(4, 8));
  } else {
    r = splice(r, 32 - len - bit, flags);
  }
  e[reg] = r;
  return true;
}

function addMsr(p: Policy, index: number, bit: number, val: string): boolean {
  if (val.length !== 1 || !'01xks'.includes(val)) return false;
  let e = p.msr.find((m) => m.index === index);
  if (!e) p.msr.push((e = { index, policy: 'x'.repeat(64) }));
  e.policy = splice(e.policy, 63 - bit, val === 's' ? 'k' : val);
  return true;
}

function hostFlag(c: Ctx, p: Policy, v: Value, item: string): void {
  const eq = item.indexOf('=');
  if (eq < 0) failValue(c, v, `cpuid flag "${item}": missing "=" in key=value`, 'write e.g. "host,sse3=0"');
  const name = item.slice(0, eq);
  const val = item.slice(eq + 1);
  const bad = () => failValue(c, v, `cpuid flag "${item}": illegal CPUID value (must be: [0|1|x|k|s])`, '0/1 force a bit, x leaves it to Xen, k keeps the host value, s keeps it across migration');
  const field = FIELDS[name];
  if (field) {
    if (!addField(p, name, field, val)) bad();
    return;
  }
  const bit = CPUID_FEATURE_BITS[name];
  if (bit === undefined) failValue(c, v, `cpuid flag "${item}": unknown CPUID flag name "${name}"`, 'names are those of Xen\'s cpufeatureset.h, lower case with "-" for "_", e.g. sse3, avx2, page1gb');
  const w = WORDS[Math.floor(bit / 32)]!;
  const ok = w[0] === 'msr'
    ? addMsr(p, w[1], (bit % 32) + (w[2] === 'hi' ? 32 : 0), val)
    : addField(p, name, [w[0], w[1], w[2], bit % 32, 1], val);
  if (!ok) bad();
}

function xendLine(c: Ctx, p: Policy, v: Value, line: string): void {
  const fail: (why: string) => never = (why) => failValue(c, v, `cpuid line "${line}": ${why}`, 'write "LEAF[,SUBLEAF]:eax=<32 x 0|1|x|k|s>,ebx=...", e.g. "0x1:ecx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx0"');
  const m = /^\s*[+-]?(0[xX][0-9a-fA-F]+|[0-9]+)(?:,\s*[+-]?(0[xX][0-9a-fA-F]+|[0-9]+))?/.exec(line);
  if (!m) fail('illegal leaf number');
  const num = (s: string) => Number(/^0[xX]/.test(s) ? BigInt(s) : /^0\d/.test(s) ? BigInt('0o' + s.slice(1)) : BigInt(s)) >>> 0;
  let rest = line.slice(m[0].length);
  if (m[2] === undefined && rest.startsWith(',')) fail('illegal subleaf number');
  if (!rest.startsWith(':')) fail('missing colon');
  const e = leafOf(p, num(m[1]), m[2] === undefined ? undefined : num(m[2]));
  rest = rest.slice(1);
  while (rest !== '') {
    const r = /^e([abcd])x=([^,]*)(,[ \n]*)?/.exec(rest);
    if (!r) fail('invalid register name (must be e[abcd]x)');
    if (r[2].length !== 32) fail('policy string must be exactly 32 characters long');
    e[`e${r[1]}x` as Reg] = r[2];
    rest = rest.slice(r[0].length);
  }
}

export function mapCpuid(c: Ctx): void {
  const s = setting(c, 'cpuid');
  if (!s) return;
  const p: Policy = { cpuid: [], msr: [] };
  if (s.value.kind === 'list') {
    for (const a of listAtoms(c, 'cpuid')!) xendLine(c, p, a, a.text);
  } else {
    const words = s.value.text.split(',').filter((w) => w !== '');
    if (!words.length) return;
    if (words[0] !== 'host') failValue(c, s.value, 'the cpuid string must start with "host"', `write cpuid = "host,${words.join(',')}"`);
    for (const w of words.slice(1)) hostFlag(c, p, s.value, w);
  }
  if (p.cpuid.length || p.msr.length) c.m.b_info.cpuid = p;
}
