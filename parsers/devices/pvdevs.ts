// vtpm=, p9= and pvcalls= specs (xl.cfg(5)): key=value pieces; xl stops reading at the
// first piece without '=' and rejects unknown keys.
import type { P9, PvcallsIf, Vtpm } from '../../src/core/model.js';
import { keyValuesUntilBare, piece } from './common.js';
import { SpecReporter, unrepresentable, type ReadOptions, type SpecOrigin } from './origin.js';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function parseVtpm(spec: string, origin?: SpecOrigin, opts: ReadOptions = {}): Vtpm {
  const rep = new SpecReporter(spec, origin, 'vtpm');
  const v: Vtpm = {};
  let gotBackend = false;
  for (const { key, value, at, valueAt } of keyValuesUntilBare(spec, rep, 'vtpm')) {
    if (key === 'backend') { v.backend_domname = value; gotBackend = true; }
    else if (key === 'uuid') {
      if (!UUID.test(value)) rep.fail(valueAt, Math.max(1, value.length), `failed to parse vtpm UUID \`${value}'`, 'expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx');
      const u = value.toLowerCase();
      if (u === '00000000-0000-0000-0000-000000000000') delete v.uuid; // the nil uuid is libxl's "unset"
      else v.uuid = u;
    } else rep.fail(at, Math.max(1, key.length), `unknown string \`${key}' in vtpm spec`, 'vtpm keys: backend, uuid');
  }
  if (!gotBackend) rep.fail(0, Math.max(1, spec.length), 'vtpm spec missing required backend field');
  rep.flushWarnings(opts.warnings);
  return v;
}

export function formatVtpm(v: Vtpm): string {
  if (v.backend_domid) unrepresentable('vtpm', 'backend_domid cannot be given in a vtpm spec (use backend=NAME)');
  if (v.backend_domname === undefined) unrepresentable('vtpm', 'a vtpm spec needs backend=');
  if (v.uuid !== undefined && !UUID.test(v.uuid)) unrepresentable('vtpm', `uuid ${JSON.stringify(v.uuid)}`);
  const parts: string[] = [];
  piece('vtpm', 'backend', v.backend_domname, parts);
  piece('vtpm', 'uuid', v.uuid, parts);
  return parts.join(',');
}

/**
 * Note: xl keeps tag/path/security_model/backend from one p9 list item to the next (its
 * variables live outside the loop), so a later item may silently inherit an earlier one's
 * values. This reader looks at one spec only; the config mapping must decide about that.
 */
export function parseP9(spec: string, origin?: SpecOrigin, opts: ReadOptions = {}): P9 {
  const rep = new SpecReporter(spec, origin, 'p9');
  const p: P9 = {};
  for (const { key, value, at } of keyValuesUntilBare(spec, rep, 'p9')) {
    if (key === 'security_model') p.security_model = value;
    else if (key === 'path') p.path = value;
    else if (key === 'tag') p.tag = value;
    else if (key === 'backend') p.backend_domname = value;
    else rep.fail(at, Math.max(1, key.length), `unknown string \`${key}' in 9pfs spec`, 'p9 keys: tag, path, security_model, backend');
  }
  if (p.path === undefined || p.security_model === undefined || p.tag === undefined) {
    rep.fail(0, Math.max(1, spec.length), '9pfs spec missing required field (tag, path and security_model are all needed)');
  }
  rep.flushWarnings(opts.warnings);
  return { ...(p.backend_domname !== undefined && { backend_domname: p.backend_domname }), tag: p.tag, path: p.path, security_model: p.security_model };
}

export function formatP9(p: P9): string {
  if (p.backend_domid) unrepresentable('p9', 'backend_domid cannot be given in a p9 spec (use backend=NAME)');
  if (p.tag === undefined || p.path === undefined || p.security_model === undefined) unrepresentable('p9', 'tag, path and security_model are all needed');
  const parts: string[] = [];
  piece('p9', 'tag', p.tag, parts);
  piece('p9', 'security_model', p.security_model, parts);
  piece('p9', 'path', p.path, parts);
  piece('p9', 'backend', p.backend_domname, parts);
  return parts.join(',');
}

export function parsePvcalls(spec: string, origin?: SpecOrigin, opts: ReadOptions = {}): PvcallsIf {
  const rep = new SpecReporter(spec, origin, 'pvcalls');
  const p: PvcallsIf = {};
  for (const { key, value, at } of keyValuesUntilBare(spec, rep, 'pvcalls')) {
    if (key === 'backend') p.backend_domname = value;
    else rep.fail(at, Math.max(1, key.length), `unknown string \`${key}' in pvcalls spec`, 'the only pvcalls key is backend');
  }
  rep.flushWarnings(opts.warnings);
  return p;
}

export function formatPvcalls(p: PvcallsIf): string {
  if (p.backend_domid) unrepresentable('pvcalls', 'backend_domid cannot be given in a pvcalls spec (use backend=NAME)');
  const parts: string[] = [];
  piece('pvcalls', 'backend', p.backend_domname, parts);
  return parts.join(',');
}
