// Measures one head in steady state (window full): runs the cycle-accurate model with a probe that
// snapshots the event counters and the time when chosen tokens come out, so the ledger can take
// their difference per token (docs/model.md §4: figures are per head per token with the window full).
import { outGrid } from "../laws/quantise.js";
import { AttentionLayer } from "../arch/AttentionLayer.js";
import { withBlocks, type BlockFactories } from "../arch/blocks.js";
import type { CheckedChip } from "../arch/chip.js";
import { cyclesPerToken, type AcceleratorConfig } from "../arch/config.js";
import { Module } from "../engine/Module.js";
import { type EventCounter } from "../engine/Process.js";
import { runInterruptible } from "../engine/runInterruptible.js";
import { tokenCodes, type AttentionInputs } from "../arch/runAttention.js";
import { Simulator } from "../engine/Simulator.js";
import { ConfigError } from "../errors.js";
import { countBlocks, type BlockCounts } from "./blocks.js";
import { countEvents, countsBetween, ledgerCounters, modulesUnder, sumCounters, type CountedEvents, type EventCounts } from "./events.js";

/** Counters and time at one instant. */
interface Snapshot {
  timePs: number;
  counts: CountedEvents;
}

/**
 * A testbench block on a head's outValid: when the result of token `first` (then `last`) is
 * collected it records the time and the ledger counters. Why two results rather than the start and
 * the end of the run: results come out at the same point of every token's schedule, so between two
 * of them lie whole tokens' events; at the very end no next token has started its LOAD, so the
 * last token would be short of the cycles its successor spends before the earlier snapshot.
 */
class LedgerProbe extends Module {
  readonly outValid = this.bit("outValid", "in");
  readonly snapshots: Snapshot[] = [];
  private collected = 0;

  constructor(parent: Module, name: string, counters: readonly EventCounter[], first: number, last: number) {
    super(parent, name);
    this.always(this.outValid.posedge, [], () => {
      const token = this.collected++;
      if (token === first || token === last) this.snapshots.push({ timePs: this.nowPs, counts: sumCounters(counters) });
    }, "snapshot");
  }
}

/** What one steady-state run measured. */
export interface SteadyState {
  /** Tokens simulated. */
  tokens: number;
  /** Tokens between the two snapshots, every one with the window full. */
  measuredTokens: number;
  /** Index of the first measured token (M: its result is the first after the first snapshot). */
  firstMeasured: number;
  /** Events per token of the one head, averaged over the measured tokens, with the derived kinds. */
  perToken: EventCounts;
  /** Simulated time per token in steady state, ps. */
  tokenPs: number;
  /** Counted events of the whole run (the window filling included). */
  totals: CountedEvents;
  /** The head's blocks, counted in the built design. */
  blocks: BlockCounts;
  /** The head's digital output per token, Σ_b o_{b,d}, T×D. */
  out: Float64Array;
  simulatedPs: number;
  /** True when Ctrl-C stopped the run: the other fields are then incomplete. */
  interrupted: boolean;
}

/**
 * The configuration with the tile narrowed to the window when the window is smaller: the slot
 * pointer wants tile ≤ M, and one sub-tile of M slots is what a wider tile means anyway (docs/model.md §1:
 * ⌈M/tile⌉ sub-tiles, the last holding what is left), so a window sweep can go below 64.
 */
export function fitTile(c: AcceleratorConfig): AcceleratorConfig {
  return c.tile <= c.windowM ? c : Object.freeze({ ...c, tile: c.windowM });
}

/** Tokens a run needs to measure `measured` tokens with the window full: M to fill it, one after. */
export function tokensFor(c: AcceleratorConfig, measured: number): number {
  return c.windowM + measured + 1;
}

/** Options of measureSteadyState. */
export interface MeasureOptions {
  /** Which head of the inputs (0). */
  head?: number;
  onProgress?: (tokensDone: number) => void;
  /** A realised chip of one head (docs/model.md §7); the ideal chip without. */
  chip?: CheckedChip;
  /** Analog blocks swapped for the project's (src/arch/blocks.ts); they run in this thread. */
  blocks?: Partial<BlockFactories>;
}

/**
 * Runs head `head` of `inputs` alone (heads are identical and parallel, docs/model.md §2) and measures the
 * events and time per token between the results of token M − 1 (the first with a full window) and
 * token T − 2. Needs T ≥ M + 2.
 */
export async function measureSteadyState(c: AcceleratorConfig, inputs: AttentionInputs, options: MeasureOptions = {}): Promise<SteadyState> {
  const T = inputs.T;
  const M = c.windowM;
  if (T < M + 2) {
    throw new ConfigError("tokens", `${T} tokens cannot show a full window of ${M}: at least ${M + 2} are needed (M to fill it, one measured, one after)`);
  }
  const first = M - 1;
  const last = T - 2;
  const layer = new AttentionLayer("layer", { ...c, heads: 1 }, [tokenCodes(inputs, options.head ?? 0, c)], false, options.chip, 0, withBlocks(options.blocks));
  const head = modulesUnder(layer.heads[0]);
  const counters = ledgerCounters(head);
  const probe = new LedgerProbe(layer, "ledger", counters, first, last);
  layer.connect(probe.outValid, layer.heads[0].acc.outValid);
  const sim = new Simulator(layer);
  const schedulePs = cyclesPerToken(c) * c.clockPeriodPs;
  const collector = layer.collectors[0];
  const arrivals = options.chip?.arrivalsPs;
  const untilPs = (arrivals === undefined ? 0 : arrivals[T - 1]) + (T + 2) * schedulePs;
  const outcome = await runInterruptible(sim, untilPs, { onProgress: () => options.onProgress?.(collector.collected) });
  const [a, b] = probe.snapshots;
  const complete = !outcome.interrupted && b !== undefined;
  const measuredTokens = last - first;
  const step = outGrid(c.levelsOut).step;
  const blocks = countBlocks(layer.heads[0]);
  const tokenPs = complete ? (b.timePs - a.timePs) / measuredTokens : NaN;
  const counted = complete ? countsBetween(a.counts, b.counts, measuredTokens) : countEvents([]);
  return {
    tokens: T,
    measuredTokens,
    firstMeasured: first + 1,
    perToken: { ...counted, pwmPulses: blocks.pwmDrivers, signedConversions: blocks.signedCpcs, tokenNs: tokenPs / 1000 },
    tokenPs,
    totals: countEvents(head),
    blocks,
    out: Float64Array.from(collector.sums, (code) => code * step),
    simulatedPs: outcome.endPs,
    interrupted: !complete,
  };
}
