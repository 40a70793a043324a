import { mem } from './mem.js';

export default mem('mem-max', 'set the most memory a domain may ever use');
