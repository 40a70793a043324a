// The five format round trips of issue 18, in-process: a config goes through another format
// and back, and must give the same `txl create -N` output (the libxl JSON) as it did before,
// and where the format allows, the same text as writing the original model directly.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DomainConfig } from '../../src/core/model.js';
import { CORPUS_HOST } from '../../parsers/host.js';
import { libxlJsonToModel, modelToLibxlJson } from '../../parsers/libxl-json.js';
import { xlcfgToModel } from '../../parsers/xlcfg/to-model.js';
import { modelToXlcfg } from '../../parsers/xlcfg/write.js';
import { defaultXlConf } from '../../parsers/xlcfg/xlconf.js';
import { xmlToModel } from '../../parsers/xml/read.js';
import { modelToXml } from '../../parsers/xml/write.js';

export type Fmt = 'xl' | 'xml' | 'json';

export const read: Record<Fmt, (text: string, file: string) => DomainConfig> = {
  xl: (t, f) => xlcfgToModel(t, f, { xlconf: defaultXlConf(), host: CORPUS_HOST }).config,
  xml: (t, f) => xmlToModel(t, f, { host: CORPUS_HOST }).config,
  json: (t, f) => libxlJsonToModel(t, f),
};
export const write: Record<Fmt, (m: DomainConfig) => string> = { xl: modelToXlcfg, xml: modelToXml, json: modelToLibxlJson };

/** What `txl create -N` prints for a model; a uuid the source did not give is random and left out. */
export function createN(m: DomainConfig, keepUuid: boolean): string {
  const j = JSON.parse(modelToLibxlJson(m));
  if (!keepUuid) delete j.c_info.uuid;
  return JSON.stringify(j, null, 1);
}

export interface TripResult {
  /** create -N of the source and of the config after the trip */
  before: string;
  after: string;
  /** the text written from the source model, and the same format's text after the trip */
  direct: string;
  again: string;
}

/** source text in `from` -> `via` -> `from`, read back; texts compared in `from`. */
export function roundTrip(text: string, file: string, from: Fmt, via: Fmt): TripResult {
  const m0 = read[from](text, file);
  const keepUuid = m0.c_info.uuid !== undefined;
  const mid = write[via](m0);
  const m1 = read[via](mid, `${file}.${via}`);
  const back = write[from](m1);
  const m2 = read[from](back, `${file}.back.${from}`);
  return { before: createN(m0, keepUuid), after: createN(m2, keepUuid), direct: write[from](m0), again: back };
}

export interface Source { name: string; format: Fmt; text: string }

const CORPUS = join(__dirname, '../../../shared/corpus');
export const corpusPresent = existsSync(CORPUS);

/** Every corpus and fixture config that txl reads, by its own format. */
export function sources(): Source[] {
  const out: Source[] = [];
  const add = (name: string, format: Fmt, path: string) => {
    const text = readFileSync(path, 'utf8');
    try {
      read[format](text, name);
      out.push({ name, format, text });
    } catch {
      /* a config txl rejects (as xl does) has no round trip */
    }
  };
  add('examples/guest.cfg', 'xl', join(__dirname, '../../examples/guest.cfg'));
  if (!corpusPresent) return out;
  const ls = (d: string) => readdirSync(join(CORPUS, d)).sort();
  for (const f of ls('libvirt-xl')) add(`libvirt-xl/${f}`, f.endsWith('.cfg') ? 'xl' : 'xml', join(CORPUS, 'libvirt-xl', f));
  for (const f of ls('xen-examples')) if (f !== 'xl.conf' && f !== 'cpupool') add(`xen-examples/${f}`, 'xl', join(CORPUS, 'xen-examples', f));
  for (const f of ls('libvirt-libxl-json')) add(`libvirt-libxl-json/${f}`, f.endsWith('.xml') ? 'xml' : 'json', join(CORPUS, 'libvirt-libxl-json', f));
  for (const d of ['libvirt-xl', 'xen-examples']) {
    for (const f of ls(`xl-dryrun/${d}`)) if (f.endsWith('.json')) add(`xl-dryrun/${d}/${f}`, 'json', join(CORPUS, 'xl-dryrun', d, f));
  }
  return out;
}

export const TRIPS: [Fmt, Fmt][] = [['xl', 'xml'], ['xl', 'json'], ['xml', 'xl'], ['xml', 'json'], ['json', 'xml']];
