// xl.cfg -> model, key family by key family, with xl 4.17's defaults, warnings and errors.
import { describe, expect, it } from 'vitest';
import { defaultXlConf } from '../parsers/xlcfg/xlconf.js';
import { CORPUS_HOST } from '../parsers/host.js';
import { HVM, PV, PVH, error, model, warnings } from './xlcfg-helpers.js';

const b = (text: string) => model(text).b_info;
const hvm = (text: string) => model(HVM + text).b_info['type.hvm']!;

describe('domain type and identity', () => {
  it('defaults to PV and sets xl.conf-derived fields', () => {
    const m = model(PV);
    expect(m.c_info).toEqual({ type: 'pv', name: 'd', run_hotplug_scripts: 'True' });
    expect(m.b_info['type.pv']).toEqual({});
    expect(m.b_info.claim_mode).toBe('True');
    expect(m.on_reboot).toBe('restart');
    expect(m.on_soft_reset).toBe('soft_reset');
    expect(m.on_poweroff).toBeUndefined();
  });

  it('reads type as xl does, abbreviations included', () => {
    expect(model(HVM).c_info.type).toBe('hvm');
    expect(model('name="d"\ntype="h"').c_info.type).toBe('hvm');
    expect(model(PV + 'type="p"').c_info.type).toBe('pv');
    expect(model(PVH).c_info.type).toBe('pvh');
    expect(model(PVH).b_info['type.pvh']).toEqual({});
    expect(model('name="d"\nbuilder="hvm"').c_info.type).toBe('hvm');
    expect(model(PV + 'builder="generic"').c_info.type).toBe('pv');
  });

  it('rejects bad and contradicting types', () => {
    expect(error('name="d"\ntype="xen"')).toMatchObject({ line: 2, col: 6, message: 'invalid domain type "xen"' });
    expect(error('name="d"\nbuilder="linux"').message).toBe('invalid builder "linux"');
    expect(error('name="d"\ntype="pv"\nbuilder="hvm"').message).toBe('contradicting "builder" and "type" options specified');
  });

  it('requires a name and a well-formed uuid', () => {
    expect(error('kernel="/k"\n')).toMatchObject({ line: 1, col: 1, message: 'domain name must be specified', hint: 'add name = "NAME"' });
    expect(error(PV + 'uuid = "1234"').message).toBe('failed to parse UUID: 1234');
    expect(model(PV + 'uuid = "C7A5FDB2-CDAF-9455-926A-D65C16DB1809"').c_info.uuid).toBe('c7a5fdb2-cdaf-9455-926a-d65c16db1809');
  });

  it('reads labels, pool, hap, oos, driver_domain, passthrough', () => {
    const c = model(PV + 'seclabel="s"\npool="p"\nhap=0\noos=1\ndriver_domain=1\npassthrough="share_pt"\nxend_suspend_evtchn_compat=1').c_info;
    expect(c).toMatchObject({ ssid_label: 's', pool_name: 'p', hap: 'False', oos: 'True', driver_domain: 'True', passthrough: 'share_pt', xend_suspend_evtchn_compat: 'True' });
    const both = model(PV + 'init_seclabel="i"\nseclabel="e"');
    expect(both.c_info.ssid_label).toBe('i');
    expect(both.b_info.exec_ssid_label).toBe('e');
    expect(error(PV + 'passthrough="on"')).toMatchObject({ message: 'unknown passthrough option "on"' });
  });

  it('takes run_hotplug_scripts, claim_mode, blkdev_start and grant limits from xl.conf', () => {
    const xlconf = { ...defaultXlConf(), runHotplugScripts: false, claimMode: false, blkdevStart: 'xvdb', maxGrantFrames: 64, maxMaptrackFrames: 1024 };
    const m = model(PV, { xlconf });
    expect(m.c_info.run_hotplug_scripts).toBe('False');
    expect(m.b_info).toMatchObject({ claim_mode: 'False', blkdev_start: 'xvdb', max_grant_frames: 64, max_maptrack_frames: 1024 });
    expect(model(PV + 'max_grant_frames=32', { xlconf }).b_info.max_grant_frames).toBe(32);
    expect(b(PV).max_grant_frames).toBeUndefined();
    expect(error(PV + 'max_grant_frames="-1"').message).toMatch(/smaller than the minimum 0/);
  });
});

describe('memory and vCPUs', () => {
  it('converts MiB to KiB and defaults maxmem to memory', () => {
    expect(b(PV + 'memory=512')).toMatchObject({ target_memkb: 524288, max_memkb: 524288 });
    expect(b(PV + 'memory=512\nmaxmem=1024')).toMatchObject({ target_memkb: 524288, max_memkb: 1048576 });
    expect(b(PV).target_memkb).toBeUndefined();
  });

  it('rejects negative, non-numeric and oversized memory', () => {
    expect(error(PV + 'memory="-1"').message).toBe('`memory` must not be negative');
    expect(error(PV + 'memory="512M"').hint).toBe('xl takes a plain number here, with no unit');
    expect(error(PV + 'maxmem=99999999999999999').message).toBe('`maxmem` is too large');
  });

  it('derives avail_vcpus and max_vcpus', () => {
    expect(b(PV + 'vcpus=3')).toMatchObject({ max_vcpus: 3, avail_vcpus: [0, 1, 2] });
    expect(b(PV + 'vcpus=2\nmaxvcpus=4')).toMatchObject({ max_vcpus: 4, avail_vcpus: [0, 1] });
    expect(b(PV + 'maxvcpus=4').avail_vcpus).toBeUndefined();
    expect(error(PV + 'vcpus=4\nmaxvcpus=2')).toMatchObject({ line: 4, message: 'maxvcpus (2) is less than vcpus (4)' });
    expect(error(PV + 'vcpus=100000').message).toBe('`vcpus` must be from 0 to 16384');
  });

  it('reads scheduler parameters', () => {
    expect(b(PV + 'cpu_weight=512\ncap=50\nperiod=10\nslice=5\nlatency=1\nextratime=1').sched_params)
      .toEqual({ weight: 512, cap: 50, period: 10, slice: 5, latency: 1, extratime: 1 });
  });
});

describe('vCPU affinity', () => {
  it('copies a cpus string to every vCPU, leaving NUMA placement on', () => {
    const x = b(PV + 'vcpus=2\ncpus="2-3"');
    expect(x.vcpu_hard_affinity).toEqual([[2, 3], [2, 3]]);
    expect(x.numa_placement).toBeUndefined();
  });

  it('reads a cpus list per vCPU, drops extra entries and turns placement off', () => {
    const x = b(PV + 'vcpus=2\ncpus=["1", "nodes:1", "4"]');
    expect(x.vcpu_hard_affinity).toEqual([[1], [2, 3]]);
    expect(x.numa_placement).toBe('False');
  });

  it('turns placement off for soft affinity', () => {
    const x = b(PV + 'vcpus=1\ncpus_soft="all"');
    expect(x.vcpu_soft_affinity).toEqual([[0, 1, 2, 3, 4, 5, 6, 7]]);
    expect(x.numa_placement).toBe('False');
  });

  it('applies xl.conf cpumasks and refuses an empty result', () => {
    const xlconf = { ...defaultXlConf(), vmCpumask: '0-3', vmPvCpumask: '2-7' };
    expect(model(PV + 'vcpus=2', { xlconf }).b_info.vcpu_hard_affinity).toEqual([[2, 3], [2, 3]]);
    expect(model(HVM + 'vcpus=1', { xlconf }).b_info.vcpu_hard_affinity).toEqual([[0, 1, 2, 3]]);
    expect(error(PV + 'vcpus=1\ncpus="0-1"', { xlconf }).message).toBe('vcpu 0: hard affinity map is empty');
  });

  it('reports bad cpu lists inside the list', () => {
    expect(b(PV + 'vcpus=1\ncpus=["0", "x"]').vcpu_hard_affinity).toEqual([[0]]); // entries past maxvcpus are not read
    const d = error(PV + 'vcpus=2\ncpus=["0", "x"]');
    expect(d.line).toBe(4);
    expect(d.col).toBeGreaterThan(12);
  });
});

describe('vnuma', () => {
  const node = (p: number, cpus: string, d: string) => `[ "pnode=${p}", "size=512", "vcpus=${cpus}", "vdistances=${d}" ]`;
  const two = `vnuma = [ ${node(0, '0', '10,20')}, ${node(1, '1', '20,10')} ]\n`;

  it('builds nodes and sets max_vcpus, max_memkb and placement', () => {
    const x = b(HVM + two);
    expect(x.vnuma_nodes).toEqual([{ memkb: 524288, distances: [10, 20], vcpus: [0] }, { memkb: 524288, distances: [20, 10], pnode: 1, vcpus: [1] }]);
    expect(x).toMatchObject({ max_vcpus: 2, max_memkb: 1048576, numa_placement: 'False' });
  });

  it('checks pnode, maxvcpus, maxmem and the host CPUs', () => {
    expect(error(HVM + `vnuma = [ ${node(6, '0', '10')} ]`).message).toBe('invalid pnode number: 6');
    expect(error(HVM + 'maxvcpus=3\n' + two).message).toBe('vnuma gives 2 vcpus but maxvcpus is 3');
    expect(error(HVM + 'maxmem=2048\n' + two).message).toBe('maxmem (2048 MiB) and the vnuma memory size (1024 MiB) differ');
    expect(error(HVM + `vnuma = [ ${node(0, '0-8', '10')} ]`).message).toBe('vnuma specifies more vcpus (9) than the host has pcpus (8)');
    expect(error(HVM + 'vnuma = [ "pnode=0" ]').message).toBe('each vnuma node must be a list of "option=value" strings');
    expect(error(HVM + 'vnuma = [ [ "pnode" ] ]').message).toBe('failed to split "pnode" into option=value');
  });

  it('warns about unknown node options', () => {
    expect(warnings(HVM + 'vnuma = [ [ "size=512", "vcpus=0", "colour=red" ] ]').map((w) => w.message)).toContain('unknown vnuma option "colour" (xl ignores it)');
  });
});

describe('shutdown actions', () => {
  it('maps xl names to libxl names', () => {
    const m = model(PV + 'on_poweroff="preserve"\non_reboot="rename-restart"\non_crash="coredump-restart"\non_watchdog="restart"\non_soft_reset="destroy"');
    expect(m).toMatchObject({ on_poweroff: 'preserve', on_reboot: 'restart_rename', on_crash: 'coredump_restart', on_watchdog: 'restart' });
    expect(m.on_soft_reset).toBeUndefined();
  });

  it('rejects unknown actions with the list of names', () => {
    const d = error(PV + 'on_crash="reboot"');
    expect(d).toMatchObject({ line: 3, col: 10, message: 'unknown on_crash action "reboot" specified' });
    expect(d.hint).toMatch(/"rename-restart"/);
  });
});

describe('timekeeping and misc b_info', () => {
  it('reads tsc_mode by name and, with a warning, by number', () => {
    expect(b(PV + 'tsc_mode="native"').tsc_mode).toBe('native');
    expect(b(PV + 'tsc_mode=1').tsc_mode).toBe('always_emulate');
    expect(warnings(PV + 'tsc_mode=1').some((w) => /deprecated/.test(w.message))).toBe(true);
    expect(error(PV + 'tsc_mode="fast"').message).toBe('invalid value "fast" for "tsc_mode"');
    expect(error(PV + 'tsc_mode=7').message).toBe('invalid value 7 for "tsc_mode"');
  });

  it('wraps rtc_timeoffset like a uint32 and reads the other plain keys', () => {
    const x = b(PV + 'rtc_timeoffset="-3600"\nlocaltime=1\nnomigrate=1\nvideoram=8\nshadow_memory=4\nmax_event_channels=2048\nvpmu=1\ndm_restrict=1');
    expect(x).toMatchObject({ rtc_timeoffset: 2 ** 32 - 3600, localtime: 'True', disable_migrate: 'True', video_memkb: 8192, shadow_memkb: 4096, event_channels: 2048, vpmu: 'True', dm_restrict: 'True' });
  });

  it('reads altp2m and vmtrace_buf_kb', () => {
    expect(b(HVM + 'altp2m="external"').altp2m).toBe('external');
    expect(b(HVM + 'altp2m=1').altp2m).toBe('mixed');
    expect(error(HVM + 'altp2m=9').message).toBe('invalid value 9 for "altp2m"');
    expect(error(HVM + 'altp2m="on"').message).toBe('invalid value "on" for "altp2m"');
    expect(b(HVM + 'vmtrace_buf_kb=64').vmtrace_buf_kb).toBe(64);
  });

  it('reads the arch keys', () => {
    expect(b(PV + 'gic_version="v3"\nvuart="sbsa_uart"\ntee="optee"')).toMatchObject({ arch_arm: { gic_version: 'v3', vuart: 'sbsa_uart' }, tee: 'optee' });
    expect(error(PV + 'gic_version="v4"').message).toBe('unknown gic_version "v4" specified');
    expect(error(PV + 'vuart="pl011"').message).toBe('invalid value "pl011" for "vuart"');
    expect(b(PV + 'msr_relaxed=1').arch_x86).toEqual({ msr_relaxed: 'True' });
    expect(warnings(PV + 'msr_relaxed=1').map((w) => w.message)).toContain('msr_relaxed will be removed in future versions');
  });
});

describe('boot', () => {
  it('builds cmdline from root and extra, cmdline winning with a warning', () => {
    expect(b(PV + 'root="/dev/xvda1"\nextra="quiet"').cmdline).toBe('root=/dev/xvda1 quiet');
    expect(b(PV + 'root="/dev/xvda1"').cmdline).toBe('root=/dev/xvda1');
    expect(b(PV + 'cmdline="a"\nextra="b"').cmdline).toBe('a');
    // one warning for the ignored line (the key catalogue's, which names the key)
    const w = warnings(PV + 'cmdline="a"\nextra="b"').filter((d) => d.line === 4);
    expect(w).toHaveLength(1);
    expect(w[0]!.message).toMatch(/ignored because `cmdline` is set/);
    expect(warnings(PV + 'cmdline="a"\nextra="b"').map((d) => d.line)).toEqual([4]);
  });

  it('reads bootloader arguments as a list or, deprecated, a string', () => {
    const base = 'name="d"\nbootloader="pygrub"\n';
    expect(b(base + 'bootloader_args=["-q", "--x"]').bootloader_args).toEqual(['-q', '--x']);
    expect(b(base + 'bootloader_args="-q  --x"').bootloader_args).toEqual(['-q', '--x']);
    expect(warnings(base + 'bootloader_args="-q"').some((w) => /deprecated/.test(w.message))).toBe(true);
  });

  it('needs a kernel or bootloader for PV and PVH guests', () => {
    expect(error('name="d"\n')).toMatchObject({ line: 1, col: 1, message: 'neither kernel nor bootloader specified' });
    expect(error('name="d"\ntype="pvh"').hint).toMatch(/PVH guest/);
  });

  it('turns firmware=pvgrubNN into a kernel path for PV', () => {
    expect(b('name="d"\nfirmware="pvgrub64"').kernel).toBe('/usr/lib/xen-4.17/boot/pvgrub64.bin');
    expect(model('name="d"\nfirmware="pvgrub32"', { host: { ...CORPUS_HOST, firmware_dir: undefined } }).b_info.kernel).toBe('/usr/lib/xen/boot/pvgrub32.bin');
    expect(error(PV + 'firmware="pvgrub64"').message).toBe('both kernel and firmware specified');
    expect(error('name="d"\nfirmware="ovmf"').message).toBe('only pvgrub32 or pvgrub64 can be the firmware of a PV guest');
  });

  it('refuses timer_mode for PV and reads it for HVM', () => {
    expect(error(PV + 'timer_mode="no_missed_ticks_pending"').message).toBe('"timer_mode" option is not supported for PV guests');
    expect(b(HVM + 'timer_mode="no_missed_ticks_pending"').timer_mode).toBe('no_missed_ticks_pending');
    expect(b(HVM + 'timer_mode=1').timer_mode).toBe('no_delay_for_missed_ticks');
    expect(error(HVM + 'timer_mode=4').message).toBe('invalid value 4 for "timer_mode"');
    expect(error(HVM + 'timer_mode="slow"').message).toBe('invalid value "slow" for "timer_mode"');
  });
});

describe('HVM platform', () => {
  it('reads bios and the firmware shorthand', () => {
    expect(hvm('bios="ovmf"').bios).toBe('ovmf');
    expect(error(HVM + 'bios="uefi"').message).toBe('invalid value "uefi" for "bios"');
    expect(hvm('firmware="uefi"').bios).toBe('ovmf');
    expect(hvm('firmware="seabios"').bios).toBe('seabios');
    expect(hvm('firmware="bios"')).toEqual({});
    expect(hvm('firmware="/opt/fw.bin"').firmware).toBe('/opt/fw.bin');
    expect(hvm('firmware_override="/x"\nbios_path_override="/y"\nbios="seabios"')).toMatchObject({ firmware: '/x', system_firmware: '/y' });
    expect(warnings(HVM + 'bios_path_override="/y"').map((w) => w.message)).toContain('bios_path_override given without specific bios name');
  });

  it('drops kernel=hvmloader', () => {
    expect(b(HVM + 'kernel="/usr/lib/xen/boot/hvmloader"').kernel).toBeUndefined();
    expect(b(HVM + 'kernel="/boot/vmlinuz"').kernel).toBe('/boot/vmlinuz');
  });

  it('reads the platform defbools, with apic and acpi at the top of b_info', () => {
    const m = model(HVM + 'pae=1\nacpi=1\napic=0\nacpi_s3=0\nacpi_s4=0\nacpi_laptop_slate=1\nnx=1\nhpet=0\nvpt_align=1\nnestedhvm=1\nhap=0');
    expect(m.b_info['type.hvm']).toMatchObject({ pae: 'True', acpi_s3: 'False', acpi_s4: 'False', acpi_laptop_slate: 'True', nx: 'True', hpet: 'False', vpt_align: 'True' });
    expect(m.b_info).toMatchObject({ acpi: 'True', apic: 'False', nested_hvm: 'True' });
  });

  it('reads viridian as a boolean or a list of enlightenments', () => {
    expect(hvm('viridian=1').viridian).toBe('True');
    expect(hvm('viridian=["defaults", "!hcall_ipi", "stimer"]')).toMatchObject({ viridian: 'True', viridian_enable: [8], viridian_disable: [9] });
    const all = hvm('viridian=["all", "!base"]');
    expect(all.viridian_enable).toHaveLength(63);
    expect(all.viridian_disable).toEqual([0]);
    expect(error(HVM + 'viridian=["turbo"]').message).toBe('unknown viridian enlightenment "turbo"');
  });

  it('checks the mmio hole size', () => {
    expect(hvm('mmio_hole=1024').mmio_hole_memkb).toBe(1048576);
    expect(error(HVM + 'mmio_hole=128').message).toBe('invalid value 128 for "mmio_hole"');
    expect(error(HVM + 'mmio_hole=4096').hint).toBe('the MMIO hole is from 256 to 3840 MiB');
  });

  it('reads the remaining HVM keys', () => {
    const h = hvm('altp2mhvm=1\nsmbios_firmware="/s"\nacpi_firmware="/a"\nrdm_mem_boundary=2048\nmca_caps=["lmce"]');
    expect(h).toMatchObject({ altp2m: 'True', smbios_firmware: '/s', acpi_firmware: '/a', rdm_mem_boundary_memkb: 2097152, mca_caps: 1 });
    expect(warnings(HVM + 'altp2mhvm=1').some((w) => /altp2m/.test(w.message))).toBe(true);
    expect(error(HVM + 'mca_caps=["cmci"]').message).toBe('unrecognized MCA capability "cmci"');
  });

  it('keeps ms_vm_genid=generate for creation time', () => {
    const m = model(HVM + 'ms_vm_genid="generate"');
    expect(m.side?.xl).toEqual({ ms_vm_genid: 'generate' });
    expect(m.b_info['type.hvm']!.ms_vm_genid).toBeUndefined();
    expect(model(HVM + 'ms_vm_genid="none"').side).toBeUndefined();
    expect(error(HVM + 'ms_vm_genid="abc"').message).toBe('"ms_vm_genid" option must be "generate" or "none"');
  });
});

describe('overrides and positions', () => {
  it('applies key=value overrides after the file', () => {
    expect(model(PV + 'memory=512', { overrides: ['memory=1024'] }).b_info.target_memkb).toBe(1048576);
  });

  it('points errors in overrides at the command line', () => {
    expect(error(PV, { overrides: ['on_crash="x"'] })).toMatchObject({ file: '<command line>', line: 1, col: 10 });
  });

  it('points a list error at its bracket', () => {
    expect(error(HVM + 'vnuma = [ [ "size=512", "vcpus=0-9" ] ]')).toMatchObject({ line: 3, col: 9, length: 1 });
  });
});

describe('the remaining error messages', () => {
  it.each<[string, string]>([
    ['`maxvcpus` must be from 0 to 16384', PV + 'maxvcpus=20000'],
    ['`vnuma` takes a list of nodes, each a list of "option=value" strings', HVM + 'vnuma = "pnode=0"'],
    ['invalid vcpu range "3-1" in vnuma node', HVM + 'vnuma = [ [ "size=512", "vcpus=3-1" ] ]'],
    ['2 distances given for 1 vnuma nodes', HVM + 'vnuma = [ [ "size=512", "vcpus=0", "vdistances=10,20" ] ]'],
    ['vnuma node size 99999999999999999 is too large', HVM + 'vnuma = [ [ "size=99999999999999999", "vcpus=0" ] ]'],
    ['failed to convert "big" to a number', HVM + 'vnuma = [ [ "size=big", "vcpus=0" ] ]'],
    ['empty rdm option', HVM + 'rdm = ""'],
    ['rdm option "strategy" has no value', HVM + 'rdm = "strategy"'],
    ['unknown tee "sgx" specified', PV + 'tee = "sgx"'],
    ['`vmtrace_buf_kb` must be a number', HVM + 'vmtrace_buf_kb = "lots"'],
    ['iomem value ffffffffffffffffff is too large', PV + 'iomem = [ "ffffffffffffffffff,1" ]'],
    ['irq 4294967295 too big', PV + 'irqs = [ "4294967295" ]'],
    ['each item of `dtdev` must be a string, not a list', PV + 'dtdev = [ [ "/a" ] ]'],
    ['a vsnd card item must be a string, not a list', PV + "vsnd = [ [ 'CARD', [ 'PCM' ] ] ]"],
    ['`shadow_memory` must not be negative', PV + 'shadow_memory = "-4"'],
    ['`stubdomain_memory` must not be negative', HVM + 'stubdomain_memory = "-1"'],
  ])('%s', (message, text) => {
    const d = error(text);
    expect(d.message).toBe(message);
    expect(d.hint).toBeTruthy();
    expect(d.line).toBeGreaterThan(2);
  });
});
