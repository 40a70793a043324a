// Issue 18: every corpus and fixture config survives the five format round trips with the
// same `txl create -N` output (uuid aside where none was given), and where the format can
// hold everything, the same text as writing the original model directly. Every domain XML
// txl writes here is checked against libvirt's own RelaxNG schema.
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.js';
import { read, roundTrip, sources, TRIPS, write, corpusPresent, type Fmt } from './support/roundtrip.js';
import { schemaAvailable, schemaMissing, validateAll } from './support/libvirt-schema.js';

const all = sources();

/** Configs a trip cannot take, and why: none of them is a conversion loss. */
const EXCEPTIONS: Record<string, string> = {
  'xml->xl->xml libvirt-xl/test-fullvirt-vnuma-autocomplete.xml':
    'xl refuses the config on the test host (12 vNUMA vCPUs over 8 host CPUs), as libvirt-xl pairs records; the xl.cfg keeps it all',
};

/** Text that cannot come back byte for byte because the middle format has no place for it. */
function textLossReason(from: Fmt, via: Fmt, m: ReturnType<(typeof read)['xml']>): string | undefined {
  if (via === 'json' && m.side) return 'libxl JSON has no place for what only domain XML or xl.cfg says (title, description, elements libxl has no field for)';
  return undefined;
}

const written: { name: string; xml: string }[] = [];
const tally = new Map<string, { run: number; same: number; exact: number; textLoss: number; excepted: number }>();

describe.skipIf(!corpusPresent)('format round trips of the corpus and fixtures', () => {
  it('finds the corpus and the fixtures', () => {
    expect(all.filter((s) => s.format === 'xl').length).toBeGreaterThanOrEqual(62);
    expect(all.filter((s) => s.format === 'xml').length).toBeGreaterThanOrEqual(68);
    expect(all.filter((s) => s.format === 'json').length).toBeGreaterThanOrEqual(80);
  });

  for (const [from, via] of TRIPS) {
    const trip = `${from}->${via}->${from}`;
    const t = { run: 0, same: 0, exact: 0, textLoss: 0, excepted: 0 };
    tally.set(trip, t);
    const list = all.filter((s) => s.format === from);
    it.each(list.map((s) => [s.name, s] as const))(`${trip}: %s`, (_n, s) => {
      t.run++;
      const why = EXCEPTIONS[`${trip} ${s.name}`];
      if (why) {
        expect(() => roundTrip(s.text, s.name, from, via)).toThrow(ConfigError);
        t.excepted++;
        return;
      }
      const m0 = read[from](s.text, s.name);
      if (via === 'xml') written.push({ name: `${s.name} as XML`, xml: write.xml(m0) });
      const r = roundTrip(s.text, s.name, from, via);
      if (from === 'xml') written.push({ name: `${s.name} after ${via}`, xml: r.again });
      expect(r.after).toBe(r.before);
      t.same++;
      if (textLossReason(from, via, m0)) {
        t.textLoss++;
        // only the part the middle format has no place for may differ
        const { side: _s, ...rest } = read[from](r.again, 'again');
        const { side: _t, ...orig } = m0;
        expect(rest).toEqual(orig);
        return;
      }
      expect(r.again).toBe(r.direct);
      t.exact++;
    });
  }

  it.skipIf(!schemaAvailable)(`every domain XML txl wrote is valid by libvirt's schema${schemaAvailable ? '' : ` (skipped: ${schemaMissing})`}`, () => {
    expect(written.length).toBeGreaterThan(200);
    const { failed } = validateAll(written);
    console.log(`libvirt schema: ${written.length - failed.length}/${written.length} domain XMLs txl wrote are valid`);
    expect(failed.map((f) => `${f.name}: ${f.errors.join('; ')}`)).toEqual([]);
  });

  it.skipIf(!schemaAvailable)(`the schema check does reject an invalid document${schemaAvailable ? '' : ` (skipped: ${schemaMissing})`}`, () => {
    const { failed } = validateAll([{ name: 'bad', xml: "<domain type='xen'><name>x</name><bogus/></domain>\n" }]);
    expect(failed.map((f) => f.name)).toEqual(['bad']);
  });

  afterAll(() => {
    const lines = [...tally].map(([k, t]) =>
      `  ${k}: ${t.same}/${t.run - t.excepted} same create -N, ${t.exact} byte-exact${t.textLoss ? `, ${t.textLoss} with only domain-XML-only parts lost in the middle format` : ''}${t.excepted ? `, ${t.excepted} excepted` : ''}`);
    console.log(['round trips (corpus and fixtures):', ...lines].join('\n'));
  });
});
