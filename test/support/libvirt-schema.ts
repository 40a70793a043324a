// libvirt's own RelaxNG schema for domain XML, as Debian's libvirt0 package installs it, and
// xmllint (libxml2-utils) to check documents against it. .ci/run installs both; where they
// are missing the tests that need them skip visibly.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DOMAIN_RNG = process.env.TXL_LIBVIRT_DOMAIN_RNG ?? '/usr/share/libvirt/schemas/domain.rng';

function hasXmllint(): boolean {
  try {
    execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const schemaAvailable = existsSync(DOMAIN_RNG) && hasXmllint();
export const schemaMissing = schemaAvailable ? '' : `libvirt's domain.rng (${DOMAIN_RNG}, Debian package libvirt0) or xmllint (libxml2-utils) is not installed`;

/** Validates many documents in one xmllint run; returns the names of those that fail, with xmllint's messages. */
export function validateAll(docs: { name: string; xml: string }[]): { failed: { name: string; errors: string[] }[] } {
  const dir = mkdtempSync(join(tmpdir(), 'txl-rng-'));
  try {
    const files = docs.map((d, i) => {
      const f = join(dir, `${i}.xml`);
      writeFileSync(f, d.xml);
      return f;
    });
    let out = '';
    try {
      execFileSync('xmllint', ['--noout', '--relaxng', DOMAIN_RNG, ...files], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
    } catch (e) {
      out = String((e as { stderr?: string }).stderr ?? '');
    }
    const failed: { name: string; errors: string[] }[] = [];
    files.forEach((f, i) => {
      if (!out.includes(`${f} fails to validate`)) return;
      const errors = out.split('\n').filter((l) => l.startsWith(`${f}:`)).map((l) => l.slice(dir.length + 1));
      failed.push({ name: docs[i].name, errors });
    });
    return { failed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
