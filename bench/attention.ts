// Attention benchmark (issue 5, speed): one head at the spec's size (D 64, M 1024) over a seeded
// stream that wraps the window, cycle-accurate with and without a trace of every signal and the
// functional reference, in one process; and, on request, a 12-head layer over 2,048 tokens.
// Every cycle-accurate case checks its output counts against the reference's, so none measures wrong work.
import { statSync } from "node:fs";
import { join } from "node:path";
import { functionalPart, validateAccelerator, type AcceleratorConfig } from "../src/arch/config.js";
import { runAttention, type AttentionInputs } from "../src/arch/runAttention.js";
import { seededInputs } from "../src/cli/inputs.js";
import { attendFunctionalHeads } from "../src/functional/attention.js";

/** One timed case: tokens per second (each head's tokens count once per head) and wall time per run. */
export interface AttentionFigure {
  title: string;
  tokensPerS: number;
  secondsPerRun: number;
  /** Title of the reference case this one is compared with (none for a reference itself). */
  baseline?: string;
  note?: string;
}

/** Sizes: the head over `tokens` tokens, `iter` timed runs after one warm-up; the layer once. */
export interface AttentionSize {
  tokens: number;
  iter: number;
  layerHeads: number;
  layerTokens: number;
}

export const ATTENTION_FULL: AttentionSize = { tokens: 1100, iter: 3, layerHeads: 12, layerTokens: 2048 };
export const ATTENTION_QUICK: AttentionSize = { tokens: 400, iter: 1, layerHeads: 12, layerTokens: 512 };

/** Target of issue 5: the cycle-accurate head without a trace within 3× the reference's time per token. */
export const HEAD_TARGET_RATIO = 3;
/** Target of issue 5: the 12-head layer over 2,048 tokens in under a minute. */
export const LAYER_TARGET_S = 60;

/** Median wall time of `iter` runs of `body` after one warm-up run, s. */
export async function medianSeconds(iter: number, body: () => Promise<void> | void): Promise<number> {
  await body();
  const times: number[] = [];
  for (let i = 0; i < iter; i++) {
    const t0 = performance.now();
    await body();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function reference(c: AcceleratorConfig, x: AttentionInputs): Int32Array {
  return attendFunctionalHeads(x.q, x.k, x.v, x.T, x.H, x.D, functionalPart(c)).outCodes;
}

async function cycleAccurate(c: AcceleratorConfig, x: AttentionInputs, expected: Int32Array, vcd?: string): Promise<void> {
  const r = await runAttention(c, x, { vcd, date: "bench" });
  if (r.tokensDone !== x.T) throw new Error(`cycle-accurate run finished ${r.tokensDone} of ${x.T} tokens`);
  for (let i = 0; i < expected.length; i++) {
    if (r.outCodes[i] !== expected[i]) throw new Error(`cycle-accurate output count ${i} is ${r.outCodes[i]}, the reference's ${expected[i]}`);
  }
}

/** The one-head cases: the reference first (the baseline), then cycle-accurate without and with a trace. */
export async function headFigures(size: AttentionSize, traceDir: string): Promise<AttentionFigure[]> {
  const c = validateAccelerator({ windowM: 1024, D: 64, heads: 1 });
  const x = seededInputs(size.tokens, 1, c.D, 1);
  const expected = reference(c, x);
  const vcd = join(traceDir, "attention.vcd");
  const head = `one head (D ${c.D}, M ${c.windowM}), ${x.T} tokens`;
  const REF = `${head}: functional reference`;
  const ref = await medianSeconds(5 * size.iter, () => void reference(c, x));
  const bare = await medianSeconds(size.iter, () => cycleAccurate(c, x, expected));
  const traced = await medianSeconds(size.iter, () => cycleAccurate(c, x, expected, vcd));
  const mb = statSync(vcd).size / 1e6;
  return [
    { title: REF, tokensPerS: x.T / ref, secondsPerRun: ref },
    { title: `${head}: cycle-accurate, no trace`, tokensPerS: x.T / bare, secondsPerRun: bare, baseline: REF },
    { title: `${head}: cycle-accurate, VCD trace of every signal`, tokensPerS: x.T / traced, secondsPerRun: traced, baseline: REF, note: `${mb.toFixed(0)} MB of VCD` },
  ];
}

/** The layer (12 heads over 2,048 tokens), timed once, with the reference timed once beside it. */
export async function layerFigures(size: AttentionSize): Promise<AttentionFigure[]> {
  const c = validateAccelerator({ windowM: 1024, D: 64, heads: size.layerHeads });
  const x = seededInputs(size.layerTokens, size.layerHeads, c.D, 1);
  const t0 = performance.now();
  const expected = reference(c, x);
  const ref = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  await cycleAccurate(c, x, expected);
  const cycle = (performance.now() - t1) / 1000;
  const layer = `${x.H}-head layer (D ${c.D}, M ${c.windowM}), ${x.T} tokens`;
  const REF = `${layer}: functional reference, once`;
  // a token of the layer is one token through every head
  return [
    { title: REF, tokensPerS: x.T / ref, secondsPerRun: ref },
    { title: `${layer}: cycle-accurate, no trace, once`, tokensPerS: x.T / cycle, secondsPerRun: cycle, baseline: REF },
  ];
}

/** A markdown table: rate, wall time per run, time per token as a multiple of the baseline's. */
export function attentionTable(figures: AttentionFigure[]): string {
  const byTitle = new Map(figures.map((f) => [f.title, f]));
  const rows = figures.map((f) => {
    const base = byTitle.get(f.baseline ?? f.title)!;
    const ratio = base.tokensPerS / f.tokensPerS;
    return `| ${f.title} | ${Math.round(f.tokensPerS).toLocaleString("en-US")} tokens/s | ${f.secondsPerRun.toFixed(3)} s | ${ratio.toFixed(2)}× | ${f.note ?? ""} |`;
  });
  return ["| case | rate | wall per run | time per token ÷ reference's | |", "|---|---:|---:|---:|---|", ...rows].join("\n");
}

/** One line per target: met or missed, with the figure. */
export function attentionTargets(figures: AttentionFigure[]): string[] {
  const byTitle = new Map(figures.map((f) => [f.title, f]));
  const lines: string[] = [];
  const bare = figures.find((f) => f.title.startsWith("one head") && f.title.endsWith("no trace"));
  if (bare) {
    const ratio = byTitle.get(bare.baseline!)!.tokensPerS / bare.tokensPerS;
    const verdict = ratio <= HEAD_TARGET_RATIO ? "met" : "MISSED";
    lines.push(`one head without a trace: ${ratio.toFixed(2)}× the reference's time per token (target ≤ ${HEAD_TARGET_RATIO}×): ${verdict}`);
  }
  const layer = figures.find((f) => f.title.includes("layer") && f.baseline !== undefined);
  if (layer) {
    const full = layer.title.startsWith(`${ATTENTION_FULL.layerHeads}-head layer`) && layer.title.includes(`, ${ATTENTION_FULL.layerTokens} tokens`);
    const verdict = !full ? "the target is for the full size" : layer.secondsPerRun < LAYER_TARGET_S ? "met" : "MISSED";
    lines.push(`${layer.title.split(":")[0]}: ${layer.secondsPerRun.toFixed(1)} s (target < ${LAYER_TARGET_S} s): ${verdict}`);
  }
  return lines;
}
