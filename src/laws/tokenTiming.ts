// The token timing law: when each token of a stream is written and read on the control clock, given
// the phase schedule of docs/model.md §3 and the tokens' arrival times. The functional model times its
// `time`-mode retention with it (docs/model.md §7: Δt = read start − end of the slot's WRITE), and the
// cycle-accurate head produces the same times: the token source offers token i at the first
// rising edge at or after its arrival (not before token i − 1 is taken), and the sequencer takes
// it at the next rising edge at which it is ready (src/control/TokenSequencer.ts).
import { ConfigError } from "../errors.js";

/** Control clock and phase schedule: the first rising edge, the period and the 8 phase lengths in cycles. */
export interface TokenSchedule {
  /** Control clock period, ps. */
  readonly clockPeriodPs: number;
  /** Time of the first rising edge, ps (half a period: a clock that starts low). */
  readonly firstRisePs: number;
  /** Cycles of LOAD, WRITE, PRECHARGE 1, PHASE 1, PRECHARGE 2, PHASE 2, CONVERT, ACCUMULATE. */
  readonly phaseCycles: readonly number[];
}

/** Per token, ps: LOAD starts (the token is taken), WRITE ends, PHASE 1 and PHASE 2 start, the token is done. */
export interface TokenTimes {
  readonly loadPs: Float64Array;
  readonly writeEndPs: Float64Array;
  readonly phase1Ps: Float64Array;
  readonly phase2Ps: Float64Array;
  readonly donePs: Float64Array;
}

/** Schedule of an accelerator configuration: its clock (first edge half a period in) and phase lengths. */
export function scheduleOf(c: {
  clockPeriodPs: number; loadCycles: number; writeCycles: number; precharge1Cycles: number; phase1Cycles: number;
  precharge2Cycles: number; phase2Cycles: number; convertCycles: number; accumulateCycles: number;
}): TokenSchedule {
  return {
    clockPeriodPs: c.clockPeriodPs,
    firstRisePs: Math.floor(c.clockPeriodPs / 2), // the engine's default clock (src/engine/Module.ts)
    phaseCycles: [c.loadCycles, c.writeCycles, c.precharge1Cycles, c.phase1Cycles, c.precharge2Cycles, c.phase2Cycles,
      c.convertCycles, c.accumulateCycles],
  };
}

/** Arrival times of T tokens `gapPs` of idle time apart: token t at t·(cycles per token·period + gap); 0 is back to back. */
export function arrivalsWithGap(schedule: TokenSchedule, T: number, gapPs: number): Float64Array {
  if (!Number.isInteger(gapPs) || gapPs < 0) throw new ConfigError("token gap", `${gapPs} ps is not a whole number of ps ≥ 0`);
  const tokenPs = schedule.phaseCycles.reduce((a, b) => a + b, 0) * schedule.clockPeriodPs;
  return Float64Array.from({ length: T }, (_, t) => t * (tokenPs + gapPs));
}

/** Checks arrival times: whole ps, ≥ 0, in order; `what` names them (e.g. the file) in errors with the index. */
export function checkArrivals(arrivalsPs: ArrayLike<number>, T: number, what: string): void {
  if (arrivalsPs.length !== T) throw new ConfigError(what, `has ${arrivalsPs.length} arrival times; expected one per token, ${T}`);
  for (let t = 0; t < T; t++) {
    const a = arrivalsPs[t];
    if (!Number.isSafeInteger(a) || a < 0) throw new ConfigError(`${what}[${t}]`, `${a} is not a whole number of ps ≥ 0`);
    if (t > 0 && a < arrivalsPs[t - 1]) throw new ConfigError(`${what}[${t}]`, `${a} ps is before token ${t - 1}'s arrival at ${arrivalsPs[t - 1]} ps: tokens arrive in order`);
  }
}

/**
 * The times of T tokens arriving at `arrivalsPs` (back to back when omitted). With rising edges
 * e_n = firstRise + n·period and C cycles per token: token t is offered at edge
 * O_t = max(first n with e_n ≥ arrival_t, A_{t−1}) and taken at A_t = max(O_t + 1, A_{t−1} + C)
 * (the sequencer samples the offer one edge later, and is ready again C edges after LOAD).
 * WRITE ends, and the cell is stored, at the edge that leaves WRITE.
 */
export function tokenTimes(schedule: TokenSchedule, T: number, arrivalsPs?: ArrayLike<number>): TokenTimes {
  if (arrivalsPs !== undefined) checkArrivals(arrivalsPs, T, "arrival times");
  const { clockPeriodPs: P, firstRisePs, phaseCycles: c } = schedule;
  const C = c.reduce((a, b) => a + b, 0);
  const writeEnd = c[0] + c[1];
  const phase1 = writeEnd + c[2];
  const phase2 = phase1 + c[3] + c[4];
  const edge = (n: number): number => firstRisePs + n * P;
  const times: TokenTimes = {
    loadPs: new Float64Array(T),
    writeEndPs: new Float64Array(T),
    phase1Ps: new Float64Array(T),
    phase2Ps: new Float64Array(T),
    donePs: new Float64Array(T),
  };
  let taken = -Infinity; // A_{t−1}
  for (let t = 0; t < T; t++) {
    const arrival = arrivalsPs === undefined ? 0 : arrivalsPs[t];
    const firstEdge = Math.max(0, Math.ceil((arrival - firstRisePs) / P));
    const offered = Math.max(firstEdge, taken);
    const a = Math.max(offered + 1, taken + C);
    times.loadPs[t] = edge(a);
    times.writeEndPs[t] = edge(a + writeEnd);
    times.phase1Ps[t] = edge(a + phase1);
    times.phase2Ps[t] = edge(a + phase2);
    times.donePs[t] = edge(a + C);
    taken = a;
  }
  return times;
}
