import { defineCommand } from '../src/command.js';

export const define = defineCommand({
  name: 'define',
  summary: 'store a domain config as a managed domain (started later with start)',
  description: 'Managed configs are files txl keeps (no daemon); `list --all` shows the ones not running.',
  examples: ['txl define guest.cfg', 'txl define guest.xml', 'txl start guest'],
  family: 'virsh',
  group: 'lifecycle',
  args: [{ name: 'file', summary: 'config file (xl.cfg, domain XML or libxl JSON), then key=value overrides', variadic: true, complete: 'cfgfile' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args }) {
    const { defineDomain } = await import('../src/ops/managed.js');
    return defineDomain(ctx, args.file);
  },
});

export const undefine = defineCommand({
  name: 'undefine',
  summary: 'forget a managed domain\'s config (a running domain keeps running)',
  examples: ['txl undefine guest'],
  family: 'virsh',
  group: 'lifecycle',
  args: [{ name: 'domain', summary: 'managed domain name or UUID', complete: 'managed' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args }) {
    const { undefineDomain } = await import('../src/ops/managed.js');
    return undefineDomain(ctx, args.domain);
  },
});

export const start = defineCommand({
  name: 'start',
  summary: 'start a managed domain from its stored config',
  examples: ['txl start guest', 'txl start -p guest'],
  family: 'virsh',
  group: 'lifecycle',
  args: [{ name: 'domain', summary: 'managed domain name or UUID', complete: 'managed' }],
  options: [{ flags: '-p, --paused', summary: 'leave it paused' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { startDomain } = await import('../src/ops/managed.js');
    return startDomain(ctx, args.domain, opts);
  },
});
