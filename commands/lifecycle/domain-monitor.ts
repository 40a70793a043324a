import { defineCommand, type Forwarded } from '../../src/command.js';
import type { RunOptions } from '../../src/monitor/run.js';
import { UsageError } from '../../src/core/errors.js';

/** Started by create (unless -e) on Xen: the monitor of one domain. Not for people to run. */
export default defineCommand({
  name: 'domain-monitor',
  summary: 'watch one domain and apply its on_poweroff/on_reboot/on_crash actions (started by create)',
  family: 'txl',
  group: 'lifecycle',
  hidden: true,
  args: [{ name: 'domid', summary: 'the domain to watch' }],
  options: [
    { flags: '--reboot-limit <n/secs>', summary: 'restarts allowed within a time (default 5/60)' },
    { flags: '--restart-delay <secs>', summary: 'pause before re-creating a domain (default 2)', type: 'number' },
    { flags: '--dump-dir <dir>', summary: 'where coredump-* actions write (default /var/lib/xen/dump)' },
  ],
  modifies: true,
  async run({ ctx, args, opts }) {
    if (!/^\d+$/.test(String(args.domid))) throw new UsageError(`'${args.domid}' is not a domain id`);
    const { monitorDomain } = await import('../../src/monitor/run.js');
    const out = await monitorDomain(Number(args.domid), opts satisfies Forwarded<typeof opts, RunOptions>, ctx.env);
    return { data: out, text: '', exitCode: out.code };
  },
});
