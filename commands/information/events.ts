import { defineCommand, type Forwarded } from '../../src/command.js';
import type { EventsOpts } from '../../src/ops/events.js';

export default defineCommand({
  name: 'events',
  aliases: ['event'],
  summary: 'print domain state changes as they happen',
  description: 'One line per event (time, type, domain, id, details), or one JSON object per line with --json. ' +
    'Runs until Ctrl-C, --count events or --timeout seconds. On xen:///system txl looks at the host every half ' +
    'second, so events made by xl or libvirt show too, up to a second late; a pause or a detach is reported ' +
    'once it is clear that no destroy is under way. Xen keeps no history: --since works only on test:///.',
  examples: ['txl events', 'txl events --json --count 1', 'txl events --timeout 60 guest'],
  family: 'txl',
  group: 'information',
  args: [{ name: 'domain', summary: 'only events of this domain', required: false, complete: 'domain' }],
  options: [
    { flags: '--json', summary: 'one JSON object per line' },
    { flags: '--timeout <sec>', summary: 'stop after this many seconds' },
    { flags: '--count <n>', summary: 'stop after this many events' },
    { flags: '--since <seq>', summary: 'start after this event number (replays the ones kept since)', hidden: true },
  ],
  modifies: false,
  async run({ ctx, args, opts }) {
    const { streamEvents } = await import('../../src/ops/events.js');
    return streamEvents(ctx, { ...(opts satisfies Forwarded<typeof opts, Omit<EventsOpts, 'domain'>>), domain: args.domain });
  },
});
