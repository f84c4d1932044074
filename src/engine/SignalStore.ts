// The signal store: every net's current and next value in flat typed arrays, indexed by a net id
// fixed at elaboration. Writes go to `next` and are committed by the scheduler's update phase.
import { SignalValueError } from "./errors.js";

/** Flat value storage for all nets of one elaborated design; writes are not checked against drivers. */
export class SignalStore {
  /** Committed values of narrow nets (bits, vectors ≤ 32 bits) and reals. */
  readonly cur: Float64Array;
  /** Values written in the current evaluate phase. */
  readonly next: Float64Array;
  /** Committed 32-bit words of wide vectors; `wideOff[id]` is the first word of net `id`, −1 if narrow. */
  readonly wcur: Uint32Array;
  /** Next words of wide vectors. */
  readonly wnext: Uint32Array;
  readonly wideOff: Int32Array;
  readonly wideWords: Int32Array;
  /** Ids written since the last update phase, each once. */
  readonly pending: Int32Array;
  /**
   * 1 while net `id` is in `pending`. A net held at 1 for good is never committed: the compiled
   * scheduler does that to the nets nobody observes, so writing one costs a store and a compare.
   */
  readonly isPending: Uint8Array;
  nPending = 0;

  constructor(
    readonly size: number,
    wideOff: Int32Array,
    wideWords: Int32Array,
    totalWords: number,
    protected readonly describe: (id: number) => string,
  ) {
    this.cur = new Float64Array(size);
    this.next = new Float64Array(size);
    this.wcur = new Uint32Array(totalWords);
    this.wnext = new Uint32Array(totalWords);
    this.wideOff = wideOff;
    this.wideWords = wideWords;
    this.pending = new Int32Array(size);
    this.isPending = new Uint8Array(size);
  }

  /** Writes a narrow value (already masked) to net `id`. */
  write(id: number, v: number): void {
    if (this.next[id] !== v) {
      this.next[id] = v;
      if (this.isPending[id] === 0) {
        this.isPending[id] = 1;
        this.pending[this.nPending++] = id;
      }
    }
  }

  /** Writes word `word` of wide net `id`. */
  writeWord(id: number, word: number, v: number): void {
    const at = this.wideOff[id] + word;
    if (this.wnext[at] !== v) {
      this.wnext[at] = v;
      if (this.isPending[id] === 0) {
        this.isPending[id] = 1;
        this.pending[this.nPending++] = id;
      }
    }
  }

  /** Sets a net's value in both phases at once, before the run starts (initial values). */
  initialise(id: number, v: number): void {
    this.cur[id] = v;
    this.next[id] = v;
  }

  /** Sets one word of a wide net in both phases, before the run starts. */
  initialiseWord(id: number, word: number, v: number): void {
    const at = this.wideOff[id] + word;
    this.wcur[at] = v;
    this.wnext[at] = v;
  }

  /** Throws the error for a value of the wrong kind written to net `id`. */
  badValue(id: number, v: unknown, expected: string): never {
    // with the compiled back end an unobserved net reads NaN: say where such a NaN may come from
    const hint = Number.isNaN(v) ? " (if it was read from a signal: an unobserved net reads NaN; a process declares the signals of other modules it reads, the testbench observes those it reads; api.ts)" : "";
    throw new SignalValueError(`${this.describe(id)}: cannot take ${String(v)}: expected ${expected}${hint}`);
  }
}

/** The store of the interpreted (reference) scheduler: every write is checked against the net's one driver. */
export class CheckedSignalStore extends SignalStore {
  /** Process being evaluated, −1 for the testbench; checked against `driver` on every write. */
  active = -1;

  constructor(
    size: number,
    wideOff: Int32Array,
    wideWords: Int32Array,
    totalWords: number,
    describe: (id: number) => string,
    /** Id of the process allowed to write each net; −1: only the testbench (Simulator.poke). */
    private readonly driver: Int32Array,
    private readonly describeProcess: (proc: number) => string,
  ) {
    super(size, wideOff, wideWords, totalWords, describe);
  }

  // the base's write spelt out again: a call to super.write costs a call per write on the reference's hot path
  override write(id: number, v: number): void {
    if (this.driver[id] !== this.active) this.notTheDriver(id);
    if (this.next[id] !== v) {
      this.next[id] = v;
      if (this.isPending[id] === 0) {
        this.isPending[id] = 1;
        this.pending[this.nPending++] = id;
      }
    }
  }

  override writeWord(id: number, word: number, v: number): void {
    if (this.driver[id] !== this.active) this.notTheDriver(id);
    super.writeWord(id, word, v);
  }

  private notTheDriver(id: number): never {
    const drv = this.driver[id];
    const who = this.active < 0 ? "the testbench" : `process ${this.describeProcess(this.active)}`;
    const owner = drv < 0 ? "the testbench (it has no driving process)" : `process ${this.describeProcess(drv)}`;
    throw new SignalValueError(
      `${this.describe(id)}: written by ${who}, but its only driver is ${owner}; ` +
        `declare it in that process's writes, or drive it from one place`,
    );
  }
}

/** Copies words off … off + n − 1 of `from` into `to` where they differ; true when any did (a wide net changed). */
export function copyChangedWords(to: Uint32Array, from: Uint32Array, off: number, n: number): boolean {
  let diff = false;
  for (let w = off, e = off + n; w < e; w++) {
    if (to[w] !== from[w]) {
      to[w] = from[w];
      diff = true;
    }
  }
  return diff;
}
