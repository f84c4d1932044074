// The event-driven simulator: runs an elaborated design from one time step to the next, timed
// wake-ups first, then delta cycles until the step settles (see api.ts for the guarantees).
import { SimulationError } from "./errors.js";
import { MAX_TIME_PS, SignalKind, type Scheduler, type SimulatorOptions, type TimePs, type TraceSink } from "./api.js";
import { CompiledSchedule } from "./CompiledSchedule.js";
import type { DeltaCycles } from "./DeltaCycles.js";
import { elaborate, type Elaborated, type Net } from "./Elaboration.js";
import { EventQueue } from "./EventQueue.js";
import { InterpretedSchedule } from "./InterpretedSchedule.js";
import type { Module } from "./Module.js";
import { WideVec, type Bit, type Real, type Signal, type Vec } from "./Signal.js";
import { CheckedSignalStore, SignalStore } from "./SignalStore.js";

const DEFAULT_DELTA_LIMIT = 1000;

/** Runs an elaborated design. */
export class Simulator implements Scheduler {
  readonly design: Elaborated;
  readonly store: SignalStore;
  /** Current simulated time, ps. */
  now: TimePs = 0;
  /** Time steps run so far. */
  steps = 0;

  private readonly deltas: DeltaCycles;
  private readonly events = new EventQueue();
  private sink: TraceSink | null = null;
  // false when the sink takes no vertices: Module.traced() is then false for every net
  private vertices = true;
  private started = false;
  private finished = false;
  private stopRequested = false;
  // True when the current time step gave the trace a vertex: it is sampled even if no net changed.
  private pointsGiven = false;

  constructor(top: Module, options: SimulatorOptions = {}) {
    const d = (this.design = elaborate(top));
    const netName = (id: number) => this.netName(id);
    const limit = options.deltaLimit ?? DEFAULT_DELTA_LIMIT;
    const backend = options.backend ?? "compiled";
    if (backend === "interpreted") {
      const store = new CheckedSignalStore(d.nets.length, d.wideOff, d.wideWords, d.totalWords, netName, d.driver, (p) => d.processes[p].path);
      this.store = store;
      this.deltas = new InterpretedSchedule(d, store, limit, options.shuffleSeed);
    } else if (backend === "compiled") {
      this.store = new SignalStore(d.nets.length, d.wideOff, d.wideWords, d.totalWords, netName);
      this.deltas = new CompiledSchedule(d, this.store, limit, options.shuffleSeed);
    } else {
      throw new SimulationError(`backend "${String(backend)}": expected "compiled" or "interpreted"`);
    }
    for (const net of d.nets) for (const h of net.handles) h.bind(this.store, net.id);
    for (const m of d.modules) {
      m.bindScheduler(this);
      for (const b of m.buses) b.bind(this.store);
    }
    for (const net of d.nets) this.initialise(net);
  }

  /** Process evaluations so far. */
  get evaluations(): number {
    return this.deltas.evaluations;
  }

  /** Hierarchical name of net `id` (its first handle), for messages. */
  netName(id: number): string {
    return this.design.nets[id].handles[0].path;
  }

  /** Marks the nets for which `wanted` holds as traced and sends their values to `sink`. */
  attachTrace(sink: TraceSink, wanted: (net: Net) => boolean): void {
    if (this.started) throw new SimulationError("attach the trace before the first run");
    this.sink = sink;
    this.vertices = sink.drawsVertices !== false;
    for (const net of this.design.nets) this.deltas.trace(net.id, wanted(net));
  }

  /**
   * Keeps the nets of `signals` observed for the testbench, which reads them with get() (before the
   * first run): a net nobody observes holds no value (api.ts).
   */
  observe(...signals: Signal[]): void {
    if (this.started) throw new SimulationError("observe signals before the first run");
    if (!(this.deltas instanceof CompiledSchedule)) return; // the interpreted back end keeps every net
    for (const s of signals) {
      if (s.id < 0) throw new SimulationError(`observe ${s.path}: not a signal of ${this.design.top.path}`);
      this.deltas.keep(s.id);
    }
  }

  /** Writes a testbench value to an undriven net; it settles at the current time on the next run. */
  poke(signal: Bit | Vec | WideVec | Real, value: number | bigint): void {
    if (this.finished) throw new SimulationError(`poke ${signal.path}: the simulation has finished`);
    const driver = signal.id >= 0 ? this.design.driver[signal.id] : -1;
    if (driver >= 0) throw new SimulationError(`poke ${signal.path}: driven by process ${this.design.processes[driver].path}; the testbench drives only undriven nets`);
    if (signal instanceof WideVec) signal.setBig(BigInt(value));
    else signal.set(Number(value));
  }

  /** Ends the run once the current time step has settled, as Icarus and Verilator do at $finish. */
  finish(): void {
    this.finished = true;
  }

  /** Asks a running `run` to return after the current time step (e.g. on Ctrl-C). */
  requestStop(): void {
    this.stopRequested = true;
  }

  /** True once a process called finish(). */
  get isFinished(): boolean {
    return this.finished;
  }

  armTimer(proc: number, delayPs: TimePs): void {
    if (!Number.isInteger(delayPs) || delayPs < 0) {
      throw new SimulationError(`${this.design.processes[proc].path}: delay ${delayPs} ps is not an integer ≥ 0`);
    }
    if (!this.deltas.runsTimer(proc)) return; // every net it writes is unobserved
    if (delayPs === 0 && this.started) {
      this.deltas.armSoon(proc, this.now);
      return;
    }
    const t = this.now + delayPs;
    if (t > MAX_TIME_PS) {
      throw new SimulationError(
        `${this.design.processes[proc].path}: wake-up at ${t} ps is past the largest exact time, 2^53 − 1 ps`,
      );
    }
    // a replaced wake-up stays in the queue and is dropped when taken (DeltaCycles.fire)
    this.deltas.arm(proc, t);
    this.events.push(t, proc);
  }

  cancelTimer(proc: number): void {
    this.deltas.disarm(proc);
  }

  traces(net: number, fromPs: TimePs, toPs: TimePs): boolean {
    const sink = this.sink;
    return sink !== null && this.vertices && this.deltas.isTraced(net) && fromPs <= sink.toPs && toPs >= sink.fromPs;
  }

  risesOnly(net: number): boolean {
    return this.deltas.risesOnly(net);
  }

  tracePoint(net: number, value: number): void {
    const sink = this.sink;
    if (sink === null || !this.vertices || !this.deltas.isTraced(net)) return;
    sink.point(net, value);
    this.pointsGiven = true;
  }

  /**
   * Runs every time step up to and including `untilPs`, then stops there; returns false if the run
   * ended early (finish() or requestStop()).
   */
  run(untilPs: TimePs): boolean {
    if (!Number.isInteger(untilPs) || untilPs > MAX_TIME_PS) {
      throw new SimulationError(`run until ${untilPs} ps: not an integer number of ps up to 2^53 − 1`);
    }
    if (this.finished) throw new SimulationError(`run: the simulation finished at ${this.now} ps`);
    this.stopRequested = false;
    if (!this.started) this.start();
    else if (this.deltas.unsettled) this.deltas.settle(this.now);
    const ev = this.events;
    while (!this.finished && !this.stopRequested) {
      const t = ev.peekTime(); // Infinity when nothing is pending
      if (t > untilPs) break;
      this.step(t);
    }
    if (this.finished || this.stopRequested) return false;
    if (untilPs > this.now) this.advanceTo(untilPs);
    return true;
  }

  /** Sends the last values to the trace and closes it; call once when done (also after an error). */
  close(): void {
    const sink = this.sink;
    if (!sink) return;
    this.sink = null;
    const changed = this.deltas.changed;
    sink.sample(this.now, changed.ids, changed.take());
    sink.close(this.now);
  }

  private initialise(net: Net): void {
    let first = net.handles[0].init;
    for (const h of net.handles) {
      const v = h.init;
      if (v === 0 || v === 0n || v === first) continue;
      if (first !== 0 && first !== 0n) {
        throw new SimulationError(`${net.handles[0].path}: connected handles declare different initial values`);
      }
      first = v;
    }
    if (net.kind === SignalKind.WideVec) {
      const w = net.handles[0] as WideVec;
      const x = BigInt.asUintN(w.width, BigInt(first));
      for (let i = 0; i < w.words; i++) this.store.initialiseWord(net.id, i, Number((x >> BigInt(32 * i)) & 0xffffffffn));
    } else {
      this.store.initialise(net.id, Number(first));
    }
  }

  /** Time 0: every combinational process runs once, in rank order; clocks schedule their first edge. */
  private start(): void {
    this.started = true;
    this.deltas.start();
    for (const m of this.design.modules) for (const f of m.onStart) f();
    this.deltas.enqueueCombinational();
    if (this.events.peekTime() === 0) this.takeDue(0);
    this.steps++;
    this.deltas.settle(0);
  }

  private advanceTo(t: TimePs): void {
    const changed = this.deltas.changed;
    if (this.sink !== null && (changed.size > 0 || this.pointsGiven)) this.sink.sample(this.now, changed.ids, changed.take());
    this.pointsGiven = false;
    this.now = t;
  }

  private step(t: TimePs): void {
    if (t > this.now) this.advanceTo(t);
    this.takeDue(t);
    this.steps++;
    this.deltas.settle(t);
  }

  /** Fires the wake-ups due at `t`, in ascending process id as the queue hands them out. */
  private takeDue(t: TimePs): void {
    const ev = this.events;
    const n = ev.takeDue(t);
    const due = ev.due;
    for (let i = 0; i < n; i++) this.deltas.fire(due[i], t);
  }
}
