// The device lists of an xl.cfg (disk, vif, pci, vfb, vkb, channel, vtpm, p9, pvcalls,
// vdispl, vsnd, usbctrl, usbdev, dtdev) and the keys that shape them (pci_*, rdm).
// Each spec string is read by parsers/devices; here is what xl adds around them: the
// devid numbering, xl.conf's vif defaults, the pci globals, a vkb for every vfb.

import type { Pci } from '../../src/core/model.js';
import {
  parseChannel, parseDisk, parseP9, parsePci, parsePvcalls, parseUsbctrl, parseUsbdev, parseVdispl, parseVfb, parseVif,
  parseVkb, parseVsnd, parseVtpm, type ReadOptions,
} from '../devices/index.js';
import { getLong } from './access.js';
import { failAt, failValue, hvm, listAtoms, originOf, setting, str, warnAt, type Ctx } from './map-ctx.js';
import type { Atom } from './syntax.js';

const opts = (c: Ctx): ReadOptions => ({ warnings: c.warnings, lenient: true });

/** Reads each item of a list key with `read`; `devid` numbers them as xl's ARRAY_EXTEND_INIT does. */
function each<T extends object>(c: Ctx, key: string, read: (spec: string, a: Atom) => T, devid: boolean): T[] | undefined {
  const items = listAtoms(c, key);
  if (!items) return undefined;
  return items.map((a, i) => (devid ? { devid: i, ...read(a.text, a) } : read(a.text, a)));
}

/** rdm=, the pci_* globals, pci= and dtdev=, which xl reads before the other devices. */
export function mapPci(c: Ctx): void {
  const flag = (key: string) => {
    const l = getLong(c.cfg, key);
    return l === undefined ? undefined : l !== 0;
  };
  const defaults: Partial<Pci> = {};
  for (const [key, field] of [['pci_msitranslate', 'msitranslate'], ['pci_power_mgmt', 'power_mgmt'], ['pci_permissive', 'permissive'], ['pci_seize', 'seize']] as const) {
    const f = flag(key);
    if (f) defaults[field] = true;
  }
  const rdm = str(c, 'rdm');
  let strategy: 'host' | undefined;
  let policy: 'strict' | 'relaxed' | undefined;
  if (rdm !== undefined) ({ strategy, policy } = parseRdm(c, rdm));
  // For a PV or PVH guest xl still reads the policy from the HVM part of b_info, which is
  // all zeroes there: "strict".
  c.rdmPolicy = policy ?? (c.type === 'hvm' ? 'invalid' : 'strict');
  if (c.type === 'hvm' && (strategy || policy)) hvm(c).rdm = { strategy, policy };
  defaults.rdm_policy = c.rdmPolicy;
  const pcis = each(c, 'pci', (s, a) => parsePci(s, originOf(c, a), defaults, opts(c)), false);
  if (pcis) {
    c.m.pcidevs = pcis;
    if (pcis.length && c.type === 'pv') c.m.b_info['type.pv']!.e820_host = 'True';
  }
  const dt = listAtoms(c, 'dtdev');
  if (dt) c.m.dtdevs = dt.map((a) => ({ path: a.text }));
}

function parseRdm(c: Ctx, text: string): { strategy?: 'host'; policy?: 'strict' | 'relaxed' } {
  const out: { strategy?: 'host'; policy?: 'strict' | 'relaxed' } = {};
  const hint = 'write rdm = "strategy=host,policy=relaxed" (policy is strict or relaxed)';
  if (text === '') failAt(c, 'rdm', 'empty rdm option', hint);
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = part.slice(eq + 1);
    if (eq < 0) failAt(c, 'rdm', `rdm option "${part}" has no value`, hint);
    else if (k === 'strategy') out.strategy = v === 'host' ? v : failAt(c, 'rdm', `unknown RDM strategy option: ${v}`, hint);
    else if (k === 'policy') out.policy = v === 'strict' || v === 'relaxed' ? v : failAt(c, 'rdm', `unknown RDM property policy value: ${v}`, hint);
    else failAt(c, 'rdm', `unknown RDM state option: ${k}`, hint);
  }
  return out;
}

export function mapDevices(c: Ctx): void {
  const m = c.m;
  const o = () => opts(c);
  m.disks = each(c, 'disk', (s, a) => parseDisk(s, originOf(c, a), o()), false);
  m.p9s = each(c, 'p9', (s, a) => parseP9(s, originOf(c, a), o()), false);
  m.vtpms = each(c, 'vtpm', (s, a) => parseVtpm(s, originOf(c, a), o()), true);
  m.vdispls = each(c, 'vdispl', (s, a) => parseVdispl(s, originOf(c, a), o()), true);
  m.pvcallsifs = each(c, 'pvcalls', (s, a) => parsePvcalls(s, originOf(c, a), o()), true);
  mapVsnd(c);
  m.channels = each(c, 'channel', (s, a) => parseChannel(s, originOf(c, a), o()), true);
  const vifDefaults = { script: c.xlconf.vifScript, bridge: c.xlconf.vifBridge, gatewaydev: c.xlconf.vifGatewaydev, backend: c.xlconf.vifBackend };
  m.nics = each(c, 'vif', (s, a) => parseVif(s, originOf(c, a), vifDefaults, o()), true);
  if (setting(c, 'vif2')) warnAt(c, 'vif2', 'vif2: netchannel2 is deprecated and not supported by xl (ignored)', 'use vif');
  m.vfbs = each(c, 'vfb', (s, a) => parseVfb(s, originOf(c, a), o()), true);
  if (m.vfbs) m.vkbs = m.vfbs.map((_, i) => ({ devid: i }));
  m.usbctrls = each(c, 'usbctrl', (s, a) => parseUsbctrl(s, originOf(c, a), o()), true);
  m.usbdevs = each(c, 'usbdev', (s, a) => parseUsbdev(s, originOf(c, a), o()), false);
}

function mapVsnd(c: Ctx): void {
  const s = setting(c, 'vsnd');
  if (!s) return;
  if (s.value.kind !== 'list') failValue(c, s.value, '`vsnd` takes a list of cards, each a list of strings', "e.g. vsnd = [ ['CARD, short-name=Main', 'PCM, name=Main', 'STREAM, unique-id=0, type=p'] ]");
  c.m.vsnds = s.value.items.map((card, i) => {
    if (card.kind !== 'list') return failValue(c, card, 'a vsnd card must be a list of strings', "e.g. [ 'CARD, short-name=Main', 'PCM, name=Main', 'STREAM, unique-id=0, type=p' ]");
    const atoms = card.items.map((v) => (v.kind === 'atom' ? v : failValue(c, v, 'a vsnd card item must be a string, not a list', 'a card is one flat list: [ \'CARD, ...\', \'PCM, ...\', \'STREAM, ...\' ]')));
    return { devid: i, ...parseVsnd(atoms.map((a) => a.text), atoms.map((a) => originOf(c, a)), opts(c)) };
  });
}

/** vkb=, read last among the devices; its devids continue after the vkbs made for vfbs. */
export function mapVkbs(c: Ctx): void {
  const items = listAtoms(c, 'vkb');
  if (!items) return;
  const vkbs = (c.m.vkbs ??= []);
  for (const a of items) vkbs.push({ devid: vkbs.length, ...parseVkb(a.text, originOf(c, a), opts(c)) });
}
