// console: attach to a guest's console as xl console does (until Ctrl-], the end of stdin or the
// domain's end); --log prints what it has printed so far and returns.
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import { UsageError } from '../core/errors.js';
import type { ConsoleOpenOptions, GuestAction } from '../core/backend-types.js';
import { withBackend } from './connect.js';

export interface ConsoleOptions { log?: boolean; follow?: boolean; type?: string; num?: number }

/** The stdin an attached console reads keystrokes from: process.stdin, or a test's stream. */
export interface ConsoleInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(raw: boolean): unknown;
}

/** xenconsole's way out: Ctrl-] */
const ESCAPE = 0x1d;
const TYPES = ['pv', 'serial', 'vuart'] as const;

export async function showConsole(ctx: Context, ref: string, opts: ConsoleOptions, io: { stdin?: ConsoleInput } = {}): Promise<Result | void> {
  const type = opts.type as ConsoleOpenOptions['type'];
  if (type && !TYPES.includes(type)) throw new UsageError(`unknown console type '${opts.type}' (use pv, serial or vuart)`);
  if (opts.num !== undefined && !(Number.isInteger(opts.num) && opts.num >= 0)) throw new UsageError(`console number must be a whole number from 0, not '${opts.num}'`);
  if (opts.log && opts.follow) throw new UsageError('--log prints the log and returns; -f attaches: give one of them');
  const pick = { type, num: opts.num };
  return withBackend(ctx, async (be) => {
    const domid = await be.resolve(ref);
    // -o json/yaml cannot carry a live terminal: they get the log as data, as before
    if (opts.log || ((ctx.output === 'json' || ctx.output === 'yaml') && !opts.follow)) {
      let log = '';
      for await (const chunk of be.console(domid, pick)) log += chunk;
      return { data: { domid, log }, text: log };
    }
    const ac = new AbortController();
    const stop = () => ac.abort();
    // Xen's xenconsole reads the terminal itself; the simulator's guest is fed from here
    const input = be.kind === 'test' ? readUntilEscape(io.stdin ?? process.stdin, stop) : undefined;
    // a signal detaches (xenconsole is told to go, leaving no console client behind)
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    for (const s of signals) process.once(s, stop);
    try {
      for await (const chunk of be.console(domid, { ...pick, follow: true, signal: ac.signal })) ctx.stdout.write(chunk);
    } finally {
      for (const s of signals) process.off(s, stop);
      input?.();
    }
  });
}

/**
 * Reads the keystrokes a guest would get, in raw mode on a terminal as xenconsole does, and
 * calls `leave` at Ctrl-] or the end of the input. Returns what undoes it.
 */
function readUntilEscape(stdin: ConsoleInput, leave: () => void): () => void {
  // a stdin that ended before (an earlier console of the same process) ends this one at once
  const state = stdin as { readableEnded?: boolean; destroyed?: boolean };
  if (state.readableEnded || state.destroyed) {
    leave();
    return () => {};
  }
  const raw = Boolean(stdin.isTTY && stdin.setRawMode);
  if (raw) stdin.setRawMode!(true);
  const onData = (chunk: Buffer | string) => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (bytes.includes(ESCAPE)) leave();
  };
  stdin.on('data', onData);
  stdin.once('end', leave);
  stdin.once('error', leave);
  stdin.resume();
  return () => {
    stdin.off('data', onData);
    stdin.off('end', leave);
    stdin.off('error', leave);
    if (raw) stdin.setRawMode!(false);
    stdin.pause();
  };
}

export async function simGuest(ctx: Context, ref: string, action: GuestAction): Promise<Result> {
  return withBackend(ctx, async (be) => {
    if (!be.guestAction) throw new UsageError('sim-guest works only on the simulator', 'connect with --connect test:///default');
    const domid = await be.resolve(ref);
    await be.guestAction(domid, action);
    const after = (await be.listDomains()).filter((d) => d.domid === domid || d.name === ref);
    return { data: { domid, action, now: after.map((d) => ({ domid: d.domid, name: d.name, state: d.state })) }, text: '' };
  });
}
