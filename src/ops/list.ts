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
  /** virsh's filters: true only autostart domains (--autostart), false only the others (--no-autostart) */
  autostart?: boolean;
  withManagedSave?: boolean;
  withoutManagedSave?: boolean;
  /** show a managed save as the state `saved` (virsh list --managed-save) */
  managedSave?: boolean;
}

/** Whether any of virsh's filters on autostart and managed saves was given. */
function filtering(o: ListOptions): boolean {
  return o.autostart !== undefined || Boolean(o.withManagedSave) || Boolean(o.withoutManagedSave);
}

/** virsh's filter groups: within one, either flag matches; across them, all must. */
function keep(o: ListOptions, m: ManagedDomain | undefined): boolean {
  if (o.autostart !== undefined && Boolean(m?.autostart) !== o.autostart) return false;
  const saved = Boolean(m?.managed_save);
  if ((o.withManagedSave || o.withoutManagedSave) && !((o.withManagedSave && saved) || (o.withoutManagedSave && !saved))) return false;
  return true;
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

function managedLine(m: ManagedDomain, verbose: boolean, showSaved?: boolean): string {
  const b = m.config.b_info ?? {};
  const mem = Math.floor((b.target_memkb ?? b.max_memkb ?? 0) / 1024);
  const vcpus = b.avail_vcpus?.length ?? b.max_vcpus ?? 1;
  const state = showSaved && m.managed_save ? 'saved ' : '------';
  let line = `${padEnd(m.name, 40)} ${pad('-', 5)} ${pad(mem, 5)} ${pad(vcpus, 5)}     ${state}  ${pad('-', 8)}`;
  if (verbose) line += ` ${m.uuid || '-'} ${pad('-', 8)} ${pad('-', 16)}`;
  return line;
}

export async function listDomains(ctx: Context, domain: string | undefined, opts: ListOptions): Promise<Result> {
  return withBackend(ctx, async (be) => {
    let infos = domain ? [await be.domainInfo(await be.resolve(domain))] : await be.listDomains();
    const allManaged = opts.all || filtering(opts) ? await be.listManaged() : [];
    if (filtering(opts)) infos = infos.filter((d) => keep(opts, allManaged.find((m) => m.name === d.name)));
    if (opts.long) return longList(be, infos, opts.securityInfo);
    const managed = domain || !opts.all ? [] : allManaged.filter((m) => !infos.some((d) => d.name === m.name) && keep(opts, m));
    const verbose = Boolean(opts.verbose);
    const lines = [listHeader(verbose), ...infos.map((d) => listLine(d, verbose)), ...managed.map((m) => managedLine(m, verbose, opts.managedSave))];
    // the views other than the text are built only when the output format asks for them
    // (a copy of every domain for -o json is most of the cost of a long list)
    return {
      get data() {
        const managedNames = new Set(allManaged.map((m) => m.name));
        const mark = (name: string) => (opts.all ? managedNames.has(name) : undefined);
        return [
          ...infos.map((d) => ({ ...d, state_flags: stateLetters(d), managed: mark(d.name) })),
          ...managed.map((m) => ({ domid: null, name: m.name, uuid: m.uuid, state: opts.managedSave && m.managed_save ? 'saved' : 'shutoff', managed: mark(m.name),
            autostart: Boolean(m.autostart), managed_save: Boolean(m.managed_save) })),
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
  const { configText, displayViews } = await import('./views.js');
  const { withoutSecrets } = await import('../secrets.js');
  const data: { domid: number; config: unknown; displays: unknown[] }[] = [];
  const items: string[] = [];
  for (const d of infos) {
    let json: string;
    let cfg;
    try {
      cfg = await be.domainConfig(d.domid);
      json = await configText(securityInfo ? cfg : withoutSecrets(cfg));
    } catch {
      continue; // a domain that vanished meanwhile is skipped, as xl skips one it cannot retrieve
    }
    // the ports the device model took are not in the config: -o json adds them (xl's text stays xl's)
    data.push({ domid: d.domid, config: JSON.parse(json), displays: await displayViews(be, d.domid, cfg) });
    items.push(`    {\n        "domid": ${d.domid},\n        "config": ${json.trimEnd().split('\n').map((l, i) => (i && l ? '        ' + l : l)).join('\n')}\n    }`);
  }
  return { data, text: items.length ? `[\n${items.join(',\n')}\n]\n` : '[\n\n]\n' };
}
