// The text side of the xl.cfg writer: quoting, lists, and the notes about what the model
// holds that no xl.cfg key can say.

import { ConfigError } from '../../src/core/errors.js';

export class Out {
  private sections: string[][] = [];
  private current: string[] = [];
  readonly notes: string[] = [];

  section(): void {
    if (this.current.length) this.sections.push(this.current);
    this.current = [];
  }

  /** `key = value`, leaving out undefined values; numbers and booleans as xl reads them. */
  set(key: string, v: string | number | boolean | undefined | null): void {
    if (v === undefined || v === null) return;
    // xl.cfg has no unquoted negative numbers; xl reads numbers from strings alike
    const text = typeof v === 'string' ? quote(v) : typeof v === 'boolean' ? (v ? '1' : '0') : v < 0 ? quote(String(v)) : String(v);
    this.current.push(`${key} = ${text}`);
  }

  defbool(key: string, v: 'True' | 'False' | undefined): void {
    if (v !== undefined) this.set(key, v === 'True');
  }

  list(key: string, items: (string | string[])[] | undefined): void {
    if (!items) return;
    const one = (i: string | string[]) => (typeof i === 'string' ? quote(i) : `[ ${i.map(quote).join(', ')} ]`);
    const flat = items.map(one);
    const oneLine = flat.length ? `${key} = [ ${flat.join(', ')} ]` : `${key} = [ ]`;
    if (items.every((i) => typeof i === 'string') && oneLine.length <= 80) this.current.push(oneLine);
    else this.current.push(`${key} = [\n${flat.map((s) => `    ${s},\n`).join('')}]`);
  }

  note(what: string): void {
    this.notes.push(what);
  }

  /** Runs a device writer; what it cannot write becomes a note instead of a failure. */
  tryFormat<T>(what: string, f: () => T): T | undefined {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      this.note(`${what}: ${e.diagnostics.map((d) => d.message).join('; ')}`);
      return undefined;
    }
  }

  text(): string {
    this.section();
    const head = this.notes.length
      ? ['# txl: these parts of the domain configuration have no xl.cfg form; xl does not see them (txl reads them back from the #@txl lines at the end):', ...this.notes.map((n) => `#   - ${n.replace(/\n/g, ' ')}`), '']
      : [];
    return [...head, this.sections.map((s) => s.join('\n')).join('\n\n')].join('\n') + '\n';
  }
}

const ESC: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\f': '\\f', '\b': '\\b', '\x07': '\\a' };

/** A double-quoted xl.cfg string that libxlutil unescapes back to `s`. */
export function quote(s: string): string {
  return '"' + s.replace(/["\\\n\r\t\v\f\b\x07]/g, (c) => ESC[c]!) + '"';
}

/** KiB -> the MiB xl.cfg keys take; a size that is not whole MiB becomes a note. */
export function mib(out: Out, what: string, kb: number | undefined): number | undefined {
  if (kb === undefined) return undefined;
  if (kb % 1024 !== 0) {
    out.note(`${what} of ${kb} KiB is not a whole number of MiB (written rounded down)`);
    return Math.floor(kb / 1024);
  }
  return kb / 1024;
}
