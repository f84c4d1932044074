// Properties of the signal-selection globs: wildcards, literal brackets and pattern lists.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { closeNames, compileGlobs, globDistance } from "../src/engine/glob.js";

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

/** Levenshtein's distance by its recursive definition, memoised: the plain second implementation. */
function levenshtein(a: string[], b: string[]): number {
  const memo = new Map<string, number>();
  const d = (i: number, j: number): number => {
    if (i === 0) return j;
    if (j === 0) return i;
    const key = `${i},${j}`;
    let v = memo.get(key);
    if (v === undefined) {
      v = Math.min(d(i - 1, j) + 1, d(i, j - 1) + 1, d(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1));
      memo.set(key, v);
    }
    return v;
  };
  return d(a.length, b.length);
}

describe("globDistance and closeNames", () => {
  it("a glob is at distance 0 from exactly the names it matches", () => {
    fc.assert(
      fc.property(glob.filter((g) => g.trim() === g), literal, (g, name) => {
        expect(globDistance(g, name) === 0).toBe(compileGlobs(g)(name));
      }),
      { seed, numRuns },
    );
  });

  it("without wildcards it is Levenshtein's distance", () => {
    fc.assert(
      fc.property(literal, literal, (a, b) => {
        expect(globDistance(a, b)).toBe(levenshtein([...a], [...b]));
      }),
      { seed, numRuns },
    );
  });

  it("offers the closest names first, each once, the first listed among equals", () => {
    const names = ["top.clk", "top.u.count", "top.u.code", "top.v.count", "top.u.count"];
    expect(closeNames("top.u.cuont", names, 3)).toEqual(["top.u.count", "top.u.code", "top.v.count"]);
    expect(closeNames("*.cont", names, 2)).toEqual(["top.u.count", "top.v.count"]);
    expect(closeNames("x", [], 5)).toEqual([]);
  });
});
