// The unit tier (vitest.config.ts UNIT) is the files whose command lines run in the test
// process: none of them may take a spawning runner, or the tier would slowly stop being fast.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UNIT } from '../vitest.config.js';
import { ROOT } from './support/txl.js';

const SPAWNING = [
  /import \{[^}]*\bsimHost\b[^}]*\} from '\.\/support\/sim\.js'/,
  /import \{[^}]*\btxl\b[^}]*\} from '\.\/support\/txl\.js'/,
  /\bspawnTxl\b|\bspawnSimHost\b/,
];

describe('test tiers', () => {
  it('no unit file runs bin/txl through a spawning runner', () => {
    const offenders = UNIT.filter((f) => SPAWNING.some((re) => re.test(readFileSync(join(ROOT, f), 'utf8'))));
    expect(offenders).toEqual([]);
  });

  it('the unit tier is a real part of the suite', () => {
    expect(UNIT.length).toBeGreaterThan(40);
  });
});
