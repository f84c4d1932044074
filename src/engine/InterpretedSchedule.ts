// The interpreted scheduler, the reference back end: runs the woken processes from a queue and
// commits every written net through the elaborated fan-out tables; every net is committed and every
// timer armed, and every write is checked against its driver (CheckedSignalStore).
import { DeltaCycles, shuffle } from "./DeltaCycles.js";
import type { Elaborated } from "./Elaboration.js";
import { mulberry32 } from "./prng.js";
import { copyChangedWords, type CheckedSignalStore } from "./SignalStore.js";

/** Delta cycles run from generic tables: a process is a closure in a table, a commit walks the fan-out rows. */
export class InterpretedSchedule extends DeltaCycles {
  private nEvaluations = 0;
  private readonly runs: (() => void)[];
  private readonly queued: Uint8Array;
  private runq: Int32Array;
  private wakeq: Int32Array;
  private nWake = 0;
  private readonly random: (() => number) | null;
  // Narrow nets that wake no process and are not traced: committing them is a copy (set at start).
  private readonly quiet: Uint8Array;

  constructor(design: Elaborated, protected override readonly store: CheckedSignalStore, deltaLimit: number, shuffleSeed: number | undefined) {
    super(design, store, deltaLimit);
    const nProcs = design.processes.length;
    this.runs = design.processes.map((p) => p.run);
    this.queued = new Uint8Array(nProcs);
    this.runq = new Int32Array(nProcs);
    this.wakeq = new Int32Array(nProcs);
    this.random = shuffleSeed === undefined ? null : mulberry32(shuffleSeed);
    this.quiet = new Uint8Array(design.nets.length);
  }

  get evaluations(): number {
    return this.nEvaluations;
  }

  start(): void {
    const d = this.design;
    const woken = (f: { start: Int32Array }, id: number) => f.start[id + 1] > f.start[id];
    for (let id = 0; id < this.quiet.length; id++) {
      const wakes = woken(d.onChange, id) || woken(d.onPosedge, id) || woken(d.onNegedge, id);
      this.quiet[id] = d.wideOff[id] < 0 && !wakes && this.traced[id] === 0 ? 1 : 0;
    }
  }

  enqueue(p: number): void {
    if (this.queued[p] === 0) {
      this.queued[p] = 1;
      this.wakeq[this.nWake++] = p;
    }
  }

  enqueueCombinational(): void {
    for (const p of this.design.combOrder) this.enqueue(p);
  }

  runsTimer(): boolean {
    return true;
  }

  protected get woken(): boolean {
    return this.nWake > 0;
  }

  protected get written(): boolean {
    return this.store.nPending > 0;
  }

  protected wokenNames(max: number): string[] {
    return Array.from(this.wakeq.subarray(0, Math.min(this.nWake, max)), (p) => this.design.processes[p].path);
  }

  protected evaluate(nowPs: number): void {
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
    this.nEvaluations += n;
  }

  protected update(): void {
    const s = this.store;
    const { cur, next, wcur, wnext, wideOff, wideWords, pending, isPending } = s;
    const d = this.design;
    const cs = d.onChange.start, cp = d.onChange.items;
    const ps = d.onPosedge.start, pp = d.onPosedge.items;
    const ns = d.onNegedge.start, np = d.onNegedge.items;
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
      } else if (!copyChangedWords(wcur, wnext, off, wideWords[id])) continue;
      if (traced[id] !== 0) this.changed.add(id);
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
}
