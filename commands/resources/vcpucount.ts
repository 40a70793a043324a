import { defineCommand, type Forwarded } from '../../src/command.js';
import type { VcpucountOpts } from '../../src/ops/virsh-vcpu.js';
import { domainArg } from '../shared/args.js';
import { AFFECT_OPTIONS } from './affect.js';

export default defineCommand({
  name: 'vcpucount',
  summary: 'a domain\'s vCPU counts: maximum and current, live and in its config (virsh style)',
  description: 'Without options, virsh\'s table of maximum/current by config/live (config rows only for managed domains, live ones only while it runs); with options, the one number asked for.',
  examples: ['txl vcpucount guest', 'txl vcpucount guest --maximum --config', 'txl -o json vcpucount guest'],
  family: 'virsh',
  group: 'resources',
  args: [domainArg],
  options: [
    { flags: '--maximum', summary: 'the most vCPUs the domain may have' },
    { flags: '--active', summary: 'the vCPUs it has now' },
    ...AFFECT_OPTIONS,
    { flags: '--guest', summary: 'the vCPUs online as the guest sees them' },
  ],
  modifies: false,
  async run({ ctx, args, opts }) {
    const { vcpucount } = await import('../../src/ops/virsh-vcpu.js');
    return vcpucount(ctx, args.domain, opts satisfies Forwarded<typeof opts, VcpucountOpts>);
  },
});
