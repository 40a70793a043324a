import { defineCommand } from '../../src/command.js';
import { fromOption } from '../shared/args.js';

export default defineCommand({
  name: 'check',
  aliases: ['lint'],
  summary: 'check domain configs and print every error and warning with file:line:col',
  examples: ['txl check /etc/xen/guest.cfg', 'txl -o json check *.cfg | jq ".[].diagnostics"'],
  family: 'txl',
  group: 'formats',
  args: [{ name: 'file', summary: 'config files (xl.cfg, domain XML or libxl JSON)', variadic: true, complete: 'cfgfile' }],
  options: [fromOption],
  modifies: false,
  async run({ ctx, args, opts }) {
    const { checkFiles } = await import('../../src/ops/check.js');
    return checkFiles(ctx, args.file, opts.from);
  },
});
