// vdispl= specs (xl.cfg(5) "Virtual display"):
//   backend=DOM,be-alloc=0|1,connectors=ID:WxH;ID:WxH...
import type { Vdispl } from '../../src/core/model.js';
import { commaTokens, piece } from './common.js';
import { scanUnsigned, strtok, strtoul } from './cnum.js';
import { SpecReporter, unrepresentable, type ReadOptions, type SpecOrigin } from './origin.js';

type Connector = NonNullable<Vdispl['connectors']>[number];

export function parseVdispl(spec: string, origin?: SpecOrigin, opts: ReadOptions = {}): Vdispl {
  const rep = new SpecReporter(spec, origin, 'vdispl');
  const v: Vdispl = {};
  let connectors: Connector[] = [];
  for (const t of commaTokens(spec)) {
    const eq = t.text.indexOf('=');
    const key = eq < 0 ? t.text : t.text.slice(0, eq);
    const value = t.text.slice(eq + 1);
    const vat = t.at + eq + 1;
    if (eq >= 0 && key === 'backend') v.backend_domname = value;
    else if (eq >= 0 && key === 'be-alloc') v.be_alloc = strtoul(value, 0).value !== 0n;
    else if (eq >= 0 && key === 'connectors') {
      connectors = [];
      const items = strtok(value, ';', vat);
      if (!items.length) rep.fail(vat, 1, 'connectors= needs at least one ID:WIDTHxHEIGHT');
      for (const c of items) {
        const [id, res] = strtok(c.text, ':', c.at);
        if (!id || !res) rep.fail(c.at, c.text.length, `can't parse connector \`${c.text}' (expected ID:WIDTHxHEIGHT)`);
        const w = scanUnsigned(res!.text, 0);
        const h = w && res!.text[w.end] === 'x' ? scanUnsigned(res!.text, w.end + 1) : null;
        if (!w || !h) rep.fail(res!.at, res!.text.length, `can't parse connector resolution \`${res!.text}' (expected WIDTHxHEIGHT)`);
        connectors.push({ unique_id: id!.text, width: w!.value, height: h!.value });
      }
    } else rep.fail(t.at, Math.max(1, key.length), `unknown string \`${t.text}' in vdispl spec`, 'vdispl keys: backend, be-alloc, connectors');
  }
  if (!connectors.length) rep.fail(0, Math.max(1, spec.length), 'at least one connector should be specified', 'add connectors=ID:WIDTHxHEIGHT');
  rep.flushWarnings(opts.warnings);
  const out: Vdispl = {};
  if (v.backend_domname !== undefined) out.backend_domname = v.backend_domname;
  if (v.be_alloc) out.be_alloc = true;
  out.connectors = connectors.map((c) => {
    const o: Connector = { unique_id: c.unique_id };
    if (c.width) o.width = c.width;
    if (c.height) o.height = c.height;
    return o;
  });
  return out;
}

/** The canonical vdispl spec (devid comes from the position in the vdispl list). */
export function formatVdispl(v: Vdispl): string {
  const no = (why: string) => unrepresentable('vdispl', why);
  if (v.backend_domid) no('backend_domid cannot be given in a vdispl spec (use backend=NAME)');
  if (!v.connectors?.length) no('a vdispl needs at least one connector');
  const parts: string[] = [];
  piece('vdispl', 'backend', v.backend_domname, parts);
  if (v.be_alloc) parts.push('be-alloc=1');
  const conns = v.connectors!.map((c) => {
    const id = c.unique_id ?? '';
    if (id === '' || /[,;:]/.test(id)) no(`connector id ${JSON.stringify(id)} cannot be written`);
    return `${id}:${c.width ?? 0}x${c.height ?? 0}`;
  });
  parts.push(`connectors=${conns.join(';')}`);
  return parts.join(',');
}
