// vfb, vkb, channel, vtpm, p9, pvcalls, usbctrl, usbdev, vdispl and vsnd specs.
import { describe, expect, it } from 'vitest';
import { ConfigError, type Diagnostic } from '../src/core/errors.js';
import {
  formatChannel, formatP9, formatPvcalls, formatUsbctrl, formatUsbdev, formatVdispl, formatVfb, formatVkb, formatVsnd, formatVtpm,
  parseChannel, parseP9, parsePvcalls, parseUsbctrl, parseUsbdev, parseVdispl, parseVfb, parseVkb, parseVsnd, parseVtpm,
} from '../parsers/devices/index.js';

function diagOf(f: () => unknown): Diagnostic {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e.diagnostics[0]!;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

type Reader = (s: string) => unknown;
type Writer = (v: never) => string;
function roundTrips(read: Reader, write: Writer, specs: string[]) {
  it.each(specs)('round-trips %s', (spec) => {
    const v = read(spec);
    expect(read(write(v as never))).toStrictEqual(v);
  });
}

describe('vfb', () => {
  it('reads vnc and sdl settings; numbers the way atoi does', () => {
    expect(parseVfb('vnc=1,vnclisten=0.0.0.0,vncpasswd=pw,vncdisplay=5,vncunused=0,keymap=de,sdl=yes,opengl=2,display=:0,xauthority=/x'))
      .toStrictEqual({
        vnc: { enable: 'True', listen: '0.0.0.0', passwd: 'pw', display: 5, findunused: 'False' },
        sdl: { enable: 'False', opengl: 'True', display: ':0', xauthority: '/x' },
        keymap: 'de',
      });
  });
  it('warns about unknown keys and about the piece where xl stops reading', () => {
    const warnings: Diagnostic[] = [];
    expect(parseVfb('vnc=1,vncpasword=x,oops,sdl=1', undefined, { warnings })).toStrictEqual({ vnc: { enable: 'True' } });
    expect(warnings.map((w) => w.col)).toStrictEqual([7, 20]);
  });
  roundTrips(parseVfb, formatVfb, ['vnc=1,vnclisten=0.0.0.0,vncdisplay=5,keymap=de', 'sdl=1,opengl=0,display=:1', '']);
});

describe('vkb', () => {
  it('reads features and sizes; multi-touch sizes imply the feature', () => {
    expect(parseVkb('backend-type=linux,unique-id=k0,feature-abs-pointer=1,width=0x400,height=768,multi-touch-num-contacts=5,backend=d'))
      .toStrictEqual({ backend_domname: 'd', backend_type: 'linux', unique_id: 'k0', feature_abs_pointer: true, width: 1024, height: 768, multi_touch_num_contacts: 5, feature_multi_touch: true });
  });
  it('needs backend-type, and sizes for multi-touch; rejects unknown keys', () => {
    expect(diagOf(() => parseVkb('width=1'))).toMatchObject({ message: expect.stringMatching(/backend-type should be set/) });
    expect(diagOf(() => parseVkb('backend-type=qemu,feature-multi-touch=1'))).toMatchObject({ message: expect.stringMatching(/multi touch/) });
    expect(diagOf(() => parseVkb('backend-type=qemu, wdth=1'))).toMatchObject({ col: 20, length: 4 });
    expect(diagOf(() => parseVkb('backend-type=xen'))).toMatchObject({ col: 14 });
  });
  roundTrips(parseVkb, formatVkb, ['backend-type=qemu', 'backend-type=linux,feature-disable-keyboard=1,multi-touch-width=10,multi-touch-height=10,multi-touch-num-contacts=2,unique-id=u']);
});

describe('channel', () => {
  it('reads pty and socket channels, trimming blanks', () => {
    expect(parseChannel('connection=pty,name=org.qemu.guest_agent.0')).toStrictEqual({ name: 'org.qemu.guest_agent.0', 'connection.pty': {} });
    expect(parseChannel(' connection = socket , path = /run/s , backend=d '))
      .toStrictEqual({ backend_domname: 'd', 'connection.socket': { path: '/run/s' } });
  });
  it('splits a pair at every "=", as xl\'s strtok does', () => {
    expect(parseChannel('connection=socket,path=/a=b')).toStrictEqual({ 'connection.socket': { path: '/a' } });
  });
  it('warns about unknown keys, rejects a missing connection or path', () => {
    const warnings: Diagnostic[] = [];
    parseChannel('connection=pty,nmae=x', undefined, { warnings });
    expect(warnings).toMatchObject([{ severity: 'warning', col: 16, length: 4 }]);
    expect(diagOf(() => parseChannel('name=x'))).toMatchObject({ message: "channel has unknown 'connection'" });
    expect(diagOf(() => parseChannel('connection=socket'))).toMatchObject({ message: expect.stringMatching(/requires path/) });
    expect(diagOf(() => parseChannel('connection=tcp'))).toMatchObject({ col: 12, length: 3 });
    expect(diagOf(() => parseChannel('connection=pty,name'))).toMatchObject({ col: 16 });
  });
  roundTrips(parseChannel, formatChannel, ['connection=pty,name=a', 'connection=socket,path=/run/s,backend=d']);
});

describe('vtpm, p9, pvcalls', () => {
  it('vtpm: needs backend, checks and lower-cases the uuid', () => {
    expect(parseVtpm('backend=vtpmmgr,uuid=AC0A5B9E-CBE2-4C07-B43B-1D69E46FB839')).toStrictEqual({ backend_domname: 'vtpmmgr', uuid: 'ac0a5b9e-cbe2-4c07-b43b-1d69e46fb839' });
    expect(diagOf(() => parseVtpm('uuid=ac0a5b9e-cbe2-4c07-b43b-1d69e46fb839'))).toMatchObject({ message: expect.stringMatching(/missing required backend/) });
    expect(diagOf(() => parseVtpm('backend=v,uuid=ac0a5b9e'))).toMatchObject({ col: 16, length: 8 });
    expect(diagOf(() => parseVtpm('backend=v,id=1'))).toMatchObject({ col: 11, length: 2 });
    // xl stops at a piece without '=' (and so would miss a backend after it)
    expect(() => parseVtpm('oops,backend=v')).toThrow(/missing required backend/);
  });
  it('p9: needs tag, path and security_model', () => {
    expect(parseP9('tag=share, security_model=none, path=/srv, backend=d')).toStrictEqual({ backend_domname: 'd', tag: 'share', path: '/srv', security_model: 'none' });
    expect(diagOf(() => parseP9('tag=a,path=/b'))).toMatchObject({ message: expect.stringMatching(/missing required field/) });
    expect(diagOf(() => parseP9('tag=a,path=/b,security_model=none,mode=x'))).toMatchObject({ col: 35 });
  });
  it('pvcalls: backend only', () => {
    expect(parsePvcalls('')).toStrictEqual({});
    expect(parsePvcalls('backend=d')).toStrictEqual({ backend_domname: 'd' });
    expect(() => parsePvcalls('frontend=d')).toThrow(ConfigError);
  });
  roundTrips(parseVtpm, formatVtpm, ['backend=v', 'backend=vtpmmgr,uuid=6c3ff5f1-8d58-4fed-b00d-a5ea9a817f7f']);
  roundTrips(parseP9, formatP9, ['tag=share,security_model=none,path=/srv', 'tag=t,security_model=mapped,path=/p,backend=d']);
  roundTrips(parsePvcalls, formatPvcalls, ['', 'backend=d']);
});

describe('usbctrl, usbdev', () => {
  it('usbctrl: type, version, ports', () => {
    expect(parseUsbctrl('type=qusb,version=2,ports=6')).toStrictEqual({ type: 'qusb', version: 2, ports: 6 });
    expect(parseUsbctrl('type=AUTO,version=3')).toStrictEqual({ version: 3 });
    expect(diagOf(() => parseUsbctrl('type=ehci'))).toMatchObject({ col: 6, length: 4 });
    expect(diagOf(() => parseUsbctrl('version=2, speed=1'))).toMatchObject({ col: 12, length: 5 });
  });
  it('usbdev: a host address makes it a hostdev, as libxl will', () => {
    expect(parseUsbdev('hostbus=1,hostaddr=0x10')).toStrictEqual({ 'type.hostdev': { hostbus: 1, hostaddr: 16 } });
    expect(parseUsbdev('type=hostdev,hostbus=1,hostaddr=3,controller=0,port=2')).toStrictEqual({ ctrl: 0, port: 2, 'type.hostdev': { hostbus: 1, hostaddr: 3 } });
    expect(diagOf(() => parseUsbdev('type=storage'))).toMatchObject({ col: 6 });
    expect(diagOf(() => parseUsbdev('hostbus=1,bus=2'))).toMatchObject({ col: 11, length: 3 });
  });
  roundTrips(parseUsbctrl, formatUsbctrl, ['type=qusb,version=2,ports=6', 'type=pv', '']);
  roundTrips(parseUsbdev, formatUsbdev, ['hostbus=1,hostaddr=3', 'type=hostdev,hostbus=2,hostaddr=4,controller=1,port=3', 'port=1']);
});

describe('vdispl', () => {
  it('reads connectors', () => {
    expect(parseVdispl('backend=dom0, be-alloc=1, connectors=id0:1920x1080;id1:800x600')).toStrictEqual({
      backend_domname: 'dom0', be_alloc: true,
      connectors: [{ unique_id: 'id0', width: 1920, height: 1080 }, { unique_id: 'id1', width: 800, height: 600 }],
    });
  });
  it('needs connectors, each ID:WxH', () => {
    expect(diagOf(() => parseVdispl('backend=dom0'))).toMatchObject({ message: expect.stringMatching(/at least one connector/) });
    expect(diagOf(() => parseVdispl('connectors=id0:1920x1080;id1:800'))).toMatchObject({ col: 30, length: 3 });
    expect(diagOf(() => parseVdispl('connectors=id0'))).toMatchObject({ col: 12 });
    expect(diagOf(() => parseVdispl('connectors=a:1x1,mode=x'))).toMatchObject({ col: 18 });
  });
  roundTrips(parseVdispl, formatVdispl, ['connectors=a:1x1', 'backend=d,be-alloc=1,connectors=id0:1920x1080;id1:800x600']);
});

describe('vsnd', () => {
  const card = ['CARD, short-name=Main, sample-formats=s16_le;s8;u32_be', 'PCM, name=Main', 'STREAM, unique-id=0, type=p', 'STREAM, unique-id=1, type=c, channels-max=2'];
  it('reads a card, its pcms and their streams', () => {
    expect(parseVsnd(card)).toStrictEqual({
      short_name: 'Main', params: { sample_formats: ['s16_le', 's8', 'u32_be'] },
      pcms: [{ name: 'Main', streams: [{ unique_id: '0', type: 'p' }, { unique_id: '1', type: 'c', params: { channels_max: 2 } }] }],
    });
  });
  it('makes a pcm for a stream that comes first; keys are case-insensitive', () => {
    expect(parseVsnd(['stream, type=P, sample-rates=48000;44100'])).toStrictEqual({ pcms: [{ streams: [{ type: 'p', params: { sample_rates: [48000, 44100] } }] }] });
  });
  it('rejects unknown levels, parameters and formats, pointing into the right string', () => {
    const origins = card.map((_, i) => ({ file: 'v.cfg', line: 10 + i, col: 5 }));
    expect(diagOf(() => parseVsnd(['CARD', 'STREAM, id=0'], origins))).toMatchObject({ line: 11, col: 13, message: "invalid parameter `id=0' for STREAM" });
    expect(diagOf(() => parseVsnd(['DEVICE, x=1']))).toMatchObject({ col: 1, length: 6 });
    expect(diagOf(() => parseVsnd(['CARD, sample-formats=s16_le;s17']))).toMatchObject({ col: 29, length: 3 });
    expect(diagOf(() => parseVsnd(['PCM', 'STREAM, type=x']))).toMatchObject({ col: 14 });
    expect(() => parseVsnd('CARD')).toThrow(/list of strings/);
  });
  it('round-trips through its list of strings', () => {
    const v = parseVsnd(card);
    expect(parseVsnd(formatVsnd(v))).toStrictEqual(v);
    const w = parseVsnd(['CARD, long-name=L, backend=d, buffer-size=1024, channels-min=1', 'PCM', 'PCM, name=B, sample-rates=8000', 'STREAM']);
    expect(parseVsnd(formatVsnd(w))).toStrictEqual(w);
  });
});
