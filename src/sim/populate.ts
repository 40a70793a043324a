// A host file's initial domains, created when its state is first made.
import type { DomainConfig } from '../core/model.js';
import { TxlError } from '../core/errors.js';
import { appendConsole, bootLines } from './console.js';
import { createDomain } from './domains.js';
import type { Tx } from './store.js';

export async function populateHost(tx: Tx): Promise<void> {
  for (const spec of tx.host.domains) {
    let cfg: DomainConfig;
    if ('file' in spec) {
      const { readDomainFile } = await import('../formats.js');
      const { blindError } = await import('../secrets.js');
      // the host file names it, not the user's command line: positions only, no lines of it
      cfg = (await readDomainFile(spec.file, tx.env).catch((e) => Promise.reject(blindError(e, `the lines of '${spec.file}' are not shown: the host file names it, not the command line`)))).config;
    } else {
      const kb = spec.memory_mib * 1024;
      cfg = {
        c_info: { type: spec.type, name: spec.name },
        b_info: { max_vcpus: spec.vcpus, max_memkb: kb, target_memkb: kb, ...(spec.type === 'pv' ? { 'type.pv': {} } : {}) },
        on_reboot: 'restart',
      };
    }
    let d;
    try {
      d = createDomain(tx, cfg);
    } catch (e) {
      throw new TxlError(`the host file's domain '${cfg.c_info.name ?? '?'}' cannot be created: ${(e as Error).message}`);
    }
    tx.after(() => appendConsole(tx.paths, d.domid, bootLines(d)));
  }
}
