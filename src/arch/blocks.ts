// The analog blocks a head is built from, by their ports (docs/architecture.md: arch wires ports, not
// classes; docs/library.md "Swappable blocks"): one interface per block kind, and the record of
// factories the builders take, the project's blocks by default.
import { ChargeToPulseConverter } from "../analog/ChargeToPulseConverter.js";
import { GainCellArray } from "../analog/GainCellArray.js";
import type { CpcParams, EventNoise, GainCellArrayParams, PwmDriverParams, PwmJitter, RealisedArray, SignedCpcParams, WriteDriverParams } from "../analog/params.js";
import { PwmDriver } from "../analog/PwmDriver.js";
import { SignedChargeToPulseConverter } from "../analog/SignedChargeToPulseConverter.js";
import { WriteDriver } from "../analog/WriteDriver.js";
import type { Module } from "../engine/Module.js";
import { ConfigError } from "../errors.js";
import type { Bit, Real, Vec, WideVec } from "../engine/Signal.js";

/** The K and V DACs of a head's rows (WriteDriver): k and v codes in, a bit line per row out. */
export interface WriteDriverPorts {
  readonly write: Bit;
  readonly kCodes: WideVec;
  readonly vCodes: WideVec;
  /** K bit lines, V, one per row (`blk_<d>`). */
  readonly blk: readonly Real[];
  /** V bit lines, V, one per row (`blv_<d>`). */
  readonly blv: readonly Real[];
}

/** One K row's read-word-line PWM driver (PwmDriver): q code in, a pulse and its width out. */
export interface PwmDriverPorts {
  readonly code: Vec;
  readonly phase1: Bit;
  readonly rwl: Bit;
  /** Pulse width, ps, from the rise of phase1: what the K array integrates. */
  readonly width: Real;
}

/**
 * A K or V gain-cell array (GainCellArray). K: a width per row (q pulses), a charge per column; V: a
 * width per column (φ pulses), a charge per row; so it holds widths.length × charges.length cells.
 */
export interface GainCellArrayPorts {
  readonly write: Bit;
  readonly token: Vec;
  readonly subTile: Vec;
  readonly column: Vec;
  readonly precharge: Bit;
  readonly phase: Bit;
  readonly bitLines: readonly Real[];
  readonly widths: readonly Real[];
  readonly charges: readonly Real[];
}

/** One K column's charge-to-pulse converter (CpcColumn). */
export interface CpcPorts {
  readonly charge: Real;
  /** The PHASE 2 strobe; the row's columns share the net of column 0's. */
  readonly phase2: Bit;
  readonly pulse: Bit;
  /** φ, ps: what the V array integrates. */
  readonly width: Real;
  readonly saturated: Bit;
}

/** A sub-tile's row of CPCs, one per K column (ChargeToPulseConverter). */
export interface CpcRowPorts {
  readonly columns: readonly CpcPorts[];
}

/** One V row's signed CPC + counter (SignedCpcColumn). */
export interface SignedCpcPorts {
  readonly charge: Real;
  /** The CONVERT strobe; the row's converters share the net of converter 0's. */
  readonly convert: Bit;
  readonly sign: Bit;
  readonly count: Vec;
  /** High while the counter runs. */
  readonly discharging: Bit;
}

/** A sub-tile's row of signed CPCs, one per V row (SignedChargeToPulseConverter). */
export interface SignedCpcRowPorts {
  readonly columns: readonly SignedCpcPorts[];
}

/**
 * How a head makes each analog block: given its parent, its name, its parameters (units and docs
 * sections on the params types) and its slice of a realised chip (undefined on the ideal chip), a
 * factory returns a module with that kind's ports. Count events for the ledger with the kinds of
 * report/events.ts (Module.eventCounter) to have them priced.
 */
export interface BlockFactories {
  writeDriver(parent: Module, name: string, params: WriteDriverParams, writeNoise: EventNoise | undefined): WriteDriverPorts;
  pwmDriver(parent: Module, name: string, params: PwmDriverParams, jitter: PwmJitter | undefined): PwmDriverPorts;
  gainCellArray(parent: Module, name: string, params: GainCellArrayParams, chip: RealisedArray | undefined): GainCellArrayPorts;
  /** `columns` CPCs named `<name>[j]` beside the row; `offsets` are a realised chip's S_off per column. */
  cpcRow(parent: Module, name: string, columns: number, params: CpcParams, offsets: Float64Array | undefined): CpcRowPorts;
  /** `rows` signed CPCs named `<name>[d]` beside the row; `offsets` are a realised chip's per row. */
  signedCpcRow(parent: Module, name: string, rows: number, params: SignedCpcParams, offsets: Float64Array | undefined): SignedCpcRowPorts;
}

/** The project's blocks. */
export const DEFAULT_BLOCKS: Readonly<BlockFactories> = Object.freeze({
  writeDriver: (parent, name, params, writeNoise) => new WriteDriver(parent, name, params, writeNoise),
  pwmDriver: (parent, name, params, jitter) => new PwmDriver(parent, name, params, jitter),
  gainCellArray: (parent, name, params, chip) => new GainCellArray(parent, name, params, chip),
  cpcRow: (parent, name, columns, params, offsets) => new ChargeToPulseConverter(parent, name, columns, params, offsets),
  signedCpcRow: (parent, name, rows, params, offsets) => new SignedChargeToPulseConverter(parent, name, rows, params, offsets),
} satisfies BlockFactories);

/** The project's blocks with some replaced. */
export function withBlocks(swapped: Partial<BlockFactories> = {}): BlockFactories {
  return { ...DEFAULT_BLOCKS, ...swapped };
}

/**
 * Where swapped blocks are found, as plain data (it crosses to a worker thread, which cannot be
 * handed functions): a package specifier or an absolute file URL (`pathToFileURL(path).href`; a
 * relative one would resolve from this file), and the name of its export, a Partial<BlockFactories>.
 */
export interface BlockSource {
  module: string;
  export: string;
  /** SHA-256 of the file's bytes when the module is a file (not what it imports): a sweep's definition and a report's provenance then change when it is edited. */
  sha256?: string;
}

const KINDS: readonly string[] = Object.keys(DEFAULT_BLOCKS);

/** Imports the factories `source` names; a ConfigError naming the module, export or key when they are not factories. */
export async function loadBlocks(source: BlockSource): Promise<Partial<BlockFactories>> {
  const where = `${source.module}#${source.export}`;
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(source.module)) as Record<string, unknown>;
  } catch (e) {
    throw new ConfigError("blocks", `${source.module} could not be imported: ${(e as Error).message}`);
  }
  const blocks = loaded[source.export];
  if (typeof blocks !== "object" || blocks === null) throw new ConfigError("blocks", `${where} is not exported as a record of block factories`);
  for (const [kind, factory] of Object.entries(blocks)) {
    if (!KINDS.includes(kind)) throw new ConfigError("blocks", `${where}: "${kind}" is not a block kind; expected one of ${KINDS.join(", ")}`);
    if (typeof factory !== "function") throw new ConfigError("blocks", `${where}: ${kind} is a ${typeof factory}, expected a factory function`);
  }
  return blocks as Partial<BlockFactories>;
}

// Blocks imported in this thread, by module and export: a thread imports a source once for all its heads.
const imported = new Map<string, Promise<Partial<BlockFactories>>>();

/** The project's blocks with those of `source` swapped in, imported once per thread (loadBlocks); the project's without a source. */
export async function importBlocks(source: BlockSource | undefined): Promise<BlockFactories> {
  if (source === undefined) return DEFAULT_BLOCKS;
  const key = `${source.module}#${source.export}`;
  let blocks = imported.get(key);
  if (blocks === undefined) imported.set(key, (blocks = loadBlocks(source)));
  return withBlocks(await blocks);
}
