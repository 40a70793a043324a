// xl's disk spec language (xl-disk-configuration(5)), as xl 4.17.7 reads it.
//
// xl lexes a disk spec with a flex scanner: at each position every rule is tried, the
// longest match wins and ties go to the earlier rule. Rules with flex "trailing context"
// (the deprecated `raw:` style prefixes, and white space) count the rest of the line in
// their match length but consume only their head. We rebuild that behaviour with a rule
// table below rather than a hand-written splitter, because the odd cases (positional
// `hdc:cdrom`, `target=` eating commas, unknown keys with one-letter values) fall out of
// exactly that matching order.
//
// trusted/untrusted: the flex source of 4.17.7 (libxlu_disk_l.l) has rules for them, but
// the generated scanner shipped in the 4.17.7 tree (libxlu_disk_l.c), which is what the
// real xl binary runs, does not. The binary therefore reads `trusted` as a positional
// target, and `trusted vdev=hda target=/x` fails with "target respecified". Xen's golden
// data (check-xl-disk-parse) expects them to work. txl follows the binary: a config txl
// accepts is one the real xl accepts, and it builds the same libxl_device_disk.
import type { Disk } from '../../src/core/model.js';
import { atoi } from './cnum.js';
import { SpecReporter, unrepresentable, type ReadOptions, type SpecOrigin } from './origin.js';

type Format = NonNullable<Disk['format']>;
type BackendType = NonNullable<Disk['backend']>;

interface State {
  disk: Disk;
  accessSet: boolean;
  hadDeprPrefix: boolean;
  rep: SpecReporter;
  /** offset of the current word within the reporter's spec */
  base: number;
  stop: boolean;
}

interface Match {
  /** characters consumed */
  head: number;
  /** length that competes in the longest-match choice (head + trailing context) */
  total: number;
}

type Action = (st: State, text: string, at: number) => void;
interface Rule {
  match(s: string, i: number): Match | null;
  action: Action;
}

function re(src: string): (s: string, i: number) => Match | null {
  const r = new RegExp(src, 'y');
  return (s, i) => {
    r.lastIndex = i;
    const m = r.exec(s);
    return m ? { head: m[0].length, total: m[0].length } : null;
  };
}

/** head pattern followed by flex trailing context `trail` (which may match empty). */
function withTrail(head: string, trail: string): (s: string, i: number) => Match | null {
  const h = new RegExp(head, 'y');
  const t = new RegExp(trail, 'y');
  return (s, i) => {
    h.lastIndex = i;
    const m = h.exec(s);
    if (!m) return null;
    t.lastIndex = i + m[0].length;
    const n = t.exec(s);
    return { head: m[0].length, total: m[0].length + (n ? n[0].length : 0) };
  };
}

const stripComma = (t: string) => (t.endsWith(',') ? t.slice(0, -1) : t);
const fromEquals = (t: string) => stripComma(t).slice(t.indexOf('=') + 1);
const valueAt = (t: string, at: number) => at + t.indexOf('=') + 1;

function err(st: State, at: number, text: string, message: string): void {
  st.rep.error(st.base + at, text.length, message);
}

/** Sets an enum unless it already holds a different value. */
function dset<K extends 'format' | 'backend' | 'specification'>(
  st: State, key: K, value: NonNullable<Disk[K]>, at: number, text: string,
): void {
  const cur = st.disk[key];
  if (cur !== undefined && cur !== 'unknown' && cur !== value) err(st, at, text, `${key} respecified`);
  else st.disk[key] = value;
}

/** Sets a string unless it is already set to something non-empty. */
function saveString(st: State, what: string, key: 'pdev_path' | 'vdev' | 'script' | 'backend_domname' | 'colo_host' | 'colo_export' | 'active_disk' | 'hidden_disk', value: string, at: number): void {
  const cur = st.disk[key];
  if (cur !== undefined && cur !== '') err(st, at, value, `${what} respecified`);
  else st.disk[key] = value;
}

function setAccess(st: State, v: string, at: number): void {
  if (v === 'r' || v === 'ro') st.disk.readwrite = 0;
  else if (v === 'rw' || v === 'w' || v === '') st.disk.readwrite = 1;
  else err(st, at, v, 'unknown value for access');
}

const FORMATS: Record<string, Format> = { '': 'raw', raw: 'raw', qcow: 'qcow', qcow2: 'qcow2', vhd: 'vhd', empty: 'empty', qed: 'qed' };
function setFormat(st: State, v: string, at: number): void {
  const f = FORMATS[v];
  if (f === undefined) err(st, at, v, 'unknown value for format');
  else dset(st, 'format', f, at, v);
}

const BACKENDS: Record<string, BackendType> = { phy: 'phy', tap: 'tap', qdisk: 'qdisk', standalone: 'standalone' };

/** `vdev:devtype`, the old positional way of saying cdrom; false when there is no colon. */
function vdevAndDevtype(st: State, text: string, at: number): boolean {
  const colon = text.lastIndexOf(':');
  if (colon < 0) return false;
  saveString(st, 'vdev', 'vdev', text.slice(0, colon), at);
  const type = text.slice(colon + 1);
  if (type === 'cdrom') st.disk.is_cdrom = 1;
  else if (type === 'disk') st.disk.is_cdrom = 0;
  else err(st, at + colon + 1, type, 'unknown deprecated type');
  return true;
}

function keyed(key: string, set: (st: State, v: string, at: number) => void): Rule {
  return { match: re(`${key}=[^,]*,?`), action: (st, t, at) => set(st, fromEquals(t), valueAt(t, at)) };
}
function flag(word: string, set: (d: Disk) => void): Rule {
  return { match: re(`${word},?`), action: (st) => set(st.disk) };
}

function positional(st: State, t: string, at: number): void {
  const text = stripComma(t);
  const d = st.disk;
  if (st.rep.errors.length) return; // earlier errors tend to cause spurious later ones
  if (d.pdev_path === undefined) saveString(st, 'target', 'pdev_path', text, at);
  else if (!st.hadDeprPrefix && (d.format === undefined || d.format === 'unknown')) {
    if (d.pdev_path === '' && vdevAndDevtype(st, text, at)) d.format = 'empty';
    else setFormat(st, text, at);
  } else if (d.vdev === undefined) {
    if (!vdevAndDevtype(st, text, at)) saveString(st, 'vdev', 'vdev', text, at);
  } else if (!st.accessSet) {
    st.accessSet = true;
    setAccess(st, text, at);
  } else {
    err(st, at, text, 'too many positional parameters');
    st.stop = true;
  }
}

const deprecated = (st: State) => { st.hadDeprPrefix = true; };

// In xl's order: on equal match lengths the earlier rule wins.
const RULES: Rule[] = [
  { match: withTrail('[ \\t\\n]+', '(?:[^ \\t\\n].*)?'), action: () => {} },
  keyed('format', setFormat),
  flag('cdrom', (d) => { d.is_cdrom = 1; }),
  flag('devtype=cdrom', (d) => { d.is_cdrom = 1; }),
  flag('devtype=disk', (d) => { d.is_cdrom = 0; }),
  { match: re('devtype=[^,]*,?'), action: (st, t, at) => err(st, at, t, 'unknown value for type') },
  keyed('access', setAccess),
  keyed('backend', (st, v, at) => saveString(st, 'backend', 'backend_domname', v, at)),
  keyed('backendtype', (st, v, at) => {
    const b = BACKENDS[v];
    if (b === undefined) err(st, at, v, 'unknown value for backendtype');
    else dset(st, 'backend', b, at, v);
  }),
  keyed('specification', (st, v, at) => {
    if (v === 'xen' || v === 'virtio') dset(st, 'specification', v, at, v);
    else err(st, at, v, 'unknown value for specification');
  }),
  keyed('vdev', (st, v, at) => saveString(st, 'vdev', 'vdev', v, at)),
  keyed('script', (st, v, at) => saveString(st, 'script', 'script', v, at)),
  flag('direct-io-safe', (d) => { d.direct_io_safe = true; }),
  flag('discard', (d) => { d.discard_enable = 'True'; }),
  flag('no-discard', (d) => { d.discard_enable = 'False'; }),
  flag('colo', (d) => { d.colo_enable = 'True'; }),
  flag('no-colo', (d) => { d.colo_enable = 'False'; }),
  keyed('colo-host', (st, v, at) => saveString(st, 'colo-host', 'colo_host', v, at)),
  keyed('colo-port', (st, v, at) => {
    const port = atoi(v);
    if (port) st.disk.colo_port = port;
    else err(st, at, v, 'unknown value for colo_port');
  }),
  keyed('colo-export', (st, v, at) => saveString(st, 'colo-export', 'colo_export', v, at)),
  keyed('active-disk', (st, v, at) => saveString(st, 'active-disk', 'active_disk', v, at)),
  keyed('hidden-disk', (st, v, at) => saveString(st, 'hidden-disk', 'hidden_disk', v, at)),
  // the magic target parameter eats the rest of the string, commas included
  { match: re('target=.*'), action: (st, t, at) => saveString(st, 'target', 'pdev_path', fromEquals(t), valueAt(t, at)) },
  { match: re('[a-z][-a-z0-9]*=[^,],?'), action: (st, t, at) => err(st, at, t, 'unknown parameter') },
  { match: withTrail('(?:raw|qcow2?|vhd):', '.*'), action: (st, t, at) => { deprecated(st); setFormat(st, t.slice(0, -1), at); } },
  {
    match: withTrail('(?:iscsi|e?nbd|drbd):', '.*'),
    action: (st, t, at) => {
      deprecated(st);
      const script = `block-${t.slice(0, -1)}`;
      saveString(st, 'script', 'script', script, at);
    },
  },
  { match: withTrail('tapdisk:', '.*'), action: deprecated },
  { match: withTrail('tap2?:', '.*'), action: deprecated },
  { match: withTrail('aio:', '.*'), action: deprecated },
  { match: withTrail('ioemu:', '.*'), action: deprecated },
  { match: withTrail('file:', '.*'), action: deprecated },
  { match: withTrail('phy:', '.*'), action: deprecated },
  {
    match: withTrail('[a-z][a-z0-9]*:', '(?:[^a-z0-9].*)?'),
    action: (st, t, at) => { err(st, at, t, 'unknown deprecated disk prefix'); st.stop = true; },
  },
  { match: re('[^=,]+,?|,'), action: positional },
];

function lexWord(st: State, s: string): void {
  let i = 0;
  while (i < s.length && !st.stop) {
    let best: Match | null = null;
    let rule: Rule | null = null;
    for (const r of RULES) {
      const m = r.match(s, i);
      if (m && m.total > 0 && (!best || m.total > best.total)) {
        best = m;
        rule = r;
      }
    }
    if (!best || !rule) {
      // nothing matches here (a stray '='): xl reports the rest of the line and stops
      const rest = /.*/y;
      rest.lastIndex = i + 1;
      const text = s.slice(i, i + 1 + (rest.exec(s)?.[0].length ?? 0));
      err(st, i, text, 'bad disk syntax');
      st.stop = true;
      return;
    }
    rule.action(st, s.slice(i, i + best.head), i);
    i += best.head;
  }
}

/**
 * Reads a disk spec: one string from an xl.cfg `disk=[...]` list, or the words given to
 * `xl block-attach DOM word...` (which xl lexes one after another into the same disk).
 */
export function parseDisk(spec: string | string[], origin?: SpecOrigin, opts: ReadOptions = {}): Disk {
  const words = typeof spec === 'string' ? [spec] : spec;
  const joined = words.join(' ');
  const rep = new SpecReporter(joined, origin, 'disk');
  const st: State = { disk: { readwrite: 1 }, accessSet: false, hadDeprPrefix: false, rep, base: 0, stop: false };
  for (const w of words) {
    st.stop = false;
    lexWord(st, w);
    if (rep.errors.length) break;
    st.base += w.length + 1;
  }
  rep.throwIfErrors();
  const d = st.disk;
  if (d.format === undefined || d.format === 'unknown') d.format = 'raw';
  if (d.is_cdrom) {
    d.removable = 1;
    d.readwrite = 0;
    if (!d.pdev_path) d.format = 'empty';
  }
  if (d.vdev === undefined) rep.fail(0, joined.length, 'no vdev specified', 'add vdev=xvda (or the positional form target,format,vdev,access)');
  if (d.pdev_path === undefined && !d.removable) rep.fail(0, joined.length, 'no target specified (and device not removable)', 'add target=PATH, or devtype=cdrom for an empty drive');
  rep.flushWarnings(opts.warnings);
  return tidy(d);
}

/** Leaves out what equals libxl's default, in libxl's field order. */
function tidy(d: Disk): Disk {
  const order: (keyof Disk)[] = [
    'backend_domid', 'backend_domname', 'pdev_path', 'vdev', 'backend', 'format', 'script', 'removable', 'readwrite',
    'is_cdrom', 'direct_io_safe', 'discard_enable', 'specification', 'transport', 'irq', 'base', 'colo_enable',
    'colo_restore_enable', 'colo_host', 'colo_port', 'colo_export', 'active_disk', 'hidden_disk', 'trusted',
  ];
  const out: Record<string, unknown> = {};
  for (const k of order) {
    const v = d[k];
    if (v === undefined || v === 0 || v === false || v === 'unknown') continue;
    out[k] = v;
  }
  return out as Disk;
}

/**
 * Writes the canonical key=value spec that xl 4.17.7 reads back into the same disk.
 * Throws when the disk holds something the spec language cannot say.
 */
export function formatDisk(d: Disk): string {
  const no = (why: string) => unrepresentable('disk', why);
  const parts: string[] = [];
  const plain = (key: string, v: string | undefined) => {
    if (v === undefined) return;
    if (v.includes(',') || v.includes('\n')) no(`${key} value ${JSON.stringify(v)} contains a comma or newline`);
    parts.push(`${key}=${v}`);
  };
  if (d.backend_domid) no('backend_domid cannot be given in a disk spec (use backend_domname)');
  if (d.transport && d.transport !== 'unknown') no('transport is not part of the 4.17 disk spec');
  if (d.irq || d.base) no('irq/base are set by libxl, not by a disk spec');
  if (d.colo_restore_enable !== undefined) no('colo_restore_enable is not part of the disk spec');
  if (d.trusted !== undefined) no('trusted/untrusted are not understood by the xl 4.17.7 binary');
  const cdrom = d.is_cdrom === 1;
  if (d.is_cdrom !== undefined && d.is_cdrom !== 0 && !cdrom) no(`is_cdrom=${d.is_cdrom}`);
  if (cdrom ? d.removable !== 1 : d.removable) no('removable is only set (and always set) for cdroms');
  const rw = d.readwrite ?? 0;
  if (cdrom ? rw !== 0 : rw !== 0 && rw !== 1) no(`readwrite=${rw}${cdrom ? ' on a cdrom' : ''}`);
  if (d.vdev === undefined) no('no vdev');
  if (d.pdev_path === undefined && !cdrom) no('no target and not a cdrom');
  const fmt = d.format ?? 'unknown';
  if (fmt === 'unknown') no('format unknown (xl always settles on one)');
  const emptyByRule = cdrom && !d.pdev_path;
  if (emptyByRule ? fmt !== 'empty' : false) no('a cdrom without target always has format empty');

  plain('vdev', d.vdev);
  if (!emptyByRule) parts.push(`format=${fmt}`);
  parts.push(`access=${rw ? 'rw' : 'ro'}`);
  if (cdrom) parts.push('devtype=cdrom');
  if (d.backend && d.backend !== 'unknown') parts.push(`backendtype=${d.backend}`);
  plain('backend', d.backend_domname);
  if (d.specification && d.specification !== 'unknown') parts.push(`specification=${d.specification}`);
  plain('script', d.script);
  if (d.direct_io_safe) parts.push('direct-io-safe');
  if (d.discard_enable) parts.push(d.discard_enable === 'True' ? 'discard' : 'no-discard');
  if (d.colo_enable) parts.push(d.colo_enable === 'True' ? 'colo' : 'no-colo');
  plain('colo-host', d.colo_host);
  if (d.colo_port !== undefined && d.colo_port !== 0) parts.push(`colo-port=${d.colo_port}`);
  plain('colo-export', d.colo_export);
  plain('active-disk', d.active_disk);
  plain('hidden-disk', d.hidden_disk);
  if (d.pdev_path !== undefined) {
    const p = d.pdev_path;
    if (p.includes('\n')) no('target contains a newline');
    // xl strips one trailing comma from target=..., so a target ending in one needs another
    parts.push(`target=${p}${p.endsWith(',') ? ',' : ''}`);
  }
  return parts.join(',');
}
