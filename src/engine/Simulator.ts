// The event-driven scheduler: timed wake-ups, then delta cycles of evaluate/update until the time
// step settles (see api.ts for the guarantees). Static tables from elaboration; nothing allocated
// per event.
import { GaincellError, SimulationError } from "./errors.js";
import { MAX_TIME_PS, SignalKind, Trigger, type SimulatorOptions, type TimePs, type TraceSink } from "./api.js";
import { elaborate, type Elaborated, type Net } from "./Elaboration.js";
import { EventQueue } from "./EventQueue.js";
import type { Module } from "./Module.js";
import { WideVec, type Bit, type Real, type Vec } from "./Signal.js";
import { SignalStore } from "./SignalStore.js";
import { mulberry32 } from "./prng.js";

const DEFAULT_DELTA_LIMIT = 1000;

/** Runs an elaborated design. */
export class Simulator {
  readonly design: Elaborated;
  readonly store: SignalStore;
  /** Current simulated time, ps. */
  now: TimePs = 0;
  /** Time steps run so far. */
  steps = 0;
  /** Process evaluations so far. */
  evaluations = 0;

  private readonly runs: (() => void)[];
  private readonly queued: Uint8Array;
  private runq: Int32Array;
  private wakeq: Int32Array;
  private nWake = 0;
  private readonly events = new EventQueue();
  private readonly deltaLimit: number;
  private readonly random: (() => number) | null;

  private readonly traced: Uint8Array;
  // Narrow nets that wake no process and are not traced: committing them is a copy (set at start).
  private readonly quiet: Uint8Array;
  private readonly isChanged: Uint8Array;
  private readonly changed: Int32Array;
  private nChanged = 0;
  private sink: TraceSink | null = null;

  private started = false;
  private finished = false;
  private stopRequested = false;

  constructor(top: Module, options: SimulatorOptions = {}) {
    const d = (this.design = elaborate(top));
    const nNets = d.nets.length;
    const nProcs = d.processes.length;
    this.store = new SignalStore(
      nNets,
      d.wideOff,
      d.wideWords,
      d.totalWords,
      d.driver,
      (id) => this.netName(id),
      (p) => d.processes[p].path,
    );
    d.nets.forEach((net) => net.handles.forEach((h) => h.bind(this.store, net.id)));
    for (const m of d.modules) {
      m.bindSimulator(this);
      for (const t of m.timers) t.bind(this);
    }
    this.runs = d.processes.map((p) => p.run);
    this.queued = new Uint8Array(nProcs);
    this.runq = new Int32Array(nProcs);
    this.wakeq = new Int32Array(nProcs);
    this.traced = new Uint8Array(nNets);
    this.quiet = new Uint8Array(nNets);
    this.isChanged = new Uint8Array(nNets);
    this.changed = new Int32Array(nNets);
    this.deltaLimit = options.deltaLimit ?? DEFAULT_DELTA_LIMIT;
    this.random = options.shuffleSeed === undefined ? null : mulberry32(options.shuffleSeed);
    d.nets.forEach((net) => this.initialise(net));
  }

  /** Hierarchical name of net `id` (its first handle), for messages. */
  netName(id: number): string {
    return this.design.nets[id].handles[0].path;
  }

  /** Marks the nets for which `wanted` holds as traced and sends their values to `sink`. */
  attachTrace(sink: TraceSink, wanted: (net: Net) => boolean): void {
    if (this.started) throw new SimulationError("attach the trace before the first run");
    this.sink = sink;
    for (const net of this.design.nets) this.traced[net.id] = wanted(net) ? 1 : 0;
  }

  /** Writes a testbench value to an undriven net; it settles at the current time on the next run. */
  poke(signal: Bit | Vec | WideVec | Real, value: number | bigint): void {
    if (this.finished) throw new SimulationError(`poke ${signal.path}: the simulation has finished`);
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

  /** Wakes process `proc` after `delayPs` (0: in the next delta of this time step). */
  wakeAfter(proc: number, delayPs: TimePs): void {
    if (!Number.isInteger(delayPs) || delayPs < 0) {
      throw new SimulationError(`${this.design.processes[proc].path}: delay ${delayPs} ps is not an integer ≥ 0`);
    }
    if (delayPs === 0 && this.started) {
      this.enqueue(proc);
      return;
    }
    const t = this.now + delayPs;
    if (t > MAX_TIME_PS) {
      throw new SimulationError(
        `${this.design.processes[proc].path}: wake-up at ${t} ps is past the largest exact time, 2^53 − 1 ps`,
      );
    }
    this.events.push(t, proc);
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
    else if (this.store.nPending > 0) this.settle();
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
    sink.sample(this.now, this.changed, this.nChanged);
    this.clearChanged();
    sink.close(this.now);
  }

  private initialise(net: Net): void {
    const inits = net.handles.map((h) => h.init);
    const first = inits.find((v) => v !== 0 && v !== 0n) ?? inits[0];
    if (inits.some((v) => v !== first && v !== 0 && v !== 0n)) {
      throw new SimulationError(`${net.handles[0].path}: connected handles declare different initial values`);
    }
    if (net.kind === SignalKind.WideVec) {
      const w = net.handles[0] as WideVec;
      const x = BigInt.asUintN(w.width, BigInt(first));
      for (let i = 0; i < w.words; i++) this.store.initialiseWord(net.id, i, Number((x >> BigInt(32 * i)) & 0xffffffffn));
    } else {
      this.store.initialise(net.id, Number(first));
    }
  }

  /** Time 0: every combinational process runs once, clocks schedule their first edge. */
  private start(): void {
    this.started = true;
    const d = this.design;
    for (let id = 0; id < this.quiet.length; id++) {
      const wakes =
        d.onChange.start[id + 1] > d.onChange.start[id] ||
        d.onPosedge.start[id + 1] > d.onPosedge.start[id] ||
        d.onNegedge.start[id + 1] > d.onNegedge.start[id];
      this.quiet[id] = d.wideOff[id] < 0 && !wakes && this.traced[id] === 0 ? 1 : 0;
    }
    for (const m of this.design.modules) for (const f of m.onStart) f();
    for (const p of this.design.processes) if (p.trigger === Trigger.Change) this.enqueue(p.id);
    if (this.events.peekTime() === 0) this.takeDue(0);
    this.steps++;
    this.settle();
  }

  private advanceTo(t: TimePs): void {
    if (this.sink !== null && this.nChanged > 0) this.sink.sample(this.now, this.changed, this.nChanged);
    this.clearChanged();
    this.now = t;
  }

  private step(t: TimePs): void {
    if (t > this.now) this.advanceTo(t);
    this.takeDue(t);
    this.steps++;
    this.settle();
  }

  /** Wakes the processes due at `t`, in ascending id as the queue hands them out. */
  private takeDue(t: TimePs): void {
    const ev = this.events;
    const n = ev.takeDue(t);
    const due = ev.due;
    for (let i = 0; i < n; i++) this.enqueue(due[i]);
  }

  private enqueue(p: number): void {
    if (this.queued[p] === 0) {
      this.queued[p] = 1;
      this.wakeq[this.nWake++] = p;
    }
  }

  /** Delta cycles until nothing is pending and nothing is woken. */
  private settle(): void {
    const store = this.store;
    let deltas = 0;
    for (;;) {
      if (this.nWake > 0) this.evaluate();
      if (store.nPending > 0) {
        if (++deltas > this.deltaLimit) this.unsettled();
        this.update();
      } else if (this.nWake === 0) return;
    }
  }

  /** Evaluate phase: runs the woken processes; they read `cur` and write `next`. */
  private evaluate(): void {
    const q = this.wakeq;
    const n = this.nWake;
    this.wakeq = this.runq;
    this.runq = q;
    this.nWake = 0;
    if (this.random !== null) this.shuffleQueue(q, n, this.random);
    const queued = this.queued;
    const runs = this.runs;
    const store = this.store;
    let i = 0;
    try {
      for (; i < n; i++) {
        const p = q[i];
        queued[p] = 0;
        store.active = p;
        runs[p]();
      }
    } catch (e) {
      throw this.inProcess(q[i], e);
    } finally {
      store.active = -1;
    }
    this.evaluations += n;
  }

  /** Update phase: commits every pending net and wakes the processes sensitive to each change. */
  private update(): void {
    const s = this.store;
    const { cur, next, wcur, wnext, wideOff, wideWords, pending, isPending } = s;
    const d = this.design;
    const cs = d.onChange.start, cp = d.onChange.procs;
    const ps = d.onPosedge.start, pp = d.onPosedge.procs;
    const ns = d.onNegedge.start, np = d.onNegedge.procs;
    const traced = this.traced;
    const quiet = this.quiet;
    const queued = this.queued;
    const wakeq = this.wakeq;
    let nWake = this.nWake;
    const n = s.nPending;
    s.nPending = 0;
    for (let i = 0; i < n; i++) {
      const id = pending[i];
      isPending[id] = 0;
      if (quiet[id] !== 0) {
        cur[id] = next[id];
        continue;
      }
      const off = wideOff[id];
      if (off < 0) {
        const v = next[id];
        const old = cur[id];
        if (v === old) continue;
        cur[id] = v;
        let k: number, e: number, procs: Int32Array;
        if (v > old) (k = ps[id]), (e = ps[id + 1]), (procs = pp);
        else (k = ns[id]), (e = ns[id + 1]), (procs = np);
        for (; k < e; k++) {
          const p = procs[k];
          if (queued[p] === 0) {
            queued[p] = 1;
            wakeq[nWake++] = p;
          }
        }
      } else {
        let diff = false;
        for (let w = off, e = off + wideWords[id]; w < e; w++) {
          if (wcur[w] !== wnext[w]) {
            wcur[w] = wnext[w];
            diff = true;
          }
        }
        if (!diff) continue;
      }
      if (traced[id] !== 0 && this.isChanged[id] === 0) {
        this.isChanged[id] = 1;
        this.changed[this.nChanged++] = id;
      }
      for (let k = cs[id], e = cs[id + 1]; k < e; k++) {
        const p = cp[k];
        if (queued[p] === 0) {
          queued[p] = 1;
          wakeq[nWake++] = p;
        }
      }
    }
    this.nWake = nWake;
  }

  private clearChanged(): void {
    for (let i = 0; i < this.nChanged; i++) this.isChanged[this.changed[i]] = 0;
    this.nChanged = 0;
  }

  /** Fisher–Yates with a seeded generator, for the order-independence test mode. */
  private shuffleQueue(q: Int32Array, n: number, random: () => number): void {
    for (let i = n - 1; i > 0; i--) {
      const j = random() % (i + 1);
      const x = q[i];
      q[i] = q[j];
      q[j] = x;
    }
  }

  private unsettled(): never {
    const s = this.store;
    const names = new Set<string>();
    for (let i = 0; i < s.nPending && names.size < 12; i++) {
      const id = s.pending[i];
      const drv = s.driver[id];
      names.add(`${this.netName(id)}${drv >= 0 ? ` (driven by ${this.design.processes[drv].path})` : ""}`);
    }
    throw new SimulationError(
      `combinational loop: no settling after ${this.deltaLimit} delta cycles at ${this.now} ps; ` +
        `still changing: ${[...names].join(", ")}`,
    );
  }

  private inProcess(p: number, e: unknown): Error {
    const where = `at ${this.now} ps in ${this.design.processes[p].path}`;
    if (e instanceof GaincellError) {
      e.message = `${where}: ${e.message}`;
      return e;
    }
    return new SimulationError(`${where}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}
