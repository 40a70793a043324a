// virsh's update-device: one device from a libvirt device XML file, live and/or in the stored config.
import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';
import { scopeOptions } from './scope-options.js';

export default defineCommand({
  name: 'update-device',
  summary: 'change a device from a libvirt device XML file',
  description: 'Changes a CD-ROM\'s media (a <disk device=\'cdrom\'> without <source> ejects it) and, in the stored config, the bridge of an interface. libxl cannot move a running interface to another bridge nor set its link down: those are refused, nothing changed.',
  examples: ['txl update-device guest cdrom.xml', 'txl update-device guest nic.xml --config'],
  family: 'virsh',
  group: 'devices',
  args: [domainArg, { name: 'file', summary: 'the device XML file (or --file)', required: false, complete: 'file' }],
  options: [...scopeOptions, { flags: '--file <file>', summary: 'the device XML file', complete: 'file' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { updateDeviceXml } = await import('../../src/ops/device-xml.js');
    return updateDeviceXml(ctx, args.domain, args.file, opts);
  },
});
