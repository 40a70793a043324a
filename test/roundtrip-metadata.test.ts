// What txl keeps beside a format (parsers/delta.ts): applied while the file still reads as it
// did when txl wrote it, ignored with a warning for a field edited since; and the XML without
// txl's part is what libvirt (another reader) sees, with libxl's defaults stated.
import { describe, expect, it } from 'vitest';
import { xmlToModel } from '../parsers/xml/read.js';
import { modelToXml } from '../parsers/xml/write.js';
import { modelToXlcfg } from '../parsers/xlcfg/write.js';
import { xlcfgToModel } from '../parsers/xlcfg/to-model.js';
import { defaultXlConf } from '../parsers/xlcfg/xlconf.js';
import { read, createN } from './support/roundtrip.js';

const HVM = 'name = "h"\ntype = "hvm"\nmemory = 512\nvnc = 1\nshadow_memory = 8\n';
const strip = (xml: string) => xml.replace(/\n {2}<metadata>[\s\S]*?\n {2}<\/metadata>/, '');

describe('txl metadata in domain XML', () => {
  const m = read.xl(HVM, 'h.cfg');
  const xml = modelToXml(m);

  it('states libxl defaults in libvirt elements: libvirt alone keeps ACPI, APIC, PAE, a cirrus card, the boot order', () => {
    const libvirt = xmlToModel(strip(xml), 'plain.xml').config;
    expect(libvirt.b_info.acpi).toBe('True');
    expect(libvirt.b_info.apic).toBe('True');
    expect(libvirt.b_info['type.hvm']?.pae).toBe('True');
    expect(libvirt.b_info['type.hvm']?.vga).toEqual({ kind: 'cirrus' });
    expect(libvirt.b_info['type.hvm']?.boot).toBe('cda');
    expect(xml).toContain("<txl:unset path='/b_info/acpi' libvirt='&quot;True&quot;'/>");
  });

  it('names in the header only what libvirt would lose', () => {
    const head = xml.slice(0, xml.indexOf('-->'));
    expect(head).toContain('\n  b_info.shadow_memkb\n');
    expect(head).toContain('\n  on_soft_reset\n');
    expect(head).not.toContain('acpi');
  });

  it('reads back the exact model', () => {
    expect(createN(xmlToModel(xml, 'h.xml').config, false)).toBe(createN(m, false));
  });

  it('a field edited in the XML since keeps the edit, with a warning naming it', () => {
    const edited = xml.replace('    <acpi/>\n', '');
    const r = xmlToModel(edited, 'h.xml');
    expect(r.config.b_info.acpi).toBe('False');
    expect(r.warnings.map((w) => w.message)).toContain("b_info.acpi reads differently than when txl wrote the file (edited since?); txl's saved value for it is ignored");
    expect(r.config.b_info.shadow_memkb).toBe(m.b_info.shadow_memkb); // the other entries still apply
  });

  it('a malformed entry is an error at its position', () => {
    const bad = xml.replace("<txl:unset path='/b_info/acpi'", "<txl:unset path='b_info'");
    expect(() => xmlToModel(bad, 'h.xml')).toThrow(/h\.xml:\d+:\d+: <txl:unset> is not a txl metadata entry/);
  });

  it('foreign metadata stays beside txl part, in its place', () => {
    const withForeign = xml.replace('<metadata>\n', "<metadata>\n    <app:x xmlns:app='urn:app'>1</app:x>\n");
    const again = modelToXml(xmlToModel(withForeign, 'h.xml').config);
    expect(again).toContain("<app:x xmlns:app='urn:app'>1</app:x>");
    expect(again.match(/<txl:config /g)).toHaveLength(1);
  });
});

describe('#@txl lines in xl.cfg', () => {
  const xml = "<domain type='xen'><name>x</name><memory unit='MiB'>256</memory><os><type>hvm</type></os><devices><disk type='file'><source file='/d.img'/><target dev='xvda'/></disk></devices></domain>";
  const m = xmlToModel(xml, 'x.xml').config;
  const cfg = modelToXlcfg(m);

  it('carries what xl.cfg has no key for (libvirt marks every disk removable; xl.conf claim_mode unset)', () => {
    expect(cfg).toMatch(/^#@txl \{"path":"\/disks\/0\/removable","value":1\}$/m);
    expect(cfg).toMatch(/^#@txl \{"path":"\/b_info\/claim_mode","xl":"True"\}$/m);
    expect(createN(xlcfgToModel(cfg, 'x.cfg').config, false)).toBe(createN(m, false));
  });

  it('an xl.conf that reads differently keeps its value, with a warning at the line', () => {
    const r = xlcfgToModel(cfg, 'x.cfg', { xlconf: { ...defaultXlConf(), claimMode: false } });
    expect(r.config.b_info.claim_mode).toBe('False');
    const w = r.warnings.find((x) => x.message.startsWith('b_info.claim_mode reads differently'));
    expect(w?.line).toBe(cfg.split('\n').findIndex((l) => l.includes('/b_info/claim_mode')) + 1);
  });
});
