// `txl migrate-receive` (hidden): the receiving end of xl's migration protocol, run by the
// sender through ssh with the stream on stdin and the replies on stdout. The domain is
// restored paused as NAME--incoming, and takes its name and runs only once the sender,
// having renamed its own copy away, says so. Messages go to stderr (the sender shows them).
import type { Context } from '../context.js';
import { OperationError, TxlError } from '../core/errors.js';
import { parseDomainText } from '../formats.js';
import { withBackend } from '../ops/connect.js';
import { unhooked } from '../hooks-backend.js';
import { describe, readHeader } from '../savefile.js';
import { BANNER, expectMessage, GO, INCOMING_SUFFIX, READY, REPORT, writeAll } from './protocol.js';

export interface ReceiveOptions {
  /** -e: no monitor for the received domain */
  monitor?: boolean;
  /** -p: leave it paused */
  paused?: boolean;
  debug?: boolean;
  /** where the stream comes from and the replies go (stdin, stdout) */
  recvFd?: number;
  sendFd?: number;
}

const ACK = 'migration ack stream';
/** libxl's ERROR_FAIL, sent back (negated, as xl does) when no better code is known */
const FAIL = 3;

export async function migrateReceive(ctx: Context, o: ReceiveOptions = {}): Promise<void> {
  const recv = o.recvFd ?? 0;
  const send = o.sendFd ?? 1;
  ctx.info('migration target: Ready to receive domain.');
  writeAll(send, BANNER, 'banner', ACK);
  await withBackend(ctx, async (hooked) => {
    const be = unhooked(hooked); // see send.ts
    const source = '<incoming migration stream>';
    let h;
    try {
      h = readHeader(recv);
    } catch (e) {
      throw new OperationError(`migration target: ${(e as Error).message}`);
    }
    ctx.info(`Loading new save file ${source} (new xl fmt info ${describe(h)})`);
    if (!h.config) throw new OperationError('Config file not specified and none in save file');
    ctx.info(' Savefile contains xl domain config in JSON format');
    ctx.info('Parsing config from <saved>');
    const cfg = (await parseDomainText(h.config, '<saved>', { from: 'json' })).config;
    const name = cfg.c_info.name;
    if (!name) throw new OperationError('the incoming domain has no name');
    const incoming = `${name}${INCOMING_SUFFIX}`;
    cfg.c_info = { ...cfg.c_info, name: incoming };

    let domid: number;
    try {
      domid = await be.create(cfg, { restoreFd: recv, paused: true, noMonitor: o.monitor === false });
    } catch (e) {
      ctx.info(`migration target: Domain creation failed (${(e as Error).message}).`);
      throw e;
    }
    ctx.info('migration target: Transfer complete, requesting permission to start domain.');
    writeAll(send, READY, 'ready message', ACK);

    let failure: unknown;
    try {
      await expectMessage(recv, GO, 'GO message', 'migration stream');
      ctx.info('migration target: Got permission, starting domain.');
      await be.rename(domid, name);
      if (!o.paused) await be.unpause(domid);
      ctx.info('migration target: Domain started successfully.');
    } catch (e) {
      failure = e;
    }
    writeAll(send, REPORT, 'success/failure report', ACK);
    writeAll(send, Buffer.from([failure ? statusByte(failure) : 0]), 'success/failure code', ACK);
    if (!failure) return;

    ctx.info('migration target: Failure, destroying our copy.');
    try {
      await be.destroy(domid);
    } catch (e) {
      throw new OperationError(`migration target: Failed to destroy our copy: ${(e as Error).message}`);
    }
    ctx.info('migration target: Cleanup OK, granting sender permission to resume.');
    writeAll(send, GO, 'permission to sender to have domain back', ACK);
    throw failure instanceof TxlError ? failure : new OperationError(`migration target: ${(failure as Error).message}`);
  });
}

/** xl sends -rc of the libxl call that failed; a byte that is never 0. */
function statusByte(e: unknown): number {
  const rc = (e as { rc?: number }).rc;
  return typeof rc === 'number' && rc < 0 && rc > -256 ? -rc : FAIL;
}
