// virsh's domxml-from-native and domxml-to-native: one conversion, run either way.
import { defineCommand } from '../../src/command.js';
import { UsageError } from '../../src/core/errors.js';

const NATIVE = ['xen-xl'] as const;

function checkNative(format: string): void {
  if (!(NATIVE as readonly string[]).includes(format)) {
    throw new UsageError(`unsupported native format '${format}'`, `txl speaks ${NATIVE.join(', ')} (xl.cfg); use 'txl convert' for libxl JSON`);
  }
}

interface Direction {
  name: string;
  summary: string;
  examples: string[];
  /** the file argument */
  file: { name: string; summary: string };
  from: 'xl' | 'xml';
  to: 'xl' | 'xml';
  /** the key of the result in json/yaml output */
  key: string;
}

export function domxml(d: Direction) {
  return defineCommand({
    name: d.name,
    summary: d.summary,
    examples: d.examples,
    family: 'virsh',
    group: 'formats',
    args: [
      { name: 'format', summary: 'native format: xen-xl', complete: NATIVE },
      { name: d.file.name, summary: d.file.summary, complete: 'cfgfile' },
    ],
    modifies: false,
    async run({ ctx, args }) {
      checkNative(args.format);
      const { readDomainFile, writeDomain } = await import('../../src/formats.js');
      const r = await readDomainFile(args[d.file.name], { from: d.from });
      r.warnings.forEach((w) => ctx.warn(w));
      const text = await writeDomain(r.config, d.to);
      return { data: { [d.key]: text }, text };
    },
  });
}
