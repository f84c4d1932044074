// Coverage: functional coverage of a design, a SystemVerilog covergroup sampled at the rising edge
// of a clock: cover points with value, range and transition bins, crosses of two points. It reads
// signals and drives none; `report()` gives the hits, which merge across runs (coverageReport.ts).
import { Module } from "../engine/Module.js";
import type { Bit } from "../engine/Signal.js";
import { ElaborationError } from "../errors.js";
import type { CoverageReport, CoverItem } from "./coverageReport.js";
import { term, type Operand, type Term } from "./terms.js";
import { TermSchedule, type ValueNames } from "./values.js";

/** A bin: the values it counts (a list, or min..max), or a transition between consecutive samples. */
export type BinSpec =
  | { name: string; values: readonly number[] }
  | { name: string; min: number; max: number }
  | { name: string; from: number; to: number };

/** Value bins named after the values, one per value lo..hi. */
export function valueBins(lo: number, hi: number): BinSpec[] {
  return Array.from({ length: hi - lo + 1 }, (_, i) => ({ name: String(lo + i), values: [lo + i] }));
}

/** A cover point: bins over the values of one or more operands (each sampled on its own, like instances of one covergroup type). */
export class CoverPoint {
  /** Values sampled, over all operands. */
  samples = 0;
  readonly hits: Float64Array;
  /** Per operand: the tick it was last sampled at (−1 before) and the value bin its value fell in first (−1 if none). */
  readonly sampledAt: Int32Array;
  readonly lastBin: Int32Array;
  private readonly previous: Float64Array;
  // the value bins (their index in `bins` and what they count) and the transition bins
  private readonly valueBins: { bin: number; lo: number; hi: number; values?: readonly number[] }[] = [];
  private readonly transitions: { from: number; to: number; bin: number }[] = [];

  /** `iff[k]`, when not null, gates operand k's sampling. */
  constructor(readonly name: string, readonly operands: readonly Term[], readonly bins: readonly BinSpec[], readonly iff: readonly (Term | null)[]) {
    this.hits = new Float64Array(bins.length);
    this.sampledAt = new Int32Array(operands.length).fill(-1);
    this.lastBin = new Int32Array(operands.length);
    this.previous = new Float64Array(operands.length);
    bins.forEach((b, i) => {
      if ("from" in b) this.transitions.push({ from: b.from, to: b.to, bin: i });
      else if ("values" in b) this.valueBins.push({ bin: i, lo: Math.min(...b.values), hi: Math.max(...b.values), values: b.values });
      else this.valueBins.push({ bin: i, lo: b.min, hi: b.max });
    });
  }

  /** The value bins' indices in `bins`, in order. */
  get valueBinIndices(): number[] {
    return this.valueBins.map((b) => b.bin);
  }

  /** Counts this tick's values of the operands whose `iff` holds; transitions from each operand's previous sample. */
  sample(tick: number): void {
    const vb = this.valueBins;
    for (let k = 0; k < this.operands.length; k++) {
      const guard = this.iff[k];
      if (guard !== null && guard.value === 0) continue;
      this.samples++;
      const v = this.operands[k].value;
      let first = -1;
      for (let i = 0; i < vb.length; i++) {
        const b = vb[i];
        if (v < b.lo || v > b.hi || (b.values !== undefined && !b.values.includes(v))) continue;
        this.hits[b.bin]++;
        if (first < 0) first = i;
      }
      this.lastBin[k] = first;
      if (this.sampledAt[k] >= 0) {
        const p = this.previous[k];
        const tr = this.transitions;
        for (let i = 0; i < tr.length; i++) if (tr[i].from === p && tr[i].to === v) this.hits[tr[i].bin]++;
      }
      this.previous[k] = v;
      this.sampledAt[k] = tick;
    }
  }

  /** Hits per bin, by name. */
  item(): CoverItem {
    return { name: this.name, kind: "point", samples: this.samples, bins: this.bins.map((b, i) => ({ name: b.name, hits: this.hits[i] })) };
  }
}

/** A cross of two points sampled at the same ticks: one bin per pair of their value bins. */
export class CoverCross {
  readonly hits: Float64Array;
  samples = 0;
  private readonly aBins: number[];
  private readonly bBins: number[];

  constructor(readonly name: string, readonly a: CoverPoint, readonly b: CoverPoint, private readonly ignore: (a: string, b: string) => boolean) {
    if (a.operands.length !== b.operands.length) {
      throw new ElaborationError(`${name}: a cross pairs the operands of ${a.name} (${a.operands.length}) and ${b.name} (${b.operands.length}) one to one; they differ in number`);
    }
    this.aBins = a.valueBinIndices;
    this.bBins = b.valueBinIndices;
    this.hits = new Float64Array(this.aBins.length * this.bBins.length);
  }

  /** Counts the pairs of bins operand k of both points fell in, where both sampled it at this tick. */
  sample(tick: number): void {
    const { a, b } = this;
    const n = this.bBins.length;
    for (let k = 0; k < a.lastBin.length; k++) {
      if (a.sampledAt[k] !== tick || b.sampledAt[k] !== tick) continue;
      this.samples++;
      const i = a.lastBin[k];
      const j = b.lastBin[k];
      if (i >= 0 && j >= 0) this.hits[i * n + j]++;
    }
  }

  /** Hits per pair of bins, named `a × b`, without the ignored pairs. */
  item(): CoverItem {
    const bins: { name: string; hits: number }[] = [];
    this.aBins.forEach((ia, i) => this.bBins.forEach((ib, j) => {
      const na = this.a.bins[ia].name;
      const nb = this.b.bins[ib].name;
      if (!this.ignore(na, nb)) bins.push({ name: `${na} × ${nb}`, hits: this.hits[i * this.bBins.length + j] });
    }));
    return { name: this.name, kind: "cross", samples: this.samples, bins };
  }
}

/** Options of a cover point. */
export interface CoverPointOptions {
  /** Sample only at ticks where this holds (SystemVerilog's `iff`); a list gates each operand with its own. */
  iff?: Operand | readonly Operand[];
}

/** Cover points and crosses sampled at `clk`'s rising edges. */
export class Coverage extends Module {
  private readonly points: CoverPoint[] = [];
  private readonly crosses: CoverCross[] = [];
  private readonly schedule = new TermSchedule();
  private ticks = 0;

  constructor(parent: Module, name: string, readonly clk: Bit) {
    super(parent, name);
    // the cover points added later read more signals: the list grows until the design is elaborated
    this.always(clk.posedge, [], () => this.tick(), { label: "sample", reads: this.schedule.signals });
  }

  /** A point over one operand or several (each sampled on its own), with `bins`. */
  point(name: string, operands: Operand | readonly Operand[], bins: readonly BinSpec[], options: CoverPointOptions = {}): CoverPoint {
    this.checkName(name);
    const list = (Array.isArray(operands) ? operands : [operands]).map(term);
    const iff = options.iff;
    const shared = iff === undefined || Array.isArray(iff) ? null : term(iff as Operand);
    const guards = Array.isArray(iff) ? iff.map(term) : list.map(() => shared);
    if (guards.length !== list.length) throw new ElaborationError(`${this.path}.${name}: ${guards.length} iff guards for ${list.length} operands; give one, or one per operand`);
    const p = new CoverPoint(name, list, bins, guards);
    [...list, ...guards].forEach((t) => t !== null && this.schedule.add(t));
    this.points.push(p);
    return p;
  }

  /** A state machine: a bin per named state and one per transition `arcs` lists, e.g. [[0, 1], [1, 2]]. */
  fsm(name: string, states: Operand | readonly Operand[], names: ValueNames, arcs: readonly (readonly [number, number])[], options: CoverPointOptions = {}): CoverPoint {
    const label = (v: number) => names.get(v) ?? String(v);
    const bins: BinSpec[] = [...names].map(([value, n]) => ({ name: n, values: [value] }));
    for (const [from, to] of arcs) bins.push({ name: `${label(from)} -> ${label(to)}`, from, to });
    return this.point(name, states, bins, options);
  }

  /** The cross of two points sampled together; `ignore(a, b)` leaves out impossible pairs (SystemVerilog's ignore_bins). */
  cross(name: string, a: CoverPoint, b: CoverPoint, ignore: (a: string, b: string) => boolean = () => false): CoverCross {
    this.checkName(name);
    const c = new CoverCross(name, a, b, ignore);
    this.crosses.push(c);
    return c;
  }

  /** The hits so far. */
  report(): CoverageReport {
    return { items: [...this.points.map((p) => p.item()), ...this.crosses.map((c) => c.item())] };
  }

  private checkName(name: string): void {
    if ([...this.points, ...this.crosses].some((x) => x.name === name)) throw new ElaborationError(`${this.path}: a cover point or cross named ${name} exists already`);
  }

  private tick(): void {
    this.schedule.sample();
    for (let i = 0; i < this.points.length; i++) this.points[i].sample(this.ticks);
    for (let i = 0; i < this.crosses.length; i++) this.crosses[i].sample(this.ticks);
    this.ticks++;
  }
}
