// Argument kinds several commands share, declared once. `as const` keeps their literal types,
// which defineCommand reads to type the `args` a command's run receives.
import type { ArgDef, OptDef } from '../../src/command.js';

/** one live domain */
export const domainArg = { name: 'domain', summary: 'domain name, id or UUID', complete: 'domain' } as const satisfies ArgDef;

/** one live domain, or none (the command then means all of them, or needs -a) */
export const optionalDomainArg = { ...domainArg, required: false } as const satisfies ArgDef;

/** any number of live domains; none means all of them */
export const someDomainsArg = { ...domainArg, required: false, variadic: true } as const satisfies ArgDef;

/** one or more live domains (xl's device lists) */
export const domainsArg = { name: 'domain', summary: 'domain names, ids or UUIDs', complete: 'domain', variadic: true } as const satisfies ArgDef;

/** one managed (defined) domain */
export const managedArg = { name: 'domain', summary: 'managed domain name or UUID', complete: 'managed' } as const satisfies ArgDef;

/** the formats a domain's config is shown or edited in */
export const CONFIG_FORMATS = ['xl', 'json', 'xml'] as const;

/** the formats convert and check read */
export const FILE_FORMATS = ['xl', 'xml', 'json'] as const;

/** --from of the commands that read config files */
export const fromOption = { flags: '-f, --from <format>', summary: 'input format (default: detect)', choices: FILE_FORMATS } as const satisfies OptDef;

/** a device of the domain named before it, under the name the command knows it by */
export function deviceArg<const N extends string>(name: N, summary: string) {
  return { name, summary, complete: 'device' } as const satisfies ArgDef;
}

/** one cpupool, or none for all of them */
export const optionalPoolArg = { name: 'pool', summary: 'only this cpupool', required: false, complete: 'cpupool' } as const satisfies ArgDef;
