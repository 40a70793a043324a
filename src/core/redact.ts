// Masking VNC/SPICE passwords in text meant for people: diagnostics, debug output, logs and
// the process title. No imports, so that the error module itself can use it.
// Keys whose values are secrets: VNC and SPICE passwords (xl.cfg vncpasswd/spicepasswd, vfb
// vncpasswd=, libxl JSON "passwd", libvirt passwd='...').
// A value is a quoted string (perhaps unterminated: the diagnostic may be about just that),
// a bracketed list (xl.cfg refuses one there, and the error quotes the line), or a bare word;
// strings right after it belong to it too (`"a" "b"` is an error that quotes the second).
// The key is followed by = or :, or is a quoted string followed by a comma: side.xml keeps
// libvirt's attributes as ["passwd","..."] pairs, which xl.cfg's #@txl lines and the XML
// writer's <metadata> (with &quot; for ") carry, and an error may quote such a line.
const QUOTE = `(?:["']|&quot;|&apos;)`;
const STR = `"[^"\n]*"?|'[^'\n]*'?|&quot;(?:(?!&quot;)[^\n])*(?:&quot;)?`;
const SECRET = new RegExp(
  `((?:vnc|spice)?passw(?:or)?d[\\w-]*(?:${QUOTE}?\\s*(?:=|:)|${QUOTE}\\s*,)\\s*)((?:${STR}|\\[[^\\]\n]*\\]?|[^\\s,;"'\\]}>]+)(?:[ \t]*(?:${STR}))*)`,
  'gi',
);
/** The secret parts of a matched value: a string without its quotes, a list's items without its punctuation. */
function secretParts(value: string): string[] {
  return [...value.matchAll(/&quot;((?:(?!&quot;)[^\n])*)(?:&quot;)?|"([^"\n]*)"?|'([^'\n]*)'?|\[([^\]\n]*)\]?|([^\s"'[]+)/g)].flatMap((m) =>
    m[4] !== undefined ? m[4].split(/["',\s]+/) : [m[1] ?? m[2] ?? m[3] ?? m[5]]).filter(Boolean);
}
/** The value masked character for character: a string's whole inside, a list's items, a bare word. */
function maskValue(value: string): string {
  return value.replace(/&quot;(?:(?!&quot;)[^\n])*(?:&quot;)?|"[^"\n]*"?|'[^'\n]*'?|\[[^\]\n]*\]?|[^\s"'[]+/g, (m) => {
    if (m.startsWith('&quot;')) {
      const closed = m.length >= 12 && m.endsWith('&quot;');
      return '&quot;' + '*'.repeat(m.length - (closed ? 12 : 6)) + (closed ? '&quot;' : '');
    }
    if (m[0] === '[') return m.replace(/[^"'[\],\s]/g, '*');
    if (m[0] !== '"' && m[0] !== "'") return '*'.repeat(m.length);
    const closed = m.length > 1 && m.at(-1) === m[0];
    return m[0] + '*'.repeat(m.length - (closed ? 2 : 1)) + (closed ? m[0] : '');
  });
}

/**
 * The text with every secret value masked, character for character (so that a caret under
 * a later column still points at the right place): for diagnostics' excerpts and messages,
 * debug output and logs.
 */
export function redactSecrets(text: string): string {
  return text.replace(SECRET, (_m, key: string, value: string) => key + maskValue(value));
}

/**
 * The process title to set when the command line holds a secret (`txl create g.cfg
 * vncpasswd=...` is visible to every user in ps and /proc/PID/cmdline), or undefined when
 * it holds none: `process.title = t` rewrites the arguments the kernel shows.
 */
export function secretFreeTitle(argv: string[], name = 'txl'): string | undefined {
  // every command starts here: compiling SECRET costs more than this look (~0.5 ms)
  if (!argv.some((a) => a.toLowerCase().includes('passw'))) return undefined;
  const masked = argv.map(redactSecrets);
  return masked.some((a, i) => a !== argv[i]) ? [name, ...masked].join(' ') : undefined;
}

/** The secret values a text gives (without their quotes). */
export function secretValues(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(SECRET)) {
    for (const v of secretParts(m[2])) if (v) out.push(v);
  }
  return out;
}

/**
 * A diagnostic's message and excerpt fit to print: secret values masked in the excerpt, and
 * also wherever the message quotes them (`unexpected \`S3cret\``: the message cannot know).
 */
export function redactDiagnostic<D extends { message: string; excerpt?: string }>(d: D): D {
  const values = secretValues(d.excerpt ?? '');
  let message = redactSecrets(d.message);
  for (const v of values) {
    // a short value ("a") is masked only as a word of its own: inside "after" it says nothing
    const at = v.length < 4 ? new RegExp(`(?<![\\p{L}\\p{N}])${v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'gu') : undefined;
    message = at ? message.replace(at, '*'.repeat(v.length)) : message.split(v).join('*'.repeat(v.length));
  }
  return { ...d, message, ...(d.excerpt !== undefined && { excerpt: redactSecrets(d.excerpt) }) };
}
