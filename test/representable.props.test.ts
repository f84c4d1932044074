// A configuration that validation accepts runs: no value it lets through makes a number non-finite
// or a time unrepresentable mid-run (as S_sat = 1e-320 and a 10 s clock did). Extreme values are drawn on purpose.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cyclesPerToken, validateAccelerator } from "../src/arch/config.js";
import { runAttention } from "../src/arch/runAttention.js";
import { seededInputs } from "../src/cli/inputs.js";
import { MAX_TIME_PS } from "../src/engine/api.js";
import { ConfigError } from "../src/errors.js";

const seed = 0x7e9; // fast-check prints it with any counterexample
const TOKENS = 3;

const extreme = (...values: number[]) => fc.constantFrom(...values);
const arbFields = fc.record({
  D: fc.integer({ min: 1, max: 6 }),
  windowM: fc.integer({ min: 1, max: 6 }),
  sSat: extreme(5e-324, 1e-320, 2.2250738585072014e-308, 1e-300, 1e-10, 1, 80, 1e300, Number.MAX_VALUE),
  aOut: extreme(0, 1, -1, 1e300, -1e307, Number.MAX_VALUE, -Number.MAX_VALUE, 1e-300),
  bOut: extreme(0, 0.5, -1e300, Number.MAX_VALUE, -Number.MAX_VALUE),
  clockPeriodPs: extreme(1000, 1e9, 1e12, 1.3e14, 1e15, 2 ** 52),
  lambdaPerToken: extreme(0, 1.6e-4, 1, 1e300, Number.MAX_VALUE),
  nonlinearity: fc.constantFrom("cubic", "linear"),
});

describe("what validation accepts", () => {
  it("runs to the end with finite outputs, or is refused with a ConfigError naming the field", async () => {
    await fc.assert(
      fc.asyncProperty(arbFields, fc.integer({ min: 0, max: 2 ** 32 - 1 }), async (fields, inputSeed) => {
        let config;
        try {
          config = validateAccelerator({ ...fields, tile: fields.windowM });
        } catch (e) {
          expect(e).toBeInstanceOf(ConfigError);
          expect((e as ConfigError).field).toMatch(/^config\.(sSat|aOut|bOut|clockPeriodPs)$/);
          return;
        }
        // a run this long is refused before it starts (test/runSize.test.ts)
        fc.pre((TOKENS + 2) * cyclesPerToken(config) * config.clockPeriodPs <= MAX_TIME_PS);
        const r = await runAttention(config, seededInputs(TOKENS, 1, config.D, inputSeed));
        expect(r.tokensDone).toBe(TOKENS);
        expect(r.out.every(Number.isFinite)).toBe(true);
      }),
      { seed, numRuns: 120 },
    );
  }, 120_000);
});
