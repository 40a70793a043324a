// Where a device spec string came from, so that an error inside the spec can point at
// the offending word with file:line:col.
import { ConfigError, type Diagnostic } from '../../src/core/errors.js';

export interface SpecOrigin {
  file: string;
  line: number;
  /** column of the first character of the spec text */
  col: number;
  /** the source line the spec sits in */
  excerpt?: string;
}

export function defaultOrigin(spec: string): SpecOrigin {
  return { file: '<spec>', line: 1, col: 1, excerpt: spec };
}

/** Builds diagnostics that point into one spec string. `at` is a 0-based offset in the spec. */
export class SpecReporter {
  readonly origin: SpecOrigin;
  readonly errors: Diagnostic[] = [];
  readonly warnings: Diagnostic[] = [];

  constructor(readonly spec: string, origin?: SpecOrigin, readonly kind = 'device') {
    this.origin = origin ?? defaultOrigin(spec);
  }

  diag(severity: 'error' | 'warning', at: number, length: number, message: string, hint?: string): Diagnostic {
    const d: Diagnostic = {
      severity,
      file: this.origin.file,
      line: this.origin.line,
      col: this.origin.col + Math.max(0, at),
      message,
      length: Math.max(1, length),
    };
    if (this.origin.excerpt !== undefined) d.excerpt = this.origin.excerpt;
    if (hint) d.hint = hint;
    return d;
  }

  error(at: number, length: number, message: string, hint?: string): void {
    this.errors.push(this.diag('error', at, length, message, hint));
  }

  warn(at: number, length: number, message: string, hint?: string): void {
    this.warnings.push(this.diag('warning', at, length, message, hint));
  }

  /** Throws at once: for readers where xl gives up at the first problem. */
  fail(at: number, length: number, message: string, hint?: string): never {
    this.error(at, length, message, hint);
    throw new ConfigError([...this.errors]);
  }

  throwIfErrors(): void {
    if (this.errors.length) throw new ConfigError([...this.errors, ...this.warnings]);
  }

  /** Hands warnings to the caller's sink, if it gave one. */
  flushWarnings(sink?: Diagnostic[]): void {
    if (sink) sink.push(...[...this.warnings].sort((a, b) => a.line - b.line || a.col - b.col));
  }
}

/** Options every reader accepts beyond the spec and its origin. */
export interface ReadOptions {
  /** where warnings go (xl prints these and carries on); dropped when absent */
  warnings?: Diagnostic[];
  /**
   * xl.cfg leniency: problems that xl itself only prints and then ignores while reading
   * a config file (an unknown vif key, say) become warnings instead of errors.
   */
  lenient?: boolean;
}

/** For writers: the model holds something the spec language cannot say. */
export function unrepresentable(kind: string, message: string): never {
  throw new ConfigError([
    { severity: 'error', file: '<model>', line: 1, col: 1, message: `${kind}: ${message}` },
  ]);
}
