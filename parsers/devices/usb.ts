// usbctrl= and usbdev= specs (xl.cfg(5) "USB"). Unknown keys are errors.
//
// usbdev: xl stores hostbus/hostaddr even without type=hostdev, and libxl then fills in
// type hostdev (the only type) when the device is added; xl -N only hides them from its
// JSON because the union key is still unset. The model carries libxl's JSON, so this
// reader sets "type.hostdev" as libxl will, instead of dropping the host address.
import type { UsbCtrl, UsbDev } from '../../src/core/model.js';
import { atoi, strtoul } from './cnum.js';
import { commaTokens, compact, piece } from './common.js';
import { SpecReporter, unrepresentable, type ReadOptions, type SpecOrigin } from './origin.js';

const CTRL_TYPES = ['auto', 'pv', 'devicemodel', 'qusb'] as const;

export function parseUsbctrl(spec: string, origin?: SpecOrigin, opts: ReadOptions = {}): UsbCtrl {
  const rep = new SpecReporter(spec, origin, 'usbctrl');
  const c: UsbCtrl = {};
  for (const t of commaTokens(spec)) {
    const eq = t.text.indexOf('=');
    const key = eq < 0 ? t.text : t.text.slice(0, eq);
    const value = t.text.slice(eq + 1);
    if (eq >= 0 && key === 'type') {
      const ty = CTRL_TYPES.find((x) => x === value.toLowerCase());
      if (!ty) rep.fail(t.at + eq + 1, Math.max(1, value.length), `invalid usb controller type \`${value}'`, 'expected pv, devicemodel, qusb or auto');
      c.type = ty;
    } else if (eq >= 0 && key === 'version') c.version = atoi(value);
    else if (eq >= 0 && key === 'ports') c.ports = atoi(value);
    else rep.fail(t.at, Math.max(1, key.length), `unknown string \`${t.text}' in usbctrl spec`, 'usbctrl keys: type, version, ports');
  }
  rep.flushWarnings(opts.warnings);
  const out = compact(c);
  if (out.type === 'auto') delete out.type;
  return out;
}

/** The canonical usbctrl spec (devid comes from the position in the usbctrl list). */
export function formatUsbctrl(c: UsbCtrl): string {
  if (c.backend_domid || c.backend_domname !== undefined) unrepresentable('usbctrl', 'a usbctrl spec cannot name a backend domain');
  const parts: string[] = [];
  if (c.type && c.type !== 'auto') piece('usbctrl', 'type', c.type, parts);
  if (c.version) piece('usbctrl', 'version', c.version, parts);
  if (c.ports) piece('usbctrl', 'ports', c.ports, parts);
  return parts.join(',');
}

export function parseUsbdev(spec: string, origin?: SpecOrigin, opts: ReadOptions = {}): UsbDev {
  const rep = new SpecReporter(spec, origin, 'usbdev');
  const d: UsbDev = {};
  let hostdev = false;
  let hostbus = 0;
  let hostaddr = 0;
  for (const t of commaTokens(spec)) {
    const eq = t.text.indexOf('=');
    const key = eq < 0 ? t.text : t.text.slice(0, eq);
    const value = t.text.slice(eq + 1);
    const byte = () => Number(strtoul(value, 0).value & 0xffn);
    if (eq >= 0 && key === 'type') {
      if (value.toLowerCase() !== 'hostdev') rep.fail(t.at + eq + 1, Math.max(1, value.length), `invalid usb device type \`${value}' (only hostdev)`);
      hostdev = true;
    } else if (eq >= 0 && key === 'hostbus') { hostbus = byte(); hostdev = true; }
    else if (eq >= 0 && key === 'hostaddr') { hostaddr = byte(); hostdev = true; }
    else if (eq >= 0 && key === 'controller') d.ctrl = atoi(value);
    else if (eq >= 0 && key === 'port') d.port = atoi(value);
    else rep.fail(t.at, Math.max(1, key.length), `unknown string \`${t.text}' in usbdev spec`, 'usbdev keys: type, hostbus, hostaddr, controller, port');
  }
  rep.flushWarnings(opts.warnings);
  const out: UsbDev = {};
  if (d.ctrl !== undefined && d.ctrl !== -1) out.ctrl = d.ctrl; // -1, libxl's "pick one", is the default
  if (d.port) out.port = d.port;
  if (hostdev) out['type.hostdev'] = compact({ hostbus, hostaddr });
  return out;
}

export function formatUsbdev(d: UsbDev): string {
  const parts: string[] = [];
  const h = d['type.hostdev'];
  if (h) {
    parts.push('type=hostdev');
    for (const k of ['hostbus', 'hostaddr'] as const) {
      const v = h[k];
      if (v === undefined || v === 0) continue;
      if (v < 0 || v > 255 || !Number.isInteger(v)) unrepresentable('usbdev', `${k}=${v}`);
      parts.push(`${k}=${v}`);
    }
  }
  if (d.ctrl !== undefined && d.ctrl !== -1) parts.push(`controller=${d.ctrl}`);
  if (d.port) parts.push(`port=${d.port}`);
  return parts.join(',');
}
