// The cost of a realised chip (docs/model.md §7) against the ideal one, per token, cycle-accurate: one
// head at the spec's size (D 64, M 1024) over a seeded stream that wraps the window, on the ideal
// chip and on chips with some or all of the effects, in one process. The cases run in turn, round
// after round; each figure is the minimum and the median CPU time of its rounds (on a shared machine
// CPU time moves less than wall time, and the minimum least of all: other jobs only ever add to it). Every run's output counts are checked against the functional model
// of the same chip, so no case measures wrong work.
import { checkChip, functionalChip, type LayerChip } from "../src/arch/chip.js";
import { validateAccelerator } from "../src/arch/config.js";
import { runAttention } from "../src/arch/runAttention.js";
import { seededInputs } from "../src/cli/inputs.js";
import { drawRealisation } from "../src/laws/realisation.js";
import { validateVariation, type Variation } from "../src/laws/variation.js";
import { compareWithReference } from "../src/verify/reference.js";
import { loadVariation } from "../src/variationFile.js";

/** Target of issue 11: a realised chip's time per token within 1.3× the ideal chip's, cycle-accurate. */
export const REALISED_TARGET_RATIO = 1.3;

/** One case: its CPU time per run (minimum and median over the rounds), per token, and its ratios to the ideal chip's. */
export interface RealisedFigure {
  title: string;
  minMs: number;
  medianMs: number;
  /** Minimum per token, µs. */
  usPerToken: number;
  /** Minimum over the ideal chip's minimum, and median over its median. */
  minRatio: number;
  medianRatio: number;
}

/** Sizes: tokens per run, rounds after one warm-up round. */
export interface RealisedSize {
  tokens: number;
  rounds: number;
}

export const REALISED_FULL: RealisedSize = { tokens: 1100, rounds: 5 };
export const REALISED_QUICK: RealisedSize = { tokens: 300, rounds: 1 };

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** The cases, the ideal chip first: what each realised chip holds. */
function cases(T: number): [string, LayerChip | undefined][] {
  const c = validateAccelerator({});
  const shape = { heads: 1, windowM: c.windowM, D: c.D, tile: c.tile };
  const mild = loadVariation("mild").variation;
  const harsh = loadVariation("harsh").variation;
  const chip = (v: Variation, extra: Partial<LayerChip> = {}): LayerChip => ({ realisation: drawRealisation(v, shape, 1), noise: v, noiseSeed: 1, ...extra });
  const noise = validateVariation({ sigmaWrite: mild.sigmaWrite, sigmaS: mild.sigmaS, sigmaA: mild.sigmaA, sigmaQ: mild.sigmaQ });
  const statics = validateVariation({ sigmaGain: mild.sigmaGain, sigmaOffset: mild.sigmaOffset, pStuck: mild.pStuck, sigmaCpc: mild.sigmaCpc, sigmaScpc: mild.sigmaScpc });
  const list: [string, LayerChip | undefined][] = [
    ["ideal chip (the baseline)", undefined],
    ["noise only (mild's σ_write, σ_S, σ_A, σ_q), no realisation", { noise, noiseSeed: 1 }],
    ["mild's static spreads (γ, β, stuck, CPC offsets), no noise", chip(statics)],
    ["mild without retention spread", chip({ ...mild, sigmaRet: 0 })],
    ["mild", chip(mild)],
    ["harsh", chip(harsh)],
    ["mild, retention in time", chip(mild, { retention: "time" })],
  ];
  return list.map(([title, layerChip]) => [`${title}, ${T} tokens`, layerChip]);
}

/** Runs every case `rounds` times after a warm-up round; returns the figures, the ideal chip's first. */
export async function realisedFigures(size: RealisedSize): Promise<RealisedFigure[]> {
  const c = validateAccelerator({});
  const x = seededInputs(size.tokens, 1, c.D, 1);
  const all = cases(size.tokens);
  const times = all.map(() => [] as number[]);
  for (let round = 0; round <= size.rounds; round++) {
    for (let i = 0; i < all.length; i++) {
      const chip = all[i][1];
      const t0 = cpuMs();
      const r = await runAttention(c, x, { chip });
      const ms = cpuMs() - t0;
      if (round === 0) {
        // checked once, outside the timing: the same counts as the functional model of the same chip
        const reference = chip === undefined ? {} : functionalChip(c, checkChip(c, chip, x.T), x.T);
        const wrong = compareWithReference(c, x, r.outCodes, reference);
        if (r.tokensDone !== x.T || wrong.length > 0) throw new Error(`${all[i][0]}: ${r.tokensDone} tokens, ${wrong.length} counts unlike the functional model's`);
      } else times[i].push(ms);
    }
  }
  const median = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
  const [minBase, medianBase] = [Math.min(...times[0]), median(times[0])];
  return all.map(([title], i) => {
    const [minMs, medianMs] = [Math.min(...times[i]), median(times[i])];
    return { title, minMs, medianMs, usPerToken: (minMs * 1000) / size.tokens, minRatio: minMs / minBase, medianRatio: medianMs / medianBase };
  });
}

/** A markdown table of the figures. */
export function realisedTable(figures: RealisedFigure[]): string {
  const rows = figures.map((f) => `| ${f.title} | ${f.minMs.toFixed(0)} / ${f.medianMs.toFixed(0)} ms | ${f.usPerToken.toFixed(0)} µs | ${f.minRatio.toFixed(2)}× / ${f.medianRatio.toFixed(2)}× |`);
  return ["| chip, one head (D 64, M 1024), cycle-accurate | CPU per run, min / median | CPU per token (min) | ÷ ideal chip's, min / median |",
    "|---|---:|---:|---:|", ...rows].join("\n");
}

/** The target line: the mild preset's ratio (of medians) against REALISED_TARGET_RATIO. */
export function realisedTarget(figures: RealisedFigure[]): string {
  const mild = figures.find((f) => f.title.startsWith("mild,"))!;
  const verdict = mild.medianRatio <= REALISED_TARGET_RATIO ? "met" : "MISSED";
  return `a realised chip (mild preset): ${mild.medianRatio.toFixed(2)}× the ideal chip's time per token, median (${mild.minRatio.toFixed(2)}× minimum; target ≤ ${REALISED_TARGET_RATIO}×): ${verdict}`;
}
