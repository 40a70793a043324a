import { defineCommand } from '../../src/command.js';

export default defineCommand({
  name: 'define',
  summary: 'store a domain config as a managed domain (started later with start)',
  description: 'Managed configs are files txl keeps (no daemon); `list --all` shows the ones not running.',
  examples: ['txl define guest.cfg', 'txl define guest.xml', 'txl start guest'],
  family: 'virsh',
  group: 'lifecycle',
  args: [{ name: 'file', summary: 'config file (xl.cfg, domain XML or libxl JSON), then key=value overrides', variadic: true, complete: 'cfgfile' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args }) {
    const { defineDomain } = await import('../../src/ops/managed.js');
    return defineDomain(ctx, args.file);
  },
});
