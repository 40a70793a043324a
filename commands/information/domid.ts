import { identity } from './identity.js';

export default identity('domid', 'print a domain\'s id', 'xl');
