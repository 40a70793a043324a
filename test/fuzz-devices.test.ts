// Every device-spec reader under attack: random specs from each language's own alphabet,
// mutations of Xen's golden cases, and hostile sizes. A reader gives a device or throws a
// ConfigError pointing into the spec (the origin's file and line, a column inside the spec);
// never another exception, and never superlinear time.
import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, type Diagnostic } from '../src/core/errors.js';
import * as dev from '../parsers/devices/index.js';
import type { SpecOrigin } from '../parsers/devices/index.js';
import { CORPUS } from './support/txl.js';
import { applyMutations, mutations, params, runs, scalingRatio } from './support/mutate.js';

const HOST = { nr_cpus: 16, nodes: [[0, 1, 2, 3, 4, 5, 6, 7], [8, 9, 10, 11, 12, 13, 14, 15]] };

type Reader = (spec: string, origin: SpecOrigin, warnings: Diagnostic[], lenient: boolean) => unknown;
const READERS: Record<string, Reader> = {
  disk: (s, o, w, l) => dev.parseDisk(s, o, { warnings: w, lenient: l }),
  'disk (words)': (s, o, w) => dev.parseDisk(s.split(' '), o, { warnings: w }),
  vif: (s, o, w, l) => dev.parseVif(s, o, { bridge: 'xenbr0' }, { warnings: w, lenient: l }),
  'vif (words)': (s, o, w) => dev.parseVif(s.split(' '), o, {}, { warnings: w }),
  'vif rate': (s, o) => dev.parseVifRate(s, o),
  pci: (s, o, w, l) => dev.parsePci(s, o, {}, { warnings: w, lenient: l }),
  cpus: (s, o) => dev.parseCpuList(s, HOST, o),
  vfb: (s, o, w, l) => dev.parseVfb(s, o, { warnings: w, lenient: l }),
  vkb: (s, o, w, l) => dev.parseVkb(s, o, { warnings: w, lenient: l }),
  channel: (s, o, w, l) => dev.parseChannel(s, o, { warnings: w, lenient: l }),
  vtpm: (s, o, w, l) => dev.parseVtpm(s, o, { warnings: w, lenient: l }),
  p9: (s, o, w, l) => dev.parseP9(s, o, { warnings: w, lenient: l }),
  pvcalls: (s, o, w, l) => dev.parsePvcalls(s, o, { warnings: w, lenient: l }),
  usbctrl: (s, o, w, l) => dev.parseUsbctrl(s, o, { warnings: w, lenient: l }),
  usbdev: (s, o, w, l) => dev.parseUsbdev(s, o, { warnings: w, lenient: l }),
  vdispl: (s, o, w, l) => dev.parseVdispl(s, o, { warnings: w, lenient: l }),
  'vsnd (one card item)': (s, o, w, l) => dev.parseVsnd(s.split('|'), o, { warnings: w, lenient: l }),
};

/** Example specs per reader: the seeds that mutations start from. */
const SEEDS: Record<string, string[]> = {
  disk: ['format=raw, vdev=xvda, access=rw, target=/dev/vg/g', '/dev/vg/g,raw,xvda,w', 'phy:/dev/sda,hda,w', 'vdev=hdc, devtype=cdrom', 'vdev=xvdb,target=rbd:pool/img:id=x', 'backendtype=qdisk,discard,vdev=xvdc,target=/x.qcow2,format=qcow2'],
  vif: ['bridge=xenbr0,mac=00:16:3e:00:00:01', 'ip=10.0.0.1,model=e1000,type=ioemu', 'rate=10Mb/s@20ms,script=vif-bridge', 'vifname=v0,backend=dom0,mtu=9000,devid=3', 'trusted,untrusted,gatewaydev=eth0'],
  'vif rate': ['10Mb/s', '1GB/s@1s', '100KB/s@100ms', '4294967295B/s@1us'],
  pci: ['0000:03:00.0', '03:00.1@4,permissive=1,msitranslate=0', '0000:00:02.*,seize=1', 'name=gpu,rdm_policy=strict', 'bdf=01:00.0,power_mgmt=1'],
  cpus: ['all', '0-3,^2', 'nodes:0,^node:1', '8-15,^9-10', 'nodes:all'],
  vfb: ['vnc=1,vnclisten=0.0.0.0:1,vncpasswd=x', 'sdl=1,display=:0,xauthority=/x', 'vncdisplay=3,vncunused=0,keymap=en-us,backend=0'],
  vkb: ['backend-type=linux,unique-id=k0,feature-disable-keyboard=1', 'backend-type=linux,multi-touch-width=100,multi-touch-height=50,multi-touch-num-contacts=2'],
  channel: ['name=org.qemu.guest_agent.0,connection=pty', 'name=a,connection=socket,path=/run/a.sock,backend=0'],
  vtpm: ['backend=vtpmmgr,uuid=12345678-1234-1234-1234-123456789abc', 'backend=0'],
  p9: ['tag=share,path=/srv,security_model=none,backend=0', 'tag=t,path=/x,security_model=none'],
  pvcalls: ['backend=0', 'backend=d1'],
  usbctrl: ['type=pv,version=2,ports=4', 'type=qusb,version=3,ports=15'],
  usbdev: ['hostbus=1,hostaddr=2,controller=0,port=1', 'type=hostdev,hostbus=3,hostaddr=4'],
  vdispl: ['backend=0,be-alloc=1,connectors=id0:1920x1080;id1:800x600', 'connectors=c:640x480'],
  'vsnd (one card item)': ['CARD, short-name=Main, sample-rates=8000;44100|PCM, name=Main|STREAM, unique-id=0, type=p', 'CARD|PCM|STREAM, type=c, channels-min=1, channels-max=2'],
};
SEEDS['disk (words)'] = SEEDS.disk.map((s) => s.replace(/, /g, ' '));
SEEDS['vif (words)'] = SEEDS.vif.map((s) => s.replace(/,/g, ' '));

const SPEC_PIECES = [',', '=', ':', ';', '@', '/', '-', '^', '.', '*', ' ', '|', '\t', '0', '1', '4294967296', '18446744073709551616', '-1', '0x', 'ff',
  'vdev=', 'target=', 'format=', 'access=', 'devtype=', 'mac=', 'bridge=', 'rate=', 'ip=', 'all', 'node:', 'nodes:', 'xvda', 'hdz', 'sd',
  'name=', 'backend=', 'type=', 'ports=', 'version=', 'connectors=', 'Mb/s', 'GB/s', 'us', 'ms', '"', '\\', '\u0000', 'é', '\n'];

/** A synthetic config line holding the spec, so that every column can be checked. */
function originFor(spec: string): SpecOrigin {
  return { file: 'guest.cfg', line: 7, col: 12, excerpt: `disk = [ "${spec}" ]` };
}

function check(name: string, spec: string, lenient: boolean): 'ok' | 'error' {
  const origin = originFor(spec);
  const warnings: Diagnostic[] = [];
  let diags: Diagnostic[];
  let outcome: 'ok' | 'error';
  try {
    READERS[name](spec, origin, warnings, lenient);
    diags = warnings;
    outcome = 'ok';
  } catch (e) {
    if (!(e instanceof ConfigError)) throw new Error(`${name}: not a ConfigError for ${JSON.stringify(spec)}: ${(e as Error)?.stack ?? e}`);
    expect(e.diagnostics.some((d) => d.severity === 'error'), `${name} ${JSON.stringify(spec)}: an error`).toBe(true);
    diags = [...e.diagnostics, ...warnings];
    outcome = 'error';
  }
  for (const d of diags) {
    const where = `${name} ${JSON.stringify(spec)}: ${JSON.stringify(d)}`;
    if (d.file !== origin.file || d.line !== origin.line || !(typeof d.message === 'string' && d.message)) expect.fail(`${where}: wrong file/line or no message`);
    // a column inside the spec, or one past its end
    if (!Number.isInteger(d.col) || d.col < origin.col || d.col > origin.col + spec.length) expect.fail(`${where}: column outside ${origin.col}..${origin.col + spec.length}`);
  }
  return outcome;
}

describe('device-spec readers: any spec gives a device or a ConfigError inside the spec', () => {
  const names = Object.keys(READERS);
  const specChars = fc.string({ unit: fc.constantFrom(...'abcdefgimnoprstuvwxyz0123456789=,:;@/-^.* '.split('')), maxLength: 60 });

  it.each(names)('%s: random specs from the language\'s alphabet', (name) => {
    fc.assert(fc.property(specChars, fc.boolean(), (s, lenient) => void check(name, s, lenient)), params(`spec-random-${name}`, runs(150)));
  });

  it.each(names)('%s: mutations of good specs', (name) => {
    const seeds = SEEDS[name];
    let ok = 0;
    for (const s of seeds) expect(check(name, s, false), `seed ${JSON.stringify(s)} of ${name} must read`).toBe('ok');
    fc.assert(fc.property(fc.constantFrom(...seeds), mutations(SPEC_PIECES, 4), fc.boolean(), (s, ms, lenient) => {
      if (check(name, applyMutations(s, ms), lenient) === 'ok') ok++;
    }), params(`spec-mutations-${name}`, runs(150)));
    // the mutations must not all be rejected, or the readers' accepting paths go untested
    expect(ok).toBeGreaterThan(0);
  });

  it('vsnd: cards that are not lists of strings', () => {
    for (const bad of [null, 1, 'CARD', [1], [['x']], [{}], {}]) {
      try {
        dev.parseVsnd(bad, originFor('x'));
        expect.fail(`accepted ${JSON.stringify(bad)}`);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
      }
    }
  });
});

const CASES = join(CORPUS, 'xl-spec-cases.json');
describe.skipIf(!existsSync(CASES))('device-spec readers: mutations of Xen\'s golden cases', () => {
  const data = existsSync(CASES) ? JSON.parse(readFileSync(CASES, 'utf8')) : { disk: [], vif: [], vcpupin: { cases: [] } };
  const words = (k: 'disk' | 'vif') => (data[k] as { args: string[] }[]).map((c) => c.args.join(' ')).filter((s) => s.length);
  it.each([
    ['disk (words)', words('disk')],
    ['vif (words)', words('vif')],
    ['cpus', (data.vcpupin.cases as { spec: string }[]).map((c) => c.spec)],
  ])('%s', (name, seeds) => {
    fc.assert(fc.property(fc.constantFrom(...seeds), mutations(SPEC_PIECES, 4), (s, ms) => void check(name, applyMutations(s, ms), false)),
      params(`spec-golden-${name}`, runs(400)));
  });
});

describe('device-spec readers: hostile sizes stay linear', () => {
  // reader name -> its export and the arguments after the spec
  const CALL: Record<string, [string, unknown[]]> = {
    disk: ['parseDisk', [originFor('x'), { lenient: true }]],
    vif: ['parseVif', [originFor('x'), {}, { lenient: true }]],
    cpus: ['parseCpuList', [HOST, originFor('x')]],
    vdispl: ['parseVdispl', [originFor('x'), { lenient: true }]],
    pci: ['parsePci', [originFor('x'), {}, { lenient: true }]],
  };
  const shapes: [string, string, (n: number) => string][] = [
    ['disk', 'many keys', (n) => Array.from({ length: Math.ceil(n / 12) }, (_, i) => `vdev=xvd${String.fromCharCode(97 + (i % 26))}`).join(',') + ',target=/x'],
    ['vif', 'many keys', (n) => Array.from({ length: Math.ceil(n / 18) }, (_, i) => `bridge=br${i % 1000}`).join(',')],
    ['vif', 'many ip addresses', (n) => `ip=${Array.from({ length: Math.ceil(n / 9) }, (_, i) => `10.0.${i % 250}.1`).join(' ')}`],
    ['cpus', 'many items', (n) => Array.from({ length: Math.ceil(n / 6) }, (_, i) => `^${i % 16}`).join(',')],
    ['vdispl', 'many connectors', (n) => `connectors=${Array.from({ length: Math.ceil(n / 14) }, (_, i) => `c${i}:640x480`).join(';')}`],
  ];
  it.each(shapes)('%s, %s: 1 MB costs < 30x 100 KB', (name, what, make) => {
    const [fn, args] = CALL[name];
    const r = scalingRatio('parsers/devices/index.ts', fn, make(100_000), make(1_000_000), args);
    console.log(`[fuzz] ${name} ${what}: 100 KB ${r.small.toFixed(1)} ms, 1 MB ${r.big.toFixed(1)} ms, ratio ${r.ratio.toFixed(1)}`);
    expect(r.ratio).toBeLessThan(30);
  });
});
