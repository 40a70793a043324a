import { defineCommand } from '../../src/command.js';
import { domainArg, deviceArg } from '../shared/args.js';

export default defineCommand({
  name: 'cd-eject',
  summary: 'take the disc out of a domain\'s virtual CD-ROM drive',
  examples: ['txl cd-eject guest hdc'],
  family: 'xl',
  group: 'devices',
  args: [domainArg, deviceArg('vdev', 'the CD-ROM drive')],
  modifies: true,
  dryRun: true,
  async run({ ctx, args }) {
    const { cdInsertEject } = await import('../../src/ops/devices.js');
    return cdInsertEject(ctx, args.domain, args.vdev, undefined);
  },
});
