// The events the blocks count equal their closed forms (docs/model.md §4's per-event basis) for random
// configurations, over a whole run and per token in steady state; the blocks counted in the built
// design equal docs/model.md §2's organisation.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cyclesPerToken, validateAccelerator } from "../src/arch/config.js";
import { runAttention } from "../src/arch/runAttention.js";
import { seededInputs } from "../src/cli/inputs.js";
import { countBlocks } from "../src/report/blocks.js";
import { countEvents, modulesUnder } from "../src/report/events.js";
import { measureSteadyState, tokensFor } from "../src/report/measure.js";
import { CpcColumn } from "../src/analog/ChargeToPulseConverter.js";
import { GainCellArray } from "../src/analog/GainCellArray.js";
import { PwmDriver } from "../src/analog/PwmDriver.js";
import { SignedCpcColumn } from "../src/analog/SignedChargeToPulseConverter.js";
import { WriteDriver } from "../src/analog/WriteDriver.js";
import { TokenSequencer } from "../src/control/TokenSequencer.js";
import type { Module } from "../src/engine/Module.js";

const arbConfig = fc.record({
  windowM: fc.integer({ min: 1, max: 24 }),
  tile: fc.integer({ min: 1, max: 24 }),
  D: fc.integer({ min: 1, max: 6 }),
  loadCycles: fc.integer({ min: 1, max: 3 }),
  writeCycles: fc.integer({ min: 1, max: 9 }),
  accumulateCycles: fc.integer({ min: 1, max: 6 }),
  seed: fc.nat(),
});

describe("events counted = closed form", () => {
  it("over a whole run: cells 2·D per token, columns Σ_t min(t+1, M), control cycles × T, for every head", async () => {
    await fc.assert(
      fc.asyncProperty(arbConfig, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 3 }), async (k, T, H) => {
        const c = validateAccelerator({ windowM: k.windowM, tile: Math.min(k.tile, k.windowM), D: k.D, heads: H,
          loadCycles: k.loadCycles, writeCycles: k.writeCycles, accumulateCycles: k.accumulateCycles });
        const r = await runAttention(c, seededInputs(T, H, k.D, k.seed));
        let columns = 0;
        for (let t = 0; t < T; t++) columns += Math.min(t + 1, k.windowM);
        expect(countEvents(modulesUnder(r.layer))).toEqual({
          cellsWritten: H * 2 * k.D * T,
          stage1Columns: H * columns,
          stage2Columns: H * columns,
          controlCycles: H * cyclesPerToken(c) * T,
        });
        r.layer.heads.forEach((head) => expect(countEvents(modulesUnder(head)).cellsWritten).toBe(2 * k.D * T));
      }),
      { seed: 20_260_601, numRuns: 40 },
    );
  });

  it("per token with the window full: 2·D cells, M columns each stage, one schedule of cycles; and the blocks of docs/model.md §2", async () => {
    await fc.assert(
      fc.asyncProperty(arbConfig, fc.integer({ min: 1, max: 5 }), async (k, measured) => {
        const c = validateAccelerator({ windowM: k.windowM, tile: Math.min(k.tile, k.windowM), D: k.D,
          loadCycles: k.loadCycles, writeCycles: k.writeCycles, accumulateCycles: k.accumulateCycles });
        const m = await measureSteadyState(c, seededInputs(tokensFor(c, measured), 1, k.D, k.seed));
        expect(m.measuredTokens).toBe(measured);
        const subTiles = Math.ceil(k.windowM / c.tile);
        expect(m.perToken).toEqual({ cellsWritten: 2 * k.D, stage1Columns: k.windowM, stage2Columns: k.windowM, controlCycles: cyclesPerToken(c),
          pwmPulses: k.D, signedConversions: subTiles * k.D, tokenNs: cyclesPerToken(c) * c.clockPeriodPs / 1000 });
        expect(m.tokenPs).toBe(cyclesPerToken(c) * c.clockPeriodPs);
        expect(m.blocks).toEqual({
          arrays: 2 * subTiles,
          cells: 2 * k.windowM * k.D,
          cpcs: k.windowM,
          signedCpcs: subTiles * k.D,
          pwmDrivers: k.D,
          dacs: 2 * k.D,
          controllers: 1,
        });
      }),
      { seed: 20_260_602, numRuns: 40 },
    );
  });

  it("counts a head's blocks from its ports: each head of a layer alike, as many as its module tree holds of each class", async () => {
    const c = validateAccelerator({ windowM: 10, tile: 4, D: 2, heads: 3 });
    const r = await runAttention(c, seededInputs(2, 3, 2, 1));
    for (const head of r.layer.heads) {
      const tree = modulesUnder(head);
      const of = <T>(cls: abstract new (...args: never[]) => T) => tree.filter((m): m is Module & T => m instanceof cls);
      expect(countBlocks(head)).toEqual({
        arrays: of(GainCellArray).length,
        cells: of(GainCellArray).reduce((n, a) => n + a.params.rows * a.params.cols, 0),
        cpcs: of(CpcColumn).length,
        signedCpcs: of(SignedCpcColumn).length,
        pwmDrivers: of(PwmDriver).length,
        dacs: 2 * of(WriteDriver).reduce((n, w) => n + w.params.rows, 0),
        controllers: of(TokenSequencer).length,
      });
    }
  });
});
