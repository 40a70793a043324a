import { defineCommand } from '../src/command.js';
import { UsageError } from '../src/core/errors.js';

const NATIVE = ['xen-xl'] as const;

function checkNative(format: string): void {
  if (!(NATIVE as readonly string[]).includes(format)) {
    throw new UsageError(`unsupported native format '${format}'`, `txl speaks ${NATIVE.join(', ')} (xl.cfg); use 'txl convert' for libxl JSON`);
  }
}

export const domxmlFromNative = defineCommand({
  name: 'domxml-from-native',
  summary: 'convert a native xl.cfg into libvirt domain XML (as virsh does)',
  examples: ['txl domxml-from-native xen-xl /etc/xen/guest.cfg > guest.xml'],
  family: 'virsh',
  group: 'formats',
  args: [
    { name: 'format', summary: 'native format: xen-xl', complete: NATIVE },
    { name: 'config', summary: 'the native config file', complete: 'cfgfile' },
  ],
  modifies: false,
  async run({ ctx, args }) {
    checkNative(args.format);
    const { readDomainFile, writeDomain } = await import('../src/formats.js');
    const r = await readDomainFile(args.config, { from: 'xl' });
    r.warnings.forEach((w) => ctx.warn(w));
    const text = await writeDomain(r.config, 'xml');
    return { data: { xml: text }, text };
  },
});

export const domxmlToNative = defineCommand({
  name: 'domxml-to-native',
  summary: 'convert libvirt domain XML into a native xl.cfg (as virsh does)',
  examples: ['txl domxml-to-native xen-xl guest.xml > guest.cfg'],
  family: 'virsh',
  group: 'formats',
  args: [
    { name: 'format', summary: 'native format: xen-xl', complete: NATIVE },
    { name: 'xml', summary: 'the domain XML file', complete: 'cfgfile' },
  ],
  modifies: false,
  async run({ ctx, args }) {
    checkNative(args.format);
    const { readDomainFile, writeDomain } = await import('../src/formats.js');
    const r = await readDomainFile(args.xml, { from: 'xml' });
    r.warnings.forEach((w) => ctx.warn(w));
    const text = await writeDomain(r.config, 'xl');
    return { data: { config: text }, text };
  },
});
