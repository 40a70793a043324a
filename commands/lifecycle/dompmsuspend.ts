import { defineCommand, type Forwarded } from '../../src/command.js';
import type { PmSuspendOptions } from '../../src/ops/pm.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'dompmsuspend',
  summary: 'suspend an HVM guest to RAM (ACPI S3) through its PV drivers',
  description: 'Only the mem target exists on Xen; PV and PVH guests have no ACPI sleep states.',
  examples: ['txl dompmsuspend winguest mem'],
  family: 'virsh',
  group: 'lifecycle',
  args: [domainArg, { name: 'target', summary: 'mem (disk and hybrid are refused on Xen)', complete: ['mem', 'disk', 'hybrid'] }],
  options: [{ flags: '--duration <seconds>', summary: 'how long to sleep (only 0, "until woken", on Xen)' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { pmSuspend } = await import('../../src/ops/pm.js');
    return pmSuspend(ctx, args.domain, args.target, opts satisfies Forwarded<typeof opts, PmSuspendOptions>);
  },
});
