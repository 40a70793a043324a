import { defineCommand, type Forwarded } from '../../src/command.js';
import type { ListOptions } from '../../src/ops/list.js';
import { SECURITY_INFO } from '../../src/secrets.js';

export default defineCommand({
  name: 'list',
  aliases: ['li'],
  summary: 'list domains, in the columns xl prints',
  description: 'Without options the output is exactly xl\'s (Name ID Mem VCPUs State Time(s)), so scripts that parse `xl list` keep working. ' +
    'State letters: r running, b blocked, p paused, s shut down, then the shutdown reason (r reboot, s suspend, c crash, w watchdog), d dying.',
  examples: ['txl list', 'txl list --all', 'txl -o json list | jq ".[].name"', 'txl list -l guest', 'txl list --all --autostart'],
  family: 'xl',
  group: 'information',
  args: [{ name: 'domain', summary: 'only this domain (name, id or UUID)', required: false, complete: 'domain' }],
  options: [
    { flags: '-l, --long', summary: 'each domain\'s full config, in libxl JSON' },
    { flags: '-v, --verbose', summary: 'also the UUID, shutdown reason code and security label' },
    { flags: '-a, --all', summary: 'also managed (defined) domains that are not running' },
    { ...SECURITY_INFO, summary: 'with -l: also show VNC and SPICE passwords (xl list -l shows them; txl hides them by default)' },
    { flags: '--autostart', summary: 'only domains started at boot (txl autostart)' },
    { flags: '--no-autostart', summary: 'only domains not started at boot' },
    { flags: '--with-managed-save', summary: 'only domains with a managed save image' },
    { flags: '--without-managed-save', summary: 'only domains without a managed save image' },
    { flags: '--managed-save', summary: 'with --all: show a domain with a managed save image as `saved`' },
  ],
  modifies: false,
  async run({ ctx, args, opts }) {
    const { listDomains } = await import('../../src/ops/list.js');
    return listDomains(ctx, args.domain, opts satisfies Forwarded<typeof opts, ListOptions>);
  },
});
