// `txl __complete ... CMD [ARGS...] PARTIAL` where PARTIAL is a domain: the TAB a shell waits on
// most, answered without commander (complete.ts builds a commander program for the global
// options). Anything else, or any word this does not fully understand, goes to complete.ts.
// test/fast-paths.test.ts checks that both give the same answer.
import type { CommandDef } from './command.js';
import type { Backend } from './backend/types.js';
import { GLOBAL_FLAGS } from './fast-parse.js';

interface Candidate { value: string; description?: string }

const FLAGS = [...GLOBAL_FLAGS.map((f) => ({ names: f.names, value: Boolean(f.value) })), { names: ['--version'], value: false }, { names: ['-h', '--help'], value: false }];

/** The connection named before the command and the domain argument's partial word, or undefined. */
export function domainWord(words: string[], commands: CommandDef[], env: NodeJS.ProcessEnv = process.env): { connect?: string; partial: string } | undefined {
  const partial = words.length ? words[words.length - 1] : '';
  const before = words.slice(0, -1);
  let connect = env.TXL_CONNECT || undefined;
  let i = 0;
  for (; i < before.length; i++) {
    const w = before[i];
    if (w === '--') return undefined;
    if (!w.startsWith('-') || w === '-') break;
    const name = w.startsWith('--') ? w.split('=')[0] : w;
    const spec = FLAGS.find((f) => f.names.includes(name));
    if (!spec) return undefined;
    let value: string | undefined;
    if (w.startsWith('--') && w.includes('=')) value = w.slice(w.indexOf('=') + 1);
    else if (spec.value) value = before[++i];
    if (spec.names.includes('--connect') && value !== undefined) connect = value;
  }
  if (i >= before.length || partial.startsWith('-')) return undefined;
  const name = before[i];
  const def = commands.find((c) => c.name === name || c.aliases?.includes(name));
  if (!def || name === 'help') return undefined;
  const positionals = before.slice(i + 1);
  if (positionals.some((w) => w.startsWith('-') && w !== '-')) return undefined;
  const last = def.args[def.args.length - 1];
  const arg = positionals.length < def.args.length ? def.args[positionals.length] : last?.variadic ? last : undefined;
  return arg?.complete === 'domain' ? { connect, partial } : undefined;
}

async function domainCandidates(connect: string | undefined, partial: string, open?: (uri?: string) => Promise<Backend>): Promise<Candidate[]> {
  let backend: Backend | undefined;
  try {
    backend = await (open ?? (await import('./backend/index.js')).openBackend)(connect);
    const doms = await backend.listDomains();
    // ids only once a digit is typed, so that the first TAB shows names
    if (/^\d/.test(partial)) return doms.map((d) => ({ value: String(d.domid), description: d.name }));
    return doms.map((d) => ({ value: d.name, description: `id ${d.domid}, ${d.state}, ${Math.round(d.current_memkb / 1024)} MiB` }));
  } catch {
    return [];
  } finally {
    await backend?.close().catch(() => undefined);
  }
}

/** The answer in complete.ts's line protocol, or undefined when complete.ts must answer. */
export async function fastCompletion(words: string[], commands: CommandDef[], opts: { env?: NodeJS.ProcessEnv; open?: (uri?: string) => Promise<Backend> } = {}): Promise<string | undefined> {
  const w = domainWord(words, commands, opts.env);
  if (!w) return undefined;
  const seen = new Set<string>();
  const hits = (await domainCandidates(w.connect, w.partial, opts.open)).filter((c) => c.value.startsWith(w.partial) && !seen.has(c.value) && seen.add(c.value));
  return hits.map((c) => (c.description ? `${c.value}\t${c.description.replace(/[\t\n]/g, ' ')}` : c.value)).map((l) => l + '\n').join('');
}

/** As complete.ts's complete(): stdout only, nothing on stderr, and within a fixed time. */
export async function fastComplete(words: string[], commands: CommandDef[]): Promise<boolean> {
  if (!domainWord(words, commands)) return false;
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  process.stderr.write = (() => true) as typeof process.stderr.write;
  const deadline = setTimeout(() => process.exit(0), Number(process.env.TXL_COMPLETE_TIMEOUT_MS) || 3000);
  deadline.unref();
  try {
    const text = await fastCompletion(words, commands);
    if (text) stdoutWrite(text);
  } catch {
    // nothing to offer
  } finally {
    clearTimeout(deadline);
  }
  process.exitCode = 0;
  return true;
}
