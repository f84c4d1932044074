// One verification run: a case through the cycle-accurate model with the protocol monitors and
// coverage, the outputs checked against the functional model, and what went wrong in one line each.
import type { BlockFactories } from "../arch/blocks.js";
import { checkChip, functionalChip, type LayerChip } from "../arch/chip.js";
import { cyclesPerToken } from "../arch/config.js";
import { tokenCodes } from "../arch/runAttention.js";
import { ConfigError } from "../errors.js";
import type { VerifyCase } from "./arbitraries.js";
import type { MonitorFailure, MonitorResult } from "./Checker.js";
import type { CoverageReport } from "./coverageReport.js";
import { compareWithReference, type Mismatch } from "./reference.js";
import { runMonitored, type FailureTraceOptions } from "./runMonitored.js";
import { VerifyBench } from "./VerifyBench.js";

/** What a run found. */
export interface CaseResult {
  /** One line per problem (monitor failures, unfinished tokens, outputs unlike the functional model's); empty when it passed. */
  problems: string[];
  failures: MonitorFailure[];
  failureCount: number;
  mismatches: Mismatch[];
  tokens: number;
  tokensDone: number;
  monitors: MonitorResult[];
  coverage: CoverageReport;
  simulatedPs: number;
  interrupted: boolean;
  /** The window traced around the first failure, when asked for. */
  trace?: { fromPs: number; toPs: number };
}

/** Options of runVerifyCase. */
export interface CaseOptions {
  failureTrace?: FailureTraceOptions;
  onProgress?: (nowPs: number) => void;
  /**
   * Analog blocks swapped for the project's (src/arch/blocks.ts): the monitors and coverage watch
   * them; the outputs are not compared with the functional model, which has the project's blocks.
   */
  blocks?: Partial<BlockFactories>;
}

/**
 * Runs `vc` under the protocol monitors and compares its outputs with the functional model's, on the
 * case's realised chip when it has one (docs/model.md §7; retention per token: the stalls, not
 * arrival times, space its tokens, and only per-token retention is blind to that spacing).
 */
export async function runVerifyCase(vc: VerifyCase<LayerChip | undefined>, options: CaseOptions = {}): Promise<CaseResult> {
  const { config: c, inputs, stalls } = vc;
  const T = inputs.T;
  if (vc.realisation !== undefined && ((vc.realisation.retention ?? "token") !== "token" || vc.realisation.arrivalsPs !== undefined)) {
    throw new ConfigError("case.realisation", "a verification case's chip counts retention per token and has no arrival times: its stalls space the tokens");
  }
  const chip = vc.realisation === undefined ? undefined : checkChip(c, vc.realisation, T);
  const streams = Array.from({ length: inputs.H }, (_, h) => tokenCodes(inputs, h, c));
  // every token's schedule, each stall at most one more cycle, the hand-over edges and slack
  const stallEdges = Math.max(0, ...stalls.map((s) => s.length));
  const untilPs = (T * cyclesPerToken(c) + stallEdges + 8) * c.clockPeriodPs;
  const run = await runMonitored(() => new VerifyBench(c, streams, stalls, { chip, blocks: options.blocks }), { untilPs, failureTrace: options.failureTrace, onProgress: options.onProgress });
  const bench = run.design;
  const tokensDone = bench.tokensDone;
  const reference = chip === undefined ? {} : functionalChip(c, chip, T);
  const mismatches = tokensDone === T && options.blocks === undefined ? compareWithReference(c, inputs, bench.outCodes(T), reference) : [];
  const problems: string[] = [];
  if (run.failureCount > 0) problems.push(`${run.failureCount} monitor failure(s); the first: ${run.failures[0].message}`);
  if (tokensDone < T && !run.interrupted) problems.push(`${tokensDone} of ${T} tokens came out by ${run.endPs} ps`);
  if (mismatches.length > 0) {
    const m = mismatches[0];
    problems.push(`${mismatches.length} output count(s) differ from the functional model; the first: token ${m.token}, head ${m.head}, dim ${m.dim}: ${m.cycleAccurate}, functional ${m.functional}`);
  }
  return {
    problems,
    failures: run.failures,
    failureCount: run.failureCount,
    mismatches,
    tokens: T,
    tokensDone,
    monitors: bench.checker.results(),
    coverage: bench.coverage.report(),
    simulatedPs: run.endPs,
    interrupted: run.interrupted,
    trace: run.trace,
  };
}
