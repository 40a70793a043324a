// Opening the connection a command runs against, and naming domains on it.
import type { Context } from '../context.js';
import type { Backend } from '../core/backend-types.js';

export async function connect(ctx: Context): Promise<Backend> {
  const { composeBackend, openBackend } = await import('../backend/index.js');
  // every command reaches create/destroy/reboot through here, so hooks cannot be bypassed
  return composeBackend(ctx, await openBackend(ctx.connect, ctx));
}

/** Opens the connection, runs fn, and closes the connection whatever happens. */
export async function withBackend<T>(ctx: Context, fn: (be: Backend) => Promise<T>): Promise<T> {
  const be = await connect(ctx);
  try {
    return await fn(be);
  } finally {
    await be.close();
  }
}
