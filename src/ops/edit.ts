// edit: a managed config in $VISUAL / $EDITOR, on a temporary copy in the config's own
// format (or --as). The edited text goes through the same reader as `define`; an invalid
// config is never saved: the reasons are shown with file:line:col and, on a terminal, the
// editor can be reopened on the same text. The stored config is replaced atomically.
import { writeError } from '../fsutil.js';
import { readBounded } from '../readlimit.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from '../context.js';
import type { Environment } from '../env.js';
import type { Result } from '../command.js';
import type { DomainConfig } from '../core/model.js';
import { CancelledError, ConfigError, OperationError, TxlError, diagnosticLines, type Diagnostic } from '../core/errors.js';
import { loadXlConf, parseDomainText, parseFormat, writeDomain, type Format } from '../formats.js';
import { withBackend } from './connect.js';
import { confirm } from '../prompt.js';

const EXT: Record<Format, string> = { xl: 'cfg', xml: 'xml', json: 'json' };

function formatOfPath(path: string): Format {
  if (/\.xml$/i.test(path)) return 'xml';
  if (/\.(cfg|xl)$/i.test(path)) return 'xl';
  return 'json';
}

function editorCommand(env: Environment): string {
  return env.VISUAL || env.EDITOR || 'vi';
}

/** Runs the editor on the file, with the terminal, in the command's environment; the editor may be a command with arguments. */
function runEditor(file: string, env: Environment): void {
  const editor = editorCommand(env);
  const r = spawnSync('/bin/sh', ['-c', `${editor} "$1"`, 'sh', file], { stdio: 'inherit', env });
  if (r.error) throw new OperationError(`cannot run the editor '${editor}': ${r.error.message}`, 'set VISUAL or EDITOR to an editor that exists');
  if (r.status !== 0) throw new OperationError(`the editor '${editor}' failed (${r.signal ? `signal ${r.signal}` : `exit status ${r.status}`}); nothing was saved`, `your text is kept in ${file}`);
}

/** Where a string first appears in a text, as a diagnostic. */
function diagAt(file: string, text: string, needle: string, message: string, hint: string): Diagnostic {
  const at = Math.max(0, text.indexOf(needle));
  const before = text.slice(0, at).split('\n');
  const line = before.length;
  const col = before[before.length - 1]!.length + 1;
  return { severity: 'error', file, line, col, message, hint, excerpt: text.split('\n')[line - 1], length: Math.max(1, needle.length) };
}

/** The edited config, or the reasons it cannot be saved. */
async function readBack(env: Environment, text: string, file: string, format: Format, orig: DomainConfig, name: string): Promise<{ config: DomainConfig; warnings: Diagnostic[] }> {
  const r = await parseDomainText(text, file, { from: format, xlconf: await loadXlConf(env) });
  const cfg = r.config;
  const newName = cfg.c_info?.name;
  if (newName !== name) {
    const d = newName
      ? diagAt(file, text, newName, `the name cannot change here (from '${name}' to '${newName}')`, `use 'txl rename' for a running domain, or define a new config`)
      : { severity: 'error' as const, file, line: 1, col: 1, message: 'the config has no name', hint: `keep name = "${name}"` };
    throw new ConfigError([d]);
  }
  const oldUuid = orig.c_info.uuid;
  if (cfg.c_info.uuid && oldUuid && cfg.c_info.uuid.toLowerCase() !== oldUuid.toLowerCase()) {
    throw new ConfigError([diagAt(file, text, cfg.c_info.uuid, `the UUID cannot change (it is ${oldUuid})`, 'remove the uuid line to keep the old one')]);
  }
  cfg.c_info.uuid ??= oldUuid;
  // what the chosen format cannot carry (libvirt's <description>, say) is kept as it was
  if (!cfg.side && orig.side && format !== 'xml') cfg.side = orig.side;
  return { config: cfg, warnings: r.warnings };
}

function explain(ctx: Context, err: unknown): void {
  const color = Boolean((ctx.stderr as NodeJS.WriteStream).isTTY) && !ctx.env.NO_COLOR;
  if (err instanceof ConfigError) for (const line of diagnosticLines(err.diagnostics, color)) ctx.stderr.write(line + '\n');
  else ctx.stderr.write(`txl: error: ${(err as Error).message}\n`);
}

// Only reached on a terminal (see the caller): prompt.confirm answers yes without one.
const askAgain = (ctx: Context) => confirm(ctx, 'The config is not valid and was not saved. Edit it again?', { default: true });

export async function editManaged(ctx: Context, ref: string, opts: { as?: string }): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const r = await be.lookup(ref);
    const m = r.managed ? await be.getManaged(r.name) : undefined;
    if (!m) throw new OperationError(`domain '${r.name}' is not a managed domain`, `only configs stored with 'txl define' can be edited; 'txl config ${r.name}' shows the live one`);
    const format = opts.as ? parseFormat(opts.as) : formatOfPath(m.path);
    const original = await writeDomain(m.config, format);
    const dir = mkdtempSync(join(tmpdir(), 'txl-edit-'));
    const file = join(dir, `${m.name}.${EXT[format]}`);
    try {
      writeFileSync(file, original, { mode: 0o600 });
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw writeError(file, e);
    }
    let keep = false;
    try {
      for (;;) {
        try {
          runEditor(file, ctx.env);
        } catch (e) {
          keep = true;
          throw e;
        }
        const text = readBounded(file, 'a domain config').toString('utf8');
        if (text === original) {
          ctx.info(`Domain '${m.name}' config not changed.`);
          return { data: { name: m.name, changed: false, path: m.path }, text: '' };
        }
        let edited: { config: DomainConfig; warnings: Diagnostic[] };
        try {
          edited = await readBack(ctx.env, text, file, format, m.config, m.name);
        } catch (e) {
          if (!(e instanceof TxlError)) throw e;
          if (ctx.interactive && !ctx.dryRun) {
            explain(ctx, e);
            if (await askAgain(ctx)) continue;
          }
          keep = true;
          // a config error prints its diagnostics (with their own hints) and no hint of its own
          if (e instanceof ConfigError) ctx.info(`txl: nothing was saved; your edit is kept in ${file}`);
          else e.hint = `${e.hint ? e.hint + '; ' : ''}nothing was saved; your edit is kept in ${file}`;
          throw e;
        }
        edited.warnings.forEach((w) => ctx.warn(w));
        if (ctx.dryRun) {
          ctx.info(`txl: dry run: would save the edited config of '${m.name}' to ${m.path}`);
          return { data: { dry_run: true, name: m.name, config: edited.config }, text: '' };
        }
        // someone else saved it while the editor was open: do not overwrite their change
        const now = await be.getManaged(m.name);
        if (JSON.stringify(now?.config) !== JSON.stringify(m.config)) {
          keep = true;
          throw new OperationError(`the config of '${m.name}' was changed by someone else while it was being edited; nothing was saved`, `your edit is kept in ${file}`);
        }
        await be.define(edited.config);
        return { data: { name: m.name, changed: true, path: m.path, running: r.domid !== null }, text: `Domain '${m.name}' config edited.\n` };
      }
    } finally {
      if (!keep) rmSync(dir, { recursive: true, force: true });
    }
  });
}
