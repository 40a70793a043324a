// Finds the completion scripts shipped in completions/ (beside dist/ in the package, beside
// src/ in the repository) and picks the one for a shell.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TxlError, UsageError } from './core/errors.js';
import type { Environment } from './env.js';

export const SHELL_SCRIPTS = { bash: 'txl.bash', zsh: '_txl', fish: 'txl.fish' } as const;
export type Shell = keyof typeof SHELL_SCRIPTS;

/** The package's root: the nearest directory above this module that holds completions/. */
export function packageRoot(from = fileURLToPath(import.meta.url)): string | undefined {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'completions', SHELL_SCRIPTS.bash)) && existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** shell: the one asked for, else the command's $SHELL (env). */
export async function completionScript(shell: string | undefined, env: Environment): Promise<{ shell: Shell; script: string }> {
  const name = shell ?? (env.SHELL ? basename(env.SHELL) : '');
  if (!(name in SHELL_SCRIPTS)) {
    throw new UsageError(
      shell ? `no completion for shell '${shell}'` : 'cannot tell the shell from $SHELL',
      'say which: txl completion bash, txl completion zsh or txl completion fish',
    );
  }
  const root = packageRoot();
  if (!root) throw new TxlError("cannot find txl's completions/ directory", 'reinstall txl: the package ships completions/');
  const script = await readFile(join(root, 'completions', SHELL_SCRIPTS[name as Shell]), 'utf8');
  return { shell: name as Shell, script };
}
