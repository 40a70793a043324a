import { identity } from './identity.js';

export default identity('domname', 'print a domain\'s name', 'xl');
