// Swappable blocks (src/arch/blocks.ts, docs/library.md): a head built with blocks of the user's, by
// their ports; the trace, the ledger's counts, the area's block counts and the protocol monitors
// work with them; loadBlocks finds factories by plain data, as a worker thread would.
import fc from "fast-check";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadBlocks } from "../src/arch/blocks.js";
import { validateAccelerator } from "../src/arch/config.js";
import { runAttention } from "../src/arch/runAttention.js";
import { seededInputs } from "../src/cli/inputs.js";
import { parseVcd } from "../src/engine/VcdReader.js";
import { ChargeToPulseConverter } from "../src/analog/ChargeToPulseConverter.js";
import { measureSteadyState, tokensFor } from "../src/report/measure.js";
import { arbVerifyCase } from "../src/verify/arbitraries.js";
import { runVerifyCase } from "../src/verify/runCase.js";
import { halfGainCpc, longPwm, PlainPwm, plainPwm } from "./support/swappedBlocks.js";

const dir = mkdtempSync(join(tmpdir(), "gaincell-blocks-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const c = validateAccelerator({ windowM: 8, tile: 4, D: 3, heads: 2 });
const x = seededInputs(10, 2, 3, 5);

describe("a head built with swapped blocks", () => {
  it("a PWM driver written from its ports alone (no project class) gives the project's trace byte for byte, outputs and S", async () => {
    const own = join(dir, "own.vcd");
    const project = join(dir, "project.vcd");
    const a = await runAttention(c, x, { scores: true, vcd: project, date: "test" });
    const b = await runAttention(c, x, { scores: true, vcd: own, date: "test", blocks: plainPwm });
    expect(b.layer.heads.every((h) => h.pwm.every((p) => p instanceof PlainPwm))).toBe(true);
    expect(b.outCodes).toEqual(a.outCodes);
    expect(Buffer.from(b.scores!.buffer).equals(Buffer.from(a.scores!.buffer))).toBe(true);
    expect(readFileSync(own, "utf8")).toBe(readFileSync(project, "utf8"));
  });

  it("a CPC with another transfer: each φ in the trace is T_max·clamp(S/(2·S_sat), 0, 1) of the token's S", async () => {
    const file = join(dir, "half.vcd");
    const r = await runAttention(c, x, { scores: true, vcd: file, date: "test", blocks: halfGainCpc });
    const doc = parseVcd(readFileSync(file, "utf8"), file);
    const M = c.windowM;
    let checked = 0;
    for (let h = 0; h < c.heads; h++) {
      const rises = doc.history(`layer.head[${h}].seq.phase2`).filter((ch, i, all) => i > 0 && ch.value === "1" && all[i - 1].value === "0").map((ch) => ch.time);
      expect(rises).toHaveLength(x.T);
      for (let slot = 0; slot < M; slot++) {
        const widths = doc.history(`layer.head[${h}].sub[${Math.floor(slot / c.tile)}].cpc[${slot % c.tile}].width_ps`);
        rises.forEach((at, t) => {
          const shown = widths.filter((ch) => ch.time <= at).at(-1)!.value as number;
          const s = r.scores![(t * c.heads + h) * M + slot];
          expect(shown, `head ${h} token ${t} slot ${slot}`).toBeCloseTo(Math.min(1, Math.max(0, s / (2 * c.sSat))) * c.tMaxPs, 9);
          checked++;
        });
      }
    }
    expect(checked).toBe(2 * 10 * 8);
    // the project's transfer differs on these inputs: the swap took effect
    const project = await runAttention(c, x, {});
    expect(Array.from(r.outCodes)).not.toEqual(Array.from(project.outCodes));
  });

  it("the protocol monitors and coverage run on it: no failure for random configurations, streams and stalls", async () => {
    await fc.assert(
      fc.asyncProperty(arbVerifyCase({ maxWindow: 10, maxDims: 3, maxHeads: 2 }), async (vc) => {
        const r = await runVerifyCase(vc, { blocks: { ...halfGainCpc, ...plainPwm } });
        expect(r.problems).toEqual([]);
        expect(r.tokensDone).toBe(vc.inputs.T);
        expect(r.coverage.items.length).toBeGreaterThan(0);
      }),
      { seed: 20_261_129, numRuns: 12 },
    );
    // and they catch a swapped block that breaks the protocol: a PWM driver with pulses twice too long
    const [vc] = fc.sample(arbVerifyCase({ maxWindow: 6, maxDims: 3, maxHeads: 1 }), { seed: 7, numRuns: 1 });
    const fullQ = { ...vc, inputs: { ...vc.inputs, q: vc.inputs.q.map(() => 1) } };
    expect((await runVerifyCase(fullQ, { blocks: plainPwm })).problems).toEqual([]);
    const broken = await runVerifyCase(fullQ, { blocks: longPwm });
    expect(broken.problems[0]).toMatch(/monitor failure\(s\); the first: layer\.checker\.head\[0\]\.rwl_width_ps\[0\] failed at .*layer\.head\[0\]\.pwm\[0\]\.width = 30000 ps$/);
  });

  it("the ledger counts its events and blocks as the project's: the swap changes neither", async () => {
    const one = validateAccelerator({ windowM: 8, tile: 4, D: 3 });
    const inputs = seededInputs(tokensFor(one, 2), 1, 3, 2);
    const a = await measureSteadyState(one, inputs);
    const b = await measureSteadyState(one, inputs, { blocks: { ...halfGainCpc, ...plainPwm } });
    expect(b.blocks).toEqual(a.blocks);
    expect(b.perToken).toEqual(a.perToken);
    expect(b.totals).toEqual(a.totals);
    expect(b.blocks).toMatchObject({ arrays: 4, cells: 2 * 8 * 3, cpcs: 8, pwmDrivers: 3 });
  });

  it("a transfer outside [0, 1] stops the run with one line naming the converter's width", async () => {
    class Broken extends ChargeToPulseConverter {
      protected override transfer(): number {
        return 1.5;
      }
    }
    const blocks = { cpcRow: (...a: ConstructorParameters<typeof Broken>) => new Broken(...a) };
    await expect(runAttention(c, x, { blocks })).rejects.toThrow(/^at \d+ ps in layer\.head\[0\]\.sub\[0\]\.cpc\.convert: layer\.head\[0\]\.sub\[0\]\.cpc\[0\]\.width: the transfer gave φ\/T_max = 1\.5 for S = .*; it must be in \[0, 1\]$/);
  });
});

describe("loadBlocks", () => {
  const module = new URL("./support/swappedBlocks.ts", import.meta.url).href;

  it("imports the factories a module exports, named by plain data", async () => {
    const blocks = await loadBlocks({ module, export: "halfGainCpc" });
    expect(Object.keys(blocks)).toEqual(["cpcRow"]);
    const r = await runAttention(c, x, { blocks });
    const direct = await runAttention(c, x, { blocks: halfGainCpc });
    expect(r.outCodes).toEqual(direct.outCodes);
  });

  it("names the module, export or key that is wrong", async () => {
    await expect(loadBlocks({ module, export: "nothing" })).rejects.toThrow(`blocks: ${module}#nothing is not exported as a record of block factories`);
    await expect(loadBlocks({ module, export: "notFactories" })).rejects.toThrow(`blocks: ${module}#notFactories: cpcRow is a number, expected a factory function`);
    await expect(loadBlocks({ module, export: "unknownKind" })).rejects.toThrow(/: "sigmoid" is not a block kind; expected one of writeDriver, pwmDriver, gainCellArray, cpcRow, signedCpcRow$/);
    await expect(loadBlocks({ module: "/nowhere/blocks.js", export: "x" })).rejects.toThrow(/^blocks: \/nowhere\/blocks\.js could not be imported: /);
  });
});
