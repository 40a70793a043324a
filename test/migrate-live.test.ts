import { describe, expect, it } from 'vitest';
import { migrationMode } from '../src/migrate/live.js';

// virt_caps as `xl info` prints them on Debian's Xen 4.17 (no CONFIG_SHADOW_PAGING) under TCG,
// and on a host with both paging modes
const DEBIAN_TCG = ['pv', 'pv_directio', 'gnttab-v1', 'gnttab-v2'];
const FULL = ['pv', 'hvm', 'hvm_directio', 'pv_directio', 'hap', 'shadow', 'gnttab-v1'];

describe('migrationMode: live only where the hypervisor can track dirty pages', () => {
  it('is live for every guest type when shadow paging is there', () => {
    for (const t of ['pv', 'pvh', 'hvm', undefined] as const) expect(migrationMode(FULL, t)).toEqual({ live: true });
  });
  it('sends a PV guest non-live without shadow paging, even with HAP, and says why', () => {
    const m = migrationMode(['pv', 'hvm', 'hap'], 'pv');
    expect(m.live).toBe(false);
    expect(m.why).toMatch(/no shadow paging \(virt_caps: pv hvm hap\)/);
    expect(m.why).toMatch(/a PV guest/);
    expect(migrationMode(DEBIAN_TCG, 'pv').live).toBe(false);
  });
  it('uses HAP for HVM and PVH guests when shadow paging is missing', () => {
    expect(migrationMode(['hvm', 'hap'], 'hvm').live).toBe(true);
    expect(migrationMode(['hvm', 'hap'], 'pvh').live).toBe(true);
    const m = migrationMode(['hvm'], 'pvh');
    expect(m.live).toBe(false);
    expect(m.why).toMatch(/no shadow paging or HAP/);
  });
  it('treats an unknown type as PV, the strictest', () => {
    expect(migrationMode(['hap'], undefined).live).toBe(false);
    expect(migrationMode([], undefined).why).toMatch(/virt_caps: none/);
  });
});
