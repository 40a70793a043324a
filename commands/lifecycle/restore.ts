import { defineCommand, type Forwarded } from '../../src/command.js';
import type { RestoreOptions } from '../../src/ops/saverestore.js';

export default defineCommand({
  name: 'restore',
  summary: 'bring a saved domain back from its save file',
  examples: ['txl restore guest.save', 'txl restore -p new.cfg guest.save'],
  family: 'xl',
  group: 'lifecycle',
  args: [{ name: 'file', summary: '[CONFIG] FILE: an optional config to use instead of the saved one, then the save file', variadic: true, complete: 'file' }],
  options: [
    { flags: '-p, --paused', summary: 'leave the domain paused' },
    { flags: '-e, --no-monitor', summary: 'do not act on on_poweroff/on_reboot/on_crash' },
    { flags: '-c, --console', summary: 'ignored (xl compatibility)', hidden: true },
    { flags: '-d', summary: 'ignored (xl compatibility)', hidden: true },
    { flags: '-F', summary: 'ignored (xl compatibility)', hidden: true },
  ],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { restoreDomain } = await import('../../src/ops/saverestore.js');
    return restoreDomain(ctx, args.file, opts satisfies Forwarded<typeof opts, RestoreOptions>);
  },
});
