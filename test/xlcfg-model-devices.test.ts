// xl.cfg -> model: device lists, displays, device model and cpuid.
import { describe, expect, it } from 'vitest';
import { defaultXlConf } from '../parsers/xlcfg/xlconf.js';
import { HVM, PV, PVH, error, model, warnings } from './xlcfg-helpers.js';

describe('device lists', () => {
  it('numbers vifs by position and applies xl.conf vif defaults first', () => {
    const xlconf = { ...defaultXlConf(), vifBridge: 'xenbr0', vifScript: 'vif-nat' };
    const m = model(PV + 'vif=[ "", "bridge=br1,mac=00:16:3e:00:00:01", "devid=7" ]', { xlconf });
    expect(m.nics).toEqual([
      { devid: 0, bridge: 'xenbr0', script: 'vif-nat' },
      { devid: 1, bridge: 'br1', script: 'vif-nat', mac: '00:16:3e:00:00:01' },
      { devid: 7, bridge: 'xenbr0', script: 'vif-nat' },
    ]);
  });

  it('reads disks without devids and an empty list as no devices', () => {
    expect(model(PV + 'disk=["/dev/vg/d,raw,xvda,rw"]').disks).toEqual([{ pdev_path: '/dev/vg/d', vdev: 'xvda', format: 'raw', readwrite: 1 }]);
    expect(model(PV + 'disk=[]\nvif=[]').disks).toBeUndefined();
  });

  it('points a bad device spec at its place in the file', () => {
    const d = error(PV + 'disk=["/dev/vg/d,raw,xvda,rw", "vdev=xvdb,access=maybe,target=/x"]');
    expect(d.line).toBe(3);
    expect(d.col).toBeGreaterThan(30);
  });

  it('applies the pci_* globals and the rdm policy to every pci device', () => {
    const m = model(HVM + 'pci_permissive=1\npci_seize=1\nrdm="strategy=host,policy=relaxed"\npci=["01:00.0", "02:00.1,permissive=0"]');
    expect(m.pcidevs).toEqual([
      { bus: 1, vfunc_mask: 1, permissive: true, seize: true, rdm_policy: 'relaxed' },
      { bus: 2, func: 1, vfunc_mask: 1, seize: true, rdm_policy: 'relaxed' },
    ]);
    expect(m.b_info['type.hvm']!.rdm).toEqual({ strategy: 'host', policy: 'relaxed' });
  });

  it('gives PV pci devices e820_host and the "strict" policy xl reads from zeroed memory', () => {
    const m = model(PV + 'pci=["03:00.0"]');
    expect(m.pcidevs).toEqual([{ bus: 3, vfunc_mask: 1, rdm_policy: 'strict' }]);
    expect(m.b_info['type.pv']).toEqual({ e820_host: 'True' });
    expect(model(PV + 'e820_host=0').b_info['type.pv']).toEqual({ e820_host: 'False' });
  });

  it('rejects bad rdm options', () => {
    expect(error(HVM + 'rdm="strategy=all"').message).toBe('unknown RDM strategy option: all');
    expect(error(HVM + 'rdm="policy=loose"').message).toBe('unknown RDM property policy value: loose');
    expect(error(HVM + 'rdm="mode=x"').message).toBe('unknown RDM state option: mode');
  });

  it('adds a keyboard for each framebuffer and numbers vkb= after them', () => {
    const m = model(PV + 'vfb=["vnc=1,vnclisten=0.0.0.0"]\nvkb=["backend-type=linux"]');
    expect(m.vfbs).toEqual([{ devid: 0, vnc: { enable: 'True', listen: '0.0.0.0' } }]);
    expect(m.vkbs).toEqual([{ devid: 0 }, { devid: 1, backend_type: 'linux' }]);
  });

  it('reads channels, vtpms, p9 (no devid), pvcalls, vdispl, usb and dtdev', () => {
    const m = model(PV + [
      'channel=["connection=pty,name=org.qemu.guest_agent.0"]',
      'vtpm=["backend=vtpmmgr,uuid=ac0a5b9e-cbe2-4c07-b43b-1d69e46fb839"]',
      'p9=["tag=share,path=/srv,security_model=none"]',
      'pvcalls=["backend=dom0"]',
      'vdispl=["connectors=c0:1024x768"]',
      'usbctrl=["version=2,ports=4"]',
      'usbdev=["type=hostdev,hostbus=1,hostaddr=2"]',
      'dtdev=["/soc/dma"]',
    ].join('\n'));
    expect(m.channels).toEqual([{ devid: 0, name: 'org.qemu.guest_agent.0', 'connection.pty': {} }]);
    expect(m.vtpms).toEqual([{ devid: 0, backend_domname: 'vtpmmgr', uuid: 'ac0a5b9e-cbe2-4c07-b43b-1d69e46fb839' }]);
    expect(m.p9s).toEqual([{ tag: 'share', path: '/srv', security_model: 'none' }]);
    expect(m.pvcallsifs).toEqual([{ devid: 0, backend_domname: 'dom0' }]);
    expect(m.vdispls).toEqual([{ devid: 0, connectors: [{ unique_id: 'c0', width: 1024, height: 768 }] }]);
    expect(m.usbctrls).toEqual([{ devid: 0, version: 2, ports: 4 }]);
    expect(m.usbdevs).toEqual([{ 'type.hostdev': { hostbus: 1, hostaddr: 2 } }]);
    expect(m.dtdevs).toEqual([{ path: '/soc/dma' }]);
  });

  it('reads vsnd cards as nested lists', () => {
    const m = model(PV + "vsnd=[ ['CARD, short-name=Main', 'PCM, name=Main', 'STREAM, unique-id=0, type=p'] ]");
    expect(m.vsnds).toEqual([{ devid: 0, short_name: 'Main', pcms: [{ name: 'Main', streams: [{ unique_id: '0', type: 'p' }] }] }]);
    expect(error(PV + 'vsnd=[ "CARD" ]').message).toBe('a vsnd card must be a list of strings');
    expect(error(PV + 'vsnd="CARD"').message).toMatch(/takes a list of cards/);
  });

  it('reads ioports, irqs and iomem', () => {
    const x = model(PV + 'ioports=["2f8-2ff", "0x3f8"]\nirqs=["3", "4"]\niomem=["fed40,5", "fe000,1@100"]').b_info;
    expect(x.ioports).toEqual([{ first: 0x2f8, number: 8 }, { first: 0x3f8, number: 1 }]);
    expect(x.irqs).toEqual([3, 4]);
    expect(x.iomem).toEqual([{ start: 0xfed40, number: 5 }, { start: 0xfe000, number: 1, gfn: 0x100 }]);
  });

  it('rejects bad ioports, irqs and iomem', () => {
    expect(error(PV + 'ioports=["zz"]').message).toBe('invalid ioport range "zz"');
    expect(error(PV + 'ioports=["3ff-2f8"]').message).toMatch(/end is below the start/);
    expect(error(PV + 'ioports=["ffffffff"]').message).toBe('ioport ffffffff too big');
    expect(error(PV + 'irqs=["3a"]').message).toBe('invalid irq "3a"');
    expect(error(PV + 'iomem=["fed40"]').hint).toMatch(/START,NUMBER/);
    expect(error(PV + 'ioports="2f8"').message).toBe('`ioports` takes a list, not a single value');
  });
});

describe('displays and consoles', () => {
  it('gives an HVM guest the top-level vnc, sdl and spice settings', () => {
    const h = model(HVM + 'vnc=1\nvnclisten="0.0.0.0"\nvncdisplay=2\nvncpasswd="pw"\nvncunused=0\nsdl=0\nopengl=1\nkeymap="de"\nspice=1\nspiceport=5900\nspicedisable_ticketing=1\nspicevdagent=1\nspiceusbredirection=2').b_info['type.hvm']!;
    expect(h.vnc).toEqual({ enable: 'True', listen: '0.0.0.0', passwd: 'pw', display: 2, findunused: 'False' });
    expect(h.sdl).toEqual({ enable: 'False', opengl: 'True' });
    expect(h.keymap).toBe('de');
    expect(h.spice).toEqual({ enable: 'True', port: 5900, disable_ticketing: 'True', vdagent: 'True', usbredirection: 2 });
  });

  it('gives a PV guest a vfb and vkb from vnc=1, unless it has vfb=', () => {
    const m = model(PV + 'vnc=1\nvnclisten="127.0.0.1"\nkeymap="fr"\nsdl=1');
    expect(m.vfbs).toEqual([{ devid: 0, vnc: { enable: 'True', listen: '127.0.0.1' }, sdl: { enable: 'True' }, keymap: 'fr' }]);
    expect(m.vkbs).toEqual([{ devid: 0 }]);
    expect(model(PV + 'vnc=0').vfbs).toBeUndefined();
    expect(model(PV + 'vnc=1\nvfb=["sdl=1"]').vfbs).toEqual([{ devid: 0, sdl: { enable: 'True' } }]);
    expect(model(PVH + 'vnc=1').vfbs).toBeUndefined();
  });

  it('refuses a display in both vnclisten and vncdisplay', () => {
    expect(error(HVM + 'vnclisten="0.0.0.0:1"\nvncdisplay=1').message).toBe('display specified both in vnclisten and vncdisplay');
  });

  it('reads vga and stdvga', () => {
    const vga = (t: string) => model(HVM + t).b_info['type.hvm']!.vga;
    expect(vga('vga="stdvga"')).toEqual({ kind: 'std' });
    expect(vga('vga="qxl"')).toEqual({ kind: 'qxl' });
    expect(vga('stdvga=0')).toEqual({ kind: 'cirrus' });
    expect(vga('vga="none"\nstdvga=1')).toEqual({ kind: 'none' });
    expect(error(HVM + 'vga="vmware"').message).toBe('unknown vga "vmware" specified');
  });

  it('reads serial, usb, sound and the other HVM devices', () => {
    const h = model(HVM + 'serial=["pty", "file:/tmp/s"]\nusb=1\nusbversion=2\nusbdevice=["tablet"]\nsoundhw="hda"\nvkb_device=0\nxen_platform_pci=0\nhdtype="ahci"\nnographic=1\nvendor_device="xenserver"\nboot="dc"').b_info['type.hvm']!;
    expect(h).toMatchObject({ serial_list: ['pty', 'file:/tmp/s'], usb: 'True', usbversion: 2, usbdevice_list: ['tablet'], soundhw: 'hda', vkb_device: 'False', xen_platform_pci: 'False', hdtype: 'ahci', nographic: 'True', vendor_device: 'xenserver', boot: 'dc' });
    expect(model(HVM + 'serial="pty"\nusbdevice="mouse"').b_info['type.hvm']).toMatchObject({ serial: 'pty', usbdevice: 'mouse' });
    expect(error(HVM + 'hdtype="scsi"').message).toBe('invalid value "scsi" for "hdtype"');
    expect(error(HVM + 'vendor_device="acme"').message).toBe('unknown vendor_device "acme"');
  });

  it('reads gfx_passthru as a number or a kind', () => {
    expect(model(HVM + 'gfx_passthru=1').b_info['type.hvm']).toMatchObject({ gfx_passthru: 'True' });
    expect(model(HVM + 'gfx_passthru="igd"').b_info['type.hvm']).toMatchObject({ gfx_passthru: 'True', gfx_passthru_kind: 'igd' });
    expect(error(HVM + 'gfx_passthru="amd"').message).toBe('invalid value "amd" for "gfx_passthru"');
  });
});

describe('device model', () => {
  it('warns about an override without a version, as xl does', () => {
    const w = warnings(HVM + 'device_model_override="/usr/bin/qemu"');
    expect(w.map((d) => d.message)).toContain('device model override given without specific DM version');
    expect(w.find((d) => d.message.startsWith('device model'))).toMatchObject({ line: 3, col: 23 });
    expect(warnings(HVM + 'device_model_override="/q"\ndevice_model_version="qemu-xen"')).toEqual([]);
  });

  it('reads the device model and stubdomain keys', () => {
    const x = model(HVM + 'device_model_version="qemu-xen-traditional"\ndevice_model_stubdomain_override=1\ndevice_model_stubdomain_seclabel="l"\ndevice_model_user="qemu"\nstubdomain_kernel="/k"\nstubdomain_cmdline="c"\nstubdomain_ramdisk="/r"\nstubdomain_memory=64\ndevice_model_args=["-a"]\ndevice_model_args_hvm=["-h"]\ndevice_model_args_pv=["-p"]').b_info;
    expect(x).toMatchObject({
      device_model_version: 'qemu_xen_traditional', device_model_stubdomain: 'True', device_model_ssid_label: 'l', device_model_user: 'qemu',
      stubdomain_kernel: '/k', stubdomain_cmdline: 'c', stubdomain_ramdisk: '/r', stubdomain_memkb: 65536, extra: ['-a'], extra_hvm: ['-h'], extra_pv: ['-p'],
    });
  });

  it('rejects an unknown version and device_model_args given as a string', () => {
    expect(error(HVM + 'device_model_version="qemu"').message).toBe('unknown device_model_version "qemu" specified');
    expect(error(HVM + 'device_model_args="-a"').message).toBe('`device_model_args` takes a list, not a single value');
  });

  it('ignores device_model with a warning', () => {
    const w = warnings(HVM + 'device_model="/usr/lib/xen/bin/stubdom-dm"');
    expect(w).toHaveLength(1);
    expect(w[0]!.line).toBe(3);
  });
});

describe('cpuid', () => {
  it('reads the libxl string form into register masks', () => {
    const p = model(HVM + 'cpuid="host,tm=0,sse3=1,page1gb=x"').b_info.cpuid;
    expect(p).toEqual({
      cpuid: [
        { leaf: 1, ecx: 'x'.repeat(31) + '1', edx: 'xx0' + 'x'.repeat(29) },
        { leaf: 0x80000001, edx: 'x'.repeat(32) },
      ],
      msr: [],
    });
  });

  it('handles multi-bit fields, family, subleaves and MSR features', () => {
    const p = model(HVM + 'cpuid="host,family=0x1f,model=0x3a,procpkg=5,avx2=0,rdcl-no=1"').b_info.cpuid as { cpuid: { leaf: number; subleaf?: number; eax?: string; ebx?: string }[]; msr: unknown[] };
    const l1 = p.cpuid.find((l) => l.leaf === 1)!.eax!;
    expect(l1.slice(20, 24)).toBe('1111'); // base family saturated at 0xf
    expect(l1.slice(4, 12)).toBe('00010000'); // extended family 0x1f - 15
    expect(l1.slice(24, 28)).toBe('1010'); // model low nibble
    expect(l1.slice(12, 16)).toBe('0011'); // extended model
    expect(p.cpuid.find((l) => l.leaf === 4)).toEqual({ leaf: 4, subleaf: 0, eax: '000101' + 'x'.repeat(26) });
    expect(p.cpuid.find((l) => l.leaf === 7)!.ebx![26]).toBe('0');
    expect(p.msr).toEqual([{ index: 0x10a, policy: 'x'.repeat(63) + '1' }]);
  });

  it('reads the xend list form', () => {
    const p = model(HVM + `cpuid=["0x1:ecx=${'0'.repeat(32)}", "7,0:ebx=${'1'.repeat(32)},edx=${'x'.repeat(32)}"]`).b_info.cpuid;
    expect(p).toEqual({ cpuid: [{ leaf: 1, ecx: '0'.repeat(32) }, { leaf: 7, subleaf: 0, ebx: '1'.repeat(32), edx: 'x'.repeat(32) }], msr: [] });
  });

  it('rejects what libxl cannot parse', () => {
    expect(error(HVM + 'cpuid="sse3=1"').message).toBe('the cpuid string must start with "host"');
    expect(error(HVM + 'cpuid="host,sse9=1"').message).toBe('cpuid flag "sse9=1": unknown CPUID flag name "sse9"');
    expect(error(HVM + 'cpuid="host,sse3"').message).toBe('cpuid flag "sse3": missing "=" in key=value');
    expect(error(HVM + 'cpuid="host,sse3=q"').message).toBe('cpuid flag "sse3=q": illegal CPUID value (must be: [0|1|x|k|s])');
    expect(error(HVM + 'cpuid=["x:eax=0"]').message).toMatch(/illegal leaf number/);
    expect(error(HVM + 'cpuid=["1,:eax=0"]').message).toMatch(/illegal subleaf number/);
    expect(error(HVM + 'cpuid=["1 eax=0"]').message).toMatch(/missing colon/);
    expect(error(HVM + 'cpuid=["1:esx=0"]').message).toMatch(/invalid register name/);
    expect(error(HVM + 'cpuid=["1:eax=0101"]').message).toMatch(/exactly 32 characters/);
  });
});
