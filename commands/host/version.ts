import { defineCommand } from '../../src/command.js';

export default defineCommand({
  name: 'version',
  summary: 'txl\'s version and the hypervisor\'s, as virsh prints them',
  description: 'virsh\'s four lines, with txl in place of libvirt and the host\'s Xen version (xl info\'s xen_version).',
  examples: ['txl version', 'txl -o json version'],
  family: 'virsh',
  group: 'host',
  args: [],
  modifies: false,
  async run({ ctx }) {
    const { version } = await import('../../src/ops/virsh-host.js');
    return version(ctx);
  },
});
