import { identity } from './identity.js';

export default identity('domuuid', 'print a domain\'s UUID', 'virsh');
