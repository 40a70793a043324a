// channel= specs (xl.cfg(5) "Channels"): comma separated key=value pairs, blanks around
// keys and values trimmed. xl splits each pair with strtok at '=', so `a=b=c` means a=b.
// Unknown keys are only warned about, by xl and by txl.
import type { Channel } from '../../src/core/model.js';
import { strtok } from './cnum.js';
import { piece } from './common.js';
import { SpecReporter, unrepresentable, type ReadOptions, type SpecOrigin } from './origin.js';

const trimOffset = (s: string) => s.length - s.replace(/^\s+/, '').length;

export function parseChannel(spec: string, origin?: SpecOrigin, opts: ReadOptions = {}): Channel {
  const rep = new SpecReporter(spec, origin, 'channel');
  const ch: Channel = {};
  let connection: 'pty' | 'socket' | undefined;
  let path: string | undefined;
  for (const t of strtok(spec, ',')) {
    const halves = strtok(t.text, '=', t.at);
    if (halves.length < 2) rep.fail(t.at, t.text.length, `failed to parse channel configuration \`${t.text}' (expected key=value)`);
    const [k, v] = halves as [typeof halves[0], typeof halves[0]];
    const key = k.text.trim();
    const value = v.text.trim();
    const vat = v.at + trimOffset(v.text);
    switch (key) {
      case 'backend': ch.backend_domname = value; break;
      case 'name': ch.name = value; break;
      case 'path': path = value; break;
      case 'connection':
        if (value !== 'pty' && value !== 'socket') rep.fail(vat, Math.max(1, value.length), `unknown channel connection \`${value}' (expected pty or socket)`);
        connection = value as 'pty' | 'socket';
        break;
      default:
        rep.warn(k.at + trimOffset(k.text), Math.max(1, key.length), `unknown channel parameter \`${key}', ignoring`);
    }
  }
  if (!connection) rep.fail(0, Math.max(1, spec.length), "channel has unknown 'connection'", 'add connection=pty or connection=socket,path=...');
  if (connection === 'socket') {
    if (path === undefined) rep.fail(0, Math.max(1, spec.length), "channel connection 'socket' requires path=..");
    ch['connection.socket'] = { path };
  } else ch['connection.pty'] = {};
  rep.flushWarnings(opts.warnings);
  return ch;
}

/** The canonical channel spec (devid comes from the position in the channel list). */
export function formatChannel(c: Channel): string {
  const no = (why: string) => unrepresentable('channel', why);
  if (c.backend_domid) no('backend_domid cannot be given in a channel spec (use backend=NAME)');
  const parts: string[] = [];
  const put = (key: string, v: string | undefined) => {
    if (v === undefined) return;
    if (v.includes('=') || v !== v.trim() || v === '') no(`${key} value ${JSON.stringify(v)} cannot be written (empty, '=' or blanks at its ends)`);
    piece('channel', key, v, parts);
  };
  put('name', c.name);
  put('backend', c.backend_domname);
  if (c['connection.socket']) {
    parts.push('connection=socket');
    put('path', c['connection.socket'].path ?? no('socket without path'));
  } else if (c['connection.pty']) parts.push('connection=pty');
  else no('connection unknown');
  return parts.join(',');
}
