// virsh's detach-device: one device from a libvirt device XML file, live and/or in the stored config.
import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';
import { scopeOptions } from './scope-options.js';

export default defineCommand({
  name: 'detach-device',
  summary: 'detach the device a libvirt device XML file names',
  description: 'The device is found by what names it: a disk by its target, an interface by its MAC, a host device by its PCI address, a channel by its name. Same --live/--config/--persistent/--current as attach-device.',
  examples: ['txl detach-device guest disk.xml', 'txl detach-device guest nic.xml --config'],
  family: 'virsh',
  group: 'devices',
  args: [domainArg, { name: 'file', summary: 'the device XML file (or --file)', required: false, complete: 'file' }],
  options: [...scopeOptions, { flags: '--file <file>', summary: 'the device XML file', complete: 'file' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { detachDeviceXml } = await import('../../src/ops/device-xml.js');
    return detachDeviceXml(ctx, args.domain, args.file, opts);
  },
});
