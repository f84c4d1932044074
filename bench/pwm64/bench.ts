// pwm64 benchmark cases: the model on the engine with and without a VCD trace, and the plain
// TypeScript loop they are compared with. Each checks its checksum, so no case measures wrong work.
import type { Backend } from "../../src/engine/api.js";
import { Simulator } from "../../src/engine/Simulator.js";
import { VcdTrace } from "../../src/engine/VcdTrace.js";
import { plainPwm64 } from "./plain.js";
import { Pwm64 } from "./Pwm64.js";
import { Pwm64Described } from "./Pwm64Described.js";

/** The two models of pwm64: processes as closures, or described (compiled into the schedule). */
export const PWM64_MODELS = { closures: Pwm64, described: Pwm64Described };

/** Runs a pwm64 model for `cycles` cycles, tracing every signal to `vcdFile` when given; returns the checksum. */
export function runPwm64(cycles: number, vcdFile?: string, backend: Backend = "compiled", model: keyof typeof PWM64_MODELS = "closures"): number {
  const top = new PWM64_MODELS[model]("pwm64", cycles);
  const sim = new Simulator(top, { backend });
  if (vcdFile !== undefined) new VcdTrace(sim, vcdFile, { date: "bench", version: "gaincell pwm64 bench" });
  try {
    sim.run(top.lastEdgePs);
  } finally {
    sim.close();
  }
  return top.checksum;
}

/** A benchmark body for `cycles` cycles that throws if its checksum differs from the plain loop's. */
export function checked(what: string, cycles: number, body: () => number): () => void {
  const expected = plainPwm64(cycles);
  return () => {
    const got = body();
    if (got !== expected) throw new Error(`${what}: checksum ${got} after ${cycles} cycles, expected ${expected}`);
  };
}
