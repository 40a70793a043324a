import { defineCommand, type Forwarded } from '../../src/command.js';
import type { ConvertOptions } from '../../src/ops/convert.js';
import { FILE_FORMATS, fromOption } from '../shared/args.js';

export default defineCommand({
  name: 'convert',
  summary: 'convert domain configs between xl.cfg, libvirt domain XML and libxl JSON',
  description:
    'Reads each FILE (format detected from its name or content unless --from is given) into txl\'s model and writes it in the --to format. ' +
    'One file goes to stdout; several need --out-dir, where each lands as NAME.cfg, NAME.xml or NAME.json (written atomically).',
  examples: ['txl convert guest.cfg --to xml', 'txl convert /etc/xen/*.cfg --to json --out-dir /tmp/json', 'txl convert --from xml --to xl - < dom.xml'],
  family: 'txl',
  group: 'formats',
  args: [{ name: 'file', summary: 'config files (- for stdin)', variadic: true, complete: 'cfgfile' }],
  options: [
    fromOption,
    { flags: '-t, --to <format>', summary: 'output format', choices: FILE_FORMATS },
    { flags: '-d, --out-dir <dir>', summary: 'write each result into this directory', complete: 'file' },
  ],
  modifies: false,
  async run({ ctx, args, opts }) {
    const { convertFiles } = await import('../../src/ops/convert.js');
    return convertFiles(ctx, args.file, opts satisfies Forwarded<typeof opts, ConvertOptions>);
  },
});
