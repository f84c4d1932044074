// The signal store: every net's current and next value in flat typed arrays, indexed by a net id
// fixed at elaboration. Writes go to `next` and are committed by the scheduler's update phase.
import { SignalValueError } from "./errors.js";

/** Flat value storage for all nets of one elaborated design. */
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
  /** Id of the process allowed to write each net; −1: only the testbench (Simulator.poke). */
  readonly driver: Int32Array;
  /** Ids written since the last update phase, each once. */
  readonly pending: Int32Array;
  readonly isPending: Uint8Array;
  nPending = 0;
  /** Process being evaluated, −1 for the testbench; checked against `driver` on every write. */
  active = -1;

  constructor(
    readonly size: number,
    wideOff: Int32Array,
    wideWords: Int32Array,
    totalWords: number,
    driver: Int32Array,
    private readonly describe: (id: number) => string,
    private readonly describeProcess: (proc: number) => string,
  ) {
    this.cur = new Float64Array(size);
    this.next = new Float64Array(size);
    this.wcur = new Uint32Array(totalWords);
    this.wnext = new Uint32Array(totalWords);
    this.wideOff = wideOff;
    this.wideWords = wideWords;
    this.driver = driver;
    this.pending = new Int32Array(size);
    this.isPending = new Uint8Array(size);
  }

  /** Writes a narrow value (already masked) to net `id`. */
  write(id: number, v: number): void {
    if (this.driver[id] !== this.active) this.notTheDriver(id);
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
    if (this.driver[id] !== this.active) this.notTheDriver(id);
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

  private notTheDriver(id: number): never {
    const drv = this.driver[id];
    const who = this.active < 0 ? "the testbench" : `process ${this.describeProcess(this.active)}`;
    const owner = drv < 0 ? "the testbench (it has no driving process)" : `process ${this.describeProcess(drv)}`;
    throw new SignalValueError(
      `${this.describe(id)}: written by ${who}, but its only driver is ${owner}; ` +
        `declare it in that process's writes, or drive it from one place`,
    );
  }

  /** Throws the error for a value of the wrong kind written to net `id`. */
  badValue(id: number, v: unknown, expected: string): never {
    throw new SignalValueError(`${this.describe(id)}: cannot take ${String(v)}: expected ${expected}`);
  }
}
