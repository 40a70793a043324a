// Ctrl-C (SIGINT) and SIGTERM for commands that change things. The first signal only sets
// a flag: long operations look at it at safe points (each simulator transaction, between
// the steps of create, save and restore) and unwind through their normal error path with
// InterruptedError, so the rollbacks that undo a failed step also undo an interrupted one.
// A second signal exits at once. SIGCHLD is left alone: libxl's children are reaped through
// the handler in bindings/context.ts, which this module never touches.
// Ending the process is the entry's decision (src/cli/signals.ts hands it in through
// setProcessEnd), and so are the notes a signal prints: a command run inside another
// program (a test's) has no process of its own to end.
import { CancelledError } from './core/errors.js';

/** What the entry lets signal handlers do to the process. */
export interface ProcessEnd {
  /** ends the process at once with this exit code */
  exit(code: number): void;
  /** writes a line for the person at the terminal now, before an exit */
  note(line: string): void;
  /** whether stderr is a terminal (the first signal's note is for a person only) */
  interactive: boolean;
}

/** A command stopped by SIGINT/SIGTERM at a safe point; exit 130 like every cancel. */
export class InterruptedError extends CancelledError {
  /** set once the layer that undid the work has said what it undid */
  explained = false;
  constructor(readonly signal: string = 'SIGINT') {
    super('interrupted');
  }
}

let received: NodeJS.Signals | undefined;
let controller: AbortController | undefined;
let undoDepth = 0;
let installed = false;
let processEnd: ProcessEnd | undefined;
const hardExitHooks = new Set<() => void>();

/** Set once by the entry (bin/txl's main); without it a second signal only stops at the next safe point. */
export function setProcessEnd(end: ProcessEnd | undefined): void {
  processEnd = end;
}

/** Ends the process at once, if the entry allows it (the monitor stopped by SIGTERM). */
export function endProcess(code: number): void {
  processEnd?.exit(code);
}

function onSignal(sig: NodeJS.Signals): void {
  if (received) {
    // no entry to end the process: the work goes on to its next safe point, its lock kept
    if (!processEnd) return;
    for (const hook of hardExitHooks) {
      try {
        hook();
      } catch {
        /* exiting anyway */
      }
    }
    processEnd?.note(`txl: ${sig} again: stopped at once; the operation may be half done\n`);
    endProcess(130);
    return;
  }
  received = sig;
  controller?.abort();
  if (processEnd?.interactive) processEnd.note('txl: interrupted: stopping at the next safe point and undoing (Ctrl-C again stops at once)\n');
}

/** Installs the handler once per process (the CLI does, for commands that modify). */
export function installInterruptHandler(): void {
  if (installed) return;
  installed = true;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** Whether a signal asked this process to stop, whether or not checks are suspended. */
export function interruptRequested(): boolean {
  return received !== undefined;
}

/** Aborted by the first signal: for waits that take an AbortSignal (xl's lock). */
export function interruptSignal(): AbortSignal {
  controller ??= new AbortController();
  if (received) controller.abort();
  return controller.signal;
}

/** A safe point: throws InterruptedError if a signal came, unless the caller is undoing. */
export function checkInterrupt(): void {
  if (received && undoDepth === 0) throw new InterruptedError(received);
}

/**
 * A safe point that first lets a signal that arrived during synchronous work reach its
 * handler: two turns of the event loop pass through a poll phase, where Node reads it.
 * Use it right after a step that committed (a plain checkInterrupt would run before Node
 * has read a signal that came during the step's synchronous part).
 */
export async function settleAndCheck(): Promise<void> {
  if (!installed) return;
  await new Promise<void>((r) => setImmediate(r));
  await new Promise<void>((r) => setImmediate(r));
  checkInterrupt();
}

/** Runs clean-up work (destroy, resume) that must not itself be interrupted at safe points. */
export async function undoing<T>(fn: () => Promise<T>): Promise<T> {
  undoDepth++;
  try {
    return await fn();
  } finally {
    undoDepth--;
  }
}

/** Says what was undone, once: the innermost layer that knows wins. */
export function explain(e: unknown, what: string): unknown {
  if (e instanceof InterruptedError && !e.explained) {
    e.message = `interrupted: ${what}`;
    e.explained = true;
  }
  return e;
}

/** The signal was for something that handled it (leaving a console): forget it. */
export function acknowledgeInterrupt(): void {
  received = undefined;
}

/** Work to do synchronously if a second signal exits the process (release a lock). */
export function onHardExit(fn: () => void): () => void {
  hardExitHooks.add(fn);
  return () => hardExitHooks.delete(fn);
}

/** For tests that run commands in-process: back to Node's own handling of both signals. */
export function resetInterruptState(): void {
  received = undefined;
  controller = undefined;
  undoDepth = 0;
  installed = false;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}
