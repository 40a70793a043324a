// shutdown and reboot: the same request to the guest's PV control interface, for a different end.
import { defineCommand } from '../../src/command.js';
import { optionalDomainArg } from '../shared/args.js';

export function powerRequest(reboot: boolean, text: { name: string; summary: string; description: string; examples: string[] }) {
  return defineCommand({
    ...text,
    family: 'xl',
    group: 'lifecycle',
    args: [optionalDomainArg],
    options: [
      { flags: '-a, --all', summary: 'every domain except Domain-0' },
      { flags: '-w, --wait', summary: 'wait until the domain has shut down (twice: until it is destroyed)', type: 'count' },
      { flags: '-F', summary: 'fall back to an ACPI event when the guest has no PV control interface' },
    ],
    modifies: true,
    dryRun: true,
    async run({ ctx, args, opts }) {
      const { shutdownOrReboot } = await import('../../src/ops/lifecycle.js');
      return shutdownOrReboot(ctx, reboot, args.domain, { wait: opts.wait, all: opts.all, fallback: opts.F });
    },
  });
}
