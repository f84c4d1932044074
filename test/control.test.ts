// Controllers under stateful model-based tests (fc.commands): random token offers, stalls and
// window sizes against plain models of the phase schedule and of the sliding-window ring.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Module } from "../src/engine/Module.js";
import { Simulator } from "../src/engine/Simulator.js";
import { Accumulator } from "../src/control/Accumulator.js";
import { SequencerState, TokenSequencer, type PhaseCycles } from "../src/control/TokenSequencer.js";
import { SlotPointer } from "../src/control/SlotPointer.js";

const PERIOD = 1000;

class Bench extends Module {
  readonly clk = this.clock("clk", { periodPs: PERIOD, firstRisePs: PERIOD / 2 });
  readonly seq: TokenSequencer;
  readonly ptr: SlotPointer;
  constructor(phases: PhaseCycles, windowM: number, tile: number) {
    super(null, "tb");
    this.seq = new TokenSequencer(this, "seq", { qBits: 8, kBits: 6, vBits: 6 }, phases);
    this.ptr = new SlotPointer(this, "ptr", { windowM, tile });
    this.connect(this.seq.clk, this.clk);
    this.connect(this.ptr.load, this.seq.load);
  }
}

/** Plain model: the token's schedule expanded to one state per cycle, and the ring as a list of tokens. */
class Model {
  readonly schedule: SequencerState[] = [];
  pos = -1; // index into schedule of the current cycle; −1 when idle
  ready = true;
  valid = false;
  offered = 0n;
  accepted: bigint[] = [];
  constructor(phases: PhaseCycles, readonly windowM: number, readonly tile: number) {
    phases.forEach((n, i) => { for (let k = 0; k < n; k++) this.schedule.push(i + 1); });
  }
  tick(): void {
    const end = this.pos < 0 || this.pos === this.schedule.length - 1;
    if (end) {
      if (this.ready && this.valid) {
        this.accepted.push(this.offered);
        this.pos = 0;
      } else this.pos = -1;
    } else this.pos++;
    this.ready = this.pos < 0 || this.pos === this.schedule.length - 1;
  }
  get state(): SequencerState {
    return this.pos < 0 ? SequencerState.IDLE : this.schedule[this.pos];
  }
  get remaining(): number {
    if (this.pos < 0) return 0;
    let n = 0;
    while (this.pos + n + 1 < this.schedule.length && this.schedule[this.pos + n + 1] === this.state) n++;
    return n;
  }
}

interface Real {
  bench: Bench;
  sim: Simulator;
  cycle: number;
}

class Offer implements fc.Command<Model, Real> {
  constructor(readonly data: bigint) {}
  check = () => true;
  run(m: Model, r: Real): void {
    m.valid = true;
    m.offered = this.data;
    r.sim.poke(r.bench.seq.valid, 1);
    r.sim.poke(r.bench.seq.qIn, this.data);
  }
  toString = () => `offer(${this.data})`;
}

class Withdraw implements fc.Command<Model, Real> {
  check = () => true;
  run(m: Model, r: Real): void {
    m.valid = false;
    r.sim.poke(r.bench.seq.valid, 0);
  }
  toString = () => "withdraw";
}

class Tick implements fc.Command<Model, Real> {
  constructor(readonly n: number) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const { seq, ptr } = r.bench;
    for (let i = 0; i < this.n; i++) {
      r.cycle++;
      r.sim.run(PERIOD / 2 + (r.cycle - 1) * PERIOD); // just after rising edge number `cycle`
      m.tick();
      const at = `after edge ${r.cycle}`;
      expect(seq.state.get(), at).toBe(m.state);
      expect(seq.remaining.get(), at).toBe(m.remaining);
      expect(seq.ready.get(), at).toBe(m.ready ? 1 : 0);
      const strobes = [seq.load, seq.write, seq.precharge1, seq.phase1, seq.precharge2, seq.phase2, seq.convert, seq.accumulate];
      strobes.forEach((s, k) => expect(s.get(), `${at}: strobe ${SequencerState[k + 1]}`).toBe(m.state === k + 1 ? 1 : 0));
      expect(seq.accepted.get(), at).toBe(m.accepted.length);
      if (m.accepted.length > 0) {
        expect(seq.qCodes.getBig(), at).toBe(m.accepted[m.accepted.length - 1]);
        const t = m.accepted.length - 1;
        const slot = t % m.windowM;
        expect([ptr.token.get(), ptr.slot.get(), ptr.subTile.get(), ptr.column.get()], at)
          .toEqual([t, slot, Math.floor(slot / m.tile), slot % m.tile]);
        const written = m.accepted.length >= m.windowM ? (1n << BigInt(m.windowM)) - 1n : (1n << BigInt(m.accepted.length)) - 1n;
        expect(ptr.written.getBig(), at).toBe(written);
        expect(ptr.full.get(), at).toBe(m.accepted.length >= m.windowM ? 1 : 0);
      }
    }
  }
  toString = () => `tick(${this.n})`;
}

describe("controllers", () => {
  it("TokenSequencer and SlotPointer follow the plain models for random offers, stalls and windows", () => {
    const phases = fc.tuple(...Array.from({ length: 8 }, () => fc.integer({ min: 1, max: 4 }))) as unknown as fc.Arbitrary<PhaseCycles>;
    const commands = fc.commands(
      [
        fc.bigInt({ min: 0n, max: 255n }).map((d) => new Offer(d)),
        fc.constant(new Withdraw()),
        fc.integer({ min: 1, max: 30 }).map((n) => new Tick(n)),
      ],
      { maxCommands: 60 },
    );
    fc.assert(
      fc.property(phases, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), commands, (ph, windowM, tile, cmds) => {
        const bench = new Bench(ph, windowM, tile);
        const sim = new Simulator(bench);
        sim.run(0);
        fc.modelRun(() => ({ model: new Model(ph, windowM, tile), real: { bench, sim, cycle: 0 } }), cmds);
      }),
      { numRuns: 80 },
    );
  });

  it("runs tokens back to back: 65 cycles per token with the spec's schedule", () => {
    const bench = new Bench([2, 8, 2, 15, 2, 15, 16, 5], 1024, 64);
    const sim = new Simulator(bench);
    sim.poke(bench.seq.valid, 1);
    // edge 1 accepts token 0 (ready is high while idle); then a token every 65 cycles, never idle
    for (let edge = 1; edge <= 1 + 4 * 65; edge++) {
      sim.run(500 + (edge - 1) * PERIOD);
      expect(bench.seq.state.get(), `edge ${edge}`).not.toBe(SequencerState.IDLE);
      if ((edge - 1) % 65 === 0) {
        expect(bench.seq.state.get()).toBe(SequencerState.LOAD);
        expect(bench.seq.accepted.get()).toBe((edge - 1) / 65 + 1);
      }
    }
  });

  it("the accumulator sums signed counts over sub-tiles without overflow and scales them", () => {
    const subTiles = 16;
    const acc = new Accumulator(null, "acc", { subTiles, dims: 2, maxMagnitude: 16, countBits: 5, stepOut: 2 / 31, aOut: 2, bOut: 0.5 });
    const sim = new Simulator(acc);
    for (let b = 0; b < subTiles; b++) {
      sim.poke(acc.counts[b][0].sign, 1);
      sim.poke(acc.counts[b][0].count, 16);
      sim.poke(acc.counts[b][1].count, b);
    }
    sim.poke(acc.accumulate, 1);
    sim.run(10);
    expect(acc.outValid.get()).toBe(0);
    sim.poke(acc.accumulate, 0);
    sim.run(20);
    expect(acc.outValid.get()).toBe(1);
    expect(acc.signedSum(0)).toBe(-256);
    expect(acc.signedSum(1)).toBe(120);
    expect(acc.outs[1].get()).toBe(2 * ((2 / 31) * 120) + 0.5);
  });
});
