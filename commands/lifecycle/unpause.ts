import { pausing } from './pausing.js';

export default pausing(false, {
  name: 'unpause',
  aliases: ['resume'],
  summary: 'let a paused domain run again',
});
