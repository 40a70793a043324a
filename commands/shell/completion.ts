import { defineCommand } from '../../src/command.js';

export default defineCommand({
  name: 'completion',
  summary: 'print the shell completion script for bash, zsh or fish',
  description:
    'The script asks txl itself what to offer (commands, options, live domain names, config files), so it never goes stale. ' +
    'Without an argument the shell is taken from $SHELL.',
  examples: [
    'eval "$(txl completion bash)"          # in ~/.bashrc',
    'txl completion zsh > "${fpath[1]}/_txl"',
    'txl completion fish > ~/.config/fish/completions/txl.fish',
  ],
  family: 'txl',
  group: 'shell',
  args: [{ name: 'shell', summary: 'bash, zsh or fish (default: from $SHELL)', required: false, complete: ['bash', 'zsh', 'fish'] }],
  modifies: false,
  async run({ ctx, args }) {
    const { completionScript } = await import('../../src/shellscript.js');
    const { shell, script } = await completionScript(args.shell, ctx.env);
    return { data: { shell, script }, text: script };
  },
});
