import { defineCommand } from '../../src/command.js';

export default defineCommand({
  name: 'sysinfo',
  summary: 'the host\'s SMBIOS facts as virsh\'s sysinfo XML',
  description: 'From what the dom0 kernel exposes under /sys/class/dmi/id (bios, system, baseBoard, chassis; serial numbers and the UUID only as root), not from dmidecode: no processor or memory sections.',
  examples: ['txl sysinfo', 'txl -o json sysinfo'],
  family: 'virsh',
  group: 'host',
  args: [],
  modifies: false,
  async run({ ctx }) {
    const { sysinfo } = await import('../../src/ops/virsh-host.js');
    return sysinfo(ctx);
  },
});
