// Values of the xl.cfg keys that take one of a fixed set of words, for completing
// `key=value` overrides. Keys and words are declared in parsers/xlcfg/key-table.ts.

import { KEY_TABLE } from '../parsers/xlcfg/key-table.js';

export const XL_CFG_VALUES: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  KEY_TABLE.filter((k) => k.values).map((k) => [k.name, k.values!]),
);
