// The monitor's reboot-loop limit, "COUNT/SECONDS" (TXL_REBOOT_LIMIT, --reboot-limit).

export interface RebootLimit {
  /** restarts allowed within `seconds`; one more is a loop */
  count: number;
  seconds: number;
}

export const DEFAULT_REBOOT_LIMIT: RebootLimit = { count: 5, seconds: 60 };

/** "5/60" (restarts / seconds) as a limit; undefined when the text is not one. */
export function parseRebootLimit(s: string | undefined): RebootLimit | undefined {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(s ?? '');
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) return undefined;
  return { count: Number(m[1]), seconds: Number(m[2]) };
}
