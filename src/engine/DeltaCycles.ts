// Delta cycles: settles one time step by evaluate/update rounds until nothing is pending (api.ts);
// holds the wake-up queues, the timers' armed times and the list of traced nets changed.
import { GaincellError, SimulationError } from "./errors.js";
import type { Elaborated } from "./Elaboration.js";
import type { SignalStore } from "./SignalStore.js";
import { mulberry32 } from "./prng.js";

/** No armed wake-up. */
const DISARMED = -1;

/** The evaluate/update machinery of one simulator; static tables, nothing allocated per event. */
export class DeltaCycles {
  /** Process evaluations so far. */
  evaluations = 0;
  /** Traced nets committed with a new value since the trace last sampled: `changed[0 .. nChanged)`. */
  readonly changed: Int32Array;
  nChanged = 0;

  private readonly runs: (() => void)[];
  private readonly queued: Uint8Array;
  private runq: Int32Array;
  private wakeq: Int32Array;
  private nWake = 0;
  // Each timer's one wake-up: the time it is armed for, DISARMED if none. A wake-up taken at any
  // other time was replaced or cancelled, and is dropped here, in `fire`, the one place that knows.
  private readonly armedAt: Float64Array;
  // Timers armed with 0 ps in this delta, woken (if still armed for now) when the delta's processes have run.
  private readonly soonq: Int32Array;
  private readonly soonQueued: Uint8Array;
  private nSoon = 0;
  private readonly random: (() => number) | null;
  private readonly traced: Uint8Array;
  // Narrow nets that wake no process and are not traced: committing them is a copy (set at start).
  private readonly quiet: Uint8Array;
  private readonly isChanged: Uint8Array;

  constructor(
    private readonly design: Elaborated,
    private readonly store: SignalStore,
    private readonly deltaLimit: number,
    shuffleSeed: number | undefined,
  ) {
    const nNets = design.nets.length;
    const nProcs = design.processes.length;
    this.runs = design.processes.map((p) => p.run);
    this.queued = new Uint8Array(nProcs);
    this.runq = new Int32Array(nProcs);
    this.wakeq = new Int32Array(nProcs);
    this.armedAt = new Float64Array(nProcs).fill(DISARMED);
    this.soonq = new Int32Array(nProcs);
    this.soonQueued = new Uint8Array(nProcs);
    this.random = shuffleSeed === undefined ? null : mulberry32(shuffleSeed);
    this.traced = new Uint8Array(nNets);
    this.quiet = new Uint8Array(nNets);
    this.isChanged = new Uint8Array(nNets);
    this.changed = new Int32Array(nNets);
  }

  /** Marks net `id` as traced or not (before the run). */
  trace(id: number, traced: boolean): void {
    this.traced[id] = traced ? 1 : 0;
  }

  /** True when net `id` is traced. */
  isTraced(id: number): boolean {
    return this.traced[id] !== 0;
  }

  /** Fixes which nets are quiet, once the trace is known; called when the run starts. */
  start(): void {
    const d = this.design;
    const woken = (f: { start: Int32Array }, id: number) => f.start[id + 1] > f.start[id];
    for (let id = 0; id < this.quiet.length; id++) {
      const wakes = woken(d.onChange, id) || woken(d.onPosedge, id) || woken(d.onNegedge, id);
      this.quiet[id] = d.wideOff[id] < 0 && !wakes && this.traced[id] === 0 ? 1 : 0;
    }
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

  /** Wakes `proc` in the next evaluate phase (once, however often it is woken). */
  enqueue(p: number): void {
    if (this.queued[p] === 0) {
      this.queued[p] = 1;
      this.wakeq[this.nWake++] = p;
    }
  }

  /** True when something is written or woken, so the time step is not settled. */
  get unsettled(): boolean {
    return this.store.nPending > 0 || this.nWake > 0 || this.nSoon > 0;
  }

  /**
   * Delta cycles at `nowPs` until nothing is pending and nothing is woken. Without comb loops (refused
   * at elaboration) only feedback through clocked or timed processes can keep a step from settling.
   */
  settle(nowPs: number): void {
    const store = this.store;
    let deltas = 0;
    if (this.nSoon > 0) this.wakeSoon(nowPs);
    for (;;) {
      if (this.nWake > 0) this.evaluate(nowPs);
      if (store.nPending > 0) {
        if (++deltas > this.deltaLimit) this.unsettledError(nowPs);
        this.update();
      } else if (this.nWake === 0) return;
      else if (++deltas > this.deltaLimit) this.unsettledError(nowPs);
    }
  }

  /** Forgets the traced changes once the trace has sampled them. */
  clearChanged(): void {
    for (let i = 0; i < this.nChanged; i++) this.isChanged[this.changed[i]] = 0;
    this.nChanged = 0;
  }

  // Evaluate phase: runs the woken processes; they read `cur` and write `next`.
  private evaluate(nowPs: number): void {
    const q = this.wakeq;
    const n = this.nWake;
    this.wakeq = this.runq;
    this.runq = q;
    this.nWake = 0;
    if (this.random !== null) shuffle(q, n, this.random);
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
      throw this.inProcess(q[i], e, nowPs);
    } finally {
      store.active = -1;
    }
    this.evaluations += n;
    if (this.nSoon > 0) this.wakeSoon(nowPs);
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

  // Update phase: commits every pending net and wakes the processes sensitive to each change.
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

  private unsettledError(nowPs: number): never {
    const names = (ids: Int32Array, n: number, name: (id: number) => string) =>
      Array.from(ids.subarray(0, Math.min(n, 12)), name).join(", ") || "none";
    const d = this.design;
    const s = this.store;
    throw new SimulationError(
      `no settling after ${this.deltaLimit} delta cycles at ${nowPs} ps (feedback through clocked or timed ` +
        `processes); still changing: ${names(s.pending, s.nPending, (id) => d.nets[id].handles[0].path)}; ` +
        `woken: ${names(this.wakeq, this.nWake, (p) => d.processes[p].path)}`,
    );
  }

  private inProcess(p: number, e: unknown, nowPs: number): Error {
    const where = `at ${nowPs} ps in ${this.design.processes[p].path}`;
    if (e instanceof GaincellError) {
      e.message = `${where}: ${e.message}`;
      return e;
    }
    return new SimulationError(`${where}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/** Fisher–Yates with a seeded generator, for the order-independence test mode. */
function shuffle(q: Int32Array, n: number, random: () => number): void {
  for (let i = n - 1; i > 0; i--) {
    const j = random() % (i + 1);
    const x = q[i];
    q[i] = q[j];
    q[j] = x;
  }
}
