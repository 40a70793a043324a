// dumpxml, config and edit through the real binary on a private simulated host.
import { describe, it, expect, beforeEach } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simHost, type SimHost } from './support/inproc.js';
import { ok, fails } from './support/simcheck.js';
import { xmlToModel } from '../parsers/xml/read.js';
import { libxlJsonToModel } from '../parsers/libxl-json.js';

const GUEST = `name = "guest"
type = "pvh"
kernel = "/boot/vmlinuz"
memory = 512
maxmem = 1024
vcpus = 2
disk = [ "vdev=xvda, target=/srv/guest.img" ]
vif = [ "mac=00:16:3e:00:00:01, bridge=xenbr0" ]
`;

const WEB_XML = `<domain type='xen'>
  <name>web</name>
  <description>the web server</description>
  <memory unit='KiB'>262144</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='xenpv'>linux</type>
    <kernel>/boot/vmlinuz</kernel>
  </os>
</domain>
`;

// An editor for tests: replaces ED_FIND (a regular expression) with ED_REPLACE in the file.
const EDITOR_JS = `import { readFileSync, writeFileSync } from 'node:fs';
const f = process.argv[2];
const re = new RegExp(process.env.ED_FIND ?? '^$', 'm');
writeFileSync(f, readFileSync(f, 'utf8').replace(re, process.env.ED_REPLACE ?? ''));
if (process.env.ED_ALSO) writeFileSync(process.env.ED_ALSO, process.env.ED_ALSO_TEXT ?? '');
process.exit(Number(process.env.ED_EXIT ?? 0));
`;



describe('dumpxml and config', () => {
  let h: SimHost;
  beforeEach(() => {
    h = simHost();
    ok(h, ['create', h.file('guest.cfg', GUEST)]);
  });

  it('dumpxml: the live domain XML, with its id, read back to the same devices', () => {
    ok(h, ['block-attach', 'guest', 'vdev=xvdb,target=/srv/data.img']);
    ok(h, ['mem-set', 'guest', '768m']);
    const out = ok(h, ['dumpxml', 'guest']).stdout;
    expect(out.startsWith("<domain type='xen' id='1'>\n  <name>guest</name>\n")).toBe(true);
    expect(out.endsWith('</domain>\n\n')).toBe(true); // virsh's empty line after the output
    expect(out).toContain("<currentMemory unit='KiB'>786432</currentMemory>");
    expect(out).toContain("<target dev='vif1.0'/>");
    const back = xmlToModel(out, 'dumpxml').config;
    expect(back.disks?.map((d) => [d.vdev, d.pdev_path])).toEqual([['xvda', '/srv/guest.img'], ['xvdb', '/srv/data.img']]);
    expect(back.nics?.[0].mac).toBe('00:16:3e:00:00:01');
    expect(back.c_info.uuid).toBe(h.state().domains[1].uuid);
    expect(ok(h, ['dumpxml', h.state().domains[1].uuid]).stdout).toBe(out);
    expect(JSON.parse(ok(h, ['-o', 'json', 'dumpxml', '1']).stdout)).toMatchObject({ domid: 1, config: { c_info: { name: 'guest' } } });
  });

  it('config: the live config in each format, xl.cfg by default', () => {
    ok(h, ['network-attach', 'guest', 'mac=00:16:3e:00:00:02', 'bridge=xenbr1']);
    ok(h, ['vcpu-set', 'guest', '1']);
    const xl = ok(h, ['config', 'guest']).stdout;
    expect(xl).toMatch(/^name = "guest"$/m);
    expect(xl).toMatch(/^memory = 512$/m);
    expect(xl).toMatch(/^vcpus = 1$/m);
    expect(xl).toContain('mac=00:16:3e:00:00:02,bridge=xenbr1');
    const json = libxlJsonToModel(ok(h, ['config', 'guest', '--as', 'json']).stdout, 'config.json');
    expect(json.nics?.map((n) => n.mac)).toEqual(['00:16:3e:00:00:01', '00:16:3e:00:00:02']);
    expect(json.b_info.avail_vcpus).toEqual([0]);
    const xml = ok(h, ['config', 'guest', '--as', 'xml']).stdout;
    expect(xml).toMatch(/^<domain type='xen'>$/m);
    expect(xml).not.toContain(' id=');
    expect(xmlToModel(xml, 'x').config.b_info.target_memkb).toBe(524288);
    const model = JSON.parse(ok(h, ['-o', 'json', 'config', 'guest']).stdout);
    expect(model).toMatchObject({ c_info: { name: 'guest', type: 'pvh' }, b_info: { target_memkb: 524288, max_memkb: 1048576 } });
    fails(h, ['config', 'guest', '--as', 'yaml'], 2, /argument 'yaml' is invalid/);
  });

  it('shows the stored config of a managed domain that is not running', () => {
    ok(h, ['define', h.file('web.xml', WEB_XML)]);
    const xml = ok(h, ['dumpxml', 'web']).stdout;
    expect(xml.startsWith("<domain type='xen'>\n")).toBe(true);
    expect(xml).toContain('<description>the web server</description>');
    expect(ok(h, ['config', 'web']).stdout).toMatch(/^memory = 256$/m);
  });

  it('says no domain for an unknown one', () => {
    fails(h, ['dumpxml', 'nope'], 1, /^txl: error: no domain 'nope'$/m);
    fails(h, ['config', 'nope'], 1, /^txl: error: no domain 'nope'$/m);
    fails(h, ['edit', 'nope'], 1, /^txl: error: no domain 'nope'$/m);
  });
});

describe('edit', () => {
  let h: SimHost;
  let editor: string;
  let stored: string;
  const edit = (env: Record<string, string>) => ({ EDITOR: editor, VISUAL: '', ...env });
  beforeEach(() => {
    h = simHost();
    editor = `${process.execPath} ${h.file('ed.mjs', EDITOR_JS)}`;
    ok(h, ['define', h.file('guest.cfg', GUEST)]);
    stored = join(h.dir, 'managed', 'guest.json');
    expect(existsSync(stored)).toBe(true);
  });

  it('saves a valid edit in the stored format (libxl JSON)', () => {
    const r = ok(h, ['edit', 'guest'], edit({ ED_FIND: '"target_memkb": 524288', ED_REPLACE: '"target_memkb": 786432' }));
    expect(r.stdout).toBe("Domain 'guest' config edited.\n");
    expect(JSON.parse(readFileSync(stored, 'utf8')).b_info.target_memkb).toBe(786432);
    expect(ok(h, ['config', 'guest']).stdout).toMatch(/^memory = 768$/m);
    // and it starts with the edited config
    ok(h, ['start', 'guest']);
    expect(h.state().domains[1].target_kb).toBe(786432);
  });

  it('edits as xl.cfg with --as xl, and VISUAL wins over EDITOR', () => {
    ok(h, ['edit', 'guest', '--as', 'xl'], edit({ VISUAL: editor, EDITOR: 'false', ED_FIND: '^vcpus = 2$', ED_REPLACE: 'vcpus = 3\nmaxvcpus = 4' }));
    const cfg = JSON.parse(readFileSync(stored, 'utf8'));
    expect(cfg.b_info.max_vcpus).toBe(4);
    expect(cfg.b_info.avail_vcpus).toEqual([0, 1, 2]);
  });

  it('refuses an invalid config, says where, keeps the stored one and the edit', () => {
    const before = readFileSync(stored, 'utf8');
    const r = fails(h, ['edit', 'guest', '--as', 'xl'], 2, /guest\.cfg:\d+:10: error: unquoted word `x512`/, edit({ ED_FIND: '^memory = 512$', ED_REPLACE: 'memory = x512' }));
    expect(r.stderr).toMatch(/^ {2}memory = x512$/m);
    const kept = /your edit is kept in (\S+)/.exec(r.stderr)?.[1];
    expect(kept && readFileSync(kept, 'utf8')).toContain('memory = x512');
    expect(readFileSync(stored, 'utf8')).toBe(before);
    // JSON too: the position is the JSON text's
    fails(h, ['edit', 'guest'], 2, /guest\.json:\d+:\d+: error: /, edit({ ED_FIND: '"max_memkb": 1048576', ED_REPLACE: '"max_memkb": "lots"' }));
    expect(readFileSync(stored, 'utf8')).toBe(before);
  });

  it('refuses a new name or UUID, pointing at it', () => {
    const before = readFileSync(stored, 'utf8');
    fails(h, ['edit', 'guest', '--as', 'xl'], 2, /guest\.cfg:1:9: error: the name cannot change here \(from 'guest' to 'web'\)/, edit({ ED_FIND: '^name = "guest"$', ED_REPLACE: 'name = "web"' }));
    fails(h, ['edit', 'guest', '--as', 'xl'], 2, /the UUID cannot change/, edit({ ED_FIND: '^uuid = ".*"$', ED_REPLACE: 'uuid = "11111111-2222-3333-4444-555555555555"' }));
    expect(readFileSync(stored, 'utf8')).toBe(before);
  });

  it('changes nothing when nothing was edited, the editor fails, or -N is given', () => {
    const before = readFileSync(stored, 'utf8');
    const same = ok(h, ['edit', 'guest'], edit({}));
    expect(same.stderr).toContain("Domain 'guest' config not changed.");
    fails(h, ['edit', 'guest'], 1, /the editor '.*' failed \(exit status 3\); nothing was saved/, edit({ ED_FIND: '524288', ED_REPLACE: '1', ED_EXIT: '3' }));
    ok(h, ['-N', 'edit', 'guest'], edit({ ED_FIND: '524288', ED_REPLACE: '786432' }));
    expect(readFileSync(stored, 'utf8')).toBe(before);
  });

  it('does not overwrite a change made by someone else meanwhile', () => {
    const theirs = readFileSync(stored, 'utf8').replace('524288', '262144');
    fails(h, ['edit', 'guest'], 1, /changed by someone else while it was being edited/, edit({ ED_FIND: '1048576', ED_REPLACE: '2097152', ED_ALSO: stored, ED_ALSO_TEXT: theirs }));
    expect(readFileSync(stored, 'utf8')).toBe(theirs);
  });

  it('keeps what the edited format cannot say (an XML description edited as JSON)', () => {
    ok(h, ['define', h.file('web.xml', WEB_XML)]);
    ok(h, ['edit', 'web', '--as', 'json'], edit({ ED_FIND: '"target_memkb": 262144', ED_REPLACE: '"target_memkb": 131072' }));
    const xml = ok(h, ['dumpxml', 'web']).stdout;
    expect(xml).toContain('<description>the web server</description>');
    expect(xml).toContain("<currentMemory unit='KiB'>131072</currentMemory>");
  });

  it('edits managed domains only', () => {
    ok(h, ['create', h.file('live.cfg', GUEST.replace('"guest"', '"live"'))]);
    fails(h, ['edit', 'live'], 1, /domain 'live' is not a managed domain/, edit({}));
  });
});
