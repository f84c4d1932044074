// Where a sweep keeps its points: DIR/sweep-definition.json (everything the figures depend on, and
// its hash) and one DIR/points/NNNNNN.json record per finished point, each written whole (temporary
// file, then rename), so a run stopped at any point keeps what it finished and a rerun, a shard
// or a merge picks up exactly those.
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { AcceleratorConfig } from "../arch/config.js";
import { causeOf, existingFolder, writeWholeFile } from "../engine/OutputFile.js";
import type { ChipSpec } from "../chipSpec.js";
import type { RecallPlan } from "../recall/api.js";
import { ConfigError, FileFormatError, GaincellError } from "../errors.js";
import { readJsonFile } from "../jsonFile.js";
import { configHash } from "./provenance.js";
import type { SweepAxis } from "./sweepGrid.js";
import type { BlockSource } from "../arch/blocks.js";
import type { PointResult, SweepChip } from "./sweepPoint.js";
import type { Technology } from "./technology.js";

/** Everything a sweep's figures depend on, and the command that stated it. */
export interface SweepDefinition {
  /** The sweep's command line without where it writes or how it is split (--out, --shard, --jobs, --slurm, --shards). */
  command: string;
  base: AcceleratorConfig;
  axes: SweepAxis[];
  technology: Technology;
  /** Tokens measured per point with the window full (energy, time and accuracy). */
  tokens: number;
  seed: number;
  accuracy: boolean;
  /** The ledger's realised chip at every point (docs/model.md §7): absent for the ideal chip (a recall sweep's chip is in `recall`). */
  chip?: SweepChip;
  /** Present when the sweep measures associative recall (docs/recall.md) instead of the ledger. */
  recall?: RecallSweep;
  /** The user's blocks every point is built from (--blocks, docs/library.md); the project's when absent. */
  blocks?: BlockSource;
}

/** What a recall sweep runs at every point (the axes change the configuration and the chip). */
export interface RecallSweep {
  /** The workload; distances null: each point's default for its window. */
  plan: Omit<RecallPlan, "distances"> & { distances: number[] | null };
  /** The chip every point starts from. */
  chip: ChipSpec;
  chips: number;
  cycleAccurate: boolean;
}

/** The hash of a definition: of what the figures depend on (not the command's spelling); a ledger sweep of the ideal chip hashes as before chips and recall sweeps existed. */
export function definitionHash(d: SweepDefinition): string {
  const { provenance: _, ...tech } = d.technology;
  return configHash({ base: d.base, axes: d.axes, tech, tokens: d.tokens, seed: d.seed, accuracy: d.accuracy, ...(d.chip && { chip: d.chip }), ...(d.recall && { recall: d.recall }), ...(d.blocks && { blocks: d.blocks }) });
}

/** What became of one point: its measurement, or the error that stopped it. */
export type PointOutcome = { result: PointResult; error?: undefined } | { result?: undefined; error: string };

/** One finished point as stored. */
export interface PointRecord {
  sweep: string;
  index: number;
  label: string;
  outcome: PointOutcome;
}

const DEFINITION = "sweep-definition.json";
const POINTS = "points";
const recordName = (index: number) => `${String(index).padStart(6, "0")}.json`;

/** A folder of point records for one sweep definition. */
export class SweepStore {
  readonly hash: string;

  private constructor(readonly dir: string, readonly definition: SweepDefinition) {
    this.hash = definitionHash(definition);
  }

  /** Opens `dir` for `definition`: creates it, or checks that what it holds is of the same sweep. */
  static create(dir: string, definition: SweepDefinition): SweepStore {
    const store = new SweepStore(dir, definition);
    const file = join(dir, DEFINITION);
    if (existsSync(file)) {
      const held = SweepStore.open(dir);
      if (held.hash !== store.hash) {
        throw new ConfigError(file, `holds the points of another sweep (${held.definition.command}; hash ${held.hash}, this one ${store.hash}): give another --out or remove the folder`);
      }
      return held;
    }
    existingFolder(dir, dir, true); // a file in its place, a read-only disk: one line naming the cause
    try {
      mkdirSync(join(dir, POINTS), { recursive: true });
    } catch (e) {
      throw new FileFormatError(dir, `cannot create the output folder: ${causeOf(e)}`);
    }
    writeWholeFile(file, JSON.stringify({ hash: store.hash, definition }, null, 2) + "\n");
    return store;
  }

  /** Opens an existing store (a shard's folder, for a merge). */
  static open(dir: string): SweepStore {
    const file = join(dir, DEFINITION);
    if (!existsSync(file)) throw new FileFormatError(dir, `holds no ${DEFINITION}: not the --out folder of a sweep or a shard`);
    const held = readJsonFile(file) as { hash?: string; definition?: SweepDefinition };
    if (typeof held?.hash !== "string" || typeof held.definition?.command !== "string") throw new FileFormatError(file, "is not a sweep definition");
    const store = new SweepStore(dir, held.definition);
    if (store.hash !== held.hash) throw new FileFormatError(file, `its definition hashes to ${store.hash}, not the ${held.hash} it states: the file was edited`);
    return store;
  }

  /** Indices of the points recorded so far. */
  done(): Set<number> {
    const dir = join(this.dir, POINTS);
    if (!existsSync(dir)) return new Set();
    return new Set(readdirSync(dir).filter((f) => /^\d{6}\.json$/.test(f)).map((f) => Number(f.slice(0, 6))));
  }

  /** Records a finished point. */
  record(index: number, label: string, outcome: PointOutcome): void {
    const r: PointRecord = { sweep: this.hash, index, label, outcome };
    writeWholeFile(join(this.dir, POINTS, recordName(index)), JSON.stringify(r) + "\n");
  }

  /** The record of point `index`. */
  read(index: number): PointRecord {
    const file = join(this.dir, POINTS, recordName(index));
    const r = readJsonFile(file) as PointRecord;
    if (r?.sweep !== this.hash || r.index !== index) throw new FileFormatError(file, `is not point ${index} of sweep ${this.hash}`);
    return r;
  }
}

/**
 * The records of every point of a sweep of `points` points, from one or more stores of the same
 * definition (a sweep's folder, or its shards' for a merge); an error names the missing points.
 */
export function collectRecords(stores: readonly SweepStore[], labels: readonly string[]): PointRecord[] {
  const [first] = stores;
  for (const s of stores) {
    if (s.hash !== first.hash) {
      throw new ConfigError(s.dir, `is a shard of another sweep (hash ${s.hash}: ${s.definition.command}) than ${first.dir} (hash ${first.hash}: ${first.definition.command})`);
    }
  }
  const holder = new Map<number, SweepStore>();
  for (const s of stores) for (const i of s.done()) if (!holder.has(i)) holder.set(i, s);
  const missing = labels.map((label, i) => [i, label] as const).filter(([i]) => !holder.has(i));
  if (missing.length > 0) {
    const shown = missing.slice(0, 5).map(([i, label]) => `${i} (${label})`).join(", ");
    throw new GaincellError(`${missing.length} of ${labels.length} points have no record in ${stores.map((s) => s.dir).join(", ")}: ${shown}${missing.length > 5 ? ", …" : ""}; run the shards that hold them (a shard skips the points it has done)`);
  }
  return labels.map((_, i) => holder.get(i)!.read(i));
}

/** One slice of a grid: point p belongs to shard p mod count. */
export interface Shard {
  index: number;
  count: number;
}

/**
 * Parses `--shard I/N`. Either part may be `auto`: I from SLURM_ARRAY_TASK_ID (less
 * SLURM_ARRAY_TASK_MIN) or Kubernetes' JOB_COMPLETION_INDEX, N from SLURM_ARRAY_TASK_COUNT;
 * `auto` alone is `auto/auto`. Never implicit: a sweep run inside some other array job is not sliced.
 */
export function parseShard(text: string, env: NodeJS.ProcessEnv = process.env): Shard {
  const [iText, nText] = text === "auto" ? ["auto", "auto"] : text.split("/");
  const whole = (s: string | undefined, what: string) => {
    if (s === undefined || !/^\d+$/.test(s.trim())) throw new ConfigError("--shard", `${what} "${s ?? ""}" is not a whole number (--shard I/N, e.g. 0/4, or auto)`);
    return Number(s);
  };
  let index: number;
  if (iText === "auto") {
    if (env.SLURM_ARRAY_TASK_ID !== undefined) index = whole(env.SLURM_ARRAY_TASK_ID, "SLURM_ARRAY_TASK_ID") - whole(env.SLURM_ARRAY_TASK_MIN ?? "0", "SLURM_ARRAY_TASK_MIN");
    else if (env.JOB_COMPLETION_INDEX !== undefined) index = whole(env.JOB_COMPLETION_INDEX, "JOB_COMPLETION_INDEX");
    else throw new ConfigError("--shard", "auto: neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set; give --shard I/N");
  } else index = whole(iText, "I");
  let count: number;
  if (nText === "auto") {
    if (env.SLURM_ARRAY_TASK_COUNT === undefined) throw new ConfigError("--shard", "N auto: SLURM_ARRAY_TASK_COUNT is not set; give N (e.g. --shard auto/8 under Kubernetes)");
    count = whole(env.SLURM_ARRAY_TASK_COUNT, "SLURM_ARRAY_TASK_COUNT");
  } else count = whole(nText, "N");
  if (count < 1 || index >= count) throw new ConfigError("--shard", `${index}/${count}: I must be in 0..N−1 and N at least 1`);
  return { index, count };
}
