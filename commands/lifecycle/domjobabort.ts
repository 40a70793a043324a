import { virshVerb } from './virsh-verb.js';

export default virshVerb({
  name: 'domjobabort',
  summary: 'stop the job on a domain (a save or migration) and wait until it has undone its work',
  description: 'Sends SIGINT to the txl process running the job, which unwinds it: the domain keeps running and no partial image is left.',
  examples: ['txl domjobabort guest'],
}, async () => (await import('../../src/ops/jobs.js')).domJobAbort);
