import { virshMem } from './virsh-mem.js';

export default virshMem(false, {
  name: 'setmem',
  summary: 'set the memory a domain should use (balloon target), now or at its next boot (virsh style)',
  description: 'SIZE as virsh reads it: KiB unless suffixed (b, KiB or k, KB, MiB or M, MB, GiB or G, GB, TiB or T, TB). Up to its maximum memory (setmaxmem).',
  examples: ['txl setmem guest 524288', 'txl setmem guest 512M --live --config'],
});
