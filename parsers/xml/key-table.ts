// The libvirt elements that the xl.cfg key table (parsers/xlcfg/key-table.ts) maps directly:
// an element whose text is one model field. The reader and writer take them from there.

import { KEY_TABLE } from '../xlcfg/key-table.js';

export interface TextElement {
  /** the element's name under its parent */
  name: string;
  path: string;
  alt?: string;
}

/** The direct text elements under `parent` (e.g. 'os'), in the table's order. */
export function textElements(parent: string): TextElement[] {
  return KEY_TABLE.filter((k) => k.xmlText && k.xml?.startsWith(`${parent}/`)).map((k) => ({
    name: k.xml!.slice(parent.length + 1),
    path: k.xmlText!.path ?? k.model!.path,
    alt: k.xmlText!.alt,
  }));
}
