import { defineCommand } from '../../src/command.js';
import { domainArg, deviceArg } from '../shared/args.js';

export default defineCommand({
  name: 'block-detach',
  summary: 'detach a disk from a domain',
  description: 'The guest is asked to let go; a disk it still uses (its root disk, say) stays unless -f pulls it away.',
  examples: ['txl block-detach guest xvdb', 'txl block-detach -f guest 51728'],
  family: 'xl',
  group: 'devices',
  args: [domainArg, deviceArg('device', 'the disk: its vdev (xvdb) or devid')],
  options: [{ flags: '-f, --force', summary: 'remove it even if the guest does not release it' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { blockDetach } = await import('../../src/ops/devices.js');
    return blockDetach(ctx, args.domain, args.device, Boolean(opts.force));
  },
});
