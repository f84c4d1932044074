// Analog blocks under random configurations and inputs, each driven by a phase testbench: every
// output equals its docs/model.md §1 equation computed plainly here, at the §3 times.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Module } from "../src/engine/Module.js";
import type { Real, Signal } from "../src/engine/Signal.js";
import { Simulator } from "../src/engine/Simulator.js";
import { ChargeToPulseConverter } from "../src/analog/ChargeToPulseConverter.js";
import { gDecayed, ZERO_POINT_V, type Nonlinearity } from "../src/laws/deviceLaw.js";
import { GainCellArray } from "../src/analog/GainCellArray.js";
import { codeBits } from "../src/analog/params.js";
import { PwmDriver } from "../src/analog/PwmDriver.js";
import { quantiseCode } from "../src/laws/quantise.js";
import { SignedChargeToPulseConverter } from "../src/analog/SignedChargeToPulseConverter.js";
import { WriteDriver } from "../src/analog/WriteDriver.js";
import { DEFAULT_CYCLES, PhaseBench, valueAt } from "./support/phaseBench.js";
import { Recorder } from "./support/recorder.js";

// fast-check prints the seed of a failing run; set FC_SEED to replay or vary it.
const seed = Number(process.env.FC_SEED ?? 4_417_203);
const numRuns = 200;

/** Simulates the bench to its end and returns a function giving a signal's recorded history. */
function runBench(bench: PhaseBench): (s: Signal) => [number, string][] {
  const sim = new Simulator(bench);
  const rec = new Recorder(sim);
  sim.run(bench.endPs + bench.periodPs);
  sim.close();
  return (s) => rec.history.get(sim.netName(s.id))!;
}

/** Bench outputs joined to a block's inputs, one per input. */
function drive<S extends Signal>(bench: Module, inputs: readonly S[], make: (s: S) => S): S[] {
  return inputs.map((input) => {
    const out = make(input);
    bench.connect(out, input);
    return out;
  });
}

const realsLike = (bench: Module, ins: readonly Real[], prefix: string) =>
  drive(bench, ins, (s) => bench.real(`${prefix}${s.name}`, s.unit, "out"));

const arrayCase = fc
  .record({
    rows: fc.integer({ min: 1, max: 6 }),
    cols: fc.integer({ min: 1, max: 6 }),
    b: fc.integer({ min: 0, max: 2 }),
    lambda: fc.oneof(fc.constant(0), fc.double({ min: 1e-4, max: 0.3, noNaN: true })),
    nonlinearity: fc.constantFrom<Nonlinearity>("cubic", "linear"),
    tMaxPs: fc.integer({ min: 1000, max: 15_000 }),
    levelsKv: fc.integer({ min: 2, max: 64 }),
    tokens: fc.integer({ min: 1, max: 12 }),
  })
  .chain((c) => {
    const nWidths = (orientation: "K" | "V") => (orientation === "K" ? c.rows : c.cols);
    // one token: where it is written, what it writes, and the pulse widths of its read
    const token = (orientation: "K" | "V") =>
      fc.record({
        subTile: fc.integer({ min: 0, max: 2 }),
        column: fc.integer({ min: 0, max: c.cols - 1 }),
        // stored voltages on the DAC grid, as the WriteDriver drives them
        volts: fc.array(fc.integer({ min: 0, max: c.levelsKv - 1 }).map((code) => (0.9 / (c.levelsKv - 1)) * code), { minLength: c.rows, maxLength: c.rows }),
        // pulse widths: none, full scale, or anything between
        widths: fc.array(fc.oneof(fc.constant(0), fc.constant(c.tMaxPs), fc.double({ min: 0, max: c.tMaxPs, noNaN: true })), {
          minLength: nWidths(orientation),
          maxLength: nWidths(orientation),
        }),
      });
    return fc.record({
      c: fc.constant(c),
      orientation: fc.constantFrom<"K" | "V">("K", "V"),
    }).chain(({ c, orientation }) =>
      fc.record({ c: fc.constant(c), orientation: fc.constant(orientation), seq: fc.array(token(orientation), { minLength: c.tokens, maxLength: c.tokens }) }),
    );
  });

describe("GainCellArray (docs/model.md §1 read current and retention, §3 WRITE/PHASE)", () => {
  it("publishes Σ (width/T_max)·g((V − 0.45)·δ) × T_max_ns fC per column (K) or row (V) T_max into the phase, reset at precharge", () => {
    fc.assert(
      fc.property(arrayCase, ({ c, orientation, seq }) => {
        const isK = orientation === "K";
        const bench = new PhaseBench({ tokens: c.tokens });
        const arr = new GainCellArray(bench, "arr", {
          rows: c.rows,
          cols: c.cols,
          orientation,
          subTile: c.b,
          lambdaPerToken: c.lambda,
          nonlinearity: c.nonlinearity,
          tMaxPs: c.tMaxPs,
        });
        const token = bench.vec("token", 32, "out");
        const subTile = bench.vec("subTile", 16, "out");
        const column = bench.vec("column", 16, "out");
        for (const [a, b] of [[token, arr.token], [subTile, arr.subTile], [column, arr.column]] as const) bench.connect(a, b);
        bench.connect(bench.write, arr.write);
        bench.connect(isK ? bench.precharge1 : bench.precharge2, arr.precharge);
        bench.connect(isK ? bench.phase1 : bench.phase2, arr.phase);
        const bl = realsLike(bench, arr.bitLines, "tb_");
        const widths = realsLike(bench, arr.widths, "tb_");
        bench.stimulus([token, subTile, column, ...bl, ...widths], (n) => {
          const tk = seq[n];
          token.set(n);
          subTile.set(tk.subTile);
          column.set(tk.column);
          tk.volts.forEach((v, d) => bl[d].set(v));
          tk.widths.forEach((w, i) => widths[i].set(w));
        });
        const history = runBench(bench);

        // Plain model: column j holds the last token n' ≤ n written to (b, j).
        const holder = new Array<number>(c.cols).fill(-1);
        const tMaxNs = c.tMaxPs / 1000;
        for (let n = 0; n < c.tokens; n++) {
          if (seq[n].subTile === c.b) holder[seq[n].column] = n;
          // published when the longest pulse has ended, T_max after the phase rises (≤ its fall)
          const readAt = bench.startOf(n, isK ? "phase1" : "phase2") + c.tMaxPs;
          const resetAt = bench.startOf(n, isK ? "precharge1" : "precharge2");
          const cell = (d: number, j: number) => {
            const tau = holder[j];
            return gDecayed(seq[tau].volts[d] - ZERO_POINT_V, Math.exp(-c.lambda * (n - tau)), c.nonlinearity);
          };
          const w = seq[n].widths;
          for (let i = 0; i < arr.charges.length; i++) {
            let s = 0;
            if (isK) {
              if (holder[i] >= 0) for (let d = 0; d < c.rows; d++) s += (w[d] / c.tMaxPs) * cell(d, i);
            } else {
              for (let j = 0; j < c.cols; j++) if (holder[j] >= 0 && w[j] !== 0) s += (w[j] / c.tMaxPs) * cell(i, j);
            }
            const h = history(arr.charges[i]);
            expect(valueAt(h, resetAt)).toBe(0);
            expect(valueAt(h, readAt - 1)).toBe(0);
            expect(valueAt(h, readAt)).toBe(s * tMaxNs);
            expect(valueAt(h, bench.endOf(n, isK ? "phase1" : "phase2"))).toBe(s * tMaxNs);
          }
        }
      }),
      { seed, numRuns },
    );
  });

  it("retention never increases |y| and is the identity at λ = 0", () => {
    const caseArb = fc.record({
      lambda: fc.oneof(fc.constant(0), fc.double({ min: 1e-5, max: 0.5, noNaN: true })),
      level: fc.integer({ min: 0, max: 7 }),
      tokens: fc.integer({ min: 2, max: 12 }),
    });
    fc.assert(
      fc.property(caseArb, ({ lambda, level, tokens }) => {
        // One cell, written once at token 0, read every token with a full pulse: with the linear
        // law the charge is 19.3·y·δ·T_max_ns, so it tracks the decayed offset y·δ directly.
        const bench = new PhaseBench({ tokens });
        const arr = new GainCellArray(bench, "arr", { rows: 1, cols: 1, lambdaPerToken: lambda, nonlinearity: "linear" });
        const subTile = bench.vec("subTile", 16, "out");
        const token = bench.vec("token", 32, "out");
        bench.connect(subTile, arr.subTile);
        bench.connect(token, arr.token);
        bench.connect(bench.write, arr.write);
        bench.connect(bench.precharge1, arr.precharge);
        bench.connect(bench.phase1, arr.phase);
        const [bl] = realsLike(bench, arr.bitLines, "tb_");
        const [width] = realsLike(bench, arr.widths, "tb_");
        bench.stimulus([subTile, token, bl, width], (n) => {
          token.set(n);
          subTile.set(n === 0 ? 0 : 1); // later tokens go to another sub-tile
          bl.set((0.9 / 7) * level);
          width.set(15_000);
        });
        const history = runBench(bench);
        const y = (0.9 / 7) * level - ZERO_POINT_V;
        let previous = Infinity;
        for (let n = 0; n < tokens; n++) {
          const charge = valueAt(history(arr.charges[0]), bench.endOf(n, "phase1"));
          const decayedY = charge / 15 / 19.3;
          expect(Math.abs(decayedY)).toBeLessThanOrEqual(Math.abs(y) * (1 + 1e-12));
          expect(Math.abs(charge)).toBeLessThanOrEqual(previous);
          previous = Math.abs(charge);
          if (lambda === 0 || n === 0) expect(charge).toBe(19.3 * y * 15);
        }
      }),
      { seed, numRuns },
    );
  });
});

describe("WriteDriver → GainCellArray (docs/model.md §2 DACs, §3 WRITE)", () => {
  it("drives code × 0.9/(levels − 1) V at the rising edge of write, and a read column returns the written levels", () => {
    const caseArb = fc
      .record({ rows: fc.integer({ min: 1, max: 8 }), cols: fc.integer({ min: 1, max: 5 }), levelsKv: fc.integer({ min: 2, max: 64 }), tokens: fc.integer({ min: 1, max: 8 }) })
      .chain((c) => {
        const codes = fc.array(fc.integer({ min: 0, max: c.levelsKv - 1 }), { minLength: c.rows, maxLength: c.rows });
        return fc.record({ c: fc.constant(c), seq: fc.array(fc.record({ k: codes, v: codes, column: fc.integer({ min: 0, max: c.cols - 1 }) }), { minLength: c.tokens, maxLength: c.tokens }) });
      });
    fc.assert(
      fc.property(caseArb, ({ c, seq }) => {
        const bench = new PhaseBench({ tokens: c.tokens });
        const wd = new WriteDriver(bench, "wd", { rows: c.rows, levelsKv: c.levelsKv });
        const arrK = new GainCellArray(bench, "arrK", { rows: c.rows, cols: c.cols, orientation: "K" });
        const arrV = new GainCellArray(bench, "arrV", { rows: c.rows, cols: c.cols, orientation: "V" });
        const bits = codeBits(c.levelsKv);
        const kCodes = bench.wide("kCodes", c.rows * bits, "out");
        const vCodes = bench.wide("vCodes", c.rows * bits, "out");
        const token = bench.vec("token", 32, "out");
        const column = bench.vec("column", 16, "out");
        bench.connect(kCodes, wd.kCodes);
        bench.connect(vCodes, wd.vCodes);
        for (const unit of [wd, arrK, arrV]) bench.connect(bench.write, unit.write);
        for (const arr of [arrK, arrV]) {
          bench.connect(token, arr.token);
          bench.connect(column, arr.column);
        }
        wd.blk.forEach((s, d) => bench.connect(s, arrK.bitLines[d]));
        wd.blv.forEach((s, d) => bench.connect(s, arrV.bitLines[d]));
        bench.stimulus([kCodes, vCodes, token, column], (n) => {
          token.set(n);
          column.set(seq[n].column);
          seq[n].k.forEach((code, d) => kCodes.setBits(d * bits, bits, code));
          seq[n].v.forEach((code, d) => vCodes.setBits(d * bits, bits, code));
        });
        const history = runBench(bench);
        const step = 0.9 / (c.levelsKv - 1);
        for (let n = 0; n < c.tokens; n++) {
          const writeAt = bench.startOf(n, "write");
          for (let d = 0; d < c.rows; d++) {
            expect(valueAt(history(wd.blk[d]), writeAt)).toBe(step * seq[n].k[d]);
            expect(valueAt(history(wd.blv[d]), writeAt)).toBe(step * seq[n].v[d]);
            // held until the next write: no change between two rising edges of write
            if (n > 0) expect(valueAt(history(wd.blk[d]), writeAt - 1)).toBe(step * seq[n - 1].k[d]);
          }
        }
        // every column holds its last writer's levels, untouched by decay (applied only at read)
        for (let j = 0; j < c.cols; j++) {
          const last = seq.map((s, n) => (s.column === j ? n : -1)).reduce((a, b) => Math.max(a, b), -1);
          expect(arrK.isWritten(j)).toBe(last >= 0);
          if (last < 0) continue;
          expect(arrK.writeToken(j)).toBe(last);
          for (let d = 0; d < c.rows; d++) {
            expect(arrK.storedVolts(d, j)).toBe(step * seq[last].k[d]);
            expect(arrV.storedVolts(d, j)).toBe(step * seq[last].v[d]);
          }
        }
      }),
      { seed, numRuns },
    );
  });
});

describe("PwmDriver (docs/model.md §1 q pulses, §3 PHASE 1)", () => {
  it("rises at the start of phase1 when code > 0 and falls code·T_max/(levels − 1) later, to the ps", () => {
    const caseArb = fc
      .record({ levelsQ: fc.integer({ min: 2, max: 64 }), tMaxPs: fc.integer({ min: 500, max: 20_000 }), periodPs: fc.integer({ min: 200, max: 2000 }), tokens: fc.integer({ min: 1, max: 10 }) })
      .chain((c) => fc.record({ c: fc.constant(c), codes: fc.array(fc.integer({ min: 0, max: c.levelsQ - 1 }), { minLength: c.tokens, maxLength: c.tokens }) }));
    fc.assert(
      fc.property(caseArb, ({ c, codes }) => {
        const cycles = [...DEFAULT_CYCLES];
        cycles[3] = Math.ceil(c.tMaxPs / c.periodPs); // PHASE 1 holds a full-scale pulse
        const bench = new PhaseBench({ tokens: c.tokens, periodPs: c.periodPs, cycles });
        const pwm = new PwmDriver(bench, "pwm", { levelsQ: c.levelsQ, tMaxPs: c.tMaxPs });
        const code = bench.vec("code", pwm.code.width, "out");
        bench.connect(code, pwm.code);
        bench.connect(bench.phase1, pwm.phase1);
        bench.stimulus([code], (n) => code.set(codes[n]));
        const history = runBench(bench);
        const expected: [number, string][] = [[0, "0"]];
        for (let n = 0; n < c.tokens; n++) {
          const t0 = bench.startOf(n, "phase1");
          const widthPs = (codes[n] * c.tMaxPs) / (c.levelsQ - 1);
          expect(valueAt(history(pwm.width), t0)).toBe(widthPs);
          if (Math.round(widthPs) > 0) expected.push([t0, "1"], [t0 + Math.round(widthPs), "0"]);
        }
        expect(history(pwm.rwl)).toEqual(expected);
      }),
      { seed, numRuns },
    );
  });
});

describe("ChargeToPulseConverter (docs/model.md §1 stage 1)", () => {
  const caseArb = fc
    .record({ sSat: fc.double({ min: 0.5, max: 200, noNaN: true }), tMaxPs: fc.integer({ min: 1000, max: 15_000 }), tokens: fc.integer({ min: 1, max: 12 }) })
    .chain((c) =>
      fc.record({
        c: fc.constant(c),
        // charges in fC around the saturation point S_sat·T_max_ns, plus exact zero and the point itself
        charges: fc.array(
          fc.oneof(fc.constant(0), fc.constant(c.sSat * (c.tMaxPs / 1000)), fc.double({ min: -2 * c.sSat * 15, max: 3 * c.sSat * 15, noNaN: true })),
          { minLength: c.tokens, maxLength: c.tokens },
        ),
      }),
    );

  function runCpc(c: { sSat: number; tMaxPs: number; tokens: number }, charges: number[]) {
    const bench = new PhaseBench({ tokens: c.tokens });
    const cpc = new ChargeToPulseConverter(bench, "cpc", 1, { sSat: c.sSat, tMaxPs: c.tMaxPs }).columns[0];
    const charge = bench.real("charge", "fC", "out");
    bench.connect(charge, cpc.charge);
    bench.connect(bench.phase2, cpc.phase2);
    bench.stimulus([charge], (n) => charge.set(charges[n]));
    return { bench, cpc, history: runBench(bench) };
  }

  it("φ = clamp(S/S_sat, 0, 1)·T_max with S = charge/T_max_ns; saturated = S ≥ S_sat; pulse edges to the ps", () => {
    fc.assert(
      fc.property(caseArb, ({ c, charges }) => {
        const { bench, cpc, history } = runCpc(c, charges);
        const tMaxNs = c.tMaxPs / 1000;
        const expected: [number, string][] = [[0, "0"]];
        for (let n = 0; n < c.tokens; n++) {
          const t0 = bench.startOf(n, "phase2");
          const s = charges[n] / tMaxNs;
          const widthPs = Math.min(Math.max(s / c.sSat, 0), 1) * c.tMaxPs;
          expect(valueAt(history(cpc.width), t0)).toBe(widthPs);
          expect(valueAt(history(cpc.saturated), t0)).toBe(s >= c.sSat ? 1 : 0);
          if (s >= c.sSat) expect(widthPs).toBe(c.tMaxPs);
          if (Math.round(widthPs) > 0) expected.push([t0, "1"], [t0 + Math.round(widthPs), "0"]);
        }
        expect(history(cpc.pulse)).toEqual(expected);
      }),
      { seed, numRuns },
    );
  });

  it("is monotone in the charge and saturates exactly at S_sat", () => {
    fc.assert(
      fc.property(caseArb, ({ c, charges }) => {
        const { bench, cpc, history } = runCpc(c, charges);
        const pairs = charges.map((q, n) => [q, valueAt(history(cpc.width), bench.startOf(n, "phase2")), valueAt(history(cpc.saturated), bench.startOf(n, "phase2"))]);
        pairs.sort((a, b) => a[0] - b[0]);
        for (let i = 1; i < pairs.length; i++) expect(pairs[i][1]).toBeGreaterThanOrEqual(pairs[i - 1][1]);
        for (const [q, width, saturated] of pairs) {
          expect(saturated).toBe(q / (c.tMaxPs / 1000) >= c.sSat ? 1 : 0);
          if (saturated === 1) expect(width).toBe(c.tMaxPs);
          if (q <= 0) expect(width).toBe(0);
        }
      }),
      { seed, numRuns },
    );
  });
});

describe("SignedChargeToPulseConverter (docs/model.md §1 stage 2, §3 CONVERT)", () => {
  it("counts 0, 1, …, |o| once per clock period from the rising edge of convert, o = quantise(A/(S_sat/2))", () => {
    const caseArb = fc
      .record({
        levelsOut: fc.integer({ min: 2, max: 64 }),
        sSat: fc.double({ min: 0.5, max: 200, noNaN: true }),
        tMaxPs: fc.integer({ min: 1000, max: 15_000 }),
        periodPs: fc.integer({ min: 100, max: 2000 }),
        tokens: fc.integer({ min: 1, max: 10 }),
      })
      .chain((c) =>
        fc.record({
          c: fc.constant(c),
          charges: fc.array(fc.oneof(fc.constant(0), fc.double({ min: -c.sSat * 20, max: c.sSat * 20, noNaN: true })), { minLength: c.tokens, maxLength: c.tokens }),
        }),
      );
    fc.assert(
      fc.property(caseArb, ({ c, charges }) => {
        const cycles = [...DEFAULT_CYCLES];
        const params = { levelsOut: c.levelsOut, sSat: c.sSat, tMaxPs: c.tMaxPs, clockPeriodPs: c.periodPs };
        const maxCount = Math.floor((c.levelsOut - 1) / 2) + 1;
        cycles[6] = Math.max(cycles[6], maxCount); // CONVERT long enough for the largest magnitude
        const bench = new PhaseBench({ tokens: c.tokens, periodPs: c.periodPs, cycles });
        const row = new SignedChargeToPulseConverter(bench, "scpc", 1, params);
        const scpc = row.columns[0];
        const charge = bench.real("charge", "fC", "out");
        bench.connect(charge, scpc.charge);
        bench.connect(bench.convert, scpc.convert);
        bench.stimulus([charge], (n) => charge.set(charges[n]));
        const history = runBench(bench);
        const counts: [number, string][] = [[0, "0"]];
        const discharging: [number, string][] = [[0, "0"]];
        const push = (h: [number, string][], t: number, v: number) => {
          if (h[h.length - 1][1] !== String(v)) h.push([t, String(v)]);
        };
        for (let n = 0; n < c.tokens; n++) {
          const t0 = bench.startOf(n, "convert");
          const a = charges[n] / (c.tMaxPs / 1000);
          const code = quantiseCode(a / (c.sSat / 2), -1, 1, c.levelsOut);
          const m = Math.abs(code);
          expect(m).toBeLessThanOrEqual(row.maxMagnitude);
          expect(valueAt(history(scpc.sign), t0)).toBe(code < 0 ? 1 : 0);
          push(counts, t0, 0);
          for (let k = 1; k <= m; k++) push(counts, t0 + k * c.periodPs, k);
          if (m > 0) {
            push(discharging, t0, 1);
            push(discharging, t0 + m * c.periodPs, 0);
          }
          expect(t0 + m * c.periodPs).toBeLessThanOrEqual(bench.endOf(n, "convert"));
        }
        expect(history(scpc.count)).toEqual(counts);
        expect(history(scpc.discharging)).toEqual(discharging);
      }),
      { seed, numRuns },
    );
  });
});
