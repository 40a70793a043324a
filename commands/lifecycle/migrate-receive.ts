import { defineCommand, type Forwarded } from '../../src/command.js';
import type { ReceiveOptions } from '../../src/migrate/receive.js';

export default defineCommand({
  name: 'migrate-receive',
  summary: 'receive a domain sent by txl migrate or xl migrate (on stdin; replies on stdout)',
  family: 'xl',
  group: 'lifecycle',
  hidden: true,
  args: [],
  options: [
    { flags: '-e, --no-monitor', summary: 'no monitor for the received domain' },
    { flags: '-p, --paused', summary: 'leave the domain paused' },
    { flags: '-d, --debug', summary: 'debug the stream' },
    { flags: '-t', summary: 'ignored (xl\'s terminal progress flag)' },
    { flags: '-F', summary: 'ignored (xl compatibility)' },
  ],
  modifies: true,
  async run({ ctx, opts }) {
    const { migrateReceive } = await import('../../src/migrate/receive.js');
    // the stream's fds are not flags: the defaults (stdin, stdout) are the command's
    await migrateReceive(ctx, opts satisfies Forwarded<typeof opts, Omit<ReceiveOptions, 'recvFd' | 'sendFd'>>);
  },
});
