// The public API of gaincell (`import { … } from "gaincell"`): re-exports only. The verification kit
// is `gaincell/verify` (src/verify/index.ts); docs/verification.md and the README describe both.

// The engine: modules, signals, the simulator, traces (docs/architecture.md)
export { MAX_TIME_PS, NARROW_MAX_WIDTH, SignalKind, Trigger } from "./engine/api.js";
export type { Scheduler, SimulatorOptions, TimePs, TraceSink } from "./engine/api.js";
export { Module } from "./engine/Module.js";
export { EventCounter, Process, Timer } from "./engine/Process.js";
export type { ClockSpec } from "./engine/Module.js";
export { Bit, Edge, Real, Signal, Vec, WideVec } from "./engine/Signal.js";
export type { RealBus, VecBus } from "./engine/Bus.js";
export type { Direction, SignalOwner } from "./engine/Signal.js";
export { Simulator } from "./engine/Simulator.js";
export type { Elaborated, Net } from "./engine/Elaboration.js";
export { runInterruptible } from "./engine/runInterruptible.js";
export type { RunOptions, RunOutcome } from "./engine/runInterruptible.js";
export { traceName, VcdTrace } from "./engine/VcdTrace.js";
export type { VcdOptions } from "./engine/VcdTrace.js";
export { canonicalBits, parseVcd, VcdDocument } from "./engine/VcdReader.js";
export type { VcdChange, VcdVar } from "./engine/VcdReader.js";
export { gtkwName, gtkwSaveFileText, writeGtkwSaveFile } from "./engine/GtkwSaveFile.js";
export type { GtkwFormat, GtkwGroup, GtkwOptions } from "./engine/GtkwSaveFile.js";
export { ConfigError, DriverConflict, ElaborationError, FileFormatError, GaincellError, SignalValueError, SimulationError } from "./errors.js";

// The shared laws: the paper's constants, device law, retention, quantiser (docs/model.md §1–§3)
export {
  CLOCK_PERIOD_PS, HEAD_DIM, LAMBDA_PER_TOKEN, LEVELS_KV, LEVELS_OUT, LEVELS_Q, PHASE_CYCLES, S_SAT, T_MAX_PS, TILE, VDD_V, WINDOW_M, ZERO_POINT_V,
} from "./laws/constants.js";
export { cellRead, g, gDecayed, retention } from "./laws/deviceLaw.js";
export type { Nonlinearity } from "./laws/deviceLaw.js";
export { gridCode, gridValue, kvGrid, outGrid, qGrid, quantise, quantiseCode } from "./laws/quantise.js";
export type { QuantGrid } from "./laws/quantise.js";

// A realised chip: variation, realisation, token timing (docs/model.md §7)
export { checkSeed, IDEAL_VARIATION, isIdealVariation, validateVariation } from "./laws/variation.js";
export type { Variation } from "./laws/variation.js";
export { arrayShape, checkRealisation, drawRealisation, REALISATION_ARRAYS } from "./laws/realisation.js";
export type { ChipShape, Realisation, RealisationArray } from "./laws/realisation.js";
export { arrivalsWithGap, checkArrivals, scheduleOf, tokenTimes } from "./laws/tokenTiming.js";
export type { TokenSchedule, TokenTimes } from "./laws/tokenTiming.js";
export { readRealisation, writeRealisation } from "./realisationFiles.js";
export { cellRate, cpcFraction, jitteredPulse, NOT_STUCK, realisedCurrent, retentionInTime, signedCpcInput, storedVoltage, T_TOKEN_PS } from "./laws/nonideal.js";
export type { RetentionMode } from "./laws/nonideal.js";
export { CellReadout, hasOwnRates, idealCells } from "./laws/cellReadout.js";
export type { CellValues, ReadoutParams } from "./laws/cellReadout.js";
export { loadVariation, presetNames } from "./variationFile.js";
export type { LoadedVariation } from "./variationFile.js";

// The blocks (docs/model.md §1–§3)
export { GainCellArray } from "./analog/GainCellArray.js";
export { WriteDriver } from "./analog/WriteDriver.js";
export { PwmDriver } from "./analog/PwmDriver.js";
export { ChargeToPulseConverter, CpcColumn } from "./analog/ChargeToPulseConverter.js";
export { SignedChargeToPulseConverter, SignedCpcColumn } from "./analog/SignedChargeToPulseConverter.js";
export type { ArrayOrientation, CpcParams, EventNoise, GainCellArrayParams, PwmDriverParams, PwmJitter, RealisedArray, SignedCpcParams, WriteDriverParams } from "./analog/params.js";
export { TokenSequencer, SequencerState } from "./control/TokenSequencer.js";
export type { PhaseCycles, TokenBusWidths } from "./control/TokenSequencer.js";
export { SlotPointer } from "./control/SlotPointer.js";
export type { WindowGeometry } from "./control/SlotPointer.js";
export { Accumulator } from "./control/Accumulator.js";
export type { AccumulatorParams, SignedCount } from "./control/Accumulator.js";

// The accelerator: configuration, builder, run (docs/model.md §2, §3)
export { cyclesPerToken, DEFAULT_ACCELERATOR, functionalPart, loadAcceleratorConfig, PHASES, validateAccelerator } from "./arch/config.js";
export type { AcceleratorConfig } from "./arch/config.js";
export { AttentionLayer } from "./arch/AttentionLayer.js";
export { AttentionHead } from "./arch/AttentionHead.js";
export { DEFAULT_BLOCKS, loadBlocks, withBlocks } from "./arch/blocks.js";
export type {
  BlockFactories, BlockSource, CpcPorts, CpcRowPorts, GainCellArrayPorts, PwmDriverPorts, SignedCpcPorts, SignedCpcRowPorts, WriteDriverPorts,
} from "./arch/blocks.js";
export { SubTile } from "./arch/SubTile.js";
export { runAttention, tokenCodes } from "./arch/runAttention.js";
export { checkChip, functionalChip, headPart } from "./arch/chip.js";
export type { CheckedChip, HeadPart, LayerChip, SubTilePart } from "./arch/chip.js";
export type { AttentionInputs, AttentionRunOptions, AttentionRunResult } from "./arch/runAttention.js";
export { TokenSource } from "./arch/testbench/TokenSource.js";
export type { TokenCodes } from "./arch/testbench/TokenSource.js";
export { OutputCollector } from "./arch/testbench/OutputCollector.js";

// The functional model (docs/model.md §1)
export { DEFAULT_CONFIG, validateConfig } from "./functional/api.js";
export type { ChipOptions, FunctionalConfig, FunctionalResult, FunctionalWants } from "./functional/api.js";
export { attendFunctional, attendFunctionalHeads } from "./functional/attention.js";
export type { FunctionalHeadsResult } from "./functional/attention.js";

// Associative recall (docs/recall.md)
export { IDEAL_CHIP, chipOptionsFor } from "./chipSpec.js";
export type { ChipSpec } from "./chipSpec.js";
export type { BreakEven, Capacity, ChipRecall, RecallEncoding, RecallPlan, RecallPoint, RecallResult, RecallSetting } from "./recall/api.js";
export { defaultDistances, recallEncoding } from "./recall/encoding.js";
export { measureRecall, recallWorkload } from "./recall/measure.js";
export { recallStream } from "./recall/stream.js";
export type { RecallEvent, RecallStream } from "./recall/stream.js";

// The ledger: energy, latency and area per token (docs/model.md §4, §5)
export { buildLedger } from "./report/ledger.js";
export type { AreaSplit, Ledger, PlatformComparison, Throughput } from "./report/ledger.js";
export { COMPONENTS, ENERGY_PARTS, priceEvents } from "./report/energy.js";
export type { Component, EnergyPart, EnergySplit, PricedPart } from "./report/energy.js";
export { measureSteadyState } from "./report/measure.js";
export type { MeasureOptions, SteadyState } from "./report/measure.js";
export { DEFAULT_TECHNOLOGY, loadTechnology, validateTechnology } from "./report/technology.js";
export type { Technology } from "./report/technology.js";
export { countEvents, EVENT_KINDS } from "./report/events.js";
export type { EventCounts, EventKind } from "./report/events.js";
export { countBlocks } from "./report/blocks.js";
export type { BlockCounts, HeadBlocks } from "./report/blocks.js";
export { formatLedger } from "./report/format.js";
export type { Format } from "./report/format.js";
