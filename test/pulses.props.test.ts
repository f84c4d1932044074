// The pulse makers under random configurations and inputs, each driven by a phase testbench: the
// PWM driver's q pulses, the CPC's φ pulses and the signed CPC's counts equal their docs/model.md §1
// equations computed plainly here, at the §3 times. (The array and write driver: analog.props.test.ts.)
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChargeToPulseConverter } from "../src/analog/ChargeToPulseConverter.js";
import { PwmDriver } from "../src/analog/PwmDriver.js";
import { quantiseCode } from "../src/laws/quantise.js";
import { SignedChargeToPulseConverter } from "../src/analog/SignedChargeToPulseConverter.js";
import { DEFAULT_CYCLES, PhaseBench, runPhaseBench, valueAt } from "./support/phaseBench.js";

// fast-check prints the seed of a failing run; set FC_SEED to replay or vary it.
const seed = Number(process.env.FC_SEED ?? 4_417_203);
const numRuns = 200;

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
        const history = runPhaseBench(bench);
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
    return { bench, cpc, history: runPhaseBench(bench) };
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
        const history = runPhaseBench(bench);
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
