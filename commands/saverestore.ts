import { defineCommand } from '../src/command.js';

export const save = defineCommand({
  name: 'save',
  summary: 'save a domain\'s state to a file (xl\'s save format) and stop it',
  examples: ['txl save guest /var/lib/xen/save/guest.save', 'txl save -c guest guest.save'],
  family: 'xl',
  group: 'lifecycle',
  args: [
    { name: 'domain', summary: 'domain name, id or UUID', complete: 'domain' },
    { name: 'file', summary: 'the save file to write', complete: 'file' },
    { name: 'config', summary: 'a config to store instead of the domain\'s own', required: false, complete: 'cfgfile' },
  ],
  options: [
    { flags: '-c, --checkpoint', summary: 'leave the domain running after saving' },
    { flags: '-p, --pause', summary: 'leave the domain paused after saving' },
    { flags: '-D, --preserve-domid', summary: 'store the domain id, to restore under the same id' },
  ],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { saveDomain } = await import('../src/ops/saverestore.js');
    return saveDomain(ctx, args.domain, args.file, args.config, opts);
  },
});

export const restore = defineCommand({
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
    const { restoreDomain } = await import('../src/ops/saverestore.js');
    return restoreDomain(ctx, args.file, opts);
  },
});
