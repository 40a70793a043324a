// The unit and property tiers (vitest.config.ts) are the files whose command lines run in the
// test process: none of them may take a spawning runner, or the tiers would slowly stop being fast.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROPERTY, UNIT } from '../vitest.config.js';
import { ROOT } from './support/txl.js';

const SPAWNING = [
  /import \{[^}]*\bsimHost\b[^}]*\} from '\.\/support\/sim\.js'/,
  /import \{[^}]*\btxl\b[^}]*\} from '\.\/support\/txl\.js'/,
  /\bspawnTxl\b|\bspawnSimHost\b/,
];

describe('test tiers', () => {
  it('no unit or property file runs bin/txl through a spawning runner', () => {
    const offenders = [...UNIT, ...PROPERTY].filter((f) => SPAWNING.some((re) => re.test(readFileSync(join(ROOT, f), 'utf8'))));
    expect(offenders).toEqual([]);
  });

  it('the unit tier is a real part of the suite', () => {
    expect(UNIT.length).toBeGreaterThan(40);
  });
});
