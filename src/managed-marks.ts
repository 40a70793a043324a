// What a managed domain has besides its config, on both backends: the autostart mark (an
// empty owner-only file under managed/autostart/, as libvirt keeps a link per domain in its
// autostart/ folder) and the managed save image (save/NAME.save beside managed/).
import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { OperationError } from './core/errors.js';
import { removeFile, writeFileAtomicSync, writeReason } from './fsutil.js';
import { entryProblem, fixFor, untrustedComponent } from './trust.js';
import { UnsafeFileError } from './validate.js';

export class ManagedMarks {
  readonly autostartDir: string;

  constructor(readonly managedDir: string, readonly saveDir: string) {
    this.autostartDir = join(managedDir, 'autostart');
  }

  /** The names marked for autostart; a mark others could have made is refused (it decides what boots as root). */
  autostartNames(): Set<string> {
    let files: string[];
    try {
      files = readdirSync(this.autostartDir).filter((f) => !f.startsWith('.'));
    } catch {
      return new Set();
    }
    const bad = untrustedComponent(this.autostartDir);
    if (bad) throw new UnsafeFileError(`refusing to use the autostart directory '${this.autostartDir}': ${bad.why}`, fixFor(bad, true));
    for (const f of files) {
      const path = join(this.autostartDir, f);
      const why = entryProblem(path, lstatSync(path));
      if (why) throw new UnsafeFileError(`refusing to use the autostart mark '${path}': ${why}`, fixFor({ path, why }, false));
    }
    return new Set(files);
  }

  setAutostart(name: string, enable: boolean): void {
    const mark = join(this.autostartDir, name);
    try {
      if (!enable) return removeFile(mark);
      mkdirSync(this.autostartDir, { recursive: true, mode: 0o700 });
      if (!existsSync(mark)) writeFileAtomicSync(mark, '', 0o600);
    } catch (e) {
      if (e instanceof OperationError) throw e;
      throw new OperationError(`cannot ${enable ? 'mark' : 'unmark'} domain '${name}' for autostart in ${this.autostartDir}: ${writeReason(e)}`);
    }
  }

  savePath(name: string): string {
    return join(this.saveDir, `${name}.save`);
  }

  /** The managed save image of name, when there is one. */
  saveOf(name: string): string | undefined {
    const p = this.savePath(name);
    return existsSync(p) ? p : undefined;
  }

  /** A domain renamed while it runs keeps its autostart mark (it has no managed save: it runs). */
  rename(oldName: string, newName: string): void {
    const from = join(this.autostartDir, oldName);
    if (existsSync(from)) renameSync(from, join(this.autostartDir, newName));
  }

  /** undefine: the autostart mark goes with the config, as virsh's does. */
  forget(name: string): void {
    removeFile(join(this.autostartDir, name));
  }

  /** virsh refuses to undefine a domain whose managed save would be orphaned. */
  checkUndefine(name: string): void {
    const image = this.saveOf(name);
    if (image) {
      throw new OperationError(`Refusing to undefine while domain managed save image exists (${image})`,
        `restore it with 'txl start ${name}', or drop it with 'txl managedsave-remove ${name}' (or 'txl undefine --managed-save ${name}')`);
    }
  }
}
