// Managed (defined) domains on a Xen host: configs txl keeps, one JSON file per name, in the
// same layout as the simulator's managed/ folder, under /var/lib/txl/managed by default.
import { readdirSync } from 'node:fs';
import { readBounded } from '../readlimit.js';
import { join } from 'node:path';
import { newUuid } from '../require.js';
import { NotFoundError, OperationError } from '../core/errors.js';
import type { DomainConfig } from '../core/model.js';
import type { ManagedDomain } from '../core/backend-types.js';
import { removeFile, replaceFile } from '../fsutil.js';
import { checkManagedDir, checkManagedFile } from '../trust-files.js';
import { isUuid, normUuid } from './domains.js';
import type { Environment } from '../env.js';
import { ManagedMarks } from '../managed-marks.js';

/** Under the command's TXL_XEN_STATE_DIR when set. */
export function managedDir(env: Environment): string {
  return env.TXL_XEN_STATE_DIR ? join(env.TXL_XEN_STATE_DIR, 'managed') : '/var/lib/txl/managed';
}

/** Managed save images (managedsave), beside managed/: /var/lib/txl/save by default. */
export function saveDir(env: Environment): string {
  return env.TXL_XEN_STATE_DIR ? join(env.TXL_XEN_STATE_DIR, 'save') : '/var/lib/txl/save';
}

export class ManagedStore {
  readonly marks: ManagedMarks;

  constructor(readonly dir: string, savesIn = join(dir, '..', 'save')) {
    this.marks = new ManagedMarks(dir, savesIn);
  }

  list(): ManagedDomain[] {
    let files: string[];
    try {
      files = readdirSync(this.dir).filter((f) => f.endsWith('.json') && !f.startsWith('.'));
    } catch {
      return [];
    }
    const out: ManagedDomain[] = [];
    checkManagedDir(this.dir);
    const autostart = this.marks.autostartNames();
    for (const f of files.sort()) {
      const path = join(this.dir, f);
      checkManagedFile(path); // one others could write is refused, not skipped
      try {
        const config = JSON.parse(readBounded(path, 'a managed config').toString('utf8')) as DomainConfig;
        const name = config.c_info?.name ?? f.slice(0, -5);
        out.push({ name, uuid: config.c_info?.uuid ?? '', config, path, autostart: autostart.has(name), managed_save: this.marks.saveOf(name) });
      } catch {
        /* a file being replaced or damaged: skip it rather than fail every listing */
      }
    }
    return out;
  }

  get(name: string): ManagedDomain | undefined {
    return this.list().find((m) => m.name === name);
  }

  find(ref: string): ManagedDomain | undefined {
    return this.list().find((m) => m.name === ref || (isUuid(ref) && m.uuid === normUuid(ref)));
  }

  /** Stores cfg under its name; `liveUuid` is the UUID of a running domain of that name. Returns true when it replaced one. */
  define(cfg: DomainConfig, liveUuid?: string): boolean {
    const name = cfg.c_info?.name;
    if (!name) throw new OperationError('the config has no name', "set 'name' in the config");
    if (/^\d+$/.test(name) || isUuid(name) || /[\s/]/.test(name) || name.length > 64) {
      throw new OperationError(`'${name}' cannot be a domain name`, 'use at most 64 characters, not only digits, without spaces or /');
    }
    const all = this.list();
    const existing = all.find((m) => m.name === name);
    const uuid = cfg.c_info.uuid ? normUuid(cfg.c_info.uuid) : existing?.uuid || liveUuid || newUuid();
    const twin = all.find((m) => m.uuid === uuid && m.name !== name);
    if (twin) throw new OperationError(`managed domain '${twin.name}' already has UUID ${uuid}`);
    this.write(name, { ...cfg, c_info: { ...cfg.c_info, uuid } });
    return Boolean(existing);
  }

  undefine(name: string): void {
    const m = this.get(name);
    if (!m) throw new NotFoundError(`no managed domain '${name}'`);
    this.marks.checkUndefine(name);
    removeFile(m.path);
    this.marks.forget(name);
  }

  /** The managed config follows a running domain that is renamed. */
  rename(oldName: string, newName: string): void {
    const m = this.get(oldName);
    if (!m) return;
    if (this.get(newName)) throw new OperationError(`a managed domain named '${newName}' already exists`, 'undefine it first, or pick another name');
    this.write(newName, { ...m.config, c_info: { ...m.config.c_info, name: newName } });
    removeFile(m.path);
    this.marks.rename(oldName, newName);
  }

  private write(name: string, cfg: DomainConfig): void {
    try {
      replaceFile(join(this.dir, `${name}.json`), JSON.stringify(cfg, null, 2) + '\n');
    } catch (e) {
      throw new OperationError(`cannot store the config of '${name}' in ${this.dir}: ${(e as Error).message}`);
    }
  }
}
