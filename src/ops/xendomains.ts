// Debian's xendomains starts every config in XENDOMAINS_AUTO (/etc/xen/auto) at boot: those
// domains are its own, and host-start/host-stop leave them alone so that no domain is
// started, saved or shut down by both.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Environment } from '../env.js';
import { readBounded } from '../readlimit.js';

const DEFAULTS = '/etc/default/xendomains';
const AUTO = '/etc/xen/auto';

/** XENDOMAINS_AUTO as /etc/default/xendomains sets it (TXL_XENDOMAINS_DEFAULTS names another file). */
export function xendomainsAutoDir(env: Environment): string {
  let text = '';
  try {
    text = readBounded(env.TXL_XENDOMAINS_DEFAULTS || DEFAULTS, 'the xendomains settings').toString('utf8');
  } catch {
    return AUTO;
  }
  const m = /^[ \t]*(?:export[ \t]+)?XENDOMAINS_AUTO=(?:"([^"]*)"|'([^']*)'|([^\s#;]*))/m.exec(text);
  const dir = m ? (m[1] ?? m[2] ?? m[3] ?? '') : AUTO;
  return dir || AUTO;
}

/** The domains xendomains owns, by name, with the config that makes it so. */
export function xendomainsOwned(env: Environment): Map<string, string> {
  const dir = xendomainsAutoDir(env);
  const owned = new Map<string, string>();
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => !f.startsWith('.'));
  } catch {
    return owned;
  }
  for (const f of files.sort()) {
    const path = join(dir, f);
    let text: string;
    try {
      text = readBounded(path, 'a config in XENDOMAINS_AUTO').toString('utf8');
    } catch {
      continue; // a directory or an unreadable entry: xl create would fail on it too
    }
    // xl.cfg's `name = "..."`, libvirt XML's <name>, libxl JSON's "name"
    const m = /^[ \t]*name[ \t]*=[ \t]*["']([^"'\n]+)["']/m.exec(text) ?? /<name>\s*([^<\s]+)\s*<\/name>/.exec(text) ?? /"name"\s*:\s*"([^"]+)"/.exec(text);
    const name = m?.[1] ?? f.replace(/\.(cfg|xml|json)$/, '');
    owned.set(name, path);
  }
  return owned;
}
