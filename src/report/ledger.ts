// The ledger: prices a steady-state measurement with the energy laws and the technology (docs/model.md
// §4, docs/ledger.md), adds power, throughput and accuracy, scales one head to a layer and a model,
// and compares against the platforms of docs/model.md §5. Pure arithmetic.
import { cyclesPerToken, type AcceleratorConfig } from "../arch/config.js";
import type { AccuracyFigure } from "./accuracy.js";
import type { BlockCounts } from "./blocks.js";
import { priceEvents, type EnergySplit } from "./energy.js";
import type { EventCounts } from "./events.js";
import { PLATFORM_BASIS, PLATFORM_BASIS_HEADS, PLATFORMS } from "./platforms.js";
import type { RunProvenance } from "./provenance.js";
import type { SteadyState } from "./measure.js";
import type { Technology } from "./technology.js";

/** Area of one head by block kind, mm². */
export interface AreaSplit {
  cells: number;
  cpcs: number;
  signedCpcs: number;
  pwmDrivers: number;
  dacs: number;
  controllers: number;
  total: number;
}

/** One platform of docs/model.md §5 set against ours. */
export interface PlatformComparison {
  name: string;
  latencyUs: number;
  energyMj: number;
  approximate: boolean;
  /** Platform latency / ours. */
  speedup: number;
  /** Platform energy / ours for the same heads. */
  energyGain: number;
}

/** Work and rate of a head, a layer and a model. */
export interface Throughput {
  /** Multiply-accumulates per token and head: M·D for q·K and M·D for φ·V, 2 operations each. */
  opsPerTokenPerHead: number;
  /** Tokens per second of one layer (its latency back to back). */
  tokensPerSecondPerLayer: number;
  /** Tokens per second of one sequence through the model (layers in sequence). */
  tokensPerSecondPerModel: number;
  /** Operations per second of one head, TOPS. */
  topsPerHead: number;
  /** Operations per joule, TOPS/W (= per head: ops / energy). */
  topsPerWatt: number;
}

/** Everything `gaincell report` states; the JSON form is this object. */
export interface Ledger {
  provenance: RunProvenance;
  config: AcceleratorConfig;
  technology: Technology;
  /** How the figures were obtained. */
  method: string;
  tokensSimulated: number;
  tokensMeasured: number;
  cyclesPerToken: number;
  latencyNsPerToken: number;
  eventsPerTokenPerHead: EventCounts;
  energyPjPerTokenPerHead: EnergySplit;
  /** Energy over latency of one head, mW. */
  powerMwPerHead: number;
  throughput: Throughput;
  accuracy: AccuracyFigure[];
  blocksPerHead: BlockCounts;
  areaMm2ByBlockPerHead: AreaSplit;
  areaMm2PerHead: number;
  heads: number;
  layers: number;
  perLayer: { latencyNs: number; energyNj: number; powerW: number; areaMm2: number };
  perModel: { latencyNs: number; energyNj: number; powerW: number; areaMm2: number };
  comparison: { basis: string; heads: number; latencyNs: number; energyNj: number };
  platforms: PlatformComparison[];
}

/** Area of one head: each block kind's count times its area, in mm². */
export function priceBlocks(b: BlockCounts, t: Technology): AreaSplit {
  const mm2 = (n: number, um2: number) => (n * um2) / 1e6;
  const split = {
    cells: mm2(b.cells, t.cellUm2),
    cpcs: mm2(b.cpcs, t.cpcUm2),
    signedCpcs: mm2(b.signedCpcs, t.signedCpcUm2),
    pwmDrivers: mm2(b.pwmDrivers, t.pwmDriverUm2),
    dacs: mm2(b.dacs, t.dacUm2),
    controllers: mm2(b.controllers, t.controllerUm2),
  };
  return { ...split, total: Object.values(split).reduce((a, x) => a + x, 0) };
}

/** Operations, rates and efficiency of one head at `energyPj` and `latencyNs` per token. */
export function throughputOf(c: AcceleratorConfig, energyPj: number, latencyNs: number, layers: number): Throughput {
  const ops = 4 * c.windowM * c.D;
  return {
    opsPerTokenPerHead: ops,
    tokensPerSecondPerLayer: 1e9 / latencyNs,
    tokensPerSecondPerModel: 1e9 / (layers * latencyNs),
    topsPerHead: ops / latencyNs / 1000,
    topsPerWatt: ops / energyPj,
  };
}

/** What a ledger states besides the measurement: how it was made and its accuracy figures. */
export interface LedgerContext {
  provenance: RunProvenance;
  accuracy: AccuracyFigure[];
}

/** The full ledger of a measurement: per head, per layer (`heads`), per model (`layers`), vs docs/model.md §5. */
export function buildLedger(c: AcceleratorConfig, m: SteadyState, t: Technology, heads: number, layers: number, context: LedgerContext): Ledger {
  const energy = priceEvents(m.perToken, c, t);
  const area = priceBlocks(m.blocks, t);
  const latencyNs = m.tokenPs / 1000;
  // heads run in parallel within a layer (docs/model.md §2); layers follow one another for a token
  const layerEnergyNj = (heads * energy.total) / 1000;
  const basisEnergyNj = (PLATFORM_BASIS_HEADS * energy.total) / 1000;
  const powerMw = energy.total / latencyNs; // pJ/ns = mW
  return {
    provenance: context.provenance,
    config: { ...c, heads },
    technology: t,
    method:
      `One head simulated cycle-accurately over ${m.tokens} tokens; event counters and time differenced between the results of tokens ` +
      `${m.firstMeasured - 1} and ${m.tokens - 2} (${m.measuredTokens} tokens, window full); each event priced by its law (docs/ledger.md). ` +
      `Heads are identical and run in parallel, so a layer is ${heads} × one head; a model is ${layers} layers in sequence.`,
    tokensSimulated: m.tokens,
    tokensMeasured: m.measuredTokens,
    cyclesPerToken: cyclesPerToken(c),
    latencyNsPerToken: latencyNs,
    eventsPerTokenPerHead: m.perToken,
    energyPjPerTokenPerHead: energy,
    powerMwPerHead: powerMw,
    throughput: throughputOf(c, energy.total, latencyNs, layers),
    accuracy: context.accuracy,
    blocksPerHead: m.blocks,
    areaMm2ByBlockPerHead: area,
    areaMm2PerHead: area.total,
    heads,
    layers,
    perLayer: { latencyNs, energyNj: layerEnergyNj, powerW: (heads * powerMw) / 1000, areaMm2: heads * area.total },
    perModel: { latencyNs: layers * latencyNs, energyNj: layers * layerEnergyNj, powerW: (heads * powerMw) / 1000, areaMm2: layers * heads * area.total },
    comparison: { basis: PLATFORM_BASIS, heads: PLATFORM_BASIS_HEADS, latencyNs, energyNj: basisEnergyNj },
    platforms: PLATFORMS.map((p) => ({
      ...p,
      speedup: (p.latencyUs * 1000) / latencyNs,
      energyGain: (p.energyMj * 1e6) / basisEnergyNj,
    })),
  };
}
