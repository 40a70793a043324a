// The monitor's MonitorHost on libxl: domain-death events (libxl_evenable_domain_death +
// libxl_event_wait on a worker thread, which leaves the JS thread free to pass SIGCHLD on
// to libxl), and the calls that carry out an on_* action. A domain is re-created through
// the connection's layers (composeBackend: boot policy, pre-start hooks), as by `txl create`.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { newUuid } from '../require.js';
import type { Libxl } from '../../bindings/context.js';
import { decodeEvent, ERROR_NOT_READY, EVENTMASK_ALL, eventFunctions, uuidValue, type EventFunctions } from '../../bindings/events.js';
import { mem } from '../../bindings/mem.js';
import { NotFoundError, OperationError } from '../core/errors.js';
import type { DomainConfig } from '../core/model.js';
import type { Backend } from '../core/backend-types.js';
import * as dom from '../xen/domains.js';
import { toLibxl } from '../xen/create.js';
import { opError } from '../xen/errors.js';
import { parseDomainText } from '../formats.js';
import type { MonitorEvent, MonitorHost } from './loop.js';
import { reasonFromCode } from './policy.js';

export class XenMonitorHost implements MonitorHost {
  private readonly f: EventFunctions;
  private evgen: bigint | null = null;
  private watched = -1;

  /** be: the composed connection on the same libxl context (composeBackend), for re-creating */
  constructor(private readonly lx: Libxl, private readonly log: (m: string) => void, private readonly be: Backend) {
    this.f = eventFunctions(lx.libs);
  }

  async watch(domid: number): Promise<void> {
    await this.unwatch();
    const out: (bigint | null)[] = [null];
    this.lx.callFn(this.f.libxl_evenable_domain_death, 'libxl_evenable_domain_death', this.lx.ctx, domid, 0n, out);
    this.evgen = out[0];
    this.watched = domid;
  }

  async unwatch(): Promise<void> {
    if (this.evgen) this.f.libxl_evdisable_domain_death(this.lx.ctx, this.evgen);
    this.evgen = null;
    // events already queued for the old watch would be taken for the next domain's
    for (;;) {
      const out: (bigint | null)[] = [null];
      const rc = this.f.libxl_event_check(this.lx.ctx, out, EVENTMASK_ALL, null, null) as number;
      if (rc === ERROR_NOT_READY || !out[0]) break;
      this.f.libxl_event_free(this.lx.ctx, out[0]);
    }
  }

  async next(): Promise<MonitorEvent> {
    for (;;) {
      const out: (bigint | null)[] = [null];
      await this.lx.callAsync(this.f.libxl_event_wait, 'libxl_event_wait', this.lx.ctx, out, EVENTMASK_ALL, null, null);
      const ptr = out[0];
      if (!ptr) continue;
      let json: string;
      try {
        json = (this.f.libxl_event_to_json(this.lx.ctx, ptr) as string | null) ?? '{}';
      } finally {
        this.f.libxl_event_free(this.lx.ctx, ptr);
      }
      const ev = decodeEvent(json);
      if (ev.domid !== this.watched) continue;
      if (ev.type === 'domain_death') return { type: 'death' };
      if (ev.type === 'domain_shutdown') {
        const code = ev.shutdownReason ?? 0;
        return { type: 'shutdown', reason: reasonFromCode(code), code };
      }
      this.log(`warning, got unexpected event ${json.replace(/\s+/g, ' ')}`);
    }
  }

  async state(domid: number): Promise<{ name: string; shutdown: boolean } | null> {
    try {
      const d = await dom.domainInfo(this.lx, domid);
      return { name: d.name, shutdown: d.shutdown };
    } catch (e) {
      if (e instanceof NotFoundError) return null;
      throw e;
    }
  }

  async reloadConfig(domid: number): Promise<{ config: DomainConfig; source: string }> {
    const text = this.userdata(domid, 'xl');
    if (text) {
      const { config } = await parseDomainText(text, '<updated>');
      this.f.libxl_userdata_unlink(this.lx.ctx, domid, 'xl');
      return { config, source: 'xl' };
    }
    return { config: await dom.domainConfig(this.lx, domid), source: 'libxl' };
  }

  /** A userdata blob as text, or undefined when the domain has none under that id. */
  private userdata(domid: number, id: string): string | undefined {
    const data: (bigint | null)[] = [null];
    const len: number[] = [0];
    const rc = this.lx.fn.libxl_userdata_retrieve(this.lx.ctx, domid, id, data, len) as number;
    if (rc !== 0 || !data[0]) return undefined;
    try {
      if (len[0] <= 0) return undefined;
      return Buffer.from(this.lx.libs.koffi.view(data[0], len[0])).toString('utf8').replace(/\0+$/, '');
    } finally {
      mem(this.lx.libs).free(data[0]);
    }
  }

  destroy(domid: number): Promise<void> {
    return dom.destroy(this.lx, domid);
  }

  async coreDump(domid: number, file: string): Promise<void> {
    mkdirSync(dirname(file), { recursive: true });
    try {
      await this.lx.callAsync(this.f.libxl_domain_core_dump, 'libxl_domain_core_dump', this.lx.ctx, domid, file, null);
    } catch (e) {
      throw opError(e, `dumping the core of domain ${domid} to ${file}`, domid);
    }
  }

  async preserve(domid: number, config: DomainConfig, suffix: string): Promise<void> {
    const info = JSON.stringify({ ...config.c_info, name: config.c_info?.name ?? (await dom.domainInfo(this.lx, domid)).name });
    await this.lx.json.with('domain_create_info', info, (obj) => {
      try {
        this.lx.callFn(this.f.libxl_domain_preserve, 'libxl_domain_preserve', this.lx.ctx, domid, obj.ptr, suffix, uuidValue(newUuid()));
      } catch (e) {
        throw opError(e, `preserving domain ${domid}`, domid);
      }
    });
  }

  create(config: DomainConfig): Promise<number> {
    // this monitor follows the new domain itself: no second one
    return this.be.create(config, { noMonitor: true });
  }

  async softReset(domid: number, config: DomainConfig): Promise<void> {
    const obj = toLibxl(this.lx, config);
    try {
      await this.lx.callAsync(this.f.libxl_domain_soft_reset, 'libxl_domain_soft_reset', this.lx.ctx, obj.ptr, domid, null, null);
      await this.lx.callAsync('libxl_domain_unpause', '', this.lx.ctx, domid, null);
    } catch (e) {
      throw e instanceof OperationError ? e : opError(e, `soft-resetting domain ${domid}`, domid);
    } finally {
      this.lx.json.dispose(obj);
    }
  }
}
