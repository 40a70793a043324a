import { defineCommand } from '../../src/command.js';
import { managedArg, CONFIG_FORMATS } from '../shared/args.js';

export default defineCommand({
  name: 'edit',
  summary: 'edit a managed domain\'s stored config in $VISUAL or $EDITOR',
  description: 'Opens a copy in the config\'s own format (or --as), reads it back with the same reader as define, ' +
    'and saves it only if it is valid; otherwise says why (file:line:col) and, on a terminal, offers to edit again. ' +
    'A running domain is not changed: the edited config is used at its next start.',
  examples: ['txl edit guest', 'EDITOR=nano txl edit guest --as xl'],
  family: 'virsh',
  group: 'config',
  args: [managedArg],
  options: [{ flags: '--as <format>', summary: 'edit as xl, json or xml instead of the stored format', choices: CONFIG_FORMATS }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { editManaged } = await import('../../src/ops/edit.js');
    return editManaged(ctx, args.domain, opts);
  },
});
