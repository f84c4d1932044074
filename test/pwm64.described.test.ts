// pwm64 with described processes (bench/pwm64/Pwm64Described.ts) against the closure model and the
// plain loop: the same VCD file, byte for byte, on both back ends, and the same checksum.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Pwm64 } from "../bench/pwm64/Pwm64.js";
import { Pwm64Described } from "../bench/pwm64/Pwm64Described.js";
import { plainPwm64 } from "../bench/pwm64/plain.js";
import { Simulator } from "../src/engine/Simulator.js";
import { VcdTrace } from "../src/engine/VcdTrace.js";
import { BACKENDS } from "./support/backends.js";

const CYCLES = 2000;

let dir = "";
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "pwm64-described-"))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a model for `cycles` cycles with a trace of every signal; returns its checksum and the VCD's bytes. */
function traced(model: typeof Pwm64 | typeof Pwm64Described, backend: (typeof BACKENDS)[number], cycles: number): { checksum: number; vcd: Buffer } {
  const top = new model("pwm64", cycles);
  const sim = new Simulator(top, { backend });
  const file = join(dir, `${model.name}-${backend}.vcd`);
  new VcdTrace(sim, file, { date: "test", version: "gaincell pwm64 test" });
  sim.run(top.lastEdgePs);
  sim.close();
  return { checksum: top.checksum, vcd: readFileSync(file) };
}

describe.each(BACKENDS)("pwm64 described (%s back end)", (backend) => {
  it(`gives the closure model's VCD byte for byte over ${CYCLES} cycles, and the plain loop's checksum`, () => {
    const closures = traced(Pwm64, backend, CYCLES);
    const described = traced(Pwm64Described, backend, CYCLES);
    expect(described.vcd.length).toBeGreaterThan(100_000);
    expect(described.vcd.equals(closures.vcd)).toBe(true);
    expect(described.checksum).toBe(plainPwm64(CYCLES));
  });

  it("untraced, gives the plain loop's checksum for runs around the 16-cycle load period", () => {
    for (const cycles of [1, 2, 15, 16, 17, 40, 1000]) {
      const top = new Pwm64Described("pwm64", cycles);
      const sim = new Simulator(top, { backend });
      sim.run(top.lastEdgePs);
      sim.close();
      expect(top.checksum, `${cycles} cycles`).toBe(plainPwm64(cycles));
    }
  });
});
