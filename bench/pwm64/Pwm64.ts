// pwm64 on the engine: the 64-channel PWM bank of bench/pwm64/pwm64.v, module for module,
// with the Verilog's hierarchy and names so that its trace lines up with Icarus Verilog's.
// The bank's signals and wiring are shared by two models of its behaviour: closures (here) and
// described processes (Pwm64Described.ts, api.ts "Described processes").
import { Module } from "../../src/engine/Module.js";
import type { Bit } from "../../src/engine/Signal.js";

export const CHANNELS = 64;
export const CODE_BITS = 4;
const PERIOD_PS = 1000; // always #500 clk = ~clk: 1 GHz at 1 ps resolution
const FIRST_RISE_PS = 500;

/** One PWM channel's ports and state: loads a 4-bit code, holds `pulse` high for that many cycles, counts high cycles. */
export abstract class PwmChannelPorts extends Module {
  readonly clk = this.bit("clk", "in");
  readonly load = this.bit("load", "in");
  readonly code = this.vec("code", CODE_BITS, "in");
  readonly pulse = this.bit("pulse", "out");
  readonly acc = this.vec("acc", 16, "out");
  readonly count = this.vec("count", CODE_BITS);
}

/** One PWM channel, its behaviour as closures. */
export class PwmChannel extends PwmChannelPorts {
  constructor(parent: Module, name: string) {
    super(parent, name);
    // assign pulse = (count != 0);
    this.comb([this.count], [this.pulse], () => this.pulse.set(this.count.get() !== 0 ? 1 : 0), { reads: [] });
    this.always(this.clk.posedge, [this.count, this.acc], () => {
      const count = this.count.get();
      if (this.load.get() === 1) this.count.set(this.code.get());
      else if (count !== 0) this.count.set(count - 1);
      if (this.pulse.get() === 1) this.acc.set(this.acc.get() + 1);
    });
  }
}

/**
 * The bank's signals and wiring: clock, phase counter, LFSR code stream, 64 channels made by
 * `channel`, and the checksum at the last edge; a subclass gives the stream's and the wires' behaviour.
 */
export abstract class Pwm64Bank extends Module {
  readonly clk = this.clock("clk", { periodPs: PERIOD_PS, firstRisePs: FIRST_RISE_PS });
  readonly lfsr = this.vec("lfsr", 32, "internal", 0xace12024);
  readonly phase = this.vec("phase", 4);
  readonly load = this.bit("load");
  readonly codes = this.wide("codes", CHANNELS * CODE_BITS);
  readonly pulses = this.wide("pulses", CHANNELS);
  readonly channels: PwmChannelPorts[] = [];
  /** Printed at the end: the sum of all channels' accumulators when the last cycle began. */
  checksum = 0;
  /**
   * Time of the last rising edge, where the Verilog calls $finish. Icarus (and Verilator) end the
   * run after that time step settles, so its register writes are in their traces: run the
   * simulator until this time rather than stopping it with finish(), which would drop them.
   */
  readonly lastEdgePs: number;
  private cycles = 0;

  constructor(name: string, readonly totalCycles: number, channel: (parent: Module, name: string) => PwmChannelPorts) {
    super(null, name);
    this.lastEdgePs = FIRST_RISE_PS + (totalCycles - 1) * PERIOD_PS;
    for (let i = 0; i < CHANNELS; i++) {
      const ch = channel(new Module(this, `ch[${i}]`), "u");
      this.connect(ch.clk, this.clk);
      this.connect(ch.load, this.load);
      this.channels.push(ch);
    }
    const accs = this.channels.map((c) => c.acc);
    this.always(this.clk.posedge, [], () => this.countCycle(), { label: "always@posedge(clk)_finish", reads: accs });
  }

  private countCycle(): void {
    if (++this.cycles !== this.totalCycles) return;
    let sum = 0;
    for (const ch of this.channels) sum += ch.acc.get();
    this.checksum = sum >>> 0;
  }
}

/** The bank with closures for processes. */
export class Pwm64 extends Pwm64Bank {
  constructor(name: string, totalCycles: number) {
    super(name, totalCycles, (parent, n) => new PwmChannel(parent, n));
    this.channels.forEach((ch, i) => {
      this.comb([this.codes], [ch.code], () => ch.code.set(this.codes.getBits(CODE_BITS * i, CODE_BITS)), { label: `assign_code${i}`, reads: [] });
    });
    // wire load = (phase == 0);
    this.comb([this.phase], [this.load], () => this.load.set(this.phase.get() === 0 ? 1 : 0), { reads: [] });
    const pulseBits: Bit[] = this.channels.map((c) => c.pulse);
    this.comb(pulseBits, [this.pulses], () => this.packPulses(pulseBits), { label: "assign_pulses", reads: [] });
    this.always(this.clk.posedge, [this.phase, this.lfsr, this.codes], () => this.advanceStream(), { reads: [this.phase, this.lfsr] });
  }

  private packPulses(bits: Bit[]): void {
    for (let w = 0; w < CHANNELS / 32; w++) {
      let word = 0;
      for (let b = 0; b < 32; b++) word |= bits[32 * w + b].get() << b;
      this.pulses.setWord(w, word >>> 0);
    }
  }

  private advanceStream(): void {
    const phase = this.phase.get();
    this.phase.set(phase + 1);
    if (phase !== 15) return;
    // 8 LFSR words of 32 bits give 64 codes of 4 bits (blocking assignments in the Verilog)
    let lfsr = this.lfsr.get();
    for (let k = 0; k < 8; k++) {
      const fb = ((lfsr >>> 31) ^ (lfsr >>> 21) ^ (lfsr >>> 1) ^ lfsr) & 1;
      lfsr = ((lfsr << 1) | fb) >>> 0;
      this.codes.setWord(k, lfsr);
    }
    this.lfsr.set(lfsr);
  }
}
