// Help as a user asks for it: `txl help`, `txl --help`, `txl help COMMAND`, `txl COMMAND --help`,
// and mistyped commands. Everything is checked against the command table, so new commands are
// covered as they are added.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../commands/table.js';
import { txl } from './support/inproc.js';

const visible = COMMANDS.filter((c) => !c.hidden);
const GROUP_ORDER = ['lifecycle', 'information', 'resources', 'devices', 'config', 'formats', 'host', 'shell', 'testing'];

describe('txl help / txl --help', () => {
  const help = txl(['help']);
  const dash = txl(['--help']);

  it('exits 0, prints on stdout only, and is the same both ways', () => {
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(dash.stdout).toBe(help.stdout);
    expect(help.stdout).toMatch(/^Usage: txl \[global options\] <command>/);
  });

  it('lists every visible command once, with its summary, and no hidden one', () => {
    for (const c of visible) {
      const line = help.stdout.split('\n').find((l) => new RegExp(`^  ${c.name}(,|\\s)`).test(l));
      expect(line, c.name).toBeDefined();
      expect(help.stdout.replace(/\n\s+/g, ' ')).toContain(c.summary.split(' ').slice(0, 4).join(' '));
    }
    for (const c of COMMANDS.filter((c) => c.hidden)) expect(help.stdout).not.toMatch(new RegExp(`^  ${c.name}\\b`, 'm'));
  });

  it('groups the commands under headings, in a fixed order of groups', () => {
    const headings = help.stdout.split('\n').filter((l) => /^\S.*:$/.test(l) && !/^(Usage|Global options)/.test(l));
    const used = GROUP_ORDER.filter((g) => visible.some((c) => c.group === g));
    expect(headings.length).toBe(used.length);
    // each command sits under the heading of its own group
    const sections = help.stdout.split(/\n(?=\S.*:\n)/);
    for (const c of visible) {
      const section = sections.find((s) => new RegExp(`^  ${c.name}(,|\\s)`, 'm').test(s))!;
      const others = visible.filter((o) => o.group !== c.group && !o.aliases?.includes(c.name));
      for (const o of others) expect(section, `${c.name} (${c.group}) shares a heading with ${o.name} (${o.group})`).not.toMatch(new RegExp(`^  ${o.name}(,|\\s)`, 'm'));
    }
    expect(help.stdout).toMatch(/Exit status: 0 ok, 1 .*130 cancelled/);
  });
});

describe('txl help COMMAND and txl COMMAND --help', () => {
  it.each(visible.map((c) => [c.name, c] as const))('%s: usage, summary, options and examples', (_name, c) => {
    const r = txl(['help', c.name]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(new RegExp(`^Usage: txl ${c.name}\\b`));
    expect(r.stdout.replace(/\n\s*/g, ' ')).toContain(c.summary);
    for (const o of (c.options ?? []).filter((o) => !o.hidden)) expect(r.stdout).toContain(o.flags.split(/\s+</)[0]);
    for (const o of (c.options ?? []).filter((o) => o.hidden)) expect(r.stdout).not.toMatch(new RegExp(`^\\s+${o.flags}\\s`, 'm'));
    if (c.examples?.length) {
      expect(r.stdout).toContain('Examples:');
      for (const e of c.examples) expect(r.stdout).toContain(e);
    }
  });

  it('`txl COMMAND --help` prints the same as `txl help COMMAND`', () => {
    // the first and the last command of the table: the same commander path serves all
    for (const c of new Set([visible[0], visible[visible.length - 1]])) {
      expect(txl([c.name, '--help'])).toEqual(txl(['help', c.name]));
    }
  });

  it('answers for an alias with the command it stands for', () => {
    const c = visible.find((c) => c.aliases?.length);
    if (!c) return;
    const r = txl(['help', c.aliases![0]]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: txl ${c.name}`));
  });
});

describe('mistyped commands', () => {
  // a typo of a real command: drop one letter from the middle of the longest name
  const target = [...visible].sort((a, b) => b.name.length - a.name.length)[0].name;
  const typo = target.slice(0, 2) + target.slice(3);

  it('`txl TYPO` fails with exit 2 and suggests the nearest command', () => {
    const r = txl([typo]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`txl: error: unknown command '${typo}'`);
    expect(r.stderr).toContain(`hint: did you mean ${target}?`);
  });

  it('`txl help TYPO` does the same instead of printing the whole list', () => {
    const r = txl(['help', typo]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`txl: error: unknown command '${typo}'\n  hint: did you mean ${target}?\n`);
  });

  it('points to `txl help` when nothing is near', () => {
    for (const args of [['zzqqxx'], ['help', 'zzqqxx']]) {
      const r = txl(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("unknown command 'zzqqxx'");
      expect(r.stderr).toContain("hint: run 'txl help' to list the commands");
    }
  });

  it('an unknown option names the command line and exits 2', () => {
    const r = txl([visible[0].name, '--no-such-option']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^txl: error: unknown option '--no-such-option'/);
  });
});
