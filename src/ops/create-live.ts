import type { Context } from '../context.js';
import type { Result } from '../command.js';
import type { CreateOptions } from './create.js';
import { ConnectError } from '../errors.js';

// Replaced by the backend-driven create once src/backend lands (issue 3).
export async function createOnBackend(_ctx: Context, _files: string[], _overrides: string[], _opts: CreateOptions): Promise<Result> {
  throw new ConnectError('no hypervisor connection is available in this build', "use 'txl create -N FILE' to see the libxl JSON");
}
