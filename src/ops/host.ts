// info, nodeinfo, capabilities, dmesg: the host as xl and virsh describe it.
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import type { HostInfo } from '../core/backend-types.js';
import { withBackend } from './connect.js';

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

/** xl info's lines, in xl's order, each `key : value` with the key padded to 23. */
export function infoLines(h: HostInfo): [string, string][] {
  const p = h.physinfo;
  const mib = (kb: number) => String(Math.floor(kb / 1024));
  return [
    ['host', h.host], ['release', h.release], ['version', h.version], ['machine', h.machine],
    ['nr_cpus', String(p.nr_cpus)], ['max_cpu_id', String(p.max_cpu_id)], ['nr_nodes', String(p.nr_nodes)],
    ['cores_per_socket', String(p.cores_per_socket)], ['threads_per_core', String(p.threads_per_core)],
    ['cpu_mhz', `${Math.floor(p.cpu_khz / 1000)}.${String(p.cpu_khz % 1000).padStart(3, '0')}`],
    ['hw_caps', p.hw_cap.map(hex8).join(':')],
    ['virt_caps', p.virt_caps.join(' ')],
    ['total_memory', mib(p.total_memkb)], ['free_memory', mib(p.free_memkb - p.outstanding_memkb)],
    ['sharing_freed_memory', mib(p.sharing_freed_memkb)], ['sharing_used_memory', mib(p.sharing_used_memkb)],
    ['outstanding_claims', mib(p.outstanding_memkb)], ['free_cpus', String(p.free_cpus)],
  ];
}

export function xenLines(h: HostInfo): [string, string][] {
  const v = h.version_info;
  return [
    ['xen_major', String(v.xen_version_major)], ['xen_minor', String(v.xen_version_minor)], ['xen_extra', v.xen_version_extra],
    ['xen_version', `${v.xen_version_major}.${v.xen_version_minor}${v.xen_version_extra}`], ['xen_caps', v.capabilities],
    ['xen_scheduler', h.scheduler], ['xen_pagesize', String(v.pagesize)],
    ['platform_params', `virt_start=0x${v.virt_start.toString(16)}`], ['xen_changeset', v.changeset], ['xen_commandline', v.commandline],
    ['cc_compiler', v.compiler], ['cc_compile_by', v.compile_by], ['cc_compile_domain', v.compile_domain],
    ['cc_compile_date', v.compile_date], ['build_id', v.build_id], ['xend_config_format', '4'],
  ];
}

// virt_caps has no space after the colon in xl ("virt_caps              : pv hvm" comes from a leading space per cap)
const kv = ([k, val]: [string, string]) => (k === 'virt_caps' ? `${k.padEnd(23)}:${val ? ' ' + val : ''}` : `${k.padEnd(23)}: ${val}`);

export async function info(ctx: Context, numa: boolean, key: string | undefined): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const h = await be.hostInfo();
    const head = infoLines(h);
    const tail = xenLines(h);
    const data = { ...Object.fromEntries([...head, ...tail]), ...(numa ? { cpu_topology: h.topology, numa_info: h.numa } : {}) };
    if (key && !numa) {
      // xl prints the value of every line whose name starts with KEY
      const hits = [...head, ...tail].filter(([k]) => k.startsWith(key));
      return { data: Object.fromEntries(hits), text: hits.map(([, val]) => val + '\n').join('') };
    }
    const lines = head.map(kv);
    if (numa) {
      lines.push('cpu_topology           :', 'cpu:    core    socket     node');
      for (const t of h.topology) lines.push(`${String(t.cpu).padStart(3)}:    ${String(t.core).padStart(4)}     ${String(t.socket).padStart(4)}     ${String(t.node).padStart(4)}`);
      lines.push('device topology        :', 'device           node', 'No device topology data available');
      lines.push('numa_info              :', 'node:    memsize    memfree    distances');
      for (const n of h.numa) {
        lines.push(`${String(n.node).padStart(4)}:    ${String(Math.floor(n.size / 2 ** 20)).padStart(6)}     ${String(Math.floor(n.free / 2 ** 20)).padStart(6)}      ${n.dists.join(',')}`);
      }
    }
    lines.push(...tail.map(kv));
    return { data, text: lines.join('\n') + '\n' };
  });
}

export async function nodeinfo(ctx: Context): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const h = await be.hostInfo();
    const p = h.physinfo;
    const sockets = Math.max(1, Math.ceil(p.nr_cpus / (p.cores_per_socket * p.threads_per_core)));
    const data = {
      cpu_model: h.machine, cpus: p.nr_cpus, mhz: Math.floor(p.cpu_khz / 1000), sockets, cores_per_socket: p.cores_per_socket,
      threads_per_core: p.threads_per_core, numa_cells: p.nr_nodes, memory_kib: p.total_memkb,
    };
    const rows: [string, string | number][] = [
      ['CPU model:', data.cpu_model], ['CPU(s):', data.cpus], ['CPU frequency:', `${data.mhz} MHz`], ['CPU socket(s):', sockets],
      ['Core(s) per socket:', data.cores_per_socket], ['Thread(s) per core:', data.threads_per_core], ['NUMA cell(s):', data.numa_cells],
      ['Memory size:', `${data.memory_kib} KiB`],
    ];
    return { data, text: rows.map(([k, v]) => `${k.padEnd(20)} ${v}`).join('\n') + '\n' };
  });
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;');

export async function capabilities(ctx: Context): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const h = await be.hostInfo();
    const caps = await be.capabilities();
    const x: string[] = ['<capabilities>', '', '  <host>', '    <cpu>', `      <arch>${esc(caps.arch)}</arch>`,
      `      <topology sockets='${Math.max(1, Math.ceil(h.physinfo.nr_cpus / (h.physinfo.cores_per_socket * h.physinfo.threads_per_core)))}' dies='1' cores='${h.physinfo.cores_per_socket}' threads='${h.physinfo.threads_per_core}'/>`,
      '    </cpu>', '    <power_management/>', '    <iommu support=\'yes\'/>', '    <migration_features>', '      <live/>', '    </migration_features>',
      '    <topology>', `      <cells num='${h.numa.length}'>`];
    for (const n of h.numa) {
      x.push(`        <cell id='${n.node}'>`, `          <memory unit='KiB'>${Math.floor(n.size / 1024)}</memory>`, '          <distances>');
      n.dists.forEach((d, j) => x.push(`            <sibling id='${j}' value='${d}'/>`));
      x.push('          </distances>', `          <cpus num='${n.cpus.length}'>`);
      for (const c of n.cpus) {
        const t = h.topology.find((t) => t.cpu === c);
        x.push(`            <cpu id='${c}' socket_id='${t?.socket ?? 0}' die_id='0' core_id='${t?.core ?? c}' siblings='${c}'/>`);
      }
      x.push('          </cpus>', '        </cell>');
    }
    x.push('      </cells>', '    </topology>', '  </host>', '');
    for (const g of caps.guests) {
      x.push('  <guest>', `    <os_type>${g.os_type}</os_type>`, `    <arch name='${g.arch}'>`, `      <wordsize>${g.wordsize}</wordsize>`,
        `      <emulator>/usr/lib/xen/bin/qemu-system-i386</emulator>`, `      <machine>${g.machine}</machine>`, `      <domain type='${g.domain}'/>`, '    </arch>',
        '  </guest>', '');
    }
    x.push('</capabilities>');
    return { data: { host: { arch: caps.arch, nr_cpus: h.physinfo.nr_cpus, numa: h.numa }, guests: caps.guests }, text: x.join('\n') + '\n' };
  });
}

export async function dmesg(ctx: Context, clear: boolean): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const lines = await be.dmesg(clear);
    return { data: lines, text: lines.map((l) => l + '\n').join('') };
  });
}
