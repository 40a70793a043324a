import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'vcpuinfo',
  summary: 'each vCPU of a domain: its CPU, state, time and affinity (virsh style)',
  description: 'virsh\'s blocks: VCPU, CPU, State, CPU time, CPU Affinity (y or - per host CPU). A stopped managed domain shows its configured vCPUs with N/A.',
  examples: ['txl vcpuinfo guest', 'txl vcpuinfo guest --pretty', 'txl -o json vcpuinfo guest'],
  family: 'virsh',
  group: 'resources',
  args: [domainArg],
  options: [{ flags: '--pretty', summary: 'affinity as a CPU list (0-3) instead of y/-' }],
  modifies: false,
  async run({ ctx, args, opts }) {
    const { vcpuinfo } = await import('../../src/ops/virsh-vcpu.js');
    return vcpuinfo(ctx, args.domain, Boolean(opts.pretty));
  },
});
