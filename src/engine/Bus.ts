// Buses: a fixed list of signals a process reads or drives together, by index or in one call,
// through typed arrays of net ids rather than one handle object per signal (api.ts, "Buses").
import { ElaborationError, SimulationError } from "./errors.js";
import { SignalKind } from "./api.js";
import type { Bit, Real, Signal, Vec } from "./Signal.js";
import type { SignalStore } from "./SignalStore.js";

const UNBOUND = new Float64Array(0);

/**
 * What every bus does: holds its signals' net ids once bound, and reads them. A block that reads
 * 64 pulse widths per phase makes one call instead of 64, no value is boxed on the way (a get()
 * the optimiser does not inline returns a heap number), and a loop over the bus touches two typed
 * arrays instead of a handle object per signal. Made by Module.busOf.
 */
abstract class Bus<S extends Signal> {
  protected readonly ids: Int32Array;
  protected store: SignalStore | null = null;
  private cur: Float64Array = UNBOUND;

  // at least one signal (makeBus checks)
  constructor(readonly signals: readonly S[]) {
    this.ids = new Int32Array(signals.length);
  }

  /** Number of signals. */
  get width(): number {
    return this.ids.length;
  }

  /** Attaches the bus to the store its signals were bound to; called once by the simulator. */
  bind(store: SignalStore): void {
    this.store = store;
    this.cur = store.cur;
    for (let i = 0; i < this.ids.length; i++) {
      const s = this.signals[i];
      if (s.id < 0) throw new ElaborationError(`${s.path}: on a bus, but not inside the simulated design`);
      this.ids[i] = s.id;
    }
  }

  /** Committed value of signal `i`. */
  get(i: number): number {
    return this.cur[this.ids[i]];
  }

  /** Copies the committed values into `into[0 .. width − 1]`. */
  read(into: Float64Array): void {
    const { cur, ids } = this;
    for (let i = 0; i < ids.length; i++) into[i] = cur[ids[i]];
  }

  protected bound(): SignalStore {
    if (this.store === null) throw new SimulationError(`${this.signals[0].path}: bus written before the run`);
    return this.store;
  }
}

/** Real nodes read or driven as one: `write` drives every node from a Float64Array with Real.set's rule. */
export class RealBus extends Bus<Real> {
  /** Drives node i with `from[i]` for i < n (all nodes by default); a NaN or ±Infinity names its node. */
  write(from: Float64Array, n = this.ids.length): void {
    const store = this.bound();
    const ids = this.ids;
    if (n > ids.length) throw new SimulationError(`${this.signals[0].path}: ${n} values for a bus of ${ids.length} nodes`);
    for (let i = 0; i < n; i++) {
      const v = from[i];
      if (v - v !== 0) store.badValue(ids[i], v, `a finite number of ${this.signals[i].unit}`);
      store.write(ids[i], v);
    }
  }
}

/** Bits or vectors of one width driven by index: `set(i, v)` is signals[i].set(v) (wrapped to the width). */
export class VecBus extends Bus<Bit | Vec> {
  private readonly mask: number;

  constructor(signals: readonly (Bit | Vec)[]) {
    super(signals);
    const width = signals[0].width;
    const odd = signals.find((s) => s.width !== width);
    if (odd !== undefined) throw new ElaborationError(`${odd.path}: ${odd.width} bits on a bus of ${width}-bit signals (${signals[0].path})`);
    this.mask = width === 32 ? 0xffffffff : 2 ** width - 1;
  }

  /** Drives signal `i` with the integer v wrapped to the width, as Bit.set and Vec.set do. */
  set(i: number, v: number): void {
    const m = (v & this.mask) >>> 0;
    const store = this.bound();
    if (m !== v && !Number.isInteger(v)) store.badValue(this.ids[i], v, "an integer");
    store.write(this.ids[i], m);
  }
}

/** The bus of `signals`: a RealBus for real nodes, a VecBus for bits or vectors of one width. */
export function makeBus(signals: readonly Real[]): RealBus;
export function makeBus(signals: readonly (Bit | Vec)[]): VecBus;
export function makeBus(signals: readonly Real[] | readonly (Bit | Vec)[]): RealBus | VecBus;
export function makeBus(signals: readonly (Real | Bit | Vec)[]): RealBus | VecBus {
  if (signals.length === 0) throw new ElaborationError("a bus needs at least one signal");
  const real = signals[0].kind === SignalKind.Real;
  const odd = signals.find((s) => (s.kind === SignalKind.Real) !== real || s.kind === SignalKind.WideVec);
  if (odd !== undefined) throw new ElaborationError(`${odd.path}: a bus holds real nodes only, or bits and vectors of up to 32 bits only`);
  return real ? new RealBus(signals as Real[]) : new VecBus(signals as (Bit | Vec)[]);
}
