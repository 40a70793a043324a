// koffi bindings to libxenlight (libxl), libxentoollog and libxenstore. Thin by design:
// declarations, the JSON bridge and the SIGCHLD agreement; no knowledge of txl's commands
// or formats. Import it lazily (only the xen backend does).
export { Libxl, LibxlCallError, errorName, type OpenOptions } from './context.js';
export { JsonBridge, FromJsonError, LayoutMismatchError, type LibxlObject } from './json.js';
export { LogCapture, parseLogLine, type LogLine, type LogLevel } from './log.js';
export { loadLibs, loadXlutil, LibraryMissingError, UnsupportedLibxlError, XENLIGHT_VERSIONS, type Libs } from './load.js';
export { bindDevice, DEVICE_TYPES, PROTOTYPES, type CFunction, type DeviceFunctions, type DeviceKindName } from './libxl.js';
export { emptyBitmap, makeBitmap, readBitmap, type NativeBitmap } from './bitmap.js';
export { acquireXlLock, type HeldLock, type LockWaitInfo } from './xllock.js';
export { XenstoreReader } from './xenstore.js';
export { CONSTANTS, LAYOUTS, OBJECT_BYTES, SCHEDULERS, SIZES_4_17, SIZES_4_20, SIZES_BY_VERSION, SUPPORTED_VERSIONS } from './layout.js';
