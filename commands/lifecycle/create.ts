import { defineCommand, type Forwarded } from '../../src/command.js';
import type { CreateOptions } from '../../src/ops/create-live.js';

export default defineCommand({
  name: 'create',
  summary: 'create a domain from a config file (xl.cfg, domain XML or libxl JSON)',
  description:
    'Words after the file that contain "=" override the config\'s keys, as in xl ("memory=2048"). ' +
    'With -N (here or before the command) nothing is created: the libxl JSON that would be handed to libxl is printed, as by xl -N create.',
  examples: ['txl create /etc/xen/guest.cfg', 'txl create -N guest.cfg memory=1024', 'txl -c test:///default create -p guest.cfg'],
  family: 'xl',
  group: 'lifecycle',
  args: [{ name: 'file', summary: 'config file, then key=value overrides', variadic: true, complete: 'cfgkey' }],
  options: [
    { flags: '-N, --dry-run', summary: 'print the libxl JSON that would be used, create nothing' },
    { flags: '-n', summary: 'same as -N (xl\'s old spelling)', hidden: true },
    { flags: '-f, --config <file>', summary: 'the config file (so that every word after it may be key=value)', complete: 'cfgfile' },
    { flags: '-p, --paused', summary: 'leave the domain paused after creating it' },
    { flags: '-c, --console', summary: 'attach to the console after creating it' },
    { flags: '-F, --foreground', summary: 'stay in the foreground until the domain dies' },
    { flags: '-e, --no-monitor', summary: 'do not start a monitor for on_poweroff/on_reboot/on_crash' },
    { flags: '-j, --jobs <n>', summary: 'with several files: create this many at once', type: 'number' },
  ],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { createDomains } = await import('../../src/ops/create.js');
    return createDomains(ctx, args.file, opts satisfies Forwarded<typeof opts, CreateOptions>);
  },
});
