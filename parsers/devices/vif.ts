// xl's vif spec (xl-network-configuration(5)) and its rate sub-language, as xl 4.17.7
// reads them. In an xl.cfg list the spec is split at commas (empty pieces skipped, leading
// spaces dropped, trailing ones kept); `xl network-attach DOM word...` takes each word
// whole. xl fails network-attach on an unknown key or a bad mac, but only prints a message
// and carries on when the same happens in a config file: txl makes both errors unless the
// caller asks for xl.cfg leniency.
import type { Nic } from '../../src/core/model.js';
import { strtoul, toInt32, strtok, skipSpaces, matchOption, type Token } from './cnum.js';
import { SpecReporter, unrepresentable, type ReadOptions, type SpecOrigin } from './origin.js';

/** xl.conf's vif.default.* settings, applied before the spec is read. */
export interface VifDefaults { script?: string; bridge?: string; gatewaydev?: string; backend?: string }

const UINT32_MAX = 0xffffffffn;
const UINT64_MAX = (1n << 64n) - 1n;

export interface VifRate { rate_bytes_per_interval: number; rate_interval_usecs: number }

/** `rate=` value: `NUM[GMK](B|b)/s[@NUM[m|u][s]]`, default interval 50ms. */
export function parseVifRate(rate: string, origin?: SpecOrigin, rep = new SpecReporter(rate, origin, 'vif'), at = 0): VifRate {
  const fail = (off: number, len: number, msg: string, hint?: string): never => rep.fail(at + off, len, msg, hint);
  const atSign = rate.indexOf('@');
  const amount = atSign < 0 ? rate : rate.slice(0, atSign);
  const interval = atSign < 0 ? undefined : rate.slice(atSign + 1);
  if (amount === '') fail(0, rate.length, 'no rate specified', 'e.g. rate=10Mb/s or rate=10MB/s@20ms');

  if (!/^[0-9]+[GMK]?[Bb]\/s$/.test(amount)) {
    fail(0, amount.length, `invalid rate \`${amount}'`, 'expected NUMBER[K|M|G](B|b)/s, e.g. 100Mb/s');
  }
  // strtoull with base 0: a leading 0 means octal, and reading stops at the first 8 or 9
  const n = strtoul(amount, 0);
  let bytesPerSec = n.value;
  if (bytesPerSec === 0n || bytesPerSec > UINT32_MAX || n.overflow) fail(0, amount.length, `rate overflow in \`${amount}'`);
  const unit = amount[n.end];
  if (unit === 'G') bytesPerSec *= 1_000_000_000n;
  else if (unit === 'M') bytesPerSec *= 1_000_000n;
  else if (unit === 'K') bytesPerSec *= 1_000n;
  if (unit === 'b' || amount[n.end + 1] === 'b') bytesPerSec /= 8n;

  let usecs = 50_000n;
  if (interval !== undefined) {
    const ioff = atSign + 1;
    if (!/^[0-9]+[mu]?s?$/.test(interval)) {
      fail(ioff, Math.max(1, interval.length), `invalid replenishment interval \`${interval}'`, 'expected NUMBER[s|ms|us], e.g. @20ms');
    }
    const m = strtoul(interval, 0);
    usecs = m.value;
    if (usecs === 0n || usecs > UINT32_MAX || m.overflow) fail(ioff, interval.length, `replenishment interval overflow in \`${interval}'`);
    const u = interval[m.end];
    if (u === 's' || u === undefined) usecs *= 1_000_000n;
    else if (u === 'm') usecs *= 1_000n;
    if (usecs > UINT32_MAX) fail(ioff, interval.length, `replenishment interval overflow in \`${interval}'`, 'the interval must be at most 4294967295us (about 71 minutes)');
  }
  if (bytesPerSec > UINT64_MAX / usecs) fail(0, rate.length, `rate overflow in \`${rate}'`);
  return {
    rate_bytes_per_interval: Number((bytesPerSec * usecs) / 1_000_000n),
    rate_interval_usecs: Number(usecs),
  };
}

const STRING_KEYS: [string, keyof Nic][] = [
  ['bridge', 'bridge'], ['gatewaydev', 'gatewaydev'], ['ip', 'ip'], ['script', 'script'],
  ['backend', 'backend_domname'], ['vifname', 'ifname'], ['model', 'model'], ['forwarddev', 'coloft_forwarddev'],
];

// every colo_* string key of libxl_device_nic that xl reads under its own name
const COLO_KEYS = [
  'sock_mirror_id', 'sock_mirror_ip', 'sock_mirror_port', 'sock_compare_sec_in_id', 'sock_compare_sec_in_ip',
  'sock_compare_sec_in_port', 'sock_redirector0_id', 'sock_redirector0_ip', 'sock_redirector0_port',
  'sock_redirector1_id', 'sock_redirector1_ip', 'sock_redirector1_port', 'sock_redirector2_id', 'sock_redirector2_ip',
  'sock_redirector2_port', 'sock_compare_pri_in_id', 'sock_compare_pri_in_ip', 'sock_compare_pri_in_port',
  'sock_compare_notify_id', 'sock_compare_notify_ip', 'sock_compare_notify_port', 'filter_mirror_queue',
  'filter_mirror_outdev', 'filter_redirector0_queue', 'filter_redirector0_indev', 'filter_redirector0_outdev',
  'filter_redirector1_queue', 'filter_redirector1_indev', 'filter_redirector1_outdev', 'compare_pri_in',
  'compare_sec_in', 'compare_out', 'compare_notify_dev', 'sock_sec_redirector0_id', 'sock_sec_redirector0_ip',
  'sock_sec_redirector0_port', 'sock_sec_redirector1_id', 'sock_sec_redirector1_ip', 'sock_sec_redirector1_port',
  'filter_sec_redirector0_queue', 'filter_sec_redirector0_indev', 'filter_sec_redirector0_outdev',
  'filter_sec_redirector1_queue', 'filter_sec_redirector1_indev', 'filter_sec_redirector1_outdev',
  'filter_sec_rewriter0_queue', 'checkpoint_host', 'checkpoint_port',
].map((k) => `colo_${k}` as const);

/**
 * Reads mac=: six numbers (hex, as strtoul reads them) each followed by any one separator.
 * On failure xl keeps the bytes it had already stored, so those are returned too.
 */
function parseMac(v: string): { bytes: number[]; ok: boolean } {
  const bytes: number[] = [];
  let i = 0;
  for (let k = 0; k < 6; k++) {
    // xl reads past the end of the string when fewer than six parts are given; we refuse
    if (i > v.length) return { bytes, ok: false };
    const r = strtoul(v, 16, i);
    if (r.end === i || r.value > 255n) return { bytes, ok: false };
    bytes.push(Number(r.value));
    i = r.end + 1;
  }
  return { bytes, ok: true };
}

function setMac(nic: Nic, bytes: number[]): void {
  const old = (nic.mac ?? '00:00:00:00:00:00').split(':').map((h) => parseInt(h, 16));
  const mac = old.map((b, k) => bytes[k] ?? b);
  const text = mac.map((b) => b.toString(16).padStart(2, '0')).join(':');
  if (text === '00:00:00:00:00:00') delete nic.mac;
  else nic.mac = text;
}

/** Applies one `key=value` token; returns false when xl would call it invalid. */
function applyToken(nic: Nic, tok: Token, rep: SpecReporter): { ok: true } | { ok: false; message: string; at: number; len: number } {
  const t = tok.text;
  const bad = (message: string, off = 0, len = t.length - off) => ({ ok: false as const, message, at: tok.at + off, len });
  let v: string | undefined;
  if ((v = matchOption('type', t)) !== undefined) {
    if (v === 'vif') nic.nictype = 'vif';
    else if (v === 'ioemu') nic.nictype = 'vif_ioemu';
    else return bad(`invalid type \`${v}' (expected vif or ioemu)`, 5);
    return { ok: true };
  }
  if ((v = matchOption('mac', t)) !== undefined) {
    const mac = parseMac(v);
    setMac(nic, mac.bytes);
    if (!mac.ok) return bad(`invalid mac \`${v}'`, 4);
    if (mac.bytes[0]! & 1) rep.warn(tok.at + 4, v.length, `mac ${nic.mac} is a multicast address`, 'the lowest bit of the first byte must be 0 for a NIC (xl does not check)');
    return { ok: true };
  }
  if ((v = matchOption('netdev', t)) !== undefined) {
    rep.warn(tok.at, 6, 'the netdev parameter is deprecated, please use gatewaydev instead');
    nic.gatewaydev = v;
    return { ok: true };
  }
  for (const [key, field] of STRING_KEYS) {
    if ((v = matchOption(key, t)) !== undefined) {
      (nic as Record<string, unknown>)[field] = v;
      return { ok: true };
    }
  }
  if ((v = matchOption('rate', t)) !== undefined) {
    const r = parseVifRate(v, undefined, rep, tok.at + 5);
    nic.rate_interval_usecs = r.rate_interval_usecs;
    // libxl leaves a zero out of its JSON
    if (r.rate_bytes_per_interval) nic.rate_bytes_per_interval = r.rate_bytes_per_interval;
    else delete nic.rate_bytes_per_interval;
    return { ok: true };
  }
  for (const key of COLO_KEYS) {
    if ((v = matchOption(key, t)) !== undefined) {
      nic[key] = v;
      return { ok: true };
    }
  }
  if (matchOption('accel', t) !== undefined) {
    rep.warn(tok.at, t.length, 'the accel parameter for vifs is currently not supported (ignored)');
    return { ok: true };
  }
  for (const key of ['devid', 'mtu'] as const) {
    if ((v = matchOption(key, t)) !== undefined) {
      const r = strtoul(v, 10);
      // xl's parse_ulong: no digits, or ULONG_MAX, is fatal even in a config file
      if (r.end === 0 || r.value === UINT64_MAX) rep.fail(tok.at + key.length + 1, Math.max(1, v.length), `failed to convert \`${v}' to a number`);
      nic[key] = toInt32(r.value);
      return { ok: true };
    }
  }
  if (t === 'trusted') { nic.trusted = 'True'; return { ok: true }; }
  if (t === 'untrusted') { nic.trusted = 'False'; return { ok: true }; }
  return bad(`unrecognized argument \`${t}'`, 0, t.includes('=') ? t.indexOf('=') : t.length);
}

/**
 * Reads a vif spec: a string from an xl.cfg `vif=[...]` list, or the words given to
 * `xl network-attach DOM word...`.
 */
export function parseVif(spec: string | string[], origin?: SpecOrigin, defaults: VifDefaults = {}, opts: ReadOptions = {}): Nic {
  const words = typeof spec === 'string' ? undefined : spec;
  const text = words ? words.join(' ') : (spec as string);
  const rep = new SpecReporter(text, origin, 'vif');
  const nic: Nic = {};
  if (defaults.script !== undefined) nic.script = defaults.script;
  if (defaults.bridge !== undefined) nic.bridge = defaults.bridge;
  if (defaults.gatewaydev !== undefined) nic.gatewaydev = defaults.gatewaydev;
  if (defaults.backend !== undefined) nic.backend_domname = defaults.backend;

  let tokens: Token[];
  if (words) {
    let at = 0;
    tokens = words.map((w) => {
      const t = { text: w, at };
      at += w.length + 1;
      return t;
    });
  } else {
    tokens = strtok(text, ',').map(skipSpaces);
  }
  const lenient = !words && opts.lenient;
  for (const tok of tokens) {
    const r = applyToken(nic, tok, rep);
    if (r.ok) continue;
    if (lenient) rep.warn(r.at, r.len, `${r.message} (ignored, as xl does)`);
    else rep.fail(r.at, r.len, r.message, 'see xl-network-configuration(5) for the vif keys');
  }
  if (nic.mtu === 0) delete nic.mtu;
  rep.flushWarnings(opts.warnings);
  return nic;
}

/** The shortest rate spec that xl reads back to exactly these two numbers. */
export function formatVifRate(bytesPerInterval: number, intervalUsecs: number): string {
  const no = (why: string) => unrepresentable('vif', why);
  const B = BigInt(bytesPerInterval);
  const I = BigInt(intervalUsecs);
  if (I <= 0n || I > UINT32_MAX) no(`rate interval ${intervalUsecs}us out of range`);
  const at = I === 50_000n ? '' : I % 1_000_000n === 0n ? `@${I / 1_000_000n}s` : I % 1000n === 0n ? `@${I / 1000n}ms` : `@${I}us`;
  if (B === 0n) return `1b/s${at}`; // one bit a second rounds down to zero bytes
  // xl computes floor(bytes_per_sec * I / 1e6): any bytes_per_sec in [lo, hi] lands on B
  const lo = (B * 1_000_000n + I - 1n) / I;
  const hi = ((B + 1n) * 1_000_000n + I - 1n) / I - 1n;
  if (lo > hi) no(`no byte rate gives ${bytesPerInterval} bytes per ${intervalUsecs}us`);
  const units = [[1_000_000_000n, 'G'], [1_000_000n, 'M'], [1_000n, 'K'], [1n, '']] as const;
  for (const [mult, u] of units) {
    const n = (lo + mult - 1n) / mult;
    if (n >= 1n && n <= UINT32_MAX && n * mult <= hi) return `${n}${u}B/s${at}`;
  }
  for (const [mult, u] of units) {
    const n = (8n * lo + mult - 1n) / mult;
    if (n >= 1n && n <= UINT32_MAX && (n * mult) / 8n <= hi) return `${n}${u}b/s${at}`;
  }
  return no(`a rate of ${lo} bytes/s cannot be written`);
}

/**
 * Writes the canonical xl.cfg vif spec for a nic (defaults from xl.conf are not subtracted).
 * `listIndex`: the nic's position in vif=[...]; xl gives it that devid, so devid= is left out
 * when they agree.
 */
export function formatVif(n: Nic, listIndex?: number): string {
  const no = (why: string) => unrepresentable('vif', why);
  const parts: string[] = [];
  const put = (key: string, v: string | undefined) => {
    if (v === undefined) return;
    if (v.includes(',')) no(`${key} value ${JSON.stringify(v)} contains a comma`);
    parts.push(`${key}=${v}`);
  };
  if (n.backend_domid) no('backend_domid cannot be given in a vif spec (use backend=NAME)');
  if (n.devid !== undefined && n.devid >= 0) {
    if (n.devid !== listIndex) parts.push(`devid=${n.devid}`);
  }
  else if (n.devid !== undefined) no(`devid ${n.devid}`);
  if (n.nictype === 'vif') parts.push('type=vif');
  else if (n.nictype === 'vif_ioemu') parts.push('type=ioemu');
  if (n.mac !== undefined) {
    if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(n.mac)) no(`mac ${JSON.stringify(n.mac)}`);
    parts.push(`mac=${n.mac.toLowerCase()}`);
  }
  put('bridge', n.bridge);
  put('ip', n.ip);
  put('script', n.script);
  put('backend', n.backend_domname);
  put('vifname', n.ifname);
  put('model', n.model);
  put('gatewaydev', n.gatewaydev);
  if (n.mtu !== undefined && n.mtu !== 0) {
    if (n.mtu < 0) no(`mtu ${n.mtu}`);
    parts.push(`mtu=${n.mtu}`);
  }
  if (n.rate_bytes_per_interval !== undefined || n.rate_interval_usecs !== undefined) {
    parts.push(`rate=${formatVifRate(n.rate_bytes_per_interval ?? 0, n.rate_interval_usecs ?? 0)}`);
  }
  put('forwarddev', n.coloft_forwarddev);
  for (const k of COLO_KEYS) put(k, n[k]);
  if (n.trusted !== undefined) parts.push(n.trusted === 'True' ? 'trusted' : 'untrusted');
  // leading spaces of a value would be eaten on the way back; xl drops them only at a key's start
  for (const p of parts) if (p.startsWith(' ')) no(`value ${JSON.stringify(p)} starts with a space`);
  return parts.join(',');
}
