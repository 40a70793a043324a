// Child of monitor-bindings.test.ts, run under the LD_PRELOAD shim: the real libxl's
// libxl_event_to_json on events laid out as libxl fills them, read back by decodeEvent;
// and every event/save binding resolved in the real libxenlight.
import { Libxl } from '../bindings/index.js';
import { decodeEvent, eventFunctions, uuidValue } from '../bindings/events.js';
import { saveFunctions } from '../bindings/save.js';

const lx = await Libxl.open();
const f = eventFunctions(lx.libs);
saveFunctions(lx.libs);
const init = lx.libs.xl.func('void libxl_event_init(void *p)');
// struct libxl_event (4.17, x86_64): link 0..15, domid 16, domuuid 20, for_user 40, type 48, u 56
const events = [
  { domid: 7, type: 1, reason: 1 },
  { domid: 9, type: 1, reason: 0 },
  { domid: 12, type: 1, reason: 3 },
  { domid: 3, type: 2, reason: 0 },
];
const out = events.map((e) => {
  const buf = Buffer.alloc(512);
  init(buf);
  buf.writeUInt32LE(e.domid, 16);
  buf.writeInt32LE(e.type, 48);
  buf.writeUInt8(e.reason, 56);
  const json = f.libxl_event_to_json(lx.ctx, buf) as string;
  return { json, decoded: decodeEvent(json) };
});
const sizes = { event: lx.json.sizeOf('event'), uuid: uuidValue('00112233-4455-6677-8899-aabbccddeeff').uuid.length };
await lx.close();
process.stdout.write(JSON.stringify({ out, sizes }));
