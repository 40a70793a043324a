import { virshMem } from './virsh-mem.js';

export default virshMem(true, {
  name: 'setmaxmem',
  summary: 'set the most memory a domain may have, now or at its next boot (virsh style)',
  description: 'SIZE as virsh reads it: KiB unless suffixed (b, KiB or k, KB, MiB or M, MB, GiB or G, GB, TiB or T, TB). Lowering it below the configured memory lowers that too.',
  examples: ['txl setmaxmem guest 1G --config', 'txl setmaxmem guest 2097152'],
});
