// Processes and what they hold: a process (what wakes it, what it writes and reads), the timer of a
// timed one, and the event counters blocks raise (api.ts: processes, reads and effects).
import type { Scheduler, TimePs, Trigger } from "./api.js";
import type { Description } from "./Description.js";
import type { Signal, SignalOwner } from "./Signal.js";

/**
 * A process: a function the scheduler runs when its trigger fires; it writes only `writes` and reads
 * its sensitivity plus `reads`, or, when `reads` is null, any signal of its own module (api.ts).
 */
export class Process {
  /** Process id, fixed at elaboration. */
  id = -1;
  /** True for the generator of a Module.clock: a writer whose falls may be left out (api.ts). */
  drivesClock = false;
  /** Its description when it is a described process (the compiled back end inlines it), else null. */
  description: Description | null = null;

  constructor(
    readonly owner: SignalOwner,
    readonly label: string,
    readonly trigger: Trigger,
    readonly sensitivity: readonly Signal[],
    readonly writes: readonly Signal[],
    readonly run: () => void,
    readonly reads: readonly Signal[] | null = null,
  ) {}

  /** Hierarchical name for messages, e.g. `pwm64.ch[3].u.always@posedge(clk)`. */
  get path(): string {
    return `${this.owner.path}.${this.label}`;
  }
}

/** A process woken at chosen times; it holds at most one wake-up, and arming it again replaces it. */
export class Timer {
  private scheduler: Scheduler | null = null;

  constructor(readonly process: Process) {}

  /** Attaches the timer to the scheduler that will run it; called once at elaboration. */
  bind(scheduler: Scheduler): void {
    this.scheduler = scheduler;
  }

  /** Wakes the process `delayPs` (an integer ≥ 0) after the current time, instead of any wake-up pending. */
  after(delayPs: TimePs): void {
    this.scheduler!.armTimer(this.process.id, delayPs);
  }

  /** Drops the pending wake-up, if any: the process is not woken by it. */
  cancel(): void {
    this.scheduler!.cancelTimer(this.process.id);
  }
}

/** A count of events a block raises (a cell written, a column converted); priced from outside. */
export class EventCounter {
  /** Events so far. */
  count = 0;

  constructor(readonly owner: SignalOwner, readonly name: string) {}

  /** Counts `n` more events. */
  add(n = 1): void {
    this.count += n;
  }
}

/** How a process is named and what it reads besides what wakes it. */
export interface ProcessOptions {
  /** Name in messages and the schedule, e.g. `convert`; a default is made from the trigger. */
  label?: string;
  /**
   * Every signal the process reads besides its trigger, when that is not "any signal of its own
   * module" (the default): required for signals of other modules, and lets the engine leave out
   * outputs of its module that nobody reads (api.ts, observation).
   */
  reads?: readonly Signal[];
}
