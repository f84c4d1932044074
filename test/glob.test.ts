// Properties of the signal-selection globs: wildcards, literal brackets and pattern lists.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileGlobs } from "../src/engine/glob.js";

const seed = 0x5e1ec7; // fast-check prints it with any counterexample
const numRuns = 300;

// Hierarchical names use brackets and dots; the rest are RegExp metacharacters that must stay literal.
const NAME_CHARS = [..."ab.[]0_1$^()+{}|\\/-é𝜑"]; // 𝜑 is two UTF-16 units, one character
const literal = fc.string({ unit: fc.constantFrom(...NAME_CHARS), maxLength: 12 });
const globChar = fc.constantFrom(...NAME_CHARS, "*", "?");
const glob = fc.string({ unit: globChar, minLength: 1, maxLength: 8 });

describe("compileGlobs", () => {
  it("a pattern with no wildcard matches exactly the equal name", () => {
    fc.assert(
      fc.property(literal.filter((p) => p.trim() === p && p !== ""), literal, (pattern, name) => {
        const matches = compileGlobs(pattern);
        expect(matches(pattern)).toBe(true);
        expect(matches(name)).toBe(name === pattern);
      }),
      { seed, numRuns },
    );
  });

  it("`*` and an empty pattern list match every name", () => {
    fc.assert(
      fc.property(literal, (name) => {
        expect(compileGlobs("*")(name)).toBe(true);
        expect(compileGlobs("")(name)).toBe(true);
        expect(compileGlobs(undefined)(name)).toBe(true);
        expect(compileGlobs(" , ")(name)).toBe(true);
      }),
      { seed, numRuns },
    );
  });

  it("prefix* matches exactly the names that start with the prefix", () => {
    fc.assert(
      fc.property(literal, literal, literal, (prefix, rest, other) => {
        const matches = compileGlobs(`${prefix}*`);
        expect(matches(prefix + rest)).toBe(true);
        expect(matches(other)).toBe(other.startsWith(prefix));
      }),
      { seed, numRuns },
    );
  });

  it("`?` stands for exactly one character", () => {
    fc.assert(
      fc.property(literal, literal, (head, name) => {
        const matches = compileGlobs(`${head}?`);
        const chars = [...name];
        expect(matches(name)).toBe(name.startsWith(head) && [...name.slice(head.length)].length === 1);
        expect(compileGlobs("?".repeat(chars.length))(name)).toBe(true);
      }),
      { seed, numRuns },
    );
  });

  it("a list matches a name when any of its patterns does", () => {
    fc.assert(
      fc.property(fc.array(glob, { minLength: 1, maxLength: 4 }), literal, (globs, name) => {
        const usable = globs.map((g) => g.trim()).filter((g) => g !== "");
        fc.pre(usable.length > 0);
        const any = usable.some((g) => compileGlobs(g)(name));
        expect(compileGlobs(usable.join(","))(name)).toBe(any);
      }),
      { seed, numRuns },
    );
  });

  it("matches the hierarchical names of a traced design", () => {
    const matches = compileGlobs("pwm64.ch[1?].*, *.clk");
    expect(matches("pwm64.ch[12].u.count")).toBe(true);
    expect(matches("pwm64.ch[1].u.count")).toBe(false);
    expect(matches("pwm64.ch1x.u.count")).toBe(false);
    expect(matches("pwm64.ch[3].u.clk")).toBe(true);
    expect(matches("pwm64.clk_en")).toBe(false);
  });
});
