// The pure half of `txl new`: the answers, how each one is checked (with the same readers
// as every other command: domain names, paths, disk and vif specs), and the commented
// xl.cfg they become. No I/O here, so that the prompts and the flags share every rule.
import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { domainNameProblem, pathProblem } from '../validate.js';
import { parseDisk, parseVif, type SpecOrigin } from '../../parsers/devices/index.js';
import { keyInfo } from '../../parsers/xlcfg/keys.js';
import { quote } from '../../parsers/xlcfg/write-out.js';

export const GUEST_TYPES = ['pvh', 'pv', 'hvm'] as const;
export type GuestType = (typeof GUEST_TYPES)[number];

export interface NewAnswers {
  type?: GuestType;
  name?: string;
  /** MiB */
  memory?: number;
  vcpus?: number;
  kernel?: string;
  ramdisk?: string;
  cmdline?: string;
  firmware?: string;
  bootloader?: string;
  /** disk spec strings, as they go into disk = [ ... ] */
  disks: string[];
  /** vif spec strings, as they go into vif = [ ... ] */
  networks: string[];
}

/**
 * One answer checked: its value, or why not. The message is shown at the prompt; a flag's
 * bad device spec throws `error` instead, which points into the spec with a caret.
 */
export type Check<T> = { ok: true; value: T } | { ok: false; message: string; error?: ConfigError };
const ok = <T>(value: T): Check<T> => ({ ok: true, value });
const no = <T>(message: string, error?: ConfigError): Check<T> => ({ ok: false, message, error });

export function checkType(s: string): Check<GuestType> {
  const t = s.trim().toLowerCase();
  return (GUEST_TYPES as readonly string[]).includes(t) ? ok(t as GuestType) : no(`'${s}' is not a guest type: use pvh, pv or hvm`);
}

export function checkName(s: string): Check<string> {
  const why = domainNameProblem(s);
  return why ? no(`not a usable domain name: ${why}`) : ok(s);
}

/** A size in MiB: a plain number is MiB, or with a unit k, m, g, t (binary, as xl's sizes). */
export function checkMemory(s: string): Check<number> {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(s);
  if (!m) return no(`'${s}' is not a size: write MiB (1024) or a size with a unit (512M, 2G)`);
  const scale = { k: 1 / 1024, '': 1, m: 1, g: 1024, t: 1024 * 1024 }[m[2]!.toLowerCase() as 'k' | '' | 'm' | 'g' | 't'];
  const mib = Number(m[1]) * scale;
  if (!Number.isInteger(mib)) return no(`${s} is not a whole number of MiB (xl.cfg takes memory in MiB)`);
  if (mib < 1) return no('a domain needs at least 1 MiB of memory');
  if (mib > 2 ** 31) return no(`${s} is more memory than any host has`);
  return ok(mib);
}

export function checkVcpus(s: string | number): Check<number> {
  const n = typeof s === 'number' ? s : /^\s*\d+\s*$/.test(s) ? Number(s) : NaN;
  if (!Number.isInteger(n) || n < 1) return no(`'${s}' is not a number of vCPUs: use a whole number of at least 1`);
  // HVM_MAX_VCPUS in Xen's public headers
  if (n > 128) return no(`${n} vCPUs is more than a Xen guest can have (at most 128)`);
  return ok(n);
}

/** A file in Domain-0: a relative path is made absolute, as the config may be used from anywhere. */
export function checkPath(s: string, what: string, cwd = process.cwd()): Check<string> {
  const why = pathProblem(s);
  if (why) return no(`the ${what} path cannot be used: ${why}`);
  return ok(isAbsolute(s) ? s : resolve(cwd, s));
}

export function checkCmdline(s: string): Check<string> {
  // a newline in a kernel command line is almost surely a paste gone wrong
  return /[\x00-\x1f\x7f]/.test(s) ? no('the command line contains a control character') : ok(s);
}

/** firmware= as xl reads it for the guest type: pvgrub for PV/PVH, bios, uefi or a path for HVM. */
export function checkFirmware(s: string, type: GuestType | undefined, cwd = process.cwd()): Check<string> {
  const f = s.trim();
  if (type === 'pv' || type === 'pvh') {
    return f === 'pvgrub32' || f === 'pvgrub64' ? ok(f) : no(`the firmware of a ${type.toUpperCase()} guest is pvgrub32 or pvgrub64 (a kernel path goes in --kernel)`);
  }
  // the type may not be known yet (it is asked later): bootProblem checks again with it
  if (type === undefined && (f === 'pvgrub32' || f === 'pvgrub64')) return ok(f);
  if (['bios', 'uefi', 'seabios', 'ovmf', 'rombios'].includes(f.toLowerCase())) return ok(f.toLowerCase());
  if (f.includes('/')) return checkPath(f, 'firmware', cwd);
  return no(`'${s}' is not a firmware: use bios, uefi or the path of a firmware image${type === 'hvm' ? '' : ' (pvgrub32 or pvgrub64 for PV and PVH)'}`);
}

export function checkBootloader(s: string, type: GuestType | undefined): Check<string> {
  if (type === 'hvm') return no('an HVM guest boots from its firmware, not a bootloader: use --firmware');
  const why = pathProblem(s.trim());
  return why ? no(`the bootloader cannot be used: ${why}`) : ok(s.trim());
}

const letters = 'abcdefghijklmnopqrstuvwxyz';
const vdevOf = (d: string) => (d.startsWith('hd') ? d : d.replace(/^(sd|xvd)/, 'xvd'));

/** The first xvdX name no disk uses yet. */
export function nextVdev(disks: string[]): string {
  const used = new Set(disks.map((d) => parseDisk(d).vdev ?? '').map(vdevOf));
  for (const l of letters) if (!used.has(`xvd${l}`)) return `xvd${l}`;
  return `xvd${letters.length}`;
}

/** The spec a plain path stands for: a read-write disk, its format guessed from the name. */
export function diskSpecForPath(path: string, disks: string[], type?: GuestType): string {
  if (type === 'hvm' && /\.iso$/i.test(path)) {
    const used = new Set(disks.map((d) => parseDisk(d).vdev));
    const vdev = ['hdc', 'hdd', 'hdb'].find((v) => !used.has(v)) ?? nextVdev(disks);
    return `format=raw, vdev=${vdev}, access=ro, devtype=cdrom, target=${path}`;
  }
  const format = /\.qcow2$/i.test(path) ? 'qcow2' : /\.vhd$/i.test(path) ? 'vhd' : 'raw';
  // target= last: it takes the rest of the spec, commas included
  return `format=${format}, vdev=${nextVdev(disks)}, access=rw, target=${path}`;
}

const looksLikeSpec = (s: string) => s.includes('=') || s.includes(',');

/** Where a spec typed as a flag or at a prompt sits, for diagnostics that point into it. */
const typed = (spec: string): SpecOrigin => ({ file: 'command line', line: 1, col: 1, excerpt: spec });

/** A reader's ConfigError as a prompt's one-line message (or rethrown when it is something else). */
function specProblem<T>(e: unknown, spec: string): Check<T> {
  const d = e instanceof ConfigError ? e.diagnostics.find((x) => x.severity === 'error') ?? e.diagnostics[0] : undefined;
  if (!d) throw e;
  return no(`${d.message} (at column ${d.col} of '${spec}')${d.hint ? `; ${d.hint}` : ''}`, e as ConfigError);
}

/** A disk: a path (made into a spec) or a disk spec, read by xl's disk reader. */
export function checkDisk(s: string, disks: string[], type?: GuestType, cwd = process.cwd()): Check<string> {
  let spec = s.trim();
  if (!spec) return no('empty disk: give a path or a disk spec');
  if (!looksLikeSpec(spec)) {
    if (!spec.includes('/')) return no(`'${spec}' is neither a path nor a disk spec (a path has a '/'; a spec has key=value words)`);
    const p = checkPath(spec, 'disk', cwd);
    if (!p.ok) return p;
    spec = diskSpecForPath(p.value, disks, type);
  }
  let vdev: string | undefined;
  try {
    vdev = parseDisk(spec, typed(spec)).vdev;
  } catch (e) {
    return specProblem(e, spec);
  }
  if (vdev && disks.some((d) => vdevOf(parseDisk(d).vdev ?? '') === vdevOf(vdev!))) return no(`another disk is already ${vdev}: pick another vdev`);
  return ok(spec);
}

/** A network: a bridge name (made into bridge=NAME) or a vif spec, read by xl's vif reader. */
export function checkNetwork(s: string): Check<string> {
  const t = s.trim();
  if (!t) return no('empty network: give a bridge name or a vif spec');
  const spec = looksLikeSpec(t) ? t : `bridge=${t}`;
  if (!looksLikeSpec(t) && !/^[^\s/:]{1,15}$/.test(t)) return no(`'${t}' is not a bridge name (at most 15 characters, no spaces, '/' or ':')`);
  try {
    parseVif(spec, typed(spec));
  } catch (e) {
    return specProblem(e, spec);
  }
  return ok(spec);
}

/** Boot settings that cannot go together, or that the guest type needs. */
export function bootProblem(a: NewAnswers): string | undefined {
  if (a.firmware !== undefined && a.type !== undefined) {
    const r = checkFirmware(a.firmware, a.type);
    if (!r.ok) return `--firmware '${a.firmware}': ${r.message}`;
  }
  if (a.bootloader !== undefined && a.type === 'hvm') return `--bootloader '${a.bootloader}': ${(checkBootloader(a.bootloader, 'hvm') as { message: string }).message}`;
  if (a.type !== 'hvm' && a.kernel !== undefined && a.firmware !== undefined) return 'a guest boots from --kernel or from --firmware, not both';
  if (a.type !== 'hvm' && a.kernel === undefined && a.firmware === undefined && a.bootloader === undefined) {
    return `a ${a.type?.toUpperCase() ?? 'PV'} guest needs --kernel PATH, --bootloader pygrub or --firmware pvgrub64`;
  }
  return undefined;
}

// The comment above each key says what it does, from the key catalogue.
function explain(key: string, extra = ''): string {
  const s = keyInfo(key)?.summary ?? key;
  return `# ${s[0]!.toUpperCase()}${s.slice(1)}${extra}.`;
}

/** The commented xl.cfg for a complete set of answers. */
export function renderConfig(a: NewAnswers): string {
  const out: string[] = [
    `# ${a.name}: a domain config for xl and txl, made by 'txl new'.`,
    "# Check it with 'txl check FILE'; start the domain with 'txl create FILE'.",
    '',
  ];
  const set = (key: string, v: string | number | undefined, extra?: string) => {
    if (v === undefined) return;
    out.push(explain(key, extra), `${key} = ${typeof v === 'number' ? v : quote(v)}`);
  };
  const list = (key: string, items: string[], extra: string) => {
    if (!items.length) return;
    out.push(explain(key, extra), `${key} = [`, ...items.map((i) => `    ${quote(i)},`), ']');
  };
  set('name', a.name);
  set('type', a.type);
  out.push('');
  set('memory', a.memory);
  set('vcpus', a.vcpus);
  out.push('');
  set('kernel', a.kernel, ' (a file in Domain-0)');
  set('ramdisk', a.ramdisk);
  set('cmdline', a.cmdline);
  set('bootloader', a.bootloader);
  set('firmware', a.firmware);
  if (out.at(-1) !== '') out.push('');
  list('disk', a.disks, ' (see xl-disk-configuration(5))');
  list('vif', a.networks, ' (see xl-network-configuration(5))');
  while (out.at(-1) === '') out.pop();
  return out.join('\n') + '\n';
}
