// The strict VCD reader against Icarus Verilog's output for pwm64 and against each kind of broken file.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { canonicalBits, parseVcd, type VcdChange, type VcdDocument } from "../src/engine/VcdReader.js";
import { FileFormatError } from "../src/errors.js";
import { hasTool, PWM64_VERILOG, simulateIcarus, toolTest, type IcarusRun } from "./support/tools.js";

const it_icarus = toolTest(["iverilog", "vvp"]);
const CYCLES = 40;
const HALF_PERIOD_PS = 500; // pwm64.v: `always #500 clk = ~clk`, 1 GHz at 1 ps resolution

describe("parseVcd on Icarus's pwm64 dump", () => {
  let icarus: IcarusRun | undefined;
  let doc: VcdDocument;
  beforeAll(() => {
    if (!hasTool("iverilog") || !hasTool("vvp")) return; // the tests below skip or fail with the hint
    icarus = simulateIcarus(PWM64_VERILOG, "pwm64.vcd", { "pwm64.CYCLES": CYCLES, "pwm64.DUMP": 1 });
    doc = parseVcd(readFileSync(icarus.vcdPath, "utf8"), icarus.vcdPath);
  });
  afterAll(() => icarus?.dispose());

  it_icarus("reads the header and every declaration with its full dotted path", () => {
    expect(doc.version).toBe("Icarus Verilog");
    expect(doc.timescale).toBe("1ps");
    expect(doc.vars.length).toBe(9 + 64 * 6); // 9 in pwm64, 6 in each of 64 channels
    expect(doc.vars.find((v) => v.path === "pwm64.codes")).toMatchObject({ type: "reg", width: 256 });
    expect(doc.vars.find((v) => v.path === "pwm64.ch[0].u.count")).toMatchObject({ type: "reg", width: 4 });
    expect(doc.vars.find((v) => v.path === "pwm64.k")).toMatchObject({ type: "integer", width: 32 });
    expect(new Set(doc.paths()).size).toBe(doc.vars.length);
  });

  it_icarus("sees clk start at 0 and toggle every 500 ps from 500 to the last time", () => {
    const clk = doc.history("pwm64.clk");
    const toggles = 2 * CYCLES - 1; // $finish comes at the 40th rising edge, t = 39 500 ps
    expect(clk.length).toBe(1 + toggles);
    clk.forEach((change, i) => expect(change).toEqual({ time: i * HALF_PERIOD_PS, value: i % 2 === 0 ? "0" : "1" }));
    expect(doc.startTime).toBe(0);
    expect(doc.endTime).toBe(toggles * HALF_PERIOD_PS);
    expect(doc.history("pwm64.ch[17].u.clk")).toEqual(clk); // an alias of the same code
  });

  it_icarus("gives 4-bit counts, 256-bit codes and an x sum that settles to the printed checksum", () => {
    const count = doc.history("pwm64.ch[0].u.count");
    expect(count[0]).toEqual({ time: 0, value: "0" });
    for (const { value } of count) expect(value).toMatch(/^[01]{1,4}$/);
    expect(count.some(({ value }) => value !== "0")).toBe(true);
    const codes = doc.history("pwm64.codes");
    expect(codes.length).toBeGreaterThan(1);
    for (const { value } of codes) expect(value).toMatch(/^(0|1[01]{0,255})$/);
    const checksum = Number(/checksum=(\d+)/.exec(icarus!.stdout)![1]);
    const sum = doc.history("pwm64.sum");
    expect(sum[0]).toEqual({ time: 0, value: "x" });
    expect(parseInt(String(sum.at(-1)!.value), 2)).toBe(checksum);
    // The checksum adds the accumulators as they were just before the final edge.
    const accBefore = (ch: number) => lastBefore(doc.history(`pwm64.ch[${ch}].u.acc`), doc.endTime);
    const total = Array.from({ length: 64 }, (_, ch) => parseInt(String(accBefore(ch)), 2)).reduce((a, b) => a + b);
    expect(total).toBe(checksum);
  });
});

function lastBefore(history: VcdChange[], time: number): string | number {
  return history.filter((c) => c.time < time).at(-1)!.value;
}

const HEADER = [
  "$date today $end",
  "$timescale 1 ps $end",
  "$scope module top $end",
  "$var wire 1 ! a $end",
  '$var reg 4 " v [3:0] $end',
  "$var real 64 # phi $end",
  "$upscope $end",
  "$enddefinitions $end", // line 8
  "#0",
  "$dumpvars",
  "0!",
  'b0 "',
  "r0 #",
  "$end", // line 14
];

function vcd(...lines: string[]): string {
  return [...HEADER, ...lines].join("\n") + "\n";
}

describe("parseVcd on small files", () => {
  it("reads scalars, vectors, reals and $dump blocks, with X/Z folded to lower case", () => {
    const doc = parseVcd(vcd("#10", "X!", "B0Z1 \"", "R-1.5e-3 #", "$comment mid-run note $end", "#10", "$dumpoff", "x!", "$end", "#20", "$dumpall", "1!", "$end"));
    expect(doc.timescale).toBe("1ps");
    expect(doc.date).toBe("today");
    expect(doc.history("top.a")).toEqual([
      { time: 0, value: "0" }, { time: 10, value: "x" }, { time: 10, value: "x" }, { time: 20, value: "1" },
    ]);
    expect(doc.history("top.v")).toEqual([{ time: 0, value: "0" }, { time: 10, value: "0z1" }]);
    expect(doc.history("top.phi")).toEqual([{ time: 0, value: 0 }, { time: 10, value: -1.5e-3 }]);
    expect([doc.startTime, doc.endTime]).toEqual([0, 20]);
    expect(() => doc.history("top.b")).toThrow(/no var "top.b"/);
  });

  const broken: [string, string, number, RegExp][] = [
    ["time going backwards", vcd("#10", "#9"), 16, /time goes backwards: #9 after #10/],
    ["an undeclared code", vcd("#10", "1%"), 16, /undeclared identifier code "%"/],
    ["a vector wider than declared", vcd("#5", 'b10101 "'), 16, /5 bits.*declared 4 bits/],
    ["a bad value character", vcd("#5", 'b10q1 "'), 16, /bad value character "q"/],
    ["a bad scalar character", vcd("#5", "q!"), 16, /bad value character "q"/],
    ["a bad real", vcd("#5", "rfoo #"), 16, /bad real value "foo"/],
    ["an unterminated $dumpvars", vcd("#5", "$dumpvars", "1!"), 17, /unterminated \$dumpvars section opened at line 16/],
    ["an unterminated $comment", "$comment never closed\n\n", 1, /unterminated \$comment section opened at line 1/],
    ["a $var without $end", "$scope module t $end\n$var wire 1 ! a\n$upscope $end\n", 3, /\$var at line 2 is not closed by \$end/],
    ["a missing $enddefinitions", "$scope module t $end\n$var wire 1 ! a $end\n$upscope $end\n#0\n1!\n", 4, /missing \$enddefinitions/],
    ["a file that ends in the definitions", "$scope module t $end\n$var wire 1 ! a $end\n", 2, /missing \$enddefinitions/],
    ["a zero width", "$scope module t $end\n$var wire 0 ! a $end\n", 2, /width "0"/],
    ["a non-numeric width", "$scope module t $end\n$var wire four ! a $end\n", 2, /width "four"/],
    ["an $upscope too many", "$scope module t $end\n$upscope $end\n$upscope $end\n", 3, /\$upscope without an open \$scope/],
    ["a $scope left open", "$scope module t $end\n$var wire 1 ! a $end\n$enddefinitions $end\n", 3, /1 \$scope\(s\) still open: t/],
  ];
  it.each(broken)("rejects %s, naming the file and line", (_, text, line, detail) => {
    let error: unknown;
    try {
      parseVcd(text, "broken.vcd");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FileFormatError);
    expect((error as Error).message).toMatch(new RegExp(`^broken\\.vcd: line ${line}: `));
    expect((error as Error).message).toMatch(detail);
  });
});

describe("canonicalBits", () => {
  // §18.2.1: a value shorter than its var is extended with 0, or with x/z when it starts with x/z.
  const extend = (bits: string, width: number) => (bits[0] === "1" ? "0" : bits[0]!).repeat(width - bits.length) + bits;
  const bits = fc.string({ unit: fc.constantFrom("0", "1", "x", "z"), minLength: 1, maxLength: 40 });

  it("keeps the value and is the shortest text that does", () => {
    fc.assert(
      fc.property(bits, (raw) => {
        const short = canonicalBits(raw);
        expect(extend(short, raw.length)).toBe(raw);
        if (short.length > 1) expect(extend(short.slice(1), raw.length)).not.toBe(raw);
      }),
      { seed: 0x7cd, numRuns: 500 },
    );
  });
});
