// vsnd= (xl.cfg(5) "Virtual sound"): each card is a list of strings, each string starts
// with CARD, PCM or STREAM and carries that level's key=value parameters:
//   vsnd = [ ['CARD, short-name=Main, sample-formats=s16_le;s8',
//             'PCM, name=Main', 'STREAM, unique-id=0, type=p', 'STREAM, unique-id=1, type=c'] ]
// A STREAM belongs to the last PCM (one is made if there is none yet).
import type { Vsnd, VsndParams } from '../../src/core/model.js';
import { ConfigError } from '../../src/core/errors.js';
import { strtok, strtoul, toUint32, matchOption } from './cnum.js';
import { commaTokens, compact } from './common.js';
import { SpecReporter, defaultOrigin, unrepresentable, type ReadOptions, type SpecOrigin } from './origin.js';

type Pcm = NonNullable<Vsnd['pcms']>[number];
type Stream = NonNullable<Pcm['streams']>[number];

export const VSND_FORMATS = [
  's8', 'u8', 's16_le', 's16_be', 'u16_le', 'u16_be', 's24_le', 's24_be', 'u24_le', 'u24_be', 's32_le', 's32_be',
  'u32_le', 'u32_be', 'f32_le', 'f32_be', 'f64_le', 'f64_be', 'iec958_subframe_le', 'iec958_subframe_be',
  'mu_law', 'a_law', 'ima_adpcm', 'mpeg', 'gsm',
];

const NUMBER_PARAMS = { 'channels-min': 'channels_min', 'channels-max': 'channels_max', 'buffer-size': 'buffer_size' } as const;

/** One of the parameters every level shares; false when `token` is not one of them. */
function applyParam(params: VsndParams, token: string, at: number, rep: SpecReporter): boolean {
  let v: string | undefined;
  if ((v = matchOption('sample-rates', token)) !== undefined) {
    const items = strtok(v, ';');
    if (!items.length) rep.fail(at, token.length, 'sample-rates= needs at least one rate');
    params.sample_rates = items.map((r) => toUint32(strtoul(r.text, 0).value));
    return true;
  }
  if ((v = matchOption('sample-formats', token)) !== undefined) {
    const items = strtok(v, ';', at + 'sample-formats='.length);
    if (!items.length) rep.fail(at, token.length, 'sample-formats= needs at least one format');
    params.sample_formats = items.map((f) => {
      const name = f.text.toLowerCase();
      if (!VSND_FORMATS.includes(name)) rep.fail(f.at, f.text.length, `invalid pcm format \`${f.text}'`, `formats: ${VSND_FORMATS.join(', ')}`);
      return name;
    });
    return true;
  }
  for (const [key, field] of Object.entries(NUMBER_PARAMS)) {
    if ((v = matchOption(key, token)) !== undefined) {
      params[field] = toUint32(strtoul(v, 0).value);
      return true;
    }
  }
  return false;
}

function tidyParams(p: VsndParams | undefined): VsndParams | undefined {
  if (!p) return undefined;
  const out = compact(p);
  return Object.keys(out).length ? out : undefined;
}

/**
 * Reads one card: the list of strings of one vsnd= element. `origin` may give one origin
 * per string; a single origin is used for every string.
 */
export function parseVsnd(spec: unknown, origin?: SpecOrigin | SpecOrigin[], opts: ReadOptions = {}): Vsnd {
  const first = Array.isArray(origin) ? origin[0] : origin;
  if (!Array.isArray(spec) || !spec.every((s) => typeof s === 'string')) {
    const o = first ?? defaultOrigin(String(spec));
    throw new ConfigError([{ severity: 'error', file: o.file, line: o.line, col: o.col, message: 'a vsnd card must be a list of strings', hint: "e.g. vsnd = [ ['CARD, short-name=Main', 'PCM, name=Main', 'STREAM, unique-id=0, type=p'] ]", ...(o.excerpt !== undefined && { excerpt: o.excerpt }) }]);
  }
  interface S { unique_id?: string; type?: 'p' | 'c'; params: VsndParams }
  interface P { name?: string; params: VsndParams; streams: S[] }
  const card: { backend_domname?: string; short_name?: string; long_name?: string; params: VsndParams; pcms: P[] } = { params: {}, pcms: [] };
  (spec as string[]).forEach((item, idx) => {
    const o = Array.isArray(origin) ? origin[idx] : origin;
    const rep = new SpecReporter(item, o, 'vsnd');
    const tokens = commaTokens(item);
    if (!tokens.length) return;
    const [head, ...rest] = tokens;
    const level = head!.text.toLowerCase();
    if (level === 'pcm') card.pcms.push({ params: {}, streams: [] });
    else if (level === 'stream') {
      if (!card.pcms.length) card.pcms.push({ params: {}, streams: [] });
      card.pcms.at(-1)!.streams.push({ params: {} });
    } else if (level !== 'card') rep.fail(head!.at, head!.text.length, `invalid key \`${head!.text}'`, 'each vsnd string starts with CARD, PCM or STREAM');
    for (const t of rest) {
      let v: string | undefined;
      if (level === 'card') {
        if (applyParam(card.params, t.text, t.at, rep)) continue;
        if ((v = matchOption('backend', t.text)) !== undefined) card.backend_domname = v;
        else if ((v = matchOption('short-name', t.text)) !== undefined) card.short_name = v;
        else if ((v = matchOption('long-name', t.text)) !== undefined) card.long_name = v;
        else rep.fail(t.at, t.text.length, `invalid parameter \`${t.text}' for CARD`);
      } else if (level === 'pcm') {
        const pcm = card.pcms.at(-1)!;
        if (applyParam(pcm.params, t.text, t.at, rep)) continue;
        if ((v = matchOption('name', t.text)) !== undefined) pcm.name = v;
        else rep.fail(t.at, t.text.length, `invalid parameter \`${t.text}' for PCM`);
      } else {
        const stream = card.pcms.at(-1)!.streams.at(-1)!;
        if (applyParam(stream.params, t.text, t.at, rep)) continue;
        if ((v = matchOption('unique-id', t.text)) !== undefined) stream.unique_id = v;
        else if ((v = matchOption('type', t.text)) !== undefined) {
          const ty = v.toLowerCase();
          if (ty !== 'p' && ty !== 'c') rep.fail(t.at + 5, Math.max(1, v.length), `invalid stream type \`${v}' (expected p or c)`);
          stream.type = ty as 'p' | 'c';
        } else rep.fail(t.at, t.text.length, `invalid parameter \`${t.text}' for STREAM`);
      }
    }
    rep.flushWarnings(opts.warnings);
  });
  const out: Vsnd = {};
  if (card.backend_domname !== undefined) out.backend_domname = card.backend_domname;
  if (card.short_name !== undefined) out.short_name = card.short_name;
  if (card.long_name !== undefined) out.long_name = card.long_name;
  const params = tidyParams(card.params);
  if (params) out.params = params;
  if (card.pcms.length) {
    out.pcms = card.pcms.map((p) => {
      const pcm: Pcm = {};
      if (p.name !== undefined) pcm.name = p.name;
      const pp = tidyParams(p.params);
      if (pp) pcm.params = pp;
      if (p.streams.length) {
        pcm.streams = p.streams.map((s) => {
          const st: Stream = {};
          if (s.unique_id !== undefined) st.unique_id = s.unique_id;
          if (s.type) st.type = s.type;
          const sp = tidyParams(s.params);
          if (sp) st.params = sp;
          return st;
        });
      }
      return pcm;
    });
  }
  return out;
}

function formatParams(p: VsndParams | undefined, parts: string[]): void {
  if (!p) return;
  const no = (why: string) => unrepresentable('vsnd', why);
  if (p.sample_rates?.length) parts.push(`sample-rates=${p.sample_rates.join(';')}`);
  if (p.sample_formats?.length) {
    for (const f of p.sample_formats) if (!VSND_FORMATS.includes(f.toLowerCase())) no(`sample format ${JSON.stringify(f)}`);
    parts.push(`sample-formats=${p.sample_formats.join(';')}`);
  }
  for (const [key, field] of Object.entries(NUMBER_PARAMS)) if (p[field]) parts.push(`${key}=${p[field]}`);
}

function text(kind: string, v: string): string {
  if (v.includes(',') || v.startsWith(' ')) unrepresentable('vsnd', `${kind} ${JSON.stringify(v)} cannot be written`);
  return v;
}

/** The canonical list of strings for one card (devid comes from the position in vsnd=). */
export function formatVsnd(v: Vsnd): string[] {
  if (v.backend_domid) unrepresentable('vsnd', 'backend_domid cannot be given in a vsnd spec (use backend=NAME)');
  const out: string[] = [];
  const card = ['CARD'];
  if (v.short_name !== undefined) card.push(`short-name=${text('short-name', v.short_name)}`);
  if (v.long_name !== undefined) card.push(`long-name=${text('long-name', v.long_name)}`);
  if (v.backend_domname !== undefined) card.push(`backend=${text('backend', v.backend_domname)}`);
  formatParams(v.params, card);
  out.push(card.join(', '));
  for (const p of v.pcms ?? []) {
    const pcm = ['PCM'];
    if (p.name !== undefined) pcm.push(`name=${text('name', p.name)}`);
    formatParams(p.params, pcm);
    out.push(pcm.join(', '));
    for (const s of p.streams ?? []) {
      const st = ['STREAM'];
      if (s.unique_id !== undefined) st.push(`unique-id=${text('unique-id', s.unique_id)}`);
      if (s.type) st.push(`type=${s.type}`);
      formatParams(s.params, st);
      out.push(st.join(', '));
    }
  }
  return out;
}
