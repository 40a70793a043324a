// The monitor's libxl bindings against the real libxenlight 4.17 (no hypervisor needed:
// the test shim lets libxl_ctx_alloc succeed): events decode as libxl writes them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { decodeEvent, uuidValue } from '../bindings/events.js';
import { bundle, compileShim, runNode, SHIM_MISSING, tempDir } from './shim/harness.js';

describe('decodeEvent (libxl_event_to_json text)', () => {
  it('reads domid, the keyed union and the shutdown reason', () => {
    expect(decodeEvent('{"domid": 7, "type.domain_shutdown": {"shutdown_reason": 3}}')).toEqual({ domid: 7, type: 'domain_shutdown', shutdownReason: 3 });
    // a reason at its default (poweroff, 0) is left out by libxl
    expect(decodeEvent('{"domid": 7, "type.domain_shutdown": {}}')).toEqual({ domid: 7, type: 'domain_shutdown', shutdownReason: 0 });
    expect(decodeEvent('{"domid": 4, "type": "domain_death"}')).toEqual({ domid: 4, type: 'domain_death' });
  });

  it('turns a UUID into the 16 bytes libxl_domain_preserve takes by value', () => {
    expect(uuidValue('00112233-4455-6677-8899-aabbccddeeff').uuid).toEqual([0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]);
    expect(() => uuidValue('nope')).toThrow(/not a UUID/);
  });
});

describe.skipIf(SHIM_MISSING !== undefined)(`the real libxl's events${SHIM_MISSING ? ` (skipped: ${SHIM_MISSING})` : ''}`, () => {
  let dir = '';
  let result: { out: { json: string; decoded: ReturnType<typeof decodeEvent> }[]; sizes: { event: number; uuid: number } };
  beforeAll(async () => {
    dir = tempDir('txl-monitor-shim-');
    const shim = compileShim(dir);
    const script = await bundle('test/monitor-events.child.ts', dir);
    const r = runNode(script, [], { preload: shim });
    if (r.code !== 0) throw new Error(`child failed (${r.code}): ${r.stderr}`);
    result = JSON.parse(r.stdout);
  }, 120_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('libxl_event is 208 bytes, as the facts say', () => {
    expect(result.sizes.event).toBe(208);
  });

  it('decodes shutdown events with their reason and domid, and death events', () => {
    expect(result.out.map((o) => o.decoded)).toEqual([
      { domid: 7, type: 'domain_shutdown', shutdownReason: 1 },
      { domid: 9, type: 'domain_shutdown', shutdownReason: 0 },
      { domid: 12, type: 'domain_shutdown', shutdownReason: 3 },
      { domid: 3, type: 'domain_death' },
    ]);
  });
});
