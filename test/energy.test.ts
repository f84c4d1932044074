// The energy laws (docs/ledger.md): the default technology reproduces docs/model.md §4 exactly, its
// calibrated constants equal the same arithmetic done by hand, and VDD, levels, clock, tile and
// window move each part by its law (each expected number worked by hand from the defaults).
import { describe, expect, it } from "vitest";
import { DEFAULT_ACCELERATOR, validateAccelerator, type AcceleratorConfig } from "../src/arch/config.js";
import { priceEvents, type EnergySplit } from "../src/report/energy.js";
import type { EventCounts } from "../src/report/events.js";
import { DEFAULT_EVENTS, DEFAULT_TECHNOLOGY, validateTechnology } from "../src/report/technology.js";

/** The steady-state events of a head (closed form; test/report.props.test.ts checks the blocks count these). */
function events(c: AcceleratorConfig): EventCounts {
  const cycles = c.loadCycles + c.writeCycles + c.precharge1Cycles + c.phase1Cycles + c.precharge2Cycles + c.phase2Cycles + c.convertCycles + c.accumulateCycles;
  return {
    cellsWritten: 2 * c.D,
    stage1Columns: c.windowM,
    stage2Columns: c.windowM,
    controlCycles: cycles,
    pwmPulses: c.D,
    signedConversions: Math.ceil(c.windowM / c.tile) * c.D,
    tokenNs: (cycles * c.clockPeriodPs) / 1000,
  };
}

const price = (c: AcceleratorConfig, vddV = 0.9): EnergySplit => priceEvents(events(c), c, vddV === 0.9 ? DEFAULT_TECHNOLOGY : validateTechnology({ vddV }));
const part = (e: EnergySplit, id: string) => e.parts.find((p) => p.id === id)!.pj;
const at = (fields: Partial<AcceleratorConfig>) => validateAccelerator({ ...DEFAULT_ACCELERATOR, ...fields });

// By hand, fJ per token at the defaults (V = 0.9 V, V² = 0.81; M 1024, D 64, 16 sub-tiles):
const PWM = 64 * (0.1 * 1024 + 1 * 4 * 15) * 0.81; // 8,418.816: word line over M cells + 4-bit counter × 15 steps
const K_LINES = 1024 * 0.1 * 64 * 0.81; // 5,308.416
const K_INTEGRATORS = 1024 * 0.5 * 80 * 15 * 0.9; // 552,960: α·S_sat·T_max·V
const CPCS = 1_120_000 - PWM - K_LINES - K_INTEGRATORS; // 553,312.768: what is left of 1,120 pJ
const V_LINES = 1024 * (0.1 + 0.1) * 64 * 0.81; // 10,616.832
const S_INTEGRATORS = 1024 * 0.5 * 40 * 15 * 0.9; // 276,480
const COUNTERS = 1024 * 1 * 5 * 16 * 0.81; // 66,355.2: 5 bits (0..16) × 16 cycles
const SCPCS = 700_000 - V_LINES - S_INTEGRATORS - COUNTERS; // 346,547.968
const WRITE_LINES = 128 * (0.15 * 1024 + 0.1) * 0.81; // 15,935.616
const DACS = 330_000 - WRITE_LINES; // 314,064.384
const LEAKAGE = 400_000; // 10 % of 4,000 pJ
const LOGIC = 3_600_000;

describe("the default technology", () => {
  it("reproduces docs/model.md §4 exactly: 1,120 + 700 + 330 + 4,000 = 6,150 pJ per head per token", () => {
    const e = priceEvents(DEFAULT_EVENTS, DEFAULT_ACCELERATOR, DEFAULT_TECHNOLOGY);
    expect(e.stage1).toBeCloseTo(1120, 9);
    expect(e.stage2).toBeCloseTo(700, 9);
    expect(e.write).toBeCloseTo(330, 9);
    expect(e.control).toBeCloseTo(4000, 9);
    expect(e.total).toBeCloseTo(6150, 9);
    expect(events(DEFAULT_ACCELERATOR)).toEqual(DEFAULT_EVENTS);
  });

  it("solves its free constants as the hand arithmetic does", () => {
    const t = DEFAULT_TECHNOLOGY;
    expect(t.cpcBiasUa).toBeCloseTo(CPCS / (1024 * 0.9 * 15), 9); // 40.03 µA through the 15 ns of PHASE 2
    expect(t.signedCpcBiasUa).toBeCloseTo(SCPCS / (1024 * 0.9 * 16), 9); // 23.50 µA through the 16 ns of CONVERT
    expect(t.dacUnitFf).toBeCloseTo(DACS / (128 * 8 * 0.81), 9); // 378.6 fF per unit, 8 units per 3-bit DAC
    expect(t.controlPfPerCycle).toBeCloseTo(LOGIC / (65 * 0.81) / 1000, 9); // 68.38 pF per cycle
    expect(t.controlLeakageMa).toBeCloseTo(LEAKAGE / 1000 / (65 * 0.9), 9); // 6.838 mA
    expect(t.provenance.vddV.kind).toBe("paper");
    expect(t.provenance.cpcBiasUa.kind).toBe("derived");
    expect(t.provenance.chargeActivity.kind).toBe("assumption");
  });

  it("prices each part at the defaults as the hand arithmetic does", () => {
    const e = price(DEFAULT_ACCELERATOR);
    const fj = (id: string) => part(e, id) * 1000;
    expect(fj("pwmDrivers")).toBeCloseTo(PWM, 6);
    expect(fj("kColumns")).toBeCloseTo(K_LINES + K_INTEGRATORS, 6);
    expect(fj("vColumns")).toBeCloseTo(V_LINES, 6);
    expect(fj("signedIntegrators")).toBeCloseTo(S_INTEGRATORS, 6);
    expect(fj("counters")).toBeCloseTo(COUNTERS, 6);
    expect(fj("writeLines")).toBeCloseTo(WRITE_LINES, 6);
    expect(fj("controlLeakage")).toBeCloseTo(LEAKAGE, 6);
  });
});

describe("each knob moves each part by its law", () => {
  it("VDD halved: C·V² parts ÷ 4, Q·V and I·V·t parts ÷ 2", () => {
    const e = price(DEFAULT_ACCELERATOR, 0.45);
    expect(e.write * 1000).toBeCloseTo(330_000 / 4, 6);
    expect(e.control * 1000).toBeCloseTo(LOGIC / 4 + LEAKAGE / 2, 6); // 1,100 pJ
    expect(e.stage1 * 1000).toBeCloseTo((PWM + K_LINES) / 4 + (K_INTEGRATORS + CPCS) / 2, 6); // 556,568.192 fJ
    expect(e.stage2 * 1000).toBeCloseTo((V_LINES + COUNTERS) / 4 + (S_INTEGRATORS + SCPCS) / 2, 6);
  });

  it("K/V levels: the DAC follows its bits (2^bits units), the lines do not move", () => {
    expect(price(at({ levelsKv: 16 })).write * 1000).toBeCloseTo(WRITE_LINES + 2 * DACS, 6); // 4 bits: 16 units
    expect(price(at({ levelsKv: 4 })).write * 1000).toBeCloseTo(WRITE_LINES + DACS / 2, 6); // 2 bits: 4 units
    expect(price(at({ levelsKv: 5 })).write).toBeCloseTo(330, 9); // 5 levels still need 3 bits
    expect(price(at({ levelsKv: 2 })).stage1).toBeCloseTo(1120, 9);
  });

  it("q levels: the PWM counter's bits and steps, nothing else", () => {
    const e = price(at({ levelsQ: 32 }));
    expect(part(e, "pwmDrivers") * 1000).toBeCloseTo(64 * (102.4 + 5 * 31) * 0.81, 6); // 13,343.616 fJ
    expect(e.stage1 * 1000).toBeCloseTo(1_120_000 - PWM + 64 * (102.4 + 5 * 31) * 0.81, 6);
    expect(e.stage2).toBeCloseTo(700, 9);
  });

  it("output levels: the counters' count range and CONVERT's length", () => {
    const e = price(at({ levelsOut: 64, convertCycles: 32 })); // counts 0..32: 6 bits, 32 cycles
    expect(part(e, "counters") * 1000).toBeCloseTo(1024 * 6 * 32 * 0.81, 6); // 159,252.48 fJ: 2.4× the default's
    expect(part(e, "signedCpcs") * 1000).toBeCloseTo(2 * SCPCS, 6); // biased for 32 ns instead of 16
    expect(e.control * 1000).toBeCloseTo((LOGIC * 81) / 65 + (LEAKAGE * 81) / 65, 6); // 81 cycles, 81 ns
  });

  it("a slower clock with the cycles kept: latency, leakage and the comparators' biased time double", () => {
    const e = price(at({ clockPeriodPs: 2000 }));
    expect(e.control * 1000).toBeCloseTo(LOGIC + 2 * LEAKAGE, 6); // 4,400 pJ
    expect(part(e, "cpcs") * 1000).toBeCloseTo(2 * CPCS, 6);
    expect(part(e, "signedCpcs") * 1000).toBeCloseTo(2 * SCPCS, 6);
    expect(e.write).toBeCloseTo(330, 9);
  });

  it("a wider tile: fewer signed CPCs, the same V lines", () => {
    const e = price(at({ tile: 128 })); // 8 sub-tiles: 512 signed CPCs
    expect(e.stage2 * 1000).toBeCloseTo(V_LINES + (S_INTEGRATORS + SCPCS + COUNTERS) / 2, 6);
    expect(e.stage1).toBeCloseTo(1120, 9);
  });

  it("half the window: half the columns, half the lines that run along it", () => {
    const e = price(at({ windowM: 512 }));
    expect(e.stage1 * 1000).toBeCloseTo(64 * (0.1 * 512 + 60) * 0.81 + (K_LINES + K_INTEGRATORS + CPCS) / 2, 6);
    expect(e.stage2 * 1000).toBeCloseTo(700_000 / 2, 6);
    expect(e.write * 1000).toBeCloseTo(128 * (0.15 * 512 + 0.1) * 0.81 + DACS, 6);
    expect(e.control).toBeCloseTo(4000, 9);
  });
});
