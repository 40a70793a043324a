// The libxl backend's entry point. The bindings are another piece of work; until they land
// this only tells a Xen host from a machine without Xen, so that both get a clear sentence.
import { existsSync } from 'node:fs';
import { ConnectError } from '../errors.js';
import type { Backend } from './types.js';

export function xenPresent(): boolean {
  return existsSync('/proc/xen') || existsSync('/dev/xen/privcmd');
}

export async function openXen(uri: string): Promise<Backend> {
  if (!xenPresent()) {
    throw new ConnectError(
      `cannot connect to ${uri}: this machine is not running Xen (no /proc/xen or /dev/xen/privcmd); use --connect test:///default for the simulator`,
    );
  }
  throw new ConnectError(
    `cannot connect to ${uri}: this build of txl has no libxl backend yet`,
    'use --connect test:///default for the simulator',
  );
}
