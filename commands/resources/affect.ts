// virsh's --config/--live/--current, declared once for the commands that take them.
import type { OptDef } from '../../src/command.js';

export const AFFECT_OPTIONS = [
  { flags: '--config', summary: 'the stored config of a managed domain (the next boot)' },
  { flags: '--live', summary: 'the running domain' },
  { flags: '--current', summary: 'the running domain if it runs, else its config (the default)' },
] as const satisfies readonly OptDef[];
