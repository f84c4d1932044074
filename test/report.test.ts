// The ledger (issue 6): the defaults reproduce docs/model.md §4 and §5; energy and latency follow the window
// and the schedule from counted events; the technology file is validated field by field.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_ACCELERATOR, PHASES, validateAccelerator, type AcceleratorConfig } from "../src/arch/config.js";
import { seededInputs } from "../src/cli/inputs.js";
import { ConfigError, FileFormatError } from "../src/errors.js";
import { idealAccuracy } from "../src/report/accuracy.js";
import { priceEvents } from "../src/report/energy.js";
import { buildLedger, type Ledger } from "../src/report/ledger.js";
import { measureSteadyState, tokensFor } from "../src/report/measure.js";
import { runProvenance } from "../src/report/provenance.js";
import { DEFAULT_TECHNOLOGY, loadTechnology, validateTechnology } from "../src/report/technology.js";

const dir = mkdtempSync(join(tmpdir(), "report-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function ledgerOf(c: AcceleratorConfig, measured = 2, heads = 12, layers = 12): Promise<Ledger> {
  const inputs = seededInputs(tokensFor(c, measured), 1, c.D, 7);
  const m = await measureSteadyState(c, inputs);
  expect(m.interrupted).toBe(false);
  const accuracy = [idealAccuracy(c, inputs, m.out, { from: m.firstMeasured, count: m.measuredTokens })];
  return buildLedger(c, m, DEFAULT_TECHNOLOGY, heads, layers, { provenance: runProvenance(["test"], c), accuracy });
}

/** |actual − expected| ≤ 0.5 % of expected. */
function within(actual: number, expected: number, rel = 0.005): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(rel * Math.abs(expected));
}

describe("the default configuration", () => {
  it("reproduces docs/model.md §4's ledger exactly from the measured events, and §5's ratios within 0.5 %", async () => {
    const l = await ledgerOf(DEFAULT_ACCELERATOR);
    expect(l.latencyNsPerToken).toBe(65); // docs/model.md §3
    const e = l.energyPjPerTokenPerHead;
    expect(e.stage1).toBeCloseTo(1120, 9); // docs/model.md §4
    expect(e.stage2).toBeCloseTo(700, 9);
    expect(e.write).toBeCloseTo(330, 9);
    expect(e.control).toBeCloseTo(4000, 9);
    expect(e.total).toBeCloseTo(6150, 9); // 6.15 nJ
    expect(l.perLayer.energyNj).toBeCloseTo(73.8, 9); // per layer (12 heads)
    expect(l.powerMwPerHead).toBeCloseTo(6150 / 65, 9); // 94.6 mW
    expect(l.throughput.topsPerWatt).toBeCloseTo((4 * 1024 * 64) / 6150, 9); // 42.6 TOPS/W
    expect(l.throughput.tokensPerSecondPerModel).toBeCloseTo(1e9 / (12 * 65), 6);
    within(l.areaMm2PerHead, 0.5);
    within(l.areaMm2ByBlockPerHead.cells, 15.7e-3); // the crossbars alone
    const rtx = l.platforms.find((p) => p.name === "NVIDIA RTX 4090")!;
    within(rtx.speedup, 344); // docs/model.md §5: about 344× faster
    within(rtx.energyGain, 97_000); // and about 97,000× less energy
    expect(l.eventsPerTokenPerHead).toEqual({ cellsWritten: 128, stage1Columns: 1024, stage2Columns: 1024, controlCycles: 65, pwmPulses: 64, signedConversions: 1024, tokenNs: 65 });
    expect(l.accuracy.map((a) => [a.name, a.tokens, a.fromToken])).toEqual([["ideal chip", 2, 1024]]);
    expect(l.blocksPerHead).toEqual({ arrays: 32, cells: 131_072, cpcs: 1024, signedCpcs: 1024, pwmDrivers: 64, dacs: 128, controllers: 1 });
  });
});

describe("the ledger follows the design", () => {
  const small = validateAccelerator({ windowM: 32, tile: 16, D: 8 });

  it("prices the measured events: halving the window halves stage 2 and lowers stage 1 and the write", async () => {
    const full = await ledgerOf(small);
    expect(full.energyPjPerTokenPerHead.total).toBeCloseTo(priceEvents(full.eventsPerTokenPerHead, small, DEFAULT_TECHNOLOGY).total, 12);
    const half = (await ledgerOf({ ...small, windowM: 16 })).energyPjPerTokenPerHead;
    const e = full.energyPjPerTokenPerHead;
    expect(half.stage2).toBeCloseTo(e.stage2 / 2, 9); // columns and sub-tiles both halve
    expect(half.stage1).toBeLessThan(e.stage1);
    expect(half.stage1).toBeGreaterThan(e.stage1 / 2); // the PWM counters do not shrink with the window
    expect(half.write).toBeLessThan(e.write); // shorter write bit lines
    expect(half.control).toBe(e.control);
  });

  it("doubling every phase duration doubles latency and control energy (cycles and leakage time)", async () => {
    const base = await ledgerOf(small);
    const doubled = Object.fromEntries(PHASES.map(([, field]) => [field, 2 * small[field]]));
    const slow = await ledgerOf(validateAccelerator({ ...small, ...doubled }));
    expect(slow.latencyNsPerToken).toBeCloseTo(2 * base.latencyNsPerToken, 9);
    expect(slow.energyPjPerTokenPerHead.control).toBeCloseTo(2 * base.energyPjPerTokenPerHead.control, 9);
    expect(slow.energyPjPerTokenPerHead.write).toBe(base.energyPjPerTokenPerHead.write);
  });

  it("a slower clock with the cycles kept lengthens latency and adds leakage, not clocked energy", async () => {
    const base = await ledgerOf(small);
    const slow = await ledgerOf({ ...small, clockPeriodPs: 2000 });
    expect(slow.latencyNsPerToken).toBeCloseTo(2 * base.latencyNsPerToken, 9);
    const part = (l: Ledger, id: string) => l.energyPjPerTokenPerHead.parts.find((p) => p.id === id)!.pj;
    expect(part(slow, "controlLogic")).toBe(part(base, "controlLogic"));
    expect(part(slow, "controlLeakage")).toBeCloseTo(2 * part(base, "controlLeakage"), 9);
    expect(slow.powerMwPerHead).toBeLessThan(base.powerMwPerHead);
  });

  it("scales one head to a layer and a model, and compares on the platforms' 12-head basis", async () => {
    const l = await ledgerOf(small, 1, 25, 48); // GPT-2 XL: 48 layers × 25 heads (docs/model.md §2)
    const e = l.energyPjPerTokenPerHead.total;
    expect(l.perLayer.energyNj).toBeCloseTo((25 * e) / 1000, 9);
    expect(l.perModel.energyNj).toBeCloseTo((48 * 25 * e) / 1000, 9);
    expect(l.perModel.latencyNs).toBeCloseTo(48 * l.latencyNsPerToken, 9);
    expect(l.perModel.areaMm2).toBeCloseTo(48 * 25 * l.areaMm2PerHead, 9);
    expect(l.comparison.energyNj).toBeCloseTo((12 * e) / 1000, 9);
    expect(l.platforms[0].energyGain).toBeCloseTo(7.18e6 / ((12 * e) / 1000), 6);
  });

  it("refuses a stream too short to fill the window, naming the need", async () => {
    await expect(measureSteadyState(small, seededInputs(33, 1, 8, 1))).rejects.toThrow(/at least 34/);
  });
});

describe("the technology description", () => {
  it("splits 0.5 mm² per head over the blocks (docs/model.md §4)", () => {
    const t = DEFAULT_TECHNOLOGY;
    const um2 = 131_072 * t.cellUm2 + 1024 * t.cpcUm2 + 1024 * t.signedCpcUm2 + 64 * t.pwmDriverUm2 + 128 * t.dacUm2 + t.controllerUm2;
    expect(um2 / 1e6).toBeCloseTo(0.5, 12);
  });

  it("fills missing fields from the defaults, marks given ones and says the description is no longer the default's", () => {
    const t = validateTechnology({ vddV: 0.8 }, "t.json");
    expect(t.vddV).toBe(0.8);
    expect(t.provenance.vddV).toEqual({ kind: "given", note: "given in t.json" });
    expect(t.cellUm2).toBe(DEFAULT_TECHNOLOGY.cellUm2);
    expect(t.provenance.cellUm2).toEqual(DEFAULT_TECHNOLOGY.provenance.cellUm2);
    expect(t.description).toMatch(/from t\.json/);
  });

  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it.each([
    ['{"cpcBiasUa": -1}', "tech.cpcBiasUa", /-1 must be at least 0 µA/],
    ['{"vddV": 0}', "tech.vddV", /0 must be above 0 V/],
    ['{"chargeActivity": 1.5}', "tech.chargeActivity", /1.5 is above 1: it is a fraction of the full-scale charge/],
    ['{"cellUm2": "small"}', "tech.cellUm2", /"?small"? is not a finite number/],
    ['{"dacUnitFF": 2}', "tech.dacUnitFF", /is not a known field; known fields are description, vddV, writeBitLineFfPerCell/],
    ['{"description": 3}', "tech.description", /3 is not a string/],
    ["[1, 2]", "tech", /expected an object of fields, got an array/],
  ])("rejects %s naming %s", (text, field, detail) => {
    const path = file(`bad-${field}.json`, text);
    let error: unknown;
    try {
      loadTechnology(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe(field);
    expect((error as Error).message).toMatch(detail);
    expect((error as Error).message).toContain(path);
  });

  it("names the file when it is not JSON or cannot be read", () => {
    const path = file("broken.json", "{ stage1");
    expect(() => loadTechnology(path)).toThrow(FileFormatError);
    expect(() => loadTechnology(path)).toThrow(new RegExp(`${path}: not valid JSON`));
    expect(() => loadTechnology(join(dir, "missing.json"))).toThrow(/missing\.json: cannot read/);
  });
});
