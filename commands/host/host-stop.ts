import { defineCommand, type Forwarded } from '../../src/command.js';
import type { HostStopOptions } from '../../src/ops/host-boot.js';

export default defineCommand({
  name: 'host-stop',
  summary: 'at host shutdown: save every running managed domain into its managed save (or shut it down)',
  description: 'What examples/systemd/txl.service runs at shutdown. --mode save (the default) saves each running managed ' +
    'domain into its managed save image, which the next host-start restores; a domain that cannot be saved is shut down ' +
    'instead (and counts as failed). --mode shutdown asks each to shut down. Domains still up after --timeout seconds ' +
    '(default 300) are destroyed, with a warning. Transient domains and those xendomains owns are left alone. One line per ' +
    'domain; exit 1 when any domain failed.',
  examples: ['txl host-stop', 'txl host-stop --mode shutdown --timeout 120', 'txl host-stop -j 2'],
  family: 'txl',
  group: 'host',
  args: [],
  options: [
    { flags: '-j, --jobs <n>', summary: 'domains saved or shut down at once (default 4)', type: 'number' },
    { flags: '--mode <mode>', summary: 'save (default) or shutdown', choices: ['save', 'shutdown'] },
    { flags: '--timeout <sec>', summary: 'seconds to wait for shutdowns before destroying (default 300)', type: 'number' },
  ],
  modifies: true,
  dryRun: true,
  async run({ ctx, opts }) {
    const { hostStop } = await import('../../src/ops/host-boot.js');
    return hostStop(ctx, opts satisfies Forwarded<typeof opts, HostStopOptions>);
  },
});
