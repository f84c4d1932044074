// Times as people type them: a number of ps (`2000`) or a number with a unit (`65ns`, `1.5us`, `5ms`),
// read into whole picoseconds; shared by the command line and the sweep's time axes.

const TIME_UNITS: Record<string, number> = { ps: 1, ns: 1e3, us: 1e6, µs: 1e6, ms: 1e9, s: 1e12 };

/** `text` as whole picoseconds, or undefined when it is not a time ≥ 0 such as 2000, 65ns or 1.5us. */
export function timeTextPs(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*(ps|ns|us|µs|ms|s)?\s*$/i.exec(text);
  const ps = m ? Number(m[1]) * TIME_UNITS[(m[2] ?? "ps").toLowerCase()] : NaN;
  return Number.isFinite(ps) && ps <= Number.MAX_SAFE_INTEGER ? Math.round(ps) : undefined;
}
