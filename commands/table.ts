// The command table: every txl command, in the order `txl --help` lists them.
import type { CommandDef } from '../src/command.js';
import create from './create.js';
import convert from './convert.js';
import check from './check.js';
import { domxmlFromNative, domxmlToNative } from './domxml.js';
import completion from './completion.js';
import list from './list.js';
import { destroy, shutdown, reboot, pause, unpause, rename } from './lifecycle.js';
import { define, undefine, start } from './managed.js';
import { save, restore } from './saverestore.js';
import { console_, simGuest } from './console.js';
import { domid, domname, domuuid, dominfo, domstate, uptime } from './query.js';
import { info, nodeinfo, capabilities, dmesg } from './host.js';

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
  start,
  define,
  undefine,
  save,
  restore,
  console_,
  domid,
  domname,
  domuuid,
  dominfo,
  domstate,
  uptime,
  info,
  nodeinfo,
  capabilities,
  dmesg,
  simGuest,
];

export function findCommand(name: string): CommandDef | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}
