// The lab must run every command of txl's table on real Xen: a command (or alias) that no lab
// check runs fails here, as does a read-only command never run with `-o json`. The lab's
// README lists the coverage command by command, and that list must name every command too.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from '../commands/table.js';
import { ROOT } from './support/txl.js';

const LAB = join(ROOT, 'test', 'lab');

/** What each lab check script runs: the words after `txl` (text) and after `-o json` (JSON). */
export function labInvocations(scripts: string[]): { text: Set<string>; json: Set<string> } {
  const text = new Set<string>();
  const json = new Set<string>();
  for (const s of scripts) {
    for (const m of s.matchAll(/\btxl (?:-o (json|yaml) )?([a-z][a-z0-9-]*)/g)) (m[1] === 'json' ? json : text).add(m[2]);
    // json_is 'EXPR' COMMAND ARGS... (test/lab/surface.sh) runs `txl -o json COMMAND ARGS`
    for (const m of s.matchAll(/\bjson_is (?:"(?:[^"\\]|\\.)*"|'[^']*'|\\"(?:[^"\\]|\\[^"])*\\") ([a-z][a-z0-9-]*)/g)) json.add(m[1]);
  }
  return { text, json };
}

/** Read-only commands whose output is not data: no JSON form to check. */
const NO_JSON: Record<string, string> = {
  help: 'prints help text',
  completion: 'prints a shell script',
  console: 'attaches or prints a console, a byte stream',
  new: 'writes an xl.cfg file',
};

function scripts(): string[] {
  const dir = join(LAB, 'checks');
  const files = readdirSync(dir).filter((f) => f.endsWith('.sh')).map((f) => join(dir, f));
  // suite.sh holds migrate_cmd, which the migration checks run; comment lines prove nothing
  return [...files, join(LAB, 'surface.sh'), join(LAB, 'suite.sh')].map((f) => readFileSync(f, 'utf8').replace(/^\s*#.*$/gm, ''));
}

describe('the lab covers the whole command surface', () => {
  const { text, json } = labInvocations(scripts());
  const visible = COMMANDS.filter((c) => !c.hidden);

  it('finds the invocations it looks for (and not others)', () => {
    const r = labInvocations([
      'check "x" eval "txl list && txl -o json dominfo g"',
      `check "y" json_is "j.id === 1" uptime "$G"`,
      `eval "json_is \\"j.name === '$G'\\" domname 3"`,
      '# txl does things, xl list',
    ]);
    expect([...r.text].sort()).toEqual(['does', 'list']);
    expect([...r.json].sort()).toEqual(['dominfo', 'domname', 'uptime']);
  });

  for (const c of [...visible.map((c) => c.name), 'help']) {
    it(`${c} runs in a lab check`, () => {
      expect(text.has(c) || json.has(c), `no lab check runs 'txl ${c}' (test/lab/checks, surface.sh, suite.sh)`).toBe(true);
    });
  }
  for (const c of visible) {
    for (const a of c.aliases ?? []) {
      it(`the alias ${a} (of ${c.name}) runs in a lab check`, () => {
        expect(text.has(a) || json.has(a), `no lab check runs 'txl ${a}'`).toBe(true);
      });
    }
  }
  for (const c of visible.filter((c) => !c.modifies && !(c.name in NO_JSON))) {
    it(`${c.name} runs with -o json in a lab check`, () => {
      expect(json.has(c.name) || (c.aliases ?? []).some((a) => json.has(a)), `no lab check runs 'txl -o json ${c.name}' (json_is)`).toBe(true);
    });
  }

  it("the lab's README lists the coverage of every command", () => {
    const readme = readFileSync(join(LAB, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## What the lab covers'));
    expect(table.length, "no '## What the lab covers' section in test/lab/README.md").toBeLessThan(readme.length);
    const missing = visible.filter((c) => !new RegExp(`^\\| \`${c.name}\``, 'm').test(table)).map((c) => c.name);
    expect(missing).toEqual([]);
  });

  it('no command says "not supported" on xen:///system', () => {
    const dirs = ['src/xen', 'src/backend/xen.ts'];
    const offenders: string[] = [];
    for (const d of dirs) {
      const p = join(ROOT, d);
      const files = d.endsWith('.ts') ? [p] : readdirSync(p).filter((f) => f.endsWith('.ts')).map((f) => join(p, f));
      for (const f of files) if (/not supported on xen|not supported on \$\{/.test(readFileSync(f, 'utf8'))) offenders.push(f);
    }
    expect(offenders).toEqual([]);
  });
});
