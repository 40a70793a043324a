// The prompts txl asks with, from the packages @inquirer/prompts is made of: its index also
// brings the editor prompt, whose encoding libraries (iconv-lite, chardet) would be a third
// of dist/cli.cjs, which every command loads.
export { default as confirm } from '@inquirer/confirm';
export { default as input } from '@inquirer/input';
export { default as select } from '@inquirer/select';
