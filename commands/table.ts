// The command table: every txl command, in the order `txl --help` lists them.
import type { CommandDef } from '../src/command.js';
import create from './lifecycle/create.js';
import convert from './formats/convert.js';
import check from './formats/check.js';
import domxmlFromNative from './formats/domxml-from-native.js';
import domxmlToNative from './formats/domxml-to-native.js';
import completion from './shell/completion.js';
import list from './information/list.js';
import destroy from './lifecycle/destroy.js';
import shutdown from './lifecycle/shutdown.js';
import reboot from './lifecycle/reboot.js';
import pause from './lifecycle/pause.js';
import unpause from './lifecycle/unpause.js';
import rename from './lifecycle/rename.js';
import start from './lifecycle/start.js';
import define from './lifecycle/define.js';
import undefine from './lifecycle/undefine.js';
import autostart from './lifecycle/autostart.js';
import managedsave from './lifecycle/managedsave.js';
import managedsaveRemove from './lifecycle/managedsave-remove.js';
import hostStart from './host/host-start.js';
import hostStop from './host/host-stop.js';
import save from './lifecycle/save.js';
import restore from './lifecycle/restore.js';
import migrate from './lifecycle/migrate.js';
import migrateReceive from './lifecycle/migrate-receive.js';
import domainMonitor from './lifecycle/domain-monitor.js';
import console_ from './lifecycle/console.js';
import domid from './information/domid.js';
import domname from './information/domname.js';
import domuuid from './information/domuuid.js';
import dominfo from './information/dominfo.js';
import domstate from './information/domstate.js';
import uptime from './information/uptime.js';
import domjobinfo from './information/domjobinfo.js';
import domjobabort from './lifecycle/domjobabort.js';
import vncdisplay from './information/vncdisplay.js';
import domdisplay from './information/domdisplay.js';
import dompmsuspend from './lifecycle/dompmsuspend.js';
import dompmwakeup from './lifecycle/dompmwakeup.js';
import info from './host/info.js';
import nodeinfo from './host/nodeinfo.js';
import capabilities from './host/capabilities.js';
import dmesg from './host/dmesg.js';
import simGuest from './testing/sim-guest.js';
import vcpuList from './resources/vcpu-list.js';
import vcpuSet from './resources/vcpu-set.js';
import vcpuPin from './resources/vcpu-pin.js';
import schedCredit from './resources/sched-credit.js';
import schedCredit2 from './resources/sched-credit2.js';
import memSet from './resources/mem-set.js';
import memMax from './resources/mem-max.js';
import cpupoolList from './resources/cpupool-list.js';
import vcpucount from './resources/vcpucount.js';
import setvcpus from './resources/setvcpus.js';
import setmem from './resources/setmem.js';
import setmaxmem from './resources/setmaxmem.js';
import vcpuinfo from './resources/vcpuinfo.js';
import schedinfo from './resources/schedinfo.js';
import domblkstat from './information/domblkstat.js';
import domifstat from './information/domifstat.js';
import freecell from './host/freecell.js';
import sysinfo from './host/sysinfo.js';
import hostname from './host/hostname.js';
import version from './host/version.js';
import blockAttach from './devices/block-attach.js';
import blockDetach from './devices/block-detach.js';
import blockList from './devices/block-list.js';
import networkAttach from './devices/network-attach.js';
import networkDetach from './devices/network-detach.js';
import networkList from './devices/network-list.js';
import pciAttach from './devices/pci-attach.js';
import pciDetach from './devices/pci-detach.js';
import pciList from './devices/pci-list.js';
import pciAssignableList from './devices/pci-assignable-list.js';
import cdInsert from './devices/cd-insert.js';
import cdEject from './devices/cd-eject.js';
import channelList from './devices/channel-list.js';
import vtpmList from './devices/vtpm-list.js';
import attachDisk from './devices/attach-disk.js';
import attachInterface from './devices/attach-interface.js';
import detachDisk from './devices/detach-disk.js';
import detachInterface from './devices/detach-interface.js';
import domblklist from './devices/domblklist.js';
import domiflist from './devices/domiflist.js';
import attachDevice from './devices/attach-device.js';
import detachDevice from './devices/detach-device.js';
import updateDevice from './devices/update-device.js';
import domifSetlink from './devices/domif-setlink.js';
import domifGetlink from './devices/domif-getlink.js';
import dumpxml from './config/dumpxml.js';
import config from './config/config.js';
import edit from './config/edit.js';
import events from './information/events.js';
import top from './information/top.js';
import domstats from './information/domstats.js';
import newConfig from './config/new.js';

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
  dompmsuspend,
  dompmwakeup,
  rename,
  start,
  define,
  undefine,
  autostart,
  save,
  restore,
  managedsave,
  managedsaveRemove,
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
  domjobinfo,
  domjobabort,
  vncdisplay,
  domdisplay,
  info,
  nodeinfo,
  capabilities,
  dmesg,
  hostStart,
  hostStop,
  freecell,
  sysinfo,
  hostname,
  version,
  simGuest,
  vcpuList,
  vcpuSet,
  vcpuPin,
  schedCredit,
  schedCredit2,
  memSet,
  memMax,
  vcpucount,
  setvcpus,
  setmem,
  setmaxmem,
  vcpuinfo,
  schedinfo,
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
  attachDevice,
  detachDevice,
  updateDevice,
  domifSetlink,
  domifGetlink,
  dumpxml,
  config,
  edit,
  events,
  top,
  domstats,
  domblkstat,
  domifstat,
  newConfig,
];

export function findCommand(name: string): CommandDef | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}
