// Delta cycles: settles one time step by evaluate/update rounds until nothing is pending (api.ts);
// holds the timers' armed times and the traced nets changed. How a round evaluates and commits is
// the back end's: InterpretedSchedule (the reference) or CompiledSchedule (generated code).
import { GaincellError, SimulationError } from "./errors.js";
import { ChangedNets } from "./ChangedNets.js";
import type { Elaborated } from "./Elaboration.js";
import type { SignalStore } from "./SignalStore.js";

/** No armed wake-up. */
const DISARMED = -1;

/** The evaluate/update machinery of one simulator; static tables, nothing allocated per event. */
export abstract class DeltaCycles {
  /** Traced nets committed with a new value since the trace last sampled. */
  readonly changed: ChangedNets;
  protected readonly traced: Uint8Array;
  // Each timer's one wake-up: the time it is armed for, DISARMED if none. A wake-up taken at any
  // other time was replaced or cancelled, and is dropped here, in `fire`, the one place that knows.
  private readonly armedAt: Float64Array;
  // Timers armed with 0 ps in this delta, woken (if still armed for now) when the delta's processes have run.
  private readonly soonq: Int32Array;
  private readonly soonQueued: Uint8Array;
  private nSoon = 0;

  constructor(
    protected readonly design: Elaborated,
    protected readonly store: SignalStore,
    private readonly deltaLimit: number,
  ) {
    const nProcs = design.processes.length;
    this.armedAt = new Float64Array(nProcs).fill(DISARMED);
    this.soonq = new Int32Array(nProcs);
    this.soonQueued = new Uint8Array(nProcs);
    this.traced = new Uint8Array(design.nets.length);
    this.changed = new ChangedNets(design.nets.length);
  }

  /** Process evaluations so far. */
  abstract get evaluations(): number;

  /** Fixes the schedule once the trace is known; called when the run starts. */
  abstract start(): void;

  /** Wakes `proc` in the next evaluate phase (once, however often it is woken). */
  abstract enqueue(proc: number): void;

  /** Wakes every combinational process, in rank order (the start of the run). */
  abstract enqueueCombinational(): void;

  /** False for a timer the back end never runs (its writes are unobserved, api.ts). */
  abstract runsTimer(proc: number): boolean;

  /** True when some process is woken for the next evaluate phase. */
  protected abstract get woken(): boolean;

  /** True when something written waits for the update phase. */
  protected abstract get written(): boolean;

  // Evaluate phase: runs the woken processes; they read `cur` and write `next`.
  protected abstract evaluate(nowPs: number): void;

  // Update phase: commits every pending net and wakes the processes sensitive to each change.
  protected abstract update(): void;

  /** True when the clock on net `id` is simulated at its rises only (api.ts); the reference never leaves a fall out. */
  risesOnly(_id: number): boolean {
    return false;
  }

  /** Marks net `id` as traced or not (before the run). */
  trace(id: number, traced: boolean): void {
    this.traced[id] = traced ? 1 : 0;
  }

  /** True when net `id` is traced. */
  isTraced(id: number): boolean {
    return this.traced[id] !== 0;
  }

  /** Arms process `proc`'s timer for `timePs`, replacing its pending wake-up. */
  arm(proc: number, timePs: number): void {
    this.armedAt[proc] = timePs;
  }

  /** Arms `proc`'s timer for the next delta of time `nowPs`. */
  armSoon(proc: number, nowPs: number): void {
    this.armedAt[proc] = nowPs;
    if (this.soonQueued[proc] === 0) {
      this.soonQueued[proc] = 1;
      this.soonq[this.nSoon++] = proc;
    }
  }

  /** Drops `proc`'s pending timer wake-up. */
  disarm(proc: number): void {
    this.armedAt[proc] = DISARMED;
  }

  /** A timer wake-up of `proc` for `timePs` is due: wakes it if it is still the armed one. */
  fire(proc: number, timePs: number): void {
    if (this.armedAt[proc] !== timePs) return;
    this.armedAt[proc] = DISARMED;
    this.enqueue(proc);
  }

  /** True when something is written or woken, so the time step is not settled. */
  get unsettled(): boolean {
    return this.written || this.woken || this.nSoon > 0;
  }

  /**
   * Delta cycles at `nowPs` until nothing is pending and nothing is woken. Without comb loops (refused
   * at elaboration) only feedback through clocked or timed processes can keep a step from settling.
   */
  settle(nowPs: number): void {
    let deltas = 0;
    if (this.nSoon > 0) this.wakeSoon(nowPs);
    for (;;) {
      if (this.woken) {
        this.evaluate(nowPs);
        if (this.nSoon > 0) this.wakeSoon(nowPs);
      }
      if (this.written) {
        if (++deltas > this.deltaLimit) this.unsettledError(nowPs);
        this.update();
      } else if (!this.woken) return;
      else if (++deltas > this.deltaLimit) this.unsettledError(nowPs);
    }
  }

  // The timers armed with 0 ps wake in the next delta, unless armed again for later since.
  private wakeSoon(nowPs: number): void {
    const soonq = this.soonq;
    for (let i = 0; i < this.nSoon; i++) {
      const p = soonq[i];
      this.soonQueued[p] = 0;
      this.fire(p, nowPs);
    }
    this.nSoon = 0;
  }

  /** Names of the processes woken for the next evaluate phase, for the unsettled error. */
  protected abstract wokenNames(max: number): string[];

  private unsettledError(nowPs: number): never {
    const d = this.design;
    const s = this.store;
    const pendingNames = Array.from(s.pending.subarray(0, Math.min(s.nPending, 12)), (id) => d.nets[id].handles[0].path);
    throw new SimulationError(
      `no settling after ${this.deltaLimit} delta cycles at ${nowPs} ps (feedback through clocked or timed ` +
        `processes); still changing: ${pendingNames.join(", ") || "none"}; ` +
        `woken: ${this.wokenNames(12).join(", ") || "none"}`,
    );
  }

  /** The error of process `p` failing at `nowPs`, naming the process and the time. */
  protected inProcess(p: number, e: unknown, nowPs: number): Error {
    const where = `at ${nowPs} ps in ${this.design.processes[p].path}`;
    if (e instanceof GaincellError) {
      e.message = `${where}: ${e.message}`;
      return e;
    }
    return new SimulationError(`${where}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/** Fisher–Yates with a seeded generator, for the order-independence test mode. */
export function shuffle(q: Int32Array | number[], n: number, random: () => number): void {
  for (let i = n - 1; i > 0; i--) {
    const j = random() % (i + 1);
    const x = q[i];
    q[i] = q[j];
    q[j] = x;
  }
}
