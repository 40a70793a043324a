// Random combinations of element families: whatever the reader accepts, modelToXml writes in
// a form the reader maps back to the same model.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CORPUS_HOST } from '../parsers/host.js';
import { diffValues, formatDifference } from '../parsers/xml/diff.js';
import { xmlToModel } from '../parsers/xml/read.js';
import { modelToXml } from '../parsers/xml/write.js';

const DEVICES = [
  "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/a.qcow2'/><target dev='xvda'/></disk>",
  "<disk type='block' device='disk'><driver name='phy' type='raw'/><source dev='/dev/sdb'/><target dev='hdb'/><readonly/></disk>",
  "<disk type='file' device='cdrom'><source file='/c.iso'/><target dev='hdc'/></disk>",
  "<disk type='network'><source protocol='rbd' name='p/i'><host name='m'/></source><target dev='xvdz'/></disk>",
  "<interface type='bridge'><mac address='00:16:3e:01:02:03'/><source bridge='br0'/><model type='netfront'/></interface>",
  "<interface type='ethernet'><ip address='10.1.1.1'/><bandwidth><outbound average='2048'/></bandwidth><script path='vif-route'/></interface>",
  "<interface type='hostdev'><source><address type='pci' domain='0' bus='5' slot='0' function='0'/></source></interface>",
  "<hostdev mode='subsystem' type='pci'><source><address domain='0' bus='6' slot='1' function='2'/></source></hostdev>",
  "<hostdev mode='subsystem' type='usb'><source><address bus='2' device='4'/></source></hostdev>",
  "<controller type='usb' index='0' model='qusb1' ports='2'/>",
  "<graphics type='vnc' port='5901' listen='::1'/>",
  "<graphics type='sdl' display=':1'/>",
  "<channel type='pty'><target type='xen' name='n'/></channel>",
  "<serial type='pty'/>",
  "<serial type='unix'><source mode='bind' path='/s'/></serial>",
  "<input type='tablet' bus='usb'/>",
  "<sound model='es1370'/>",
  "<video><model type='cirrus' vram='16384'/></video>",
  "<watchdog model='i6300esb'/>",
  "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>",
];
const EXTRAS = [
  "<features><acpi/><apic/><hap/><hyperv><synic state='on'/><relaxed state='on'/></hyperv></features>",
  "<clock offset='variable' adjustment='120' basis='utc'><timer name='tsc' mode='native'/><timer name='pit' tickpolicy='delay'/></clock>",
  "<cpu mode='host-passthrough'><feature policy='require' name='aes'/><numa><cell id='0' cpus='0-1' memory='1' unit='GiB'/></numa></cpu>",
  "<cputune><shares>2048</shares><vcpupin vcpu='0' cpuset='1'/></cputune>",
  '<on_crash>preserve</on_crash>',
  '<description>d</description><metadata><m:a xmlns:m="urn:m"/></metadata>',
  "<blkiotune><weight>500</weight></blkiotune>",
];

describe('round trip of random element combinations', () => {
  it('reads back the same model', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('hvm', 'xen', 'xenpvh'),
        fc.subarray(DEVICES),
        fc.subarray(EXTRAS),
        (os, devices, extras) => {
          const usable = os === 'hvm' ? extras : extras.filter((e) => !e.includes('<features>'));
          const devs = os === 'hvm' ? devices : devices.filter((d) => !/<serial|<sound|<video|<input|model type='netfront'|hd[bc]/.test(d));
          const xml = `<domain type='xen'><name>p</name><memory unit='GiB'>1</memory><vcpu>2</vcpu><os><type>${os}</type></os>${usable.join('')}<devices>${devs.join('')}</devices></domain>`;
          const a = xmlToModel(xml, 'p.xml', { host: CORPUS_HOST });
          const out = modelToXml(a.config);
          const b = xmlToModel(out, 'p2.xml', { host: CORPUS_HOST });
          expect(diffValues(b.config, a.config).map(formatDifference), `${xml}\n---\n${out}`).toEqual([]);
          expect(b.warnings.length).toBe(a.warnings.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
