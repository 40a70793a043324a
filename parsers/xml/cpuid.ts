// libvirt <cpu><feature> names -> the libxl cpuid policy that libxl_cpuid_parse_config would
// build from "name=0|1", in libxl's JSON shape ({cpuid: [leaves], msr: [...]}). The tables
// are facts taken from Xen 4.17 (libxl's named fields and the x86 featureset words).

/** libvirt feature name -> libxl name, where they differ (libvirt's xen_xl translation). */
const LIBVIRT_TO_LIBXL: Record<string, string> = {
  cx16: 'cmpxchg16', cid: 'cntxid', ds_cpl: 'dscpl', pclmuldq: 'pclmulqdq', pni: 'sse3', ht: 'htt',
  pn: 'psn', clflush: 'clfsh', sep: 'sysenter', cx8: 'cmpxchg8', nodeid_msr: 'nodeid', cr8legacy: 'altmovcr8',
  lahf_lm: 'lahfsahf', cmp_legacy: 'cmplegacy', fxsr_opt: 'ffxsr', pdpe1gb: 'page1gb', 'spec-ctrl': 'ibrsb',
};
export const LIBXL_TO_LIBVIRT: Record<string, string> = Object.fromEntries(Object.entries(LIBVIRT_TO_LIBXL).map(([a, b]) => [b, a]));

export function libxlFeatureName(libvirtName: string): string {
  return LIBVIRT_TO_LIBXL[libvirtName] ?? libvirtName;
}

const EAX = 0, EBX = 1, ECX = 2, EDX = 3;
const REGS = ['eax', 'ebx', 'ecx', 'edx'] as const;

/** libxl's own named cpuid fields: name -> [leaf, subleaf (-1: none), register, first bit, width] */
const NAMED: Record<string, [number, number, number, number, number]> = {
  maxleaf: [0, -1, EAX, 0, 32], stepping: [1, -1, EAX, 0, 4], brandid: [1, -1, EBX, 0, 8], clflush: [1, -1, EBX, 8, 8],
  proccount: [1, -1, EBX, 16, 8], localapicid: [1, -1, EBX, 24, 8], est: [1, -1, ECX, 7, 1], cntxid: [1, -1, ECX, 10, 1],
  cmpxchg16: [1, -1, ECX, 13, 1], sse4_1: [1, -1, ECX, 19, 1], 'sse4.1': [1, -1, ECX, 19, 1], sse4_2: [1, -1, ECX, 20, 1],
  'sse4.2': [1, -1, ECX, 20, 1], aes: [1, -1, ECX, 25, 1], cmpxchg8: [1, -1, EDX, 8, 1], sysenter: [1, -1, EDX, 11, 1],
  psn: [1, -1, EDX, 18, 1], clfsh: [1, -1, EDX, 19, 1], tm: [1, -1, EDX, 29, 1], ia64: [1, -1, EDX, 30, 1],
  pbe: [1, -1, EDX, 31, 1], arat: [6, -1, EAX, 2, 1], tsc_adjust: [7, 0, EBX, 1, 1], cmt: [7, 0, EBX, 12, 1],
  lahfsahf: [0x80000001, -1, ECX, 0, 1], cmplegacy: [0x80000001, -1, ECX, 1, 1], altmovcr8: [0x80000001, -1, ECX, 4, 1],
  nodeid: [0x80000001, -1, ECX, 19, 1], perfctr_core: [0x80000001, -1, ECX, 23, 1], perfctr_nb: [0x80000001, -1, ECX, 24, 1],
  procpkg: [4, 0, EAX, 26, 6], invtsc: [0x80000007, -1, EDX, 8, 1], ppin: [0x80000008, -1, EBX, 23, 1],
  'btc-no': [0x80000008, -1, EBX, 29, 1], nc: [0x80000008, -1, ECX, 0, 8], apicidsize: [0x80000008, -1, ECX, 12, 4],
  svm_npt: [0x8000000a, -1, EDX, 0, 1], svm_lbrv: [0x8000000a, -1, EDX, 1, 1], svm_nrips: [0x8000000a, -1, EDX, 3, 1],
  svm_tscrate: [0x8000000a, -1, EDX, 4, 1], svm_vmcbclean: [0x8000000a, -1, EDX, 5, 1], svm_decode: [0x8000000a, -1, EDX, 7, 1],
  svm_pausefilt: [0x8000000a, -1, EDX, 10, 1], 'lfence+': [0x80000021, -1, EAX, 2, 1], maxhvleaf: [0x40000000, -1, EAX, 0, 8],
};

/** Featureset words: [leaf, subleaf, register], or an MSR index for the MSR_ARCH_CAPS words. */
const WORDS: ([number, number, number] | { msr: number; high: boolean })[] = [
  [1, -1, EDX], [1, -1, ECX], [0x80000001, -1, EDX], [0x80000001, -1, ECX], [0xd, 1, EAX], [7, 0, EBX], [7, 0, ECX],
  [0x80000007, -1, EDX], [0x80000008, -1, EBX], [7, 0, EDX], [7, 1, EAX], [0x80000021, -1, EAX], [7, 1, EBX],
  [7, 2, EDX], [7, 1, ECX], [7, 1, EDX], { msr: 0x10a, high: false }, { msr: 0x10a, high: true }, [0x80000021, -1, ECX],
];

/** Xen 4.17's featureset names (lower case, '_' as '-') and their bit numbers. */
const FEATURESET = new Map<string, number>(
  `
  fpu:0 vme:1 de:2 pse:3 tsc:4 msr:5 pae:6 mce:7 cx8:8 apic:9 sep:11 mtrr:12 pge:13 mca:14 cmov:15 pat:16 
  pse36:17 clflush:19 ds:21 acpi:22 mmx:23 fxsr:24 sse:25 sse2:26 ss:27 htt:28 tm1:29 pbe:31 sse3:32 
  pclmulqdq:33 dtes64:34 monitor:35 dscpl:36 vmx:37 smx:38 eist:39 tm2:40 ssse3:41 fma:44 cx16:45 xtpr:46 
  pdcm:47 pcid:49 dca:50 sse4-1:51 sse4-2:52 x2apic:53 movbe:54 popcnt:55 tsc-deadline:56 aesni:57 xsave:58 
  osxsave:59 avx:60 f16c:61 rdrand:62 hypervisor:63 syscall:75 nx:84 mmxext:86 ffxsr:89 page1gb:90 rdtscp:91 
  lm:93 3dnowext:94 3dnow:95 lahf-lm:96 cmp-legacy:97 svm:98 extapic:99 cr8-legacy:100 abm:101 sse4a:102 
  misalignsse:103 3dnowprefetch:104 osvw:105 ibs:106 xop:107 skinit:108 wdt:109 lwp:111 fma4:112 nodeid-msr:115 
  tbm:117 topoext:118 dbext:122 monitorx:125 xsaveopt:128 xsavec:129 xgetbv1:130 xsaves:131 fsgsbase:160 
  tsc-adjust:161 sgx:162 bmi1:163 hle:164 avx2:165 fdp-excp-only:166 smep:167 bmi2:168 erms:169 invpcid:170 
  rtm:171 pqm:172 no-fpu-sel:173 mpx:174 pqe:175 avx512f:176 avx512dq:177 rdseed:178 adx:179 smap:180 
  avx512-ifma:181 clflushopt:183 clwb:184 proc-trace:185 avx512pf:186 avx512er:187 avx512cd:188 sha:189 
  avx512bw:190 avx512vl:191 prefetchwt1:192 avx512-vbmi:193 umip:194 pku:195 ospke:196 avx512-vbmi2:198 
  cet-ss:199 gfni:200 vaes:201 vpclmulqdq:202 avx512-vnni:203 avx512-bitalg:204 avx512-vpopcntdq:206 rdpid:214 
  cldemote:217 movdiri:219 movdir64b:220 enqcmd:221 hw-pstate:231 itsc:232 cpb:233 efro:234 clzero:256 
  rstr-fp-err-ptrs:258 wbnoinvd:265 ibpb:268 ibrs:270 amd-stibp:271 ibrs-always:272 stibp-always:273 
  ibrs-fast:274 ibrs-same-mode:275 no-lmsl:276 amd-ppin:279 amd-ssbd:280 virt-ssbd:281 ssb-no:282 psfd:284 
  btc-no:285 ibpb-ret:286 avx512-4vnniw:290 avx512-4fmaps:291 fsrm:292 avx512-vp2intersect:296 srbds-ctrl:297 
  md-clear:298 rtm-always-abort:299 tsx-force-abort:301 serialize:302 hybrid:303 tsxldtrk:304 cet-ibt:308 
  avx512-fp16:311 ibrsb:314 stibp:315 l1d-flush:316 arch-caps:317 core-caps:318 ssbd:319 avx-vnni:324 
  avx512-bf16:325 fzrm:330 fsrs:331 fsrcs:332 lfence-dispatch:354 verw-clear:357 nscb:358 auto-ibrs:360 
  sbpb:379 ibpb-brtype:380 srso-no:381 srso-us-no:382 srso-msr-fix:383 intel-ppin:384 intel-psfd:416 
  ipred-ctrl:417 rrsba-ctrl:418 bhi-ctrl:420 mcdt-no:421 cet-sss:498 rdcl-no:512 eibrs:513 rsba:514 
  skip-l1dfl:515 intel-ssb-no:516 mds-no:517 if-pschange-mc-no:518 tsx-ctrl:519 taa-no:520 mcu-ctrl:521 
  misc-pkg-ctrl:522 energy-filtering:523 doitm:524 sbdr-ssdp-no:525 fbsdp-no:526 psdp-no:527 fb-clear:529 
  fb-clear-ctrl:530 rrsba:531 bhi-no:532 xapic-status:533 ovrclk-status:535 pbrsb-no:536 gds-ctrl:537 
  gds-no:538 rfds-no:539 rfds-clear:540 its-no:574 tsa-sq-no:577 tsa-l1-no:578 
`
    .trim()
    .split(/\s+/)
    .map((w) => {
      const i = w.lastIndexOf(':');
      return [w.slice(0, i), Number(w.slice(i + 1))] as [string, number];
    }),
);

export interface CpuidLeaf { leaf: number; subleaf?: number; eax?: string; ebx?: string; ecx?: string; edx?: string }
export interface CpuidPolicyJson { cpuid: CpuidLeaf[]; msr: { index: number; policy: string }[] }

export function isKnownFeature(libxlName: string): boolean {
  return libxlName in NAMED || FEATURESET.has(libxlName);
}

/** Applies "name=value" (value '0', '1', 'x', 'k' or 's') as libxl does; false if the name is unknown. */
export function cpuidSet(policy: CpuidPolicyJson, libxlName: string, value: '0' | '1' | 'x' | 'k' | 's'): boolean {
  let place: [number, number, number, number, number] | undefined = NAMED[libxlName];
  if (!place) {
    const bit = FEATURESET.get(libxlName);
    if (bit === undefined) return false;
    const word = WORDS[bit >> 5];
    if (!word) return false;
    if (!Array.isArray(word)) {
      let m = policy.msr.find((e) => e.index === word.msr);
      if (!m) policy.msr.push((m = { index: word.msr, policy: 'x'.repeat(64) }));
      const b = (bit & 31) + (word.high ? 32 : 0);
      const chars = m.policy.split('');
      chars[63 - b] = value === 's' ? 'k' : value;
      m.policy = chars.join('');
      return true;
    }
    place = [word[0], word[1], word[2], bit & 31, 1];
  }
  const [leaf, subleaf, reg, bit, width] = place;
  let entry = policy.cpuid.find((e) => e.leaf === leaf && (e.subleaf ?? -1) === subleaf);
  if (!entry) {
    entry = subleaf < 0 ? { leaf } : { leaf, subleaf };
    policy.cpuid.push(entry);
  }
  const name = REGS[reg];
  const chars = (entry[name] ?? 'x'.repeat(32)).split('');
  const fill = value === '0' || value === '1' ? (width === 1 ? value : value.padStart(width, '0')) : value.repeat(width);
  for (let i = 0; i < width; i++) chars[32 - width - bit + i] = fill[i];
  entry[name] = chars.join('');
  return true;
}

/** The bit positions libvirt can name, from a policy: the reverse of cpuidSet for 1-bit features. */
export function cpuidFeatures(policy: unknown): { name: string; value: '0' | '1' }[] {
  const p = policy as Partial<CpuidPolicyJson> | CpuidLeaf[] | undefined;
  const leaves = Array.isArray(p) ? p : p?.cpuid ?? [];
  const msrs = Array.isArray(p) ? [] : p?.msr ?? [];
  const out: { name: string; value: '0' | '1' }[] = [];
  const byPlace = reverseIndex();
  for (const l of leaves) {
    REGS.forEach((reg, ri) => {
      const s = l[reg];
      if (!s) return;
      for (let i = 0; i < 32; i++) {
        const c = s[i];
        if (c !== '0' && c !== '1') continue;
        const name = byPlace.get(`${l.leaf}/${l.subleaf ?? -1}/${ri}/${31 - i}`);
        if (name) out.push({ name: LIBXL_TO_LIBVIRT[name] ?? name, value: c });
      }
    });
  }
  for (const m of msrs) {
    for (let i = 0; i < 64; i++) {
      const c = m.policy[i];
      const name = byPlace.get(`msr${m.index}/${63 - i}`);
      if ((c === '0' || c === '1') && name) out.push({ name, value: c });
    }
  }
  return out;
}

let reverse: Map<string, string> | undefined;
function reverseIndex(): Map<string, string> {
  if (reverse) return reverse;
  reverse = new Map();
  for (const [name, bit] of FEATURESET) {
    const word = WORDS[bit >> 5];
    if (!word) continue;
    if (Array.isArray(word)) reverse.set(`${word[0]}/${word[1]}/${word[2]}/${bit & 31}`, name);
    else reverse.set(`msr${word.msr}/${(bit & 31) + (word.high ? 32 : 0)}`, name);
  }
  // libxl's own names win where both exist (they are the ones libvirt's table speaks of)
  for (const [name, [leaf, sub, reg, bit, width]] of Object.entries(NAMED)) {
    if (width === 1) reverse.set(`${leaf}/${sub}/${reg}/${bit}`, name);
  }
  return reverse;
}
