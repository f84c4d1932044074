// TokenSequencer: the finite-state machine that runs one token through the eight phases of
// docs/model.md §3 on the control clock, with a ready/valid handshake on the token stream (docs/model.md §3 LOAD).
import { Module } from "../engine/Module.js";
import type { Bit, WideVec } from "../engine/Signal.js";
import { ConfigError } from "../errors.js";

/** Sequencer states, in schedule order; the trace shows the number. */
export enum SequencerState {
  IDLE = 0,
  LOAD = 1,
  WRITE = 2,
  PRECHARGE1 = 3,
  PHASE1 = 4,
  PRECHARGE2 = 5,
  PHASE2 = 6,
  CONVERT = 7,
  ACCUMULATE = 8,
}

/** Durations of the eight phases in control-clock cycles, LOAD first (docs/model.md §3: 2 8 2 15 2 15 16 5). */
export type PhaseCycles = readonly [number, number, number, number, number, number, number, number];

/** Bus widths of the token stream: bits of q, k and v codes over the D dimensions. */
export interface TokenBusWidths {
  qBits: number;
  kBits: number;
  vBits: number;
}

/** The controller: IDLE until a token is offered, then LOAD … ACCUMULATE, back to back while tokens keep coming. */
export class TokenSequencer extends Module {
  readonly clk = this.bit("clk", "in");
  /** Token stream handshake: a token transfers at a rising edge where both are high. */
  readonly valid = this.bit("valid", "in");
  readonly ready = this.bit("ready", "out", 1);
  readonly qIn: WideVec;
  readonly kIn: WideVec;
  readonly vIn: WideVec;
  /** Codes of the token being processed, latched when it is accepted. */
  readonly qCodes: WideVec;
  readonly kCodes: WideVec;
  readonly vCodes: WideVec;
  readonly state = this.vec("state", 4, "out");
  /** Cycles left in the current phase after this one. */
  readonly remaining = this.vec("remaining", 16, "out");
  /** One-hot phase strobes, each high for exactly its phase (the blocks' timing contract). */
  readonly load = this.bit("load", "out");
  readonly write = this.bit("write", "out");
  readonly precharge1 = this.bit("precharge1", "out");
  readonly phase1 = this.bit("phase1", "out");
  readonly precharge2 = this.bit("precharge2", "out");
  readonly phase2 = this.bit("phase2", "out");
  readonly convert = this.bit("convert", "out");
  readonly accumulate = this.bit("accumulate", "out");
  /** Tokens accepted so far. */
  readonly accepted = this.vec("accepted", 32, "out");

  /** Ledger event (docs/model.md §4): control-clock cycles spent on a token. */
  private readonly controlCycles = this.eventCounter("controlCycles");
  private readonly strobes: Bit[];
  private readonly cycles: Int32Array;

  constructor(parent: Module | null, name: string, widths: TokenBusWidths, phaseCycles: PhaseCycles) {
    super(parent, name);
    phaseCycles.forEach((n, i) => {
      if (!Number.isInteger(n) || n < 1 || n > 65536) {
        throw new ConfigError(`${this.path}.phaseCycles[${i}] (${SequencerState[i + 1]})`, `${n} is not a whole number of cycles in 1..65536`);
      }
    });
    this.cycles = Int32Array.from([0, ...phaseCycles]);
    this.qIn = this.wide("qIn", widths.qBits, "in");
    this.kIn = this.wide("kIn", widths.kBits, "in");
    this.vIn = this.wide("vIn", widths.vBits, "in");
    this.qCodes = this.wide("qCodes", widths.qBits, "out");
    this.kCodes = this.wide("kCodes", widths.kBits, "out");
    this.vCodes = this.wide("vCodes", widths.vBits, "out");
    this.strobes = [this.load, this.write, this.precharge1, this.phase1, this.precharge2, this.phase2, this.convert, this.accumulate];
    const outs = [this.ready, this.state, this.remaining, ...this.strobes, this.accepted, this.qCodes, this.kCodes, this.vCodes];
    this.always(this.clk.posedge, outs, () => this.tick());
  }

  private tick(): void {
    const st = this.state.get();
    const rem = this.remaining.get();
    const lastCycle = rem === 0;
    if (st !== SequencerState.IDLE) this.controlCycles.add(1);
    if (st === SequencerState.IDLE || (st === SequencerState.ACCUMULATE && lastCycle)) {
      if (this.ready.get() === 1 && this.valid.get() === 1) {
        this.latch();
        this.enter(SequencerState.LOAD);
      } else this.enter(SequencerState.IDLE);
    } else if (!lastCycle) {
      this.remaining.set(rem - 1);
      this.ready.set(st === SequencerState.ACCUMULATE && rem - 1 === 0 ? 1 : 0);
    } else this.enter(st + 1);
  }

  private enter(next: SequencerState): void {
    const rem = next === SequencerState.IDLE ? 0 : this.cycles[next] - 1;
    this.state.set(next);
    this.remaining.set(rem);
    for (let i = 0; i < 8; i++) this.strobes[i].set(next === i + 1 ? 1 : 0);
    // ready one cycle ahead: in IDLE, and in the last ACCUMULATE cycle so tokens run back to back
    this.ready.set(next === SequencerState.IDLE || (next === SequencerState.ACCUMULATE && rem === 0) ? 1 : 0);
  }

  private latch(): void {
    copyWords(this.qIn, this.qCodes);
    copyWords(this.kIn, this.kCodes);
    copyWords(this.vIn, this.vCodes);
    this.accepted.set(this.accepted.get() + 1);
  }
}

function copyWords(from: WideVec, to: WideVec): void {
  for (let i = 0; i < from.words; i++) to.setWord(i, from.getWord(i));
}
