// Reading any domain description (xl.cfg, domain XML, libxl JSON) into the model and writing
// it back out. The parsers are pure; this module does the file I/O around them.
import type { HostInfo } from '../parsers/host.js';
import { existsSync } from 'node:fs';
import { fdOfPath, readBounded } from './readlimit.js';
import type { DomainConfig } from './core/model.js';
import type { Environment } from './env.js';
import { ConfigError, NotFoundError, TxlError, UsageError, type Diagnostic } from './core/errors.js';

export const FORMATS = ['xl', 'xml', 'json'] as const;
export type Format = (typeof FORMATS)[number];

export interface ReadOptions {
  from?: Format;
  /** `key=value` words given after the file name, as `xl create cfg key=val` */
  overrides?: string[];
  /** the host an xl.cfg's cpu lists and NUMA specs refer to (default: the corpus host) */
  host?: HostInfo;
}

export interface ReadResult {
  config: DomainConfig;
  warnings: Diagnostic[];
  format: Format;
}

export function parseFormat(s: string): Format {
  const f = s === 'cfg' || s === 'xen-xl' || s === 'xl.cfg' ? 'xl' : s === 'libxl' || s === 'libxl-json' ? 'json' : s;
  if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`unknown format '${s}'`, 'formats are xl (xl.cfg), xml (libvirt domain XML) and json (libxl JSON)');
  return f as Format;
}

/** Guesses a file's format from its name, then from its first significant character. */
export function detectFormat(file: string, text: string): Format {
  if (/\.xml$/i.test(file)) return 'xml';
  if (/\.json$/i.test(file)) return 'json';
  const first = text.replace(/^\uFEFF/, '').trimStart()[0];
  if (first === '<') return 'xml';
  if (first === '{') return 'json';
  return 'xl';
}

export async function readText(file: string, what = 'a domain config'): Promise<string> {
  try {
    return decodeUtf8(readBounded(file, what), file === '-' ? '<stdin>' : file);
  } catch (err) {
    if (err instanceof TxlError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new NotFoundError(`no such file '${file}'`, 'check the path; configs usually live in /etc/xen/');
    if (e.code === 'EISDIR') throw new TxlError(`'${file}' is a directory, not a config file`);
    if (e.code === 'EACCES') throw new TxlError(`cannot read '${file}': permission denied`, 'run as root or fix the file mode');
    throw new TxlError(`cannot read '${file}': ${e.message}`);
  }
}

function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ConfigError([{ severity: 'error', file, line: 1, col: 1, message: 'not valid UTF-8 text', hint: 'domain configs are text files (xl.cfg, domain XML or libxl JSON); check that the right file was given' }]);
  }
}

/**
 * onHost, given the config as read against the default host, may check it and return the
 * host it is for; an xl.cfg is then read again against that host (its cpu lists and NUMA
 * specs depend on it). Checks come first, so that a bad name never waits for the host.
 */
export type HostFor = (first: ReadResult) => Promise<HostInfo | undefined>;

/** env: the command's environment (its TXL_XL_CONF). */
export async function readDomainFile(file: string, env: Environment, opts: ReadOptions = {}, onHost?: HostFor): Promise<ReadResult> {
  const text = await readText(file);
  if (file === '-') return parseOnHost(text, '<stdin>', { ...opts, xlconf: await loadXlConf(env) }, onHost);
  // txl runs as root: a config anyone could have rewritten is refused, a shared one flagged
  // (/dev/stdin, /dev/fd/N: an fd the caller handed over, whose writer is the caller itself)
  const { checkTrustedFile } = await import('./validate.js');
  const trust = fdOfPath(file) === undefined ? checkTrustedFile(file, 'config') : { warnings: [] as string[] };
  const r = await parseOnHost(text, file, { ...opts, xlconf: await loadXlConf(env) }, onHost);
  const flagged: Diagnostic[] = trust.warnings.map((message) => ({ severity: 'warning', file, line: 1, col: 1, message, hint: 'make it writable only by its owner (chmod go-w)' }));
  return { ...r, warnings: [...flagged, ...r.warnings] };
}

async function parseOnHost(text: string, file: string, opts: ReadOptions & { xlconf?: unknown }, onHost?: HostFor): Promise<ReadResult> {
  if (!onHost) return parseDomainText(text, file, opts);
  // the first look may not refuse a CPU that the real host has and the default one lacks
  const { LARGEST_HOST } = await import('../parsers/host.js');
  const first = await parseDomainText(text, file, { ...opts, host: LARGEST_HOST });
  const host = await onHost(first);
  return first.format === 'xl' ? parseDomainText(text, file, { ...opts, host }) : first;
}

export async function parseDomainText(text: string, file: string, opts: ReadOptions & { xlconf?: unknown } = {}): Promise<ReadResult> {
  const format = opts.from ?? detectFormat(file, text);
  if (opts.overrides?.length && format !== 'xl') {
    throw new UsageError(`key=value overrides apply to xl.cfg files, and '${file}' is ${format === 'xml' ? 'domain XML' : 'libxl JSON'}`);
  }
  switch (format) {
    case 'xl': {
      const { xlcfgToModel } = await import('../parsers/xlcfg/to-model.js');
      const { defaultXlConf } = await import('../parsers/xlcfg/xlconf.js');
      const xlconf = (opts.xlconf as ReturnType<typeof defaultXlConf> | undefined) ?? defaultXlConf();
      const r = xlcfgToModel(text, file, { xlconf, overrides: opts.overrides, host: opts.host });
      return { config: r.config, warnings: r.warnings, format };
    }
    case 'xml': {
      const { xmlToModel } = await import('../parsers/xml/read.js');
      const r = xmlToModel(text, file);
      return { config: r.config, warnings: r.warnings, format };
    }
    case 'json': {
      const { libxlJsonToModel } = await import('../parsers/libxl-json.js');
      return { config: libxlJsonToModel(text, file), warnings: [], format };
    }
  }
}

export async function writeDomain(cfg: DomainConfig, to: Format): Promise<string> {
  switch (to) {
    case 'xl':
      return (await import('../parsers/xlcfg/write.js')).modelToXlcfg(cfg);
    case 'xml':
      return (await import('../parsers/xml/write.js')).modelToXml(cfg);
    case 'json':
      return (await import('../parsers/libxl-json.js')).modelToLibxlJson(cfg);
  }
}

/** xl.conf as xl reads it: the command's TXL_XL_CONF, else /etc/xen/xl.conf, else xl's built-in defaults. */
export async function loadXlConf(env: Environment) {
  const { defaultXlConf, parseXlConf } = await import('../parsers/xlcfg/xlconf.js');
  const fromEnv = env.TXL_XL_CONF;
  const path = fromEnv ?? '/etc/xen/xl.conf';
  if (!existsSync(path)) {
    if (fromEnv) throw new NotFoundError(`no such file '${path}' (from TXL_XL_CONF)`);
    return defaultXlConf();
  }
  if (!fromEnv) return parseXlConf(await readText(path, 'an xl.conf'), path);
  // a path from the environment may name any file root can read (/etc/shadow): no lines of it
  const { blindError } = await import('./secrets.js');
  try {
    return parseXlConf(await readText(path, 'an xl.conf'), path);
  } catch (e) {
    throw blindError(e, `the lines of '${path}' are not shown: it comes from TXL_XL_CONF, not from the command line`);
  }
}
