// Issue 18's property: configs generated from xl's key catalogue (parsers/xlcfg/keys.ts),
// with values taken from the corpus where it uses the key and from a small table otherwise,
// survive all five format round trips with the same `txl create -N` output and text.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.js';
import type { DomainConfig } from '../src/core/model.js';
import { KNOWN_KEYS, type GuestType } from '../parsers/xlcfg/keys.js';
import { parseXlCfg } from '../parsers/xlcfg/syntax.js';
import { read, roundTrip, TRIPS, write, type Fmt } from './support/roundtrip.js';
import { schemaAvailable, schemaMissing, validateAll } from './support/libvirt-schema.js';

const CORPUS = join(__dirname, '../../shared/corpus');

/** Values for keys the corpus never sets (or sets in one form only). */
const EXTRA: Record<string, string[]> = {
  shadow_memory: ['8'], videoram: ['16', '32'], altp2m: ['"mixed"', '"external"'], device_model_version: ['"qemu-xen"', '"qemu-xen-traditional"'],
  nomigrate: ['1'], viridian: ['1', '["base", "freq"]'], bios: ['"seabios"', '"rombios"', '"ovmf"'], nx: ['0'], acpi_s3: ['0', '1'], acpi_s4: ['0'],
  xen_platform_pci: ['0'], oos: ['0'], driver_domain: ['1'], e820_host: ['1'], gfx_passthru: ['1', '"igd"'], usb: ['1'], usbdevice: ['"tablet"', '["mouse", "tablet"]'],
  usbctrl: ['["version=2,ports=4"]'], usbdev: ['["hostbus=1,hostaddr=2"]'], sdl: ['1'], opengl: ['1'], vnc: ['1'], vnclisten: ['"0.0.0.0"'], vncdisplay: ['3'],
  vncunused: ['0'], vga: ['"stdvga"', '"none"', '"cirrus"'], stdvga: ['1'], acpi: ['0', '1'], apic: ['0'], pae: ['0'], hpet: ['0'], hap: ['0'], boot: ['"dc"', '"n"'],
  on_soft_reset: ['"destroy"'], on_watchdog: ['"restart"'], cmdline: ['"root=/dev/xvda1 console=hvc0  "'], extra: ['"quiet "'], max_grant_frames: ['32'],
  vif: ['["bridge=br0,ip=10.0.0.1 "]', '["mac=00:16:3e:00:00:01,model=e1000"]'], memory: ['256'], maxmem: ['512'], vcpus: ['2'], maxvcpus: ['4'],
  tsc_mode: ['"native"'], localtime: ['1'], rtc_timeoffset: ['60'], nestedhvm: ['1'], serial: ['"pty"'], soundhw: ['"hda"'], keymap: ['"de"'], spice: ['1'],
  vpmu: ['1'], timer_mode: ['"no_delay_for_missed_ticks"'], cpu_weight: ['512'], cap: ['50'], pool: ['"Pool-0"'], seclabel: ['"system_u:system_r:domU_t"'],
  device_model_override: ['"/usr/bin/qemu-system-i386"'], claim_mode: ['0'], max_event_channels: ['2047'], vkb: ['["backend-type=linux"]'],
  vtpm: ['["backend=vtpmmgr,uuid=12345678-1234-1234-1234-123456789abc"]'], p9: ['["tag=share,path=/srv,security_model=none,backend=0"]'],
  init_seclabel: ['"system_u:system_r:domU_build_t"'], cpus: ['"0-3"', '["2", "3"]'], cpus_soft: ['"4-7"'], period: ['10000'], slice: ['5000'], latency: ['100'],
  extratime: ['1'], max_maptrack_frames: ['256'], max_grant_version: ['1'], firmware: ['"uefi"', '"seabios"'], bootloader_args: ['["-q"]', '"--entry=1"'],
  device_tree: ['"/boot/guest.dtb"'], pvshim: ['1'], pvshim_path: ['"/usr/lib/xen/boot/xen-shim"'], pvshim_cmdline: ['"pv-shim console=xen,pv"'],
  pvshim_extra: ['"loglvl=all"'], xend_suspend_evtchn_compat: ['1'], vif2: ['["bridge=br1"]'], pvcalls: ['["backend=0"]'], vfb: ['["vnc=1,vnclisten=127.0.0.1"]'],
  vdispl: ['["backend=0,be-alloc=1,connectors=c0:1024x768"]'], vsnd: ['[["card, short-name=Main"]]'], pci_permissive: ['1'], pci_msitranslate: ['0'],
  pci_seize: ['1'], pci_power_mgmt: ['1'], rdm: ['"strategy=host,policy=relaxed"'], rdm_mem_boundary: ['2048'], dtdev: ['["/soc/dma@0"]'],
  ioports: ['["2f8-2ff"]'], irqs: ['[3, 4]'], vncviewer: ['0'], display: ['":0"'], xauthority: ['"/root/.Xauthority"'], dm_restrict: ['1'],
  device_model: ['"/usr/bin/qemu-dm"'], device_model_stubdomain_override: ['1'], device_model_stubdomain_seclabel: ['"system_u:system_r:dm_dom_t"'],
  device_model_user: ['"xen-qemuuser"'], device_model_args_pv: ['["-d"]'], device_model_args_hvm: ['["-no-shutdown"]'], stubdomain_kernel: ['"/boot/stub"'],
  stubdomain_cmdline: ['"x"'], stubdomain_ramdisk: ['"/boot/stub.img"'], stubdomain_memory: ['64'], firmware_override: ['"/usr/lib/xen/boot/hvmloader"'],
  bios_path_override: ['"/usr/share/ovmf/OVMF.fd"'], acpi_laptop_slate: ['1'], smbios_firmware: ['"/etc/smbios.bin"'], vpt_align: ['1'], mmio_hole: ['1024'],
  altp2mhvm: ['1'], ms_vm_genid: ['"generate"'], mca_caps: ['"lmce"'], nographic: ['1'], hdtype: ['"ahci"'], usbversion: ['2'], vkb_device: ['0'],
  vendor_device: ['"xenserver"'], spiceusbredirection: ['2'], spice_image_compression: ['"auto_glz"'], spice_streaming_video: ['"filter"'],
  vmtrace_buf_kb: ['64'], msr_relaxed: ['1'],
};

/** Each key's values as written in configs: the corpus's first, then the table's. */
function valuePool(): Map<string, string[]> {
  const pool = new Map<string, Set<string>>();
  const add = (k: string, v: string) => (pool.get(k) ?? pool.set(k, new Set()).get(k)!).add(v);
  const files: string[] = [];
  if (existsSync(CORPUS)) {
    for (const d of ['libvirt-xl', 'xen-examples']) for (const f of readdirSync(join(CORPUS, d))) if (f !== 'xl.conf' && f !== 'cpupool' && !f.endsWith('.xml')) files.push(join(CORPUS, d, f));
  }
  for (const f of files) {
    try {
      const cfg = parseXlCfg(readFileSync(f, 'utf8'), f);
      for (const [k, s] of cfg.settings) if (s.op === '=') add(k, cfg.text.slice(s.value.pos.offset, s.value.end.offset));
    } catch {
      /* a corpus config xl rejects still gave its other keys */
    }
  }
  for (const [k, vs] of Object.entries(EXTRA)) for (const v of vs) add(k, v);
  return new Map([...pool].filter(([k]) => KNOWN_KEYS.has(k) && !['name', 'type', 'builder', 'uuid'].includes(k)).map(([k, s]) => [k, [...s]]));
}

const pool = valuePool();
const BASE: Record<GuestType, string> = {
  pv: 'name = "p"\nkernel = "/boot/vmlinuz"\nmemory = 512\n',
  pvh: 'name = "p"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 512\n',
  hvm: 'name = "p"\ntype = "hvm"\nmemory = 512\n',
};
const keysFor = (t: GuestType) => [...pool.keys()].filter((k) => KNOWN_KEYS.get(k)!.applies.includes(t) && KNOWN_KEYS.get(k)!.arch !== 'arm').sort();

const used = new Set<string>();
let accepted = 0;
let tried = 0;
const xmls: { name: string; xml: string }[] = [];

/** text: a generated config, m: what read.xl made of it (read once, by the caller's filter). */
function checkAllTrips(text: string, m: DomainConfig) {
  accepted++;
  const start: Record<Fmt, string> = { xl: text, xml: write.xml(m), json: write.json(m) };
  xmls.push({ name: text, xml: start.xml });
  for (const [from, via] of TRIPS) {
    const r = roundTrip(start[from], `gen.${from}`, from, via);
    expect(r.after, `${from}->${via}->${from} of\n${text}`).toBe(r.before);
    // the source model again only where the json trip's side check needs it
    const m0 = via === 'json' ? read[from](start[from], 'gen') : undefined;
    if (m0?.side) {
      // libxl JSON has no place for what only xl.cfg or domain XML says (side); the rest is exact
      const { side: _a, ...again } = read[from](r.again, 'again');
      const { side: _b, ...orig } = m0;
      expect(again).toEqual(orig);
    } else expect(r.again, `${from}->${via}->${from} text of\n${text}`).toBe(r.direct);
  }
}

describe('format round trips of configs made from the key catalogue', () => {
  it('the catalogue gives values for most keys', () => {
    expect(pool.size).toBeGreaterThan(80);
  });

  for (const t of ['pv', 'pvh', 'hvm'] as const) {
    it(`${t}: random key sets survive every round trip`, () => {
      const keys = keysFor(t);
      fc.assert(
        fc.property(fc.subarray(keys, { minLength: 1, maxLength: 8 }), fc.infiniteStream(fc.nat()), (pick, rnd) => {
          const it = rnd[Symbol.iterator]();
          const lines = pick.map((k) => {
            const vs = pool.get(k)!;
            return `${k} = ${vs[it.next().value % vs.length]}`;
          });
          const text = BASE[t] + lines.join('\n') + '\n';
          tried++;
          let m: DomainConfig;
          try {
            m = read.xl(text, 'gen.cfg');
          } catch (e) {
            if (e instanceof ConfigError) return; // a combination xl refuses
            throw e;
          }
          pick.forEach((k) => used.add(k));
          checkAllTrips(text, m);
        }),
        { numRuns: 150, seed: 18 },
      );
    });
  }

  it('each key alone, with each of its values, survives every round trip', () => {
    for (const t of ['pv', 'pvh', 'hvm'] as const) {
      for (const k of keysFor(t)) {
        for (const v of pool.get(k)!) {
          const text = `${BASE[t]}${k} = ${v}\n`;
          tried++;
          let m: DomainConfig;
          try {
            m = read.xl(text, 'gen.cfg');
          } catch (e) {
            if (e instanceof ConfigError) continue;
            throw e;
          }
          used.add(k);
          checkAllTrips(text, m);
        }
      }
    }
  });

  it.skipIf(!schemaAvailable)(`the domain XML written for each is valid by libvirt's schema${schemaAvailable ? '' : ` (skipped: ${schemaMissing})`}`, () => {
    const { failed } = validateAll(xmls);
    console.log(`libvirt schema: ${xmls.length - failed.length}/${xmls.length} generated domain XMLs valid`);
    expect(failed.slice(0, 5).map((f) => `${f.name}: ${f.errors.join('; ')}`)).toEqual([]);
  });

  afterAll(() => {
    const missing = [...KNOWN_KEYS.keys()].filter((k) => !used.has(k));
    console.log(`key catalogue: ${accepted}/${tried} generated configs accepted and survived all five round trips; ${used.size}/${KNOWN_KEYS.size} keys exercised (not: ${missing.join(' ')})`);
  });
});
