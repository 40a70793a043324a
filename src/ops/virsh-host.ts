// virsh's freecell, sysinfo, hostname and version: the host as virsh describes it, from
// hostInfo (libxl_physinfo, its NUMA nodes, uname and libxl_version_info) and, for sysinfo,
// the SMBIOS fields the dom0 kernel exposes under /sys/class/dmi/id.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import type { HostInfo } from '../core/backend-types.js';
import { NotFoundError, UsageError } from '../core/errors.js';
import { withBackend } from './connect.js';
import { virshText } from './text.js';

declare const TXL_VERSION: string;
const VERSION = typeof TXL_VERSION === 'string' ? TXL_VERSION : '0.0.0-dev';

export async function freecell(ctx: Context, o: { cellno?: string; all?: boolean }): Promise<Result> {
  if (o.all && o.cellno !== undefined) throw new UsageError('Options --all and --cellno are mutually exclusive');
  if (o.cellno !== undefined && !/^\d+$/.test(o.cellno.trim())) throw new UsageError(`Numeric value '${o.cellno}' for <cellno> option is malformed or out of range`);
  return withBackend(ctx, async (be) => {
    const h = await be.hostInfo();
    const cells = h.numa.map((n) => ({ cell: n.node, free_kib: Math.floor(n.free / 1024) }));
    const total = h.physinfo.free_memkb;
    if (o.cellno !== undefined) {
      const c = cells.find((x) => x.cell === Number(o.cellno));
      if (!c) throw new NotFoundError(`invalid argument: NUMA cell ${o.cellno} does not exist`);
      return { data: { cells: [c] }, text: virshText(ctx, `${c.cell}: ${c.free_kib} KiB\n`) };
    }
    if (o.all) {
      const lines = cells.map((c) => `${String(c.cell).padStart(5)}: ${String(c.free_kib).padStart(10)} KiB`);
      lines.push('-'.repeat(20), `${'Total'.padStart(5)}: ${String(total).padStart(10)} KiB`);
      return { data: { cells, total_kib: total }, text: virshText(ctx, lines.join('\n') + '\n'), table: { head: ['Cell', 'Free (KiB)'], rows: [...cells.map((c) => [c.cell, c.free_kib]), ['Total', total]] } };
    }
    return { data: { total_kib: total }, text: virshText(ctx, `Total: ${total} KiB\n`) };
  });
}

export async function hostname(ctx: Context): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const h = await be.hostInfo();
    return { data: { hostname: h.host }, text: virshText(ctx, h.host + '\n') };
  });
}

/** Xen's version as virsh gives it: major.minor.release, the release from xen_extra (".0"). */
export function xenVersion(h: HostInfo): string {
  const v = h.version_info;
  return `${v.xen_version_major}.${v.xen_version_minor}.${/^\.(\d+)/.exec(v.xen_version_extra)?.[1] ?? 0}`;
}

export async function version(ctx: Context): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const xen = xenVersion(await be.hostInfo());
    const data = { library: 'txl', library_version: VERSION, api: 'Xen', api_version: VERSION, hypervisor: 'Xen', hypervisor_version: xen, uri: be.uri };
    const text = [
      `Compiled against library: txl ${VERSION}`,
      `Using library: txl ${VERSION}`,
      `Using API: Xen ${VERSION}`,
      `Running hypervisor: Xen ${xen}`,
    ].join('\n') + '\n';
    return { data, text: virshText(ctx, text) };
  });
}

// ------------------------------------------------------------------ sysinfo

/** libvirt's SMBIOS sections and entries, each with the /sys/class/dmi/id file it comes from. */
const SMBIOS: [string, [string, string][]][] = [
  ['bios', [['vendor', 'bios_vendor'], ['version', 'bios_version'], ['date', 'bios_date'], ['release', 'bios_release']]],
  ['system', [['manufacturer', 'sys_vendor'], ['product', 'product_name'], ['version', 'product_version'], ['serial', 'product_serial'],
    ['uuid', 'product_uuid'], ['sku', 'product_sku'], ['family', 'product_family']]],
  ['baseBoard', [['manufacturer', 'board_vendor'], ['product', 'board_name'], ['version', 'board_version'], ['serial', 'board_serial'], ['asset', 'board_asset_tag']]],
  ['chassis', [['manufacturer', 'chassis_vendor'], ['version', 'chassis_version'], ['serial', 'chassis_serial'], ['asset', 'chassis_asset_tag']]],
];

/** What the simulated host's firmware says. */
const SIMULATED: Record<string, string> = {
  bios_vendor: 'txl simulator', bios_version: '1.0', bios_date: '01/01/2024', bios_release: '1.0',
  sys_vendor: 'txl simulator', product_name: 'simulated Xen host', product_version: '1.0',
  board_vendor: 'txl simulator', board_name: 'simulated board', chassis_vendor: 'txl simulator',
};

/** The SMBIOS fields under a dmi directory; files that are absent, unreadable (root only) or empty are left out. */
export function readDmi(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [, entries] of SMBIOS) {
    for (const [, file] of entries) {
      try {
        const v = readFileSync(join(dir, file), 'utf8').trim();
        if (v) out[file] = v;
      } catch {
        // not exposed by this kernel, or readable by root only
      }
    }
  }
  return out;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;');

export function sysinfoXml(dmi: Record<string, string>): { xml: string; data: Record<string, Record<string, string>> } {
  const lines = ["<sysinfo type='smbios'>"];
  const data: Record<string, Record<string, string>> = {};
  for (const [section, entries] of SMBIOS) {
    const have = entries.filter(([, file]) => dmi[file] !== undefined);
    if (!have.length) continue;
    data[section] = Object.fromEntries(have.map(([name, file]) => [name, dmi[file]!]));
    lines.push(`  <${section}>`, ...have.map(([name, file]) => `    <entry name='${name}'>${esc(dmi[file]!)}</entry>`), `  </${section}>`);
  }
  lines.push('</sysinfo>');
  return { xml: lines.join('\n') + '\n', data };
}

export async function sysinfo(ctx: Context): Promise<Result> {
  return withBackend(ctx, async (be) => {
    // txl has no dmidecode: the host's SMBIOS tables as the dom0 kernel exposes them
    const source = be.kind === 'xen' ? '/sys/class/dmi/id' : 'simulated';
    const { xml, data } = sysinfoXml(be.kind === 'xen' ? readDmi(source) : SIMULATED);
    return { data: { type: 'smbios', source, ...data }, text: virshText(ctx, xml) };
  });
}
