// virsh's detach-device: one device from a libvirt device XML file, live and/or in the stored config.
import { deviceXmlCommand } from './device-xml.js';

export default deviceXmlCommand('detachDeviceXml', {
  name: 'detach-device',
  summary: 'detach the device a libvirt device XML file names',
  description: 'The device is found by what names it: a disk by its target, an interface by its MAC, a host device by its PCI address, a channel by its name. Same --live/--config/--persistent/--current as attach-device.',
  examples: ['txl detach-device guest disk.xml', 'txl detach-device guest nic.xml --config'],
});
