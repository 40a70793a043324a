// dumpxml and config: a domain's config as it is now (libxl_retrieve_domain_configuration),
// or its stored config when it is managed and not running, in any of the three formats.
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import type { Backend } from '../core/backend-types.js';
import type { DomainConfig } from '../core/model.js';
import { NotFoundError } from '../core/errors.js';
import { parseFormat, writeDomain } from '../formats.js';
import { withBackend } from './connect.js';
import { withoutSecrets } from '../secrets.js';
import { virshText } from './text.js';

/** The config a name stands for: the live one, else the managed one. */
export async function currentConfig(be: Backend, ref: string): Promise<{ cfg: DomainConfig; domid: number | null; name: string }> {
  const r = await be.lookup(ref);
  if (r.domid !== null) return { cfg: await be.domainConfig(r.domid), domid: r.domid, name: r.name };
  const m = await be.getManaged(r.name);
  if (!m) throw new NotFoundError(`no domain '${ref}'`);
  return { cfg: m.config, domid: null, name: r.name };
}

/** What a view shows of a config: without its passwords unless --security-info. */
const shownConfig = (cfg: DomainConfig, securityInfo?: boolean) => (securityInfo ? cfg : withoutSecrets(cfg));

/**
 * The domain XML virsh would show: a running domain carries its id on <domain>, and its
 * interfaces the names the vif backend gave them (vifDOMID.DEVID), as libvirt reports them.
 */
export async function domainXml(be: Backend, ref: string, securityInfo?: boolean): Promise<{ xml: string; cfg: DomainConfig; domid: number | null }> {
  const current = await currentConfig(be, ref);
  const { domid } = current;
  const cfg = shownConfig(current.cfg, securityInfo);
  const shown = structuredClone(cfg);
  if (domid !== null) shown.nics = shown.nics?.map((n, i) => (n.ifname ? n : { ...n, ifname: `vif${domid}.${n.devid ?? i}` }));
  const { modelToXml } = await import('../../parsers/xml/write.js');
  // virsh prints the XML alone: the writer's note on what XML cannot say stays for `config --as xml`
  let xml = modelToXml(shown).replace(/^<!--[\s\S]*?-->\n/, '');
  if (domid !== null) xml = xml.replace(/<domain type='xen'/, `<domain type='xen' id='${domid}'`);
  return { xml, cfg, domid };
}

export async function dumpXml(ctx: Context, ref: string, securityInfo?: boolean): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const { xml, cfg, domid } = await domainXml(be, ref, securityInfo);
    return { data: { domid, xml, config: cfg }, text: virshText(ctx, xml) };
  });
}

export async function showConfig(ctx: Context, ref: string, as: string | undefined, securityInfo?: boolean): Promise<Result> {
  const format = parseFormat(as ?? 'xl');
  return withBackend(ctx, async (be) => {
    const cfg = shownConfig((await currentConfig(be, ref)).cfg, securityInfo);
    const text = await writeDomain(cfg, format);
    return { data: cfg, text };
  });
}
