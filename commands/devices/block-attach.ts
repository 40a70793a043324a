// xl's device commands take specs in xl's own languages (xl-disk-configuration(5),
// xl-network-configuration(5), xl-pci-configuration(5)); with -N an attach prints the device
// as libxl JSON, as `xl -N block-attach` does, and changes nothing.
import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'block-attach',
  summary: 'attach a disk to a running domain',
  description: 'DISKSPEC is an xl disk spec, given as one word or several (xl-disk-configuration(5)).',
  examples: ['txl block-attach guest vdev=xvdb,target=/srv/data.img', "txl block-attach guest 'format=qcow2, vdev=xvdc, target=/srv/c.qcow2'", 'txl -N block-attach guest vdev=xvdb,target=/dev/vg/x'],
  family: 'xl',
  group: 'devices',
  args: [domainArg, { name: 'diskspec', summary: 'the disk spec (xl-disk-configuration(5))', variadic: true, complete: 'none' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args }) {
    const { blockAttach } = await import('../../src/ops/devices.js');
    return blockAttach(ctx, args.domain, args.diskspec);
  },
});
