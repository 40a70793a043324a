import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';
import { AFFECT_OPTIONS } from './affect.js';

export default defineCommand({
  name: 'setvcpus',
  summary: 'set how many vCPUs a domain has online, now or at its next boot (virsh style)',
  description: 'Up to the domain\'s maximum. --maximum changes the maximum itself, in the config only (Xen cannot change it while the domain runs).',
  examples: ['txl setvcpus guest 2', 'txl setvcpus guest 4 --config', 'txl setvcpus guest 8 --maximum --config'],
  family: 'virsh',
  group: 'resources',
  args: [domainArg, { name: 'count', summary: 'number of vCPUs', complete: 'none' }],
  options: [{ flags: '--maximum', summary: 'set the maximum instead (with --config)' }, ...AFFECT_OPTIONS],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { setvcpus } = await import('../../src/ops/virsh-vcpu.js');
    return setvcpus(ctx, args.domain, args.count, opts);
  },
});
