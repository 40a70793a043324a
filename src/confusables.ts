// Names that read as another: "Domain–0" (en dash) beside "Domain-0", a Cyrillic "а" for a
// Latin "a". Such a name is a valid one, so it is only warned about, when a domain is given
// it while another already has the name it looks like. The fold is a small table (dashes,
// quotes, Cyrillic and Greek letters drawn like Latin ones) after NFKC, which already folds
// full-width and other compatibility forms; it is not Unicode's whole confusables list.
import type { Backend } from './core/backend-types.js';
import { domainNameProblem, printable } from './validate.js';

const FOLD: Record<string, string> = {};
const add = (from: string, to: string) => {
  for (const ch of from) FOLD[ch] = to;
};
add('\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2E3A\u2E3B\uFE58\uFE63\u058A\u05BE\u1806', '-');
add('\u2018\u2019\u201A\u201B\u2032\u02BC\u02B9\u00B4\u0060', "'");
add('\u201C\u201D\u201E\u201F\u2033\u02BA', '"');
add('\u2024\u0701\u0702', '.');
add('\u02D0\u0589\u05C3\u2236\uA789', ':');
add('\u2044\u2215', '/');
// Cyrillic
add('\u0430', 'a'); add('\u0435', 'e'); add('\u043E', 'o'); add('\u0440', 'p'); add('\u0441', 'c'); add('\u0443', 'y');
add('\u0445', 'x'); add('\u0456', 'i'); add('\u0458', 'j'); add('\u0455', 's'); add('\u0501', 'd'); add('\u04BB', 'h');
add('\u0410', 'A'); add('\u0412', 'B'); add('\u0415', 'E'); add('\u041A', 'K'); add('\u041C', 'M'); add('\u041D', 'H');
add('\u041E', 'O'); add('\u0420', 'P'); add('\u0421', 'C'); add('\u0422', 'T'); add('\u0425', 'X'); add('\u0406', 'I');
add('\u0408', 'J'); add('\u0405', 'S'); add('\u04C0', 'I'); add('\u0417', '3');
// Greek
add('\u0391', 'A'); add('\u0392', 'B'); add('\u0395', 'E'); add('\u0396', 'Z'); add('\u0397', 'H'); add('\u0399', 'I');
add('\u039A', 'K'); add('\u039C', 'M'); add('\u039D', 'N'); add('\u039F', 'O'); add('\u03A1', 'P'); add('\u03A4', 'T');
add('\u03A5', 'Y'); add('\u03A7', 'X'); add('\u03BF', 'o'); add('\u03BD', 'v'); add('\u03B9', 'i'); add('\u03BA', 'k');
add('\u03C1', 'p'); add('\u03C5', 'u'); add('\u03F2', 'c'); add('\u03F3', 'j');

/** The name as it reads: look-alikes folded to the character they pass for. */
export function foldConfusables(name: string): string {
  let out = '';
  for (const ch of name.normalize('NFKC')) out += FOLD[ch] ?? ch;
  return out;
}

/** The existing name this one passes for (not equal to it, folded equal), or undefined. */
export function confusableWith(name: string, existing: Iterable<string>): string | undefined {
  const folded = foldConfusables(name);
  for (const other of existing) if (other !== name && foldConfusables(other) === folded) return other;
  return undefined;
}

const codes = (s: string) => [...s].filter((ch) => ch.charCodeAt(0) > 0x7e).map((ch) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);

/**
 * The one-line warning for a name about to be given that reads as an existing domain's
 * (running or managed), or undefined. Only a name with a character outside ASCII is looked
 * at (an ASCII name beside an older look-alike was warned about when that one was named), so
 * the common create costs no listing.
 */
export async function confusableWarning(be: Backend, name: string | undefined): Promise<string | undefined> {
  if (!name || /^[\x20-\x7e]*$/.test(name) || domainNameProblem(name)) return undefined;
  const names = new Set<string>([...(await be.listDomains()).map((d) => d.name), ...(await be.listManaged()).map((m) => m.name)]);
  const other = confusableWith(name, names);
  if (!other) return undefined;
  const odd = [...new Set([...codes(name), ...codes(other)])].join(', ');
  return `'${printable(name)}' reads like the existing domain '${printable(other)}' (${odd}): check which one you mean`;
}
