// The monitor kinds (SystemVerilog concurrent assertions): an implication over cycles
// `a |-> ##k c` and a bounded eventuality `a |-> ##[min:max] c`, checked once per clock tick
// (stability and analog bounds are implications with their own kind: Checker builds them); and a
// pulse-width bound, checked at the pulse's own edges as `@(negedge p) $realtime - rise <= max`.
import type { Bit, Signal } from "../engine/Signal.js";
import type { Term } from "./terms.js";
import { signalsOf } from "./values.js";

/** What a monitor checks. */
export type MonitorKind = "implication" | "eventuality" | "stability" | "bounds" | "pulse width";

/** A named property and its tally; `detail` says why the last check failed. */
export abstract class Monitor {
  /** Checks where the property was not vacuous (SVA's attempts: the antecedent held). */
  attempts = 0;
  /** Attempts that failed. */
  failures = 0;
  /** Why the last check failed. */
  detail = "";

  constructor(
    /** Full hierarchical name: the checker's path and the monitor's name. */
    readonly path: string,
    readonly kind: MonitorKind,
    /** The property as SVA writes it. */
    readonly property: string,
    /** The signals a failure shows, with their values then. */
    readonly watched: readonly Signal[],
  ) {}

  /** Attempts still waiting for their consequent when the run ended (not failures: SVA's "incomplete"). */
  get pending(): number {
    return 0;
  }
}

/** A monitor checked once per tick of its checker's clock, after every term has been sampled. */
export abstract class ClockedMonitor extends Monitor {
  constructor(path: string, kind: MonitorKind, property: string, readonly terms: readonly Term[]) {
    super(path, kind, property, signalsOf(terms));
  }

  /** Checks tick `tick` at `timePs`; false when the property failed there (then `detail` says why). */
  abstract check(tick: number, timePs: number): boolean;
}

/** `antecedent |-> ##delay consequent` (`|->` for delay 0, `|=>` for 1). */
export class Implication extends ClockedMonitor {
  // antecedent ticks whose consequent is still due, as a ring over the last `delay` ticks
  private readonly due: Uint8Array;
  private readonly dueAtPs: Float64Array;

  constructor(path: string, kind: MonitorKind, readonly antecedent: Term, readonly consequent: Term, readonly delay: number) {
    const arrow = delay === 0 ? "|->" : delay === 1 ? "|=>" : `|-> ##${delay}`;
    super(path, kind, `${antecedent.text} ${arrow} ${consequent.text}`, [antecedent, consequent]);
    this.due = new Uint8Array(Math.max(1, delay));
    this.dueAtPs = new Float64Array(Math.max(1, delay));
  }

  check(tick: number, timePs: number): boolean {
    const fired = this.antecedent.value !== 0;
    if (fired) this.attempts++;
    if (this.delay === 0) return !fired || this.holds(timePs);
    const slot = tick % this.delay;
    const wasDue = this.due[slot] === 1;
    const since = this.dueAtPs[slot];
    this.due[slot] = fired ? 1 : 0;
    this.dueAtPs[slot] = timePs;
    return !wasDue || this.holds(since);
  }

  override get pending(): number {
    return this.delay === 0 ? 0 : this.due.reduce((n, d) => n + d, 0);
  }

  private holds(antecedentPs: number): boolean {
    if (this.consequent.value !== 0) return true;
    this.failures++;
    this.detail = this.delay === 0
      ? `${this.antecedent.text} holds but ${this.consequent.text} does not`
      : `${this.antecedent.text} held at ${antecedentPs} ps, ${this.delay} tick(s) later ${this.consequent.text} does not hold`;
    return false;
  }
}

/**
 * `trigger |-> ##[min:max] target`: every tick at which `trigger` holds starts an attempt that
 * passes at the first tick in [start + min, start + max] where `target` holds, and fails at
 * start + max if there is none. Attempts overlap; each is judged on its own.
 */
export class Eventuality extends ClockedMonitor {
  // pending attempts, oldest first: their start ticks and times, in a ring of max + 1 entries
  private readonly startTick: Int32Array;
  private readonly startPs: Float64Array;
  private head = 0;
  private size = 0;

  constructor(path: string, readonly trigger: Term, readonly target: Term, readonly min: number, readonly max: number) {
    super(path, "eventuality", `${trigger.text} |-> ##[${min}:${max}] ${target.text}`, [trigger, target]);
    this.startTick = new Int32Array(max + 1);
    this.startPs = new Float64Array(max + 1);
  }

  check(tick: number, timePs: number): boolean {
    const cap = this.startTick.length;
    if (this.trigger.value !== 0) {
      this.attempts++;
      const at = (this.head + this.size++) % cap;
      this.startTick[at] = tick;
      this.startPs[at] = timePs;
    }
    // the target satisfies every attempt whose window has opened: a prefix, as starts ascend
    if (this.target.value !== 0) {
      while (this.size > 0 && this.startTick[this.head] <= tick - this.min) this.pop();
    }
    if (this.size > 0 && this.startTick[this.head] + this.max <= tick) {
      const started = this.startPs[this.head];
      this.pop();
      this.failures++;
      this.detail = `${this.trigger.text} held at ${started} ps; no ${this.target.text} in the ${this.min}..${this.max} ticks after`;
      return false;
    }
    return true;
  }

  override get pending(): number {
    return this.size;
  }

  private pop(): void {
    this.head = (this.head + 1) % this.startTick.length;
    this.size--;
  }
}

/** The high time of a pulse within [minPs, maxPs], measured from its rising to its falling edge. */
export class PulseWidth extends Monitor {
  private riseAtPs = -1;

  constructor(path: string, readonly pulse: Bit, readonly minPs: number, readonly maxPs: number) {
    super(path, "pulse width", `@(negedge ${pulse.name}) $realtime - $rose_time(${pulse.name}) inside [${minPs}:${maxPs}] ps`, [pulse]);
  }

  /** The pulse rose at `timePs`. */
  rise(timePs: number): void {
    this.riseAtPs = timePs;
  }

  /** The pulse fell at `timePs`; false when its width is out of bounds. */
  fall(timePs: number): boolean {
    if (this.riseAtPs < 0) return true; // high from the start: its rise was not seen
    const widthPs = timePs - this.riseAtPs;
    this.attempts++;
    if (widthPs >= this.minPs && widthPs <= this.maxPs) return true;
    this.failures++;
    this.detail = `${this.pulse.name} was high for ${widthPs} ps, from ${this.riseAtPs} to ${timePs} ps`;
    return false;
  }
}
