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
import { migrate, migrateReceive } from './migrate.js';
import { domainMonitor } from './domain-monitor.js';
import { console_, simGuest } from './console.js';
import { domid, domname, domuuid, dominfo, domstate, uptime } from './query.js';
import { info, nodeinfo, capabilities, dmesg } from './host.js';
import { vcpuList, vcpuSet, vcpuPin, schedCredit, schedCredit2, memSet, memMax, cpupoolList } from './resources.js';
import {
  blockAttach, blockDetach, blockList, networkAttach, networkDetach, networkList, pciAttach, pciDetach, pciList,
  pciAssignableList, cdInsert, cdEject, channelList, vtpmList,
} from './devices.js';
import { attachDisk, attachInterface, detachDisk, detachInterface, domblklist, domiflist } from './virsh-devices.js';
import { dumpxml, config, edit } from './config.js';
import { events, top, domstats } from './monitor.js';
import newConfig from './new.js';

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
  migrate,
  migrateReceive,
  domainMonitor,
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
  vcpuList,
  vcpuSet,
  vcpuPin,
  schedCredit,
  schedCredit2,
  memSet,
  memMax,
  cpupoolList,
  blockAttach,
  blockDetach,
  blockList,
  networkAttach,
  networkDetach,
  networkList,
  pciAttach,
  pciDetach,
  pciList,
  pciAssignableList,
  cdInsert,
  cdEject,
  channelList,
  vtpmList,
  attachDisk,
  attachInterface,
  detachDisk,
  detachInterface,
  domblklist,
  domiflist,
  dumpxml,
  config,
  edit,
  events,
  top,
  domstats,
  newConfig,
];

export function findCommand(name: string): CommandDef | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}
