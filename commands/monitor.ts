// Watching domains: events as they happen, a top-like view, and per-domain metrics.
import { defineCommand } from '../src/command.js';

export const events = defineCommand({
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
    const { streamEvents } = await import('../src/ops/events.js');
    return streamEvents(ctx, { ...opts, domain: args.domain });
  },
});

export const top = defineCommand({
  name: 'top',
  summary: 'domains\' CPU, memory, network and disk use, like xentop',
  description: 'On a terminal the view refreshes every --delay seconds (q to quit); otherwise, or with -b, one snapshot is printed.',
  examples: ['txl top', 'txl top -b -i 3 -d 1', 'txl -o json top'],
  family: 'xl',
  group: 'information',
  args: [],
  options: [
    { flags: '-d, --delay <sec>', summary: 'seconds between refreshes (default 3)' },
    { flags: '-i, --iterations <n>', summary: 'stop after this many refreshes' },
    { flags: '-b, --batch', summary: 'plain snapshots on stdout, no refreshing screen' },
  ],
  modifies: false,
  async run({ ctx, opts }) {
    const { top: run } = await import('../src/ops/top.js');
    return run(ctx, opts);
  },
});

export const domstats = defineCommand({
  name: 'domstats',
  summary: 'per-domain metrics: memory target and actual (balloon progress), vCPU time, shadow memory, network and disk I/O',
  description: 'Without a domain, every domain. The text is virsh domstats\' "key=value" blocks (net.* from the guest\'s ' +
    'point of view). On xen:///system the I/O counters are those Domain-0 keeps for vifs and blkback disks; ' +
    'memory.shadow is 0 there (libxl cannot read it).',
  examples: ['txl domstats', 'txl domstats guest', 'txl -o json domstats guest'],
  family: 'virsh',
  group: 'information',
  args: [{ name: 'domain', summary: 'domain names, ids or UUIDs', required: false, variadic: true, complete: 'domain' }],
  modifies: false,
  async run({ ctx, args }) {
    const { domStats } = await import('../src/ops/top.js');
    return domStats(ctx, (args.domain as string[] | undefined) ?? []);
  },
});
