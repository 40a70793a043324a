// The pure parts of the Xen backend: libxl JSON -> txl types, libxl log -> errors, xl's
// autoballoon rule, device JSON, and the managed-config store. No libxl needed.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLogLine, type LogLine } from '../bindings/log.js';
import { LibxlCallError } from '../bindings/context.js';
import { toDomainInfo } from '../src/xen/domains.js';
import { capabilitiesFrom } from '../src/xen/host.js';
import { autoballoonOn } from '../src/xen/create.js';
import { deviceJson } from '../src/xen/devices.js';
import { connectError, opError } from '../src/xen/errors.js';
import { ManagedStore } from '../src/xen/managed.js';
import { jsonDiff } from '../src/xen/jsondiff.js';
import { defaultXlConf } from '../parsers/xlcfg/xlconf.js';
import { ConnectError, NotFoundError, OperationError } from '../src/core/errors.js';

const log = (...raw: string[]): LogLine[] => raw.map(parseLogLine);

describe('libxl log lines', () => {
  it('splits context, level, source position and message', () => {
    expect(parseLogLine('libxl: error: libxl.c:102:libxl_ctx_alloc: cannot open libxc handle: No such file or directory')).toEqual({
      context: 'libxl', level: 'error', where: 'libxl.c:102:libxl_ctx_alloc', message: 'cannot open libxc handle: No such file or directory',
      raw: 'libxl: error: libxl.c:102:libxl_ctx_alloc: cannot open libxc handle: No such file or directory',
    });
    const x = parseLogLine('xencall: error: Could not obtain handle on privileged command interface: Permission denied');
    expect([x.context, x.level, x.where, x.message]).toEqual(['xencall', 'error', undefined, 'Could not obtain handle on privileged command interface: Permission denied']);
    expect(parseLogLine('something else').message).toBe('something else');
  });
});

describe('connect errors', () => {
  const alloc = (...raw: string[]) => new LibxlCallError('libxl_ctx_alloc', -3, log(...raw), 'fail');

  it('not on Xen', () => {
    const e = connectError(alloc('libxl: error: libxl.c:102:libxl_ctx_alloc: cannot open libxc handle: No such file or directory'), 'xen:///system');
    expect(e).toBeInstanceOf(ConnectError);
    expect(e.message).toBe('cannot connect to xen:///system: this machine is not running Xen (no /dev/xen/privcmd)');
  });

  it('not root', () => {
    const e = connectError(alloc('libxl: error: libxl.c:102:libxl_ctx_alloc: cannot open libxc handle: Permission denied'), 'xen:///system');
    expect(e.message).toMatch(/txl must run as root$/);
  });

  it('xenstored down, and xenstore refusing a non-root user', () => {
    expect(connectError(alloc('libxl: error: libxl.c:108:libxl_ctx_alloc: cannot connect to xenstore: No such file or directory'), 'x').message).toBe('cannot connect to x: xenstored is not running');
    expect(connectError(alloc('libxl: error: libxl.c:108:libxl_ctx_alloc: cannot connect to xenstore: Permission denied'), 'x').message).toMatch(/must run as root/);
  });

  it('anything else keeps libxl\'s last error', () => {
    const e = connectError(alloc('libxl: error: libxl.c:80:libxl_ctx_alloc: Failed to initialize mutex'), 'x');
    expect(e.message).toBe('cannot connect to x: libxl could not start: Failed to initialize mutex');
  });

  it('a missing library', () => {
    const err = Object.assign(new Error('cannot load'), { name: 'LibraryMissingError', library: 'libxenlight' });
    expect(connectError(err, 'x').hint).toMatch(/apt install xen-utils-4\.17/);
  });
});

describe('operation errors', () => {
  it('domain not found by return code', () => {
    const e = opError(new LibxlCallError('libxl_domain_info', -21, [], 'domain_notfound'), 'reading', 7);
    expect(e).toBeInstanceOf(NotFoundError);
    expect(e.message).toBe('no domain with id 7');
  });

  it('otherwise the last error line, and what libxl said as the hint', () => {
    const e = opError(new LibxlCallError('libxl_domain_create_new', -3, log(
      'libxl: warning: libxl_dm.c:1:f: something odd',
      'libxl: error: libxl_create.c:1:g: Domain 3:cannot make domain: -3',
    ), 'fail'), "creating domain 'x'");
    expect(e).toBeInstanceOf(OperationError);
    expect(e.message).toBe("creating domain 'x' failed: Domain 3:cannot make domain: -3");
    expect(e.hint).toMatch(/libxl said:\n {4}libxl: something odd/);
  });
});

describe('libxl_dominfo JSON -> DomainInfo', () => {
  it('reads a running domain, defaults left out as libxl writes them', () => {
    const d = toDomainInfo({ uuid: 'a0b1c2d3-0000-4000-8000-000000000001', domid: 3, running: true, current_memkb: 131072, max_memkb: 132096, cpu_time: 1500000000, vcpu_online: 1, domain_type: 'pv' }, 'g', 1700000000);
    expect(d).toMatchObject({ domid: 3, name: 'g', state: 'running', running: true, paused: false, current_memkb: 131072, vcpu_max_id: 0, vcpu_online: 1, cpupool: 0, domain_type: 'pv', start_time: 1700000000 });
    expect(d.shutdown_reason).toBeUndefined();
  });

  it('derives the state from the flags as xl does', () => {
    expect(toDomainInfo({ shutdown: true, shutdown_reason: 'crash' }, 'c', 0).state).toBe('crashed');
    expect(toDomainInfo({ shutdown: true, shutdown_reason: 'poweroff' }, 's', 0)).toMatchObject({ state: 'shutdown', shutdown_reason: 'poweroff' });
    expect(toDomainInfo({ paused: true, blocked: true }, 'p', 0).state).toBe('paused');
    expect(toDomainInfo({ dying: true, shutdown: true }, 'd', 0).state).toBe('dying');
    expect(toDomainInfo({ blocked: true }, 'b', 0).state).toBe('blocked');
  });
});

describe('host', () => {
  it('capabilities from Xen\'s capability string', () => {
    const c = capabilitiesFrom('xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64', true);
    expect(c.guests.map((g) => `${g.os_type}/${g.arch}/${g.wordsize}`)).toEqual(['xen/x86_64/64', 'hvm/i686/32', 'hvm/x86_64/64', 'xenpvh/x86_64/64']);
  });

  it('autoballoon "auto" is off when Xen\'s command line sets dom0_mem, as in xl', () => {
    const auto = defaultXlConf();
    expect(autoballoonOn(auto, 'console=com1 dom0_mem=1536M,max:1536M dom0_max_vcpus=2')).toBe(false);
    expect(autoballoonOn(auto, 'dom0_mem=2G')).toBe(false);
    expect(autoballoonOn(auto, 'console=com1 dom0_max_vcpus=2')).toBe(true);
    expect(autoballoonOn(auto, 'xdom0_mem=2G')).toBe(true);
    expect(autoballoonOn({ ...auto, autoballoon: 'on' }, 'dom0_mem=2G')).toBe(true);
    expect(autoballoonOn({ ...auto, autoballoon: 'off' }, '')).toBe(false);
  });
});

describe('device JSON', () => {
  it('writes a disk as libxl does (defaults out)', () => {
    expect(JSON.parse(deviceJson('disk', { pdev_path: '/img', vdev: 'xvdb', format: 'raw', readwrite: 1, backend: 'unknown' }))).toEqual({ pdev_path: '/img', vdev: 'xvdb', format: 'raw', readwrite: 1 });
  });
  it('keeps a nic\'s mac and bridge', () => {
    expect(JSON.parse(deviceJson('nic', { mac: '00:16:3e:00:00:01', bridge: 'xenbr0' }))).toEqual({ mac: '00:16:3e:00:00:01', bridge: 'xenbr0' });
  });
});

describe('JSON differences', () => {
  it('names every path that differs', () => {
    expect(jsonDiff({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 3], d: true } })).toEqual([
      { path: 'b.c[1]', ours: 2, libxl: 3 },
      { path: 'b.d', ours: undefined, libxl: true },
    ]);
  });
});

describe('managed configs for xen', () => {
  let dir = '';
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('defines, lists, renames and undefines, one JSON file per name', () => {
    dir = mkdtempSync(join(tmpdir(), 'txl-managed-'));
    const s = new ManagedStore(join(dir, 'managed'));
    expect(s.list()).toEqual([]);
    expect(s.define({ c_info: { name: 'web', type: 'pv' }, b_info: { max_memkb: 1024 } })).toBe(false);
    const web = s.get('web')!;
    expect(web.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(readFileSync(web.path, 'utf8')).c_info).toEqual({ name: 'web', type: 'pv', uuid: web.uuid });
    expect(s.define({ c_info: { name: 'web', type: 'pv' }, b_info: { max_memkb: 2048 } })).toBe(true);
    expect(s.get('web')!.uuid).toBe(web.uuid);
    expect(() => s.define({ c_info: { name: 'twin', uuid: web.uuid }, b_info: {} })).toThrow(/already has UUID/);
    expect(() => s.define({ c_info: { name: '42' }, b_info: {} })).toThrow(OperationError);
    s.rename('web', 'www');
    expect(readdirSync(join(dir, 'managed'))).toEqual(['www.json']);
    expect(s.find(web.uuid)!.config.c_info.name).toBe('www');
    s.undefine('www');
    expect(s.list()).toEqual([]);
    expect(() => s.undefine('www')).toThrow(NotFoundError);
  });
});
