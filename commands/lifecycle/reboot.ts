import { powerRequest } from './power-request.js';

export default powerRequest(true, {
  name: 'reboot',
  summary: 'ask a domain to reboot',
  description: 'The guest is asked through its PV control interface; the config\'s on_reboot decides what follows (restart by default).',
  examples: ['txl reboot guest', 'txl reboot -a'],
});
