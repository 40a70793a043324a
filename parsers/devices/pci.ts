// xl's PCI_SPEC_STRING (xl-pci-configuration(5)), as libxlutil 4.17.7 reads it:
//   [[DDDD:]BB:DD.F|BB:DD.*][@VSLOT][,key=value...]   or   name=NAME[,key=value...]
// The function may be `*` (all functions: vfunc_mask becomes ~0). Keys are matched
// exactly (no spaces are skipped), and exactly one of a BDF and name= must be present.
import type { Pci } from '../../src/core/model.js';
import { atoi, scanHex } from './cnum.js';
import { SpecReporter, unrepresentable, type ReadOptions, type SpecOrigin } from './origin.js';

export const PCI_FUNC_ALL = 0xffffffff;
type Policy = NonNullable<Pci['rdm_policy']>;
const POLICIES: Policy[] = ['invalid', 'strict', 'relaxed'];

interface Bdf { domain: number; bus: number; dev: number; func: number; vfunc_mask: number; end: number }

const isXdigit = (c: string | undefined) => c !== undefined && /[0-9a-fA-F]/.test(c);

/** [DDDD:]BB:DD.F or BB:DD.* at `start`; null where xl's parse_bdf fails. */
function parseBdf(s: string, start: number): Bdf | null {
  let colons = 0;
  for (let i = start; i < s.length && (isXdigit(s[i]) || s[i] === ':'); i++) if (s[i] === ':') colons++;
  if (colons !== 1 && colons !== 2) return null;
  const fields: number[] = [];
  let i = start;
  for (let k = 0; k < colons + 1; k++) {
    const r = scanHex(s, i);
    if (!r) return null;
    fields.push(r.value);
    i = r.end;
    const sep = k < colons ? ':' : '.';
    if (s[i] !== sep) return null;
    i++;
  }
  const [domain, bus, dev] = colons === 2 ? fields : [0, ...fields];
  if (domain! > 0xffff || bus! > 0xff || dev! > 0x1f) return null;
  if (s[i] === '*') return { domain: domain!, bus: bus!, dev: dev!, func: 0, vfunc_mask: PCI_FUNC_ALL, end: i + 1 };
  const f = scanHex(s, i);
  if (!f || f.value > 7) return null;
  return { domain: domain!, bus: bus!, dev: dev!, func: f.value, vfunc_mask: 1, end: f.end };
}

function applyBdf(p: Pci, b: Bdf): void {
  p.domain = b.domain;
  p.bus = b.bus;
  p.dev = b.dev;
  p.func = b.func;
  p.vfunc_mask = b.vfunc_mask;
}

/** @VSLOT: a hex slot number up to 0x1f, stored as devfn. */
function parseVslot(s: string, start: number): { vdevfn: number; end: number } | null {
  const r = scanHex(s, start);
  if (!r || r.value > 0x1f) return null;
  return { vdevfn: r.value << 3, end: r.end };
}

/**
 * Reads one pci= list item or `xl pci-attach` spec. `defaults` are the per-config
 * pci_permissive / pci_msitranslate / pci_seize / pci_power_mgmt and the rdm policy
 * that xl copies into every device before reading its spec.
 */
export function parsePci(spec: string, origin?: SpecOrigin, defaults: Partial<Pci> = {}, opts: ReadOptions = {}): Pci {
  const rep = new SpecReporter(spec, origin, 'pci');
  const fail: (at: number, len: number, msg: string) => never = (at, len, msg) =>
    rep.fail(at, len, msg, 'expected [DDDD:]BB:DD.F[@VSLOT][,key=value...], see xl-pci-configuration(5)');
  const p: Pci = { ...defaults };
  let bdfPresent = false;
  let namePresent = false;
  let i = 0;

  const b = parseBdf(spec, 0);
  if (b) {
    bdfPresent = true;
    applyBdf(p, b);
    i = b.end;
    if (spec[i] === '@') {
      const v = parseVslot(spec, i + 1);
      if (!v) fail(i + 1, 1, 'invalid virtual slot (expected a hex number up to 1f)');
      p.vdevfn = v.vdevfn;
      i = v.end;
    }
    if (spec[i] === ',') i++;
    else if (i < spec.length) fail(i, spec.length - i, `unexpected \`${spec.slice(i)}' after the BDF`);
  }

  while (i < spec.length) {
    const eq = spec.indexOf('=', i);
    if (eq < 0) fail(i, spec.length - i, bdfPresent || i > 0 ? `expected key=value, found \`${spec.slice(i)}'` : `invalid BDF \`${spec}'`);
    let end = spec.indexOf(',', eq + 1);
    if (end < 0) end = spec.length;
    const key = spec.slice(i, eq);
    const val = spec.slice(eq + 1, end);
    const vat = eq + 1;
    switch (key) {
      case 'bdf': {
        // xl ignores whatever follows the BDF inside bdf=
        const bb = parseBdf(val, 0);
        if (!bb) fail(vat, Math.max(1, val.length), `invalid BDF \`${val}'`);
        applyBdf(p, bb);
        bdfPresent = true;
        break;
      }
      case 'vslot': {
        const v = parseVslot(val, 0);
        if (!v) fail(vat, Math.max(1, val.length), `invalid vslot \`${val}' (expected a hex number up to 1f)`);
        p.vdevfn = v.vdevfn;
        break;
      }
      case 'permissive': case 'msitranslate': case 'seize': case 'power_mgmt':
        p[key] = atoi(val) !== 0;
        break;
      case 'rdm_policy': {
        const pol = POLICIES.find((x) => x === val.toLowerCase());
        if (!pol) fail(vat, Math.max(1, val.length), `unknown RDM policy \`${val}' (expected strict or relaxed)`);
        p.rdm_policy = pol;
        break;
      }
      case 'name':
        namePresent = true;
        p.name = val;
        break;
      default:
        fail(i, Math.max(1, key.length), `unknown PCI_SPEC_STRING option \`${key}'`);
    }
    i = end < spec.length ? end + 1 : end;
  }
  if (bdfPresent && namePresent) fail(0, spec.length, 'give either a BDF or name=, not both');
  if (!bdfPresent && !namePresent) fail(0, Math.max(1, spec.length), spec ? `invalid BDF \`${spec}'` : 'empty PCI spec');
  rep.flushWarnings(opts.warnings);
  return tidy(p);
}

function tidy(p: Pci): Pci {
  const out: Pci = {};
  if (p.func) out.func = p.func;
  if (p.dev) out.dev = p.dev;
  if (p.bus) out.bus = p.bus;
  if (p.domain) out.domain = p.domain;
  if (p.vdevfn) out.vdevfn = p.vdevfn;
  if (p.vfunc_mask) out.vfunc_mask = p.vfunc_mask;
  if (p.msitranslate) out.msitranslate = true;
  if (p.power_mgmt) out.power_mgmt = true;
  if (p.permissive) out.permissive = true;
  if (p.seize) out.seize = true;
  if (p.rdm_policy && p.rdm_policy !== 'invalid') out.rdm_policy = p.rdm_policy;
  if (p.name !== undefined) out.name = p.name;
  return out;
}

const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');

/** The canonical spec xl reads back into this device (flags equal to `defaults` are left out). */
export function formatPci(p: Pci, defaults: Partial<Pci> = {}): string {
  const no = (why: string) => unrepresentable('pci', why);
  const parts: string[] = [];
  const hasBdf = p.name === undefined;
  if (hasBdf) {
    const { domain = 0, bus = 0, dev = 0, func = 0, vfunc_mask = 0 } = p;
    if (domain < 0 || domain > 0xffff || bus > 0xff || dev > 0x1f || func > 7) no('BDF out of range');
    let f: string;
    if (vfunc_mask === PCI_FUNC_ALL && func === 0) f = '*';
    else if (vfunc_mask === 1) f = hex(func, 1);
    else return no(`vfunc_mask ${vfunc_mask} with function ${func}`);
    let bdf = `${hex(domain, 4)}:${hex(bus, 2)}:${hex(dev, 2)}.${f}`;
    if (p.vdevfn) {
      if (p.vdevfn % 8 !== 0 || p.vdevfn > 0x1f << 3) no(`vdevfn ${p.vdevfn} is not a slot`);
      bdf += `@${hex(p.vdevfn >> 3, 2)}`;
    }
    parts.push(bdf);
  } else {
    if (p.func || p.dev || p.bus || p.domain || p.vfunc_mask) no('both a name and a BDF');
    if (p.name!.includes(',')) no('name contains a comma');
    if (p.vdevfn) {
      if (p.vdevfn % 8 !== 0 || p.vdevfn > 0x1f << 3) no(`vdevfn ${p.vdevfn} is not a slot`);
      parts.push(`vslot=${hex(p.vdevfn >> 3, 2)}`);
    }
  }
  for (const k of ['permissive', 'msitranslate', 'seize', 'power_mgmt'] as const) {
    if (Boolean(p[k]) !== Boolean(defaults[k])) parts.push(`${k}=${p[k] ? 1 : 0}`);
  }
  const pol = p.rdm_policy ?? 'invalid';
  if (pol !== (defaults.rdm_policy ?? 'invalid')) parts.push(`rdm_policy=${pol}`);
  if (!hasBdf) parts.push(`name=${p.name}`);
  return parts.join(',');
}
