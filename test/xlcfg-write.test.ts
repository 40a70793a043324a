// model -> xl.cfg: what is written, what is left to xl's defaults, what becomes a note,
// and that xl.cfg -> model -> xl.cfg -> model is stable.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { modelToXlcfg } from '../parsers/xlcfg/write.js';
import { parseXlCfg } from '../parsers/xlcfg/syntax.js';
import type { DomainConfig } from '../src/core/model.js';
import { ConfigError } from '../src/core/errors.js';
import { HVM, PV, PVH, model } from './xlcfg-helpers.js';

const roundTrip = (text: string) => {
  const m = model(text);
  const written = modelToXlcfg(m);
  expect(model(written)).toEqual(m);
  return written;
};

const RICH_HVM = HVM + `
uuid = "c7a5fdb2-cdaf-9455-926a-d65c16db1809"
memory = 1024
maxmem = 2048
vcpus = 2
maxvcpus = 4
cpus = ["0-1", "2"]
cpus_soft = "4-7"
cpu_weight = 256
on_crash = "coredump-restart"
on_poweroff = "preserve"
on_soft_reset = "destroy"
bios = "ovmf"
acpi = 1
apic = 1
pae = 1
hpet = 0
viridian = ["defaults", "all", "!base"]
tsc_mode = "native"
timer_mode = "no_missed_ticks_pending"
rtc_timeoffset = "-3600"
localtime = 1
nestedhvm = 1
altp2m = "mixed"
mmio_hole = 1024
vnc = 1
vnclisten = "0.0.0.0"
vncpasswd = "se\\"cr\\\\et"
spice = 1
spiceport = 5901
vga = "qxl"
serial = ["pty", "pty"]
usbdevice = ["tablet"]
soundhw = "hda"
gfx_passthru = "igd"
rdm = "strategy=host,policy=strict"
device_model_version = "qemu-xen"
device_model_override = "/usr/bin/qemu"
device_model_args_hvm = ["-d", "guest_errors"]
cpuid = "host,sse3=0,rdcl-no=1"
disk = ["/dev/vg/d,raw,xvda,rw", "vdev=hdc,devtype=cdrom,target=/iso/x.iso,format=raw,access=ro"]
vif = ["mac=00:16:3e:00:00:01,bridge=br0,model=e1000", "devid=5,rate=10MB/s"]
pci = ["0000:03:00.0,permissive=1", "04:00.1"]
channel = ["connection=socket,path=/run/x.sock,name=org.qemu.guest_agent.0"]
usbctrl = ["version=3,ports=8"]
usbdev = ["type=hostdev,hostbus=2,hostaddr=5"]
ioports = ["2f8-2ff"]
irqs = ["3"]
iomem = ["fed40,5@fed40"]
max_grant_frames = 64
max_event_channels = 4095
`;

describe('xl.cfg writer', () => {
  it('round-trips a config that uses most key families', () => {
    const out = roundTrip(RICH_HVM);
    expect(out).not.toContain('# txl:');
    expect(out).toContain('type = "hvm"');
    expect(out).toContain('vncpasswd = "se\\"cr\\\\et"');
    expect(out).toContain('viridian = [ "defaults", "all", "!base" ]');
    expect(out).toContain('rtc_timeoffset = "-3600"');
    expect(out).toContain('serial = [ "pty", "pty" ]');
    expect(out).toMatch(/\ndisk = \[\n    "[^\n]+",\n    "[^\n]+",\n\]\n/);
  });

  it('round-trips PV and PVH configs with their own keys', () => {
    roundTrip(PV + 'memory=256\nvcpus=2\ncmdline="root=/dev/xvda1 ro"\nramdisk="/boot/initrd"\nvfb=["vnc=1"]\nvkb=["backend-type=linux,width=800"]\npci=["03:00.0"]\nvtpm=["backend=vtpmmgr"]\np9=["tag=t,path=/p,security_model=none"]\nvsnd=[["CARD, short-name=A", "PCM, name=P"]]\non_reboot="destroy"\nhap=0\nbootloader_args=["-q"]');
    roundTrip(PVH + 'memory=512\npvshim=1\npvshim_extra="loglvl=all"\nvif=[""]\ndtdev=["/a"]\nvdispl=["connectors=c:800x600"]\npvcalls=["backend=0"]');
    roundTrip(PV + 'vcpus=2\nvnuma=[["pnode=1","size=256","vcpus=0","vdistances=10,20"],["size=256","vcpus=1","vdistances=20,10"]]');
    roundTrip(HVM + 'ms_vm_genid="generate"\nmca_caps=["lmce"]\naltp2mhvm=1\nstdvga=1');
  });

  it('leaves out what xl fills in by itself', () => {
    const out = modelToXlcfg(model(PV + 'memory=512\nvif=[""]\non_reboot="restart"'));
    expect(out).not.toMatch(/maxmem|on_reboot|on_soft_reset|claim_mode|run_hotplug|devid/);
    expect(out).toContain('vif = [ "" ]');
  });

  it('writes the actions a model leaves at the libxl default when xl defaults differ', () => {
    const m: DomainConfig = { c_info: { type: 'pv', name: 'd' }, b_info: { kernel: '/k' } };
    const out = modelToXlcfg(m);
    expect(out).toContain('on_reboot = "destroy"');
    expect(out).toContain('on_soft_reset = "destroy"');
  });

  it('lists what xl.cfg cannot say instead of dropping it silently', () => {
    const m: DomainConfig = {
      c_info: { type: 'hvm', name: 'd', ssidref: 7 },
      b_info: {
        target_memkb: 1000, avail_vcpus: [1], max_vcpus: 2, numa_placement: 'True', iommu_memkb: 4,
        sched_params: { budget: 5 }, 'type.hvm': { timeoffset: '10', ms_vm_genid: [1, ...new Array(15).fill(0)] },
      },
      vtpms: [{ devid: 3, backend_domname: 'x' }],
      rdms: [{ start: 1, size: 2 }],
      nics: [{ devid: 0, mac: 'not-a-mac' }],
    };
    const out = modelToXlcfg(m);
    expect(out.startsWith('# txl: these parts of the domain configuration have no xl.cfg form')).toBe(true);
    for (const s of ['c_info.ssidref 7', 'memory of 1000 KiB', 'online vCPUs 1', 'numa_placement "True"', 'iommu_memkb', 'scheduler budget 5', 'timeoffset', 'fixed ms_vm_genid', 'vtpm 0: devid 3', 'reserved device memory', 'vif 0:']) {
      expect(out).toContain(s);
    }
    expect(() => parseXlCfg(out, 'out.cfg')).not.toThrow();
    expect(out).toContain('memory = 0');
  });

  it('keeps a device whose minor fields xl.cfg cannot say, and notes them', () => {
    const m: DomainConfig = {
      c_info: { type: 'hvm', name: 'd' }, b_info: {},
      disks: [{ pdev_path: '/d', vdev: 'xvda', format: 'raw', readwrite: 1, removable: 1 }],
      vfbs: [{ vnc: { enable: 'True' } }], vkbs: [{}],
    };
    const out = modelToXlcfg(m);
    expect(out).toContain('disk 0: removable=1');
    expect(out).toContain('target=/d');
    expect(out).not.toMatch(/vfb 0|vkb 0/); // an unset devid is libxl's "pick one", as xl's position is
    // xl reads the disk without it; txl reads it back from the #@txl line xl skips
    expect(out).toMatch(/^#@txl \{"path":"\/disks\/0\/removable","value":1\}$/m);
    expect(model(out.replace(/^#@txl .*\n/gm, '')).disks).toEqual([{ pdev_path: '/d', vdev: 'xvda', format: 'raw', readwrite: 1 }]);
    expect(model(out).disks).toEqual(m.disks);
  });

  it('quotes strings so that xl reads them back', () => {
    const m = model(PV + 'cmdline="a\\tb \\"c\\" \\\\d"');
    expect(m.b_info.cmdline).toBe('a\tb "c" \\d');
    expect(model(modelToXlcfg(m)).b_info.cmdline).toBe(m.b_info.cmdline);
  });
});

// Random combinations of settings that each read on their own; whatever xl accepts must
// come back unchanged through the writer.
const HVM_LINES = [
  'memory=512', 'maxmem=1024', 'vcpus=2', 'maxvcpus=3', 'cpus="1-2"', 'cpus=["0","3"]', 'cpus_soft="5"', 'on_poweroff="restart"',
  'on_watchdog="preserve"', 'acpi=0', 'apic=0', 'pae=0', 'nx=1', 'hpet=1', 'viridian=1', 'viridian=["stimer","!synic"]',
  'tsc_mode="always_emulate"', 'timer_mode="delay_for_missed_ticks"', 'localtime=1', 'nomigrate=1', 'vnc=0', 'sdl=1',
  'vga="cirrus"', 'serial="pty"', 'boot="cd"', 'usb=1', 'bios="seabios"', 'firmware="/fw"', 'hdtype="ahci"', 'spice=1',
  'spicehost="h"', 'keymap="en-gb"', 'xen_platform_pci=0', 'videoram=16', 'shadow_memory=8', 'device_model_version="qemu-xen"',
  'disk=["/d,raw,hda,rw"]', 'vif=["bridge=b,ip=10.0.0.1"]', 'pci=["01:00.0,seize=1"]', 'cpuid="host,aes=0"',
  'max_grant_version=1', 'vpmu=1', 'dm_restrict=1', 'usbctrl=["type=devicemodel"]', 'channel=["connection=pty"]',
];

describe('xl.cfg writer, property', () => {
  it('round-trips random HVM configs', () => {
    fc.assert(fc.property(fc.subarray(HVM_LINES), (lines) => {
      const keys = new Set<string>();
      const text = HVM + lines.filter((l) => { const k = l.split('=')[0]!; return !keys.has(k) && (keys.add(k), true); }).join('\n');
      let m;
      try {
        m = model(text);
      } catch (e) {
        if (e instanceof ConfigError) return; // a combination xl refuses too (e.g. maxvcpus < vcpus)
        throw e;
      }
      expect(model(modelToXlcfg(m))).toEqual(m);
    }), { numRuns: 200 });
  });
});
