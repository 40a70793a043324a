import { defineCommand, type Forwarded } from '../../src/command.js';
import type { AutostartOptions } from '../../src/ops/autostart.js';
import { managedArg } from '../shared/args.js';

export default defineCommand({
  name: 'autostart',
  summary: 'start a managed domain when the host boots (txl host-start), or no longer',
  description: 'The mark is kept beside the managed config: `define` keeps it, `undefine` removes it. ' +
    'A transient domain (not defined) is refused. `dominfo` and `list --all --autostart` show it.',
  examples: ['txl autostart guest', 'txl autostart --disable guest', 'txl list --all --autostart'],
  family: 'virsh',
  group: 'lifecycle',
  args: [managedArg],
  options: [{ flags: '--disable', summary: 'no longer start it at boot' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { setAutostart } = await import('../../src/ops/autostart.js');
    return setAutostart(ctx, args.domain, opts satisfies Forwarded<typeof opts, AutostartOptions>);
  },
});
