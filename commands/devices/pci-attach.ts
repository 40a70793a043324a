// xl's device commands take specs in xl's own languages (xl-disk-configuration(5),
// xl-network-configuration(5), xl-pci-configuration(5)); with -N an attach prints the device
// as libxl JSON, as `xl -N block-attach` does, and changes nothing.
import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'pci-attach',
  summary: 'pass a host PCI device through to a domain',
  description: 'The device must be assignable (see pci-assignable-list). BDF is [DDDD:]BB:DD.F[@VSLOT][,key=value...].',
  examples: ['txl pci-attach guest 03:00.0', 'txl pci-attach guest 0000:03:00.1,permissive=1'],
  family: 'xl',
  group: 'devices',
  args: [domainArg, { name: 'bdf', summary: 'the PCI device spec (xl-pci-configuration(5))', complete: 'none' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args }) {
    const { pciAttach } = await import('../../src/ops/devices.js');
    return pciAttach(ctx, args.domain, args.bdf);
  },
});
