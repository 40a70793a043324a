// virsh's domif-setlink: a NIC's link as the guest's network sees it. On Xen its backend vif in
// dom0 is set down or up (as xenopsd does); libxl's stored config has no place for the state.
import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'domif-setlink',
  summary: 'set the link state of a domain\'s network interface (virsh style)',
  description: 'INTERFACE is the vif name (vifD.N) or the MAC address. On a running domain the backend interface of the NIC in dom0 (vifD.N, and vifD.N-emu of an HVM guest) is set administratively down or up. libxl\'s config has no link state: down with --config or --persistent is refused, nothing changed.',
  examples: ['txl domif-setlink guest vif1.0 down', 'txl domif-setlink guest vif1.0 up', 'txl domif-setlink guest 00:16:3e:00:00:01 up --config'],
  family: 'virsh',
  group: 'devices',
  args: [
    domainArg,
    { name: 'interface', summary: 'vifD.N or the MAC address', complete: 'none' },
    { name: 'state', summary: 'up or down', complete: ['up', 'down'] },
  ],
  options: [
    { flags: '--config', summary: 'the stored (managed) config' },
    { flags: '--persistent', summary: 'the stored config, and the running domain when it runs' },
  ],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { domifSetlink } = await import('../../src/ops/device-xml.js');
    return domifSetlink(ctx, args.domain, args.interface, args.state, opts);
  },
});
