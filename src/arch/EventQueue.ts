// Timed wake-ups: a binary min-heap of (time ps, process id) in typed arrays, grown by doubling.
// Equal times pop in a fixed order for a fixed sequence of pushes, so runs are deterministic.

/** Min-heap of timed process wake-ups; no allocation per push once grown. */
export class EventQueue {
  private times = new Float64Array(64);
  private procs = new Int32Array(64);
  size = 0;

  /** Schedules process `proc` at `timePs`. */
  push(timePs: number, proc: number): void {
    if (this.size === this.times.length) this.grow();
    let i = this.size++;
    const times = this.times;
    const procs = this.procs;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent];
      if (pt < timePs || (pt === timePs && procs[parent] <= proc)) break;
      times[i] = pt;
      procs[i] = procs[parent];
      i = parent;
    }
    times[i] = timePs;
    procs[i] = proc;
  }

  /** Time of the earliest wake-up; Infinity when empty. */
  peekTime(): number {
    return this.size > 0 ? this.times[0] : Infinity;
  }

  /** Removes the earliest wake-up and returns its process id. */
  pop(): number {
    const times = this.times;
    const procs = this.procs;
    const top = procs[0];
    const n = --this.size;
    const t = times[n];
    const p = procs[n];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && (times[c + 1] < times[c] || (times[c + 1] === times[c] && procs[c + 1] < procs[c]))) c++;
      if (times[c] > t || (times[c] === t && procs[c] >= p)) break;
      times[i] = times[c];
      procs[i] = procs[c];
      i = c;
    }
    times[i] = t;
    procs[i] = p;
    return top;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    const procs = new Int32Array(this.procs.length * 2);
    times.set(this.times);
    procs.set(this.procs);
    this.times = times;
    this.procs = procs;
  }
}
