// `gaincell review`: writes DIR/index.html, one self-contained page for a review meeting: the
// configuration, the ledger, charts, the GPU comparison and one token's traced waveform.
import { join } from "node:path";
import type { AcceleratorConfig } from "../arch/config.js";
import { IDEAL_CHIP } from "../chipSpec.js";
import { OutputFile } from "../engine/OutputFile.js";
import { GaincellError } from "../errors.js";
import type { RecallSetting } from "../recall/api.js";
import { defaultDistances } from "../recall/encoding.js";
import { measureRecall } from "../recall/measure.js";
import { recallChartSpec, resultSeries } from "../report/recallOutput.js";
import { renderSvg } from "../report/charts.js";
import { reviewHtml, type ReviewExtras } from "../report/reviewPage.js";
import { waveformSvg } from "../report/waveSvg.js";
import { traceOneToken } from "../report/waveTrace.js";
import { seededInputs } from "./inputs.js";
import { REPORT_OPTIONS, reportSetupWithBlocks, runLedger } from "./report.js";
import { VARIATION_HELP } from "./chipOptions.js";
import { CONFIG_HELP, parseCommand, parseCount, UsageError } from "./options.js";
import { settleSignals } from "./processEnds.js";
import { BLOCKS_HELP } from "./blocksOption.js";

const USAGE = `usage: gaincell review --out DIR [options]

Writes DIR/index.html: the ledger of \`gaincell report\` (same options), its charts as inline SVG,
the comparison with the GPUs of docs/model.md §5, associative recall on the ideal chip (docs/recall.md)
and a waveform of one token from a short traced run.
The file needs nothing else: open it in any browser.

  --out DIR              where to write index.html (whole or not at all; DIR is created if missing)
  --tech FILE.json       technology: the energy laws' constants and µm² per block (docs/ledger.md)
  --tokens N             tokens measured with the window full (64)
  --seed S               the seeded streams' seed (1)
  --q Q.npy --k K.npy --v V.npy   inputs instead of the seeded stream (T ≥ M + 2)
  --heads H  --layers L  heads per layer and layers per model (a --config file's heads, else 12; 12 layers: GPT-2 small)
${VARIATION_HELP}  With a realised chip the ledger, the accuracy section and the waveform are that chip's (one
  head drawn from the seed), the accuracy beside the ideal chip's.
${BLOCKS_HELP}  With your blocks the ledger, the accuracy section and the waveform are theirs.
${CONFIG_HELP}`;

const OPTIONS = { ...REPORT_OPTIONS, out: { type: "string" } } as const;

// Tokens of the traced run: enough that one after the first shows a CPC pulse and a nonzero count.
const TRACE_TOKENS = 16;

// (ours) Queries per distance on the page: half gaincell recall's default, for a quicker page.
const RECALL_QUERIES = 16;

/** Associative recall on the review's configuration (ideal chip, functional model), or why it cannot run. */
async function recallOf(config: AcceleratorConfig, seed: number): Promise<ReviewExtras["recall"]> {
  const setting: RecallSetting = {
    config: { ...config, heads: 1 },
    plan: { distances: defaultDistances(config.windowM), queriesPerDistance: RECALL_QUERIES, probes: RECALL_QUERIES, keyWeight: null, maxOverlap: null, valueLevels: 2, threshold: 0.99, seed },
    chip: IDEAL_CHIP,
    chips: 1,
    cycleAccurate: false,
  };
  try {
    const result = (await measureRecall(setting))!; // the functional model is not interrupted
    const title = `Recall against distance (functional, ideal chip, window ${config.windowM})`;
    return { setting, result, svg: await renderSvg(recallChartSpec(title, resultSeries(result), "distance", setting.plan.threshold, result.encoding.chance)) };
  } catch (e) {
    if (e instanceof GaincellError) return { error: e.message }; // e.g. a D too small to keep the keys apart
    throw e;
  }
}

/** Runs `gaincell review`; returns the exit code. */
export async function reviewCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand(argv, OPTIONS, USAGE);
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.out === undefined || values.out === "") throw new UsageError("give --out DIR", USAGE);
  const setup = await reportSetupWithBlocks(values, USAGE, ["review", ...argv]);
  const seed = parseCount(values.seed ?? "1", "--seed", USAGE, 0, 2 ** 32 - 1);
  // the page is checked, and its temporary file made, before the runs
  const file = join(values.out, "index.html");
  const out = OutputFile.open(file, { createFolders: true });
  try {
    const ledger = await runLedger(setup);
    const excerpt = ledger === null ? null : await traceOneToken(setup.config, seededInputs(TRACE_TOKENS, 1, setup.config.D, seed), setup.chip?.checked, setup.blocks?.factories);
    if (ledger === null || excerpt === null) {
      process.stderr.write("gaincell: interrupted; nothing written\n");
      return 130;
    }
    const waveSvg = waveformSvg(excerpt, `gaincell: token ${excerpt.token}, one head`);
    const recall = await recallOf(setup.config, seed);
    out.writeText(await reviewHtml(ledger, { waveSvg, waveToken: excerpt.token, waveLanes: excerpt.lanes.map((l) => l.label), recall }));
    await settleSignals();
    out.commit();
    process.stdout.write(`wrote ${file}\n`);
    return 0;
  } finally {
    out.abort();
  }
}
