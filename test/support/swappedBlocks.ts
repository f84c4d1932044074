// Blocks swapped into a head by tests (src/arch/blocks.ts): a PWM driver written from its ports alone,
// not derived from the project's PwmDriver; a CPC row whose transfer has half the project's gain.
import type { BlockFactories, PwmDriverPorts } from "../../src/arch/blocks.js";
import { ChargeToPulseConverter } from "../../src/analog/ChargeToPulseConverter.js";
import { codeBits, type PwmDriverParams } from "../../src/analog/params.js";
import { Module } from "../../src/engine/Module.js";
import type { Vec } from "../../src/engine/Signal.js";

/**
 * A read-word-line driver by the datasheet of docs/model.md §1: a pulse code·T_max/(levelsQ − 1) ps
 * from phase1's rise (`stretch` times that: a broken driver for the monitors to catch).
 */
export class PlainPwm extends Module implements PwmDriverPorts {
  readonly code: Vec;
  readonly phase1 = this.bit("phase1", "in");
  readonly rwl = this.bit("rwl", "out");
  readonly width = this.real("width", "ps", "out");
  private rising = false;

  constructor(parent: Module, name: string, p: PwmDriverParams, stretch = 1) {
    super(parent, name);
    this.code = this.vec("code", codeBits(p.levelsQ), "in");
    const edge = this.timer("edge", [this.rwl], () => {
      this.rwl.set(this.rising && Math.round(this.width.get()) > 0 ? 1 : 0);
      if (this.rising) edge.after(Math.round(this.width.get()));
      this.rising = false;
    });
    this.always(this.phase1.posedge, [this.width], () => {
      this.width.set((stretch * (this.code.get() * p.tMaxPs)) / (p.levelsQ - 1));
      this.rising = true;
      edge.after(0);
    });
  }
}

/** The hard sigmoid at half the gain: φ/T_max = clamp((S − S_off)/(2·S_sat), 0, 1). */
export class HalfGainCpc extends ChargeToPulseConverter {
  protected override transfer(s: number, offset: number): number {
    return Math.min(1, Math.max(0, (s - offset) / (2 * this.params.sSat)));
  }
}

export const plainPwm: Partial<BlockFactories> = { pwmDriver: (parent, name, params) => new PlainPwm(parent, name, params) };
export const longPwm: Partial<BlockFactories> = { pwmDriver: (parent, name, params) => new PlainPwm(parent, name, params, 2) };
export const halfGainCpc: Partial<BlockFactories> = {
  cpcRow: (parent, name, columns, params, offsets) => new HalfGainCpc(parent, name, columns, params, offsets),
};
export const notFactories = { cpcRow: 3 };
export const unknownKind = { sigmoid: () => null };
