// The accelerator's protocol monitors on real runs (random configurations and streams with stalls:
// no failure, outputs equal to the functional model's, no vacuous monitor), and each monitor kind
// failing on a deliberately broken block put between a head and its monitors, passing without it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateAccelerator, type AcceleratorConfig } from "../src/arch/config.js";
import { tokenCodes, type AttentionInputs } from "../src/arch/runAttention.js";
import type { AttentionHead } from "../src/arch/AttentionHead.js";
import { Module } from "../src/engine/Module.js";
import { type Timer } from "../src/engine/Process.js";
import type { Bit, Real, WideVec } from "../src/engine/Signal.js";
import { fcPerSpecCharge } from "../src/analog/params.js";
import { arbChip, arbVerifyCase } from "../src/verify/arbitraries.js";
import type { HeadPorts } from "../src/verify/protocol.js";
import { runVerifyCase } from "../src/verify/runCase.js";
import { runMonitored } from "../src/verify/runMonitored.js";
import { VerifyBench } from "../src/verify/VerifyBench.js";

describe("the protocol monitors on real runs", () => {
  it("never fail, and the outputs equal the functional model's, for random configurations, streams and stalls", async () => {
    await fc.assert(fc.asyncProperty(arbVerifyCase({ maxWindow: 12, maxDims: 4 }), async (vc) => {
      const r = await runVerifyCase(vc);
      expect(r.problems).toEqual([]);
      expect(r.tokensDone).toBe(vc.inputs.T);
    }), { numRuns: 25 });
  });

  it("never fail, and the outputs equal the functional model's, on random realised chips too (docs/model.md §7)", async () => {
    await fc.assert(fc.asyncProperty(arbVerifyCase({ maxWindow: 10, maxDims: 4, realisation: arbChip }), async (vc) => {
      const r = await runVerifyCase(vc);
      expect(r.problems).toEqual([]);
      expect(r.tokensDone).toBe(vc.inputs.T);
    }), { seed: 4_211, numRuns: 20 });
    // the stalls space the tokens: a chip that counts retention in time is refused
    const c = validateAccelerator({ windowM: 4, tile: 2, D: 2 });
    await expect(runVerifyCase({ config: c, inputs: stream(c, 3), stalls: [], realisation: { retention: "time" } }))
      .rejects.toThrow(/^case\.realisation: a verification case's chip counts retention per token/);
  });

  it("check something on every monitor kind (no vacuous pass) over a wrapped window with stalls", async () => {
    const c = validateAccelerator({ windowM: 6, tile: 4, D: 3, heads: 2, sSat: 1 });
    const vc = { config: c, inputs: stream(c, 14), stalls: [Uint8Array.from([0, 0, 1, 0, 1, 1]), new Uint8Array(0)], realisation: undefined };
    const r = await runVerifyCase(vc);
    expect(r.problems).toEqual([]);
    const attempts = (name: string) => r.monitors.find((m) => m.monitor === `layer.checker.head[1].${name}`)!.attempts;
    const names = ["phase_order", "strobes_match_state", "load_length", "accumulate_length", "no_write_in_phase1", "one_write_per_token",
      "write_follows_load", "output_follows_load", "token_order", "slot_wrap", "pointer_stable", "codes_stable",
      "rwl_width[2]", "rwl_width_ps[2]", "rwl_in_phase1[2]", "phi_width[1][1]", "phi_width_ps[1][1]", "phi_in_phase2[1][1]",
      "count_range[1][2]", "count_held[1][2]", "sign_held[1][2]"];
    for (const name of names) expect(attempts(name), name).toBeGreaterThan(0);
    // one write, one output per token: the triggers fired 14 times each
    expect([attempts("one_write_per_token"), attempts("output_follows_load")]).toEqual([14, 14]);
  });
});

/** T tokens of one configuration: q codes differing from token to token, k at the top (saturating S), v anywhere. */
function stream(c: AcceleratorConfig, T: number): AttentionInputs {
  const n = T * c.heads * c.D;
  const q = Float64Array.from({ length: n }, (_, i) => ((i * 7) % 15 + 1) / 15);
  const k = new Float64Array(n).fill(0.9);
  const v = Float64Array.from({ length: n }, (_, i) => ((i * 5) % 8) * 0.9 / 7);
  return { T, H: c.heads, D: c.D, q, k, v, threeD: true };
}

const C = validateAccelerator({ windowM: 4, tile: 2, D: 2, heads: 1, sSat: 1 });
const INPUTS = stream(C, 6);

/** Runs the bench over INPUTS with head 0 seen through `view`; returns the tally of `monitor` and its first failure. */
async function watch(monitor: string, view?: (head: AttentionHead, bench: VerifyBench) => HeadPorts) {
  const streams = [tokenCodes(INPUTS, 0, C)];
  const build = () => new VerifyBench(C, streams, [new Uint8Array(0)], { view: view && ((head, _h, bench) => view(head, bench)) });
  const r = await runMonitored(build, { untilPs: 40 * 65 * C.clockPeriodPs });
  const path = `layer.checker.head[0].${monitor}`;
  const tally = r.design.checker.results().find((m) => m.monitor === path)!;
  return { tally, first: r.failures.find((f) => f.monitor === path) };
}

/** A controller whose write strobe is also high through PHASE 1 (a decode error). */
class WriteInPhase1 extends Module {
  readonly write = this.bit("write", "out");
  constructor(parent: Module, seq: { write: Bit; phase1: Bit }) {
    super(parent, "broken");
    this.comb([seq.write, seq.phase1], [this.write], () => this.write.set(seq.write.get() | seq.phase1.get()));
  }
}

/** An accumulator that raises outValid one clock cycle late. */
class LateOutValid extends Module {
  readonly outValid = this.bit("outValid", "out");
  constructor(parent: Module, clk: Bit, outValid: Bit) {
    super(parent, "broken");
    this.always(clk.posedge, [this.outValid], () => this.outValid.set(outValid.get()));
  }
}

/** A controller that latches the next token's q codes when PHASE 1 starts, instead of holding its own. */
class EarlyLatch extends Module {
  readonly qCodes: WideVec;
  constructor(parent: Module, clk: Bit, seq: { phase1: Bit; qIn: WideVec; qCodes: WideVec }) {
    super(parent, "broken");
    const q = (this.qCodes = this.wide("qCodes", seq.qCodes.width, "out"));
    this.always(clk.posedge, [q], () => {
      const from = seq.phase1.get() === 1 ? seq.qIn : seq.qCodes;
      for (let i = 0; i < q.words; i++) q.setWord(i, from.getWord(i));
    });
  }
}

/** A charge-to-pulse converter without its clamp: φ = S/S_sat · T_max for any S. */
class Unclamped extends Module {
  readonly width = this.real("width", "ps", "out");
  constructor(parent: Module, charge: Real, c: AcceleratorConfig) {
    super(parent, "broken");
    this.comb([charge], [this.width], () => this.width.set((charge.get() / fcPerSpecCharge(c.tMaxPs) / c.sSat) * c.tMaxPs));
  }
}

/** A PWM driver whose pulse overshoots its width by 2 ns. */
class Overshoot extends Module {
  readonly rwl = this.bit("rwl", "out");
  constructor(parent: Module, phase1: Bit, width: Real) {
    super(parent, "broken");
    let rising = false;
    const pulse: Timer = this.timer("pulse", [this.rwl], () => {
      this.rwl.set(rising ? 1 : 0);
      if (rising) pulse.after(Math.round(width.get()) + 2000);
      rising = false;
    });
    this.always(phase1.posedge, [], () => {
      rising = true;
      pulse.after(0);
    });
  }
}

describe("each monitor kind fails on a broken block and passes on the real one", () => {
  it("implication: phase1 |-> !write, against a controller that writes during PHASE 1", async () => {
    const real = await watch("no_write_in_phase1");
    expect(real.tally.failures).toBe(0);
    expect(real.tally.attempts).toBeGreaterThan(0);
    const broken = await watch("no_write_in_phase1", (head, bench) => ({ ...head, seq: { ...head.seq, write: new WriteInPhase1(bench, head.seq).write } }));
    expect(broken.tally.failures).toBeGreaterThan(0);
    // docs/model.md §3: the first token is handed over at 1.5 ns; LOAD 2, WRITE 8, PRECHARGE 1 2 cycles: PHASE 1 from 13.5 ns, first sampled at 14.5 ns
    expect(broken.first!.message).toBe("layer.checker.head[0].no_write_in_phase1 failed at 14500 ps: phase1 |-> !write: phase1 holds but !write does not; layer.head[0].seq.phase1 = 1, layer.broken.write = 1");
  });

  it("bounded eventuality: $rose(load) |-> ##[65:65] $rose(outValid), against an accumulator one cycle late", async () => {
    const real = await watch("output_follows_load");
    expect([real.tally.failures, real.tally.attempts]).toEqual([0, 6]);
    const broken = await watch("output_follows_load", (head, bench) => ({ ...head, acc: { outValid: new LateOutValid(bench, bench.clk, head.acc.outValid).outValid } }));
    expect(broken.tally.failures).toBe(6);
    expect(broken.first!.property).toBe("$rose(load) |-> ##[65:65] $rose(outValid)");
    expect(broken.first!.detail).toMatch(/^\$rose\(load\) held at \d+ ps; no \$rose\(outValid\) in the 65\.\.65 ticks after$/);
  });

  it("stability: the latched codes hold through a token, against a controller that latches the next token's codes in PHASE 1", async () => {
    const real = await watch("codes_stable");
    expect(real.tally.failures).toBe(0);
    const broken = await watch("codes_stable", (head, bench) => ({ ...head, seq: { ...head.seq, qCodes: new EarlyLatch(bench, bench.clk, head.seq).qCodes } }));
    expect(broken.tally.failures).toBeGreaterThan(0);
    expect(broken.first!.kind).toBe("stability");
    expect(broken.first!.signals.map((s) => s.path)).toContain("layer.broken.qCodes");
  });

  it("analog bounds: φ width ≤ T_max, against a converter without its clamp", async () => {
    const real = await watch("phi_width_ps[0][0]");
    expect(real.tally.failures).toBe(0);
    const broken = await watch("phi_width_ps[0][0]", (head, bench) => {
      const sub = head.subTiles[0];
      const cpcs = sub.cpcs.map((cpc, j) => (j === 0 ? { ...cpc, pulse: cpc.pulse, saturated: cpc.saturated, width: new Unclamped(bench, cpc.charge, C).width } : cpc));
      return { ...head, subTiles: [{ ...sub, cpcs, signedCpcs: sub.signedCpcs }, ...head.subTiles.slice(1)] };
    });
    expect(broken.tally.failures).toBeGreaterThan(0);
    expect(broken.first!.property).toBe("1 |-> width inside [0:15000]");
    expect(Number(broken.first!.signals[0].value.replace(" ps", ""))).toBeGreaterThan(C.tMaxPs);
  });

  it("pulse width: a q word-line pulse ≤ T_max, against a PWM driver that overshoots by 2 ns", async () => {
    const real = await watch("rwl_width[0]");
    expect([real.tally.failures, real.tally.attempts]).toEqual([0, 6]);
    // row 0's q reaches the top code (a T_max pulse) in token 1: with 2 ns more it is too long
    const broken = await watch("rwl_width[0]", (head, bench) => ({
      ...head,
      pwm: head.pwm.map((p, d) => (d === 0 ? { rwl: new Overshoot(bench, head.seq.phase1, p.width).rwl, width: p.width } : p)),
    }));
    expect(broken.tally.failures).toBeGreaterThan(0);
    expect(broken.first!.detail).toMatch(/^rwl was high for 17000 ps, from \d+ to \d+ ps$/);
  });
});
