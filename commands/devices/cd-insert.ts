import { defineCommand } from '../../src/command.js';
import { domainArg, deviceArg } from '../shared/args.js';

export default defineCommand({
  name: 'cd-insert',
  summary: 'put a disc image into a domain\'s virtual CD-ROM drive',
  examples: ['txl cd-insert guest hdc /srv/iso/debian.iso'],
  family: 'xl',
  group: 'devices',
  args: [
    domainArg,
    deviceArg('vdev', 'the CD-ROM drive (e.g. hdc or xvdc)'),
    { name: 'target', summary: 'the image to insert', complete: 'file' },
  ],
  modifies: true,
  dryRun: true,
  async run({ ctx, args }) {
    const { cdInsertEject } = await import('../../src/ops/devices.js');
    return cdInsertEject(ctx, args.domain, args.vdev, args.target);
  },
});
