import { virshVerb } from './virsh-verb.js';

export default virshVerb({
  name: 'managedsave',
  summary: 'save a running managed domain into its managed save image and stop it; `start` restores it',
  description: 'The image is xl\'s save format, kept by txl (/var/lib/txl/save/NAME.save on Xen, owner-only) and written ' +
    'whole or not at all, as `txl save` writes. `start` restores from it and removes it (`start --force-boot` boots afresh); ' +
    '`dominfo` says "Managed save: yes" meanwhile. A paused domain runs for its save (libxl saves only a running guest) and comes back paused.',
  examples: ['txl managedsave guest', 'txl start guest'],
}, async () => (await import('../../src/ops/managedsave.js')).managedSave);
