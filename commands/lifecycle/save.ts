import { defineCommand, type Forwarded } from '../../src/command.js';
import type { SaveOptions } from '../../src/ops/saverestore.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'save',
  summary: 'save a domain\'s state to a file (xl\'s save format) and stop it',
  examples: ['txl save guest /var/lib/xen/save/guest.save', 'txl save -c guest guest.save'],
  family: 'xl',
  group: 'lifecycle',
  args: [
    domainArg,
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
    const { saveDomain } = await import('../../src/ops/saverestore.js');
    return saveDomain(ctx, args.domain, args.file, args.config, opts satisfies Forwarded<typeof opts, SaveOptions>);
  },
});
