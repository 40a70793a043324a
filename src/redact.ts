// Masking VNC/SPICE passwords in text meant for people: diagnostics, debug output, logs and
// the process title. No imports, so that the error module itself can use it.
// Keys whose values are secrets: VNC and SPICE passwords (xl.cfg vncpasswd/spicepasswd, vfb
// vncpasswd=, libxl JSON "passwd", libvirt passwd='...').
const SECRET = /((?:vnc|spice)?passw(?:or)?d[\w-]*["']?\s*(?:=|:)\s*)("[^"\n]*"|'[^'\n]*'|[^\s,;"'\]}>]+)/gi;

/**
 * The text with every secret value masked, character for character (so that a caret under
 * a later column still points at the right place): for diagnostics' excerpts and messages,
 * debug output and logs.
 */
export function redactSecrets(text: string): string {
  return text.replace(SECRET, (_m, key: string, value: string) => {
    const quoted = value[0] === '"' || value[0] === "'";
    const inner = quoted ? value.slice(1, -1) : value;
    const mask = '*'.repeat(inner.length);
    return key + (quoted ? value[0] + mask + value.at(-1) : mask);
  });
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
    const v = m[2];
    const inner = v[0] === '"' || v[0] === "'" ? v.slice(1, -1) : v;
    if (inner) out.push(inner);
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
  for (const v of values) message = message.split(v).join('*'.repeat(v.length));
  return { ...d, message, ...(d.excerpt !== undefined && { excerpt: redactSecrets(d.excerpt) }) };
}
