// Readers and writers for xl's device spec mini-languages (disk=, vif=, pci=, cpus= ...).
export * from './origin.js';
export { parseDisk, formatDisk } from './disk.js';
export { parseVif, parseVifRate, formatVif, formatVifRate, type VifDefaults, type VifRate } from './vif.js';
export { parsePci, formatPci, PCI_FUNC_ALL } from './pci.js';
export { parseCpuList, formatCpuList, describeCpuMap, type HostTopology } from './cpulist.js';
