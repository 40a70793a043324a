import { sched } from './sched.js';

export default sched('credit');
