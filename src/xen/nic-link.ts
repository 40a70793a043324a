// A NIC's link state on Xen, as xenopsd sets it: the vif's backend network interface in dom0
// (vifD.N, and its emulated twin vifD.N-emu of an HVM guest) is taken administratively down or
// up, so the guest's network sees no carrier. Linux has no other carrier knob for a netback vif.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { NotFoundError, OperationError } from '../core/errors.js';

const IFF_UP = 0x1;

/** The dom0 interfaces behind NIC devid of domid: vifD.N first, then vifD.N-emu if present. */
function backendIfs(domid: number, devid: number): string[] {
  const base = `vif${domid}.${devid}`;
  const all = [base, `${base}-emu`].filter((i) => existsSync(`/sys/class/net/${i}`));
  if (!all.includes(base)) throw new NotFoundError(`no backend interface ${base} in dom0 (is the vif's backend in another domain?)`);
  return all;
}

export async function nicLink(domid: number, devid: number): Promise<'up' | 'down'> {
  const [main] = backendIfs(domid, devid);
  const flags = Number.parseInt(readFileSync(`/sys/class/net/${main}/flags`, 'utf8').trim(), 16);
  return flags & IFF_UP ? 'up' : 'down';
}

export async function setNicLink(domid: number, devid: number, state: 'up' | 'down'): Promise<void> {
  for (const dev of backendIfs(domid, devid)) await ipLink(dev, state);
}

function ipLink(dev: string, state: 'up' | 'down'): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('ip', ['link', 'set', 'dev', dev, state], { timeout: 10_000 }, (err, _out, stderr) => {
      if (!err) return resolve();
      const why = String(stderr).trim().split('\n').pop() || err.message;
      reject(new OperationError(`ip link set dev ${dev} ${state} failed: ${why}`));
    });
  });
}
