import { defineCommand } from '../../src/command.js';
import { someDomainsArg } from '../shared/args.js';

export default defineCommand({
  name: 'vcpu-list',
  summary: 'list the vCPUs of domains: where they run, their state, time and affinity',
  description: 'Without a domain, every domain. The text is xl\'s: Name ID VCPU CPU State Time(s) Affinity (Hard / Soft).',
  examples: ['txl vcpu-list', 'txl vcpu-list guest', 'txl -o json vcpu-list guest'],
  family: 'xl',
  group: 'resources',
  args: [someDomainsArg],
  modifies: false,
  async run({ ctx, args }) {
    const { vcpuList } = await import('../../src/ops/resources.js');
    return vcpuList(ctx, args.domain ?? []);
  },
});
