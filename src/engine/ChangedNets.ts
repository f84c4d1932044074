// The traced nets committed with a new value since the trace last sampled: what a TraceSink is handed
// once per time step (api.ts). Handed out in ascending net id, which is declaration order, whatever
// order the processes ran in: so a trace does not depend on the back end or the evaluation order.

/** A set of net ids, kept as a two-level bitmap, taken out in ascending order. */
export class ChangedNets {
  /** Ids taken by the last `take`, ascending, in `ids[0 .. n)`. */
  readonly ids: Int32Array;
  private readonly words: Uint32Array;
  // bit w of summary word s: words[32·s + w] is not zero
  private readonly summary: Uint32Array;
  private count = 0;

  constructor(nNets: number) {
    this.ids = new Int32Array(nNets);
    this.words = new Uint32Array(Math.ceil(nNets / 32));
    this.summary = new Uint32Array(Math.ceil(nNets / 1024));
  }

  /** Number of nets listed since the last `take`. */
  get size(): number {
    return this.count;
  }

  /** Lists net `id`, unless listed already. */
  add(id: number): void {
    const w = id >>> 5;
    const bit = 1 << (id & 31);
    const word = this.words[w];
    if ((word & bit) !== 0) return;
    this.words[w] = word | bit;
    this.summary[w >>> 5] |= 1 << (w & 31);
    this.count++;
  }

  /** Moves the listed ids into `ids` in ascending order, empties the set and returns how many. */
  take(): number {
    const { ids, words, summary } = this;
    let n = 0;
    for (let s = 0; s < summary.length; s++) {
      let sm = summary[s];
      while (sm !== 0) {
        const low = sm & -sm;
        const w = (s << 5) | (31 - Math.clz32(low));
        sm ^= low;
        let bits = words[w];
        words[w] = 0;
        while (bits !== 0) {
          const b = bits & -bits;
          ids[n++] = (w << 5) | (31 - Math.clz32(b));
          bits ^= b;
        }
      }
      summary[s] = 0;
    }
    this.count = 0;
    return n;
  }
}
