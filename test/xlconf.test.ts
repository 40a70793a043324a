import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../src/core/errors.js';
import { defaultXlConf, parseXlConf, XLCONF_KEYS } from '../parsers/xlcfg/xlconf.js';

const SHIPPED = join(import.meta.dirname, '../../shared/corpus/xen-examples/xl.conf');
const warnings = (text: string) => parseXlConf(text, 'xl.conf').warnings.map((w) => `${w.line}:${w.col} ${w.message}${w.hint ? ` | ${w.hint}` : ''}`);

describe('xl.conf defaults', () => {
  it('are what xl 4.17 uses with no file', () => {
    expect(defaultXlConf()).toEqual({
      autoballoon: 'auto', runHotplugScripts: true, lockfile: '/var/lock/xl', outputFormat: 'json',
      claimMode: true, domidPolicy: 'xen', warnings: [],
    });
  });

  it('give a fresh object each time', () => {
    const a = defaultXlConf();
    a.warnings.push({ severity: 'warning', file: 'x', line: 1, col: 1, message: 'm' });
    expect(defaultXlConf().warnings).toEqual([]);
  });
});

describe.skipIf(!existsSync(SHIPPED))('the xl.conf Xen ships', () => {
  const text = existsSync(SHIPPED) ? readFileSync(SHIPPED, 'utf8') : '';

  it('is all comments, so it reads as the defaults', () => {
    expect(parseXlConf(text, SHIPPED)).toEqual({ ...defaultXlConf(), file: SHIPPED });
  });

  it('with every example line uncommented, reads each documented value', () => {
    const active = text.replace(/^#([a-z])/gm, '$1');
    expect(active).not.toBe(text);
    const conf = parseXlConf(active, 'xl.conf');
    expect(conf).toEqual({
      ...defaultXlConf(), file: 'xl.conf',
      domidPolicy: 'xen', autoballoon: 'auto', lockfile: '/var/lock/xl', outputFormat: 'json',
      blkdevStart: 'xvda', runHotplugScripts: true, vifBackend: '0', vifGatewaydev: 'eth0',
      vifScript: 'vif-bridge', vifBridge: 'xenbr0', claimMode: true,
      vmCpumask: '0-7', vmPvCpumask: '0-3', vmHvmCpumask: '3-7', where: expect.any(Object),
    });
    // the value of vm.cpumask="0-7" starts after the `=`
    const line = active.split('\n').findIndex((l) => l.startsWith('vm.cpumask=')) + 1;
    expect(conf.where!['vm.cpumask']).toEqual({ file: 'xl.conf', line, col: 12 });
    // every key the shipped file mentions is one txl reads
    const mentioned = [...text.matchAll(/^#([a-z][a-z0-9_.]*)=/gm)].map((m) => m[1]);
    expect(mentioned.length).toBeGreaterThan(10);
    for (const k of mentioned) expect(XLCONF_KEYS).toContain(k);
  });
});

describe('xl.conf settings', () => {
  it('reads every setting xl reads', () => {
    const conf = parseXlConf([
      'autoballoon="off"', 'run_hotplug_scripts=0', 'lockfile="/run/xl.lock"',
      'vif.default.script="vif-openvswitch"', 'vif.default.bridge="br0"', 'vif.default.gatewaydev="eth1"', 'vif.default.backend="netdom"',
      'remus.default.netbufscript="/s/netbuf"', 'colo.default.proxyscript="/s/proxy"',
      'output_format="sxp"', 'blkdev_start="xvdb"', 'claim_mode=0',
      'max_grant_frames=64', 'max_maptrack_frames=1024', 'max_grant_version=1',
      'vm.cpumask="0-3"', 'vm.hvm.cpumask="2-3"', 'vm.pv.cpumask="0-1"', 'domid_policy="random"',
    ].join('\n') + '\n', 'xl.conf');
    expect(conf).toEqual({
      file: 'xl.conf', autoballoon: 'off', runHotplugScripts: false, lockfile: '/run/xl.lock',
      vifScript: 'vif-openvswitch', vifBridge: 'br0', vifGatewaydev: 'eth1', vifBackend: 'netdom',
      remusNetbufscript: '/s/netbuf', coloProxyscript: '/s/proxy', outputFormat: 'sxp', blkdevStart: 'xvdb',
      claimMode: false, maxGrantFrames: 64, maxMaptrackFrames: 1024, maxGrantVersion: 1,
      vmCpumask: '0-3', vmHvmCpumask: '2-3', vmPvCpumask: '0-1', domidPolicy: 'random', warnings: [],
      where: expect.any(Object),
    });
  });

  it('accepts autoballoon as 1/0 too, and booleans as any number', () => {
    expect(parseXlConf('autoballoon="1"\nclaim_mode=5\n', 'x').autoballoon).toBe('on');
    expect(parseXlConf('autoballoon="0"\n', 'x').autoballoon).toBe('off');
    expect(parseXlConf('claim_mode=5\n', 'x').claimMode).toBe(true);
    expect(parseXlConf('run_hotplug_scripts="0x0"\n', 'x').runHotplugScripts).toBe(false);
  });

  it('takes the deprecated names, warns, and lets the new names win', () => {
    const conf = parseXlConf('vifscript="old"\ndefaultbridge="xb"\n', 'xl.conf');
    expect(conf.vifScript).toBe('old');
    expect(conf.vifBridge).toBe('xb');
    expect(warnings('vifscript="old"\ndefaultbridge="xb"\n')).toEqual([
      '1:1 `vifscript` is deprecated | use vif.default.script instead',
      '2:1 `defaultbridge` is deprecated | use vif.default.bridge instead',
    ]);
    expect(parseXlConf('vifscript="old"\nvif.default.script="new"\n', 'x').vifScript).toBe('new');
  });

  it('keeps the default and warns where xl only complains', () => {
    const conf = parseXlConf('autoballoon="maybe"\noutput_format="xml"\nclaim_mode="yes"\nlockfile=[ "a" ]\ndomid_policy="next"\n', 'xl.conf');
    expect(conf).toMatchObject({ autoballoon: 'auto', outputFormat: 'json', claimMode: true, lockfile: '/var/lock/xl', domidPolicy: 'xen' });
    expect(conf.warnings.map((w) => `${w.line}:${w.col} ${w.severity} ${w.message}`)).toEqual([
      '1:13 warning invalid autoballoon "maybe"',
      '4:10 warning `lockfile` takes a single value, not a list',
      '2:15 warning invalid output_format "xml"',
      '3:12 warning `claim_mode` must be a number, found "yes"',
      '5:14 warning invalid domid_policy "next"',
    ]);
    expect(conf.warnings[0].hint).toBe('use one of "on", "1", "off", "0", "auto"; xl ignores this setting');
  });

  it('warns about unknown settings with a suggestion', () => {
    expect(warnings('autoballon="on"\nvif.default.bridg="br0"\nfrob=1\n')).toEqual([
      '1:1 unknown xl.conf setting `autoballon` | did you mean autoballoon? (xl ignores unknown settings)',
      '2:1 unknown xl.conf setting `vif.default.bridg` | did you mean vif.default.bridge? (xl ignores unknown settings)',
      '3:1 unknown xl.conf setting `frob` | xl ignores unknown settings',
    ]);
  });

  it('fails where xl exits: bad max_grant_* values and syntax errors', () => {
    expect(() => parseXlConf('max_grant_frames="-1"\n', 'xl.conf')).toThrow(/xl.conf:1:18: `max_grant_frames`: -1 is smaller than the minimum 0/);
    expect(() => parseXlConf('max_maptrack_frames="lots"\n', 'xl.conf')).toThrow(ConfigError);
    expect(() => parseXlConf('max_grant_version=4294967296\n', 'xl.conf')).toThrow(/greater than the maximum 2147483647/);
    expect(() => parseXlConf('autoballoon=on\n', 'xl.conf')).toThrow(/xl.conf:1:13: `on` is not a value in xl.cfg/);
  });
});
