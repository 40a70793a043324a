// Remote connection URIs (xen+ssh://[user@]host[:port]/system, test+ssh://host/default or
// test+ssh://host/PATH) and the URI aliases of txl.yaml (`uri_aliases: {prod: URI}`), as
// virsh's uri_aliases. A remote URI is never opened here: the entry hands the whole command
// line to txl on that host over ssh (forward.ts).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { ConnectError } from '../core/errors.js';
import type { Environment } from '../env.js';
import { MAX_YAML_BYTES, readBounded } from '../readlimit.js';

export interface RemoteUri {
  /** as typed, for messages */
  uri: string;
  user?: string;
  host: string;
  port?: number;
  /** the URI the remote txl runs with: xen:///system, test:///default or test:///PATH */
  local: string;
}

const REMOTE = /^(xen|test)\+ssh:\/\/([^/?#]*)(\/[^?#]*)?$/i;

/** True for any URI that names a remote host over ssh (well formed or not). */
export function isRemoteUri(uri: string): boolean {
  return /^[a-z0-9]+\+ssh:\/\//i.test(uri.trim());
}

/** The parts of a +ssh URI; a ConnectError (one line) when it is not one txl can use. */
export function parseRemoteUri(uri: string): RemoteUri {
  const m = REMOTE.exec(uri.trim());
  if (!m) {
    throw new ConnectError(`'${uri}' is not a remote connection URI txl knows`, 'use xen+ssh://[user@]host[:port]/system or test+ssh://[user@]host[:port]/default');
  }
  const [, scheme, authority, path = ''] = m;
  const at = authority.lastIndexOf('@');
  const user = at >= 0 ? decodeURIComponent(authority.slice(0, at)) : undefined;
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
  // [v6::addr]:port or name:port
  const hp = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(hostPort);
  if (!hp) throw new ConnectError(`no host in '${uri}'`, 'e.g. xen+ssh://root@dom0.example/system');
  const host = hp[1].replace(/^\[|\]$/g, '');
  const port = hp[2] === undefined ? undefined : Number(hp[2]);
  if (port !== undefined && (port < 1 || port > 65535)) throw new ConnectError(`bad port ${hp[2]} in '${uri}'`);
  // ssh would read a leading '-' as an option of its own
  if (host.startsWith('-') || user?.startsWith('-') || /[\s\0]/.test(host + (user ?? ''))) {
    throw new ConnectError(`bad host or user in '${uri}'`);
  }
  let local: string;
  if (scheme.toLowerCase() === 'xen') {
    if (path !== '/system' && path !== '/' && path !== '') throw new ConnectError(`unknown Xen connection path '${path}' in '${uri}'`, 'use xen+ssh://HOST/system');
    local = 'xen:///system';
  } else {
    local = path === '' || path === '/' || path === '/default' ? 'test:///default' : `test://${path}`;
  }
  return { uri, user, host, port, local };
}

/** The txl.yaml files that may hold uri_aliases: the user's, then the system's (TXL_CONF). */
function aliasFiles(env: Environment): string[] {
  const home = env.HOME && isAbsolute(env.HOME) ? env.HOME : homedir();
  const xdg = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(home, '.config');
  return [join(xdg, 'txl', 'txl.yaml'), env.TXL_CONF || '/etc/txl/txl.yaml'];
}

/** Every alias the txl.yaml files name; the user's file wins over the system's. */
export async function loadAliases(env: Environment): Promise<Record<string, string>> {
  const aliases: Record<string, string> = {};
  for (const file of aliasFiles(env).reverse()) {
    if (!existsSync(file)) continue;
    let text: string;
    try {
      text = readBounded(file, 'a txl.yaml', MAX_YAML_BYTES).toString('utf8');
    } catch {
      continue;
    }
    // most txl.yaml files hold no aliases: do not load the YAML reader for them
    if (!text.includes('uri_aliases')) continue;
    const { loadYaml } = await import('../yaml.js');
    let doc: unknown;
    try {
      doc = (await loadYaml()).parse(text, { uniqueKeys: false });
    } catch (e) {
      throw new ConnectError(`cannot read '${file}': ${(e as Error).message.split('\n')[0]}`);
    }
    const found = doc && typeof doc === 'object' ? (doc as Record<string, unknown>).uri_aliases : undefined;
    if (found === undefined || found === null) continue;
    if (typeof found !== 'object' || Array.isArray(found)) throw new ConnectError(`'uri_aliases' in '${file}' must be a mapping of names to URIs`);
    for (const [name, value] of Object.entries(found)) {
      if (typeof value !== 'string' || !value.includes('://')) {
        throw new ConnectError(`alias '${name}' in '${file}' must name a URI such as xen+ssh://root@dom0/system`);
      }
      aliases[name] = value;
    }
  }
  return aliases;
}

/**
 * The URI a --connect value (or TXL_CONNECT) stands for: itself when it has '://', else the
 * alias of that name. An unknown name is one line listing the aliases there are.
 */
export async function resolveAlias(value: string, env: Environment, from = '--connect'): Promise<string> {
  if (value.includes('://')) return value;
  const aliases = await loadAliases(env);
  const uri = aliases[value];
  if (uri !== undefined) return uri;
  const names = Object.keys(aliases).sort();
  throw new ConnectError(
    `'${value}' (from ${from}) is neither a connection URI nor an alias (${names.length ? `aliases: ${names.join(', ')}` : 'no uri_aliases in txl.yaml'})`,
    'use xen:///system, test:///default, xen+ssh://[user@]host/system, or a name from uri_aliases in txl.yaml',
  );
}
