// txl(1): generated from the command table at build time; it must list every command and
// option, say what the issue asks (exit status, environment, files, formats), and render
// through man(1) without a single warning.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from '../commands/table.js';
import { buildProgram } from '../src/cli/commander.js';
import { defineCommand } from '../src/command.js';
import { renderMan, roff } from '../src/cli/man.js';
import { ROOT, tempDir } from './support/txl.js';

const PAGE = join(ROOT, 'man/txl.1');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const source = existsSync(PAGE) ? readFileSync(PAGE, 'utf8') : '';
const visible = COMMANDS.filter((c) => !c.hidden);
const HAVE_MAN = spawnSync('sh', ['-c', 'command -v man && command -v groff']).status === 0;

function render(file: string, width = 80): { stdout: string; stderr: string; status: number | null } {
  return spawnSync('man', ['--warnings', '-E', 'UTF-8', '-l', file], {
    encoding: 'utf8',
    env: { ...process.env, MANWIDTH: String(width), MANPAGER: 'cat', PAGER: 'cat', LC_ALL: 'C.UTF-8' },
  });
}

describe('man/txl.1, the generated page', () => {
  it('exists (the build writes it) and is installed through package.json "man"', () => {
    expect(existsSync(PAGE), 'man/txl.1 is missing: run `npm run build`').toBe(true);
    expect(pkg.man).toContain('man/txl.1');
  });

  it('is what the current command table generates (rebuild when a command changes)', () => {
    expect(source).toBe(renderMan(COMMANDS, buildProgram(COMMANDS), pkg.version));
  });

  it('documents every visible command with its aliases and visible options', () => {
    for (const c of visible) {
      expect(source, `command ${c.name}`).toContain(`\\fBtxl\\fR \\fB${roff(c.name)}\\fR`);
      for (const a of c.aliases ?? []) expect(source, `alias ${a} of ${c.name}`).toContain(a);
      for (const o of (c.options ?? []).filter((o) => !o.hidden)) {
        for (const flag of o.flags.match(/-{1,2}[\w-]+/g) ?? []) expect(source, `${c.name} ${flag}`).toContain(`\\fB${roff(flag)}\\fR`);
      }
    }
    for (const c of COMMANDS.filter((c) => c.hidden)) expect(source).not.toContain(`\\fBtxl\\fR \\fB${roff(c.name)}\\fR`);
  });

  it('documents the global options, exit status, environment, files and config formats', () => {
    for (const o of buildProgram([]).options) expect(source).toContain(`\\fB${roff(o.long!)}\\fR`);
    for (const s of ['SYNOPSIS', 'GLOBAL OPTIONS', 'COMMANDS', 'EXIT STATUS', 'ENVIRONMENT', 'FILES', 'CONFIGURATION FORMATS', 'SHELL COMPLETION', 'SEE ALSO']) {
      expect(source).toMatch(new RegExp(`^\\.SH ${s}$`, 'm'));
    }
    for (const code of ['0', '1', '2', '130']) expect(source).toMatch(new RegExp(`^\\\\fB${code}\\\\fR$`, 'm'));
    for (const v of ['TXL_CONNECT', 'TXL_XL_CONF', 'TXL_SIM_STATE', 'TXL_SIM_FAIL', 'NO_COLOR']) expect(source).toContain(`\\fB${v}\\fR`);
    for (const f of ['/etc/xen/xl.conf', '/etc/txl/txl.yaml', '~/.config/txl/txl.yaml']) expect(source).toContain(`\\fI${roff(f)}\\fR`);
    for (const f of ['xl.cfg', 'domain XML', 'libxl JSON', 'xl.conf', 'txl.yaml']) expect(source).toContain(`.TP\n\\fB${f}\\fR`);
  });

  it('escapes what roff would take for requests or escapes', () => {
    const tricky = defineCommand({
      name: 'odd-one', summary: "a summary with a back\\slash and 'quotes'", family: 'txl', group: 'testing', modifies: false,
      description: ".TH looks like a request\n'also this", args: [], examples: ['txl odd-one --flag \\n'], async run() {},
    });
    const text = renderMan([tricky], buildProgram([tricky]), '9.9.9');
    expect(text).toContain('\\&.TH looks like a request');
    expect(text).toContain("\\&'also this");
    expect(text).toContain('back\\eslash');
    expect(text).not.toMatch(/^\.TH looks/m);
  });
});

describe.skipIf(!HAVE_MAN)('man -l man/txl.1 (man-db and groff)', () => {
  it('renders without warnings, at 80 and 200 columns', () => {
    for (const width of [80, 200]) {
      const r = render(PAGE, width);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^TXL\(1\)/);
    }
    const g = spawnSync('groff', ['-man', '-ww', '-z', PAGE], { encoding: 'utf8' });
    expect(g.stderr).toBe('');
  });

  it('shows every command and option in plain ASCII a user can copy', () => {
    const text = render(PAGE, 200).stdout;
    for (const c of visible) expect(text).toContain(`txl ${c.name}`);
    expect(text).toMatch(/--dry-run/);
    expect(text).not.toMatch(/[\u2010\u2212]/); // hyphen and minus signs would break copy-paste
  });

  it('would warn on a broken page (the check can fail)', () => {
    const dir = tempDir('txl-man-');
    const bad = join(dir, 'bad.1');
    writeFileSync(bad, '.TH BAD 1\n.SH NAME\nbad \\- page\n.XX unknown request\n\\fQ\n');
    const r = render(bad);
    expect(r.stderr).not.toBe('');
  });
});
