// vfb= and vkb= specs (xl.cfg(5)). For vfb, xl ignores unknown keys and stops at the
// first piece without '=' (txl warns about both); vkb rejects anything it does not know.
// In a config, xl also adds one vkb for every vfb: that is the config mapping's job.
import type { Vfb, Vkb, Defbool } from '../../src/core/model.js';
import { atoi, strtoul, toUint32 } from './cnum.js';
import { commaTokens, compact, keyValuesUntilBare, piece } from './common.js';
import { SpecReporter, unrepresentable, type ReadOptions, type SpecOrigin } from './origin.js';

const flag = (v: string): Defbool => (atoi(v) ? 'True' : 'False');

export function parseVfb(spec: string, origin?: SpecOrigin, opts: ReadOptions = {}): Vfb {
  const rep = new SpecReporter(spec, origin, 'vfb');
  const vnc: NonNullable<Vfb['vnc']> = {};
  const sdl: NonNullable<Vfb['sdl']> = {};
  let keymap: string | undefined;
  for (const { key, value, at } of keyValuesUntilBare(spec, rep, 'vfb')) {
    switch (key) {
      case 'vnc': vnc.enable = flag(value); break;
      case 'vnclisten': vnc.listen = value; break;
      case 'vncpasswd': vnc.passwd = value; break;
      case 'vncdisplay': vnc.display = atoi(value); break;
      case 'vncunused': vnc.findunused = flag(value); break;
      case 'keymap': keymap = value; break;
      case 'sdl': sdl.enable = flag(value); break;
      case 'opengl': sdl.opengl = flag(value); break;
      case 'display': sdl.display = value; break;
      case 'xauthority': sdl.xauthority = value; break;
      default: rep.warn(at, key.length, `unknown vfb key \`${key}' (xl ignores it)`);
    }
  }
  rep.flushWarnings(opts.warnings);
  return compact({ vnc: compact(vnc), sdl: compact(sdl), keymap });
}

/** The canonical vfb spec (devid comes from the position in the vfb list). */
export function formatVfb(v: Vfb): string {
  if (v.backend_domid || v.backend_domname !== undefined) unrepresentable('vfb', 'a vfb spec cannot name a backend domain');
  const parts: string[] = [];
  const b = (d: Defbool | undefined) => (d === undefined ? undefined : d === 'True' ? 1 : 0);
  const { vnc = {}, sdl = {} } = v;
  piece('vfb', 'vnc', b(vnc.enable), parts);
  piece('vfb', 'vnclisten', vnc.listen, parts);
  piece('vfb', 'vncpasswd', vnc.passwd, parts);
  if (vnc.display) piece('vfb', 'vncdisplay', vnc.display, parts);
  piece('vfb', 'vncunused', b(vnc.findunused), parts);
  piece('vfb', 'keymap', v.keymap, parts);
  piece('vfb', 'sdl', b(sdl.enable), parts);
  piece('vfb', 'opengl', b(sdl.opengl), parts);
  piece('vfb', 'display', sdl.display, parts);
  piece('vfb', 'xauthority', sdl.xauthority, parts);
  return parts.join(',');
}

const VKB_NUMBERS = {
  'feature-disable-keyboard': 'feature_disable_keyboard',
  'feature-disable-pointer': 'feature_disable_pointer',
  'feature-abs-pointer': 'feature_abs_pointer',
  'feature-raw-pointer': 'feature_raw_pointer',
  'feature-multi-touch': 'feature_multi_touch',
  'multi-touch-width': 'multi_touch_width',
  'multi-touch-height': 'multi_touch_height',
  'multi-touch-num-contacts': 'multi_touch_num_contacts',
  width: 'width',
  height: 'height',
} as const;

export function parseVkb(spec: string, origin?: SpecOrigin, opts: ReadOptions = {}): Vkb {
  const rep = new SpecReporter(spec, origin, 'vkb');
  const k: Vkb = {};
  for (const t of commaTokens(spec)) {
    const eq = t.text.indexOf('=');
    const key = eq < 0 ? t.text : t.text.slice(0, eq);
    const value = t.text.slice(eq + 1);
    const vat = t.at + eq + 1;
    if (eq < 0) rep.fail(t.at, t.text.length, `unknown string \`${t.text}' in vkb spec`);
    else if (key === 'backend') k.backend_domname = value;
    else if (key === 'backend-type') {
      const bt = ['unknown', 'qemu', 'linux'].find((x) => x === value.toLowerCase()) as Vkb['backend_type'];
      if (!bt) rep.fail(vat, Math.max(1, value.length), `unknown backend-type \`${value}' (expected qemu or linux)`);
      k.backend_type = bt;
    } else if (key === 'unique-id') k.unique_id = value;
    else if (key in VKB_NUMBERS) {
      const field = VKB_NUMBERS[key as keyof typeof VKB_NUMBERS];
      const n = toUint32(strtoul(value, 0).value);
      if (field.startsWith('feature_')) (k as Record<string, unknown>)[field] = n !== 0;
      else (k as Record<string, unknown>)[field] = n;
    } else rep.fail(t.at, key.length, `unknown string \`${t.text}' in vkb spec`);
  }
  if (!k.backend_type || k.backend_type === 'unknown') rep.fail(0, Math.max(1, spec.length), 'backend-type should be set in vkb spec', 'add backend-type=qemu or backend-type=linux');
  if (k.multi_touch_height || k.multi_touch_width || k.multi_touch_num_contacts) k.feature_multi_touch = true;
  else if (k.feature_multi_touch) {
    rep.fail(0, Math.max(1, spec.length), 'multi-touch-width, multi-touch-height, multi-touch-num-contacts should be set for multi touch in vkb spec');
  }
  rep.flushWarnings(opts.warnings);
  return compact(k);
}

/** The canonical vkb spec (devid comes from the position in the vkb list). */
export function formatVkb(k: Vkb): string {
  if (k.backend_domid) unrepresentable('vkb', 'backend_domid cannot be given in a vkb spec (use backend=NAME)');
  if (!k.backend_type || k.backend_type === 'unknown') unrepresentable('vkb', 'a vkb spec needs backend-type');
  const parts: string[] = [];
  piece('vkb', 'backend-type', k.backend_type, parts);
  piece('vkb', 'backend', k.backend_domname, parts);
  piece('vkb', 'unique-id', k.unique_id, parts);
  for (const [key, field] of Object.entries(VKB_NUMBERS)) {
    const v = k[field];
    if (v === true) parts.push(`${key}=1`);
    else if (typeof v === 'number' && v !== 0) {
      if (v < 0 || v > 0xffffffff || !Number.isInteger(v)) unrepresentable('vkb', `${field}=${v}`);
      parts.push(`${key}=${v}`);
    }
  }
  return parts.join(',');
}
