import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'dompmwakeup',
  summary: 'wake an HVM guest up from ACPI S3 (dompmsuspend mem)',
  examples: ['txl dompmwakeup winguest'],
  family: 'virsh',
  group: 'lifecycle',
  args: [domainArg],
  modifies: true,
  dryRun: true,
  async run({ ctx, args }) {
    const { pmWakeup } = await import('../../src/ops/pm.js');
    return pmWakeup(ctx, args.domain);
  },
});
