import { deviceList } from './device-list.js';

export default deviceList('channel-list', 'list the channels (named guest links such as a guest agent) of domains', 'channelList');
