// A testbench for the analog blocks: the one-hot phase strobes of docs/model.md §3 on a control-clock
// grid, token after token, and a hook that drives the test's data at the start of each LOAD.
import { Module } from "../../src/engine/Module.js";
import { type Timer } from "../../src/engine/Process.js";
import type { Bit, Signal } from "../../src/engine/Signal.js";
import { Simulator } from "../../src/engine/Simulator.js";
import { Recorder } from "./recorder.js";

/** Phase names in schedule order (docs/model.md §3). */
export const PHASES = ["load", "write", "precharge1", "phase1", "precharge2", "phase2", "convert", "accumulate"] as const;
export type PhaseName = (typeof PHASES)[number];

/** docs/model.md §3 default schedule in control-clock cycles: 2 8 2 15 2 15 16 5 = 65. */
export const DEFAULT_CYCLES: readonly number[] = [2, 8, 2, 15, 2, 15, 16, 5];

export interface PhaseBenchOptions {
  /** Tokens to run. */
  tokens: number;
  /** Control-clock period, ps (default 1000). */
  periodPs?: number;
  /** Cycles per phase in PHASES order (default docs/model.md §3). */
  cycles?: readonly number[];
  /** Time the first LOAD begins, ps (default one period, so every strobe starts low). */
  startPs?: number;
}

/** Drives load … accumulate as the TokenSequencer does: each strobe high for exactly its phase. */
export class PhaseBench extends Module {
  readonly load = this.bit("load", "out");
  readonly write = this.bit("write", "out");
  readonly precharge1 = this.bit("precharge1", "out");
  readonly phase1 = this.bit("phase1", "out");
  readonly precharge2 = this.bit("precharge2", "out");
  readonly phase2 = this.bit("phase2", "out");
  readonly convert = this.bit("convert", "out");
  readonly accumulate = this.bit("accumulate", "out");
  readonly strobes: Bit[] = [this.load, this.write, this.precharge1, this.phase1, this.precharge2, this.phase2, this.convert, this.accumulate];
  readonly periodPs: number;
  readonly cycles: readonly number[];
  readonly startPs: number;
  readonly tokens: number;
  /** Cycles per token: the sum of the phases. */
  readonly tokenCycles: number;
  /** Index of the token in flight (−1 before the first LOAD). */
  current = -1;
  private phase = -1;
  private readonly sequencer: Timer;

  constructor(options: PhaseBenchOptions, name = "tb") {
    super(null, name);
    this.tokens = options.tokens;
    this.periodPs = options.periodPs ?? 1000;
    this.cycles = options.cycles ?? DEFAULT_CYCLES;
    this.startPs = options.startPs ?? this.periodPs;
    this.tokenCycles = this.cycles.reduce((a, b) => a + b, 0);
    this.sequencer = this.timer("sequencer", this.strobes, () => this.advance());
    this.onStart.push(() => this.sequencer.after(this.startPs));
  }

  /** Time phase `name` of token `n` begins, ps. */
  startOf(n: number, name: PhaseName): number {
    const p = PHASES.indexOf(name);
    let cycles = n * this.tokenCycles;
    for (let i = 0; i < p; i++) cycles += this.cycles[i];
    return this.startPs + cycles * this.periodPs;
  }

  /** Time phase `name` of token `n` ends (its strobe falls), ps. */
  endOf(n: number, name: PhaseName): number {
    return this.startOf(n, name) + this.cycles[PHASES.indexOf(name)] * this.periodPs;
  }

  /** Time the whole run ends, ps. */
  get endPs(): number {
    return this.startPs + this.tokens * this.tokenCycles * this.periodPs;
  }

  /** At the rising edge of LOAD of token n, `drive(n)` writes the test's data (only `writes`). */
  stimulus(writes: readonly Signal[], drive: (n: number) => void): void {
    this.always(this.load.posedge, writes, () => drive(this.current), "stimulus");
  }

  private advance(): void {
    this.phase++;
    if (this.phase === PHASES.length) {
      this.phase = 0;
    }
    if (this.phase === 0) {
      if (this.current + 1 >= this.tokens) {
        for (const s of this.strobes) s.set(0);
        return;
      }
      this.current++;
    }
    for (let i = 0; i < this.strobes.length; i++) this.strobes[i].set(i === this.phase ? 1 : 0);
    this.sequencer.after(this.cycles[this.phase] * this.periodPs);
  }
}

/** Value of a recorded history at time `t` (the last change at or before t). */
export function valueAt(history: readonly [number, string][] | undefined, t: number): number {
  if (history === undefined) throw new Error("no such net in the recording");
  let v = history[0][1];
  for (const [time, value] of history) {
    if (time > t) break;
    v = value;
  }
  return Number(v);
}

/** Simulates the bench to its end and returns a function giving a signal's recorded history. */
export function runPhaseBench(bench: PhaseBench): (s: Signal) => [number, string][] {
  const sim = new Simulator(bench);
  const rec = new Recorder(sim);
  sim.run(bench.endPs + bench.periodPs);
  sim.close();
  return (s) => rec.history.get(sim.netName(s.id))!;
}

/** Bench outputs joined to a block's inputs, one per input: `make` declares each output. */
export function drive<S extends Signal>(bench: Module, inputs: readonly S[], make: (s: S) => S): S[] {
  return inputs.map((input) => {
    const out = make(input);
    bench.connect(out, input);
    return out;
  });
}
