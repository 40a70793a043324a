import { defineCommand, type Forwarded } from '../../src/command.js';
import type { NewOptions } from '../../src/ops/new.js';

export default defineCommand({
  name: 'new',
  summary: 'write a new domain config (xl.cfg), asking on a terminal for what the flags leave open',
  description:
    'On a terminal, asks for the guest type, name, memory, vCPUs, how it boots, its disks and its networks (from the host\'s bridges), ' +
    'checking each answer with the readers txl create uses; every question also has a flag. Without a terminal nothing is asked: ' +
    'NAME, --type, --memory and (for PV and PVH) a boot source must be given, or txl new fails at once naming what is missing. ' +
    'The commented config goes to stdout, or with -f to FILE (saved atomically; an existing file is replaced only with --force, or after asking). ' +
    'A path given to --disk becomes a read-write disk on the next free xvdX; a bare word given to --network is a bridge.',
  examples: [
    'txl new -f /etc/xen/web.cfg',
    'txl new web --type pvh --memory 1G --vcpus 2 --kernel /boot/vmlinuz --ramdisk /boot/initrd.img \\\n    --cmdline "root=/dev/xvda1 ro" --disk /dev/vg0/web --network xenbr0 > web.cfg',
    'txl new win --type hvm --memory 4G --firmware uefi --disk "format=qcow2, vdev=xvda, target=/srv/win.qcow2" -f win.cfg',
  ],
  family: 'txl',
  group: 'config',
  args: [{ name: 'name', summary: 'the domain\'s name', required: false, complete: 'none' }],
  options: [
    { flags: '--type <type>', summary: 'guest type', choices: ['pv', 'pvh', 'hvm'] },
    { flags: '--memory <size>', summary: 'memory: MiB, or a size like 512M or 2G' },
    { flags: '--vcpus <n>', summary: 'number of vCPUs (default 1)', type: 'number' },
    { flags: '--kernel <path>', summary: 'kernel in Domain-0 for direct boot (PV, PVH)', complete: 'file' },
    { flags: '--ramdisk <path>', summary: 'initrd in Domain-0, with --kernel', complete: 'file' },
    { flags: '--cmdline <str>', summary: 'kernel command line, with --kernel' },
    { flags: '--firmware <fw>', summary: 'HVM: bios, uefi or a firmware path; PV/PVH: pvgrub32 or pvgrub64', complete: ['bios', 'uefi', 'pvgrub64', 'pvgrub32'] },
    { flags: '--bootloader <prog>', summary: 'bootloader run in Domain-0, e.g. pygrub (PV, PVH)', complete: ['pygrub'] },
    { flags: '--disk <spec>', summary: 'a disk: a path, or an xl disk spec (repeat for more)', type: 'list', complete: 'file' },
    { flags: '--network <bridge>', summary: 'a network interface: a bridge name, or an xl vif spec (repeat for more)', type: 'list' },
    { flags: '-f, --output <file>', summary: 'write the config to FILE instead of stdout', complete: 'file' },
    { flags: '--force', summary: 'replace FILE if it exists' },
  ],
  modifies: false,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { newDomainConfig } = await import('../../src/ops/new.js');
    return newDomainConfig(ctx, args.name, opts satisfies Forwarded<typeof opts, NewOptions>);
  },
});
