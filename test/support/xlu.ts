// The real libxlutil (Xen 4.17's xl.cfg reader) through koffi, as an oracle for txl's own
// reader. libxlutil needs no hypervisor: xlu_cfg_init takes a FILE* it writes its parse
// errors to ("FILE:LINE: config parsing error near `X': ..."), so each config gets a temp
// file opened with fopen, read back after xlu_cfg_destroy.
//
// libxlutil can abort() on some inputs (an assert in its string dequoting), which would kill
// the test runner with it; so it runs in a child process that works through a batch and
// writes one result line per config. When the child dies, the config it was reading is
// recorded as a crash and a new child carries on with the rest.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './txl.js';

export const XLU_SONAME = 'libxlutil.so.4.17';

export interface XluResult {
  /** xlu_cfg_readdata's return: 0 accepted, else an errno (22 = EINVAL for syntax errors) */
  rc: number;
  /** what libxlutil wrote to its report stream */
  report: string;
  /** the line of the first "config parsing error", if it printed one */
  firstErrorLine?: number;
  /** libxlutil killed its process (an assertion), with this signal */
  crashed?: string;
}

const CHILD = `
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
const [inFile, outFile, reportPath, lib, name, probeOnly] = process.argv.slice(2);
const koffi = (await import('koffi')).default;
const libc = koffi.load('libc.so.6');
const xlu = koffi.load(lib);
koffi.opaque('FILE');
koffi.opaque('XLU_Config');
const fopen = libc.func('FILE *fopen(const char *path, const char *mode)');
const fclose = libc.func('int fclose(FILE *f)');
const init = xlu.func('XLU_Config *xlu_cfg_init(FILE *report, const char *report_filename)');
const readdata = xlu.func('int xlu_cfg_readdata(XLU_Config *cfg, const uint8_t *data, int length)');
const destroy = xlu.func('void xlu_cfg_destroy(XLU_Config *cfg)');
if (probeOnly === '1') process.exit(0);
const texts = JSON.parse(readFileSync(inFile, 'utf8'));
for (const text of texts) {
  const f = fopen(reportPath, 'w');
  const cfg = init(f, name);
  const bytes = Buffer.from(text, 'utf8');
  const rc = readdata(cfg, bytes, bytes.length);
  destroy(cfg);
  fclose(f);
  appendFileSync(outFile, JSON.stringify({ rc, report: readFileSync(reportPath, 'utf8') }) + '\\n');
}
`;

function firstErrorLine(report: string, file: string): number | undefined {
  for (const line of report.split('\n')) {
    if (!line.startsWith(`${file}:`)) continue;
    const m = /^(\d+): config parsing error/.exec(line.slice(file.length + 1));
    if (m) return Number(m[1]);
  }
  return undefined;
}

export interface Xlu {
  /** Reads every config with libxlutil, in order; a config that crashes it gets `crashed`. */
  parseAll(texts: string[], file?: string): XluResult[];
  parse(text: string, file?: string): XluResult;
  close(): void;
}

/** The oracle, or a sentence saying why it cannot be used here. */
export function loadXlu(): Xlu | string {
  const lib = process.env.TXL_LIBXLUTIL ?? XLU_SONAME;
  // the child imports koffi from the project, so it lives in a folder under it
  const dir = mkdtempSync(join(ROOT, 'node_modules', '.txl-xlu-'));
  const script = join(dir, 'child.mjs');
  writeFileSync(script, CHILD);
  const run = (inFile: string, outFile: string, probe = false) =>
    spawnSync(process.execPath, [script, inFile, outFile, join(dir, 'report'), lib, 'guest.cfg', probe ? '1' : '0'], { encoding: 'utf8', timeout: 300_000 });
  const probe = run('', '', true);
  if (probe.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    const why = (probe.stderr || '').split('\n').find((l) => /Error|cannot|No such/.test(l)) ?? `exit ${probe.status}`;
    return `libxlutil (${lib}) cannot be loaded through koffi here: ${why.trim()}`;
  }
  const parseAll = (texts: string[], file = 'guest.cfg'): XluResult[] => {
    const results: XluResult[] = [];
    const inFile = join(dir, 'in.json');
    const outFile = join(dir, 'out.jsonl');
    while (results.length < texts.length) {
      const rest = texts.slice(results.length);
      writeFileSync(inFile, JSON.stringify(rest));
      writeFileSync(outFile, '');
      const r = spawnSync(process.execPath, [script, inFile, outFile, join(dir, 'report'), lib, file, '0'], { encoding: 'utf8', timeout: 300_000 });
      const lines = readFileSync(outFile, 'utf8').split('\n').filter(Boolean);
      for (const l of lines) {
        const { rc, report } = JSON.parse(l) as { rc: number; report: string };
        results.push({ rc, report, firstErrorLine: firstErrorLine(report, file) });
      }
      if (lines.length === rest.length) break;
      // the child died reading the next config: that config crashes libxlutil
      results.push({ rc: -1, report: r.stderr ?? '', crashed: r.signal ?? `exit ${r.status}` });
    }
    return results;
  };
  return {
    parseAll,
    parse: (text, file) => parseAll([text], file)[0],
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}
