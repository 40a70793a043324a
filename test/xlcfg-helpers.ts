// Shared by the xl.cfg mapping tests: minimal configs of each guest type and readers that
// return the model, the warnings or the first error.
import { expect } from 'vitest';
import { xlcfgToModel, type XlcfgOptions } from '../parsers/xlcfg/to-model.js';
import { CORPUS_HOST } from '../parsers/host.js';
import { ConfigError, type Diagnostic } from '../src/core/errors.js';

export const PV = 'name = "d"\nkernel = "/boot/vmlinuz"\n';
export const HVM = 'name = "d"\ntype = "hvm"\n';
export const PVH = 'name = "d"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\n';

export const model = (text: string, opts: XlcfgOptions = {}) => xlcfgToModel(text, 't.cfg', { host: CORPUS_HOST, ...opts }).config;
export const warnings = (text: string, opts: XlcfgOptions = {}) => xlcfgToModel(text, 't.cfg', { host: CORPUS_HOST, ...opts }).warnings;
export function error(text: string, opts: XlcfgOptions = {}): Diagnostic {
  try {
    xlcfgToModel(text, 't.cfg', { host: CORPUS_HOST, ...opts });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).diagnostics[0]!;
  }
  throw new Error('accepted:\n' + text);
}
