// The estimate of a run's size: the design's nets against layers actually built, the parts of the
// memory worked by hand, and the checks' refusals naming the option and the limit.
import fc from "fast-check";
import { totalmem } from "node:os";
import { getHeapStatistics } from "node:v8";
import { describe, expect, it } from "vitest";
import { AttentionLayer } from "../src/arch/AttentionLayer.js";
import { validateAccelerator } from "../src/arch/config.js";
import { tokenCodes } from "../src/arch/runAttention.js";
import { seededInputs } from "../src/cli/inputs.js";
import { checkRunFits, formatBytes, netsPerHead, runMemory } from "../src/cli/runSize.js";
import { Simulator } from "../src/engine/Simulator.js";
import { ConfigError } from "../src/errors.js";

const seed = 0x512e; // fast-check prints it with any counterexample
const SOURCES = { design: "--heads H", tokens: "--tokens T", clock: "--clock-ps P" };

describe("netsPerHead", () => {
  it("is within 30 % of the nets of any layer actually built (the design may change a little; a new block per column would not pass)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 3 }),
        (D, windowM, tileWish, heads) => {
          const c = validateAccelerator({ D, windowM, tile: Math.min(tileWish, windowM), heads });
          const inputs = seededInputs(2, heads, D, 1);
          const layer = new AttentionLayer("layer", c, Array.from({ length: heads }, (_, h) => tokenCodes(inputs, h, c)));
          const built = new Simulator(layer).design.nets.length;
          const estimated = 1 + heads * netsPerHead(c); // the layer's clock is shared
          expect(estimated / built).toBeGreaterThan(0.7);
          expect(estimated / built).toBeLessThan(1.3);
        }),
      { seed, numRuns: 40 },
    );
  });

  it("counts the GPT-2 head of docs/model.md §2: 8,668 nets (D 64, M 1024, 16 sub-tiles of 64)", () => {
    expect(netsPerHead({ D: 64, windowM: 1024, tile: 64 })).toBe(28 + 7 * 64 + 4 * 1024 + 4 * 16 * 64);
  });
});

describe("runMemory", () => {
  it("adds the design, the token arrays and the scores, worked by hand", () => {
    const config = validateAccelerator({ D: 64, windowM: 1024 });
    const m = runMemory({ config, builtHeads: 2, tokens: 1000, heads: 2, scores: true, traced: true });
    expect(m.designHeap).toBe(2 * 8668 * (1100 + 200));
    expect(m.designArrays).toBe(2 * 8668 * 80 + 2 * 64 * 1024 * 32);
    expect(m.tokenArrays).toBe(1000 * 2 * 64 * 56);
    expect(m.scores).toBe(1000 * 2 * 1024 * 16);
    expect(m.largestArray).toBe(1000 * 2 * 1024);
    const functional = runMemory({ config, builtHeads: 0, tokens: 1000, heads: 2, scores: false, traced: false });
    expect([functional.designHeap, functional.designArrays, functional.scores]).toEqual([0, 0, 0]);
  });

  it("formats bytes as people read them", () => {
    expect([formatBytes(512), formatBytes(1536), formatBytes(3.5 * 2 ** 30), formatBytes(2 ** 62)]).toEqual(["512 B", "1.50 KiB", "3.50 GiB", "4.00 EiB"]);
  });
});

describe("checkRunFits", () => {
  const config = validateAccelerator({ D: 64, windowM: 1024 });
  const refusal = (f: () => void): string => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    return "";
  };

  it("accepts the default run and a GPT-2 layer of 12 heads", () => {
    expect(() => checkRunFits({ config, builtHeads: 1, tokens: 1100, heads: 1, scores: true, traced: true }, SOURCES)).not.toThrow();
    expect(() => checkRunFits({ config, builtHeads: 12, tokens: 2048, heads: 12, scores: false, traced: false }, SOURCES)).not.toThrow();
  });

  it("refuses a design larger than the heap can take, naming what sets it and the limit", () => {
    const limit = getHeapStatistics().heap_size_limit;
    const heads = Math.ceil(limit / (8668 * 1100)); // more than the whole heap
    expect(refusal(() => checkRunFits({ config, builtHeads: heads, tokens: 2, heads, scores: false, traced: false }, SOURCES)))
      .toMatch(new RegExp(`^--heads H: a layer of ${heads} heads of D 64 × M 1024 needs about .* of JavaScript heap, more than this process can give it \\(.* of its ${formatBytes(limit).replace(".", "\\.")} limit\\)`));
  });

  it("refuses token arrays larger than the machine, naming the tokens and the machine's memory", () => {
    const tokens = Math.ceil(totalmem() / (64 * 56)); // more than all the memory
    expect(refusal(() => checkRunFits({ config, builtHeads: 1, tokens, heads: 1, scores: false, traced: false }, SOURCES))).toMatch(new RegExp(
      `^--tokens T: the run needs about [\\d.]+ [GT]iB of memory, most of it for the inputs and outputs of ${tokens} tokens × 1 head × 64 dims; ` +
        `this machine has ${formatBytes(totalmem()).replace(".", "\\.")}$`,
    ));
  });

  it("refuses a run that ends past 2^53 − 1 ps, naming the clock when it is not the default", () => {
    const slow = validateAccelerator({ D: 2, windowM: 4, clockPeriodPs: 1e12 });
    expect(refusal(() => checkRunFits({ config: slow, builtHeads: 1, tokens: 200, heads: 1, scores: false, traced: false }, SOURCES)))
      .toMatch(/^--clock-ps P: 200 tokens of 65 cycles × 1000000000000 ps end at 1\.31e\+16 ps, past the simulator's largest exact time/);
    // the same number of picoseconds is fine for the functional model, which has no clock
    expect(() => checkRunFits({ config: slow, builtHeads: 0, tokens: 200, heads: 1, scores: false, traced: false }, SOURCES)).not.toThrow();
  });
});
