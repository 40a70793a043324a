// xl's device commands take specs in xl's own languages (xl-disk-configuration(5),
// xl-network-configuration(5), xl-pci-configuration(5)); with -N an attach prints the device
// as libxl JSON, as `xl -N block-attach` does, and changes nothing.
import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'network-attach',
  summary: 'attach a network interface to a running domain',
  description: 'VIFSPEC is xl\'s: words like mac=, bridge=, model=, rate= (xl-network-configuration(5)). ' +
    'Defaults for script, bridge and backend come from xl.conf (vif.default.*).',
  examples: ['txl network-attach guest bridge=xenbr0', 'txl network-attach guest mac=00:16:3e:00:00:02 bridge=xenbr1 rate=10Mb/s'],
  family: 'xl',
  group: 'devices',
  args: [domainArg, { name: 'vifspec', summary: 'key=value words (xl-network-configuration(5))', variadic: true, required: false, complete: 'none' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args }) {
    const { networkAttach } = await import('../../src/ops/devices.js');
    return networkAttach(ctx, args.domain, args.vifspec ?? []);
  },
});
