// pwm64 with described processes (api.ts, "Described processes"): the same bank, signals and nets
// as Pwm64.ts, each process given as a statement tree the compiled back end turns into
// straight-line code in its schedule, as Verilator compiles pwm64.v. The checksum stays a closure.
import type { Operand } from "../../src/engine/Description.js";
import type { Module } from "../../src/engine/Module.js";
import { CHANNELS, CODE_BITS, Pwm64Bank, PwmChannelPorts } from "./Pwm64.js";

/** One PWM channel, its behaviour described. */
export class PwmChannelDescribed extends PwmChannelPorts {
  constructor(parent: Module, name: string) {
    super(parent, name);
    // assign pulse = (count != 0);
    this.describedComb((r) => r.assign(this.pulse, r.ne(this.count, 0)));
    this.described(this.clk.posedge, (r) => {
      r.when(r.eq(this.load, 1), () => r.assign(this.count, this.code))
        .orWhen(r.ne(this.count, 0), () => r.assign(this.count, r.sub(this.count, 1)));
      r.when(r.eq(this.pulse, 1), () => r.assign(this.acc, r.add(this.acc, 1)));
    });
  }
}

/** The bank with described processes. */
export class Pwm64Described extends Pwm64Bank {
  constructor(name: string, totalCycles: number) {
    super(name, totalCycles, (parent, n) => new PwmChannelDescribed(parent, n));
    this.channels.forEach((ch, i) => {
      this.describedComb((r) => r.assign(ch.code, r.bits(this.codes, CODE_BITS * i, CODE_BITS)), `assign_code${i}`);
    });
    // wire load = (phase == 0);
    this.describedComb((r) => r.assign(this.load, r.eq(this.phase, 0)));
    this.describedComb((r) => {
      for (let w = 0; w < CHANNELS / 32; w++) {
        const bits = this.channels.slice(32 * w, 32 * w + 32);
        r.assign(r.word(this.pulses, w), bits.reduce<Operand>((word, ch, b) => r.or(word, r.shl(ch.pulse, b)), 0));
      }
    }, "assign_pulses");
    this.described(this.clk.posedge, (r) => {
      r.assign(this.phase, r.add(this.phase, 1));
      r.when(r.eq(this.phase, 15), () => {
        // 8 LFSR words of 32 bits give 64 codes of 4 bits (blocking assignments in the Verilog)
        const lfsr = r.local(this.lfsr);
        for (let k = 0; k < 8; k++) {
          const fb = r.and(r.xor(r.xor(r.shr(lfsr, 31), r.shr(lfsr, 21)), r.xor(r.shr(lfsr, 1), lfsr)), 1);
          r.assign(lfsr, r.or(r.shl(lfsr, 1), fb));
          r.assign(r.word(this.codes, k), lfsr);
        }
        r.assign(this.lfsr, lfsr);
      });
    });
  }
}
