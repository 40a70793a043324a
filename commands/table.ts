// The command table: every txl command, in the order `txl --help` lists them.
import type { CommandDef } from '../src/command.js';
import create from './create.js';
import convert from './convert.js';
import check from './check.js';
import { domxmlFromNative, domxmlToNative } from './domxml.js';
import completion from './completion.js';
import list from './list.js';
import { destroy, shutdown, reboot, pause, unpause, rename } from './lifecycle.js';

export const COMMANDS: CommandDef[] = [
  create,
  convert,
  check,
  domxmlFromNative,
  domxmlToNative,
  completion,
  list,
  destroy,
  shutdown,
  reboot,
  pause,
  unpause,
  rename,
];

export function findCommand(name: string): CommandDef | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}
