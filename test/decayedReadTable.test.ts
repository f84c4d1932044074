// The table of decayed reads against direct evaluation of the device law: every entry equals
// gDecayed((V − 0.45), exp(−λ·age)) bit for bit; and an array whose bit lines carry more distinct
// voltages than the table takes still publishes exactly the plain sums (it reads directly).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Simulator } from "../src/engine/Simulator.js";
import { DecayedReadTable, OFFSETS_KEPT } from "../src/laws/DecayedReadTable.js";
import { gDecayed, retention, ZERO_POINT_V, type Nonlinearity } from "../src/laws/deviceLaw.js";
import { GainCellArray } from "../src/analog/GainCellArray.js";
import { PhaseBench, valueAt } from "./support/phaseBench.js";
import { Recorder } from "./support/recorder.js";

// fast-check prints the seed of a failing run; set FC_SEED to replay or vary it.
const seed = Number(process.env.FC_SEED ?? 31_337);
const MAX_VOLTAGES = 256;

const nonlinearity = fc.constantFrom<Nonlinearity>("cubic", "linear");
// a voltage on some DAC grid, or anywhere in [0, 0.9]
const volts = fc.oneof(
  fc.record({ levels: fc.integer({ min: 2, max: 64 }), code: fc.nat(63) }).map(({ levels, code }) => (0.9 / (levels - 1)) * Math.min(code, levels - 1)),
  fc.double({ min: 0, max: 0.9, noNaN: true }),
);
// young ages, ages past the first rows, and ages past what the table holds (its scratch row)
const age = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 2 ** 31 }));

describe("DecayedReadTable", () => {
  it("holds g((V − 0.45)·δ(age)) of every voltage and age, as gDecayed computes it; the last OFFSETS_KEPT offsets stay valid together", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 0.5, noNaN: true })),
        nonlinearity,
        fc.array(fc.record({ v: volts, ages: fc.array(age, { maxLength: OFFSETS_KEPT }) }), { minLength: 1, maxLength: 60 }),
        (lambda, law, steps) => {
          const design = {};
          const table = DecayedReadTable.of(design, lambda, law);
          expect(DecayedReadTable.of(design, lambda, law)).toBe(table);
          expect(DecayedReadTable.of({}, lambda, law)).not.toBe(table); // another design has its own
          const seen: [number, number][] = [];
          for (const { v, ages } of steps) {
            const before = table.size;
            const i = table.indexOf(v);
            if (i < 0) expect(before).toBe(MAX_VOLTAGES);
            else seen.push([v, i]);
            const offsets = ages.map((a) => table.rowOffset(a));
            for (const [k, a] of ages.entries()) {
              const off = offsets[k];
              for (const [vs, index] of seen) {
                expect(table.table[off + index]).toBe(gDecayed(vs - ZERO_POINT_V, retention(lambda, a), law));
              }
            }
          }
        },
      ),
      { seed, numRuns: 200 },
    );
  });
});

describe("GainCellArray with more distinct voltages than the table takes", () => {
  it("publishes Σ (width/T_max)·g((V − 0.45)·δ) exactly, reading its cells directly", () => {
    const rows = 40;
    const cols = 6; // a pass of four columns and a remainder of two
    const tokens = 9; // 9 × 40 arbitrary voltages: more than the table's 256
    const lambda = 2.718e-3; // a rate of this test's own, so its table fills up here
    fc.assert(
      fc.property(
        fc.constantFrom<"K" | "V">("K", "V"),
        fc.array(fc.array(fc.double({ min: 0, max: 0.9, noNaN: true }), { minLength: rows, maxLength: rows }), { minLength: tokens, maxLength: tokens }),
        (orientation, written) => {
          const isK = orientation === "K";
          const bench = new PhaseBench({ tokens });
          const arr = new GainCellArray(bench, "arr", { rows, cols, orientation, lambdaPerToken: lambda });
          const token = bench.vec("token", 32, "out");
          const column = bench.vec("column", 16, "out");
          bench.connect(token, arr.token);
          bench.connect(column, arr.column);
          bench.connect(bench.write, arr.write);
          bench.connect(isK ? bench.precharge1 : bench.precharge2, arr.precharge);
          bench.connect(isK ? bench.phase1 : bench.phase2, arr.phase);
          const bl = arr.bitLines.map((s) => {
            const out = bench.real(`tb_${s.name}`, s.unit, "out");
            bench.connect(out, s);
            return out;
          });
          const widths = arr.widths.map((s) => {
            const out = bench.real(`tb_${s.name}`, s.unit, "out");
            bench.connect(out, s);
            return out;
          });
          const widthOf = (n: number, i: number) => ((n * 7 + i * 3) % 5) * 3_750; // 0 … T_max
          bench.stimulus([token, column, ...bl, ...widths], (n) => {
            token.set(n);
            column.set(n % cols);
            written[n].forEach((v, d) => bl[d].set(v));
            widths.forEach((w, i) => w.set(widthOf(n, i)));
          });
          const sim = new Simulator(bench);
          const rec = new Recorder(sim);
          sim.run(bench.endPs + bench.periodPs);
          sim.close();
          for (let n = 0; n < tokens; n++) {
            const cell = (d: number, j: number) => {
              const tau = n - ((n - j) % cols + cols) % cols; // the last token written to column j
              return gDecayed(written[tau][d] - ZERO_POINT_V, Math.exp(-lambda * (n - tau)), "cubic");
            };
            const readAt = bench.endOf(n, isK ? "phase1" : "phase2");
            for (let i = 0; i < arr.charges.length; i++) {
              let s = 0;
              if (isK) {
                if (i <= n) for (let d = 0; d < rows; d++) if (widthOf(n, d) !== 0) s += (widthOf(n, d) / 15_000) * cell(d, i);
              } else {
                for (let j = 0; j < cols && j <= n; j++) if (widthOf(n, j) !== 0) s += (widthOf(n, j) / 15_000) * cell(i, j);
              }
              expect(valueAt(rec.history.get(sim.netName(arr.charges[i].id)), readAt)).toBe(s * 15);
            }
          }
        },
      ),
      { seed, numRuns: 12 },
    );
  });
});
