// attach-device, detach-device and update-device: one definition (a device XML file and virsh's
// --live/--config/--persistent/--current), told which op of src/ops/device-xml.ts runs it.
import { defineCommand, type OptDef } from '../../src/command.js';
import { domainArg } from '../shared/args.js';

const scopeOptions = [
  { flags: '--live', summary: 'act on the running domain' },
  { flags: '--config', summary: 'act on the stored (managed) config, used from the next start' },
  { flags: '--persistent', summary: 'the stored config, and the running domain too when it runs' },
  { flags: '--current', summary: 'the running domain if it runs, else its stored config (the default)' },
] as const satisfies readonly OptDef[];

type Op = 'attachDeviceXml' | 'detachDeviceXml' | 'updateDeviceXml';

export function deviceXmlCommand(op: Op, text: { name: string; summary: string; description: string; examples: string[] }) {
  return defineCommand({
    ...text,
    family: 'virsh',
    group: 'devices',
    args: [domainArg, { name: 'file', summary: 'the device XML file (or --file)', required: false, complete: 'file' }],
    options: [...scopeOptions, { flags: '--file <file>', summary: 'the device XML file', complete: 'file' }],
    modifies: true,
    dryRun: true,
    async run({ ctx, args, opts }) {
      const ops = await import('../../src/ops/device-xml.js');
      return ops[op](ctx, args.domain, args.file, opts);
    },
  });
}
