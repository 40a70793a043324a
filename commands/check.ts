import { defineCommand } from '../src/command.js';

export default defineCommand({
  name: 'check',
  aliases: ['lint'],
  summary: 'check domain configs and print every error and warning with file:line:col',
  examples: ['txl check /etc/xen/guest.cfg', 'txl -o json check *.cfg | jq ".[].diagnostics"'],
  family: 'txl',
  group: 'formats',
  args: [{ name: 'file', summary: 'config files (xl.cfg, domain XML or libxl JSON)', variadic: true, complete: 'cfgfile' }],
  options: [{ flags: '-f, --from <format>', summary: 'input format (default: detect)', choices: ['xl', 'xml', 'json'] }],
  modifies: false,
  async run({ ctx, args, opts }) {
    const { checkFiles } = await import('../src/ops/check.js');
    return checkFiles(ctx, args.file as string[], opts.from as string | undefined);
  },
});
