// Analog blocks: examples pinned to the spec's numbers (§1 device law, §3 schedule), bus widths,
// configuration errors that name the field, run-time errors, and units in the trace.
import { describe, expect, it } from "vitest";
import { Real, type Signal } from "../src/engine/Signal.js";
import { traceName } from "../src/engine/VcdTrace.js";
import { ChargeToPulseConverter } from "../src/analog/ChargeToPulseConverter.js";
import { GainCellArray } from "../src/analog/GainCellArray.js";
import { bitsFor, codeBits, countBits, maxMagnitude } from "../src/analog/params.js";
import { PwmDriver } from "../src/analog/PwmDriver.js";
import { SignedChargeToPulseConverter } from "../src/analog/SignedChargeToPulseConverter.js";
import { WriteDriver } from "../src/analog/WriteDriver.js";
import { ConfigError, SignalValueError } from "../src/errors.js";
import { drive, PhaseBench, runPhaseBench, valueAt } from "./support/phaseBench.js";

// docs/model.md §1: g at the eight K/V levels 0, 0.9/7, …, 0.9 V, µA (six decimals)
const G_AT_LEVELS = [-10.331541, -5.654167, -2.531679, -0.376775, 1.397844, 3.379477, 6.155425, 10.312988];


describe("examples pinned to docs/model.md §1", () => {
  it("K array: one column written with the eight levels, every q = 1 → S = Σ g ≈ 2.351572, × 15 ns in fC", () => {
    const bench = new PhaseBench({ tokens: 1 });
    const wd = new WriteDriver(bench, "wd", { rows: 8 });
    const arr = new GainCellArray(bench, "arrK", { rows: 8, cols: 4, orientation: "K" });
    const pwm = Array.from({ length: 8 }, (_, d) => new PwmDriver(bench, `pwm_${d}`));
    const kCodes = bench.wide("kCodes", 24, "out");
    const column = bench.vec("column", 16, "out");
    const codes = drive(bench, pwm.map((p) => p.code), (s) => bench.vec(`tb_${s.owner.path.split(".")[1]}`, 4, "out"));
    bench.connect(kCodes, wd.kCodes);
    bench.connect(column, arr.column);
    bench.connect(bench.write, wd.write);
    bench.connect(bench.write, arr.write);
    bench.connect(bench.precharge1, arr.precharge);
    bench.connect(bench.phase1, arr.phase);
    wd.blk.forEach((s, d) => bench.connect(s, arr.bitLines[d]));
    pwm.forEach((p, d) => {
      bench.connect(bench.phase1, p.phase1);
      bench.connect(p.width, arr.widths[d]);
    });
    bench.stimulus([kCodes, column, ...codes], () => {
      column.set(2);
      for (let d = 0; d < 8; d++) kCodes.setBits(3 * d, 3, d);
      for (const c of codes) c.set(15); // q = 1: the top of 16 levels, a full T_max pulse
    });
    const history = runPhaseBench(bench);
    const sumG = G_AT_LEVELS.reduce((a, b) => a + b, 0);
    expect(sumG).toBeCloseTo(2.351572, 6);
    const readAt = bench.endOf(0, "phase1");
    // 1 µA × 1 ns = 1 fC; the spec's g values are rounded to 1e-6, so S within 8 × 0.5e-6
    expect(valueAt(history(arr.charges[2]), readAt) / 15).toBeCloseTo(2.351572, 5);
    for (const j of [0, 1, 3]) expect(valueAt(history(arr.charges[j]), readAt)).toBe(0); // never written
    for (let d = 0; d < 8; d++) expect(arr.storedVolts(d, 2)).toBe((0.9 / 7) * d);
  });

  it("V array: one column written with the eight levels, φ = T_max → charge_d = 15 ns · g(level d)", () => {
    const bench = new PhaseBench({ tokens: 1 });
    const arr = new GainCellArray(bench, "arrV", { rows: 8, cols: 3, orientation: "V" });
    const bl = drive(bench, arr.bitLines, (s) => bench.real(`tb_${s.name}`, "V", "out"));
    const phi = drive(bench, arr.widths, (s) => bench.real(`tb_${s.name}`, "ps", "out"));
    bench.connect(bench.write, arr.write);
    bench.connect(bench.precharge2, arr.precharge);
    bench.connect(bench.phase2, arr.phase);
    bench.stimulus([...bl, ...phi], () => {
      bl.forEach((s, d) => s.set((0.9 / 7) * d));
      phi[0].set(15_000); // column 0 written, full pulse
      phi[1].set(15_000); // column 1 never written: disabled despite its pulse
    });
    const history = runPhaseBench(bench);
    for (let d = 0; d < 8; d++) expect(valueAt(history(arr.charges[d]), bench.endOf(0, "phase2"))).toBeCloseTo(15 * G_AT_LEVELS[d], 4);
  });

  it("retention: after τ = 1/λ = 6,250 tokens (5 ms at 0.8 µs per token) a stored offset has relaxed by 1/e", () => {
    const bench = new PhaseBench({ tokens: 2 });
    const arr = new GainCellArray(bench, "arr", { rows: 1, cols: 1, nonlinearity: "linear" }); // λ = 1.6e-4 by default
    const [bl] = drive(bench, arr.bitLines, (s) => bench.real(`tb_${s.name}`, "V", "out"));
    const [width] = drive(bench, arr.widths, (s) => bench.real(`tb_${s.name}`, "ps", "out"));
    const token = bench.vec("token", 32, "out");
    const subTile = bench.vec("subTile", 16, "out");
    bench.connect(token, arr.token);
    bench.connect(subTile, arr.subTile);
    bench.connect(bench.write, arr.write);
    bench.connect(bench.precharge1, arr.precharge);
    bench.connect(bench.phase1, arr.phase);
    bench.stimulus([bl, width, token, subTile], (n) => {
      bl.set(0.9); // y = +0.45 V
      width.set(15_000);
      token.set(n === 0 ? 0 : 6250); // only the age t − τ matters
      subTile.set(n === 0 ? 0 : 1); // the second token is written elsewhere
    });
    const history = runPhaseBench(bench);
    const fresh = valueAt(history(arr.charges[0]), bench.endOf(0, "phase1"));
    const aged = valueAt(history(arr.charges[0]), bench.endOf(1, "phase1"));
    expect(fresh).toBeCloseTo(19.3 * 0.45 * 15, 10);
    expect(aged / fresh).toBeCloseTo(Math.exp(-1), 12);
  });

  it("PWM driver: code c gives a c ns pulse at the defaults (16 levels, T_max = 15 ns), 0 gives none", () => {
    const codes = [0, 1, 7, 15];
    const bench = new PhaseBench({ tokens: codes.length });
    const pwm = new PwmDriver(bench, "pwm");
    const code = bench.vec("code", 4, "out");
    bench.connect(code, pwm.code);
    bench.connect(bench.phase1, pwm.phase1);
    bench.stimulus([code], (n) => code.set(codes[n]));
    const history = runPhaseBench(bench);
    expect(pwm.code.width).toBe(4);
    const t = (n: number) => bench.startOf(n, "phase1");
    expect(history(pwm.rwl)).toEqual([[0, "0"], [t(1), "1"], [t(1) + 1000, "0"], [t(2), "1"], [t(2) + 7000, "0"], [t(3), "1"], [t(3) + 15_000, "0"]]);
    expect(codes.map((_, n) => valueAt(history(pwm.width), t(n)))).toEqual([0, 1000, 7000, 15_000]);
    expect(pwm.params.amplitudeV).toBe(0.9);
  });

  it("CPC: S = 40 → 7.5 ns; S = S_sat = 80 → 15 ns and saturated; just below → not saturated; S ≤ 0 → no pulse", () => {
    const charges = [600, 1200, 1199.999999, -5, 0]; // fC = S × 15 ns
    const bench = new PhaseBench({ tokens: charges.length });
    const cpc = new ChargeToPulseConverter(bench, "cpc", 1).columns[0];
    const charge = bench.real("charge", "fC", "out");
    bench.connect(charge, cpc.charge);
    bench.connect(bench.phase2, cpc.phase2);
    bench.stimulus([charge], (n) => charge.set(charges[n]));
    const history = runPhaseBench(bench);
    const at = (s: Signal, n: number) => valueAt(history(s), bench.startOf(n, "phase2"));
    expect(charges.map((_, n) => at(cpc.width, n))).toEqual([7500, 15_000, (1199.999999 / 15 / 80) * 15_000, 0, 0]);
    expect(at(cpc.width, 2)).toBeLessThan(15_000);
    expect(charges.map((_, n) => at(cpc.saturated, n))).toEqual([0, 1, 0, 0, 0]);
    const t = (n: number) => bench.startOf(n, "phase2");
    expect(history(cpc.pulse)).toEqual([[0, "0"], [t(0), "1"], [t(0) + 7500, "0"], [t(1), "1"], [t(1) + 15_000, "0"], [t(2), "1"], [t(2) + 15_000, "0"]]);
  });

  it("signed CPC: A = 40 → +16 (the clamp), A = −20 → −8, A = g(0.9 V) → +4; the count ends inside CONVERT", () => {
    const areas = [40, -20, G_AT_LEVELS[7], 0];
    const bench = new PhaseBench({ tokens: areas.length });
    const row = new SignedChargeToPulseConverter(bench, "scpc", 1);
    const scpc = row.columns[0];
    const charge = bench.real("charge", "fC", "out");
    bench.connect(charge, scpc.charge);
    bench.connect(bench.convert, scpc.convert);
    bench.stimulus([charge], (n) => charge.set(areas[n] * 15));
    const history = runPhaseBench(bench);
    expect(scpc.count.width).toBe(5);
    expect(row.maxMagnitude).toBe(16);
    const end = (n: number) => bench.endOf(n, "convert");
    expect(areas.map((_, n) => valueAt(history(scpc.sign), end(n)))).toEqual([0, 1, 0, 0]);
    expect(areas.map((_, n) => valueAt(history(scpc.count), end(n)))).toEqual([16, 8, 4, 0]);
    // 16 steps of 1 ns from the rising edge of convert: the last one on its falling edge
    const t0 = bench.startOf(0, "convert");
    expect(valueAt(history(scpc.count), end(0) - 1)).toBe(15);
    expect(history(scpc.discharging).slice(0, 3)).toEqual([[0, "0"], [t0, "1"], [t0 + 16_000, "0"]]);
    // the count holds through ACCUMULATE and restarts from 0 at the next convert
    expect(valueAt(history(scpc.count), bench.endOf(0, "accumulate") - 1)).toBe(16);
    expect(valueAt(history(scpc.count), bench.startOf(1, "convert"))).toBe(0);
  });
});

describe("code bus widths", () => {
  it("ceil(log2(levels)) bits per code: 4 for 16 q levels, 3 for 8 K/V levels; counts of 5 bits for 32 output levels", () => {
    expect([2, 3, 4, 8, 9, 16, 17, 64, 256].map(codeBits)).toEqual([1, 2, 2, 3, 4, 4, 5, 6, 8]);
    expect(countBits(32)).toBe(5);
    expect(maxMagnitude(32)).toBe(16);
    expect(maxMagnitude(2)).toBe(0);
    expect(countBits(2)).toBe(1);
    expect([0, 1, 2, 15, 16].map(bitsFor)).toEqual([1, 1, 2, 4, 5]);
  });
});

describe("configuration errors name the field", () => {
  const build = (f: (tb: PhaseBench) => void) => () => f(new PhaseBench({ tokens: 1 }));
  const cases: [string, (tb: PhaseBench) => unknown, RegExp][] = [
    ["levelsKv < 2", (tb) => new WriteDriver(tb, "wd", { levelsKv: 1 }), /^tb\.wd\.levelsKv: 1 is too few: a DAC needs at least 2 levels \(the spec's default is 8\)$/],
    ["rows 0", (tb) => new WriteDriver(tb, "wd", { rows: 0 }), /^tb\.wd\.rows: 0 is not an integer in 1\.\.65535$/],
    ["cols < 0", (tb) => new GainCellArray(tb, "arr", { cols: -64 }), /^tb\.arr\.cols: -64 is not an integer/],
    ["rows fractional", (tb) => new GainCellArray(tb, "arr", { rows: 2.5 }), /^tb\.arr\.rows: 2\.5 is not an integer/],
    ["λ < 0", (tb) => new GainCellArray(tb, "arr", { lambdaPerToken: -1e-4 }), /^tb\.arr\.lambdaPerToken: -0\.0001 must be at least 0/],
    ["λ NaN", (tb) => new GainCellArray(tb, "arr", { lambdaPerToken: NaN }), /^tb\.arr\.lambdaPerToken: NaN is not a finite number$/],
    ["T_max NaN", (tb) => new GainCellArray(tb, "arr", { tMaxPs: NaN }), /^tb\.arr\.tMaxPs: NaN/],
    ["orientation", (tb) => new GainCellArray(tb, "arr", { orientation: "Q" as "K" }), /^tb\.arr\.orientation: "Q" is not one of "K", "V"$/],
    ["nonlinearity", (tb) => new GainCellArray(tb, "arr", { nonlinearity: "tanh" as "cubic" }), /^tb\.arr\.nonlinearity: "tanh"/],
    ["subTile < 0", (tb) => new GainCellArray(tb, "arr", { subTile: -1 }), /^tb\.arr\.subTile: -1/],
    ["levelsQ < 2", (tb) => new PwmDriver(tb, "pwm", { levelsQ: 1 }), /^tb\.pwm\.levelsQ: 1 is too few: a PWM driver needs at least 2 levels/],
    ["T_max ≤ 0", (tb) => new PwmDriver(tb, "pwm", { tMaxPs: 0 }), /^tb\.pwm\.tMaxPs: 0 must be above 0 ps$/],
    ["amplitude NaN", (tb) => new PwmDriver(tb, "pwm", { amplitudeV: NaN }), /^tb\.pwm\.amplitudeV: NaN/],
    ["S_sat ≤ 0", (tb) => new ChargeToPulseConverter(tb, "cpc", 1, { sSat: 0 }), /^tb\.cpc\.sSat: 0 must be above 0$/],
    ["S_sat NaN", (tb) => new ChargeToPulseConverter(tb, "cpc", 1, { sSat: NaN }), /^tb\.cpc\.sSat: NaN/],
    ["T_max ∞", (tb) => new ChargeToPulseConverter(tb, "cpc", 1, { tMaxPs: Infinity }), /^tb\.cpc\.tMaxPs: Infinity is not a finite number$/],
    ["levelsOut < 2", (tb) => new SignedChargeToPulseConverter(tb, "s", 1, { levelsOut: 1 }), /^tb\.s\.levelsOut: 1 is too few: a signed CPC needs at least 2 levels/],
    ["levelsOut NaN", (tb) => new SignedChargeToPulseConverter(tb, "s", 1, { levelsOut: NaN }), /^tb\.s\.levelsOut: NaN is not an integer level count$/],
    ["clock period", (tb) => new SignedChargeToPulseConverter(tb, "s", 1, { clockPeriodPs: 0.5 }), /^tb\.s\.clockPeriodPs: 0\.5 is not an integer/],
    ["unknown field", (tb) => new SignedChargeToPulseConverter(tb, "s", 1, { levels: 32 } as object), /^tb\.s\.levels: is not a known field; known fields are sSat, tMaxPs, levelsOut, clockPeriodPs$/],
  ];
  for (const [what, make, message] of cases) {
    it(what, () => {
      expect(build(make)).toThrow(ConfigError);
      expect(build(make)).toThrow(message);
    });
  }

  it("defaults are the spec's", () => {
    const tb = new PhaseBench({ tokens: 1 });
    expect(new WriteDriver(tb, "wd").params).toEqual({ rows: 64, levelsKv: 8 });
    expect(new GainCellArray(tb, "arr").params).toEqual({ rows: 64, cols: 64, orientation: "K", subTile: 0, lambdaPerToken: 1.6e-4, nonlinearity: "cubic", tMaxPs: 15_000 });
    expect(new PwmDriver(tb, "pwm").params).toEqual({ levelsQ: 16, tMaxPs: 15_000, amplitudeV: 0.9 });
    expect(new ChargeToPulseConverter(tb, "cpc", 1).params).toEqual({ sSat: 80, tMaxPs: 15_000 });
    expect(new SignedChargeToPulseConverter(tb, "s", 1).params).toEqual({ sSat: 80, tMaxPs: 15_000, levelsOut: 32, clockPeriodPs: 1000 });
  });
});

describe("run-time errors name the signal", () => {
  it("a K/V code above the top DAC level", () => {
    const bench = new PhaseBench({ tokens: 1 });
    const wd = new WriteDriver(bench, "wd", { rows: 2, levelsKv: 5 }); // 3 bits hold codes up to 7
    const kCodes = bench.wide("kCodes", 6, "out");
    bench.connect(kCodes, wd.kCodes);
    bench.connect(bench.write, wd.write);
    bench.stimulus([kCodes], () => kCodes.setBits(3, 3, 6));
    expect(() => runPhaseBench(bench)).toThrow(SignalValueError);
  });

  it("a column outside the array", () => {
    const bench = new PhaseBench({ tokens: 1 });
    const arr = new GainCellArray(bench, "arr", { rows: 1, cols: 4 });
    const column = bench.vec("column", 16, "out");
    bench.connect(column, arr.column);
    bench.connect(bench.write, arr.write);
    bench.stimulus([column], () => column.set(4));
    expect(() => runPhaseBench(bench)).toThrow(/tb\.arr\.column: column 4 is outside this 4-column array/);
  });
});

describe("every analog node in the trace carries its unit", () => {
  it("bit lines in V, pulse widths in ps, charges in fC", () => {
    const tb = new PhaseBench({ tokens: 1 });
    const blocks = [
      new WriteDriver(tb, "wd", { rows: 2 }),
      new GainCellArray(tb, "arrK", { rows: 2, cols: 3, orientation: "K" }),
      new GainCellArray(tb, "arrV", { rows: 2, cols: 3, orientation: "V" }),
      new PwmDriver(tb, "pwm"),
      new ChargeToPulseConverter(tb, "cpc", 1).columns[0],
      new SignedChargeToPulseConverter(tb, "s", 1).columns[0],
    ];
    const units = new Map<string, string>();
    for (const b of blocks) for (const s of b.signals) if (s instanceof Real) units.set(`${b.name}.${traceName(s)}`, s.unit);
    expect([...units.values()].every((u) => u === "V" || u === "ps" || u === "fC")).toBe(true);
    expect(units.get("wd.blk_0_V")).toBe("V");
    expect(units.get("arrK.rwl_width_1_ps")).toBe("ps");
    expect(units.get("arrK.charge_2_fC")).toBe("fC");
    expect(units.get("arrV.phi_width_2_ps")).toBe("ps");
    expect(units.get("arrV.charge_1_fC")).toBe("fC");
    expect(units.get("pwm.width_ps")).toBe("ps");
    expect(units.get("cpc[0].charge_fC")).toBe("fC");
    expect(units.get("cpc[0].width_ps")).toBe("ps");
    expect(units.get("s[0].charge_fC")).toBe("fC");
    expect(units.size).toBe(4 + 7 + 7 + 1 + 2 + 1);
  });
});
