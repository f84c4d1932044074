// Timed wake-ups: a timing wheel of 1 ps slots over the next WHEEL_PS, found through a three-level
// bitmap, with a binary min-heap for wake-ups further ahead; all in typed arrays, grown by doubling.
// The wake-ups due at one time come out in ascending process id, so runs are deterministic.

// 2^16 ps = 65.5 ns ahead: a control-clock period, T_max and a token's phases all fit.
const WHEEL_BITS = 16;
const WHEEL_PS = 1 << WHEEL_BITS;
const WHEEL_MASK = WHEEL_PS - 1;

/** Index of the lowest set bit of a non-zero 32-bit word. */
function lowestBit(m: number): number {
  return 31 - Math.clz32(m & -m);
}

/** Min-heap of (time, process) for wake-ups beyond the wheel; equal times pop in ascending id. */
class FarHeap {
  private times = new Float64Array(16);
  private procs = new Int32Array(16);
  size = 0;

  push(timePs: number, proc: number): void {
    if (this.size === this.times.length) {
      const times = new Float64Array(this.times.length * 2);
      const procs = new Int32Array(this.procs.length * 2);
      times.set(this.times);
      procs.set(this.procs);
      this.times = times;
      this.procs = procs;
    }
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

  peekTime(): number {
    return this.size > 0 ? this.times[0] : Infinity;
  }

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
}

/**
 * Timed process wake-ups; no allocation per push once grown. A wake-up less than WHEEL_PS after
 * the last time taken goes into the wheel slot of its time (one time per slot: every wheel entry
 * lies in [base, base + WHEEL_PS)), a later one into the far heap.
 */
export class EventQueue {
  /** Wake-ups pending. */
  size = 0;
  /** Process ids due at the time last taken by `takeDue`, ascending, in `due[0 .. n)`. */
  due = new Int32Array(64);

  // Time of the last takeDue (no wake-up is ever earlier); the wheel covers [base, base + WHEEL_PS).
  private base = 0;
  // Earliest pending time, Infinity if none; NaN when it must be searched for.
  private next = Infinity;
  // Slot lists: first and last node (−1: empty); per slot whether its list is out of id order.
  private readonly head = new Int32Array(WHEEL_PS).fill(-1);
  private readonly tail = new Int32Array(WHEEL_PS);
  private readonly unsorted = new Uint8Array(WHEEL_PS);
  // Bitmaps: bit s of level 0 marks a non-empty slot; each upper level marks non-zero words below.
  private readonly level0 = new Uint32Array(WHEEL_PS >>> 5);
  private readonly level1 = new Uint32Array(WHEEL_PS >>> 10);
  private readonly level2 = new Uint32Array(Math.max(1, WHEEL_PS >>> 15));
  private inWheel = 0;
  // Node pool: process id and next node; a free list through `nodeNext`.
  private nodeProc = new Int32Array(256);
  private nodeNext = new Int32Array(256);
  private free = -1;
  private nodesUsed = 0;
  private readonly far = new FarHeap();
  // Process ids taken one at a time by pop(), the API of the earlier heap.
  private popped = 0;
  private nPopped = 0;

  /** Schedules process `proc` at `timePs` (not before the time last taken). */
  push(timePs: number, proc: number): void {
    this.size++;
    if (timePs < this.next) this.next = timePs;
    if (timePs - this.base >= WHEEL_PS) {
      this.far.push(timePs, proc);
      return;
    }
    const slot = timePs & WHEEL_MASK;
    let node = this.free;
    if (node >= 0) this.free = this.nodeNext[node];
    else {
      if (this.nodesUsed === this.nodeProc.length) this.growNodes();
      node = this.nodesUsed++;
    }
    this.nodeProc[node] = proc;
    this.nodeNext[node] = -1;
    const first = this.head[slot];
    if (first < 0) {
      this.head[slot] = node;
      this.tail[slot] = node;
      this.mark(slot);
      this.inWheel++;
      return;
    }
    this.inWheel++;
    const last = this.tail[slot];
    if (proc >= this.nodeProc[last]) {
      this.nodeNext[last] = node;
      this.tail[slot] = node;
    } else if (proc <= this.nodeProc[first]) {
      this.nodeNext[node] = first;
      this.head[slot] = node;
    } else {
      this.nodeNext[last] = node;
      this.tail[slot] = node;
      this.unsorted[slot] = 1;
    }
  }

  /** Time of the earliest wake-up; Infinity when empty. */
  peekTime(): number {
    if (this.nPopped > this.popped) return this.base;
    let t = this.next;
    if (t !== t) t = this.next = this.search();
    return t;
  }

  /**
   * Takes every wake-up due at `timePs` (the earliest pending time) into `due`, in ascending
   * process id (a process woken twice appears twice, next to itself); returns how many.
   */
  takeDue(timePs: number): number {
    this.base = timePs;
    let n = 0;
    let sorted = true;
    if (this.inWheel > 0) {
      const slot = timePs & WHEEL_MASK;
      let node = this.head[slot];
      if (node >= 0) {
        sorted = this.unsorted[slot] === 0;
        this.unsorted[slot] = 0;
        const procs = this.nodeProc;
        const nextOf = this.nodeNext;
        const last = this.tail[slot];
        for (;;) {
          if (n === this.due.length) this.growDue();
          this.due[n++] = procs[node];
          if (node === last) break;
          node = nextOf[node];
        }
        nextOf[last] = this.free;
        this.free = this.head[slot];
        this.head[slot] = -1;
        this.unmark(slot);
        this.inWheel -= n;
      }
    }
    const far = this.far;
    if (far.size > 0 && far.peekTime() === timePs) {
      sorted = sorted && n === 0;
      while (far.size > 0 && far.peekTime() === timePs) {
        if (n === this.due.length) this.growDue();
        this.due[n++] = far.pop();
      }
    }
    if (!sorted) insertionSort(this.due, n);
    this.size -= n;
    // the next time is searched for when asked, unless nothing is left (then pushes set it)
    this.next = this.size === 0 ? Infinity : NaN;
    return n;
  }

  /** Removes the earliest wake-up and returns its process id (one at a time; takeDue takes a whole time). */
  pop(): number {
    if (this.nPopped === this.popped) {
      this.nPopped = this.takeDue(this.peekTime());
      this.popped = 0;
      // takeDue counted them out; pop hands them out one by one
      this.size += this.nPopped;
    }
    this.size--;
    return this.due[this.popped++];
  }

  // Earliest pending time: the first marked slot from base's slot on (wrapping), or the far heap's.
  private search(): number {
    let t = this.far.size > 0 ? this.far.peekTime() : Infinity;
    if (this.inWheel > 0) {
      const from = this.base & WHEEL_MASK;
      let slot = this.firstMarked(from);
      if (slot < 0) slot = this.firstMarked(0);
      const wheelT = this.base + ((slot - from) & WHEEL_MASK);
      if (wheelT < t) t = wheelT;
    }
    return t;
  }

  // First non-empty slot at or after `from`, −1 if none (no wrap-around).
  private firstMarked(from: number): number {
    const l0 = this.level0, l1 = this.level1, l2 = this.level2;
    let w0 = from >>> 5;
    let m = l0[w0] & (-1 << (from & 31));
    if (m !== 0) return (w0 << 5) | lowestBit(m);
    let p = w0 + 1; // next level-0 word to look at
    if (p >= l0.length) return -1;
    let w1 = p >>> 5;
    m = l1[w1] & (-1 << (p & 31));
    if (m === 0) {
      p = w1 + 1; // next level-1 word
      for (;;) {
        if (p >= l1.length) return -1;
        const w2 = p >>> 5;
        const m2 = l2[w2] & (-1 << (p & 31));
        if (m2 !== 0) {
          w1 = (w2 << 5) | lowestBit(m2);
          m = l1[w1];
          break;
        }
        p = (w2 + 1) << 5;
      }
    }
    w0 = (w1 << 5) | lowestBit(m);
    return (w0 << 5) | lowestBit(l0[w0]);
  }

  private mark(slot: number): void {
    const w0 = slot >>> 5;
    this.level0[w0] |= 1 << (slot & 31);
    const w1 = w0 >>> 5;
    this.level1[w1] |= 1 << (w0 & 31);
    this.level2[w1 >>> 5] |= 1 << (w1 & 31);
  }

  private unmark(slot: number): void {
    const w0 = slot >>> 5;
    if ((this.level0[w0] &= ~(1 << (slot & 31))) !== 0) return;
    const w1 = w0 >>> 5;
    if ((this.level1[w1] &= ~(1 << (w0 & 31))) !== 0) return;
    this.level2[w1 >>> 5] &= ~(1 << (w1 & 31));
  }

  private growNodes(): void {
    const procs = new Int32Array(this.nodeProc.length * 2);
    const next = new Int32Array(this.nodeNext.length * 2);
    procs.set(this.nodeProc);
    next.set(this.nodeNext);
    this.nodeProc = procs;
    this.nodeNext = next;
  }

  private growDue(): void {
    const due = new Int32Array(this.due.length * 2);
    due.set(this.due);
    this.due = due;
  }
}

// Ascending order; the lists are nearly sorted (pushes mostly come in id order), so this is linear.
function insertionSort(a: Int32Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const x = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > x) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = x;
  }
}
