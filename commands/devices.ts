// xl's device commands. Specs are xl's own languages (xl-disk-configuration(5),
// xl-network-configuration(5), xl-pci-configuration(5)); with -N an attach prints the device
// as libxl JSON, as `xl -N block-attach` does, and changes nothing.
import { defineCommand, type CommandDef } from '../src/command.js';

const domainArg = { name: 'domain', summary: 'domain name, id or UUID', complete: 'domain' as const };
const domainsArg = { name: 'domain', summary: 'domain names, ids or UUIDs', complete: 'domain' as const, variadic: true };

const ops = () => import('../src/ops/devices.js');

export const blockAttach = defineCommand({
  name: 'block-attach',
  summary: 'attach a disk to a running domain',
  description: 'DISKSPEC is an xl disk spec, given as one word or several (xl-disk-configuration(5)).',
  examples: ['txl block-attach guest vdev=xvdb,target=/srv/data.img', "txl block-attach guest 'format=qcow2, vdev=xvdc, target=/srv/c.qcow2'", 'txl -N block-attach guest vdev=xvdb,target=/dev/vg/x'],
  family: 'xl',
  group: 'devices',
  args: [domainArg, { name: 'diskspec', summary: 'the disk spec (xl-disk-configuration(5))', variadic: true, complete: 'none' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args }) {
    return (await ops()).blockAttach(ctx, args.domain, args.diskspec);
  },
});

export const blockDetach = defineCommand({
  name: 'block-detach',
  summary: 'detach a disk from a domain',
  description: 'The guest is asked to let go; a disk it still uses (its root disk, say) stays unless -f pulls it away.',
  examples: ['txl block-detach guest xvdb', 'txl block-detach -f guest 51728'],
  family: 'xl',
  group: 'devices',
  args: [domainArg, { name: 'device', summary: 'the disk: its vdev (xvdb) or devid', complete: 'device' }],
  options: [{ flags: '-f, --force', summary: 'remove it even if the guest does not release it' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    return (await ops()).blockDetach(ctx, args.domain, args.device, Boolean(opts.force));
  },
});

export const blockList = defineCommand({
  name: 'block-list',
  summary: 'list the disks of domains, as xl does',
  examples: ['txl block-list guest', 'txl -o json block-list guest'],
  family: 'xl',
  group: 'devices',
  args: [domainsArg],
  modifies: false,
  async run({ ctx, args }) {
    return (await ops()).blockList(ctx, args.domain);
  },
});

export const networkAttach = defineCommand({
  name: 'network-attach',
  summary: 'attach a network interface to a running domain',
  description: 'VIFSPEC is xl\'s: words like mac=, bridge=, model=, rate= (xl-network-configuration(5)). ' +
    'Defaults for script, bridge and backend come from xl.conf (vif.default.*).',
  examples: ['txl network-attach guest bridge=xenbr0', 'txl network-attach guest mac=00:16:3e:00:00:02 bridge=xenbr1 rate=10Mb/s'],
  family: 'xl',
  group: 'devices',
  args: [domainArg, { name: 'vifspec', summary: 'key=value words (xl-network-configuration(5))', variadic: true, required: false, complete: 'none' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args }) {
    return (await ops()).networkAttach(ctx, args.domain, args.vifspec ?? []);
  },
});

export const networkDetach = defineCommand({
  name: 'network-detach',
  summary: 'detach a network interface from a domain',
  examples: ['txl network-detach guest 1', 'txl network-detach guest 00:16:3e:00:00:02'],
  family: 'xl',
  group: 'devices',
  args: [domainArg, { name: 'device', summary: 'the interface: its devid or MAC address', complete: 'device' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args }) {
    return (await ops()).networkDetach(ctx, args.domain, args.device);
  },
});

export const networkList = defineCommand({
  name: 'network-list',
  summary: 'list the network interfaces of domains, as xl does',
  examples: ['txl network-list guest'],
  family: 'xl',
  group: 'devices',
  args: [domainsArg],
  modifies: false,
  async run({ ctx, args }) {
    return (await ops()).networkList(ctx, args.domain);
  },
});

export const pciAttach = defineCommand({
  name: 'pci-attach',
  summary: 'pass a host PCI device through to a domain',
  description: 'The device must be assignable (see pci-assignable-list). BDF is [DDDD:]BB:DD.F[@VSLOT][,key=value...].',
  examples: ['txl pci-attach guest 03:00.0', 'txl pci-attach guest 0000:03:00.1,permissive=1'],
  family: 'xl',
  group: 'devices',
  args: [domainArg, { name: 'bdf', summary: 'the PCI device spec (xl-pci-configuration(5))', complete: 'none' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args }) {
    return (await ops()).pciAttach(ctx, args.domain, args.bdf);
  },
});

export const pciDetach = defineCommand({
  name: 'pci-detach',
  summary: 'take a passed-through PCI device back from a domain',
  examples: ['txl pci-detach guest 03:00.0'],
  family: 'xl',
  group: 'devices',
  args: [domainArg, { name: 'bdf', summary: 'the PCI device, as BB:DD.F or DDDD:BB:DD.F', complete: 'device' }],
  options: [{ flags: '-f, --force', summary: 'remove it even if the guest does not release it' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    return (await ops()).pciDetach(ctx, args.domain, args.bdf, Boolean(opts.force));
  },
});

export const pciList = defineCommand({
  name: 'pci-list',
  summary: 'list the PCI devices passed through to a domain',
  examples: ['txl pci-list guest'],
  family: 'xl',
  group: 'devices',
  args: [domainArg],
  modifies: false,
  async run({ ctx, args }) {
    return (await ops()).pciList(ctx, args.domain);
  },
});

export const pciAssignableList = defineCommand({
  name: 'pci-assignable-list',
  summary: 'list the host PCI devices that can be passed through',
  examples: ['txl pci-assignable-list'],
  family: 'xl',
  group: 'devices',
  args: [],
  options: [{ flags: '-n, --show-names', summary: 'also show the names given to them' }],
  modifies: false,
  async run({ ctx, opts }) {
    return (await ops()).pciAssignableList(ctx, Boolean(opts.showNames));
  },
});

export const cdInsert = defineCommand({
  name: 'cd-insert',
  summary: 'put a disc image into a domain\'s virtual CD-ROM drive',
  examples: ['txl cd-insert guest hdc /srv/iso/debian.iso'],
  family: 'xl',
  group: 'devices',
  args: [
    domainArg,
    { name: 'vdev', summary: 'the CD-ROM drive (e.g. hdc or xvdc)', complete: 'device' },
    { name: 'target', summary: 'the image to insert', complete: 'file' },
  ],
  modifies: true,
  dryRun: true,
  async run({ ctx, args }) {
    return (await ops()).cdInsertEject(ctx, args.domain, args.vdev, args.target);
  },
});

export const cdEject = defineCommand({
  name: 'cd-eject',
  summary: 'take the disc out of a domain\'s virtual CD-ROM drive',
  examples: ['txl cd-eject guest hdc'],
  family: 'xl',
  group: 'devices',
  args: [domainArg, { name: 'vdev', summary: 'the CD-ROM drive', complete: 'device' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args }) {
    return (await ops()).cdInsertEject(ctx, args.domain, args.vdev, undefined);
  },
});

function list(name: 'channel-list' | 'vtpm-list', summary: string, fn: 'channelList' | 'vtpmList'): CommandDef {
  return defineCommand({
    name,
    summary,
    examples: [`txl ${name} guest`],
    family: 'xl',
    group: 'devices',
    args: [domainsArg],
    modifies: false,
    async run({ ctx, args }) {
      return (await ops())[fn](ctx, args.domain);
    },
  });
}

export const channelList = list('channel-list', 'list the channels (named guest links such as a guest agent) of domains', 'channelList');
export const vtpmList = list('vtpm-list', 'list the virtual TPMs of domains', 'vtpmList');
