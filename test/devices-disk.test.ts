import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError, type Diagnostic } from '../src/core/errors.js';
import { formatDisk, parseDisk } from '../parsers/devices/index.js';
import type { Disk } from '../src/core/model.js';

function diagOf(f: () => unknown): Diagnostic {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e.diagnostics[0]!;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

const base = { vdev: 'xvda', format: 'raw', readwrite: 1 } as const;

describe('parseDisk: positional form target,format,vdev,access', () => {
  it.each([
    ['/dev/vg/gv,raw,xvda,rw', { pdev_path: '/dev/vg/gv', ...base }],
    ['/dev/vg/gv,,xvda', { pdev_path: '/dev/vg/gv', ...base }],
    ['/img,qcow2,xvdb,r', { pdev_path: '/img', vdev: 'xvdb', format: 'qcow2' }],
    ['/img,vhd,xvda,w', { pdev_path: '/img', vdev: 'xvda', format: 'vhd', readwrite: 1 }],
    ['/img,qed,xvda,', { pdev_path: '/img', vdev: 'xvda', format: 'qed', readwrite: 1 }],
    ['/img,qcow,xvda,ro', { pdev_path: '/img', vdev: 'xvda', format: 'qcow' }],
  ])('%s', (spec, want) => expect(parseDisk(spec)).toStrictEqual(want));

  it('points at a bad format, a bad access and a fifth positional word', () => {
    expect(diagOf(() => parseDisk('/img,qcow3,xvda'))).toMatchObject({ col: 6, length: 5, message: 'unknown value for format' });
    expect(diagOf(() => parseDisk('/img,raw,xvda,rx'))).toMatchObject({ col: 15, length: 2, message: 'unknown value for access' });
    expect(diagOf(() => parseDisk('/img,raw,xvda,rw,more'))).toMatchObject({ col: 18, message: 'too many positional parameters' });
  });

  it('reads the vdev:cdrom spelling, and vdev:disk', () => {
    expect(parseDisk('/iso,raw,hdc:cdrom,r')).toStrictEqual({ pdev_path: '/iso', vdev: 'hdc', format: 'raw', removable: 1, is_cdrom: 1 });
    expect(parseDisk('/img,raw,hda:disk,w')).toStrictEqual({ pdev_path: '/img', vdev: 'hda', format: 'raw', readwrite: 1 });
    expect(diagOf(() => parseDisk('/img,raw,hda:tape'))).toMatchObject({ col: 14, message: 'unknown deprecated type' });
  });
});

describe('parseDisk: key=value form', () => {
  it('target= swallows the rest of the spec, commas included, less one trailing comma', () => {
    expect(parseDisk('vdev=xvda,target=/a,b=c,d').pdev_path).toBe('/a,b=c,d');
    expect(parseDisk('vdev=xvda,target=/a,').pdev_path).toBe('/a');
    expect(parseDisk('vdev=xvda,target=/a,,').pdev_path).toBe('/a,');
    // so keys after target= are part of the path
    expect(parseDisk('vdev=xvda,target=/a,vdev=xvdb')).toMatchObject({ pdev_path: '/a,vdev=xvdb', vdev: 'xvda' });
    expect(() => parseDisk('target=/a,vdev=xvda')).toThrow(/no vdev specified/);
  });

  it('skips blanks between parameters', () => {
    expect(parseDisk('format=raw,  vdev=xvda,\taccess=ro, target=/x')).toStrictEqual({ pdev_path: '/x', vdev: 'xvda', format: 'raw' });
  });

  it.each([
    ['backendtype=phy', { backend: 'phy' }],
    ['backendtype=qdisk', { backend: 'qdisk' }],
    ['backendtype=tap', { backend: 'tap' }],
    ['backendtype=standalone', { backend: 'standalone' }],
    ['backend=driver-dom', { backend_domname: 'driver-dom' }],
    ['specification=virtio', { specification: 'virtio' }],
    ['specification=xen', { specification: 'xen' }],
    ['script=block-foo', { script: 'block-foo' }],
    ['direct-io-safe', { direct_io_safe: true }],
    ['discard', { discard_enable: 'True' }],
    ['no-discard', { discard_enable: 'False' }],
    ['colo,colo-host=h,colo-port=7,colo-export=e,active-disk=/a,hidden-disk=/h',
      { colo_enable: 'True', colo_host: 'h', colo_port: 7, colo_export: 'e', active_disk: '/a', hidden_disk: '/h' }],
    ['no-colo', { colo_enable: 'False' }],
    ['devtype=disk', {}],
  ])('%s', (extra, want) => {
    expect(parseDisk(`vdev=xvda,${extra},target=/x`)).toStrictEqual({ pdev_path: '/x', ...base, ...want });
  });

  it('has no transport key in 4.17: it is an unknown parameter', () => {
    expect(() => parseDisk('vdev=xvda,transport=mmio,target=/x')).toThrow(/unknown parameter/);
  });

  it('points at bad values', () => {
    expect(diagOf(() => parseDisk('vdev=xvda,backendtype=nbd,target=/x'))).toMatchObject({ col: 23, length: 3, message: 'unknown value for backendtype' });
    expect(diagOf(() => parseDisk('vdev=xvda,specification=scsi,target=/x'))).toMatchObject({ col: 25, message: 'unknown value for specification' });
    expect(diagOf(() => parseDisk('vdev=xvda,devtype=floppy,target=/x'))).toMatchObject({ col: 11, message: 'unknown value for type' });
    expect(diagOf(() => parseDisk('vdev=xvda,colo-port=x,target=/x'))).toMatchObject({ col: 21, message: 'unknown value for colo_port' });
  });

  it('refuses to respecify, except over an empty string', () => {
    expect(diagOf(() => parseDisk('format=raw,format=qcow2,vdev=x,target=/y'))).toMatchObject({ col: 19, message: 'format respecified' });
    expect(parseDisk('format=raw,format=raw,vdev=x,target=/y').format).toBe('raw');
    expect(diagOf(() => parseDisk('/x,raw,xvda,target=/y'))).toMatchObject({ col: 20, message: 'target respecified' });
    expect(parseDisk('vdev=,vdev=xvdb,target=/y').vdev).toBe('xvdb');
    expect(diagOf(() => parseDisk('vdev=xvda,vdev=xvdb,target=/y'))).toMatchObject({ col: 16, message: 'vdev respecified' });
  });

  it('reports unknown keys the way xl lexes them', () => {
    // xl's rule for unknown keys only takes one character of the value
    expect(diagOf(() => parseDisk('foo=b,vdev=xvda,target=/x'))).toMatchObject({ col: 1, length: 6, message: 'unknown parameter' });
    expect(diagOf(() => parseDisk('vdev=xvda,foo=bar,target=/x'))).toMatchObject({ col: 11, length: 5, message: 'unknown parameter' });
    // a key no rule knows (upper case) leaves a bare '=' that nothing matches
    expect(diagOf(() => parseDisk('vdev=xvda,Foo=bar,target=/x'))).toMatchObject({ col: 14, length: 14, message: 'bad disk syntax' });
    expect(diagOf(() => parseDisk('=x'))).toMatchObject({ col: 1, message: 'bad disk syntax' });
  });
});

describe('parseDisk: deprecated prefixes', () => {
  it.each([
    ['phy:/dev/sda,xvda,w', { pdev_path: '/dev/sda', ...base }],
    ['file:/img,xvda,w', { pdev_path: '/img', ...base }],
    ['tap:aio:/img,xvda,w', { pdev_path: '/img', ...base }],
    ['tap2:tapdisk:aio:/img,xvda,w', { pdev_path: '/img', ...base }],
    ['tap:qcow2:/img,xvda,w', { pdev_path: '/img', vdev: 'xvda', format: 'qcow2', readwrite: 1 }],
    ['vhd:/img,xvda,w', { pdev_path: '/img', vdev: 'xvda', format: 'vhd', readwrite: 1 }],
    ['ioemu:/img,xvda,w', { pdev_path: '/img', ...base }],
    ['nbd:host:1234,xvda,w', { pdev_path: 'host:1234', ...base, script: 'block-nbd' }],
    ['enbd:x,xvda,w', { pdev_path: 'x', ...base, script: 'block-enbd' }],
  ])('%s', (spec, want) => expect(parseDisk(spec)).toStrictEqual(want));

  it('after a prefix the second positional word is the vdev, not the format', () => {
    expect(() => parseDisk('/img,xvda,w')).toThrow(/unknown value for format/);
    expect(parseDisk('file:/img,xvda,w').vdev).toBe('xvda');
  });

  it('rejects an unknown prefix, but not a word that merely holds a colon', () => {
    expect(diagOf(() => parseDisk('foo:/img,xvda,w'))).toMatchObject({ col: 1, length: 4, message: 'unknown deprecated disk prefix' });
    expect(parseDisk('host:path,raw,xvda').pdev_path).toBe('host:path');
  });
});

describe('parseDisk: cdroms and empty targets', () => {
  const cd = { vdev: 'hdc', removable: 1, is_cdrom: 1 };
  it('makes cdroms read-only and removable, whatever access says', () => {
    expect(parseDisk('/iso,raw,hdc,w,devtype=cdrom')).toStrictEqual({ pdev_path: '/iso', format: 'raw', ...cd });
    expect(parseDisk('cdrom,vdev=hdc,target=/iso')).toStrictEqual({ pdev_path: '/iso', format: 'raw', ...cd });
  });
  it('an empty or missing target is an empty drive', () => {
    expect(parseDisk('vdev=hdc,devtype=cdrom,target=')).toStrictEqual({ pdev_path: '', format: 'empty', ...cd });
    expect(parseDisk('vdev=hdc,devtype=cdrom')).toStrictEqual({ format: 'empty', ...cd });
    expect(parseDisk(',,hdc,,cdrom')).toStrictEqual({ pdev_path: '', format: 'empty', ...cd });
  });
  it('only a removable drive may lack a target; every disk needs a vdev', () => {
    expect(diagOf(() => parseDisk('vdev=xvda'))).toMatchObject({ col: 1, length: 9, message: 'no target specified (and device not removable)' });
    expect(diagOf(() => parseDisk('target=/x'))).toMatchObject({ message: 'no vdev specified' });
  });
});

describe('parseDisk: trusted/untrusted follow the 4.17.7 binary', () => {
  it('reads them as a positional target', () => {
    expect(parseDisk('trusted,raw,xvda')).toMatchObject({ pdev_path: 'trusted' });
    expect(diagOf(() => parseDisk(['untrusted', 'vdev=hda', 'target=/x']))).toMatchObject({ col: 27, message: 'target respecified' });
  });
});

describe('parseDisk: positions', () => {
  it('offsets columns by the origin and keeps its excerpt', () => {
    const line = 'disk = [ "/img,qcow3,xvda" ]';
    const d = diagOf(() => parseDisk('/img,qcow3,xvda', { file: 'g.cfg', line: 4, col: 11, excerpt: line }));
    expect(d).toMatchObject({ file: 'g.cfg', line: 4, col: 16, length: 5, excerpt: line, severity: 'error' });
    expect(line.slice(d.col - 1, d.col - 1 + d.length!)).toBe('qcow3');
  });
  it('counts block-attach words as if joined by spaces', () => {
    const d = diagOf(() => parseDisk(['vdev=xvda', 'format=bogus', 'target=/x']));
    expect(d).toMatchObject({ file: '<spec>', col: 18, excerpt: 'vdev=xvda format=bogus target=/x' });
  });
  it('carries state from word to word, as xl does', () => {
    expect(parseDisk(['file:/img', 'xvda', 'r'])).toStrictEqual({ pdev_path: '/img', vdev: 'xvda', format: 'raw' });
  });
});

const ACCEPTED = [
  '/dev/vg/gv,raw,xvda,rw', '/iso,raw,hdc:cdrom,r', 'vdev=xvda,target=/a,b=c,d', 'vdev=xvda,target=/a,,',
  'phy:/dev/sda,xvda,w', 'tap:qcow2:/img,xvda,w', 'nbd:host:1234,xvda,w', 'vdev=hdc,devtype=cdrom,target=',
  'vdev=hdc,devtype=cdrom', 'vdev=xvda,direct-io-safe,no-discard,backendtype=qdisk,backend=dd,specification=virtio,target=/x',
  'colo,colo-host=h,colo-port=7,colo-export=e,active-disk=/a,hidden-disk=/h,vdev=xvda,target=/x',
  'format=qed,vdev=xvda,access=ro,script=s,target= spaced path ',
];

describe('formatDisk', () => {
  it.each(ACCEPTED)('round-trips %s', (spec) => {
    const d = parseDisk(spec);
    expect(parseDisk(formatDisk(d))).toStrictEqual(d);
  });
  it('refuses what the spec cannot say', () => {
    expect(() => formatDisk({ ...base, pdev_path: '/x', trusted: 'True' })).toThrow(ConfigError);
    expect(() => formatDisk({ ...base, pdev_path: '/x', backend_domid: 3 })).toThrow(/backend_domname/);
    expect(() => formatDisk({ ...base, pdev_path: '/x', vdev: 'a,b' })).toThrow(/comma/);
    expect(() => formatDisk({ ...base, pdev_path: '/x', removable: 1 })).toThrow(/removable/);
    expect(() => formatDisk({ pdev_path: '/x', format: 'raw' })).toThrow(/vdev/);
  });
  it('round-trips any disk it agrees to write', () => {
    const str = fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !/[,\n]/.test(s));
    const disk = fc.record({
      pdev_path: fc.option(fc.string({ maxLength: 10 }).filter((s) => !s.includes('\n')), { nil: undefined }),
      vdev: str,
      backend: fc.constantFrom(undefined, 'phy', 'tap', 'qdisk', 'standalone'),
      format: fc.constantFrom('raw', 'qcow', 'qcow2', 'vhd', 'empty', 'qed'),
      script: fc.option(str, { nil: undefined }),
      cdrom: fc.boolean(),
      rw: fc.boolean(),
      discard_enable: fc.constantFrom(undefined, 'True', 'False'),
      direct_io_safe: fc.constantFrom(undefined, true),
    }, { requiredKeys: ['vdev', 'format', 'cdrom', 'rw'] });
    fc.assert(fc.property(disk, (r) => {
      const d: Disk = { vdev: r.vdev, format: r.format as Disk['format'] };
      if (r.pdev_path !== undefined) d.pdev_path = r.pdev_path;
      if (r.backend) d.backend = r.backend as Disk['backend'];
      if (r.script) d.script = r.script;
      if (r.discard_enable) d.discard_enable = r.discard_enable as 'True' | 'False';
      if (r.direct_io_safe) d.direct_io_safe = true;
      if (r.cdrom) Object.assign(d, { removable: 1, is_cdrom: 1 });
      else if (r.rw) d.readwrite = 1;
      if (r.cdrom && !d.pdev_path) d.format = 'empty';
      if (!r.cdrom && d.pdev_path === undefined) d.pdev_path = '/x';
      const text = formatDisk(d);
      expect(parseDisk(text)).toStrictEqual(parseDisk(formatDisk(parseDisk(text))));
      expect(parseDisk(text)).toStrictEqual(Object.fromEntries(Object.entries(d).sort(([a], [b]) => order(a) - order(b))));
    }), { numRuns: 300 });
  });
});

const ORDER = ['pdev_path', 'vdev', 'backend', 'format', 'script', 'removable', 'readwrite', 'is_cdrom', 'direct_io_safe', 'discard_enable'];
const order = (k: string) => ORDER.indexOf(k);
