// defineCommand types run's args and opts from the declarations, by the rule fast-parse.ts and
// commander.ts apply at run time. These checks run in `tsc --noEmit` (expectTypeOf is a no-op
// at run time); the test itself only makes sure the file is part of the suite.
import { describe, expectTypeOf, it } from 'vitest';
import { defineCommand, type Forwarded, type OptsOf, type ArgsOf } from '../src/command.js';

describe('command types', () => {
  it('reads option keys and values from the flag syntax', () => {
    type O = OptsOf<readonly [
      { flags: '-j, --jobs <n>'; summary: ''; type: 'number' },
      { flags: '-p, --paused'; summary: '' },
      { flags: '-F'; summary: '' },
      { flags: '-e, --no-monitor'; summary: '' },
      { flags: '-w, --wait'; summary: ''; type: 'count' },
      { flags: '--as <format>'; summary: ''; choices: readonly ['xl', 'json'] },
      { flags: '-r, --ratelimit_us <us>'; summary: '' },
      { flags: '-i, --ignore-global-affinity-masks'; summary: '' },
      { flags: '--disk <spec>'; summary: ''; type: 'list' },
    ]>;
    expectTypeOf<O>().toEqualTypeOf<{
      jobs?: number; paused?: boolean; F?: boolean; monitor?: boolean; wait?: number; as?: 'xl' | 'json';
      ratelimit_us?: string; ignoreGlobalAffinityMasks?: boolean; disk?: string[];
    }>();
  });

  it('reads arguments: optional ones may be missing, variadic ones are lists', () => {
    type A = ArgsOf<readonly [{ name: 'domain'; summary: '' }, { name: 'more'; summary: ''; variadic: true; required: false }]>;
    expectTypeOf<A>().toEqualTypeOf<{ domain: string; more?: string[] }>();
  });

  it('hands run the inferred types', () => {
    const def = defineCommand({
      name: 'x', summary: '', family: 'txl', group: 'testing', modifies: false,
      args: [{ name: 'domain', summary: '' }],
      options: [{ flags: '-n, --num <n>', summary: '', type: 'number' }],
      async run({ args, opts }) {
        expectTypeOf(args).toEqualTypeOf<{ domain: string }>();
        expectTypeOf(opts).toEqualTypeOf<{ num?: number }>();
      },
    });
    expectTypeOf(def.name).toBeString();
  });

  it('Forwarded names an option the op reads but the command does not declare', () => {
    expectTypeOf<Forwarded<{ paused?: boolean }, { paused?: boolean }>>().toEqualTypeOf<{ paused?: boolean }>();
    expectTypeOf<Forwarded<{ paused?: boolean }, { monitor?: boolean }>>().toEqualTypeOf<{ monitor: 'an option the op reads but the command does not declare' }>();
  });
});
