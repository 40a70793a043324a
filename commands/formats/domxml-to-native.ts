import { domxml } from './domxml.js';

export default domxml({
  name: 'domxml-to-native',
  summary: 'convert libvirt domain XML into a native xl.cfg (as virsh does)',
  examples: ['txl domxml-to-native xen-xl guest.xml > guest.cfg'],
  file: { name: 'xml', summary: 'the domain XML file' },
  from: 'xml',
  to: 'xl',
  key: 'config',
});
