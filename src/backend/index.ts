// Picks the connection: --connect, then TXL_CONNECT, then the user's and the system's
// txl.yaml, then xen:///system. Backends are imported lazily so that a command which never
// touches a hypervisor (convert, check) never loads one.
import { existsSync } from 'node:fs';
import { MAX_YAML_BYTES, readBounded } from '../readlimit.js';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { ConnectError } from '../core/errors.js';
import type { Backend } from '../core/backend-types.js';
import { loadYaml } from '../yaml.js';
import { processEnvironment, type Environment } from '../env.js';

export type { Backend } from '../core/backend-types.js';

export const DEFAULT_URI = 'xen:///system';

export type ParsedUri = { kind: 'xen' } | { kind: 'test'; host: 'default' } | { kind: 'test'; host: string };

export function parseUri(uri: string): ParsedUri {
  const m = /^([a-z0-9+]+):\/\/([^/]*)(\/.*)?$/i.exec(uri.trim());
  if (!m) throw new ConnectError(`'${uri}' is not a connection URI`, 'use xen:///system, test:///default or test:///PATH/TO/host.yaml');
  const [, scheme, authority, path = ''] = m;
  if (authority) throw new ConnectError(`remote connections ('${authority}' in '${uri}') are not supported`, 'txl talks to the local host only; run it there, e.g. over ssh');
  if (scheme === 'xen' || scheme === 'libxl' || scheme === 'xen+unix') {
    if (path !== '/system' && path !== '/' && path !== '') throw new ConnectError(`unknown Xen connection path '${path}' in '${uri}'`, 'use xen:///system');
    return { kind: 'xen' };
  }
  if (scheme === 'test') {
    if (path === '/default' || path === '/' || path === '') return { kind: 'test', host: 'default' };
    return { kind: 'test', host: path };
  }
  throw new ConnectError(`unknown connection scheme '${scheme}' in '${uri}'`, 'use xen:///system, test:///default or test:///PATH/TO/host.yaml');
}

/** The config files that may name a default connection, most specific first. */
export function configFiles(): string[] {
  const xdg = process.env.XDG_CONFIG_HOME && isAbsolute(process.env.XDG_CONFIG_HOME) ? process.env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return [join(xdg, 'txl', 'txl.yaml'), '/etc/txl/txl.yaml'];
}

/** The URI to use and where it came from (for messages). */
export async function chooseUri(flag?: string): Promise<{ uri: string; from: string }> {
  if (flag) return { uri: flag, from: '--connect' };
  if (process.env.TXL_CONNECT) return { uri: process.env.TXL_CONNECT, from: 'TXL_CONNECT' };
  for (const file of configFiles()) {
    if (!existsSync(file)) continue;
    const YAML = await loadYaml();
    let doc: unknown;
    try {
      // uniqueKeys off: the yaml package checks them in quadratic time, and only `connect` is read
      doc = YAML.parse(readBounded(file, 'a txl.yaml', MAX_YAML_BYTES).toString('utf8'), { uniqueKeys: false });
    } catch (e) {
      throw new ConnectError(`cannot read '${file}': ${(e as Error).message.split('\n')[0]}`);
    }
    const uri = doc && typeof doc === 'object' ? (doc as Record<string, unknown>).connect : undefined;
    if (typeof uri === 'string' && uri) return { uri, from: file };
  }
  return { uri: DEFAULT_URI, from: 'default' };
}

export async function openBackend(flag?: string, env: Environment = processEnvironment()): Promise<Backend> {
  const { uri, from } = await chooseUri(flag);
  let parsed: ParsedUri;
  try {
    parsed = parseUri(uri);
  } catch (e) {
    if (e instanceof ConnectError && from !== '--connect') e.message += ` (from ${from})`;
    throw e;
  }
  if (parsed.kind === 'xen') {
    const { openXen } = await import('./xen.js');
    return openXen(uri, env);
  }
  const { openSimulator } = await import('../sim/backend.js');
  const host = parsed.host === 'default' ? 'default' : resolve(parsed.host);
  return openSimulator(uri, host, env);
}

