// Fault injection: TXL_SIM_FAIL=step[:nth],... (or `fail:` in the host file) makes a named
// step fail, so that tests can prove an operation rolls back completely. Without `:nth`
// every occurrence of the step fails; with it only the nth one in this process does.
import { OperationError } from '../errors.js';

export const FAULT_STEPS = [
  'domain-create', 'memory-alloc', 'vcpu-setup', 'disk-attach', 'nic-attach', 'pci-attach', 'vfb-attach',
  'vkb-attach', 'vtpm-attach', 'channel-attach', 'usbctrl-attach', 'console-setup', 'domain-unpause',
  'state-write', 'state-write-crash', 'device-detach', 'memory-set', 'vcpu-set', 'save-write', 'restore-read',
] as const;
export type FaultStep = (typeof FAULT_STEPS)[number] | string;

export class InjectedFault extends OperationError {}

export class Faults {
  private rules = new Map<string, number[] | 'always'>();
  private seen = new Map<string, number>();

  constructor(spec: string | undefined) {
    for (const word of (spec ?? '').split(',').map((w) => w.trim()).filter(Boolean)) {
      const [step, nth] = word.split(':');
      if (nth === undefined || nth === '' || nth === '*') {
        this.rules.set(step, 'always');
        continue;
      }
      const n = Number(nth);
      if (!Number.isInteger(n) || n < 1) throw new OperationError(`bad fault '${word}' in TXL_SIM_FAIL: the count after ':' must be 1 or more`);
      const prev = this.rules.get(step);
      if (prev !== 'always') this.rules.set(step, [...(prev ?? []), n]);
    }
  }

  /** Counts one occurrence of a step and throws if it is meant to fail. */
  hit(step: FaultStep, what?: string): void {
    const count = (this.seen.get(step) ?? 0) + 1;
    this.seen.set(step, count);
    if (this.shouldFail(step, count)) {
      throw new InjectedFault(`${what ?? step} failed (simulated fault '${step}:${count}' from TXL_SIM_FAIL)`);
    }
  }

  /** Whether the next occurrence of a step would fail, counting it. */
  check(step: FaultStep): boolean {
    const count = (this.seen.get(step) ?? 0) + 1;
    this.seen.set(step, count);
    return this.shouldFail(step, count);
  }

  private shouldFail(step: string, count: number): boolean {
    const rule = this.rules.get(step);
    return rule === 'always' || (Array.isArray(rule) && rule.includes(count));
  }
}
