// The domain XML reader refuses DTDs and entity tricks before parsing, quickly and with a
// position, and reports malformed XML where it is malformed.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.js';
import { preflight } from '../parsers/xml/dom.js';
import { xmlToModel } from '../parsers/xml/read.js';

const MIN = `<domain type='xen'>\n  <name>g</name>\n  <memory>524288</memory>\n  <os><type>xen</type></os>\n</domain>\n`;

function refusal(text: string, file = 'dom.xml'): ConfigError {
  try {
    xmlToModel(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('refused before parsing', () => {
  it('a DOCTYPE, at its position', () => {
    const e = refusal(`<?xml version="1.0"?>\n<!DOCTYPE domain>\n${MIN}`);
    expect(e.diagnostics[0]).toMatchObject({ file: 'dom.xml', line: 2, col: 1, severity: 'error' });
    expect(e.message).toMatch(/^dom\.xml:2:1: DOCTYPE declarations are not accepted/);
  });

  it('an external entity (XXE)', () => {
    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE d [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]>\n<domain type='xen'><name>&x;</name></domain>`;
    const e = refusal(xxe);
    expect(e.diagnostics[0]).toMatchObject({ line: 2, col: 1 });
  });

  it('an entity declaration outside a DOCTYPE', () => {
    const e = refusal(`<!ENTITY a "b">\n${MIN}`);
    expect(e.message).toContain('entity declarations are not accepted');
  });

  it('a reference to an undeclared entity, at the reference', () => {
    const e = refusal(MIN.replace('<name>g</name>', '<name>g&nbsp;x</name>'));
    expect(e.diagnostics[0]).toMatchObject({ line: 2, col: 10, length: 6 });
    expect(e.diagnostics[0].message).toContain("'&nbsp;'");
  });

  it('a bare ampersand and an out-of-range character reference', () => {
    expect(refusal(MIN.replace('<name>g</name>', '<name>a & b</name>')).diagnostics[0]).toMatchObject({ line: 2, col: 11 });
    expect(refusal(MIN.replace('<name>g</name>', '<name>&#x110000;</name>')).message).toContain('not a valid character');
  });

  it('an entity expansion bomb, fast', () => {
    const lol = ['<!DOCTYPE lolz [', '<!ENTITY lol "lol">'];
    for (let i = 1; i < 10; i++) lol.push(`<!ENTITY lol${i} "${`&lol${i - 1 || ''};`.repeat(10)}">`);
    lol.push(']>', '<domain type="xen"><name>&lol9;</name></domain>');
    const big = lol.join('\n') + '\n' + '<!-- padding -->\n'.repeat(50000);
    const t0 = performance.now();
    const e = refusal(big);
    expect(performance.now() - t0).toBeLessThan(200);
    expect(e.diagnostics[0]).toMatchObject({ line: 1, col: 1 });
  });

  it('accepts the predefined and numeric references, and markup inside comments and CDATA', () => {
    expect(() => preflight(`<a b="&amp;&lt;&gt;&quot;&apos;&#65;&#x42;"><!-- <!DOCTYPE x> &bogus; --><![CDATA[ & <!ENTITY ]]></a>`, 'f')).not.toThrow();
    const { config } = xmlToModel(MIN.replace('<name>g</name>', '<name>a&amp;b&#x43;&#68;</name>'), 'f');
    expect(config.c_info.name).toBe('a&bCD');
  });

  it('absurd nesting and names that would touch JavaScript object internals', () => {
    const deep = MIN.replace('</domain>', `<metadata>${'<a>'.repeat(150)}${'</a>'.repeat(150)}</metadata></domain>`);
    expect(refusal(deep).diagnostics[0]).toMatchObject({ line: 5, col: 11 + 98 * 3 }); // the 99th <a>, at depth 101
    expect(refusal(MIN.replace('<name>', '<__proto__/><name>')).diagnostics[0]).toMatchObject({ line: 2, col: 4 });
    expect(refusal(MIN.replace('<memory>', "<memory toString='x'>")).message).toContain("the name 'toString' is not accepted");
  });

  it('an unterminated comment', () => {
    expect(refusal(`${MIN}<!-- open`).diagnostics[0]).toMatchObject({ line: 6, col: 1 });
  });
});

describe('malformed XML', () => {
  it('mismatched closing tag: line and column from the validator', () => {
    const e = refusal(`<domain type='xen'>\n  <name>g</name>\n  <os><type>hvm</os>\n</domain>`);
    expect(e.diagnostics[0]).toMatchObject({ line: 3, severity: 'error' });
    expect(e.diagnostics[0].col).toBeGreaterThan(1);
    expect(e.message).toMatch(/^dom\.xml:3:\d+: malformed XML: /);
    expect(e.diagnostics[0].excerpt).toBe('  <os><type>hvm</os>');
  });

  it('an attribute without quotes', () => {
    const e = refusal(`<domain type=xen>\n</domain>`);
    expect(e.diagnostics[0].line).toBe(1);
  });

  it('two root elements, and none', () => {
    expect(refusal(`${MIN}<domain/>`).message).toMatch(/malformed XML|more than one root/);
    expect(refusal(`<?xml version="1.0"?>`).message).toMatch(/malformed XML|no root/);
  });

  it('a root that is not <domain>, or a domain type that is not xen', () => {
    expect(refusal(`<network><name>x</name></network>`).message).toContain('expected <domain>');
    const e = refusal(MIN.replace("type='xen'", "type='kvm'"));
    expect(e.diagnostics[0]).toMatchObject({ line: 1, col: 9 });
    expect(e.message).toContain("domain type 'kvm' is not Xen");
  });
});
