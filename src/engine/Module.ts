// The module: a named node of the design hierarchy with typed ports, internal signals, child
// modules and processes (clocked, combinational, timed). Behaviour lives in subclasses.
import { ElaborationError, SimulationError } from "./errors.js";
import { MAX_TIME_PS, NARROW_MAX_WIDTH, Trigger, type Scheduler, type TimePs } from "./api.js";
import { makeBus, type RealBus, type VecBus } from "./Bus.js";
import { MODULE_NAME, namesOver, SIGNAL_NAME, taken, UNIT } from "./names.js";
import { Bit, Edge, Real, Signal, Vec, WideVec, type Direction } from "./Signal.js";
import type { Description } from "./Description.js";
import { describeProcess } from "./describedRun.js";
import { EventCounter, Process, Timer, type ProcessOptions } from "./Process.js";

/** Clock waveform: period, first rising edge and high time, all in integer ps. */
export interface ClockSpec {
  periodPs: TimePs;
  /** Time of the first rising edge; default half a period (a clock that starts low). */
  firstRisePs?: TimePs;
  /** Time the clock stays high each period; default half a period. */
  highPs?: TimePs;
}

// How an edge reads in a clocked process's default label, e.g. `always@posedge(clk)`.
const EDGE_NAMES = { [Trigger.Posedge]: "posedge", [Trigger.Negedge]: "negedge", [Trigger.AnyEdge]: "anyedge" };

/** A named block of the design hierarchy; a bare Module is a grouping scope. */
export class Module {
  readonly children: Module[] = [];
  readonly signals: Signal[] = [];
  readonly processes: Process[] = [];
  readonly timers: Timer[] = [];
  readonly counters: EventCounter[] = [];
  /** Buses of this module's processes (Bus.ts), bound by the simulator. */
  readonly buses: (RealBus | VecBus)[] = [];
  /** Handles joined into one net, two by two: connections[2k] with connections[2k + 1]. */
  readonly connections: Signal[] = [];
  readonly path: string;
  private scheduler: Scheduler | null = null;
  // Names taken, for modules with many signals or children (a head's accumulator has thousands);
  // a few are checked by a scan, which costs less than a set per module.
  private signalNames: Set<string> | null = null;
  private childNames: Set<string> | null = null;

  constructor(readonly parent: Module | null, readonly name: string) {
    if (!MODULE_NAME.test(name)) {
      throw new ElaborationError(
        `${parent ? parent.path + "." : ""}${name}: a module name is an identifier, optionally indexed like ch[3]`,
      );
    }
    this.path = parent ? `${parent.path}.${name}` : name;
    if (parent) {
      if (taken(parent.children, name, (parent.childNames ??= namesOver(parent.children)))) {
        throw new ElaborationError(`${this.path}: ${parent.path} already has a child named ${name}`);
      }
      parent.children.push(this);
    }
  }

  /** Attaches the scheduler that runs this module and its timers; called once at elaboration. */
  bindScheduler(scheduler: Scheduler): void {
    this.scheduler = scheduler;
    for (const t of this.timers) t.bind(scheduler);
  }

  /** Current simulated time, ps (0 before the run). */
  protected get nowPs(): TimePs {
    return this.scheduler ? this.scheduler.now : 0;
  }

  /**
   * True when the trace records `signal` at some time in [fromPs, toPs] (by default at any time of
   * the run); false before the run starts. Lets a block skip work only a trace would show (api.ts).
   */
  protected traced(signal: Signal, fromPs: TimePs = 0, toPs: TimePs = MAX_TIME_PS): boolean {
    return this.scheduler !== null && signal.id >= 0 && this.scheduler.traces(signal.id, fromPs, toPs);
  }

  /**
   * Declares analog outputs of this module piecewise linear: the trace draws them through the
   * vertices given with tracePoint, and each commit without a vertex at its time as a step (api.ts).
   */
  protected piecewiseLinear(...signals: Real[]): void {
    for (const s of signals) {
      if (s.owner !== this) throw new ElaborationError(`${this.path}: ${s.path} is not its own signal; only its module draws its waveform`);
      s.piecewiseLinear = true;
    }
  }

  /** Gives the trace a vertex of piecewise-linear `signal` at the current time; no process sees it (api.ts). */
  protected tracePoint(signal: Real, value: number): void {
    if (!signal.piecewiseLinear) throw new SimulationError(`${signal.path}: a vertex for a signal not declared piecewise linear by ${this.path}`);
    if (value - value !== 0) throw new SimulationError(`${signal.path}: vertex ${value} is not a finite number of ${signal.unit || "units"}`);
    this.scheduler!.tracePoint(signal.id, value);
  }

  /** Ends the simulation once this time step has settled, like Verilog's $finish. */
  protected finish(): void {
    this.scheduler!.finish();
  }

  /** Declares a 1-bit signal. */
  bit(name: string, direction: Direction = "internal", init = 0): Bit {
    return this.declare(new Bit(this, name, direction, init));
  }

  /** Declares an unsigned vector of 1..32 bits. */
  vec(name: string, width: number, direction: Direction = "internal", init = 0): Vec {
    if (!Number.isInteger(width) || width < 1 || width > NARROW_MAX_WIDTH) {
      throw new ElaborationError(
        `${this.path}.${name}: width ${width} is not 1..${NARROW_MAX_WIDTH}; use wide() for wider vectors`,
      );
    }
    return this.declare(new Vec(this, name, width, direction, init));
  }

  /** Declares an unsigned vector of any width ≥ 1, held in 32-bit words (bigint and part-select API). */
  wide(name: string, width: number, direction: Direction = "internal", init = 0n): WideVec {
    if (!Number.isInteger(width) || width < 1) {
      throw new ElaborationError(`${this.path}.${name}: width ${width} is not a whole number ≥ 1`);
    }
    return this.declare(new WideVec(this, name, width, direction, init));
  }

  /** Declares a real-valued analog node; `unit` (V, uA, fC, ps..., "" for a pure number) shows in the trace. */
  real(name: string, unit: string, direction: Direction = "internal", init = 0): Real {
    if (!UNIT.test(unit)) {
      throw new ElaborationError(`${this.path}.${name}: unit "${unit}" must be letters only, e.g. V, uA, fC, ps`);
    }
    if (!Number.isFinite(init)) throw new ElaborationError(`${this.path}.${name}: initial value ${init} is not finite`);
    return this.declare(new Real(this, name, unit, direction, init));
  }

  /**
   * Groups signals into a bus its processes read or drive by index or in one call (Bus.ts): real
   * nodes, or bits and vectors of one width. Reads through a bus still need declaring (api.ts).
   */
  protected busOf(signals: readonly Real[]): RealBus;
  protected busOf(signals: readonly (Bit | Vec)[]): VecBus;
  protected busOf(signals: readonly Real[] | readonly (Bit | Vec)[]): RealBus | VecBus {
    const b = makeBus(signals);
    this.buses.push(b);
    return b;
  }

  /** Declares a 1-bit clock driven by the engine: rises at firstRisePs, then every periodPs. */
  clock(name: string, spec: ClockSpec): Bit {
    const period = spec.periodPs;
    const high = spec.highPs ?? Math.floor(period / 2);
    const firstRise = spec.firstRisePs ?? Math.floor(period / 2);
    const where = `${this.path}.${name}`;
    if (!Number.isInteger(period) || period < 2 || period > MAX_TIME_PS) {
      throw new ElaborationError(`${where}: clock period ${period} ps must be an integer ≥ 2`);
    }
    if (!Number.isInteger(high) || high < 1 || high >= period) {
      throw new ElaborationError(`${where}: high time ${high} ps must be an integer in 1..${period - 1}`);
    }
    if (!Number.isInteger(firstRise) || firstRise < 0) {
      throw new ElaborationError(`${where}: first rising edge ${firstRise} ps must be an integer ≥ 0`);
    }
    const clk = this.bit(name);
    let generator: Timer | null = null;
    // nothing can see the clock low (api.ts, Observation): only its rises are simulated; known
    // when the run starts, so asked once then rather than at every edge
    let risesOnly = false;
    generator = this.timer(`${name}.generator`, [clk], () => {
      if (risesOnly) {
        clk.set(1);
        generator!.after(period);
        return;
      }
      const rising = clk.get() === 0;
      clk.set(rising ? 1 : 0);
      generator!.after(rising ? high : period - high);
    });
    generator.process.drivesClock = true;
    this.onStart.push(() => {
      risesOnly = this.scheduler!.risesOnly(clk.id);
      generator!.after(firstRise);
    });
    return clk;
  }

  /** Work to do when the simulation starts (schedule the first clock edges). */
  readonly onStart: (() => void)[] = [];

  /** Declares an event counter; kinds are named by `name` across blocks (e.g. "cellsWritten"). */
  eventCounter(name: string): EventCounter {
    const c = new EventCounter(this, name);
    this.counters.push(c);
    return c;
  }

  /**
   * Declares a process run at every `edge` (posedge, negedge or anyedge), writing only `writes`
   * (registers: seen by all after the edge); `options` is its label or its label and reads.
   */
  always(edge: Edge, writes: readonly Signal[], run: () => void, options?: string | ProcessOptions): Process {
    const o = typeof options === "string" ? { label: options } : options ?? {};
    const label = o.label ?? `always@${EDGE_NAMES[edge.trigger]}(${edge.signal.name})`;
    return this.addProcess(label, edge.trigger, [edge.signal], writes, run, o.reads ?? null);
  }

  /**
   * Declares a combinational process, run whenever a signal in `reads` changes (and once at start);
   * `options` is its label, or its label and what it reads besides `reads` as for `always`
   * (`{ reads: [] }`: nothing else; by default any signal of its own module).
   */
  comb(reads: readonly Signal[], writes: readonly Signal[], run: () => void, options?: string | ProcessOptions): Process {
    if (reads.length === 0) throw new ElaborationError(`${this.path}: a combinational process needs at least one input`);
    const o = typeof options === "string" ? { label: options } : options ?? {};
    return this.addProcess(o.label ?? `comb(${writes.map((s) => s.name).join(",")})`, Trigger.Change, reads, writes, run, o.reads ?? null);
  }

  /**
   * Declares a clocked process given by a description that `build` makes (api.ts, "Described
   * processes"): what it reads and writes is found in the description. Runs as `always` would.
   */
  described(edge: Edge, build: (r: Description) => void, label?: string): Process {
    const name = label ?? `always@${EDGE_NAMES[edge.trigger]}(${edge.signal.name})`;
    const d = describeProcess(`${this.path}.${name}`, build);
    return this.addProcess(name, edge.trigger, [edge.signal], d.writes, d.run, d.reads, d.description);
  }

  /** Declares a combinational process given by a description, run whenever a signal it reads changes. */
  describedComb(build: (r: Description) => void, label?: string): Process {
    const d = describeProcess(`${this.path}.${label ?? "comb"}`, build);
    if (d.reads.length === 0) throw new ElaborationError(`${this.path}: a combinational process needs at least one input; its description reads no signal`);
    const name = label ?? `comb(${d.writes.map((s) => s.name).join(",")})`;
    return this.addProcess(name, Trigger.Change, d.reads, d.writes, d.run, [], d.description);
  }

  /**
   * Declares a process woken only by its timer; returns the timer. A timer whose every write is an
   * unobserved net is never armed (api.ts); `reads` as for `always`.
   */
  timer(label: string, writes: readonly Signal[], run: () => void, reads?: readonly Signal[]): Timer {
    const t = new Timer(this.addProcess(label, Trigger.Timer, [], writes, run, reads ?? null));
    this.timers.push(t);
    return t;
  }

  /** Joins two handles into one net, as a port connection; kinds, widths and units must agree. */
  connect(a: Signal, b: Signal): void {
    if (a.kind !== b.kind || a.width !== b.width || a.unit !== b.unit) {
      const d = (s: Signal) => `${s.path} (${s.constructor.name}, ${s.width} bit${s.unit ? ", " + s.unit : ""})`;
      throw new ElaborationError(`cannot connect ${d(a)} to ${d(b)}: kind, width and unit must match`);
    }
    this.connections.push(a, b);
  }

  private declare<S extends Signal>(s: S): S {
    if (!SIGNAL_NAME.test(s.name)) {
      throw new ElaborationError(`${s.path}: a signal name is an identifier (letters, digits, _)`);
    }
    if (taken(this.signals, s.name, (this.signalNames ??= namesOver(this.signals)))) {
      throw new ElaborationError(`${s.path}: declared twice in ${this.path}`);
    }
    this.signals.push(s);
    return s;
  }

  private addProcess(
    label: string,
    trigger: Trigger,
    sensitivity: readonly Signal[],
    writes: readonly Signal[],
    run: () => void,
    reads: readonly Signal[] | null,
    description: Description | null = null,
  ): Process {
    const p = new Process(this, label, trigger, sensitivity, writes, run, reads);
    p.description = description;
    this.processes.push(p);
    return p;
  }
}
