import { defineCommand } from '../../src/command.js';
import { SECURITY_INFO } from '../../src/secrets.js';
import { domainArg, CONFIG_FORMATS } from '../shared/args.js';

export default defineCommand({
  name: 'config',
  summary: 'a domain\'s config as it is now, in xl.cfg, libxl JSON or domain XML',
  description: 'The live config (devices attached since boot included) of a running domain, else the stored config of a managed one. ' +
    'The default format is xl.cfg; -o json gives the model itself.',
  examples: ['txl config guest', 'txl config guest --as json', 'txl config guest --as xml'],
  family: 'txl',
  group: 'config',
  args: [domainArg],
  options: [{ flags: '--as <format>', summary: 'xl (default), json (libxl JSON) or xml', choices: CONFIG_FORMATS }, SECURITY_INFO],
  modifies: false,
  async run({ ctx, args, opts }) {
    const { showConfig } = await import('../../src/ops/config-views.js');
    return showConfig(ctx, args.domain, opts.as, opts.securityInfo);
  },
});
