import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError, type Diagnostic } from '../src/core/errors.js';
import { formatVif, formatVifRate, parseVif, parseVifRate } from '../parsers/devices/index.js';

function diagOf(f: () => unknown): Diagnostic {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e.diagnostics[0]!;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('parseVif: keys', () => {
  it('maps xl keys to libxl fields', () => {
    expect(parseVif('mac=00:16:3E:66:92:9C,bridge=xenbr1,ip=10.0.0.1 2000::1,script=vif-bridge,type=ioemu,vifname=web0,model=e1000,backend=netdom,gatewaydev=eth1,devid=2,mtu=9000'))
      .toStrictEqual({
        mac: '00:16:3e:66:92:9c', bridge: 'xenbr1', ip: '10.0.0.1 2000::1', script: 'vif-bridge', nictype: 'vif_ioemu',
        ifname: 'web0', model: 'e1000', backend_domname: 'netdom', gatewaydev: 'eth1', devid: 2, mtu: 9000,
      });
    expect(parseVif('type=vif,trusted')).toStrictEqual({ nictype: 'vif', trusted: 'True' });
    expect(parseVif('untrusted')).toStrictEqual({ trusted: 'False' });
    expect(parseVif('forwarddev=eth0,colo_compare_out=o')).toStrictEqual({ coloft_forwarddev: 'eth0', colo_compare_out: 'o' });
  });

  it('splits at commas, skips empty pieces and leading spaces, keeps trailing ones', () => {
    expect(parseVif(' bridge=br0 ,, model=e1000,')).toStrictEqual({ bridge: 'br0 ', model: 'e1000' });
    expect(parseVif('')).toStrictEqual({});
  });

  it('takes network-attach words whole', () => {
    expect(parseVif(['ip=1.2.3.4,5.6.7.8', 'bridge=br0'])).toStrictEqual({ ip: '1.2.3.4,5.6.7.8', bridge: 'br0' });
  });

  it('applies xl.conf vif.default.* first, and lets the spec override them', () => {
    const defaults = { script: 'vif-ovs', bridge: 'xenbr0', gatewaydev: 'eth0', backend: 'drv' };
    expect(parseVif('bridge=br9', undefined, defaults)).toStrictEqual({ script: 'vif-ovs', bridge: 'br9', gatewaydev: 'eth0', backend_domname: 'drv' });
  });

  it('reads mac bytes the way strtoul does: any separator, any case, no leading zeros needed', () => {
    expect(parseVif('mac=0-16-3e-1-2-a').mac).toBe('00:16:3e:01:02:0a');
    expect(parseVif('mac=00:00:00:00:00:00')).toStrictEqual({}); // all zero is libxl's "pick one"
  });

  it('rejects bad macs, types and unknown keys, pointing at them', () => {
    expect(diagOf(() => parseVif('bridge=br0,mac=00:16:3e:zz:00:01'))).toMatchObject({ col: 16, message: "invalid mac `00:16:3e:zz:00:01'" });
    expect(diagOf(() => parseVif('mac=00:16:3e:66:92'))).toMatchObject({ col: 5 });
    expect(diagOf(() => parseVif('mac=100:16:3e:66:92:9c'))).toMatchObject({ message: expect.stringMatching(/invalid mac/) });
    expect(diagOf(() => parseVif('type=tap'))).toMatchObject({ col: 6, length: 3 });
    expect(diagOf(() => parseVif('bridge=br0, brige=br1'))).toMatchObject({ col: 13, length: 5, message: "unrecognized argument `brige=br1'" });
    expect(diagOf(() => parseVif('devid=x'))).toMatchObject({ col: 7, message: expect.stringMatching(/convert/) });
  });

  it('in lenient (xl.cfg) mode turns what xl ignores into warnings', () => {
    const warnings: Diagnostic[] = [];
    const nic = parseVif('brige=br1,bridge=br0,mac=00:16:zz', { file: 'g.cfg', line: 2, col: 9 }, {}, { lenient: true, warnings });
    // xl keeps the bytes of a bad mac that it had already read
    expect(nic).toStrictEqual({ bridge: 'br0', mac: '00:16:00:00:00:00' });
    expect(warnings.map((w) => [w.severity, w.col])).toStrictEqual([['warning', 9], ['warning', 34]]);
  });

  it('warns about a multicast mac, which xl lets through', () => {
    const warnings: Diagnostic[] = [];
    expect(parseVif('mac=01:16:3e:00:00:01', undefined, {}, { warnings })).toStrictEqual({ mac: '01:16:3e:00:00:01' });
    expect(warnings).toMatchObject([{ severity: 'warning', col: 5 }]);
  });

  it('warns about deprecated netdev and unsupported accel', () => {
    const warnings: Diagnostic[] = [];
    expect(parseVif('netdev=eth2,accel=x', undefined, {}, { warnings })).toStrictEqual({ gatewaydev: 'eth2' });
    expect(warnings).toHaveLength(2);
  });
});

describe('parseVifRate', () => {
  it.each([
    ['10Mb/s', 62500, 50000],
    ['10MB/s@20ms', 200000, 20000],
    ['100Kb/s@1s', 12500, 1000000],
    ['1GB/s@10us', 10000, 10],
    ['1GB/s@10u', 10000, 10],
    ['8b/s@2', 2, 2000000], // a bare interval is seconds
    ['5B/s@3m', 0, 3000], // rounded down, as xl does
    ['010B/s@1s', 8, 1000000], // strtoull base 0: octal
  ])('%s', (rate, bytes, usecs) => {
    expect(parseVifRate(rate)).toStrictEqual({ rate_bytes_per_interval: bytes, rate_interval_usecs: usecs });
  });

  it('rejects bad rates with the position of the bad part', () => {
    expect(diagOf(() => parseVifRate('10MB'))).toMatchObject({ col: 1, length: 4, message: "invalid rate `10MB'" });
    expect(diagOf(() => parseVifRate('10MB/s@1h'))).toMatchObject({ col: 8, length: 2 });
    expect(diagOf(() => parseVifRate('08B/s'))).toMatchObject({ message: expect.stringMatching(/overflow/) });
    expect(diagOf(() => parseVifRate('@5ms'))).toMatchObject({ message: 'no rate specified' });
    expect(diagOf(() => parseVifRate('1B/s@4295s'))).toMatchObject({ col: 6, message: expect.stringMatching(/interval overflow/) });
    expect(diagOf(() => parseVif('bridge=b,rate=10MB/s@1h', { file: 'x', line: 1, col: 20 }))).toMatchObject({ col: 41 });
  });

  it('leaves a zero byte count out of the nic, as libxl does', () => {
    expect(parseVif('rate=1b/s')).toStrictEqual({ rate_interval_usecs: 50000 });
  });
});

describe('formatVifRate / formatVif', () => {
  it('writes readable units', () => {
    expect(formatVifRate(512000, 50000)).toBe('10240KB/s');
    expect(formatVifRate(10000000, 1000000)).toBe('10MB/s@1s');
    expect(formatVifRate(1, 20000)).toBe('50B/s@20ms');
  });
  it('refuses rates no spec can produce', () => {
    expect(() => formatVifRate(1, 3000000)).toThrow(ConfigError);
    expect(() => formatVifRate(5, 0)).toThrow(ConfigError);
  });
  it('round-trips any rate xl can read', () => {
    const rate = fc.tuple(fc.integer({ min: 1, max: 0xffffffff }), fc.constantFrom('', 'K', 'M', 'G'), fc.constantFrom('B', 'b'),
      fc.option(fc.tuple(fc.integer({ min: 1, max: 4294 }), fc.constantFrom('s', 'ms', 'us')), { nil: undefined }));
    fc.assert(fc.property(rate, ([n, unit, b, iv]) => {
      const text = `${n}${unit}${b}/s${iv ? `@${iv[0]}${iv[1]}` : ''}`;
      let r;
      try { r = parseVifRate(text); } catch { return; } // overflow cases
      expect(parseVifRate(formatVifRate(r.rate_bytes_per_interval, r.rate_interval_usecs))).toStrictEqual(r);
    }), { numRuns: 500 });
  });
  it('leaves out a devid that equals the position in the vif list', () => {
    expect(formatVif({ devid: 1, bridge: 'b' }, 1)).toBe('bridge=b');
    expect(formatVif({ devid: 1, bridge: 'b' }, 0)).toBe('devid=1,bridge=b');
    expect(formatVif({ devid: 1, bridge: 'b' })).toBe('devid=1,bridge=b');
  });
  it('refuses what a vif spec cannot say', () => {
    expect(() => formatVif({ bridge: 'a,b' })).toThrow(/comma/);
    expect(() => formatVif({ backend_domid: 1 })).toThrow(ConfigError);
    expect(() => formatVif({ mac: 'nonsense' })).toThrow(ConfigError);
  });
  it.each([
    'mac=00:16:3e:66:92:9c,bridge=xenbr1,script=vif-bridge,model=e1000,rate=10240KB/s',
    'type=ioemu,vifname=v,backend=d,gatewaydev=g,ip=1.2.3.4 5.6.7.8,devid=3,mtu=1400,trusted',
    'rate=1b/s@3s,untrusted,forwarddev=f,colo_checkpoint_port=9',
    ' bridge=br0 ,,',
  ])('round-trips %s', (spec) => {
    const n = parseVif(spec);
    expect(parseVif(formatVif(n))).toStrictEqual(n);
  });
});
