// `txl __complete WORDS...`: the words typed so far, the last one being completed.
// Caught before commander parses, so flags and `--` reach it intact. Never prompts,
// never writes to stderr: a shell is waiting on stdout.
import { COMMANDS, findCommand } from '../commands/table.js';

const GLOBAL_WITH_VALUE = new Set(['-c', '--connect', '-o', '--output']);

export async function complete(words: string[]): Promise<number> {
  const out = (list: string[], partial: string) => {
    const hits = list.filter((w) => w.startsWith(partial));
    if (hits.length) process.stdout.write(hits.join('\n') + '\n');
  };
  const partial = words.length ? words[words.length - 1] : '';
  const before = words.slice(0, -1);
  let i = 0;
  while (i < before.length && before[i].startsWith('-')) i += GLOBAL_WITH_VALUE.has(before[i]) ? 2 : 1;
  const prev = before[before.length - 1];
  if (i >= before.length) {
    if (prev === '-o' || prev === '--output') return out(['text', 'table', 'json', 'yaml'], partial), 0;
    if (prev === '-c' || prev === '--connect') return out(['xen:///system', 'test:///default'], partial), 0;
    if (partial.startsWith('-')) return out(['--connect', '--output', '--dry-run', '--yes', '--verbose', '--quiet', '--no-color', '--version', '--help'], partial), 0;
    return out(COMMANDS.filter((c) => !c.hidden).flatMap((c) => [c.name, ...(c.aliases ?? [])]).concat('help').sort(), partial), 0;
  }
  const def = findCommand(before[i]);
  if (!def) return 0;
  if (partial.startsWith('-')) {
    const flags = (def.options ?? []).filter((o) => !o.hidden).flatMap((o) => o.flags.split(/[ ,|]+/).filter((f) => f.startsWith('--')));
    return out([...flags, '--help'], partial), 0;
  }
  const opt = (def.options ?? []).find((o) => prev && o.flags.split(/[ ,]+/).includes(prev) && /<.*>/.test(o.flags));
  if (opt?.choices) return out([...opt.choices], partial), 0;
  const positional = before.slice(i + 1).filter((w) => !w.startsWith('-')).length;
  const arg = def.args[Math.min(positional, def.args.length - 1)];
  if (arg && Array.isArray(arg.complete)) return out([...arg.complete], partial), 0;
  // The shell script completes files itself when told to.
  if (arg && (arg.complete === 'cfgfile' || arg.complete === 'file')) process.stdout.write(`:${arg.complete}\n`);
  return 0;
}
