// Child process of the bridge tests: reads [{name, type, json}] from the file given as argv[2],
// sends each through libxl_<type>_from_json and back through _to_json on a real libxl
// context, and prints [{name, out} | {name, rc, log}] as JSON on stdout.
import { readFileSync } from 'node:fs';
import { bridge, type Item } from './bridge-run.js';

const { results, live } = await bridge(JSON.parse(readFileSync(process.argv[2], 'utf8')) as Item[]);
process.stdout.write(JSON.stringify({ results, live }));
