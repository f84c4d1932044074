// The ledger: prices a steady-state measurement with a technology description (docs/model.md §4) and scales
// one head to a layer and a model; compares against the platforms of docs/model.md §5. Pure arithmetic.
import { cyclesPerToken, type AcceleratorConfig } from "../arch/config.js";
import type { BlockCounts } from "./blocks.js";
import type { EventCounts } from "./events.js";
import { PLATFORM_BASIS, PLATFORM_BASIS_HEADS, PLATFORMS } from "./platforms.js";
import type { SteadyState } from "./measure.js";
import type { Technology } from "./technology.js";

/** Energy per token of one head by component, pJ. */
export interface EnergySplit {
  stage1: number;
  stage2: number;
  write: number;
  control: number;
  total: number;
}

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

/** Everything `gaincell report` states; the JSON form is this object. */
export interface Ledger {
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
  blocksPerHead: BlockCounts;
  areaMm2ByBlockPerHead: AreaSplit;
  areaMm2PerHead: number;
  heads: number;
  layers: number;
  perLayer: { latencyNs: number; energyNj: number; areaMm2: number };
  perModel: { latencyNs: number; energyNj: number; areaMm2: number };
  comparison: { basis: string; heads: number; latencyNs: number; energyNj: number };
  platforms: PlatformComparison[];
}

/** Energy per token of one head: each event kind times its price. */
export function priceEvents(e: EventCounts, t: Technology): EnergySplit {
  const stage1 = e.stage1Columns * t.stage1PjPerColumn;
  const stage2 = e.stage2Columns * t.stage2PjPerColumn;
  const write = e.cellsWritten * t.writePjPerCell;
  const control = e.controlCycles * t.controlPjPerCycle;
  return { stage1, stage2, write, control, total: stage1 + stage2 + write + control };
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

/** The full ledger of a measurement: per head, per layer (`heads`), per model (`layers`), vs docs/model.md §5. */
export function buildLedger(c: AcceleratorConfig, m: SteadyState, t: Technology, heads: number, layers: number): Ledger {
  const energy = priceEvents(m.perToken, t);
  const area = priceBlocks(m.blocks, t);
  const latencyNs = m.tokenPs / 1000;
  // heads run in parallel within a layer (docs/model.md §2); layers follow one another for a token
  const layerEnergyNj = (heads * energy.total) / 1000;
  const basisEnergyNj = (PLATFORM_BASIS_HEADS * energy.total) / 1000;
  return {
    config: { ...c, heads },
    technology: t,
    method:
      `One head simulated cycle-accurately over ${m.tokens} tokens; event counters and time differenced between the results of tokens ` +
      `${c.windowM - 1} and ${m.tokens - 2} (${m.measuredTokens} tokens, window full). Heads are identical and run in parallel, ` +
      `so a layer is ${heads} × one head; a model is ${layers} layers in sequence.`,
    tokensSimulated: m.tokens,
    tokensMeasured: m.measuredTokens,
    cyclesPerToken: cyclesPerToken(c),
    latencyNsPerToken: latencyNs,
    eventsPerTokenPerHead: m.perToken,
    energyPjPerTokenPerHead: energy,
    blocksPerHead: m.blocks,
    areaMm2ByBlockPerHead: area,
    areaMm2PerHead: area.total,
    heads,
    layers,
    perLayer: { latencyNs, energyNj: layerEnergyNj, areaMm2: heads * area.total },
    perModel: { latencyNs: layers * latencyNs, energyNj: layers * layerEnergyNj, areaMm2: layers * heads * area.total },
    comparison: { basis: PLATFORM_BASIS, heads: PLATFORM_BASIS_HEADS, latencyNs, energyNj: basisEnergyNj },
    platforms: PLATFORMS.map((p) => ({
      ...p,
      speedup: (p.latencyUs * 1000) / latencyNs,
      energyGain: (p.energyMj * 1e6) / basisEnergyNj,
    })),
  };
}
