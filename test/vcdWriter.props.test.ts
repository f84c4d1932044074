// Property tests of VcdWriter's value formatting: for any values, the bytes it writes equal the same
// lines made the plain way, with JavaScript's own number and BigInt texts (IEEE 1364-2005 §18).
import fc from "fast-check";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OutputFile } from "../src/engine/OutputFile.js";
import { vcdCode, VcdWriter } from "../src/engine/VcdWriter.js";

const RUNS = { numRuns: 200 };

/** One value change or time, as VcdWriter is asked to write it. */
type Line =
  | { kind: "time"; t: number }
  | { kind: "bit"; v: 0 | 1; code: number }
  | { kind: "vec"; v: number; code: number }
  | { kind: "wide"; words: number[]; code: number }
  | { kind: "real"; v: number; code: number };

// codes of one to three characters (94 and 94² are where they grow)
const arbCode = fc.oneof(fc.integer({ min: 0, max: 93 }), fc.integer({ min: 94, max: 94 * 94 + 100 }), fc.constantFrom(0, 93, 94, 8835, 8836));
// uint32 values weighted to the byte boundaries of the digit table
const arbWord = fc.oneof(
  fc.integer({ min: 0, max: 0xffffffff }),
  fc.integer({ min: 0, max: 31 }).chain((k) => fc.constantFrom(2 ** k, 2 ** k - 1, 2 ** (k + 1) - 1)),
  fc.constantFrom(0, 1, 0xff, 0x100, 0xffff, 0x10000, 0xffffff, 0x1000000, 0xffffffff),
);
const arbLine: fc.Arbitrary<Line> = fc.oneof(
  fc.record({ kind: fc.constant("time" as const), t: fc.oneof(fc.integer({ min: 0, max: 2 ** 31 }), fc.maxSafeNat(), fc.constantFrom(0, 9, 10, 99, 100, 2 ** 53 - 1)) }),
  fc.record({ kind: fc.constant("bit" as const), v: fc.constantFrom(0 as const, 1 as const), code: arbCode }),
  fc.record({ kind: fc.constant("vec" as const), v: arbWord, code: arbCode }),
  fc.record({ kind: fc.constant("wide" as const), words: fc.array(fc.oneof(arbWord, fc.constant(0)), { minLength: 2, maxLength: 9 }), code: arbCode }),
  fc.record({ kind: fc.constant("real" as const), v: fc.double({ noNaN: true }), code: arbCode }),
);

/** The line the plain way: String for numbers, BigInt's binary text for vectors. */
function plain(l: Line): string {
  if (l.kind === "time") return `#${l.t}\n`;
  const code = vcdCode(l.code);
  if (l.kind === "bit") return `${l.v}${code}\n`;
  if (l.kind === "vec") return `b${l.v.toString(2)} ${code}\n`;
  if (l.kind === "wide") {
    const value = l.words.reduce((acc, w, i) => acc | (BigInt(w) << BigInt(32 * i)), 0n);
    return `b${value.toString(2)} ${code}\n`;
  }
  return `r${Object.is(l.v, -0) ? "0" : String(l.v)} ${code}\n`;
}

describe("VcdWriter", () => {
  let dir = "";
  beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), "gaincell-vcdwriter-"))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The file VcdWriter makes of `lines`, each repeated `times` times. */
  function written(lines: Line[], times = 1): string {
    const file = join(dir, "w.vcd");
    const out = OutputFile.open(file);
    // variable i is line i's
    const w = new VcdWriter(out, lines.map((l) => (l.kind === "time" ? null : vcdCode(l.code))));
    for (let k = 0; k < times; k++) {
      lines.forEach((l, i) => {
        if (l.kind === "time") w.time(l.t);
        else if (l.kind === "bit") w.bit(l.v, i);
        else if (l.kind === "vec") w.vec(l.v, i);
        else if (l.kind === "wide") w.wide(Uint32Array.from(l.words), 0, l.words.length, i);
        else w.real(l.v, i);
      });
    }
    w.close();
    out.commit();
    return readFileSync(file, "latin1");
  }

  it("writes every time, bit, vector, wide vector and real as the plain text would", () => {
    fc.assert(
      fc.property(fc.array(arbLine, { minLength: 1, maxLength: 40 }), (lines) => {
        expect(written(lines)).toBe(lines.map(plain).join(""));
      }),
      RUNS,
    );
  });

  it("keeps the text whole across the buffer's flushes (several MB of changes)", () => {
    const lines: Line[] = [
      { kind: "time", t: 123_456_789 },
      { kind: "vec", v: 0xdeadbeef, code: 5 },
      { kind: "wide", words: [0xffffffff, 1, 0, 0x80000000, 0], code: 9000 },
      { kind: "bit", v: 1, code: 94 },
      { kind: "real", v: -1.2345e-300, code: 93 },
    ];
    const times = 30_000; // about 6 MB: the 1 MB buffer flushes mid-line many times over
    expect(written(lines, times)).toBe(lines.map(plain).join("").repeat(times));
  });
});
