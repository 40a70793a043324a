// domif-setlink down/up on a simulated host: the NIC's link flag is kept in the simulator state
// (the backend vif's administrative state on Xen), and domif-getlink reads it back.
import { describe, it, expect } from 'vitest';
import { simHost, type SimHost } from './support/inproc.js';
import { ok, fails, dom } from './support/simcheck.js';

const GUEST = `name = "guest"
type = "pv"
kernel = "/boot/vmlinuz"
memory = 128
vif = [ "mac=00:16:3e:00:00:01,bridge=xenbr0", "mac=00:16:3e:00:00:02,bridge=xenbr0" ]
`;

function runGuest(h: SimHost) {
  ok(h, ['define', h.file('guest.cfg', GUEST)]);
  ok(h, ['start', 'guest']);
}
const link = (h: SimHost, iface: string) => ok(h, ['domif-getlink', 'guest', iface]).stdout;
type Dev = { kind: string; devid: number; link_down?: boolean };

describe('domif-setlink down/up', () => {
  it('takes one NIC down and up again; getlink and the state follow', () => {
    const h = simHost();
    runGuest(h);
    expect(ok(h, ['domif-setlink', 'guest', 'vif1.0', 'down']).stdout).toBe('Device updated successfully\n\n');
    expect(link(h, 'vif1.0')).toBe('vif1.0 down\n\n');
    expect(link(h, '00:16:3e:00:00:01')).toBe('00:16:3e:00:00:01 down\n\n');
    expect(JSON.parse(ok(h, ['-o', 'json', 'domif-getlink', 'guest', 'vif1.0']).stdout)).toMatchObject({ interface: 'vif1.0', state: 'down' });
    // the other NIC is untouched; the stored config still says up (it has no link state)
    expect(link(h, 'vif1.1')).toBe('vif1.1 up\n\n');
    expect(ok(h, ['domif-getlink', 'guest', '00:16:3e:00:00:01', '--config']).stdout).toBe('00:16:3e:00:00:01 up\n\n');
    expect(dom(h, 'guest').devices.filter((x: Dev) => x.kind === 'nic').map((x: Dev) => !!x.link_down)).toEqual([true, false]);
    expect(JSON.parse(ok(h, ['-o', 'json', 'domiflist', 'guest']).stdout).map((r: { link: string }) => r.link)).toEqual(['down', 'up']);
    ok(h, ['domif-setlink', 'guest', '00:16:3e:00:00:01', 'up']);
    expect(link(h, 'vif1.0')).toBe('vif1.0 up\n\n');
    expect(dom(h, 'guest').devices.some((x: Dev) => x.link_down)).toBe(false);
  });

  it('dry run changes nothing', () => {
    const h = simHost();
    runGuest(h);
    ok(h, ['--dry-run', 'domif-setlink', 'guest', 'vif1.0', 'down']);
    expect(link(h, 'vif1.0')).toBe('vif1.0 up\n\n');
  });

  it('errors: no such NIC, --persistent down, a stopped domain, a bad state', () => {
    const h = simHost();
    runGuest(h);
    for (const st of ['down', 'up']) {
      const r = fails(h, ['domif-setlink', 'guest', 'vif1.7', st], 1, /domain 'guest' has no interface 'vif1.7'/);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('txl:'))).toHaveLength(1);
    }
    fails(h, ['domif-setlink', 'guest', 'vif1.0', 'down', '--persistent'], 1, /libxl's config has no link state/);
    expect(link(h, 'vif1.0')).toBe('vif1.0 up\n\n');
    fails(h, ['domif-setlink', 'guest', 'vif1.0', 'sideways'], 2, /invalid link state 'sideways'/);
    ok(h, ['destroy', 'guest']);
    expect(JSON.parse(ok(h, ['-o', 'json', 'domiflist', 'guest']).stdout).map((r: { link: string }) => r.link)).toEqual([null, null]);
    fails(h, ['domif-setlink', 'guest', '00:16:3e:00:00:01', 'down'], 1, /libxl's config has no link state/);
  });
});
