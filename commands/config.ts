// Views of a domain's config: dumpxml (virsh), config (any format), edit (managed configs).
import { defineCommand } from '../src/command.js';
import { SECURITY_INFO } from '../src/secrets.js';

const domainArg = { name: 'domain', summary: 'domain name, id or UUID', complete: 'domain' as const };
const FORMATS = ['xl', 'json', 'xml'] as const;

export const dumpxml = defineCommand({
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
    const { dumpXml } = await import('../src/ops/config-views.js');
    return dumpXml(ctx, args.domain, opts.securityInfo);
  },
});

export const config = defineCommand({
  name: 'config',
  summary: 'a domain\'s config as it is now, in xl.cfg, libxl JSON or domain XML',
  description: 'The live config (devices attached since boot included) of a running domain, else the stored config of a managed one. ' +
    'The default format is xl.cfg; -o json gives the model itself.',
  examples: ['txl config guest', 'txl config guest --as json', 'txl config guest --as xml'],
  family: 'txl',
  group: 'config',
  args: [domainArg],
  options: [{ flags: '--as <format>', summary: 'xl (default), json (libxl JSON) or xml', choices: FORMATS }, SECURITY_INFO],
  modifies: false,
  async run({ ctx, args, opts }) {
    const { showConfig } = await import('../src/ops/config-views.js');
    return showConfig(ctx, args.domain, opts.as, opts.securityInfo);
  },
});

export const edit = defineCommand({
  name: 'edit',
  summary: 'edit a managed domain\'s stored config in $VISUAL or $EDITOR',
  description: 'Opens a copy in the config\'s own format (or --as), reads it back with the same reader as define, ' +
    'and saves it only if it is valid; otherwise says why (file:line:col) and, on a terminal, offers to edit again. ' +
    'A running domain is not changed: the edited config is used at its next start.',
  examples: ['txl edit guest', 'EDITOR=nano txl edit guest --as xl'],
  family: 'virsh',
  group: 'config',
  args: [{ name: 'domain', summary: 'managed domain name or UUID', complete: 'managed' }],
  options: [{ flags: '--as <format>', summary: 'edit as xl, json or xml instead of the stored format', choices: FORMATS }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { editManaged } = await import('../src/ops/edit.js');
    return editManaged(ctx, args.domain, opts);
  },
});
