// A bus: a fixed list of real-valued nodes a process reads or drives together, moved between the
// store and a Float64Array in one call (api.ts, "Buses").
import { SimulationError } from "./errors.js";
import type { Real } from "./Signal.js";
import type { SignalStore } from "./SignalStore.js";

const UNBOUND = new Float64Array(0);

/**
 * Real nodes read or driven as one: `read` copies every committed value into a typed array and
 * `write` drives every node from one, with the same rules as Real.get and Real.set. A block that
 * reads 64 pulse widths per phase makes one call instead of 64, and no value is boxed on the way
 * (a Real.get the optimiser does not inline returns a heap number). Made by Module.bus.
 */
export class RealBus {
  private ids: Int32Array;
  private store: SignalStore | null = null;
  private cur: Float64Array = UNBOUND;

  constructor(readonly signals: readonly Real[]) {
    this.ids = new Int32Array(signals.length);
  }

  /** Number of nodes. */
  get width(): number {
    return this.ids.length;
  }

  /** Attaches the bus to the store its nodes were bound to; called once by the simulator. */
  bind(store: SignalStore): void {
    this.store = store;
    this.cur = store.cur;
    for (let i = 0; i < this.ids.length; i++) this.ids[i] = this.signals[i].id;
  }

  /** Committed value of node `i`. */
  get(i: number): number {
    return this.cur[this.ids[i]];
  }

  /** Copies the committed values into `into[0 .. width − 1]`. */
  read(into: Float64Array): void {
    const { cur, ids } = this;
    for (let i = 0; i < ids.length; i++) into[i] = cur[ids[i]];
  }

  /** Drives node i with `from[i]` for i < n (all nodes by default); a NaN or ±Infinity names its node. */
  write(from: Float64Array, n = this.ids.length): void {
    const store = this.store;
    if (store === null) throw new SimulationError(`${this.signals[0]?.path ?? "an empty bus"}: bus written before the run`);
    const ids = this.ids;
    if (n > ids.length) throw new SimulationError(`${this.signals[0].path}: ${n} values for a bus of ${ids.length} nodes`);
    for (let i = 0; i < n; i++) {
      const v = from[i];
      if (v - v !== 0) store.badValue(ids[i], v, `a finite number of ${this.signals[i].unit}`);
      store.write(ids[i], v);
    }
  }
}
