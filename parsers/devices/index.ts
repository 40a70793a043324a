// Readers and writers for xl's device spec mini-languages (disk=, vif=, pci=, cpus= ...).
// Each reader turns one spec into the libxl object of src/core/model.ts as xl 4.17.7 builds it
// and throws ConfigError pointing into the spec; each writer gives the canonical spec that
// reads back to the same object, or throws when the object holds what the spec cannot say.
export * from './origin.js';
export { parseDisk, formatDisk } from './disk.js';
export { parseVif, parseVifRate, formatVif, formatVifRate, type VifDefaults, type VifRate } from './vif.js';
export { parsePci, formatPci, PCI_FUNC_ALL } from './pci.js';
export { parseCpuList, formatCpuList, describeCpuMap, bitmapBits, type HostTopology } from './cpulist.js';
export { parseVfb, formatVfb, parseVkb, formatVkb } from './vfb.js';
export { parseChannel, formatChannel } from './channel.js';
export { parseVtpm, formatVtpm, parseP9, formatP9, parsePvcalls, formatPvcalls } from './pvdevs.js';
export { parseUsbctrl, formatUsbctrl, parseUsbdev, formatUsbdev } from './usb.js';
export { parseVdispl, formatVdispl } from './vdispl.js';
export { parseVsnd, formatVsnd, VSND_FORMATS } from './vsnd.js';
