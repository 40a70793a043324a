import { deviceList } from './device-list.js';

export default deviceList('vtpm-list', 'list the virtual TPMs of domains', 'vtpmList');
