// xl.cfg -> the model, with xl 4.17's semantics: the same keys, defaults, derived values,
// warnings and rejections as parse_config_data() in tools/xl/xl_parse.c (plus the global
// affinity masks xl applies right after), so that the model written as libxl JSON is what
// `xl -N create` prints. Where xl only prints a complaint and ignores a broken value, txl
// stops with an error at that value instead.
//
// The work is split by area into map-*.ts and called here in xl's order, which decides
// which error is reported first.

import type { Diagnostic } from '../../src/core/errors.js';
import type { DomainConfig } from '../../src/core/model.js';
import { CORPUS_HOST, type HostInfo } from '../host.js';
import { normalizeModel } from '../libxl-json.js';
import { applyDelta } from '../delta.js';
import { checkKeys } from './keys.js';
import { mapBoot, mapResources } from './map-boot.js';
import { mapCpuid } from './map-cpuid.js';
import type { Ctx } from './map-ctx.js';
import { mapDevices, mapPci, mapVkbs } from './map-devices.js';
import { mapDeviceModel, mapDisplay, mapTail } from './map-display.js';
import {
  applyGlobalAffinity, domainType, mapAltp2m, mapCreateInfo, mapLimitsAndActions, mapMisc, mapSchedAndMemory, mapVcpuLimitsAndAffinity,
} from './map-domain.js';
import { mapVnuma } from './map-vnuma.js';
import { applyOverrides, parseXlCfg, type CfgFile } from './syntax.js';
import { readDeltaLines } from './write-meta.js';
import { defaultXlConf, type XlConf } from './xlconf.js';

export interface XlcfgOptions {
  /** xl.conf's settings (claim_mode, run_hotplug_scripts, vif defaults, grant limits, cpumasks) */
  xlconf?: XlConf;
  /** the host the domain is for: CPUs and NUMA nodes for cpu lists and vnuma */
  host?: HostInfo;
  /** `key=value` lines given after the file, as on `xl create cfg key=value` */
  overrides?: string[];
}

export function xlcfgToModel(text: string, file: string, opts: XlcfgOptions = {}): { config: DomainConfig; warnings: Diagnostic[] } {
  let cfg = parseXlCfg(text, file);
  if (opts.overrides?.length) cfg = applyOverrides(cfg, opts.overrides);
  const r = cfgToModel(cfg, opts);
  // what txl's xl.cfg writer kept in #@txl comment lines (write-meta.ts), last
  const { entries, lines } = readDeltaLines(text, file, r.warnings);
  entries.forEach((e, i) =>
    applyDelta(r.config, [e], (message) => r.warnings.push({ severity: 'warning', file, line: lines[i], col: 1, message, hint: 'the keys win; remove the #@txl line to silence this' })),
  );
  return r;
}

/** The same for a config already parsed (and overridden) by the caller. */
export function cfgToModel(cfg: CfgFile, opts: Omit<XlcfgOptions, 'overrides'> = {}): { config: DomainConfig; warnings: Diagnostic[] } {
  const c: Ctx = {
    cfg,
    xlconf: opts.xlconf ?? defaultXlConf(),
    host: opts.host ?? CORPUS_HOST,
    m: { c_info: {}, b_info: {} },
    type: 'pv',
    warnings: [],
    vcpus: 0,
  };
  c.type = domainType(c);
  mapCreateInfo(c);
  mapSchedAndMemory(c);
  mapVnuma(c);
  mapVcpuLimitsAndAffinity(c);
  mapLimitsAndActions(c);
  mapPci(c);
  mapMisc(c);
  mapBoot(c);
  mapAltp2m(c);
  mapResources(c);
  mapDevices(c);
  mapCpuid(c);
  mapDeviceModel(c);
  mapDisplay(c);
  mapVkbs(c);
  mapTail(c);
  applyGlobalAffinity(c);
  const keyWarnings = checkKeys(cfg);
  // checkKeys already speaks for a setting it warns about; keep one warning per line
  const lines = new Set(keyWarnings.map((d) => `${d.file}:${d.line}`));
  const own = c.warnings.filter((d) => !lines.has(`${d.file}:${d.line}`));
  const warnings = [...cfg.warnings, ...keyWarnings, ...own].sort((a, b) => (a.file === b.file ? a.line - b.line || a.col - b.col : 0));
  return { config: normalizeModel(c.m), warnings };
}
