// Checks of a config's keys against the key table (key-table.ts): unknown, deprecated, for
// another architecture or guest type, or in a deprecated form. xl ignores keys it does not
// know, so everything checkKeys reports is a warning.

import type { Diagnostic } from '../../src/core/errors.js';
import { suggest } from '../suggest.js';
import { diagAt, parseCLong } from './access.js';
import { KEY_TABLE, type GuestType, type KeyInfo } from './key-table.js';
import type { CfgFile, Setting } from './syntax.js';

export type { GuestType, KeyInfo, KeyType } from './key-table.js';

export const KNOWN_KEYS: ReadonlyMap<string, KeyInfo> = new Map(KEY_TABLE.map((k) => [k.name, k]));

// keys of the old xm/xend toolstack (and libvirt's xl writer) that xl never reads
const XM_ONLY: Record<string, string> = {
  parallel: 'xl has no parallel port option',
  vscsi: 'xl 4.17 has no vscsi devices',
  vncconsole: 'use xl create -V to start a viewer',
  monitor: 'xl has no qemu monitor option',
  on_xend_start: 'there is no xend with xl',
  on_xend_stop: 'there is no xend with xl',
  bootargs: 'use bootloader_args',
  vcpu_avail: 'use vcpus and maxvcpus',
};

export function keyInfo(name: string): KeyInfo | undefined {
  return KNOWN_KEYS.get(name);
}

/** The guest type xl will build for this config, as xl reads `type` and `builder`. */
export function guestTypeOf(cfg: CfgFile, arch: 'x86' | 'arm' = 'x86'): GuestType | undefined {
  const pick = (key: string, names: Array<[string, GuestType]>): GuestType | null | undefined => {
    const s = cfg.settings.get(key);
    if (!s) return undefined;
    if (s.value.kind !== 'atom') return null;
    const text = s.value.text;
    // xl compares with strncmp over the given length, so a prefix ("h", even "") matches
    for (const [n, t] of names) if (n.startsWith(text)) return t;
    return null;
  };
  const type = pick('type', [['hvm', 'hvm'], ['pv', 'pv'], ['pvh', 'pvh']]);
  if (type === null) return undefined;
  const builder = pick('builder', [['hvm', 'hvm'], ['generic', 'pv']]);
  if (builder === null) return undefined;
  return type ?? builder ?? (arch === 'arm' ? 'pvh' : 'pv');
}

const TYPE_NAMES: Record<GuestType, string> = { pv: 'PV', pvh: 'PVH', hvm: 'HVM' };

export function checkKeys(cfg: CfgFile, opts: { arch?: 'x86' | 'arm' } = {}): Diagnostic[] {
  const arch = opts.arch ?? 'x86';
  const out: Diagnostic[] = [];
  const guest = guestTypeOf(cfg, arch);
  const warn = (s: Setting, message: string, hint?: string) =>
    out.push(diagAt(cfg, s.keyPos, message, hint, s.key.length, 'warning'));
  const valueWarn = (s: Setting, message: string, hint?: string) =>
    out.push(diagAt(cfg, s.value.pos, message, hint, s.value.end.line === s.value.pos.line ? s.value.end.offset - s.value.pos.offset : 1, 'warning'));

  for (const s of cfg.settings.values()) {
    const info = KNOWN_KEYS.get(s.key);
    if (!info) {
      const xm = XM_ONLY[s.key];
      if (xm) { warn(s, `\`${s.key}\` is an xm (xend) key that xl ignores`, xm); continue; }
      const near = suggest(s.key, KNOWN_KEYS.keys());
      warn(s, `unknown key \`${s.key}\``, near ? `did you mean \`${near}\`? (xl ignores unknown keys)` : 'xl ignores unknown keys');
      continue;
    }
    if (info.deprecated) {
      const d = info.deprecated;
      warn(s, `\`${s.key}\` is deprecated${d.use ? `; use \`${d.use}\`` : ''}`, d.note);
    }
    if (info.arch && info.arch !== arch) {
      warn(s, `\`${s.key}\` is only used on ${info.arch === 'arm' ? 'Arm' : 'x86'} hosts`, `xl on ${arch === 'arm' ? 'Arm' : 'x86'} ignores it or fails`);
    } else if (guest && !info.applies.includes(guest)) {
      const where = info.applies.map((t) => TYPE_NAMES[t]).join('/');
      warn(s, `\`${s.key}\` has no effect on a ${TYPE_NAMES[guest]} guest`, `it applies to ${where} guests; this config's type is ${guest}`);
    }
    checkForm(s, guest, valueWarn);
  }

  const cmdline = cfg.settings.get('cmdline');
  if (cmdline) for (const k of ['root', 'extra']) {
    const s = cfg.settings.get(k);
    if (s) warn(s, `\`${k}\` is ignored because \`cmdline\` is set`, `put everything in cmdline (line ${cmdline.keyPos.line})`);
  }
  return out.sort((a, b) => a.line - b.line || a.col - b.col);
}

/** Value forms that xl still accepts but xl.cfg(5) calls deprecated. */
function checkForm(s: Setting, guest: GuestType | undefined, warn: (s: Setting, m: string, h?: string) => void): void {
  const v = s.value;
  if (v.kind !== 'atom') return;
  const isNumber = parseCLong(v.text).ok;
  switch (s.key) {
    case 'tsc_mode':
    case 'timer_mode':
      if (isNumber && s.op === '=') warn(s, `\`${s.key}\` given as a number is deprecated`, 'use the named mode, e.g. ' + (s.key === 'tsc_mode' ? 'tsc_mode="default"' : 'timer_mode="no_delay_for_missed_ticks"'));
      break;
    case 'bootloader_args':
      warn(s, '`bootloader_args` as a single string is deprecated', 'use a list: bootloader_args = [ "arg1", "arg2" ]');
      break;
    case 'usbdevice':
      warn(s, '`usbdevice` as a single string is the old form', `use a list: usbdevice = [ ${JSON.stringify(v.text)} ]`);
      break;
    case 'kernel':
      if (guest === 'hvm' && /(^|\/)hvmloader$/.test(v.text)) warn(s, 'xl ignores kernel="…hvmloader" for HVM guests', 'use firmware_override for a non-default hvmloader');
      break;
  }
}
