// A change of control clock that keeps the schedule's meaning (docs/model.md §3): the analog phases
// (WRITE, both PRECHARGEs, PHASE 1 and 2: settling times and T_max) keep their duration in ns,
// rounded up to whole cycles of the new clock; LOAD, CONVERT and ACCUMULATE keep their cycles
// (latching, one counter step per cycle, the adder tree's stages).
import { validateAccelerator, type AcceleratorConfig } from "./config.js";

/** Phases whose length is a time, not a number of clock cycles. */
export const TIMED_PHASES = ["writeCycles", "precharge1Cycles", "phase1Cycles", "precharge2Cycles", "phase2Cycles"] as const;

/** `c` on a control clock of `clockPs`: timed phases keep their ns (rounded up), the others their cycles. */
export function atClock(c: AcceleratorConfig, clockPs: number, source?: string): AcceleratorConfig {
  const scaled: Record<string, number> = { clockPeriodPs: clockPs };
  // whole ps × whole cycles: exact integers, so a duration that fits the new clock is not rounded up by float noise
  if (Number.isInteger(clockPs) && clockPs > 0) for (const f of TIMED_PHASES) scaled[f] = Math.ceil((c[f] * c.clockPeriodPs) / clockPs);
  return validateAccelerator({ ...c, ...scaled }, source);
}
