// virsh's device commands, with virsh's options and messages.
import { defineCommand } from '../src/command.js';

const domainArg = { name: 'domain', summary: 'domain name, id or UUID', complete: 'domain' as const };
const ops = () => import('../src/ops/virsh-devices.js');

export const attachDisk = defineCommand({
  name: 'attach-disk',
  summary: 'attach a disk to a running domain (virsh style)',
  description: 'The disk libvirt\'s libxl driver would build: --driver qemu|phy|tap|file picks the backend, --subdriver the format.',
  examples: ['txl attach-disk guest /srv/data.img xvdb', 'txl attach-disk guest /srv/iso/x.iso hdc --type cdrom', 'txl attach-disk guest /dev/vg/x xvdc --driver phy --mode readonly'],
  family: 'virsh',
  group: 'devices',
  args: [
    domainArg,
    { name: 'source', summary: 'the image file or block device', complete: 'file' },
    { name: 'target', summary: 'the guest\'s name for it (xvdb, hdc...)', complete: 'none' },
  ],
  options: [
    { flags: '--driver <name>', summary: 'qemu, phy, tap or file', choices: ['qemu', 'phy', 'tap', 'tap2', 'file'] },
    { flags: '--subdriver <format>', summary: 'image format: raw, qcow, qcow2, vhd, qed' },
    { flags: '--type <type>', summary: 'disk or cdrom', choices: ['disk', 'cdrom'] },
    { flags: '--mode <mode>', summary: 'readonly (or shareable, ignored by libxl)', choices: ['readonly', 'shareable'] },
    { flags: '--targetbus <bus>', summary: 'accepted for virsh compatibility; the target name decides the bus', hidden: true },
  ],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    return (await ops()).attachDisk(ctx, args.domain, args.source, args.target, opts);
  },
});

export const attachInterface = defineCommand({
  name: 'attach-interface',
  summary: 'attach a network interface to a running domain (virsh style)',
  examples: ['txl attach-interface guest bridge xenbr0', 'txl attach-interface guest bridge xenbr1 --mac 00:16:3e:00:00:09 --model e1000'],
  family: 'virsh',
  group: 'devices',
  args: [
    domainArg,
    { name: 'type', summary: 'bridge or ethernet', complete: ['bridge', 'ethernet'] },
    { name: 'source', summary: 'the bridge to connect to', required: false, complete: 'none' },
  ],
  options: [
    { flags: '--mac <mac>', summary: 'MAC address (default: a fresh 00:16:3e one)' },
    { flags: '--model <model>', summary: 'emulated NIC model for HVM guests (e1000, rtl8139, netfront)' },
    { flags: '--script <path>', summary: 'hotplug script' },
    { flags: '--target <name>', summary: 'the backend interface name' },
  ],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    return (await ops()).attachInterface(ctx, args.domain, args.type, args.source, opts);
  },
});

export const detachDisk = defineCommand({
  name: 'detach-disk',
  summary: 'detach a disk from a domain (virsh style)',
  examples: ['txl detach-disk guest xvdb'],
  family: 'virsh',
  group: 'devices',
  args: [domainArg, { name: 'target', summary: 'the disk\'s target (xvdb) or source path', complete: 'device' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args }) {
    return (await ops()).detachDisk(ctx, args.domain, args.target);
  },
});

export const detachInterface = defineCommand({
  name: 'detach-interface',
  summary: 'detach a network interface from a domain (virsh style)',
  examples: ['txl detach-interface guest bridge --mac 00:16:3e:00:00:09'],
  family: 'virsh',
  group: 'devices',
  args: [domainArg, { name: 'type', summary: 'bridge or ethernet', complete: ['bridge', 'ethernet'] }],
  options: [{ flags: '--mac <mac>', summary: 'which interface, when the domain has several of that type' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    return (await ops()).detachInterface(ctx, args.domain, args.type, opts.mac);
  },
});

export const domblklist = defineCommand({
  name: 'domblklist',
  summary: 'list the disks of a domain, as virsh does',
  examples: ['txl domblklist guest', 'txl domblklist guest --details'],
  family: 'virsh',
  group: 'devices',
  args: [domainArg],
  options: [{ flags: '--details', summary: 'also the type (file, block) and device (disk, cdrom)' }],
  modifies: false,
  async run({ ctx, args, opts }) {
    return (await ops()).domblklist(ctx, args.domain, Boolean(opts.details));
  },
});

export const domiflist = defineCommand({
  name: 'domiflist',
  summary: 'list the network interfaces of a domain, as virsh does',
  examples: ['txl domiflist guest'],
  family: 'virsh',
  group: 'devices',
  args: [domainArg],
  modifies: false,
  async run({ ctx, args }) {
    return (await ops()).domiflist(ctx, args.domain);
  },
});
