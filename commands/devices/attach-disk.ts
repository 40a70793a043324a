// virsh's device commands keep virsh's options and messages.
import { defineCommand, type Forwarded } from '../../src/command.js';
import type { AttachDiskOpts } from '../../src/ops/virsh-devices.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
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
    const { attachDisk } = await import('../../src/ops/virsh-devices.js');
    return attachDisk(ctx, args.domain, args.source, args.target, opts satisfies Forwarded<typeof opts, AttachDiskOpts>);
  },
});
