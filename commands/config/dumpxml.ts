import { defineCommand } from '../../src/command.js';
import { SECURITY_INFO } from '../../src/secrets.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'dumpxml',
  summary: 'a domain\'s config as libvirt domain XML',
  description: 'The live config of a running domain (with its id), else the stored config of a managed one. ' +
    "As in virsh, what domain XML cannot say is not shown; 'txl config DOMAIN --as xml' lists it.",
  examples: ['txl dumpxml guest', 'txl dumpxml guest > guest.xml'],
  family: 'virsh',
  group: 'config',
  args: [domainArg],
  options: [SECURITY_INFO],
  modifies: false,
  async run({ ctx, args, opts }) {
    const { dumpXml } = await import('../../src/ops/config-views.js');
    return dumpXml(ctx, args.domain, opts.securityInfo);
  },
});
