import { mem } from './mem.js';

export default mem('mem-set', 'set the memory a domain should use now (balloon target)');
