// Analog blocks that hold charge, under random configurations and inputs, each driven by a phase
// testbench: the gain-cell array's reads and retention and the write driver's levels equal their
// docs/model.md §1–§2 equations computed plainly here, at the §3 times. (The pulse makers, PWM driver
// and converters, are in pulses.props.test.ts.)
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Module } from "../src/engine/Module.js";
import type { Real } from "../src/engine/Signal.js";
import { gDecayed, ZERO_POINT_V, type Nonlinearity } from "../src/laws/deviceLaw.js";
import { GainCellArray } from "../src/analog/GainCellArray.js";
import { codeBits } from "../src/analog/params.js";
import { WriteDriver } from "../src/analog/WriteDriver.js";
import { drive, PhaseBench, runPhaseBench, valueAt } from "./support/phaseBench.js";

// fast-check prints the seed of a failing run; set FC_SEED to replay or vary it.
const seed = Number(process.env.FC_SEED ?? 4_417_203);
const numRuns = 200;

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
        const history = runPhaseBench(bench);

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
        const history = runPhaseBench(bench);
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
        const history = runPhaseBench(bench);
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
