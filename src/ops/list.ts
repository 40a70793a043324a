// `txl list`: xl's exact columns by default, so that scripts parsing `xl list` keep working.
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import type { Backend, DomainInfo, ManagedDomain } from '../core/backend-types.js';
import { SHUTDOWN_REASON_CODES } from '../core/backend-types.js';
import { withBackend } from './connect.js';

export interface ListOptions {
  long?: boolean;
  verbose?: boolean;
  all?: boolean;
  securityInfo?: boolean;
}

const REASON_LETTERS = '-rscwS';

/** xl's six state letters: running, blocked, paused, shutdown, reason, dying. */
export function stateLetters(d: DomainInfo): string {
  const code = d.shutdown && d.shutdown_reason ? SHUTDOWN_REASON_CODES[d.shutdown_reason] : 0;
  return [d.running ? 'r' : '-', d.blocked ? 'b' : '-', d.paused ? 'p' : '-', d.shutdown ? 's' : '-', REASON_LETTERS[code] ?? '?', d.dying ? 'd' : '-'].join('');
}

const pad = (s: string | number, w: number) => String(s).padStart(w);
const padEnd = (s: string, w: number) => s.padEnd(w);

export function listHeader(verbose: boolean): string {
  return 'Name                                        ID   Mem VCPUs\tState\tTime(s)' + (verbose ? '   UUID                            Reason-Code\tSecurity Label' : '');
}

export function listLine(d: DomainInfo, verbose: boolean): string {
  const mem = Math.floor((d.current_memkb + d.outstanding_memkb) / 1024);
  let line = `${padEnd(d.name, 40)} ${pad(d.domid, 5)} ${pad(mem, 5)} ${pad(d.vcpu_online, 5)}     ${stateLetters(d)}  ${pad((d.cpu_time / 1e9).toFixed(1), 8)}`;
  if (verbose) {
    line += ` ${d.uuid}`;
    line += d.shutdown && d.shutdown_reason ? ` ${pad(SHUTDOWN_REASON_CODES[d.shutdown_reason].toString(16), 8)}` : ` ${pad('-', 8)}`;
    line += ` ${pad(d.ssid_label ?? '-', 16)}`;
  }
  return line;
}

function managedLine(m: ManagedDomain, verbose: boolean): string {
  const b = m.config.b_info ?? {};
  const mem = Math.floor((b.target_memkb ?? b.max_memkb ?? 0) / 1024);
  const vcpus = b.avail_vcpus?.length ?? b.max_vcpus ?? 1;
  let line = `${padEnd(m.name, 40)} ${pad('-', 5)} ${pad(mem, 5)} ${pad(vcpus, 5)}     ------  ${pad('-', 8)}`;
  if (verbose) line += ` ${m.uuid || '-'} ${pad('-', 8)} ${pad('-', 16)}`;
  return line;
}

export async function listDomains(ctx: Context, domain: string | undefined, opts: ListOptions): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const infos = domain ? [await be.domainInfo(await be.resolve(domain))] : await be.listDomains();
    if (opts.long) return longList(be, infos, opts.securityInfo);
    const allManaged = opts.all ? await be.listManaged() : [];
    const managed = domain ? [] : allManaged.filter((m) => !infos.some((d) => d.name === m.name));
    const verbose = Boolean(opts.verbose);
    const lines = [listHeader(verbose), ...infos.map((d) => listLine(d, verbose)), ...managed.map((m) => managedLine(m, verbose))];
    // the views other than the text are built only when the output format asks for them
    // (a copy of every domain for -o json is most of the cost of a long list)
    return {
      get data() {
        const managedNames = new Set(allManaged.map((m) => m.name));
        const mark = (name: string) => (opts.all ? managedNames.has(name) : undefined);
        return [
          ...infos.map((d) => ({ ...d, state_flags: stateLetters(d), managed: mark(d.name) })),
          ...managed.map((m) => ({ domid: null, name: m.name, uuid: m.uuid, state: 'shutoff', managed: mark(m.name) })),
        ];
      },
      text: lines.join('\n') + '\n',
      get table() {
        return {
          head: ['Name', 'ID', 'Mem', 'VCPUs', 'State', 'Time(s)', ...(verbose ? ['UUID', 'Reason'] : [])],
          rows: [
            ...infos.map((d) => [d.name, d.domid, Math.floor(d.current_memkb / 1024), d.vcpu_online, d.state, (d.cpu_time / 1e9).toFixed(1),
              ...(verbose ? [d.uuid, d.shutdown_reason ?? '-'] : [])]),
            ...managed.map((m) => [m.name, '-', Math.floor((m.config.b_info?.target_memkb ?? 0) / 1024), m.config.b_info?.max_vcpus ?? 1, 'shut off', '-',
              ...(verbose ? [m.uuid, '-'] : [])]),
          ],
        };
      },
    };
  });
}

/** xl list -l: each domain's live config in libxl JSON, laid out as xl's yajl prints it. */
async function longList(be: Backend, infos: DomainInfo[], securityInfo?: boolean): Promise<Result> {
  const { configText } = await import('./views.js');
  const { withoutSecrets } = await import('../secrets.js');
  const data: { domid: number; config: unknown }[] = [];
  const items: string[] = [];
  for (const d of infos) {
    let json: string;
    try {
      const cfg = await be.domainConfig(d.domid);
      json = await configText(securityInfo ? cfg : withoutSecrets(cfg));
    } catch {
      continue; // a domain that vanished meanwhile is skipped, as xl skips one it cannot retrieve
    }
    data.push({ domid: d.domid, config: JSON.parse(json) });
    items.push(`    {\n        "domid": ${d.domid},\n        "config": ${json.trimEnd().split('\n').map((l, i) => (i && l ? '        ' + l : l)).join('\n')}\n    }`);
  }
  return { data, text: items.length ? `[\n${items.join(',\n')}\n]\n` : '[\n\n]\n' };
}
