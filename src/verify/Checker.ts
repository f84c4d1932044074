// Checker: a module of temporal monitors over a design's signals, sampled at the rising edge of a
// clock like a SystemVerilog checker with `default clocking @(posedge clk)`. It reads signals and
// drives none; a failure names the monitor, the time, the signals and their values.
import { Module } from "../engine/Module.js";
import type { Bit, Signal } from "../engine/Signal.js";
import { ElaborationError, GaincellError } from "../errors.js";
import { Eventuality, Implication, PulseWidth, type ClockedMonitor, type Monitor, type MonitorKind } from "./monitors.js";
import { past, stable } from "./sampledFunctions.js";
import { and, inRange, konst, term, type Operand, type Term } from "./terms.js";
import { describeValue, TermSchedule, type ValueNames } from "./values.js";

/** What a failing monitor does: log and go on (SVA's $error), end the run after this time step, or throw at once. */
export type FailureAction = "record" | "finish" | "throw";

/** Options of a checker. */
export interface CheckerOptions {
  /** Default "record". */
  onFailure?: FailureAction;
  /** Failures kept in `failures` (every one is counted in `failureCount`); default 100. */
  keep?: number;
}

/** One failure: which monitor, when, why, and what its signals held then. */
export interface MonitorFailure {
  monitor: string;
  kind: MonitorKind;
  property: string;
  timePs: number;
  /** Clock ticks of the checker before the failure (its sample index). */
  tick: number;
  detail: string;
  signals: { path: string; value: string }[];
  /** All of the above on one line. */
  message: string;
}

/** Thrown by a checker with onFailure "throw". */
export class MonitorError extends GaincellError {
  override name = "MonitorError";
  constructor(readonly failure: MonitorFailure) {
    super(failure.message);
  }
}

/** A monitor's tally at the end of a run. */
export interface MonitorResult {
  monitor: string;
  kind: MonitorKind;
  property: string;
  attempts: number;
  failures: number;
  pending: number;
}

/** Monitors sampled at `clk`'s rising edges (pulse widths at the pulse's own edges). */
export class Checker extends Module {
  /** The first `keep` failures. */
  readonly failures: MonitorFailure[] = [];
  failureCount = 0;
  /** Clock ticks sampled so far. */
  ticks = 0;
  /** Period of the clock, measured between the first two ticks, ps (0 before). */
  periodPs = 0;
  private firstTickPs = -1;
  private readonly clocked: ClockedMonitor[] = [];
  private readonly all: Monitor[] = [];
  private readonly schedule = new TermSchedule();
  private readonly names = new Map<Signal, ValueNames>();
  // terms shared by the monitors that use them, so that each is sampled once per tick
  private readonly always1 = konst(1);
  private readonly guards = new Map<Term, Term>();
  private readonly onFailure: FailureAction;
  private readonly keep: number;

  constructor(parent: Module, name: string, readonly clk: Bit, options: CheckerOptions = {}) {
    super(parent, name);
    this.onFailure = options.onFailure ?? "record";
    this.keep = options.keep ?? 100;
    // the monitors added later read more signals: the list grows until the design is elaborated
    this.always(clk.posedge, [], () => this.tick(), { label: "sample", reads: this.schedule.signals });
  }

  /** `antecedent |-> consequent` at each tick, or `|-> ##delay`: the consequent `delay` ticks later. */
  implication(name: string, antecedent: Operand, consequent: Operand, delay = 0): Implication {
    if (!Number.isInteger(delay) || delay < 0) throw new ElaborationError(`${this.path}.${name}: delay ${delay} is not a whole number of ticks ≥ 0`);
    return this.addClocked(new Implication(this.monitorPath(name), "implication", term(antecedent), term(consequent), delay));
  }

  /** `trigger |-> ##[min:max] target`: each tick where trigger holds, target must hold within min..max ticks. */
  eventually(name: string, trigger: Operand, target: Operand, min: number, max: number): Eventuality {
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min) {
      throw new ElaborationError(`${this.path}.${name}: ##[${min}:${max}] is not a window of whole ticks with 0 ≤ min ≤ max`);
    }
    return this.addClocked(new Eventuality(this.monitorPath(name), term(trigger), term(target), min, max));
  }

  /** The signals (of any width) keep their value from one tick to the next while `whilst` holds at both. */
  stability(name: string, signals: readonly Signal[], whilst?: Operand): Implication {
    return this.addClocked(new Implication(this.monitorPath(name), "stability", this.bothTicks(whilst), stable(...signals), 0));
  }

  /** An analog (or digital) bound: lo ≤ value ≤ hi at each tick where `when` holds (every tick without it). */
  bounds(name: string, value: Operand, lo: number, hi: number, when?: Operand): Implication {
    return this.addClocked(new Implication(this.monitorPath(name), "bounds", when === undefined ? this.always1 : term(when), inRange(value, lo, hi), 0));
  }

  /** Each high pulse of `pulse` lasts minPs..maxPs, measured at its own edges (not at the clock). */
  pulseWidth(name: string, pulse: Bit, maxPs: number, minPs = 0): PulseWidth {
    const m = this.add(new PulseWidth(this.monitorPath(name), pulse, minPs, maxPs));
    this.always(pulse.posedge, [], () => m.rise(this.nowPs), `${name}.rise`);
    this.always(pulse.negedge, [], () => {
      if (!m.fall(this.nowPs)) this.fail(m);
    }, `${name}.fall`);
    return m;
  }

  /** Shows `signal`'s values by name in failures, e.g. the sequencer's states. */
  nameValues(signal: Signal, names: ValueNames): void {
    this.names.set(signal, names);
  }

  /** The names given to `signal`'s values, if any. */
  valueNames(signal: Signal): ValueNames | undefined {
    return this.names.get(signal);
  }

  /** Every monitor's tally. */
  results(): MonitorResult[] {
    return this.all.map((m) => ({ monitor: m.path, kind: m.kind, property: m.property, attempts: m.attempts, failures: m.failures, pending: m.pending }));
  }

  private monitorPath(name: string): string {
    if (!/^[A-Za-z_][A-Za-z0-9_.[\]]*$/.test(name)) throw new ElaborationError(`${this.path}.${name}: a monitor name is an identifier, e.g. no_write_in_phase1`);
    const path = `${this.path}.${name}`;
    if (this.all.some((m) => m.path === path)) throw new ElaborationError(`${path}: ${this.path} already has a monitor named ${name}`);
    return path;
  }

  /** `whilst && $past(whilst)`, one term per `whilst` term; always true without one. */
  private bothTicks(whilst: Operand | undefined): Term {
    if (whilst === undefined) return this.always1;
    const w = term(whilst);
    let guard = this.guards.get(w);
    if (guard === undefined) this.guards.set(w, (guard = and(w, past(w))));
    return guard;
  }

  private add<M extends Monitor>(m: M): M {
    this.all.push(m);
    return m;
  }

  private addClocked<M extends ClockedMonitor>(m: M): M {
    m.terms.forEach((t) => this.schedule.add(t));
    this.clocked.push(m);
    return this.add(m);
  }

  private tick(): void {
    const now = this.nowPs;
    if (this.ticks === 0) this.firstTickPs = now;
    else if (this.ticks === 1) this.periodPs = now - this.firstTickPs;
    this.schedule.sample();
    const clocked = this.clocked;
    for (let i = 0; i < clocked.length; i++) if (!clocked[i].check(this.ticks, now)) this.fail(clocked[i]);
    this.ticks++;
  }

  private fail(m: Monitor): void {
    const timePs = this.nowPs;
    const signals = m.watched.map((s) => ({ path: s.path, value: describeValue(s, this.names.get(s)) }));
    const failure: MonitorFailure = {
      monitor: m.path,
      kind: m.kind,
      property: m.property,
      timePs,
      tick: this.ticks,
      detail: m.detail,
      signals,
      message: `${m.path} failed at ${timePs} ps: ${m.property}: ${m.detail}; ${signals.map((s) => `${s.path} = ${s.value}`).join(", ")}`,
    };
    this.failureCount++;
    if (this.failures.length < this.keep) this.failures.push(failure);
    if (this.onFailure === "throw") throw new MonitorError(failure);
    if (this.onFailure === "finish") this.finish();
  }
}
