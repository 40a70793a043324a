// The simulator's own "domain image": what libxl's stream would carry for a real guest, here
// the runtime state of the simulated domain. It follows xl's save-file header.
import { OperationError } from '../core/errors.js';
import { MAX_INPUT_BYTES, readSome } from '../readlimit.js';
import type { SimDomain } from './state.js';

export const SIM_STREAM_MAGIC = 'TXLSIM-STREAM 1\n';

export type SimImage = Pick<SimDomain, 'cpu_ns' | 'online_vcpus' | 'hard_affinity' | 'soft_affinity' | 'sched' | 'target_kb' | 'max_kb'> & {
  domid: number;
  name: string;
  saved_at: number;
};

export function encodeImage(d: SimDomain, now: number): Buffer {
  const img: SimImage = {
    domid: d.domid, name: d.name, saved_at: now, cpu_ns: d.cpu_ns, online_vcpus: d.online_vcpus,
    hard_affinity: d.hard_affinity, soft_affinity: d.soft_affinity, sched: d.sched, target_kb: d.target_kb, max_kb: d.max_kb,
  };
  return Buffer.from(SIM_STREAM_MAGIC + JSON.stringify(img) + '\n');
}

export function decodeImage(buf: Buffer): SimImage {
  const text = buf.toString('utf8');
  if (!text.startsWith(SIM_STREAM_MAGIC)) {
    const real = buf.subarray(0, 8).toString('latin1') === 'LibxlFmt';
    throw new OperationError(real
      ? 'this save file holds the image of a real Xen domain; the simulator can only restore images it saved itself'
      : 'the domain image in this save file is not one the simulator wrote (corrupt, or from another tool)');
  }
  try {
    return JSON.parse(text.slice(SIM_STREAM_MAGIC.length)) as SimImage;
  } catch {
    throw new OperationError('the domain image in this save file is truncated or corrupt');
  }
}

/**
 * Reads one image from fd and not a byte more: its magic line and its JSON line. Like
 * libxl's stream, the image ends by itself, so that after it the fd can carry more (the
 * migration protocol's messages). Copes with a non-blocking fd (stdin under Node).
 */
export function readImageFd(fd: number): SimImage {
  // a Buffer, not a number[] (8 bytes and more a byte): a 16 MiB line stays 16-32 MiB
  let buf = Buffer.alloc(4096);
  let len = 0;
  let lines = 0;
  while (lines < 2) {
    if (len === buf.length) {
      // a line that never ends (a corrupt or hostile file) stops at the input limit, not at OOM
      if (len >= MAX_INPUT_BYTES) throw new OperationError('the domain image in this save file is truncated or corrupt');
      const bigger = Buffer.alloc(len * 2);
      buf.copy(bigger);
      buf = bigger;
    }
    if (readSome(fd, buf, len, 1) === 0) break;
    if (buf[len++] === 0x0a) lines++;
    if (len === SIM_STREAM_MAGIC.length && buf.toString('latin1', 0, len) !== SIM_STREAM_MAGIC) break;
  }
  return decodeImage(buf.subarray(0, len));
}
