// virsh's attach-device: one device from a libvirt device XML file, live and/or in the stored config.
import { deviceXmlCommand } from './device-xml.js';

export default deviceXmlCommand('attachDeviceXml', {
  name: 'attach-device',
  summary: 'attach a device from a libvirt device XML file',
  description: 'The XML holds one <disk>, <interface>, <hostdev>, <controller>, <input>, <console> or <channel>, read as create reads it. --live hot-plugs it (libxl hot-plugs disks, interfaces, PCI devices and USB controllers), --config adds it to the stored config, --persistent does both on a running managed domain; the default acts on the current state.',
  examples: ['txl attach-device guest disk.xml', 'txl attach-device guest nic.xml --persistent', 'txl attach-device web chan.xml --config'],
});
