// Typed signal handles: a 1-bit signal, unsigned vectors of any width, and real-valued analog nodes.
// A handle is declared by a module, bound to a net id at elaboration, and reads/writes the store.
import { ElaborationError } from "./errors.js";
import { SignalKind, Trigger } from "./api.js";
import type { SignalStore } from "./SignalStore.js";

/** Whatever owns a signal: gives it a place in the hierarchy. */
export interface SignalOwner {
  readonly path: string;
}

/** Port direction, or internal to its module. */
export type Direction = "in" | "out" | "internal";

const UNBOUND = new Float64Array(0);

/** Common part of every signal handle: name, kind, width, net id. */
export abstract class Signal {
  /** Net id, fixed at elaboration (−1 before). */
  id = -1;
  /** Index among the handles of its design, set by the elaborator (a Map keyed by handles costs more). */
  slot = -1;
  protected store: SignalStore | null = null;
  protected cur: Float64Array = UNBOUND;

  constructor(
    readonly owner: SignalOwner,
    readonly name: string,
    readonly kind: SignalKind,
    readonly width: number,
    readonly direction: Direction,
    readonly unit: string,
  ) {}

  /** Full hierarchical name, e.g. `top.sub[3].cell.q`. */
  get path(): string {
    return `${this.owner.path}.${this.name}`;
  }

  /** Attaches the handle to its net; called once by the elaborator. */
  bind(store: SignalStore, id: number): void {
    if (this.store !== null) throw new ElaborationError(`${this.path}: bound twice`);
    this.store = store;
    this.cur = store.cur;
    this.id = id;
  }

  /** Value before the first time step. */
  abstract readonly init: number | bigint;
}

/** An edge of a 1-bit signal that a clocked process waits for: rising, falling or either. */
export class Edge {
  constructor(readonly signal: Bit, readonly trigger: Trigger.Posedge | Trigger.Negedge | Trigger.AnyEdge) {}
}

/** 1-bit logic signal. */
export class Bit extends Signal {
  // The edges, made when first asked for: most bits of a large design never clock anything.
  private edges: [Edge | null, Edge | null, Edge | null] | null = null;

  constructor(owner: SignalOwner, name: string, direction: Direction, readonly init = 0) {
    super(owner, name, SignalKind.Bit, 1, direction, "");
  }

  /** Rising edge, for clocked processes. */
  get posedge(): Edge {
    return this.edge(0, Trigger.Posedge);
  }

  /** Falling edge, for clocked processes. */
  get negedge(): Edge {
    return this.edge(1, Trigger.Negedge);
  }

  /** Either edge, for processes that act on both (SystemVerilog's `@(edge x)`). */
  get anyedge(): Edge {
    return this.edge(2, Trigger.AnyEdge);
  }

  private edge(i: number, trigger: Edge["trigger"]): Edge {
    const edges = (this.edges ??= [null, null, null]);
    return (edges[i] ??= new Edge(this, trigger));
  }

  /** Committed value, 0 or 1. */
  get(): number {
    return this.cur[this.id];
  }

  /** Drives 0 or 1 (the low bit of an integer, as Verilog truncates). */
  set(v: number): void {
    const b = v & 1;
    if (b !== v && !Number.isInteger(v)) this.store!.badValue(this.id, v, "an integer");
    this.store!.write(this.id, b);
  }

}

/** Unsigned vector of 1..32 bits; writes wrap modulo 2^width as in Verilog. */
export class Vec extends Signal {
  private readonly mask: number;

  constructor(owner: SignalOwner, name: string, width: number, direction: Direction, readonly init = 0) {
    super(owner, name, SignalKind.Vec, width, direction, "");
    this.mask = width === 32 ? 0xffffffff : (1 << width) - 1;
  }

  /** Committed value, 0 ≤ v < 2^width. */
  get(): number {
    return this.cur[this.id];
  }

  /** Drives an integer, wrapped to the width. */
  set(v: number): void {
    const m = (v & this.mask) >>> 0; // width 32: mask −1 gives int32, >>> 0 makes it unsigned
    if (m !== v && !Number.isInteger(v)) this.store!.badValue(this.id, v, "an integer");
    this.store!.write(this.id, m);
  }

}

/** Unsigned vector wider than 32 bits, stored as little-endian 32-bit words. */
export class WideVec extends Signal {
  /** Number of 32-bit words. */
  readonly words: number;
  private readonly topMask: number;

  constructor(owner: SignalOwner, name: string, width: number, direction: Direction, readonly init = 0n) {
    super(owner, name, SignalKind.WideVec, width, direction, "");
    this.words = Math.ceil(width / 32);
    const topBits = width - 32 * (this.words - 1);
    this.topMask = topBits === 32 ? 0xffffffff : (1 << topBits) - 1;
  }

  /** Committed word `i` (bits 32i..32i+31). */
  getWord(i: number): number {
    const s = this.store!;
    return s.wcur[s.wideOff[this.id] + i];
  }

  /** Drives word `i`; the top word is masked to the width. */
  setWord(i: number, v: number): void {
    const w = i === this.words - 1 ? (v & this.topMask) >>> 0 : v >>> 0;
    this.store!.writeWord(this.id, i, w);
  }

  /** Committed bits lo..lo+width−1 (width ≤ 32) as a number. */
  getBits(lo: number, width: number): number {
    const s = this.store!;
    const base = s.wideOff[this.id];
    const wi = lo >>> 5;
    const sh = lo & 31;
    let v = s.wcur[base + wi] >>> sh;
    if (sh + width > 32 && wi + 1 < this.words) v = (v | (s.wcur[base + wi + 1] << (32 - sh))) >>> 0;
    return width === 32 ? v >>> 0 : v & ((1 << width) - 1);
  }

  /** Drives bits lo..lo+width−1 (width ≤ 32), keeping the other bits, as a Verilog part-select. */
  setBits(lo: number, width: number, v: number): void {
    const s = this.store!;
    const base = s.wideOff[this.id];
    for (let b = 0; b < width; ) {
      const bit = lo + b;
      const wi = bit >>> 5;
      const sh = bit & 31;
      const n = Math.min(32 - sh, width - b);
      const fieldMask = n === 32 ? 0xffffffff : ((1 << n) - 1) << sh;
      const field = ((v >>> b) << sh) & fieldMask;
      this.setWord(wi, ((s.wnext[base + wi] & ~fieldMask) | field) >>> 0);
      b += n;
    }
  }

  /** Committed value as a bigint. */
  getBig(): bigint {
    let v = 0n;
    for (let i = this.words - 1; i >= 0; i--) v = (v << 32n) | BigInt(this.getWord(i));
    return v;
  }

  /** Drives a bigint, wrapped modulo 2^width. */
  setBig(v: bigint): void {
    const x = BigInt.asUintN(this.width, v);
    for (let i = 0; i < this.words; i++) this.setWord(i, Number((x >> BigInt(32 * i)) & 0xffffffffn));
  }

}

/** Real-valued analog node; the unit (V, A, C, s, ps...) is part of the declaration and the trace. */
export class Real extends Signal {
  /** True when the trace draws it through vertices its module gives (Module.piecewiseLinear, api.ts). */
  piecewiseLinear = false;

  constructor(owner: SignalOwner, name: string, unit: string, direction: Direction, readonly init = 0) {
    super(owner, name, SignalKind.Real, 64, direction, unit);
  }

  /** Committed value. */
  get(): number {
    return this.cur[this.id];
  }

  /** Drives a finite number; NaN and ±Infinity are errors that name the node. */
  set(v: number): void {
    if (v - v !== 0) this.store!.badValue(this.id, v, `a finite number of ${this.unit}`);
    this.store!.write(this.id, v);
  }
}
