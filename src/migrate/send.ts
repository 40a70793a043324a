// `txl migrate DOMAIN HOST`: the sending end of xl's migration protocol (see protocol.ts),
// on any Backend, with xl's messages and its three ways of failing: before the point of no
// return the domain is resumed here; after it, both ends must be checked by hand.
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import type { Backend } from '../core/backend-types.js';
import { OperationError, TxlError } from '../core/errors.js';
import { readDomainFile } from '../formats.js';
import { withBackend } from '../ops/connect.js';
import { noteJob, withJob } from '../ops/jobs.js';
import { unhooked } from '../hooks-backend.js';
import { configText } from '../ops/views.js';
import { describe, encodeHeader } from '../savefile.js';
import { progress } from '../progress.js';
import { AWAY_SUFFIX, BANNER, expectMessage, GO, migrationRune, ProtocolError, readExactly, READY, REPORT, writeAll } from './protocol.js';
import { childReport, startTransport, type Transport } from './transport.js';
import { migrationMode } from './live.js';
import { domainType } from '../core/model.js';

export interface MigrateOptions {
  /** -s: the ssh command ('' = HOST is the command to run) */
  ssh?: string;
  /** -C: send this config instead of the domain's own */
  config?: string;
  /** -e: no monitor at the other end */
  monitor?: boolean;
  /** -p: leave it paused at the other end */
  paused?: boolean;
  /** -D: keep the domid */
  preserveDomid?: boolean;
  debug?: boolean;
  /** run xl migrate-receive at the other end instead of txl's */
  remoteXl?: boolean;
}

const STREAM = 'migration receiver stream';

export async function migrateDomain(ctx: Context, ref: string, host: string, o: MigrateOptions): Promise<Result> {
  return withBackend(ctx, async (hooked) => {
    // a migration moves a domain: it neither starts nor destroys one, so no hooks run
    const be = unhooked(hooked);
    const domid = await be.resolve(ref);
    const info = await be.domainInfo(domid);
    const cfg = o.config ? (await readDomainFile(o.config, ctx.env)).config : await be.domainConfig(domid);
    const c_info = { ...cfg.c_info };
    if (o.preserveDomid) c_info.domid = domid;
    else delete c_info.domid;
    const json = await configText({ ...cfg, c_info, side: undefined });
    const rune = migrationRune(host, {
      ssh: o.ssh ?? 'ssh',
      remote: o.remoteXl ? 'xl' : 'txl',
      tty: Boolean((ctx.stderr as NodeJS.WriteStream).isTTY),
      noMonitor: o.monitor === false,
      debug: o.debug,
      paused: o.paused,
      // xen:///system is the other end's default; a simulated host asks for one there too
      connect: be.kind === 'test' ? be.uri : undefined,
    });
    if (ctx.dryRun) {
      ctx.info(`txl: dry run: would migrate domain '${info.name}' (${domid}) through: ${rune}`);
      return { data: { dry_run: true, domid, name: info.name, command: rune }, text: '' };
    }
    const mode = migrationMode((await be.hostInfo()).physinfo.virt_caps, domainType(cfg));
    if (!mode.live) ctx.warn(`migrating '${info.name}' non-live: ${mode.why}; it is paused while its memory is copied`);
    const t = await startTransport(rune);
    try {
      // recorded as a job: domjobinfo shows it, domjobabort interrupts it
      await withJob(ctx, be, 'migrate', () => {
        noteJob(domid, info.name, { uuid: info.uuid, totalBytes: info.current_memkb * 1024 });
        return send(ctx, be, t, { domid, name: info.name, memkb: info.current_memkb, json, rune, debug: Boolean(o.debug), live: mode.live });
      });
    } finally {
      t.close();
    }
    const report = await childReport(t);
    if (report) ctx.info(report);
    return { data: { domid, name: info.name, host, migrated: true }, text: '' };
  });
}

interface Job { domid: number; name: string; memkb: number; json: string; rune: string; debug: boolean; live: boolean }

async function send(ctx: Context, be: Backend, t: Transport, j: Job): Promise<void> {
  const fail = async (message: string, cause: unknown, resume: boolean): Promise<never> => {
    t.closeSend();
    const report = await childReport(t);
    if (report) ctx.info(report);
    if (resume) {
      try {
        await be.resume(j.domid);
      } catch {
        /* it may never have been suspended */
      }
    }
    throw new OperationError(`${message.replace(/\.$/, '')}: ${reason(cause)}`);
  };

  try {
    await expectMessage(t.recv, BANNER, 'banner', STREAM, j.rune);
  } catch (e) {
    return fail('Migration failed: the receiver did not answer.', e, false);
  }
  try {
    const { bytes, header } = encodeHeader(j.json);
    writeAll(t.send, bytes, 'header', 'migration stream');
    ctx.info(`Saving to migration stream new xl format (info ${describe(header)})`);
  } catch (e) {
    return fail('Migration failed, resuming at sender.', e, false);
  }

  // a spinner on a terminal only: in logs, xl's lines above and below say enough
  const p = (ctx.stderr as NodeJS.WriteStream).isTTY ? progress(ctx, `Migrating ${j.name}`) : { update() {}, done() {}, fail() {} };
  p.update(`(${Math.round(j.memkb / 1024)} MiB)`);
  try {
    await be.suspend(j.domid, t.send, { live: j.live, debug: j.debug });
    p.done('sent');
  } catch (e) {
    p.fail();
    ctx.info(`migration sender: libxl_domain_suspend failed (${reason(e)})`);
    const timedOut = /did not suspend|timed ?out/i.test(reason(e));
    return timedOut ? fail('Migration failed, failed to suspend at sender.', e, false) : fail('Migration failed, resuming at sender.', e, true);
  }

  let renamed = false;
  const away = `${j.name}${AWAY_SUFFIX}`;
  const managed = await be.getManaged(j.name).catch(() => undefined);
  try {
    await expectMessage(t.recv, READY, 'ready message', STREAM, j.rune);
    ctx.info('migration sender: Target has acknowledged transfer.');
    // the receiver may take the name only once ours has let go of it
    await be.rename(j.domid, away);
    renamed = true;
  } catch (e) {
    if (renamed) await be.rename(j.domid, j.name).catch(() => undefined);
    return fail('Migration failed, resuming at sender.', e, true);
  }

  // the point of no return: once told to go, the receiver may run the domain
  ctx.info('migration sender: Giving target permission to start.');
  let status: number;
  try {
    writeAll(t.send, GO, 'GO message', 'migration stream');
    await expectMessage(t.recv, REPORT, 'success/failure report message', STREAM, j.rune);
    status = (await readExactly(t.recv, 1, 'success/failure status', 'migration ack stream'))[0];
  } catch (e) {
    ctx.info(FAILED_BADLY);
    t.closeSend();
    const report = await childReport(t);
    if (report) ctx.info(report);
    throw new OperationError(`Migration failed during the final handshake: ${reason(e)}`, `the domain is '${away}' here (suspended) and may be running at the other end: check both, then rename and resume at most one`);
  }

  if (status !== 0) {
    ctx.info(`migration sender: Target reports startup failure (status code ${status}).`);
    try {
      await expectMessage(t.recv, GO, 'permission for sender to resume', STREAM, j.rune);
    } catch (e) {
      ctx.info(FAILED_BADLY);
      throw new OperationError(`Migration failed during the final handshake: ${reason(e)}`, `the domain is '${away}' here (suspended): check the other end before resuming it`);
    }
    ctx.info('migration sender: Trying to resume at our end.');
    await be.rename(j.domid, j.name).catch(() => undefined);
    let resumed = true;
    await be.resume(j.domid).catch(() => (resumed = false));
    if (resumed) ctx.info('migration sender: Resumed OK.');
    throw new OperationError('Migration failed due to problems at target.', resumed ? `domain '${j.name}' runs here again` : `domain '${j.name}' could not be resumed here`);
  }

  ctx.info('migration sender: Target reports successful startup.');
  await be.destroy(j.domid);
  await keepManagedName(be, j.name, away, managed?.config !== undefined);
  ctx.info('Migration successful.');
}

/** Renaming moved a managed config to NAME--migratedaway; it belongs under NAME on this host still. */
async function keepManagedName(be: Backend, name: string, away: string, wasManaged: boolean): Promise<void> {
  if (!wasManaged) return;
  const m = await be.getManaged(away).catch(() => undefined);
  if (!m) return;
  // one UUID, one managed config: the old entry goes first
  await be.undefine(away);
  try {
    await be.define({ ...m.config, c_info: { ...m.config.c_info, name } });
  } catch (e) {
    await be.define(m.config).catch(() => undefined);
    throw e;
  }
}

const FAILED_BADLY = [
  '** Migration failed during the final handshake **',
  'The state of the domain is now unknown: it may run at both ends, or at neither.',
  'Check both hosts, then rename and resume at most one copy: two copies running',
  'at once would corrupt the domain\'s disks.',
].join('\n');

function reason(e: unknown): string {
  if (e instanceof ProtocolError || e instanceof TxlError) return e.message;
  return (e as Error)?.message ?? String(e);
}
