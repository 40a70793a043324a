import { virshVerb } from './virsh-verb.js';

export default virshVerb({
  name: 'dompmwakeup',
  summary: 'wake an HVM guest up from ACPI S3 (dompmsuspend mem)',
  examples: ['txl dompmwakeup winguest'],
}, async () => (await import('../../src/ops/pm.js')).pmWakeup);
