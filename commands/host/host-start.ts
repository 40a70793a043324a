import { defineCommand, type Forwarded } from '../../src/command.js';
import type { HostStartOptions } from '../../src/ops/host-boot.js';

export default defineCommand({
  name: 'host-start',
  summary: 'at host boot: restore every managed save, then start the autostart domains that are down',
  description: 'What examples/systemd/txl.service runs at boot (see README, "Autostart at boot"), and what a host without ' +
    'systemd runs from its own boot scripts. Idempotent: a running domain is left as it is. One line per domain; exit 1 ' +
    'when any domain failed, after trying every other one. Domains whose config is in xendomains\' XENDOMAINS_AUTO ' +
    '(/etc/xen/auto, as /etc/default/xendomains sets it) are left to xendomains.',
  examples: ['txl host-start', 'txl host-start -j 8', 'txl -N host-start'],
  family: 'txl',
  group: 'host',
  args: [],
  options: [{ flags: '-j, --jobs <n>', summary: 'domains started at once (default 4)', type: 'number' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, opts }) {
    const { hostStart } = await import('../../src/ops/host-boot.js');
    return hostStart(ctx, opts satisfies Forwarded<typeof opts, HostStartOptions>);
  },
});
