// One sub-tile wired from the analog blocks (WriteDriver, PwmDrivers, K array, CPCs, V array,
// signed CPCs) under a phase testbench, against the functional model of docs/model.md §1: S and φ to float
// precision, every signed count exactly.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Simulator } from "../src/engine/Simulator.js";
import { ChargeToPulseConverter } from "../src/analog/ChargeToPulseConverter.js";
import type { Nonlinearity } from "../src/laws/deviceLaw.js";
import { GainCellArray } from "../src/analog/GainCellArray.js";
import { codeBits } from "../src/analog/params.js";
import { PwmDriver } from "../src/analog/PwmDriver.js";
import { gridCode, kvGrid, outGrid, qGrid } from "../src/laws/quantise.js";
import { SignedChargeToPulseConverter } from "../src/analog/SignedChargeToPulseConverter.js";
import { WriteDriver } from "../src/analog/WriteDriver.js";
import { attendFunctional } from "../src/functional/attention.js";
import { DEFAULT_CYCLES, PhaseBench, valueAt } from "./support/phaseBench.js";
import { Recorder } from "./support/recorder.js";

// fast-check prints the seed of a failing run; set FC_SEED to replay or vary it.
const seed = Number(process.env.FC_SEED ?? 7_302_911);

interface ChainConfig {
  D: number;
  cols: number;
  levelsQ: number;
  levelsKv: number;
  levelsOut: number;
  lambdaPerToken: number;
  sSat: number;
  nonlinearity: Nonlinearity;
}

/** Builds and runs one sub-tile (M = tile = cols) over T tokens; returns what each token produced. */
function runSubTile(c: ChainConfig, T: number, q: Float64Array, k: Float64Array, v: Float64Array) {
  const { D, cols } = c;
  const tMaxPs = 15_000;
  const cycles = [...DEFAULT_CYCLES];
  cycles[6] = Math.max(cycles[6], outGrid(c.levelsOut).codeMax); // CONVERT fits the largest count
  const bench = new PhaseBench({ tokens: T, cycles });
  const wd = new WriteDriver(bench, "wd", { rows: D, levelsKv: c.levelsKv });
  const pwm = Array.from({ length: D }, (_, d) => new PwmDriver(bench, `pwm_${d}`, { levelsQ: c.levelsQ, tMaxPs }));
  const arrayParams = { rows: D, cols, lambdaPerToken: c.lambdaPerToken, nonlinearity: c.nonlinearity, tMaxPs };
  const arrK = new GainCellArray(bench, "arrK", { ...arrayParams, orientation: "K" });
  const arrV = new GainCellArray(bench, "arrV", { ...arrayParams, orientation: "V" });
  const cpc = new ChargeToPulseConverter(bench, "cpc", cols, { sSat: c.sSat, tMaxPs }).columns;
  const scpc = new SignedChargeToPulseConverter(bench, "scpc", D, { sSat: c.sSat, tMaxPs, levelsOut: c.levelsOut }).columns;

  const kvBits = codeBits(c.levelsKv);
  const kCodes = bench.wide("kCodes", D * kvBits, "out");
  const vCodes = bench.wide("vCodes", D * kvBits, "out");
  const qCodes = pwm.map((p, d) => bench.vec(`q_${d}`, p.code.width, "out"));
  const token = bench.vec("token", 32, "out");
  const column = bench.vec("column", 16, "out");
  bench.connect(kCodes, wd.kCodes);
  bench.connect(vCodes, wd.vCodes);
  for (const arr of [arrK, arrV]) {
    bench.connect(bench.write, arr.write);
    bench.connect(token, arr.token);
    bench.connect(column, arr.column);
  }
  bench.connect(bench.write, wd.write);
  bench.connect(bench.precharge1, arrK.precharge);
  bench.connect(bench.phase1, arrK.phase);
  bench.connect(bench.precharge2, arrV.precharge);
  bench.connect(bench.phase2, arrV.phase);
  for (let d = 0; d < D; d++) {
    bench.connect(wd.blk[d], arrK.bitLines[d]);
    bench.connect(wd.blv[d], arrV.bitLines[d]);
    bench.connect(qCodes[d], pwm[d].code);
    bench.connect(bench.phase1, pwm[d].phase1);
    bench.connect(pwm[d].width, arrK.widths[d]);
    bench.connect(arrV.charges[d], scpc[d].charge);
    bench.connect(bench.convert, scpc[d].convert);
  }
  for (let j = 0; j < cols; j++) {
    bench.connect(arrK.charges[j], cpc[j].charge);
    bench.connect(bench.phase2, cpc[j].phase2);
    bench.connect(cpc[j].width, arrV.widths[j]);
  }
  // The front end's latch: codes of token n, slot n mod M (docs/model.md §1), as the sequencer delivers them.
  const gq = qGrid(c.levelsQ);
  const gkv = kvGrid(c.levelsKv);
  bench.stimulus([kCodes, vCodes, token, column, ...qCodes], (n) => {
    token.set(n);
    column.set(n % cols);
    for (let d = 0; d < D; d++) {
      qCodes[d].set(gridCode(gq, q[n * D + d]));
      kCodes.setBits(d * kvBits, kvBits, gridCode(gkv, k[n * D + d]));
      vCodes.setBits(d * kvBits, kvBits, gridCode(gkv, v[n * D + d]));
    }
  });

  const sim = new Simulator(bench);
  const rec = new Recorder(sim);
  sim.run(bench.endPs + bench.periodPs);
  sim.close();
  const at = (s: { id: number }, t: number) => valueAt(rec.history.get(sim.netName(s.id)), t);
  const scores = new Float64Array(T * cols);
  const phi = new Float64Array(T * cols);
  const codes = new Int32Array(T * D);
  for (let n = 0; n < T; n++) {
    for (let j = 0; j < cols; j++) {
      scores[n * cols + j] = at(arrK.charges[j], bench.endOf(n, "phase1")) / (tMaxPs / 1000);
      phi[n * cols + j] = at(cpc[j].width, bench.endOf(n, "phase2")) / tMaxPs;
    }
    for (let d = 0; d < D; d++) {
      const end = bench.endOf(n, "convert");
      codes[n * D + d] = (at(scpc[d].sign, end) === 1 ? -1 : 1) * at(scpc[d].count, end);
    }
  }
  return { scores, phi, codes };
}

describe("one sub-tile of analog blocks = functional model (docs/model.md §1)", () => {
  it("S and φ to float precision and every signed count exactly, for random configurations, with window wrap-around", () => {
    const caseArb = fc
      .record({
        D: fc.integer({ min: 1, max: 6 }),
        cols: fc.integer({ min: 1, max: 6 }),
        levelsQ: fc.integer({ min: 2, max: 64 }),
        levelsKv: fc.integer({ min: 2, max: 64 }),
        levelsOut: fc.integer({ min: 2, max: 40 }),
        lambdaPerToken: fc.oneof(fc.constant(0), fc.double({ min: 1e-4, max: 0.2, noNaN: true })),
        // small S_sat, so that a few columns drive the counts well off zero
        sSat: fc.double({ min: 0.5, max: 20, noNaN: true }),
        nonlinearity: fc.constantFrom<Nonlinearity>("cubic", "linear"),
        T: fc.integer({ min: 1, max: 14 }),
      })
      .chain((c) => {
        // spread evenly over the range (fast-check's doubles crowd the ends), slightly beyond it so the clamps are exercised
        const value = (lo: number, hi: number) => fc.integer({ min: 0, max: 1 << 20 }).map((x) => lo + ((hi - lo) * x) / (1 << 20));
        const values = (lo: number, hi: number) => fc.array(value(lo, hi), { minLength: c.T * c.D, maxLength: c.T * c.D });
        return fc.record({ c: fc.constant(c), q: values(-0.2, 1.2), k: values(-0.1, 1.0), v: values(-0.1, 1.0) });
      });
    let nonzero = 0;
    let unsaturated = 0;
    fc.assert(
      fc.property(caseArb, ({ c, q, k, v }) => {
        const [qa, ka, va] = [Float64Array.from(q), Float64Array.from(k), Float64Array.from(v)];
        const { T, D, cols, ...rest } = c;
        const want = attendFunctional(qa, ka, va, T, D, { ...rest, windowM: cols, tile: cols }, { scores: true, phi: true, subTileCodes: true });
        const got = runSubTile(c, T, qa, ka, va);
        for (let i = 0; i < T * cols; i++) {
          // a few roundings apart: q as width/T_max, S through fC and back
          expect(Math.abs(got.scores[i] - want.scores![i])).toBeLessThanOrEqual(1e-12 * (1 + D * 20));
          expect(Math.abs(got.phi[i] - want.phi![i])).toBeLessThanOrEqual(1e-12);
        }
        expect(Array.from(got.codes)).toEqual(Array.from(want.subTileCodes!));
        nonzero += want.subTileCodes!.filter((x) => x !== 0).length;
        unsaturated += want.phi!.filter((x) => x > 0 && x < 1).length;
      }),
      { seed, numRuns: 400 },
    );
    // the comparison is not vacuous: many counts off zero, many pulses neither empty nor full
    expect(nonzero).toBeGreaterThan(1000);
    expect(unsaturated).toBeGreaterThan(300);
  });

  it("the default configuration: 64 rows × 64 columns, 70 tokens, counts equal the functional model's", () => {
    const c: ChainConfig = { D: 64, cols: 64, levelsQ: 16, levelsKv: 8, levelsOut: 32, lambdaPerToken: 1.6e-4, sSat: 80, nonlinearity: "cubic" };
    const T = 70;
    // deterministic inputs spread over the ranges (no Math.random in tests)
    const data = (i: number, scale: number) => Float64Array.from({ length: T * c.D }, (_, n) => scale * (((n * 7919 + i * 104_729) % 1000) / 999));
    const [q, k, v] = [data(1, 0.4), data(2, 0.9), data(3, 0.9)];
    const want = attendFunctional(q, k, v, T, c.D, { windowM: 64, tile: 64 }, { scores: true, phi: true, subTileCodes: true });
    const got = runSubTile(c, T, q, k, v);
    expect(Array.from(got.codes)).toEqual(Array.from(want.subTileCodes!));
    for (let i = 0; i < T * c.cols; i++) expect(got.phi[i]).toBeCloseTo(want.phi![i], 12);
    expect(want.subTileCodes!.some((x) => x !== 0)).toBe(true);
    expect(want.phi!.some((x) => x > 0 && x < 1)).toBe(true);
  });
});
