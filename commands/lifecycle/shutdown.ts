import { powerRequest } from './power-request.js';

export default powerRequest(false, {
  name: 'shutdown',
  summary: 'ask a domain to shut down',
  description: 'The guest is asked through its PV control interface; what happens next is up to the config\'s on_poweroff.',
  examples: ['txl shutdown guest', 'txl shutdown -w guest', 'txl shutdown -a -w'],
});
