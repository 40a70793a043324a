// txl new: a new domain config from flags, and on a terminal from questions for whatever
// the flags left open. Without a terminal nothing is ever asked: the flags are enough or
// txl says at once which ones are missing. The config is read back with the same xl.cfg
// reader as `txl create` before it is printed or saved, so an invalid file is never written.
import { lstatSync, readdirSync, existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import { OperationError, TxlError, UsageError } from '../core/errors.js';
import { loadXlConf } from '../formats.js';
import { writeFileAtomic } from '../fsutil.js';
import { confirmOrCancel } from '../prompt.js';
import { withBackend } from './connect.js';
import type { AskIO, HostFacts } from './new-ask.js';
import {
  bootProblem, checkBootloader, checkCmdline, checkDisk, checkFirmware, checkMemory, checkName, checkNetwork, checkPath,
  checkType, checkVcpus, renderConfig, type Check, type NewAnswers,
} from './new-config.js';

export interface NewOptions {
  type?: string;
  memory?: string;
  vcpus?: number;
  kernel?: string;
  ramdisk?: string;
  cmdline?: string;
  firmware?: string;
  bootloader?: string;
  disk?: string[];
  network?: string[];
  output?: string;
  force?: boolean;
}

/** The terminal to ask on; replaceable in tests. */
export interface NewIO {
  stdin: NodeJS.ReadableStream;
}

const isTty = (s: NodeJS.ReadableStream | NodeJS.WritableStream) => Boolean((s as NodeJS.ReadStream).isTTY);

/** A flag's value through its check: a bad one stops txl new at once (exit 2). */
function flag<T>(name: string, given: string, r: Check<T>): T {
  if (r.ok) return r.value;
  if (r.error) throw r.error;
  throw new UsageError(`${name} '${given}': ${r.message}`);
}

function fromFlags(name: string | undefined, o: NewOptions): NewAnswers {
  const a: NewAnswers = { disks: [], networks: [] };
  if (o.type !== undefined) a.type = flag('--type', o.type, checkType(o.type));
  if (name !== undefined) a.name = flag('NAME', name, checkName(name));
  if (o.memory !== undefined) a.memory = flag('--memory', o.memory, checkMemory(o.memory));
  if (o.vcpus !== undefined) a.vcpus = flag('--vcpus', String(o.vcpus), checkVcpus(o.vcpus));
  if (o.kernel !== undefined) a.kernel = flag('--kernel', o.kernel, checkPath(o.kernel, 'kernel'));
  if (o.ramdisk !== undefined) a.ramdisk = flag('--ramdisk', o.ramdisk, checkPath(o.ramdisk, 'ramdisk'));
  if (o.cmdline !== undefined) a.cmdline = flag('--cmdline', o.cmdline, checkCmdline(o.cmdline));
  if (o.firmware !== undefined) a.firmware = flag('--firmware', o.firmware, checkFirmware(o.firmware, a.type));
  if (o.bootloader !== undefined) a.bootloader = flag('--bootloader', o.bootloader, checkBootloader(o.bootloader, a.type));
  for (const d of o.disk ?? []) a.disks.push(flag('--disk', d, checkDisk(d, a.disks, a.type)));
  for (const n of o.network ?? []) a.networks.push(flag('--network', n, checkNetwork(n)));
  return a;
}

/** What a run without a terminal lacks, in the words of the usage line. */
function missing(a: NewAnswers): string[] {
  const out: string[] = [];
  if (a.name === undefined) out.push('NAME');
  if (a.type === undefined) out.push('--type pv|pvh|hvm');
  if (a.memory === undefined) out.push('--memory SIZE');
  if (a.type !== 'hvm' && a.kernel === undefined && a.bootloader === undefined && a.firmware === undefined) {
    out.push(a.type ? '--kernel PATH (or --bootloader pygrub, or --firmware pvgrub64)' : '--kernel PATH (unless --type hvm)');
  }
  return out;
}

/** Bridges in this machine's network stack: what xen:///system's vifs can join. */
export function localBridges(root = '/sys/class/net'): string[] {
  try {
    return readdirSync(root).filter((n) => existsSync(join(root, n, 'bridge'))).sort();
  } catch {
    return [];
  }
}

/** The connection's bridges, CPUs and free memory; without a connection, this machine's bridges. */
async function hostFacts(ctx: Context): Promise<HostFacts> {
  try {
    return await withBackend(ctx, async (be) => {
      const bridges = be.hostBridges ? await be.hostBridges() : localBridges();
      const info = await be.hostInfo().catch(() => undefined);
      return { bridges, cpus: info?.physinfo.nr_cpus, freeMiB: info ? Math.floor(info.physinfo.free_memkb / 1024) : undefined };
    });
  } catch (e) {
    if (!(e instanceof TxlError)) throw e;
    ctx.debug(1, `new: no connection (${e.message}); bridges from /sys/class/net`);
    return { bridges: localBridges() };
  }
}

const exists = (p: string) => {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
};

/** Where the config goes, checked before any question so that nobody answers in vain. */
async function checkTarget(ctx: Context, file: string, o: NewOptions, canAsk: boolean, io: NewIO): Promise<boolean> {
  const dir = dirname(file);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new TxlError(`cannot write '${file}': no such directory '${dir}'`);
  if (!exists(file)) return false;
  if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw new TxlError(`'${file}' is a directory`, 'give the path of the config file to write, e.g. /etc/xen/NAME.cfg');
  if (o.force || ctx.yes) return true;
  if (!canAsk) throw new OperationError(`'${file}' already exists; not overwritten`, 'add --force to replace it');
  if (ctx.dryRun) {
    ctx.info(`txl: dry run: '${file}' exists; txl new would ask before replacing it`);
    return true;
  }
  await confirmOrCancel(ctx, `'${file}' already exists. Replace it?`, { default: false, io: { input: io.stdin } });
  return true;
}

export async function newDomainConfig(ctx: Context, name: string | undefined, o: NewOptions, io: NewIO = { stdin: process.stdin }): Promise<Result> {
  const file = o.output !== undefined ? resolve(o.output) : undefined;
  // the config goes to stdout unless a file is named (or -N shows it): then prompts use stderr
  const toStdout = file === undefined || ctx.dryRun;
  const promptOut = toStdout ? ctx.stderr : ctx.stdout;
  const canAsk = isTty(io.stdin) && isTty(promptOut);

  let answers = fromFlags(name, o);
  const replacing = file ? await checkTarget(ctx, file, o, canAsk, io) : false;
  if (!canAsk) {
    const lack = missing(answers);
    if (lack.length) {
      throw new UsageError(`missing ${lack.join(', ')} (there is no terminal to ask on)`,
        'for example: txl new web --type pvh --memory 1024 --kernel /boot/vmlinuz --disk /var/lib/xen/images/web.img --network xenbr0');
    }
  } else {
    const { askMissing } = await import('./new-ask.js');
    const ask: AskIO = { input: io.stdin, output: promptOut };
    answers = await askMissing(answers, await hostFacts(ctx), ask, { output: file });
  }
  answers.vcpus ??= 1;
  const bad = bootProblem(answers);
  if (bad) throw new UsageError(bad);

  const text = renderConfig(answers);
  // read back by the reader `txl create` uses: what is saved is what create accepts
  const { xlcfgToModel } = await import('../../parsers/xlcfg/to-model.js');
  const read = xlcfgToModel(text, file ?? '<new config>', { xlconf: await loadXlConf(ctx.env) });
  read.warnings.forEach((w) => ctx.warn(w));
  const data = { name: answers.name, type: answers.type, file: file ?? null, written: false, config: read.config, xl_cfg: text };

  if (!file) return { data, text };
  if (ctx.dryRun) {
    ctx.info(`txl: dry run: would ${replacing ? 'replace' : 'write'} ${file}`);
    return { data: { ...data, dry_run: true }, text };
  }
  // someone may have made the file while the questions were asked
  if (!replacing && exists(file) && !o.force && !ctx.yes) throw new OperationError(`'${file}' appeared while txl new was asking; not overwritten`, 'add --force to replace it');
  await writeFileAtomic(file, text);
  ctx.info(`txl: wrote ${file}; start the domain with 'txl create ${o.output}'`);
  return { data: { ...data, written: true }, text: '' };
}
