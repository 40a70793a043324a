import { domxml } from './domxml.js';

export default domxml({
  name: 'domxml-from-native',
  summary: 'convert a native xl.cfg into libvirt domain XML (as virsh does)',
  examples: ['txl domxml-from-native xen-xl /etc/xen/guest.cfg > guest.xml'],
  file: { name: 'config', summary: 'the native config file' },
  from: 'xl',
  to: 'xml',
  key: 'xml',
});
