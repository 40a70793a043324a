// Picks the connection: --connect, then TXL_CONNECT, then the user's and the system's
// txl.yaml, then xen:///system. Backends are imported lazily so that a command which never
// touches a hypervisor (convert, check) never loads one. composeBackend puts the host's
// layers (boot policy, hooks) around a connection: every command gets its backend through
// it (ops/connect.ts), and so does the monitor (src/monitor/run.ts).
import { existsSync } from 'node:fs';
import { MAX_YAML_BYTES, readBounded } from '../readlimit.js';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { ConnectError } from '../core/errors.js';
import type { Backend } from '../core/backend-types.js';
import type { Context } from '../context.js';
import type { Environment } from '../env.js';
import { withHooks } from '../hooks-backend.js';
import { withBootPolicy } from '../policy.js';
import { loadYaml } from '../yaml.js';
import { isRemoteUri, resolveAlias } from '../remote/uri.js';

export type { Backend } from '../core/backend-types.js';

export const DEFAULT_URI = 'xen:///system';

export type ParsedUri = { kind: 'xen' } | { kind: 'test'; host: 'default' } | { kind: 'test'; host: string };

export function parseUri(uri: string): ParsedUri {
  const m = /^([a-z0-9+]+):\/\/([^/]*)(\/.*)?$/i.exec(uri.trim());
  if (!m) throw new ConnectError(`'${uri}' is not a connection URI`, 'use xen:///system, test:///default or test:///PATH/TO/host.yaml');
  const [, scheme, authority, path = ''] = m;
  if (isRemoteUri(uri)) throw new ConnectError(`remote connections ('${uri}') are run by the txl command line over ssh, not opened here`, `run: txl -c ${uri} COMMAND`);
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
export function configFiles(env: Environment): string[] {
  const home = env.HOME && isAbsolute(env.HOME) ? env.HOME : homedir();
  const xdg = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(home, '.config');
  return [join(xdg, 'txl', 'txl.yaml'), '/etc/txl/txl.yaml'];
}

/** The URI to use and where it came from (for messages). */
export async function chooseUri(flag: string | undefined, env: Environment): Promise<{ uri: string; from: string }> {
  const { uri, from } = await namedUri(flag, env);
  // a name without '://' is an alias from uri_aliases (virsh's), e.g. `-c prod`
  return { uri: await resolveAlias(uri, env, from), from };
}

async function namedUri(flag: string | undefined, env: Environment): Promise<{ uri: string; from: string }> {
  if (flag) return { uri: flag, from: '--connect' };
  if (env.TXL_CONNECT) return { uri: env.TXL_CONNECT, from: 'TXL_CONNECT' };
  for (const file of configFiles(env)) {
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

/** What a connection is opened with: the command's environment, and where its notes go. */
export type BackendIo = Pick<Context, 'env' | 'stderr'>;

/** The bare connection --connect (or the environment, or txl.yaml) names: no layers. */
export async function openBackend(flag: string | undefined, io: BackendIo): Promise<Backend> {
  const { env } = io;
  const { uri, from } = await chooseUri(flag, env);
  let parsed: ParsedUri;
  try {
    parsed = parseUri(uri);
  } catch (e) {
    if (e instanceof ConnectError && from !== '--connect') e.message += ` (from ${from})`;
    throw e;
  }
  if (parsed.kind === 'xen') {
    const { openXen } = await import('./xen.js');
    return openXen(uri, env, io.stderr);
  }
  const { openSimulator } = await import('../sim/backend.js');
  const host = parsed.host === 'default' ? 'default' : resolve(parsed.host);
  return openSimulator(uri, host, env, io.stderr);
}

/**
 * The connection as every caller that changes domains must see it: each create checked
 * against the boot policy, and the hooks run around create, destroy and reboot. The policy
 * sits inside the hooks, so that a migration (which drops the hooks: unhooked()) keeps it.
 */
export function composeBackend(ctx: Pick<Context, 'env' | 'warn'>, raw: Backend): Backend {
  return withHooks(withBootPolicy(raw, ctx.env), { env: ctx.env, warn: (m) => ctx.warn(m) });
}
