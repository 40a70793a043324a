// Opening the connection a command runs against, and naming domains on it.
import type { Context } from '../context.js';
import type { Backend } from '../core/backend-types.js';

export async function connect(ctx: Context): Promise<Backend> {
  const { openBackend } = await import('../backend/index.js');
  const { withHooks } = await import('../hooks-backend.js');
  const { withBootPolicy } = await import('../policy.js');
  // every command reaches create/destroy/reboot through here, so hooks cannot be bypassed;
  // the boot policy sits inside them, so that a migration (which drops the hooks) keeps it
  return withHooks(withBootPolicy(await openBackend(ctx.connect)), { warn: (m) => ctx.warn(m) });
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
