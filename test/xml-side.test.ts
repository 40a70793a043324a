// What the reader cannot map is kept in side.xml with a warning at its position, written
// back by modelToXml, and read back the same; invalid values are errors at their position.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.js';
import { cpuidFeatures, cpuidSet, type CpuidPolicyJson } from '../parsers/xml/cpuid.js';
import { diffValues } from '../parsers/xml/diff.js';
import { xmlToModel } from '../parsers/xml/read.js';
import { modelToXml } from '../parsers/xml/write.js';

const XML = `<domain type='xen'>
  <name>g</name>
  <memory unit='MiB'>512</memory>
  <os><type>hvm</type></os>
  <features><acpi/><kvm><hidden state='on'/></kvm></features>
  <clock offset='timezone' timezone='Europe/Paris'>
    <timer name='rtc' tickpolicy='catchup'/>
  </clock>
  <pm><suspend-to-mem enabled='no'/></pm>
  <cpu mode='custom' match='exact'><model>Haswell</model></cpu>
  <devices>
    <disk type='file' device='disk' snapshot='no'>
      <driver name='qemu' type='raw' cache='writeback'/>
      <source file='/a.img'/>
      <target dev='xvda'/>
      <iotune><total_bytes_sec>1000</total_bytes_sec></iotune>
    </disk>
    <interface type='network'><source network='default'/><mac address='00:16:3e:00:00:01'/></interface>
    <interface type='bridge'><source bridge='br0'/><link state='down'/></interface>
    <parallel type='pty'/>
    <tpm model='tpm-tis'><backend type='emulator'/></tpm>
    <memballoon model='xen' autodeflate='on'/>
  </devices>
</domain>
`;

describe('side.xml', () => {
  const { config, warnings } = xmlToModel(XML, 'g.xml');
  const side = config.side?.xml as Record<string, any>;

  it('keeps unmapped elements with the path of their parent', () => {
    const kept = side.elements.map((e: any) => `${e.at} <${e.node.name}>`);
    expect(kept).toEqual(
      expect.arrayContaining([
        'features[0] <kvm>',
        'clock[0] <timer>',
        ' <pm>',
        'devices[0]/disk[0] <iotune>',
        'devices[0]/interface[0] <source>',
        'devices[0]/interface[1] <link>',
        'devices[0] <parallel>',
        'devices[0] <tpm>',
        'devices[0] <memballoon>',
      ]),
    );
    expect(side.elements.find((e: any) => e.node.name === 'iotune').node).toEqual({ name: 'iotune', children: [{ name: 'total_bytes_sec', text: '1000' }] });
  });

  it('keeps unmapped attributes, and the custom CPU model', () => {
    const attrs = side.attrs.map((a: any) => `${a.at}@${a.name}=${a.value}`);
    expect(attrs).toEqual(expect.arrayContaining(['clock[0]@offset=timezone', 'clock[0]@timezone=Europe/Paris', 'devices[0]/disk[0]@snapshot=no', 'devices[0]/disk[0]/driver[0]@cache=writeback', 'cpu[0]@mode=custom', 'cpu[0]@match=exact', 'devices[0]/interface[0]@type=network']));
    expect(side.elements.some((e: any) => e.at === 'cpu[0]' && e.node.name === 'model')).toBe(true);
  });

  it('warns once per kept item, at its position', () => {
    const at = (m: string) => warnings.find((w) => w.message.includes(m));
    expect(at('<iotune>')).toMatchObject({ severity: 'warning', line: 16, col: 7 });
    expect(at("'snapshot'")).toMatchObject({ line: 12, col: 37 });
    expect(at('parallel ports')).toMatchObject({ line: 20, col: 5 });
    expect(at("CPU mode 'custom'")).toMatchObject({ line: 10, col: 8 });
    expect(at('libvirt network')).toMatchObject({ line: 18, col: 16 });
    expect(warnings.length).toBe(side.elements.length + side.attrs.length);
  });

  it('maps what it can around the kept parts', () => {
    expect(config.disks).toEqual([{ pdev_path: '/a.img', vdev: 'xvda', backend: 'qdisk', format: 'raw', removable: 1, readwrite: 1 }]);
    // the libvirt network's interface stays a NIC (its bridge is libvirt's to know)
    expect(config.nics?.map((n) => [n.mac, n.bridge])).toEqual([['00:16:3e:00:00:01', undefined], [undefined, 'br0']]);
    expect(config.b_info.acpi).toBe('True');
  });

  it('writes everything back, and reads back the same model', () => {
    const out = modelToXml(config);
    for (const s of ["<iotune>", "<total_bytes_sec>1000</total_bytes_sec>", "snapshot='no'", "cache='writeback'", "offset='timezone'", "<timer name='rtc' tickpolicy='catchup'/>", "<tpm model='tpm-tis'>", "<memballoon model='xen' autodeflate='on'/>", "<source network='default'/>", "<kvm>", "<model>Haswell</model>"]) {
      expect(out).toContain(s);
    }
    expect(out.match(/<memballoon/g)).toHaveLength(1);
    const again = xmlToModel(out, 'out.xml');
    expect(diffValues(again.config, config)).toEqual([]);
    expect(again.warnings.length).toBe(warnings.length);
  });
});

describe('invalid values are errors at their position', () => {
  const bad = (xml: string) => {
    try {
      xmlToModel(xml, 'b.xml');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as ConfigError).diagnostics.filter((d) => d.severity === 'error');
    }
    throw new Error('expected an error');
  };
  const hvm = (inner: string) => `<domain type='xen'>\n<name>g</name>\n<memory>1024</memory>\n<os><type>hvm</type></os>\n${inner}\n</domain>`;

  it('collects every error, each at its attribute or text', () => {
    const errs = bad(hvm(`<vcpu>two</vcpu>\n<currentMemory unit='parsec'>1</currentMemory>\n<devices><disk><driver name='qemu' type='vmdk'/><target dev='xvda'/></disk></devices>`));
    expect(errs).toHaveLength(3);
    expect(errs.map((e) => e.message)).toEqual(expect.arrayContaining([
      "unknown memory unit 'parsec'",
      '<vcpu>two</vcpu>: not a valid number',
      "disk format 'vmdk' is not one libxl handles",
    ]));
    const pos = Object.fromEntries(errs.map((e) => [e.message.slice(0, 12), `${e.line}:${e.col}`]));
    expect(pos['<vcpu>two</v']).toBe('5:7');
    expect(pos["unknown memo"]).toBe('6:16');
    expect(pos["disk format "]).toBe('7:36');
  });

  it('an unknown CPU feature, the hpet timer on PV, a missing disk target', () => {
    expect(bad(hvm("<cpu mode='host-passthrough'><feature policy='require' name='warp9'/></cpu>"))[0]).toMatchObject({ line: 5, col: 56, message: "CPU feature 'warp9' is not one libxl can set" });
    const pv = hvm("<clock><timer name='hpet' present='yes'/></clock>").replace('<type>hvm</type>', '<type>xen</type>');
    expect(bad(pv)[0].message).toContain('HVM domains only');
    expect(bad(hvm("<devices><disk type='file'><source file='/x'/></disk></devices>"))[0].message).toContain('no <target dev=');
  });
});

describe('cpuid policy', () => {
  it('sets named and featureset bits the way libxl does, and reads them back', () => {
    const p: CpuidPolicyJson = { cpuid: [], msr: [] };
    expect(cpuidSet(p, 'tm', '0')).toBe(true);
    expect(cpuidSet(p, 'sse3', '1')).toBe(true);
    expect(cpuidSet(p, 'avx512f', '0')).toBe(true);
    expect(cpuidSet(p, 'rdcl-no', '1')).toBe(true);
    expect(cpuidSet(p, 'nosuch', '1')).toBe(false);
    expect(p.cpuid).toEqual([
      { leaf: 1, edx: 'xx0xxxxxxxxxxxxxxxxxxxxxxxxxxxxx', ecx: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx1' },
      { leaf: 7, subleaf: 0, ebx: 'xxxxxxxxxxxxxxx0xxxxxxxxxxxxxxxx' },
    ]);
    expect(p.msr).toEqual([{ index: 0x10a, policy: 'x'.repeat(63) + '1' }]);
    expect(cpuidFeatures(p)).toEqual([
      { name: 'pni', value: '1' },
      { name: 'tm', value: '0' },
      { name: 'avx512f', value: '0' },
      { name: 'rdcl-no', value: '1' },
    ]);
  });
});

describe('modelToXml keeps what libvirt cannot say in txl metadata, and names it', () => {
  it('lists model parts domain XML has no element for in a leading comment; txl reads them back exactly', () => {
    const { config } = xmlToModel(`<domain type='xen'><name>g</name><memory>524288</memory><os><type>xen</type></os></domain>`, 'g.xml');
    const cfg = { ...config, vtpms: [{ uuid: '00000000-0000-0000-0000-000000000001' }], on_soft_reset: 'soft_reset' as const, b_info: { ...config.b_info, claim_mode: 'True' as const } };
    const out = modelToXml(cfg);
    expect(out).toMatch(/^<!--\ntxl: libvirt has no element for these settings; they are kept in txl's <metadata>, which only txl reads:\n {2}b_info\.claim_mode\n {2}on_soft_reset\n {2}vtpms\n-->\n<domain /);
    expect(out).toContain("<txl:config xmlns:txl='urn:txl:domain-config:1'>");
    expect(diffValues(xmlToModel(out, 'o.xml').config, cfg)).toEqual([]);
    expect(modelToXml(config)).toMatch(/^<domain /);
  });
});
