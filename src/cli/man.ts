// txl(1), generated from the command table and the program's global options, so the manual
// cannot drift from the CLI. Run at build time (scripts/gen-man.mjs writes man/txl.1).
import type { Command } from 'commander';
import type { ArgDef, CommandDef, OptDef } from '../command.js';
import { FAULT_STEPS } from '../sim/faults.js';

/** Escapes text for roff: backslashes, minus signs, and control characters at line starts. */
export function roff(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .split('\n')
    .map((l) => (/^[.']/.test(l) ? '\\&' + l : l))
    .join('\n');
}

const b = (s: string) => `\\fB${roff(s)}\\fR`;
const i = (s: string) => `\\fI${roff(s)}\\fR`;

const GROUP_TITLES: Record<CommandDef['group'], string> = {
  lifecycle: 'Domain lifecycle',
  information: 'Information',
  resources: 'Resources: vCPUs, memory, scheduling',
  devices: 'Devices',
  config: 'Domain configs',
  formats: 'Config formats',
  host: 'Host',
  shell: 'Shell',
  testing: 'Testing (simulator)',
};

/** `-j, --jobs <n>` as bold names and an italic value. */
function flagTerm(flags: string): string {
  const m = /^(.*?)(?:\s+([<[].*))?$/.exec(flags.trim())!;
  const names = m[1].split(/\s*,\s*/).map(b).join(', ');
  const value = m[2] ? ' ' + i(m[2].replace(/^[<[]|[>\]]$/g, '')) : '';
  return names + value;
}

function argTerm(a: ArgDef): string {
  const t = i(a.name) + (a.variadic ? '...' : '');
  return a.required === false ? `[${t}]` : t;
}

function option(flags: string, summary: string, extra?: string): string[] {
  return ['.TP', flagTerm(flags), roff(summary) + (extra ? ' ' + roff(extra) : '')];
}

function optExtra(o: OptDef): string | undefined {
  const parts: string[] = [];
  if (o.choices) parts.push(`One of: ${o.choices.join(', ')}.`);
  if (o.default !== undefined && o.default !== false) parts.push(`Default: ${o.default}.`);
  return parts.join(' ') || undefined;
}

function commandEntry(def: CommandDef): string[] {
  const out = ['.TP', `${b('txl')} ${b(def.name)}${def.options?.some((o) => !o.hidden) ? ' [' + i('options') + ']' : ''}${def.args.map((a) => ' ' + argTerm(a)).join('')}`];
  out.push(roff(sentence(def.summary)));
  if (def.description) out.push('.IP', roff(def.description));
  const notes: string[] = [];
  if (def.aliases?.length) notes.push(`Also called ${def.aliases.join(', ')}.`);
  if (def.family !== 'txl') notes.push(`Named after ${def.family}'s command; its default output is ${def.family}'s text.`);
  if (def.modifies) notes.push(def.dryRun ? 'Changes the host; with -N nothing is changed.' : 'Changes the host.');
  if (notes.length) out.push('.IP', roff(notes.join(' ')));
  const args = def.args.filter((a) => a.summary);
  const opts = (def.options ?? []).filter((o) => !o.hidden);
  if (args.length || opts.length) {
    out.push('.RS');
    for (const a of args) out.push('.TP', argTerm(a), roff(sentence(a.summary)));
    for (const o of opts) out.push(...option(o.flags, sentence(o.summary), optExtra(o)));
    out.push('.RE');
  }
  if (def.examples?.length) {
    out.push('.IP', 'Examples:', '.RS', '.PP', '.nf', ...def.examples.map(roff), '.fi', '.RE');
  }
  return out;
}

function sentence(s: string): string {
  const t = s.trim();
  return t ? t[0].toUpperCase() + t.slice(1) + (/[.!?)]$/.test(t) ? '' : '.') : t;
}

function section(title: string, ...paras: string[]): string[] {
  return [`.SH ${title}`, ...paras.flatMap((p, n) => (n ? ['.PP', roff(p)] : [roff(p)]))];
}

function items(list: [string, string][]): string[] {
  return list.flatMap(([term, text]) => ['.TP', term, roff(text)]);
}

export function renderMan(commands: CommandDef[], program: Command, version: string): string {
  const visible = commands.filter((c) => !c.hidden);
  const out: string[] = [
    `.\\" Generated from txl's command table by scripts/gen-man.mjs; do not edit.`,
    `.TH TXL 1 "" "txl ${version}" "User Commands"`,
    ".nh",
    ".ad l",
    '.SH NAME',
    'txl \\- a command\\-line toolstack for the Xen hypervisor, with xl and virsh commands and a simulator',
    '.SH SYNOPSIS',
    `${b('txl')} [${i('global options')}] ${i('command')} [${i('options')}] [${i('arguments')}]`,
    '.br',
    `${b('txl help')} [${i('command')}]`,
    '.br',
    `${b('txl')} ${i('command')} ${b('--help')}`,
    ...section(
      'DESCRIPTION',
      'txl does what xl(1) and virsh(1) do for Xen. It reads domain configs in xl.cfg(5) syntax, libvirt domain XML or libxl JSON into one model of libxl_domain_config, and carries each operation out directly through libxl, with no daemon in between: every command reads, acts, prints and exits.',
      'Commands named after xl\'s keep xl\'s arguments and print xl\'s own text by default, so scripts that parse xl keep working; commands named after virsh\'s print virsh\'s. Every command that returns data can print it as a table, JSON or YAML instead (-o). A built-in simulator (--connect test:///default) runs every command on a machine without Xen.',
      'Global options go before the command name, as with virsh, so that a command\'s own short options keep their xl meaning: in "txl -c test:///default create -c guest.cfg" the first -c is the connection, the second is create\'s "attach the console".',
    ),
    '.SH GLOBAL OPTIONS',
  ];
  for (const o of program.options) {
    if (o.hidden) continue;
    out.push(...option(o.flags, sentence(o.description)));
  }
  out.push(...option('-h, --help', 'Show help: the list of commands, or with a command, its options and examples.'));

  out.push('.SH COMMANDS', roff('Each command also accepts -h or --help. "txl help" lists the commands by group.'));
  const groups = [...new Set(Object.keys(GROUP_TITLES) as CommandDef['group'][])];
  for (const g of groups) {
    const defs = visible.filter((c) => c.group === g);
    if (!defs.length) continue;
    out.push(`.SS ${roff(GROUP_TITLES[g])}`);
    for (const def of defs) out.push(...commandEntry(def));
  }
  out.push(`.SS ${roff('Help')}`, '.TP', `${b('txl help')} [${i('command')}]`, roff('Without a command, list every command by group; with one, show its usage, options and examples. An unknown command is an error that names the nearest known one.'));

  out.push(
    '.SH CONNECTIONS',
    roff('The connection is taken from --connect, else TXL_CONNECT, else the "connect:" key of ~/.config/txl/txl.yaml or /etc/txl/txl.yaml, else xen:///system.'),
    ...items([
      [b('xen:///system'), 'The local Xen host, through libxl. Needs root on a dom0. On a machine without Xen the connection fails with a sentence naming the simulator.'],
      [b('test:///default'), 'The built-in simulator with its own host (CPUs, NUMA nodes, memory) and a state kept per user.'],
      [b('test:///') + i('PATH/host.yaml'), 'A simulated host described in YAML (CPUs, NUMA nodes, memory, initial domains); its state is kept beside the file as host.state.json.'],
    ]),
    '.PP',
    roff('The simulator is a real backend, not a mock: domids, names, memory and vCPU accounting, devices, cpupools and managed configs live in a state file, written atomically under a lock, so many txl processes may use one simulated host at once. Scripts and CI can run against it.'),
    ...section(
      'OUTPUT',
      '-o text (the default) prints xl\'s or virsh\'s own text; -o table prints a table; -o json and -o yaml print the data itself. JSON and YAML use libxl\'s own field names (libxl_dominfo, libxl_physinfo, libxl_domain_config), so their shape is stable from one release to the next.',
      'Colour is used only when standard output is a terminal and NO_COLOR is not set; output to a pipe or a file never holds escape sequences. Errors and warnings go to standard error, as one line "txl: error: ..." with a "hint:" line where one helps; config errors give file:line:col and show the line.',
      'Destructive commands ask for confirmation only when standard input and output are terminals; -y answers yes. Without a terminal they act at once, as xl does, so scripts keep working. Long operations show a progress bar on a terminal and plain lines otherwise; -q silences them.',
    ),
    ...section(
      'PASSWORDS',
      'VNC and SPICE passwords (xl.cfg vncpasswd, spicepasswd and a vfb\'s vncpasswd; libvirt\'s graphics passwd) are left out of every view of a domain\'s config, in every output format: dumpxml, config and list -l show them only with --security-info, as virsh dumpxml does (xl list -l shows them). They are dropped, not masked, so a config written back from such a view has no password: use --security-info to copy a domain\'s config whole.',
      'They can still be read where they are kept, each file readable by its owner only (mode 0600): the config file the domain was made from; the simulator\'s state file and managed/NAME.json beside it (on Xen, /var/lib/txl/managed and xenstore, as with xl); save images (the config is in their header); and files written by convert -d from a config holding one.',
      'Commands that convert a file the user names print what that file says, passwords included, as xl does: convert (to standard output or -d), domxml-from-native, domxml-to-native and create -N / define -N (xl -N prints the password). edit opens the managed config whole, in an owner-only temporary file. Diagnostics, -v output, logs and the process title never show a password.',
    ),
    ...section(
      'CONFIGURATION FORMATS',
      'txl reads three descriptions of a domain and detects which one a file holds from its name (.xml, .json), else from its first character ("<" or "{"); --from forces one.',
    ),
    ...items([
      [b('xl.cfg'), 'xl\'s domain config (see xl.cfg(5)): lines "key = value" where a value is a number, a "string" or a [ list, ... ]; # starts a comment. Device lists (disk, vif, pci...) hold xl\'s spec strings, e.g. disk = [ "format=raw, vdev=xvda, target=/dev/vg/guest" ]. On create, words "key=value" after the file override the file\'s keys. txl checks every key and value and reports unknown keys, with positions, as warnings (xl ignores them silently).'],
      [b('domain XML'), 'libvirt\'s domain XML for the Xen driver (<domain type="xen">), as virsh dumpxml prints it and virsh define reads it. Elements libxl has no field for (e.g. <description>) are kept in a side part of the model and written back out, never silently dropped.'],
      [b('libxl JSON'), 'The libxl_domain_config JSON that xl -N create prints and libxl stores: libxl\'s field names, fields equal to their default left out, keyed unions written as "type.pv": {...}, defbools as "True"/"False".'],
      [b('xl.conf'), 'xl\'s global settings (see xl.conf(5)), read from TXL_XL_CONF or /etc/xen/xl.conf, for the defaults they set (autoballoon, claim_mode, default bridge and scripts...).'],
      [b('txl.yaml'), 'txl\'s own settings, in YAML. Today one key: connect, the default connection URI.'],
    ]),
    ...section(
      'SHELL COMPLETION',
      'txl completion bash|zsh|fish prints a completion script. It completes commands, options and their values, live domain names and ids from the current connection (--connect on the line, or TXL_CONNECT), device ids for detach commands, cpupool names, config files for file arguments, and xl.cfg "key=" names for create\'s overrides. The script asks "txl __complete" (hidden) for the words, so it never goes stale; that never prompts, never writes to standard error, and gives up quietly after a few seconds on a hung connection.',
    ),
    '.PP',
    '.nf',
    roff('eval "$(txl completion bash)"                               # ~/.bashrc'),
    roff('txl completion zsh > "${fpath[1]}/_txl"                     # zsh'),
    roff('txl completion fish > ~/.config/fish/completions/txl.fish   # fish'),
    '.fi',
    '.SH EXIT STATUS',
    ...items([
      [b('0'), 'Success.'],
      [b('1'), 'The operation failed: no such domain, not enough memory, a busy device, a failed connection, an error from libxl.'],
      [b('2'), 'Usage error (unknown command or option, missing argument, bad value) or an invalid config.'],
      [b('130'), 'Cancelled: the answer at a confirmation prompt was no, or Ctrl-C was pressed.'],
    ]),
    '.SH ENVIRONMENT',
    roff('Every variable below is checked before a command runs: a value txl cannot use (a lock timeout of "5s", an unknown fault step, a relative path where an absolute one is needed) is one error line naming the variable and what it takes, exit status 2. An empty variable is the same as an unset one.'),
    ...items([
      [b('HOME'), 'Must be an absolute path. The simulator keeps its default state under it and never creates a missing HOME.'],
      [b('TXL_CONNECT'), 'The connection URI when --connect is not given, or an alias from uri_aliases in txl.yaml. A remote one (xen+ssh://[user@]host[:port]/system, test+ssh://host/default) runs the command line on that host\'s txl over ssh (see README, "Remote hosts").'],
      [b('TXL_SSH_OPTS'), 'More options for ssh when the connection is remote, split at spaces (e.g. -F /path/to/ssh_config).'],
      [b('TXL_XL_CONF'), 'The xl.conf to read instead of /etc/xen/xl.conf; it must exist.'],
      [b('TXL_SIM_STATE'), 'The simulator\'s state file, instead of ~/.local/state/txl/test-default.json (or PATH/host.state.json for test:///PATH/host.yaml). Managed configs and console logs are kept in the same directory.'],
      [b('TXL_SIM_FAIL'), `Fault injection for tests: step[:nth],... makes a named simulator step fail (every time, or only its nth occurrence), so that an operation's rollback can be checked. Steps: ${FAULT_STEPS.join(', ')}.`],
      [b('TXL_SIM_LOCK_TIMEOUT'), 'Milliseconds to wait for the simulator\'s lock before failing.'],
      [b('NO_COLOR'), 'When set, no colour even on a terminal (also --no-color).'],
      [b('XDG_CONFIG_HOME') + ', ' + b('XDG_STATE_HOME'), 'Where the user\'s txl.yaml and the simulator\'s default state are looked for (default ~/.config and ~/.local/state).'],
      [b('EDITOR'), 'The editor for commands that edit a managed config.'],
    ]),
    '.SH FILES',
    ...items([
      [i('/etc/xen/xl.conf'), 'xl\'s global settings, read as xl reads them.'],
      [i('/etc/txl/txl.yaml'), 'System-wide txl settings (connect: URI).'],
      [i('~/.config/txl/txl.yaml'), 'The user\'s txl settings; they win over /etc/txl/txl.yaml.'],
      [i('~/.local/state/txl/test-default.json'), 'The state of the test:///default simulator, with its lock file beside it and managed/, console/ directories.'],
      [i('/etc/xen/'), 'Where xl configs usually live.'],
    ]),
    '.SH EXAMPLES',
    '.nf',
    ...[
      'txl check /etc/xen/guest.cfg                 # every error and warning, file:line:col',
      'txl create -N guest.cfg memory=2048          # the libxl JSON xl would use',
      'txl convert guest.cfg --to xml               # xl.cfg -> libvirt domain XML',
      'txl -c test:///default create guest.cfg      # on the simulator',
      'txl -o json -c test:///default list | jq .   # data for scripts',
    ].map(roff),
    '.fi',
    '.SH SEE ALSO',
    'xl(1), xl.cfg(5), xl.conf(5), xl\\-disk\\-configuration(5), xl\\-network\\-configuration(5), virsh(1)',
    '',
  );
  return out.join('\n');
}
