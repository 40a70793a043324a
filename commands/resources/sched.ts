// sched-credit and sched-credit2: the same parameters, credit2 without a time slice.
import { defineCommand, type Forwarded } from '../../src/command.js';
import type { SchedOpts } from '../../src/ops/resources.js';

const OPTIONS = [
  { flags: '-d, --domain <domain>', summary: 'the domain to show or change', complete: 'domain' },
  { flags: '-w, --weight <weight>', summary: 'relative weight (1-65535, default 256)' },
  { flags: '-c, --cap <cap>', summary: 'cap in percent of one CPU (0 = none)' },
  { flags: '-p, --cpupool <pool>', summary: 'only this cpupool', complete: 'cpupool' },
  { flags: '-s, --schedparam', summary: 'show the cpupool-wide parameters' },
  { flags: '-r, --ratelimit_us <us>', summary: 'with -s: set the rate limit (not on the simulator)' },
] as const;

const TSLICE = { flags: '-t, --tslice_ms <ms>', summary: 'with -s: set the time slice (not on the simulator)' } as const;

export function sched(name: 'credit' | 'credit2') {
  return defineCommand({
    name: `sched-${name}`,
    summary: `show or set the ${name === 'credit' ? 'credit' : 'credit2'} scheduler parameters of domains (weight, cap)`,
    description: 'Without -d, lists every domain of every cpupool that runs this scheduler, as xl does.',
    examples: [`txl sched-${name}`, `txl sched-${name} -d guest`, `txl sched-${name} -d guest -w 512 -c 50`],
    family: 'xl',
    group: 'resources',
    args: [],
    options: name === 'credit' ? [...OPTIONS, TSLICE] : OPTIONS,
    modifies: true,
    dryRun: true,
    async run({ ctx, opts }) {
      const { schedCredit } = await import('../../src/ops/resources.js');
      // xl's option names keep their underscores; the op takes them camelCased
      const given = opts satisfies Forwarded<typeof opts, Omit<SchedOpts, 'ratelimitUs' | 'tsliceMs'>>;
      return schedCredit(ctx, name, { ...given, ratelimitUs: opts.ratelimit_us, tsliceMs: opts.tslice_ms });
    },
  });
}
