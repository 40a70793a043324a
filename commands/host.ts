import { defineCommand } from '../src/command.js';

export const info = defineCommand({
  name: 'info',
  summary: 'facts about the host and the hypervisor, as `key : value` lines',
  description: 'With KEY, only the values of the lines whose name starts with KEY are printed (xl info free_memory).',
  examples: ['txl info', 'txl info free_memory', 'txl info -n'],
  family: 'xl',
  group: 'host',
  args: [{ name: 'key', summary: 'print only this item\'s value', required: false }],
  options: [{ flags: '-n, --numa', summary: 'also the CPU topology and NUMA nodes' }],
  modifies: false,
  async run({ ctx, args, opts }) {
    const { info: run } = await import('../src/ops/host.js');
    return run(ctx, Boolean(opts.numa), args.key);
  },
});

export const nodeinfo = defineCommand({
  name: 'nodeinfo',
  summary: 'the host\'s CPUs and memory, as virsh prints them',
  examples: ['txl nodeinfo'],
  family: 'virsh',
  group: 'host',
  args: [],
  modifies: false,
  async run({ ctx }) {
    const { nodeinfo: run } = await import('../src/ops/host.js');
    return run(ctx);
  },
});

export const capabilities = defineCommand({
  name: 'capabilities',
  summary: 'what the host can run, as libvirt\'s capabilities XML',
  examples: ['txl capabilities'],
  family: 'virsh',
  group: 'host',
  args: [],
  modifies: false,
  async run({ ctx }) {
    const { capabilities: run } = await import('../src/ops/host.js');
    return run(ctx);
  },
});

export const dmesg = defineCommand({
  name: 'dmesg',
  summary: 'the hypervisor\'s message buffer',
  examples: ['txl dmesg', 'txl dmesg -c'],
  family: 'xl',
  group: 'host',
  args: [],
  options: [{ flags: '-c, --clear', summary: 'clear the buffer after printing it' }],
  modifies: false,
  async run({ ctx, opts }) {
    const { dmesg: run } = await import('../src/ops/host.js');
    return run(ctx, Boolean(opts.clear));
  },
});
