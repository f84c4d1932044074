// PwmDriver: the read-word-line PWM driver of one K row, q code → pulse (docs/model.md §1 q pulses; §2 4-bit
// PWM drivers; §3 PHASE 1; §7 PWM jitter).
import { checkFields } from "../fieldChecks.js";
import { Module } from "../engine/Module.js";
import { type Timer } from "../engine/Process.js";
import type { Vec } from "../engine/Signal.js";
import { SignalValueError } from "../errors.js";
import { eventNoise, STREAM } from "../laws/draws.js";
import { jitteredPulse } from "../laws/nonideal.js";
import { qGrid } from "../laws/quantise.js";
import { codeBits, PWM_DRIVER_CHECKS, PWM_DRIVER_DEFAULTS, type PwmDriverParams, type PwmJitter } from "./params.js";

/**
 * At the rising edge of `phase1` a code c > 0 starts a pulse of amplitude V_in on the read word
 * line, c·T_max/(levelsQ − 1) long (1 ns per code step with the defaults); `width` reports it in ps.
 * With jitter (docs/model.md §7) the pulse fraction c·step + N(0, σ_q), clamped to [0, 1], drawn
 * (seed, pwmQ, head, t, row), t counting the PHASE 1 strobes from 0: a code 0 may pulse too.
 */
export class PwmDriver extends Module {
  /** q code of this row, 0..levelsQ − 1. */
  readonly code: Vec;
  /** PHASE 1 strobe (docs/model.md §3: 15 cycles = T_max). */
  readonly phase1 = this.bit("phase1", "in");
  /** The read-word-line pulse, high for `width` (rounded to whole ps: the engine's time step). */
  readonly rwl = this.bit("rwl", "out");
  /** Pulse width, ps, written at the rising edge of phase1 and held until the next. */
  readonly width = this.real("width", "ps", "out");

  readonly params: PwmDriverParams;
  private readonly maxCode: number;
  private readonly pulse: Timer;
  private readonly jitter: PwmJitter | undefined;
  private readonly stepQ: number;
  private starting = false;
  private widthPs = 0;
  // PHASE 1 strobes so far: the index of the token being read (keys the jitter draws).
  private phases = 0;

  /** `jitter` adds the PWM jitter of a realised chip (docs/model.md §7). */
  constructor(parent: Module | null, name: string, params: Partial<PwmDriverParams> = {}, jitter?: PwmJitter) {
    super(parent, name);
    const p = (this.params = checkFields(params, PWM_DRIVER_CHECKS, PWM_DRIVER_DEFAULTS, this.path));
    this.code = this.vec("code", codeBits(p.levelsQ), "in");
    this.maxCode = p.levelsQ - 1;
    this.jitter = jitter !== undefined && jitter.sigma !== 0 ? jitter : undefined;
    this.stepQ = qGrid(p.levelsQ).step;
    // it reads the code only: the word line is for the trace, and its timer sleeps when nobody traces it (api.ts)
    this.always(this.phase1.posedge, [this.width], () => this.start(), { reads: [this.code] });
    // One process drives rwl for both its edges (a net has one driver): the phase edge wakes it
    // in the next delta of the same time step to rise (replacing a fall still pending), its own
    // timer wakes it to fall.
    this.pulse = this.timer("pulse", [this.rwl], () => this.toggle());
  }

  // docs/model.md §1: the pulse is q·T_max long with q = code/(levelsQ − 1). The width stays exact, not
  // rounded to ps: the K array integrates width/T_max, which then equals the functional model's
  // pulse fraction to float precision for every levelsQ, not only when (levelsQ − 1) divides T_max.
  private start(): void {
    const code = this.code.get();
    if (code > this.maxCode) {
      throw new SignalValueError(`${this.code.path}: code ${code} is above the top PWM level ${this.maxCode} (levelsQ ${this.params.levelsQ})`);
    }
    const token = this.phases++;
    const j = this.jitter;
    // one rounding: code·T_max is exact, so the top code gives T_max itself; with jitter the
    // functional model's pulse fraction step·code + noise, times T_max
    this.widthPs = j === undefined ? (code * this.params.tMaxPs) / this.maxCode
      : jitteredPulse(this.stepQ * code, eventNoise(j.sigma, j.seed, STREAM.pwmQ, j.head, token, j.row)) * this.params.tMaxPs;
    this.width.set(this.widthPs);
    this.starting = true;
    this.pulse.after(0);
  }

  private toggle(): void {
    if (!this.starting) {
      this.rwl.set(0);
      return;
    }
    this.starting = false;
    const edgePs = Math.round(this.widthPs);
    // a pulse shorter than half a ps has no visible edge at 1 ps resolution; its width still counts
    this.rwl.set(edgePs === 0 ? 0 : 1);
    if (edgePs > 0) this.pulse.after(edgePs);
  }
}
