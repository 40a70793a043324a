// The real libxlutil (Xen 4.17's xl.cfg reader) through koffi, as an oracle for txl's own
// reader. libxlutil needs no hypervisor: xlu_cfg_init takes a FILE* it writes its parse
// errors to ("FILE:LINE: config parsing error near `X': ..."), so each call gets a temp file
// opened with fopen, read back after xlu_cfg_destroy. Absent library: `loadXlu()` says why.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const XLU_SONAME = 'libxlutil.so.4.17';

export interface XluResult {
  /** xlu_cfg_readdata's return: 0 accepted, else an errno (22 = EINVAL for syntax errors) */
  rc: number;
  /** what libxlutil wrote to its report stream */
  report: string;
  /** the line of the first "config parsing error", if it printed one */
  firstErrorLine?: number;
}

export interface Xlu {
  parse(text: string, file?: string): XluResult;
  close(): void;
}

let cached: Xlu | string | undefined;

/** The oracle, or a sentence saying why it cannot be loaded. */
export async function loadXlu(): Promise<Xlu | string> {
  if (cached) return cached;
  try {
    const koffi = (await import('koffi')).default;
    const libc = koffi.load('libc.so.6');
    const xlu = koffi.load(process.env.TXL_LIBXLUTIL ?? XLU_SONAME);
    koffi.opaque('FILE');
    koffi.opaque('XLU_Config');
    const fopen = libc.func('FILE *fopen(const char *path, const char *mode)');
    const fclose = libc.func('int fclose(FILE *f)');
    const init = xlu.func('XLU_Config *xlu_cfg_init(FILE *report, const char *report_filename)');
    const readdata = xlu.func('int xlu_cfg_readdata(XLU_Config *cfg, const uint8_t *data, int length)');
    const destroy = xlu.func('void xlu_cfg_destroy(XLU_Config *cfg)');
    const dir = mkdtempSync(join(tmpdir(), 'txl-xlu-'));
    const reportPath = join(dir, 'report');
    cached = {
      parse(text, file = 'guest.cfg') {
        const f = fopen(reportPath, 'w');
        if (!f) throw new Error(`fopen(${reportPath}) failed`);
        const cfg = init(f, file);
        if (!cfg) {
          fclose(f);
          throw new Error('xlu_cfg_init failed');
        }
        const bytes = Buffer.from(text, 'utf8');
        const rc = readdata(cfg, bytes, bytes.length) as number;
        destroy(cfg);
        fclose(f);
        const report = readFileSync(reportPath, 'utf8');
        const prefix = `${file}:`;
        let firstErrorLine: number | undefined;
        for (const line of report.split('\n')) {
          if (!line.startsWith(prefix)) continue;
          const m = /^(\d+): config parsing error/.exec(line.slice(prefix.length));
          if (m) {
            firstErrorLine = Number(m[1]);
            break;
          }
        }
        return { rc, report, firstErrorLine };
      },
      close() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    cached = `libxlutil is not loadable here (${(e as Error).message}); install libxenmisc4.17`;
  }
  return cached;
}
