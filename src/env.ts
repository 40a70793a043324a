// Every environment variable txl reads, checked once before a command runs: a typo in a
// number (TXL_SIM_LOCK_TIMEOUT=5s) used to mean "no timeout" and a lock waited forever, a
// fault spec nobody parses was ignored, and a relative HOME put state under the working
// directory. Each bad value is one line naming the variable and what it takes (exit 2).
// Empty is the same as unset, as the shell's `VAR= txl ...` means.
import { isAbsolute } from 'node:path';
import { UsageError } from './core/errors.js';
import { parseRebootLimit } from './core/reboot-limit.js';

/**
 * The environment as a command sees it, read once by the entry (from the process, or from a
 * test that runs the command in-process) and handed down in the Context: nothing else reads
 * process.env.
 */
export type Environment = Readonly<Record<string, string | undefined>>;

/** The process's own environment, copied once: the only read of process.env. */
export function processEnvironment(): Environment {
  return Object.freeze({ ...process.env });
}

type Rule = [check: (v: string) => boolean, allowed: string];

const nat = (v: string) => /^\d+$/.test(v);
const positive = (v: string) => /^\d+(\.\d+)?$/.test(v) && Number(v) > 0;
const absolute = (v: string) => isAbsolute(v);
const noControl = (v: string) => !/[\0-\x1f\x7f]/.test(v);
const path = (v: string) => noControl(v);
// the shape only: the simulator, which knows its steps, checks their names (sim/faults.ts),
// so that the start-up path of every command does not load it
const faultStep = (s: string) => /^[a-z][a-z0-9-]*$/.test(s);
const holdStep = faultStep;
const STEP_LIST = 'the simulator\'s step names (see txl(1), TXL_SIM_FAIL)';

/** step[:nth|:*],... with known steps (the host file's `fail:` is checked by its reader). */
function faultSpec(v: string): boolean {
  return v.split(',').map((w) => w.trim()).filter(Boolean).every((w) => {
    const [step, nth, more] = w.split(':');
    return faultStep(step) && more === undefined && (nth === undefined || nth === '*' || /^[1-9]\d*$/.test(nth));
  });
}

/** step[:nth]:ms,... */
function delaySpec(v: string): boolean {
  return v.split(',').map((w) => w.trim()).filter(Boolean).every((w) => {
    const p = w.split(':');
    return (p.length === 2 || p.length === 3) && holdStep(p[0]) && nat(p[p.length - 1]) && (p.length === 2 || /^[1-9]\d*$/.test(p[1]));
  });
}

const writeFaults = (v: string) => v.split(',').filter(Boolean).every((w) => /^(ENOSPC|EIO|SHORT)(@\d+)?(:.*)?$/.test(w));

export const ENV_RULES: Record<string, Rule> = {
  HOME: [absolute, 'an absolute path'],
  TXL_CONNECT: [(v) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(v) || /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/.test(v)) && noControl(v), 'a connection URI such as xen:///system or test:///default, or an alias from uri_aliases in txl.yaml'],
  TXL_SSH_OPTS: [noControl, 'options for ssh, separated by spaces (e.g. -F /path/to/ssh_config)'],
  TXL_CONF: [path, 'the path of a txl.yaml'],
  TXL_XL_CONF: [path, 'the path of an xl.conf'],
  TXL_HOOKS_DIR: [(v) => absolute(v) && noControl(v), 'an absolute directory path'],
  TXL_HOOK_TIMEOUT: [positive, 'a number of seconds greater than 0'],
  TXL_SIM_STATE: [path, 'the path of a state file'],
  TXL_SIM_FAIL: [faultSpec, `step[:nth],... with steps ${STEP_LIST}`],
  TXL_SIM_DELAY: [delaySpec, `step[:nth]:ms,... with steps ${STEP_LIST}`],
  TXL_SIM_DELAY_UNTIL: [path, 'the path of a file'],
  TXL_SIM_LOCK_TIMEOUT: [nat, 'a whole number of milliseconds'],
  TXL_SIM_CHECK_READONLY: [(v) => v === '0' || v === '1', '0 or 1'],
  TXL_WRITE_FAIL: [writeFaults, 'CODE[@BYTES][:MATCH],... with CODE ENOSPC, EIO or SHORT'],
  TXL_XENDOMAINS_DEFAULTS: [path, 'the path of a file like /etc/default/xendomains'],
  TXL_XEN_STATE_DIR: [(v) => absolute(v) && noControl(v), 'an absolute directory path'],
  TXL_DUMP_DIR: [(v) => absolute(v) && noControl(v), 'an absolute directory path'],
  TXL_MONITOR_LOG_DIR: [(v) => absolute(v) && noControl(v), 'an absolute directory path'],
  TXL_MONITOR_ENTRY: [path, 'the path of txl\'s entry script'],
  TXL_REBOOT_LIMIT: [(v) => parseRebootLimit(v) !== undefined, 'COUNT/SECONDS, both at least 1 (e.g. 5/60)'],
  TXL_COMPLETE_TIMEOUT_MS: [positive, 'a number of milliseconds greater than 0'],
  TXL_LIBXENLIGHT: [path, 'the path of a libxenlight.so'],
  TXL_LIBXL_LOG: [path, 'the path of a log file'],
  TXL_CODE_CACHE: [(v) => v === 'write', 'write'],
};

/** The error for a variable's value, in the one shape every such error has. */
export function badVariable(name: string, value: string, allowed: string): UsageError {
  const shown = JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}...` : value);
  return new UsageError(`${name}=${shown} cannot be used: ${name} takes ${allowed}`);
}

/** The first variable set to a value txl cannot use, as a UsageError; undefined when all are fine. */
export function environmentProblem(env: Environment = processEnvironment()): UsageError | undefined {
  for (const [name, [ok, allowed]] of Object.entries(ENV_RULES)) {
    const v = env[name];
    if (v === undefined || v === '' || ok(v)) continue;
    return badVariable(name, v, allowed);
  }
  return undefined;
}
