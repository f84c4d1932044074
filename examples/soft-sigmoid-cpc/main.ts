// Runs the accelerator with the soft-sigmoid CPC (SoftSigmoidCpc.ts) and checks two properties with
// fast-check over random configurations and token streams: every φ the trace shows is
// T_max·softSigmoid(S) of that token's column sum S (a plain model of the transfer), and φ never
// falls as S rises; then runs gaincell's protocol monitors on it. Exits 1 on a failed property.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { parseVcd, runAttention, type AcceleratorConfig, type AttentionInputs } from "gaincell";
import { arbConfig, arbTokenStream, arbVerifyCase, runVerifyCase } from "gaincell/verify";
import { softSigmoid, softSigmoidBlocks } from "./SoftSigmoidCpc.js";

const SEED = Number(process.env.SEED ?? 20_261_129);
const dir = mkdtempSync(join(tmpdir(), "soft-sigmoid-cpc-"));

/** Every (S, φ) pair of a run: φ read off the trace at each PHASE 2 rise, S the token's stage-1 sum. */
async function pulses(c: AcceleratorConfig, x: AttentionInputs): Promise<{ s: number; phiPs: number }[]> {
  const vcd = join(dir, "run.vcd");
  const r = await runAttention(c, x, { blocks: softSigmoidBlocks, scores: true, vcd, date: "example" });
  const doc = parseVcd(readFileSync(vcd, "utf8"), vcd);
  const out: { s: number; phiPs: number }[] = [];
  for (let h = 0; h < c.heads; h++) {
    const strobe = doc.history(`layer.head[${h}].seq.phase2`);
    const rises = strobe.filter((ch, i) => i > 0 && ch.value === "1" && strobe[i - 1].value === "0").map((ch) => ch.time);
    for (let slot = 0; slot < c.windowM; slot++) {
      const width = doc.history(`layer.head[${h}].sub[${Math.floor(slot / c.tile)}].cpc[${slot % c.tile}].width_ps`);
      rises.forEach((at, t) => {
        const phiPs = width.filter((ch) => ch.time <= at).at(-1)!.value as number;
        out.push({ s: r.scores![(t * c.heads + h) * c.windowM + slot], phiPs });
      });
    }
  }
  return out;
}

const cases = arbConfig({ maxWindow: 12, maxDims: 4, maxHeads: 2, schedule: false }).chain((c) => fc.tuple(fc.constant(c), arbTokenStream(c, 1, 8)));

try {
  await fc.assert(
    fc.asyncProperty(cases, async ([c, x]) => {
      const seen = await pulses(c, x);
      for (const { s, phiPs } of seen) {
        const want = softSigmoid(s, 0, c.sSat) * c.tMaxPs;
        if (Math.abs(phiPs - want) > 1e-9 * c.tMaxPs) throw new Error(`S = ${s}: φ = ${phiPs} ps, the plain transfer gives ${want} ps`);
      }
      seen.sort((p, q) => p.s - q.s);
      for (let i = 1; i < seen.length; i++) {
        if (seen[i].phiPs < seen[i - 1].phiPs) throw new Error(`φ falls from ${seen[i - 1].phiPs} to ${seen[i].phiPs} ps as S rises from ${seen[i - 1].s} to ${seen[i].s}`);
      }
    }),
    { seed: SEED, numRuns: 20 },
  );
  console.log(`φ = T_max·softSigmoid(S), monotonic in S: 20 random configurations and streams (seed ${SEED})`);

  let runs = 0;
  await fc.assert(
    fc.asyncProperty(arbVerifyCase({ maxWindow: 12, maxDims: 4, maxHeads: 2 }), async (vc) => {
      const r = await runVerifyCase(vc, { blocks: softSigmoidBlocks });
      if (r.problems.length > 0) throw new Error(r.problems.join("\n"));
      runs++;
    }),
    { seed: SEED, numRuns: 10 },
  );
  console.log(`protocol monitors: no failure in ${runs} runs with stalls (seed ${SEED})`);
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
