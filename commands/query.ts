import { defineCommand, type CommandDef } from '../src/command.js';

const domainArg = { name: 'domain', summary: 'domain name, id or UUID', complete: 'domain' as const };

function identity(name: 'domid' | 'domname' | 'domuuid', summary: string, family: 'xl' | 'virsh'): CommandDef {
  return defineCommand({
    name,
    summary,
    examples: [`txl ${name} guest`],
    family,
    group: 'information',
    args: [domainArg],
    modifies: false,
    async run({ ctx, args }) {
      const { domIdentity } = await import('../src/ops/query.js');
      return domIdentity(ctx, args.domain, name);
    },
  });
}

export const domid = identity('domid', 'print a domain\'s id', 'xl');
export const domname = identity('domname', 'print a domain\'s name', 'xl');
export const domuuid = identity('domuuid', 'print a domain\'s UUID', 'virsh');

export const dominfo = defineCommand({
  name: 'dominfo',
  summary: 'basic facts about one domain, as virsh prints them',
  examples: ['txl dominfo guest'],
  family: 'virsh',
  group: 'information',
  args: [domainArg],
  modifies: false,
  async run({ ctx, args }) {
    const { domInfo } = await import('../src/ops/query.js');
    return domInfo(ctx, args.domain);
  },
});

export const domstate = defineCommand({
  name: 'domstate',
  summary: 'a domain\'s state in one word (running, paused, shut off, crashed...)',
  examples: ['txl domstate guest', 'txl domstate --reason guest'],
  family: 'virsh',
  group: 'information',
  args: [domainArg],
  options: [{ flags: '-r, --reason', summary: 'also say why it is in that state' }],
  modifies: false,
  async run({ ctx, args, opts }) {
    const { domState } = await import('../src/ops/query.js');
    return domState(ctx, args.domain, Boolean(opts.reason));
  },
});

export const uptime = defineCommand({
  name: 'uptime',
  summary: 'how long domains have been up',
  examples: ['txl uptime', 'txl uptime -s guest'],
  family: 'xl',
  group: 'information',
  args: [{ ...domainArg, required: false, variadic: true }],
  options: [{ flags: '-s, --short', summary: 'uptime(1)-like lines' }],
  modifies: false,
  async run({ ctx, args, opts }) {
    const { uptime: run } = await import('../src/ops/query.js');
    return run(ctx, (args.domain as string[] | undefined) ?? [], Boolean(opts.short));
  },
});
