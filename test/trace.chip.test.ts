// A realised chip's effects that show in time are in its trace (docs/model.md §7), read back from the
// VCD: a stuck cell's voltage, the CPCs' and signed CPCs' offsets, a column's charge lower after a
// stall in time mode (the decayed slot), and the token source's valid low while it waits.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkChip, functionalChip, type LayerChip } from "../src/arch/chip.js";
import { functionalPart, validateAccelerator } from "../src/arch/config.js";
import { runAttention } from "../src/arch/runAttention.js";
import { seededInputs } from "../src/cli/inputs.js";
import { parseVcd, type VcdDocument } from "../src/engine/VcdReader.js";
import { attendFunctionalHeads } from "../src/functional/attention.js";
import { drawRealisation } from "../src/laws/realisation.js";
import { validateVariation } from "../src/laws/variation.js";
import { gtkwaveInspect, toolTest } from "./support/tools.js";

const it_gtkwave = toolTest(["gtkwave", "xvfb-run"]);

const dir = mkdtempSync(join(tmpdir(), "gaincell-trace-chip-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const c = validateAccelerator({ windowM: 8, tile: 4, D: 3, lambdaPerToken: 0.5 });
const x = seededInputs(12, 1, 3, 4);

async function traced(name: string, chip: LayerChip): Promise<VcdDocument> {
  const file = join(dir, `${name}.vcd`);
  const r = await runAttention(c, x, { chip, vcd: file, date: "test" });
  expect(r.tokensDone).toBe(12);
  return parseVcd(readFileSync(file, "utf8"), file);
}

/** The value of `path` at time `t` (its last change at or before t). */
function at(vcd: VcdDocument, path: string, t: number): string | number {
  const h = vcd.history(path).filter((ch) => ch.time <= t);
  return h[h.length - 1].value;
}

describe("the trace of a realised chip", () => {
  it("shows each stuck cell's voltage and each converter's offset as constants in its scope, and none on the ideal chip", async () => {
    const variation = validateVariation({ pStuck: 0.3, sigmaCpc: 2, sigmaScpc: 1 });
    const realisation = drawRealisation(variation, { heads: 1, windowM: 8, D: 3, tile: 4 }, 17);
    const vcd = await traced("stuck", { realisation, noise: variation });
    const stuck = vcd.paths().filter((p) => /\.stuck_c\d+_r\d+_V$/.test(p));
    // every stuck cell of the chip, and only those: K cell [0, s, d] of sub-tile s div 4 is column s mod 4
    const want: string[] = [];
    for (const [m, cells] of [["karray", realisation.kStuck], ["varray", realisation.vStuck]] as const) {
      for (let s = 0; s < 8; s++) for (let d = 0; d < 3; d++) if (cells[s * 3 + d] !== -1) want.push(`layer.head[0].sub[${Math.floor(s / 4)}].${m}.stuck_c${s % 4}_r${d}_V`);
    }
    expect(want.length).toBeGreaterThan(0);
    expect(stuck.sort()).toEqual(want.sort());
    for (const path of stuck) {
      const [, b, kv, j, d] = /sub\[(\d)\]\.(k|v)array\.stuck_c(\d)_r(\d)/.exec(path)!;
      const cells = kv === "k" ? realisation.kStuck : realisation.vStuck;
      expect(vcd.history(path), path).toEqual([{ time: 0, value: cells[(Number(b) * 4 + Number(j)) * 3 + Number(d)] }]);
    }
    // S_off of slot 6 (sub-tile 1, column 2) and A_off of sub-tile 1, row 2, as charges: × T_max = 15 ns
    expect(Number(vcd.history("layer.head[0].sub[1].cpc[2].offset_fC")[0].value)).toBeCloseTo(realisation.cpcOffset[6] * 15, 12);
    expect(Number(vcd.history("layer.head[0].sub[1].scpc[2].offset_fC")[0].value)).toBeCloseTo(realisation.scpcOffset[1 * 3 + 2] * 15, 12);
    const ideal = await traced("ideal", {});
    expect(ideal.paths().filter((p) => /stuck_|offset_fC/.test(p))).toEqual([]);
  });

  it_gtkwave("opens in GTKWave without a warning, $comment, stuck cells and offsets included", async () => {
    const variation = validateVariation({ pStuck: 0.3, sigmaCpc: 2, sigmaScpc: 1, sigmaS: 1 });
    const realisation = drawRealisation(variation, { heads: 1, windowM: 8, D: 3, tile: 4 }, 17);
    const file = join(dir, "gtkwave.vcd");
    await runAttention(c, x, { chip: { realisation, noise: variation, retention: "time" }, vcd: file, traceComment: "gaincell attend: chip preset harsh, variation seed 17" });
    const report = gtkwaveInspect(file);
    expect(report.warnings).toEqual([]);
    expect(report.signals).toContain("layer.head[0].sub[1].cpc[2].offset_fC");
    expect(report.signals.some((name) => /karray\.stuck_c\d_r\d_V$/.test(name))).toBe(true);
  });

  it("a stall shows as the source's valid low until the token arrives, and, in time mode, as the lower charge of a decayed slot", async () => {
    // token 6 arrives 3 µs late: it and the tokens after read slots 1 µs… older than back to back
    const arrivalsPs = Float64Array.from({ length: 12 }, (_, t) => t * 65_000 + (t >= 6 ? 3_000_000 : 0));
    const tight = await traced("tight", { retention: "time" });
    const stalled = await traced("stalled", { retention: "time", arrivalsPs });
    // valid: low once token 5 is taken (at 5 × 65 ns + 1.5 ns) until the first rising edge at or after
    // token 6's arrival, 6 × 65 ns + 3 µs = 3.39 µs (rising edges at 0.5 ns + n ns); back to back, high
    const valid = "layer.source[0].valid";
    const rise = stalled.history(valid).find((ch) => ch.value === "1" && ch.time > 5 * 65_000 + 1_500)!.time;
    expect(rise).toBe(3_390_500);
    expect([at(stalled, valid, 5 * 65_000 + 2_000), at(stalled, valid, 3_390_000)]).toEqual(["0", "0"]);
    expect(tight.history(valid).filter((ch) => ch.value === "0" && ch.time > 0 && ch.time < 11 * 65_000)).toEqual([]);
    // token 7 reads slot 1 (sub-tile 0, column 1), written by token 1 before the stall; its charge at
    // the end of PHASE 1 is what the functional model says, for each timing, and lower after the stall
    const charge = "layer.head[0].sub[0].karray.charge_1_fC";
    const phase1 = (vcd: VcdDocument) => vcd.history("layer.head[0].seq.phase1").filter((ch) => ch.value === "1" && ch.time > 0).map((ch) => ch.time);
    const S = (vcd: VcdDocument) => Number(at(vcd, charge, phase1(vcd)[7] + 15_000)) / 15;
    const reference = (chip: LayerChip) =>
      attendFunctionalHeads(x.q, x.k, x.v, 12, 1, 3, functionalPart(c), { scores: true }, functionalChip(c, checkChip(c, chip, 12), 12)).heads[0].scores![7 * 8 + 1];
    expect(S(tight)).toBeCloseTo(reference({ retention: "time" }), 9);
    expect(S(stalled)).toBeCloseTo(reference({ retention: "time", arrivalsPs }), 9);
    // fully decayed, a read is the constant term a0 = 0.521364 µA per unit pulse, whatever was stored
    const a0 = 0.521364 * [0, 1, 2].reduce((sum, d) => sum + Math.round(Math.min(Math.max(x.q[7 * 3 + d], 0), 1) * 15) / 15, 0);
    expect(Math.abs(S(stalled) - a0)).toBeLessThan(Math.abs(S(tight) - a0));
  });
});
