// xl's save-file header: 32 bytes of magic, then u32 byte-order marker, mandatory flags,
// optional flags and optional-data length (host byte order), then the optional data (u32
// length + the libxl JSON config with its NUL), then libxl's domain image.
import { writeAll } from './fsutil.js';
import { MAX_INPUT_BYTES, MAX_INPUT_TEXT, readSome } from './readlimit.js';
import { OperationError } from './core/errors.js';

export const SAVE_MAGIC = Buffer.from('Xen saved domain, xl format\n \0 \r', 'latin1');
export const BYTEORDER = 0x01020304;
export const FLAG_JSON = 1 << 0;
export const FLAG_STREAMV2 = 1 << 1;
const KNOWN = FLAG_JSON | FLAG_STREAMV2;

export interface SaveHeader { mandatory: number; optional: number; optlen: number; config?: string }

export function encodeHeader(configJson: string): { bytes: Buffer; header: SaveHeader } {
  const cfg = Buffer.concat([Buffer.from(configJson, 'utf8'), Buffer.from([0])]);
  const fixed = Buffer.alloc(16);
  const optlen = 4 + cfg.length;
  const mandatory = FLAG_STREAMV2 | FLAG_JSON;
  fixed.writeUInt32LE(BYTEORDER, 0);
  fixed.writeUInt32LE(mandatory, 4);
  fixed.writeUInt32LE(0, 8);
  fixed.writeUInt32LE(optlen, 12);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(cfg.length, 0);
  return { bytes: Buffer.concat([SAVE_MAGIC, fixed, len, cfg]), header: { mandatory, optional: 0, optlen } };
}

export function writeHeader(fd: number, configJson: string, path?: string): SaveHeader {
  const { bytes, header } = encodeHeader(configJson);
  writeAll(fd, bytes, path);
  return header;
}

function readExactly(fd: number, n: number, what: string): Buffer {
  const buf = Buffer.alloc(n);
  let got = 0;
  while (got < n) {
    const r = readSome(fd, buf, got, n - got);
    if (r === 0) throw new OperationError(`the save file is truncated (in its ${what})`);
    got += r;
  }
  return buf;
}

/** Reads and checks the header, leaving fd at the start of the domain image. */
export function readHeader(fd: number): SaveHeader {
  const magic = readExactly(fd, 32, 'header');
  if (!magic.equals(SAVE_MAGIC)) throw new OperationError('File has wrong magic number - corrupt or for a different tool?');
  const fixed = readExactly(fd, 16, 'header');
  if (fixed.readUInt32LE(0) !== BYTEORDER) throw new OperationError('File has wrong byte order');
  const h: SaveHeader = { mandatory: fixed.readUInt32LE(4), optional: fixed.readUInt32LE(8), optlen: fixed.readUInt32LE(12) };
  const bad = h.mandatory & ~KNOWN;
  if (bad) throw new OperationError(`Savefile has mandatory flag(s) 0x${bad.toString(16)} which are not supported; need newer xl`);
  // xl writes the config there: far below the input limit; a huge length is a corrupt file
  if (h.optlen > MAX_INPUT_BYTES) throw new OperationError(`Savefile optional data of ${h.optlen} bytes is larger than ${MAX_INPUT_TEXT}: corrupt file?`);
  if (h.optlen) {
    const opt = readExactly(fd, h.optlen, 'optional data');
    if (opt.length < 4) throw new OperationError('Savefile truncated.');
    const len = opt.readUInt32LE(0);
    if (opt.length - 4 < len) throw new OperationError('Savefile truncated.');
    h.config = opt.subarray(4, 4 + len).toString('utf8').replace(/\0+$/, '');
  }
  return h;
}

export function describe(h: SaveHeader): string {
  return `0x${h.mandatory.toString(16)}/0x${h.optional.toString(16)}/${h.optlen}`;
}
