// Whether a migration can pre-copy memory while the guest runs. Live migration needs the
// hypervisor to track the pages the guest dirties: HAP does that for HVM and PVH guests,
// shadow paging for PV guests. Debian's Xen 4.17 is built without shadow paging, so there
// `xl migrate` of a PV guest fails outright ("Failed to enable logdirty"); txl sends such a
// guest non-live instead (paused while its memory is copied) and says so.
import type { DomainType } from '../core/model.js';

export interface MigrationMode {
  live: boolean;
  /** why it cannot be live, when it cannot */
  why?: string;
}

export function migrationMode(virtCaps: readonly string[], type: DomainType | undefined): MigrationMode {
  const caps = new Set(virtCaps);
  if (caps.has('shadow')) return { live: true };
  if (type !== undefined && type !== 'pv' && caps.has('hap')) return { live: true };
  const kind = type === undefined ? 'this guest' : `a ${type.toUpperCase()} guest`;
  const how = type === 'pv' || type === undefined ? 'shadow paging' : 'shadow paging or HAP';
  return {
    live: false,
    why: `this Xen has no ${how} (virt_caps: ${[...caps].join(' ') || 'none'}), so the pages ${kind} dirties cannot be tracked while it runs`,
  };
}
