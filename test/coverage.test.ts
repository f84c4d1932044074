// Functional coverage: value, range and transition bins, iff guards and crosses counted as a plain
// count over the sampled sequences says; reports merged across runs; the text and JSON forms.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Module } from "../src/engine/Module.js";
import { Simulator } from "../src/engine/Simulator.js";
import { Coverage, valueBins } from "../src/verify/Coverage.js";
import { coverageJson, coverageText, mergeCoverage, type CoverageReport } from "../src/verify/coverageReport.js";

const PERIOD = 1000;

/** Drives x and y (3-bit) and g (a guard), the i-th values at the i-th rising edge, for two "instances" (x0/x1). */
class Stimulus extends Module {
  readonly clk = this.clock("clk", { periodPs: PERIOD });
  readonly x = [this.vec("x0", 3), this.vec("x1", 3)];
  readonly y = [this.vec("y0", 3), this.vec("y1", 3)];
  readonly g = [this.bit("g0"), this.bit("g1")];
  readonly coverage: Coverage;

  constructor(s: { x: number[][]; y: number[][]; g: number[][] }) {
    super(null, "tb");
    let edge = 0;
    this.always(this.clk.posedge, [...this.x, ...this.y, ...this.g], () => {
      const i = edge++;
      for (let k = 0; k < 2; k++) {
        this.x[k].set(s.x[k][i] ?? 0);
        this.y[k].set(s.y[k][i] ?? 0);
        this.g[k].set(s.g[k][i] ?? 0);
      }
    });
    this.coverage = new Coverage(this, "cov", this.clk);
  }
}

const TICKS = 30;
const seq = (max: number) => fc.array(fc.integer({ min: 0, max }), { minLength: TICKS, maxLength: TICKS });
const pair = (max: number) => fc.tuple(seq(max), seq(max));

/** What tick n samples: the values set at the previous edge, 0 at the first tick. */
const sampled = (values: number[]) => Array.from({ length: TICKS }, (_, n) => (n === 0 ? 0 : values[n - 1]));

function run(tb: Stimulus): CoverageReport {
  const sim = new Simulator(tb);
  sim.run(PERIOD / 2 + (TICKS - 1) * PERIOD);
  return tb.coverage.report();
}

describe("cover points and crosses ≡ a plain count of the sampled values", () => {
  it("value, range and transition bins over two operands, each gated by its own iff; the cross pairs them operand by operand", () => {
    fc.assert(fc.property(pair(7), pair(1), pair(1), (x, y, g) => {
      const tb = new Stimulus({ x, y, g });
      const bins = [
        { name: "zero", values: [0] },
        { name: "odd", values: [1, 3, 5, 7] },
        { name: "mid", min: 2, max: 5 },
        { name: "3->4", from: 3, to: 4 },
        { name: "same 7", from: 7, to: 7 },
      ];
      const px = tb.coverage.point("x", tb.x, bins, { iff: tb.g });
      const py = tb.coverage.point("y", tb.y, valueBins(0, 1), { iff: tb.g });
      tb.coverage.cross("x × y", px, py, (a, b) => a === "mid" && b === "1");
      const report = run(tb);

      const expected = { zero: 0, odd: 0, mid: 0, "3->4": 0, "same 7": 0 } as Record<string, number>;
      const cross = new Map<string, number>();
      let samples = 0;
      for (let k = 0; k < 2; k++) {
        const sx = sampled(x[k]);
        const sy = sampled(y[k]);
        const sg = sampled(g[k]);
        // a transition pairs consecutive samples of the same operand: the ticks where its guard held
        const taken = sx.flatMap((v, n) => (sg[n] === 1 ? [[v, sy[n]]] : []));
        samples += taken.length;
        taken.forEach(([v, w], i) => {
          const first = v === 0 ? "zero" : v % 2 === 1 ? "odd" : v >= 2 && v <= 5 ? "mid" : null;
          if (v === 0) expected.zero++;
          if (v % 2 === 1) expected.odd++;
          if (v >= 2 && v <= 5) expected.mid++;
          if (i > 0 && taken[i - 1][0] === 3 && v === 4) expected["3->4"]++;
          if (i > 0 && taken[i - 1][0] === 7 && v === 7) expected["same 7"]++;
          if (first !== null) cross.set(`${first} × ${w}`, (cross.get(`${first} × ${w}`) ?? 0) + 1);
        });
      }
      const [ix, iy, ic] = report.items;
      expect(ix).toEqual({ name: "x", kind: "point", samples, bins: bins.map((b) => ({ name: b.name, hits: expected[b.name] })) });
      expect(iy.samples).toBe(samples);
      expect(ic.kind).toBe("cross");
      expect(ic.samples).toBe(samples);
      const names = ["zero", "odd", "mid"].flatMap((a) => ["0", "1"].map((b) => `${a} × ${b}`)).filter((n) => n !== "mid × 1");
      expect(ic.bins).toEqual(names.map((name) => ({ name, hits: cross.get(name) ?? 0 })));
    }), { numRuns: 100 });
  });

  it("an FSM point: a bin per named state and one per listed transition", () => {
    const tb = new Stimulus({ x: [[1, 1, 2, 0, 2, 1], []], y: [[], []], g: [[], []] });
    tb.coverage.fsm("fsm", tb.x[0], new Map([[0, "IDLE"], [1, "RUN"], [2, "DONE"]]), [[0, 1], [1, 2], [2, 0], [2, 1]]);
    const sim = new Simulator(tb);
    sim.run(PERIOD / 2 + 6 * PERIOD); // ticks see 0, 1, 1, 2, 0, 2, 1
    expect(tb.coverage.report().items[0].bins).toEqual([
      { name: "IDLE", hits: 2 }, { name: "RUN", hits: 3 }, { name: "DONE", hits: 2 },
      { name: "IDLE -> RUN", hits: 1 }, { name: "RUN -> DONE", hits: 1 }, { name: "DONE -> IDLE", hits: 1 }, { name: "DONE -> RUN", hits: 1 },
    ]);
  });

  it("refuses, when the design is built, a name used twice, guards that do not match the operands, a cross of unequal points", () => {
    const tb = new Stimulus({ x: [[], []], y: [[], []], g: [[], []] });
    const p = tb.coverage.point("p", tb.x, valueBins(0, 1));
    expect(() => tb.coverage.point("p", tb.y, valueBins(0, 1))).toThrow(/a cover point or cross named p exists already/);
    expect(() => tb.coverage.point("q", tb.y, valueBins(0, 1), { iff: [tb.g[0]] })).toThrow(/tb\.cov\.q: 1 iff guards for 2 operands/);
    const single = tb.coverage.point("r", tb.y[0], valueBins(0, 1));
    expect(() => tb.coverage.cross("c", p, single)).toThrow(/pairs the operands of p \(2\) and r \(1\) one to one/);
  });
});

const arbReport: fc.Arbitrary<CoverageReport> = fc.uniqueArray(
  fc.record({
    name: fc.constantFrom("a", "b", "c"),
    kind: fc.constantFrom<"point" | "cross">("point", "cross"),
    samples: fc.nat(50),
    bins: fc.uniqueArray(fc.record({ name: fc.constantFrom("0", "1", "2", "x"), hits: fc.nat(9) }), { selector: (b) => b.name }),
  }),
  { selector: (i) => `${i.kind}:${i.name}` },
).map((items) => ({ items }));

describe("merging reports across runs", () => {
  it("unites items and bins by name and adds their samples and hits; the first-seen order is kept", () => {
    fc.assert(fc.property(fc.array(arbReport, { maxLength: 4 }), (reports) => {
      const merged = mergeCoverage(reports);
      const key = (kind: string, name: string) => `${kind}:${name}`;
      const seen = [...new Set(reports.flatMap((r) => r.items.map((i) => key(i.kind, i.name))))];
      expect(merged.items.map((i) => key(i.kind, i.name))).toEqual(seen);
      for (const item of merged.items) {
        const same = reports.flatMap((r) => r.items.filter((i) => i.kind === item.kind && i.name === item.name));
        expect(item.samples).toBe(same.reduce((n, i) => n + i.samples, 0));
        expect(item.bins.map((b) => b.name)).toEqual([...new Set(same.flatMap((i) => i.bins.map((b) => b.name)))]);
        for (const bin of item.bins) expect(bin.hits).toBe(same.flatMap((i) => i.bins).filter((b) => b.name === bin.name).reduce((n, b) => n + b.hits, 0));
      }
      expect(mergeCoverage([mergeCoverage(reports)])).toEqual(merged);
    }), { numRuns: 200 });
  });
});

describe("the coverage's text and JSON", () => {
  const report: CoverageReport = { items: [
    { name: "sequencer.state", kind: "point", samples: 40, bins: [{ name: "IDLE", hits: 3 }, { name: "LOAD", hits: 0 }] },
    { name: "sign x count", kind: "cross", samples: 8, bins: [{ name: "+ × 0", hits: 8 }] },
  ] };

  it("is a table of bins hit per item, with the bins missed", () => {
    expect(coverageText(report)).toBe([
      "functional coverage: 2 of 3 bins (66.7%)",
      "  point  sequencer.state      1/2   50.0%  missed: LOAD",
      "  cross  sign x count         1/1  100.0%",
      "",
    ].join("\n"));
  });

  it("is the report with its totals as JSON", () => {
    expect(JSON.parse(coverageJson(report))).toEqual({ totals: { hit: 2, bins: 3, percent: 200 / 3 }, ...report });
  });
});
