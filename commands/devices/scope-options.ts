// virsh's --live/--config/--persistent/--current, shared by the device XML commands.
import type { OptDef } from '../../src/command.js';

export const scopeOptions = [
  { flags: '--live', summary: 'act on the running domain' },
  { flags: '--config', summary: 'act on the stored (managed) config, used from the next start' },
  { flags: '--persistent', summary: 'the stored config, and the running domain too when it runs' },
  { flags: '--current', summary: 'the running domain if it runs, else its stored config (the default)' },
] as const satisfies readonly OptDef[];
