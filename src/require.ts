// Synchronous loading on first use of what start-up should not pay for (node:crypto,
// node:child_process, koffi). require(), not import(): dist/cli.cjs runs from V8's code cache
// through vm.Script, where import() needs a flag Node 20 still calls experimental.
import { createRequire } from 'node:module';

export const lazyRequire = createRequire(import.meta.url);

/** A random UUID; node:crypto (webcrypto, streams: several ms) loads on the first one. */
export function newUuid(): string {
  return (lazyRequire('node:crypto') as typeof import('node:crypto')).randomUUID();
}
