import { defineCommand, type Forwarded } from '../../src/command.js';
import type { MigrateOptions } from '../../src/migrate/send.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'migrate',
  summary: 'move a running domain to another host (xl\'s migration protocol, over ssh)',
  description:
    'Runs "ssh HOST txl migrate-receive" (-s picks another command; with -s \'\' HOST itself is the command to run) ' +
    'and sends the domain\'s config and memory. The domain keeps running here until the other end has it; ' +
    'it is then renamed NAME--migratedaway, the other end starts it under its own name, and this copy is destroyed. ' +
    'On failure before that point the domain is resumed here. The receiver may be xl (--remote-xl) and xl may send to txl.',
  examples: [
    'txl migrate guest host2.example.org',
    'txl migrate -s "ssh -p 2222" guest host2',
    'txl migrate --remote-xl guest host2',
    'txl migrate -s \'\' guest "txl migrate-receive"',
  ],
  family: 'xl',
  group: 'lifecycle',
  args: [
    domainArg,
    { name: 'host', summary: 'the host to move it to (or, with -s \'\', the command to run)', complete: 'none' },
  ],
  options: [
    { flags: '-s, --ssh <command>', summary: 'the ssh command to reach HOST (default: ssh)' },
    { flags: '-C, --config <file>', summary: 'send this config instead of the domain\'s own', complete: 'cfgfile' },
    { flags: '-e, --no-monitor', summary: 'no monitor for the domain at the other end' },
    { flags: '-p, --paused', summary: 'leave the domain paused at the other end' },
    { flags: '-D, --preserve-domid', summary: 'keep the domain id at the other end' },
    { flags: '--remote-xl', summary: 'run xl migrate-receive at the other end, not txl\'s' },
    { flags: '--debug', summary: 'have libxl check the stream (slow)' },
    { flags: '-F', summary: 'ignored (xl compatibility)', hidden: true },
    { flags: '--live', summary: 'ignored (migration is always live)', hidden: true },
  ],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { migrateDomain } = await import('../../src/migrate/send.js');
    return migrateDomain(ctx, args.domain, args.host, opts satisfies Forwarded<typeof opts, MigrateOptions>);
  },
});
