// The questions of `txl new`, asked only on a terminal and only for what no flag answered.
// Every answer goes through the same check as its flag (new-config.ts), so a bad disk spec
// is asked again with the reader's own message rather than accepted and refused later.
import { basename } from 'node:path';
import { CancelledError, InternalError } from '../core/errors.js';
import {
  checkCmdline, checkDisk, checkFirmware, checkMemory, checkName, checkNetwork, checkPath, checkVcpus,
  type Check, type GuestType, type NewAnswers,
} from './new-config.js';

/** What the host says about itself, for defaults and choices; every part may be unknown. */
export interface HostFacts {
  bridges: string[];
  cpus?: number;
  freeMiB?: number;
}

export interface AskIO {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

type Prompts = typeof import('../prompts.js');

/** Runs one prompt; Ctrl-C (or a closed terminal) ends `txl new` with nothing written. */
async function asked<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    const name = (e as Error)?.name;
    if (name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'CancelPromptError') throw new CancelledError('cancelled; nothing was written');
    throw e;
  }
}

const validator = <T>(check: (s: string) => Check<T>) => (s: string) => {
  const r = check(s);
  return r.ok ? true : r.message;
};
const value = <T>(r: Check<T>): T => {
  if (!r.ok) throw new InternalError(`internal: an answer passed its prompt's check and failed it after: ${r.message}`);
  return r.value;
};

export async function askMissing(a: NewAnswers, host: HostFacts, io: AskIO, hints: { output?: string } = {}): Promise<NewAnswers> {
  const p: Prompts = await import('../prompts.js');
  const ctx = { input: io.input as NodeJS.ReadStream, output: io.output as NodeJS.WriteStream };
  const text = (message: string, check: (s: string) => Check<unknown>, o: { default?: string; editable?: boolean; show?: (s: string) => string } = {}) =>
    asked(p.input({
      message,
      default: o.default,
      prefill: o.editable ? 'editable' : 'tab',
      validate: validator(check),
      transformer: o.show ? (v, { isFinal }) => (isFinal ? o.show!(v) : v) : undefined,
    }, ctx));
  const optional = <T>(check: (s: string) => Check<T>) => (s: string): Check<T | undefined> => (s.trim() === '' ? { ok: true, value: undefined } : check(s));

  if (a.type === undefined) {
    a.type = await asked(p.select<GuestType>({
      message: 'Guest type',
      default: 'pvh',
      choices: [
        { value: 'pvh', name: 'PVH', description: 'paravirtualised, in a light hardware container: modern Linux and FreeBSD kernels' },
        { value: 'pv', name: 'PV', description: 'fully paravirtualised: older kernels, or hosts without hardware virtualisation' },
        { value: 'hvm', name: 'HVM', description: 'a whole virtual machine with its own firmware: any OS, Windows included' },
      ],
    }, ctx));
  }
  const type = a.type;

  if (a.name === undefined) {
    const fromFile = hints.output ? basename(hints.output).replace(/\.(cfg|xl)$/i, '') : undefined;
    a.name = value(checkName(await text('Domain name', checkName, { default: fromFile && checkName(fromFile).ok ? fromFile : undefined })));
  }

  if (a.memory === undefined) {
    const free = host.freeMiB !== undefined ? `, ${host.freeMiB} MiB free on the host` : '';
    a.memory = value(checkMemory(await text(`Memory (MiB, or a size like 512M or 2G${free})`, checkMemory, { default: type === 'hvm' ? '2048' : '1024' })));
  }

  if (a.vcpus === undefined) {
    const cpus = host.cpus !== undefined ? ` (the host has ${host.cpus} CPUs)` : '';
    a.vcpus = value(checkVcpus(await text(`vCPUs${cpus}`, checkVcpus, { default: '1' })));
  }

  if (type === 'hvm') {
    if (a.firmware === undefined && a.kernel === undefined) {
      const fw = await asked(p.select<string>({
        message: 'Firmware',
        default: 'bios',
        choices: [
          { value: 'bios', name: 'BIOS', description: 'SeaBIOS: boots MBR disks and most install media' },
          { value: 'uefi', name: 'UEFI', description: 'OVMF: boots GPT/EFI systems (needs OVMF installed in Domain-0)' },
          { value: '', name: 'another firmware image', description: 'the path of a firmware file in Domain-0' },
        ],
      }, ctx));
      const check = (s: string) => checkFirmware(s, type);
      a.firmware = fw || value(check(await text('Firmware image (a path in Domain-0)', check)));
    }
  } else if (a.kernel === undefined && a.bootloader === undefined && a.firmware === undefined) {
    const how = await asked(p.select<string>({
      message: 'How does it boot?',
      default: 'kernel',
      choices: [
        { value: 'kernel', name: 'a kernel file in Domain-0', description: 'direct boot: the kernel (and initrd) are files on this host' },
        { value: 'pygrub', name: 'pygrub', description: 'reads the kernel from the guest\'s own disk, following its grub config' },
        { value: 'pvgrub64', name: 'pvgrub64', description: 'PV GRUB as the guest\'s firmware (needs grub-xen in Domain-0)' },
      ],
    }, ctx));
    if (how === 'pygrub') a.bootloader = 'pygrub';
    else if (how === 'pvgrub64') a.firmware = 'pvgrub64';
    else {
      const kernel = (s: string) => checkPath(s, 'kernel');
      a.kernel = value(kernel(await text('Kernel (a path in Domain-0)', kernel)));
    }
  }
  // a directly booted kernel (asked or given) usually wants its initrd and command line
  if (type !== 'hvm' && a.kernel !== undefined) {
    if (a.ramdisk === undefined) {
      const ramdisk = optional((s: string) => checkPath(s, 'ramdisk'));
      a.ramdisk = value(ramdisk(await text('Initrd (a path; empty for none)', ramdisk)));
    }
    if (a.cmdline === undefined) {
      const cmdline = optional(checkCmdline);
      a.cmdline = value(cmdline(await text('Kernel command line (Backspace then Enter for none)', cmdline, { default: 'root=/dev/xvda1 ro console=hvc0' })));
    }
  }

  if (!a.disks.length) {
    for (let i = 0; ; i++) {
      const more = await asked(p.confirm({ message: i ? 'Add another disk?' : 'Add a disk?', default: i === 0 }, ctx));
      if (!more) break;
      const check = (s: string) => checkDisk(s, a.disks, type);
      const path = `/var/lib/xen/images/${a.name}${i ? `-${i + 1}` : ''}.img`;
      const spec = await text(`Disk ${i + 1} (a path, or a disk spec like "vdev=xvda, target=/dev/vg0/${a.name}")`, check, {
        default: path, editable: true, show: (v) => { const r = check(v); return r.ok ? r.value : v; },
      });
      a.disks.push(value(check(spec)));
    }
  }

  if (!a.networks.length) {
    const bridges = [...host.bridges].sort((x, y) => Number(!x.startsWith('xenbr')) - Number(!y.startsWith('xenbr')) || x.localeCompare(y));
    for (let i = 0; ; i++) {
      const none = i ? 'no more interfaces' : 'no network';
      const choice = await asked(p.select<string>({
        message: `Network interface ${i + 1}`,
        default: i === 0 && bridges.length ? `bridge=${bridges[0]}` : '',
        choices: [
          ...bridges.map((b) => ({ value: `bridge=${b}`, name: `bridge ${b}`, description: `joins the host's bridge ${b}` })),
          { value: '?', name: 'type a vif spec', description: 'e.g. "bridge=br0, mac=00:16:3e:01:02:03" (xl-network-configuration(5))' },
          { value: '', name: none, description: bridges.length ? '' : 'no bridge was found on this host' },
        ],
      }, ctx));
      if (!choice) break;
      a.networks.push(choice === '?' ? value(checkNetwork(await text('vif spec', checkNetwork))) : choice);
    }
  }
  return a;
}
