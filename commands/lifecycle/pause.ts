import { pausing } from './pausing.js';

export default pausing(true, {
  name: 'pause',
  aliases: ['suspend'],
  summary: 'pause a domain (it keeps its memory but gets no CPU time)',
});
