// /etc/xen/xl.conf, the host-wide settings xl 4.17 reads at start-up (parse_global_config
// in tools/xl/xl.c). Same syntax as a domain config. Where xl only complains and carries
// on with its default, txl does the same and returns a warning; where xl exits
// (max_grant_* out of range) or cannot read the file at all, txl throws.

import { ConfigError, type Diagnostic } from '../../src/core/errors.js';
import { suggest } from '../suggest.js';
import { diagValue, diagAt, getLong, getString } from './access.js';
import { parseXlCfg, type CfgFile } from './syntax.js';

export interface XlConf {
  /** file read, or undefined for the built-in defaults */
  file?: string;
  /** balloon dom0 down to make room for a new domain; 'auto' = only when Xen has no dom0_mem= */
  autoballoon: 'on' | 'off' | 'auto';
  /** xl (not udev) runs the hotplug scripts; becomes c_info.run_hotplug_scripts */
  runHotplugScripts: boolean;
  lockfile: string;
  /** the `vif.default.*` values copied into every vif that does not set them (xl_nic.c) */
  vifScript?: string;
  vifBridge?: string;
  vifGatewaydev?: string;
  /** backend domain name or id for vifs */
  vifBackend?: string;
  remusNetbufscript?: string;
  coloProxyscript?: string;
  /** format of `xl list -l` and friends */
  outputFormat: 'json' | 'sxp';
  /** copied to b_info.blkdev_start; libxl uses "xvda" when unset */
  blkdevStart?: string;
  /** becomes b_info.claim_mode */
  claimMode: boolean;
  /** defaults for the domain keys of the same names; undefined = the hypervisor's default */
  maxGrantFrames?: number;
  maxMaptrackFrames?: number;
  maxGrantVersion?: number;
  /** global hard-affinity masks as cpu-list strings (e.g. "0-7"); undefined = all CPUs.
   *  vm.hvm.cpumask covers both HVM and PVH guests; there is no vm.pvh.cpumask in 4.17. */
  vmCpumask?: string;
  vmPvCpumask?: string;
  vmHvmCpumask?: string;
  /** who picks the domid of a new domain */
  domidPolicy: 'xen' | 'random';
  warnings: Diagnostic[];
  /** where each setting's value was read, by xl.conf key (e.g. "vm.cpumask"), for error positions */
  where?: Record<string, { file: string; line: number; col: number }>;
}

export const XLCONF_KEYS: readonly string[] = [
  'autoballoon', 'run_hotplug_scripts', 'lockfile',
  'vif.default.script', 'vif.default.bridge', 'vif.default.gatewaydev', 'vif.default.backend',
  'remus.default.netbufscript', 'colo.default.proxyscript',
  'output_format', 'blkdev_start', 'claim_mode',
  'max_grant_frames', 'max_maptrack_frames', 'max_grant_version',
  'vm.cpumask', 'vm.hvm.cpumask', 'vm.pv.cpumask', 'domid_policy',
];
const DEPRECATED: Record<string, string> = { vifscript: 'vif.default.script', defaultbridge: 'vif.default.bridge' };

export function defaultXlConf(): XlConf {
  return {
    autoballoon: 'auto',
    runHotplugScripts: true,
    lockfile: '/var/lock/xl',
    outputFormat: 'json',
    claimMode: true,
    domidPolicy: 'xen',
    warnings: [],
  };
}

export function parseXlConf(text: string, file: string): XlConf {
  return xlConfFrom(parseXlCfg(text, file));
}

const INT_MAX = 2 ** 31 - 1;

export function xlConfFrom(cfg: CfgFile): XlConf {
  const conf: XlConf = { ...defaultXlConf(), file: cfg.file, warnings: [...cfg.warnings] };
  const warn = (d: Diagnostic) => conf.warnings.push({ ...d, severity: 'warning' });
  // read one key; a value xl would ignore becomes a warning and the default stays
  const soft = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      e.diagnostics.forEach((d) => warn({ ...d, hint: `${d.hint ? d.hint + '; ' : ''}xl ignores this setting` }));
      return undefined;
    }
  };
  const str = (key: string) => soft(() => getString(cfg, key));
  const num = (key: string) => soft(() => getLong(cfg, key));
  const choice = <T extends string>(key: string, allowed: Array<[string, T]>): T | undefined => {
    const v = str(key);
    if (v === undefined) return undefined;
    const hit = allowed.find(([word]) => word === v);
    if (hit) return hit[1];
    const s = cfg.settings.get(key)!;
    warn(diagValue(cfg, s.value, `invalid ${key} ${JSON.stringify(v)}`, `use one of ${allowed.map(([k]) => `"${k}"`).join(', ')}; xl ignores this setting`));
    return undefined;
  };

  conf.autoballoon = choice('autoballoon', [['on', 'on'], ['1', 'on'], ['off', 'off'], ['0', 'off'], ['auto', 'auto']]) ?? conf.autoballoon;
  const hotplug = num('run_hotplug_scripts');
  if (hotplug !== undefined) conf.runHotplugScripts = hotplug !== 0;
  conf.lockfile = str('lockfile') ?? conf.lockfile;

  for (const [old, now] of Object.entries(DEPRECATED)) {
    const s = cfg.settings.get(old);
    if (s) warn(diagAt(cfg, s.keyPos, `\`${old}\` is deprecated`, `use ${now} instead`, old.length));
  }
  conf.vifScript = str('vif.default.script') ?? str('vifscript');
  conf.vifBridge = str('vif.default.bridge') ?? str('defaultbridge');
  conf.vifGatewaydev = str('vif.default.gatewaydev');
  conf.vifBackend = str('vif.default.backend');
  conf.outputFormat = choice('output_format', [['json', 'json'], ['sxp', 'sxp']]) ?? conf.outputFormat;
  conf.blkdevStart = str('blkdev_start');
  const claim = num('claim_mode');
  if (claim !== undefined) conf.claimMode = claim !== 0;
  conf.remusNetbufscript = str('remus.default.netbufscript');
  conf.coloProxyscript = str('colo.default.proxyscript');
  // xl exits when these are present but unusable, so they are hard errors
  conf.maxGrantFrames = getLong(cfg, 'max_grant_frames', 0, INT_MAX);
  conf.maxMaptrackFrames = getLong(cfg, 'max_maptrack_frames', 0, INT_MAX);
  conf.maxGrantVersion = getLong(cfg, 'max_grant_version', 0, INT_MAX);
  conf.vmCpumask = str('vm.cpumask');
  conf.vmHvmCpumask = str('vm.hvm.cpumask');
  conf.vmPvCpumask = str('vm.pv.cpumask');
  conf.domidPolicy = choice('domid_policy', [['xen', 'xen'], ['random', 'random']]) ?? conf.domidPolicy;

  for (const [key, s] of cfg.settings) {
    if (XLCONF_KEYS.includes(key) || key in DEPRECATED) continue;
    const near = suggest(key, XLCONF_KEYS);
    warn(diagAt(cfg, s.keyPos, `unknown xl.conf setting \`${key}\``, near ? `did you mean ${near}? (xl ignores unknown settings)` : 'xl ignores unknown settings', key.length));
  }
  if (cfg.settings.size) {
    conf.where = {};
    for (const [key, s] of cfg.settings) conf.where[key] = { file: cfg.file, line: s.value.pos.line, col: s.value.pos.col };
  }
  for (const k of Object.keys(conf) as Array<keyof XlConf>) if (conf[k] === undefined) delete conf[k];
  return conf;
}
