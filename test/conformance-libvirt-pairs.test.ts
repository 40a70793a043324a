// libvirt's xlconfigdata pairs: an xl.cfg and the domain XML libvirt 9 holds equivalent. The
// model read from the .cfg (xl 4.17 semantics) must equal the model read from the .xml
// (libvirt's libxl driver semantics) wherever both carry a field; the fields only one side
// carries are named, and each must have a known reason. Each side written back in its own
// format reads back to the same model, and writing one side's model in the other format
// agrees with the other side. MANIFEST's one-way cases are respected.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.js';
import type { DomainConfig } from '../src/core/model.js';
import { CORPUS_HOST } from '../parsers/host.js';
import { normalizeModel } from '../parsers/libxl-json.js';
import { xlcfgToModel } from '../parsers/xlcfg/to-model.js';
import { modelToXlcfg } from '../parsers/xlcfg/write.js';
import { diffValues, formatDifference, type Difference } from '../parsers/xml/diff.js';
import { prune, xmlToModel } from '../parsers/xml/read.js';
import { modelToXml } from '../parsers/xml/write.js';

const DIR = fileURLToPath(new URL('../../shared/corpus/libvirt-xl/', import.meta.url));
const names = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.cfg')).map((f) => f.slice(0, -4)).sort() : [];

/** MANIFEST: non-canonical cfgs, libvirt converts them cfg -> XML only. */
const CFG_TO_XML_ONLY = /-positional-parms-|disk-qed|-extra-root|-type$|-kernel-boot-extra/;
/** MANIFEST: the vnuma cases go XML -> cfg only. */
const XML_TO_CFG_ONLY = /vnuma/;
/** cfgs libvirt wrote that xl itself rejects. */
const CFG_REJECTED: Record<string, string> = {
  'test-fullvirt-vnuma-autocomplete': 'xl rejects it: 12 vCPUs over 8 host CPUs, and 12 GiB of vnuma memory against maxmem 8 GiB',
};

/** Fields where the two tools really disagree on a value, and why. */
const CONFLICTS: Record<string, string> = {
  'nics[*].rate_bytes_per_interval':
    "units: libvirt reads xl's rate=10240KB/s as <outbound average='10240'> (KiB/s, x1024) while xl counts KB as 1000 bytes",
};

/** Fields only one side carries, and why. */
const XML_ONLY: Record<string, string> = {
  'disks[*].removable': "libvirt's driver marks every disk removable; xl only CD-ROMs",
  'disks[*].backend': 'xl leaves the backend of a positional disk spec to libxl; the XML names a driver',
  'nics[*].nictype': "libvirt's driver picks vif or vif_ioemu itself; xl leaves it to libxl",
  'nics[*].model': "libvirt's converter writes xl's type=vif as <model type='netfront'>",
  'b_info.device_model_version': "libvirt's driver names the device model version along with <emulator>",
  'b_info.type.hvm.vga': 'libvirt adds a video card (cirrus) to a display; xl leaves vga to libxl',
  'b_info.video_memkb': "the video card's RAM libvirt fills in",
  'b_info.type.hvm.nographic': 'libvirt says nographic when there is no video card',
  vfbs: "libvirt's driver adds a vfb per display for HVM guests too; xl uses b_info.type.hvm.vnc",
  vkbs: 'a vkb comes with each vfb',
  'b_info.type.hvm.system_firmware': 'libvirt names the OVMF binary; xl leaves libxl its default',
  'b_info.type.hvm.spice.vdagent': 'libvirt writes the off value out',
  'b_info.type.hvm.spice.clipboard_sharing': 'libvirt writes the off value out',
  usbctrls: "libvirt's driver adds a USB controller for USB host devices; libxl does it at creation",
  on_crash: "libvirt's xl.cfg reader defaults on_crash to restart; xl to destroy",
};
const CFG_ONLY: Record<string, string> = {
  'b_info.claim_mode': "from xl.conf's claim_mode",
  'c_info.run_hotplug_scripts': "from xl.conf's run_hotplug_scripts",
  'b_info.localtime': 'xl writes localtime=0 out',
  'b_info.type.hvm.viridian': 'xl writes viridian=0 out',
  'b_info.type.hvm.serial': 'xl writes serial="none" out',
  'b_info.type.hvm.usb': 'usb=1 has no domain XML form',
  on_soft_reset: "xl's default soft_reset action; domain XML has no on_soft_reset",
  'channels[*].devid': 'xl numbers channels; libvirt leaves it to libxl',
  'pcidevs[*].vfunc_mask': 'xl sets the function mask of a single-function device',
  'b_info.numa_placement': 'xl turns NUMA placement off for vnuma guests',
  'b_info.cpuid.cpuid[*]': 'a page1gb=x leaf changes nothing; libvirt drops optional features',
};

/** The explained field a difference path falls under (longest matching prefix). */
function explain(path: string, table: Record<string, string>): string | undefined {
  const p = path.replace(/\[\d+\]/g, '[*]');
  const hit = Object.keys(table).filter((k) => p === k || p.startsWith(`${k}.`) || p.startsWith(`${k}[`)).sort((a, b) => b.length - a.length)[0];
  return hit;
}

/** Both sides in libxl's canonical shape (IDL order, defaults dropped, empty structs dropped). */
const canon = (c: DomainConfig) => {
  const { side: _side, ...rest } = normalizeModel(c);
  return prune(rest);
};
const readCfg = (text: string, file: string) => xlcfgToModel(text, file, { host: CORPUS_HOST }).config;
const readXml = (text: string, file: string) => xmlToModel(text, file, { host: CORPUS_HOST }).config;

function split(diffs: Difference[]) {
  return {
    conflicts: diffs.filter((d) => d.kind === 'differs' && !explain(d.path, CONFLICTS)),
    xmlOnly: diffs.filter((d) => d.kind === 'left-only'),
    cfgOnly: diffs.filter((d) => d.kind === 'right-only'),
  };
}

describe.skipIf(!existsSync(DIR))('libvirt-xl pairs: xl.cfg model equals domain XML model', () => {
  const oneSided = { xml: new Map<string, Set<string>>(), cfg: new Map<string, Set<string>>() };
  const report: string[] = [];
  let agree = 0;
  let crossXmlToCfg = 0;
  let crossXmlToCfgRun = 0;

  it('has the 48 pairs', () => {
    expect(names.length).toBe(48);
    for (const n of names) expect(existsSync(`${DIR}${n}.xml`)).toBe(true);
  });

  for (const name of names) {
    describe(name, () => {
      const cfgText = readFileSync(`${DIR}${name}.cfg`, 'utf8');
      const xmlText = readFileSync(`${DIR}${name}.xml`, 'utf8');

      it('domain XML reads, and reads back the same after modelToXml', () => {
        const x = readXml(xmlText, `${name}.xml`);
        const again = readXml(modelToXml(x), `${name}.out.xml`);
        expect(diffValues(again, x).map(formatDifference)).toEqual([]);
      });

      if (CFG_REJECTED[name]) {
        it(`cfg side is rejected (${CFG_REJECTED[name]})`, () => {
          expect(() => readCfg(cfgText, `${name}.cfg`)).toThrow(ConfigError);
          report.push(`  ${name}: cfg rejected: ${CFG_REJECTED[name]}`);
        });
        return;
      }

      it('the two models agree on every field both carry', () => {
        const c = readCfg(cfgText, `${name}.cfg`);
        const x = readXml(xmlText, `${name}.xml`);
        const { conflicts, xmlOnly, cfgOnly } = split(diffValues(canon(x), canon(c)));
        for (const [list, side, table] of [[xmlOnly, oneSided.xml, XML_ONLY], [cfgOnly, oneSided.cfg, CFG_ONLY]] as const) {
          for (const d of list) {
            const k = explain(d.path, table) ?? d.path.replace(/\[\d+\]/g, '[*]');
            if (!side.has(k)) side.set(k, new Set());
            side.get(k)!.add(name);
          }
        }
        expect(conflicts.map(formatDifference)).toEqual([]);
        expect(xmlOnly.map((d) => d.path).filter((p) => !explain(p, XML_ONLY))).toEqual([]);
        expect(cfgOnly.map((d) => d.path).filter((p) => !explain(p, CFG_ONLY))).toEqual([]);
        agree++;
      });

      it('xl.cfg reads back the same after modelToXlcfg', () => {
        const c = readCfg(cfgText, `${name}.cfg`);
        const again = readCfg(modelToXlcfg(c), `${name}.out.cfg`);
        expect(diffValues(canon(again), canon(c)).map(formatDifference)).toEqual([]);
      });

      if (!XML_TO_CFG_ONLY.test(name)) {
        it('the cfg model written as domain XML agrees with the XML side', () => {
          const c = readCfg(cfgText, `${name}.cfg`);
          const x = readXml(xmlText, `${name}.xml`);
          const viaXml = readXml(modelToXml(c), `${name}.from-cfg.xml`);
          expect(split(diffValues(canon(viaXml), canon(x))).conflicts.map(formatDifference)).toEqual([]);
        });
      }

      if (!CFG_TO_XML_ONLY.test(name)) {
        it('the XML model written as xl.cfg agrees with the cfg side', () => {
          const c = readCfg(cfgText, `${name}.cfg`);
          const x = readXml(xmlText, `${name}.xml`);
          const viaCfg = readCfg(modelToXlcfg(x), `${name}.from-xml.cfg`);
          const { conflicts } = split(diffValues(canon(viaCfg), canon(c)));
          crossXmlToCfgRun++;
          if (!conflicts.length) crossXmlToCfg++;
          else report.push(`  ${name}: XML model via xl.cfg differs: ${conflicts.map((d) => d.path).join(', ')}`);
          expect(conflicts.map(formatDifference)).toEqual([]);
        });
      }
    });
  }

  afterAll(() => {
    const fmt = (m: Map<string, Set<string>>, table: Record<string, string>) =>
      [...m].sort().map(([k, s]) => `    ${k} (${s.size} pairs): ${table[explain(k, table) ?? ''] ?? 'UNEXPLAINED'}`);
    const known = Object.entries(CONFLICTS).map(([k, v]) => `    ${k}: ${v}`);
    console.log(
      [
        `libvirt-xl: ${agree}/${names.length - Object.keys(CFG_REJECTED).length} pairs agree on the fields both sides carry`,
        '  fields only the XML side carries:', ...fmt(oneSided.xml, XML_ONLY),
        '  fields only the xl.cfg side carries:', ...fmt(oneSided.cfg, CFG_ONLY),
        '  values the tools disagree on (allowed):', ...known,
        `  XML model written as xl.cfg agrees with the cfg side in ${crossXmlToCfg}/${crossXmlToCfgRun} pairs`,
        ...report,
      ].join('\n'),
    );
  });
});
