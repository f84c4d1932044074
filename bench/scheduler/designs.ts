// Designs that measure the bare scheduler: each counts its own events, where an event is one
// committed signal change (a clock edge, a register toggling, an inverter's output flipping).
import { Module } from "../../src/engine/Module.js";
import { type Timer } from "../../src/engine/Process.js";
import type { Bit } from "../../src/engine/Signal.js";

/** Half of the clock period, ps: the clock is a timer process, so its edges count as events too. */
const HALF_PERIOD_PS = 500;

/** A clock made of a timer that counts its own edges; `owner.events` gets one per edge. */
function countingClock(owner: { events: number } & Module): Bit {
  const clk = owner.bit("clk");
  let tick: Timer | null = null;
  tick = owner.timer("clk.generator", [clk], () => {
    clk.set(clk.get() ^ 1);
    owner.events++;
    tick!.after(HALF_PERIOD_PS);
  });
  owner.onStart.push(() => tick!.after(HALF_PERIOD_PS));
  return clk;
}

/** `registers` independent 1-bit registers, each inverting itself at every rising edge: wide, one delta per edge. */
export class ToggleBank extends Module {
  events = 0;
  readonly clk: Bit;

  constructor(readonly registers: number) {
    super(null, "bank");
    this.clk = countingClock(this);
    for (let i = 0; i < registers; i++) {
      const cell = new Module(this, `r[${i}]`);
      const q = cell.bit("q", "out");
      cell.always(this.clk.posedge, [q], () => {
        q.set(q.get() ^ 1);
        this.events++;
      });
    }
  }

  /** End of the n-th clock cycle (its falling edge), ps. */
  cycleEndPs(n: number): number {
    return 2 * n * HALF_PERIOD_PS;
  }
}

/**
 * A register feeding a chain of `stages` combinational inverters, the last of which feeds the
 * register back: deep, every edge ripples through `stages` delta cycles.
 */
export class InverterChain extends Module {
  events = 0;
  readonly clk: Bit;

  constructor(readonly stages: number) {
    super(null, "chain");
    this.clk = countingClock(this);
    const reg = this.bit("r");
    const wires: Bit[] = [];
    for (let i = 0; i < stages; i++) {
      const cell = new Module(this, `inv[${i}]`);
      const a = i === 0 ? reg : wires[i - 1];
      const y = cell.bit("y", "out");
      cell.comb([a], [y], () => {
        const v = a.get() ^ 1;
        if (v !== y.get()) this.events++; // a comb process may run without its output changing (at time 0)
        y.set(v);
      });
      wires.push(y);
    }
    const last = wires[stages - 1];
    // r <= ~last with an even number of inverters, r <= last with an odd one: r toggles at every edge
    const invert = stages % 2 === 0 ? 1 : 0;
    this.always(this.clk.posedge, [reg], () => {
      const v = last.get() ^ invert;
      if (v !== reg.get()) this.events++;
      reg.set(v);
    }, { reads: [last, reg] });
  }

  /** End of the n-th clock cycle (its falling edge), ps. */
  cycleEndPs(n: number): number {
    return 2 * n * HALF_PERIOD_PS;
  }
}

/**
 * The toggle bank as a plain two-phase loop over a typed array, no engine: the baseline the
 * scheduler's events per second are divided by. Returns the events counted (edges + toggles).
 */
export function plainToggleBank(registers: number, cycles: number): number {
  const cur = new Uint8Array(registers);
  const next = new Uint8Array(registers);
  let events = 0;
  for (let c = 0; c < cycles; c++) {
    for (let i = 0; i < registers; i++) next[i] = cur[i] ^ 1;
    for (let i = 0; i < registers; i++) if (cur[i] !== next[i]) (cur[i] = next[i]), events++;
    events += 2; // the clock's rising and falling edge
  }
  return events;
}
