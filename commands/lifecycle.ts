import { defineCommand } from '../src/command.js';

const domainArg = { name: 'domain', summary: 'domain name, id or UUID', complete: 'domain' as const };

export const destroy = defineCommand({
  name: 'destroy',
  summary: 'stop a domain at once (like pulling the power cord)',
  description: 'Asks for confirmation on a terminal unless -f or the global -y is given.',
  examples: ['txl destroy guest', 'txl -y destroy 3'],
  family: 'xl',
  group: 'lifecycle',
  args: [domainArg],
  options: [{ flags: '-f, --force', summary: 'do not ask for confirmation' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { destroyDomain } = await import('../src/ops/lifecycle.js');
    return destroyDomain(ctx, args.domain, opts);
  },
});

const shutdownOptions = [
  { flags: '-a, --all', summary: 'every domain except Domain-0' },
  { flags: '-w, --wait', summary: 'wait until the domain has shut down (twice: until it is destroyed)', type: 'count' as const },
  { flags: '-F', summary: 'fall back to an ACPI event when the guest has no PV control interface' },
];

export const shutdown = defineCommand({
  name: 'shutdown',
  summary: 'ask a domain to shut down',
  description: 'The guest is asked through its PV control interface; what happens next is up to the config\'s on_poweroff.',
  examples: ['txl shutdown guest', 'txl shutdown -w guest', 'txl shutdown -a -w'],
  family: 'xl',
  group: 'lifecycle',
  args: [{ ...domainArg, required: false }],
  options: shutdownOptions,
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { shutdownOrReboot } = await import('../src/ops/lifecycle.js');
    return shutdownOrReboot(ctx, false, args.domain, { wait: opts.wait, all: opts.all, fallback: opts.F });
  },
});

export const reboot = defineCommand({
  name: 'reboot',
  summary: 'ask a domain to reboot',
  description: 'The guest is asked through its PV control interface; the config\'s on_reboot decides what follows (restart by default).',
  examples: ['txl reboot guest', 'txl reboot -a'],
  family: 'xl',
  group: 'lifecycle',
  args: [{ ...domainArg, required: false }],
  options: shutdownOptions,
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { shutdownOrReboot } = await import('../src/ops/lifecycle.js');
    return shutdownOrReboot(ctx, true, args.domain, { wait: opts.wait, all: opts.all, fallback: opts.F });
  },
});

export const pause = defineCommand({
  name: 'pause',
  aliases: ['suspend'],
  summary: 'pause a domain (it keeps its memory but gets no CPU time)',
  examples: ['txl pause guest'],
  family: 'xl',
  group: 'lifecycle',
  args: [domainArg],
  modifies: true,
  dryRun: true,
  async run({ ctx, args }) {
    const { pauseOrUnpause } = await import('../src/ops/lifecycle.js');
    return pauseOrUnpause(ctx, args.domain, true);
  },
});

export const unpause = defineCommand({
  name: 'unpause',
  aliases: ['resume'],
  summary: 'let a paused domain run again',
  examples: ['txl unpause guest'],
  family: 'xl',
  group: 'lifecycle',
  args: [domainArg],
  modifies: true,
  dryRun: true,
  async run({ ctx, args }) {
    const { pauseOrUnpause } = await import('../src/ops/lifecycle.js');
    return pauseOrUnpause(ctx, args.domain, false);
  },
});

export const rename = defineCommand({
  name: 'rename',
  aliases: ['domrename'],
  summary: 'give a domain a new name',
  examples: ['txl rename guest guest-old'],
  family: 'xl',
  group: 'lifecycle',
  args: [domainArg, { name: 'newname', summary: 'the new name' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args }) {
    const { renameDomain } = await import('../src/ops/lifecycle.js');
    return renameDomain(ctx, args.domain, args.newname);
  },
});
