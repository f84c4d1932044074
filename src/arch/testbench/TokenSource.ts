// TokenSource: the testbench end of the token stream: offers pre-quantised q, k, v codes to a
// TokenSequencer with a ready/valid handshake, one token per transfer, optionally stalling.
import { Module } from "../../engine/Module.js";
import type { WideVec } from "../../engine/Signal.js";

/** Codes of T tokens over D dimensions, row-major, and their bit widths on the bus. */
export interface TokenCodes {
  T: number;
  D: number;
  q: Int32Array;
  k: Int32Array;
  v: Int32Array;
  qBits: number;
  kvBits: number;
}

/**
 * Drives `valid` and the code buses; advances at each rising edge where `ready` and `valid` are both
 * high. Token i is offered from the first rising edge at or after its arrival time, when given
 * (docs/model.md §7 token timing: stalls and gaps between tokens).
 */
export class TokenSource extends Module {
  readonly clk = this.bit("clk", "in");
  readonly ready = this.bit("ready", "in");
  readonly valid = this.bit("valid", "out");
  readonly qIn: WideVec;
  readonly kIn: WideVec;
  readonly vIn: WideVec;
  /** Index of the token on offer. */
  readonly index = this.vec("index", 32, "out");
  private readonly packed: { q: Uint32Array; k: Uint32Array; v: Uint32Array };

  /**
   * `stall(edge)` true holds `valid` low at that rising edge (back-pressure tests); none by default.
   * `arrivalsPs[i]` is token i's arrival time, ps; every token is there from the start when absent.
   */
  constructor(
    parent: Module | null,
    name: string,
    readonly codes: TokenCodes,
    private readonly stall: (edge: number) => boolean = () => false,
    private readonly arrivalsPs?: ArrayLike<number>,
  ) {
    super(parent, name);
    const { D, qBits, kvBits } = codes;
    this.qIn = this.wide("qIn", D * qBits, "out");
    this.kIn = this.wide("kIn", D * kvBits, "out");
    this.vIn = this.wide("vIn", D * kvBits, "out");
    this.packed = { q: pack(codes.q, codes.T, D, qBits), k: pack(codes.k, codes.T, D, kvBits), v: pack(codes.v, codes.T, D, kvBits) };
    let edge = 0;
    this.always(this.clk.posedge, [this.valid, this.index, this.qIn, this.kIn, this.vIn], () => {
      let i = this.index.get();
      if (this.valid.get() === 1 && this.ready.get() === 1) i++;
      this.index.set(i);
      const offer = i < this.codes.T && !this.stall(edge++) && (this.arrivalsPs === undefined || this.nowPs >= this.arrivalsPs[i]);
      this.valid.set(offer ? 1 : 0);
      if (offer) {
        put(this.qIn, this.packed.q, i);
        put(this.kIn, this.packed.k, i);
        put(this.vIn, this.packed.v, i);
      }
    });
  }
}

/** Packs each token's D codes of `bits` bits into 32-bit words, code d at bits d·bits.. */
function pack(codes: Int32Array, T: number, D: number, bits: number): Uint32Array {
  const words = Math.ceil((D * bits) / 32);
  const out = new Uint32Array(T * words);
  for (let t = 0; t < T; t++) {
    for (let d = 0; d < D; d++) {
      const code = codes[t * D + d];
      for (let b = 0; b < bits; b++) {
        if ((code >>> b) & 1) {
          const bit = d * bits + b;
          out[t * words + (bit >>> 5)] |= 1 << (bit & 31);
        }
      }
    }
  }
  return out;
}

function put(bus: WideVec, packed: Uint32Array, token: number): void {
  const n = bus.words;
  for (let w = 0; w < n; w++) bus.setWord(w, packed[token * n + w]);
}
