// Small helpers shared by the commands that show domains.
import type { DomainConfig } from '../core/model.js';

/** The config as libxl's JSON text (what `xl list -l` and save files carry). */
export async function configText(cfg: DomainConfig): Promise<string> {
  const { modelToLibxlJson } = await import('../../parsers/libxl-json.js');
  return modelToLibxlJson(cfg);
}

/** xl's uptime text: "1 day,  2:03:04" or " 2:03:04" (short: without seconds). */
export function uptimeText(seconds: number, short = false): string {
  let s = Math.max(0, Math.floor(seconds));
  const day = Math.floor(s / 86400);
  s -= day * 86400;
  const hour = Math.floor(s / 3600);
  s -= hour * 3600;
  const min = Math.floor(s / 60);
  const sec = s - min * 60;
  const hm = `${String(hour).padStart(2)}:${String(min).padStart(2, '0')}`;
  const tail = short ? hm : `${hm}:${String(sec).padStart(2, '0')}`;
  if (day > 1) return `${day} days, ${tail}`;
  if (day === 1) return `${day} day, ${tail}`;
  return tail;
}
