// virsh's update-device: one device from a libvirt device XML file, live and/or in the stored config.
import { deviceXmlCommand } from './device-xml.js';

export default deviceXmlCommand('updateDeviceXml', {
  name: 'update-device',
  summary: 'change a device from a libvirt device XML file',
  description: 'Changes a CD-ROM\'s media (a <disk device=\'cdrom\'> without <source> ejects it) and, in the stored config, the bridge of an interface. libxl cannot move a running interface to another bridge nor set its link down: those are refused, nothing changed.',
  examples: ['txl update-device guest cdrom.xml', 'txl update-device guest nic.xml --config'],
});
