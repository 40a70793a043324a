// virsh's device commands keep virsh's options and messages.
import { defineCommand, type Forwarded } from '../../src/command.js';
import type { AttachIfaceOpts } from '../../src/ops/virsh-devices.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'attach-interface',
  summary: 'attach a network interface to a running domain (virsh style)',
  examples: ['txl attach-interface guest bridge xenbr0', 'txl attach-interface guest bridge xenbr1 --mac 00:16:3e:00:00:09 --model e1000'],
  family: 'virsh',
  group: 'devices',
  args: [
    domainArg,
    { name: 'type', summary: 'bridge or ethernet', complete: ['bridge', 'ethernet'] },
    { name: 'source', summary: 'the bridge to connect to', required: false, complete: 'none' },
  ],
  options: [
    { flags: '--mac <mac>', summary: 'MAC address (default: a fresh 00:16:3e one)' },
    { flags: '--model <model>', summary: 'emulated NIC model for HVM guests (e1000, rtl8139, netfront)' },
    { flags: '--script <path>', summary: 'hotplug script' },
    { flags: '--target <name>', summary: 'the backend interface name' },
  ],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { attachInterface } = await import('../../src/ops/virsh-devices.js');
    return attachInterface(ctx, args.domain, args.type, args.source, opts satisfies Forwarded<typeof opts, AttachIfaceOpts>);
  },
});
