// What a simulated guest prints on its console, kept in one log file per domid beside the state
// (as xenconsoled keeps guest logs), appended after the state change is committed.
import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { writeAll, writeError } from '../fsutil.js';
import { join } from 'node:path';
import type { Disk } from '../core/model.js';
import type { SimDomain } from './state.js';
import type { SimPaths } from './paths.js';

export function consolePath(paths: SimPaths, domid: number): string {
  return join(paths.console, `${domid}.log`);
}

/**
 * Runs after the state is committed, so a full disk here must not fail the command: the log
 * is cut back to its last whole line and a warning says what was not written.
 */
export function appendConsole(paths: SimPaths, domid: number, lines: string[]): void {
  const path = consolePath(paths, domid);
  let fd: number | undefined;
  let size = 0;
  try {
    mkdirSync(paths.console, { recursive: true });
    fd = openSync(path, 'a', 0o644);
    size = fstatSync(fd).size;
    writeAll(fd, lines.map((l) => l + '\n').join(''), path);
  } catch (e) {
    if (fd !== undefined) {
      try {
        ftruncateSync(fd, size);
      } catch {
        /* the log keeps a partial line */
      }
    }
    process.stderr.write(`txl: warning: ${writeError(path, e).message} (the domain's console log)\n`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function readConsole(paths: SimPaths, domid: number): string {
  try {
    return readFileSync(consolePath(paths, domid), 'utf8');
  } catch {
    return '';
  }
}

export function removeConsole(paths: SimPaths, domid: number): void {
  rmSync(consolePath(paths, domid), { force: true });
}

const stamp = (t: number) => `[${t.toFixed(6).padStart(12)}]`;

/** A plausible boot log for the domain's type, kernel, disks and nics. */
export function bootLines(d: SimDomain): string[] {
  const c = d.config;
  const b = c.b_info;
  const type = c.c_info.type ?? 'pv';
  const out: string[] = [];
  if (type === 'hvm') {
    out.push('SeaBIOS (version 1.16.2-debian-1.16.2-1)', `Booting from Hard Disk...`);
  }
  const kernel = b.kernel ?? b['type.pv']?.kernel ?? (b.bootloader || b['type.pv']?.bootloader ? '(bootloader)' : undefined);
  out.push(
    `${stamp(0)} Linux version 6.1.0-sim-amd64 (txl simulator) #1 SMP Debian 6.1.0 (2024-01-01)`,
    `${stamp(0)} Command line: ${b.cmdline ?? b['type.pv']?.cmdline ?? ''}`.trimEnd(),
    `${stamp(0)} Booting paravirtualized kernel on Xen${type === 'pv' ? '' : ` ${type.toUpperCase()}`}`,
  );
  if (kernel) out.push(`${stamp(0)} Kernel image: ${kernel}`);
  out.push(
    `${stamp(0.001)} Memory: ${d.target_kb}K available`,
    `${stamp(0.002)} smp: Brought up 1 node, ${d.online_vcpus} CPU${d.online_vcpus === 1 ? '' : 's'}`,
  );
  let t = 0.4;
  for (const x of d.devices) {
    t += 0.01;
    if (x.kind === 'disk') {
      const disk = x.config as Disk;
      out.push(`${stamp(t)} blkfront: ${disk.vdev}: ${disk.is_cdrom ? 'cdrom' : 'disk'} ${disk.readwrite === 0 || disk.is_cdrom ? '(read-only)' : ''}`.trimEnd());
    } else if (x.kind === 'nic') {
      out.push(`${stamp(t)} xen_netfront: Initialising Xen virtual ethernet driver (eth${x.devid}, ${(x.config as { mac?: string }).mac})`);
    }
  }
  out.push(`${stamp(t + 0.5)} systemd[1]: Reached target Multi-User System.`, '', `Debian GNU/Linux 12 ${d.name} hvc0`, '', `${d.name} login: `);
  return out;
}

export function shutdownLines(action: 'poweroff' | 'reboot' | 'crash' | 'watchdog' | 'suspend'): string[] {
  switch (action) {
    case 'poweroff':
      return ['[  OK  ] Reached target System Power Off.', 'reboot: System halted', 'reboot: Power down'];
    case 'reboot':
      return ['[  OK  ] Reached target System Reboot.', 'reboot: Restarting system'];
    case 'crash':
      return ['Kernel panic - not syncing: Fatal exception (simulated by txl sim-guest crash)', '---[ end Kernel panic - not syncing: Fatal exception ]---'];
    case 'watchdog':
      return ['watchdog: BUG: soft lockup - CPU#0 stuck for 60s! (simulated by txl sim-guest watchdog)'];
    case 'suspend':
      return ['PM: suspend entry (s2idle)', 'xen:manage: suspending xenstore...'];
  }
}

export type SimConsoleType = 'pv' | 'serial' | 'vuart';

/**
 * Which console `type`/`num` names on a simulated guest, as xenconsole finds them on Xen:
 * 'primary' is the one its kernel prints on (serial 0 for HVM, pv 0 for PV and PVH), whose
 * output is the log; 'other' exists but stays silent; undefined means there is none.
 */
export function simConsoleKind(d: SimDomain, type: SimConsoleType | undefined, num = 0): 'primary' | 'other' | undefined {
  const guest = d.config.c_info.type ?? 'pv';
  const primary: SimConsoleType = guest === 'hvm' ? 'serial' : 'pv';
  const want = type ?? primary;
  if (want === primary && num === 0) return 'primary';
  if (want === 'pv') return num === 0 ? 'other' : undefined;
  if (want === 'serial') {
    if (guest !== 'hvm') return undefined;
    const hvm = d.config.b_info['type.hvm'];
    const ports = hvm?.serial_list?.length ?? (hvm?.serial ? 1 : 0);
    return num < ports ? 'other' : undefined;
  }
  // an emulated UART of Xen's own: Arm guests with vuart = "sbsa_uart"
  return num === 0 && d.config.b_info.arch_arm?.vuart ? 'other' : undefined;
}

/** What xenconsole says when the console it is asked for is not there, in one line. */
export function noSuchConsole(d: SimDomain, type: SimConsoleType, num: number): string {
  const guest = (d.config.c_info.type ?? 'pv').toUpperCase();
  return `domain '${d.name}' has no ${type} console ${num} (a ${guest} guest${type === 'serial' && guest !== 'HVM' ? ' has no emulated serial port' : ''})`;
}
