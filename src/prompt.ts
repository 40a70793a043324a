// Confirmation before destructive acts. Only a person at a terminal is ever asked: with -y,
// or without a terminal on stdin and stdout, the answer is yes, as xl acts without asking,
// so scripts keep working and nothing ever waits for input that cannot come.
import type { Context } from './context.js';
import { CancelledError } from './core/errors.js';

export interface PromptIO {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/** Asks a yes/no question; Ctrl-C throws CancelledError (exit 130). */
export async function confirm(ctx: Context, question: string, opts: { default?: boolean; io?: PromptIO } = {}): Promise<boolean> {
  if (ctx.yes || !ctx.interactive) return true;
  const { confirm: ask } = await import('./prompts.js');
  try {
    return await ask(
      { message: question, default: opts.default ?? false },
      { input: opts.io?.input as NodeJS.ReadStream | undefined, output: (opts.io?.output ?? ctx.stdout) as NodeJS.WriteStream },
    );
  } catch (e) {
    const name = (e as Error)?.name;
    if (name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'CancelPromptError') throw new CancelledError('cancelled');
    throw e;
  }
}

/** Like confirm, but "no" cancels the whole operation (exit 130) with nothing changed. */
export async function confirmOrCancel(ctx: Context, question: string, opts: { default?: boolean; io?: PromptIO } = {}): Promise<void> {
  if (!(await confirm(ctx, question, opts))) throw new CancelledError('cancelled: nothing was changed');
}
