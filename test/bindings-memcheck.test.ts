// The binding-heavy paths under valgrind's memcheck: configs through the real libxl's
// from_json, to_json and dispose (the JSON bridge), a libxl context opened and freed, with
// the no-hypervisor shim. Valgrind cannot follow libxl's hypercalls to Xen 4.17 (it does not
// know sysctl interface 0x15), so this runs here and not in the lab's dom0, where every txl
// run has glibc's heap checks instead (test/lab/suite.sh).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { xlcfgToModel } from '../parsers/xlcfg/to-model.js';
import { defaultXlConf } from '../parsers/xlcfg/xlconf.js';
import { CORPUS_HOST } from '../parsers/host.js';
import { modelToLibxlJson } from '../parsers/libxl-json.js';
import { bundle, compileShim, ROOT, SHIM_MISSING, tempDir } from './shim/harness.js';

const VALGRIND = spawnSync('sh', ['-c', 'command -v valgrind'], { encoding: 'utf8' }).stdout.trim();
const MISSING = SHIM_MISSING ?? (VALGRIND ? undefined : 'no valgrind (apt install valgrind)');

/** A PV, a PVH and an HVM config with devices of every common kind. */
function items(): { name: string; type: string; json: string }[] {
  const opts = { xlconf: defaultXlConf(), host: CORPUS_HOST };
  const cfgs: Record<string, string> = {
    pv: readFileSync(join(ROOT, 'examples/guest.cfg'), 'utf8'),
    pvh: 'name = "p"\ntype = "pvh"\nkernel = "/k"\nmemory = 256\nvcpus = 2\ncpus = "0-1"\nvif = [ "bridge=xenbr0,mac=00:16:3e:00:00:01" ]\n',
    hvm: 'name = "h"\ntype = "hvm"\nmemory = 512\nvnc = 1\nvncpasswd = "s"\nserial = "pty"\nusb = 1\nusbdevice = [ "tablet" ]\ndisk = [ "/d.img,raw,hda,rw", "/c.iso,raw,hdc,cdrom" ]\nvif = [ "bridge=xenbr0,model=e1000" ]\n',
  };
  return Object.entries(cfgs).map(([name, text]) => ({ name, type: 'domain_config', json: modelToLibxlJson(xlcfgToModel(text, `${name}.cfg`, opts).config) }));
}

/** Marks where the bridge's half of the child's stderr ends and the control's begins. */
const MARK = 'txl-memcheck: the control starts';

function memcheck(script: string, args: string[], shim: string) {
  const r = spawnSync(VALGRIND, ['-q', '--tool=memcheck', '--error-exitcode=99', '--leak-check=no', process.execPath, script, ...args], {
    env: { ...process.env, LD_PRELOAD: shim, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 240_000,
    maxBuffer: 64 << 20,
  });
  const lines = r.stderr.split('\n');
  const at = lines.indexOf(MARK);
  const reports = (ls: string[]) => ls.filter((l) => /^==\d+==/.test(l));
  return { code: r.status ?? -1, stdout: r.stdout, marked: at >= 0, bridge: reports(at >= 0 ? lines.slice(0, at) : lines), control: reports(at >= 0 ? lines.slice(at + 1) : []) };
}

describe.skipIf(Boolean(MISSING))(`txl's libxl bindings under valgrind memcheck${MISSING ? ` (skipped: ${MISSING})` : ''}`, () => {
  let dir = '';
  let shim = '';
  // one valgrind run for both tests (node's start-up under memcheck is most of a run): the
  // bridge first, then the control, their reports told apart by MARK (test/shim/memcheck-child.ts)
  let r: ReturnType<typeof memcheck>;
  beforeAll(async () => {
    dir = tempDir('txl-memcheck-');
    shim = compileShim(dir);
    const child = await bundle('test/shim/memcheck-child.ts', dir);
    const input = join(dir, 'items.json');
    writeFileSync(input, JSON.stringify(items()));
    r = memcheck(child, [input, MARK], shim);
  }, 300_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the JSON bridge: three configs through from_json, to_json and dispose, no memcheck report', () => {
    expect(r.bridge, r.bridge.slice(0, 30).join('\n')).toEqual([]);
    // the bridge ran to its end: the control after it started, and the process exited (99: the control's report)
    expect(r.marked).toBe(true);
    expect(r.code).toBe(99);
    const out = JSON.parse(r.stdout) as { results: { name: string; out?: string; error?: string }[]; live: number };
    expect(out.results.map((x) => [x.name, x.error ?? 'ok'])).toEqual([['pv', 'ok'], ['pvh', 'ok'], ['hvm', 'ok']]);
    expect(out.live).toBe(0);
  });

  it('the control: a read of freed memory through the bindings is reported', () => {
    expect(r.marked).toBe(true);
    expect(r.code).toBe(99);
    expect(r.control.join('\n')).toMatch(/Invalid read/);
  });
});
