// Fault injection: TXL_SIM_FAIL=step[:nth],... (or `fail:` in the host file) makes a named
// step fail, so that tests can prove an operation rolls back completely. Without `:nth`
// every occurrence of the step fails; with it only the nth one in this process does.
//
// TXL_SIM_DELAY=step[:nth]:ms,... holds a step for ms milliseconds (every occurrence, or
// only the nth), announcing it on the command's stderr first (`say`), so that a test can
// send a signal while txl is inside that step instead of at a moment picked by the clock. With
// TXL_SIM_DELAY_UNTIL=FILE the hold ends as soon as FILE exists: a test creates it once it
// has sent its signal, so no load on the machine can make the signal arrive too late.
import { existsSync } from 'node:fs';
import { OperationError } from '../core/errors.js';

export const FAULT_STEPS = [
  'domain-create', 'memory-alloc', 'vcpu-setup', 'disk-attach', 'nic-attach', 'pci-attach', 'vfb-attach',
  'vkb-attach', 'vtpm-attach', 'channel-attach', 'usbctrl-attach', 'console-setup', 'domain-unpause',
  'state-write', 'state-write-crash', 'device-detach', 'memory-set', 'vcpu-set', 'save-write', 'restore-read',
] as const;
/** Points TXL_SIM_DELAY can hold but TXL_SIM_FAIL cannot fail: each transaction's start, and just after it committed. */
export const DELAY_ONLY_STEPS = ['transaction', 'committed'] as const;
export type FaultStep = (typeof FAULT_STEPS)[number] | string;

// steps named per device kind (devices.ts) and by cd-insert/eject (resources.ts)
const isFaultStep = (s: string) => (FAULT_STEPS as readonly string[]).includes(s) || s === 'media-change' || /^[a-z0-9]+-(attach|hotplug)$/.test(s);
export const STEP_NAMES = `${FAULT_STEPS.join(', ')}, media-change, KIND-attach, KIND-hotplug`;

/** The first step of a TXL_SIM_FAIL (or, with holds, TXL_SIM_DELAY) spec the simulator has no such step for. */
export function unknownStep(spec: string | undefined, holds = false): string | undefined {
  for (const w of words(spec)) {
    const step = w.split(':')[0];
    if (!isFaultStep(step) && !(holds && (DELAY_ONLY_STEPS as readonly string[]).includes(step))) return step;
  }
  return undefined;
}

export class InjectedFault extends OperationError {}

type Rule = number[] | 'always';

export class Faults {
  private rules = new Map<string, Rule>();
  private delays = new Map<string, { nth: number | 'always'; ms: number }[]>();
  private seen = new Map<string, number>();

  /**
   * until: TXL_SIM_DELAY_UNTIL, the file whose appearance ends every hold; say: writes the
   * line that announces a hold (to the command's stderr), at once: the hold blocks the thread
   */
  constructor(spec: string | undefined, delaySpec?: string, private readonly until?: string, private readonly say?: (line: string) => void) {
    this.fail(spec);
    for (const word of words(delaySpec)) {
      const parts = word.split(':');
      const ms = Number(parts[parts.length - 1]);
      const nth = parts.length === 3 ? Number(parts[1]) : 'always';
      if (parts.length < 2 || parts.length > 3 || !Number.isFinite(ms) || ms < 0 || (nth !== 'always' && (!Number.isInteger(nth) || nth < 1))) {
        throw new OperationError(`bad delay '${word}' in TXL_SIM_DELAY: write step:ms or step:nth:ms`);
      }
      this.delays.set(parts[0], [...(this.delays.get(parts[0]) ?? []), { nth, ms }]);
    }
  }

  /** Adds TXL_SIM_FAIL rules (the host file's `fail:` is only known once the state is read). */
  fail(spec: string | undefined): void {
    for (const word of words(spec)) {
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
    const count = this.count(step);
    if (this.shouldFail(step, count)) {
      throw new InjectedFault(`${what ?? step} failed (simulated fault '${step}:${count}' from TXL_SIM_FAIL)`);
    }
  }

  /** Whether the next occurrence of a step would fail, counting it. */
  check(step: FaultStep): boolean {
    return this.shouldFail(step, this.count(step));
  }

  /** A point that can only be held (TXL_SIM_DELAY), never failed: counted on its own. */
  pause(step: (typeof DELAY_ONLY_STEPS)[number]): void {
    this.count(step);
  }

  private count(step: string): number {
    const count = (this.seen.get(step) ?? 0) + 1;
    this.seen.set(step, count);
    const delay = this.delays.get(step)?.find((d) => d.nth === 'always' || d.nth === count);
    if (delay) hold(step, count, delay.ms, this.until, this.say);
    return count;
  }

  private shouldFail(step: string, count: number): boolean {
    const rule = this.rules.get(step);
    return rule === 'always' || (Array.isArray(rule) && rule.includes(count));
  }
}

function words(spec: string | undefined): string[] {
  return (spec ?? '').split(',').map((w) => w.trim()).filter(Boolean);
}

/**
 * Steps run inside synchronous transaction code, so the wait is synchronous too; a signal
 * that arrives meanwhile is seen at the transaction's next safe point, before it commits.
 */
function hold(step: string, count: number, ms: number, until: string | undefined, say: ((line: string) => void) | undefined): void {
  say?.(`txl: sim: holding step '${step}:${count}' for ${ms} ms (TXL_SIM_DELAY)\n`);
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const end = Date.now() + ms;
  for (let left = ms; left > 0; left = end - Date.now()) {
    if (until && existsSync(until)) return;
    Atomics.wait(cell, 0, 0, until ? Math.min(left, 10) : left);
  }
}
