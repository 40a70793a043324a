import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'domblklist',
  summary: 'list the disks of a domain, as virsh does',
  examples: ['txl domblklist guest', 'txl domblklist guest --details'],
  family: 'virsh',
  group: 'devices',
  args: [domainArg],
  options: [{ flags: '--details', summary: 'also the type (file, block) and device (disk, cdrom)' }],
  modifies: false,
  async run({ ctx, args, opts }) {
    const { domblklist } = await import('../../src/ops/virsh-devices.js');
    return domblklist(ctx, args.domain, Boolean(opts.details));
  },
});
