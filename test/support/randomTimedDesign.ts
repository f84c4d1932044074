// Random designs that use every kind of process the engine has, for comparing its back ends: a
// combinational DAG; registers on a rising, falling or either edge of a clock or of any 1-bit node
// (so edges of combinational nets, glitches in delta cycles included); timers that rewrite their
// nodes and re-arm after a delay read from the design (0: the next delta), or stop; a sink that
// records what it reads at the clock's edges. Some nodes are read by nobody, and each timer also
// writes a probe node nobody reads.
import fc from "fast-check";
import { Module } from "../../src/engine/Module.js";
import { type Timer } from "../../src/engine/Process.js";
import type { Bit, Vec } from "../../src/engine/Signal.js";

type Op = "add" | "xor" | "and" | "not" | "inc";
type EdgeName = "posedge" | "negedge" | "anyedge";

/** Node i: its width, how it is driven, and its operands (indices of nodes). */
export interface TimedNode {
  width: number;
  op: Op;
  args: [number, number];
  /** "comb": from earlier nodes; "reg": at `edge` of `clockOf` (−1: the clock, else a 1-bit node); "timer": by timer `timer`. */
  kind: "comb" | "reg" | "timer";
  edge: EdgeName;
  clockOf: number;
  timer: number;
  init: number;
}

/** A design: nodes, timers (first wake-up; the node whose value sets the next delay), the clock, the sink's reads. */
export interface TimedDesignSpec {
  nodes: TimedNode[];
  timers: { firstPs: number; delayFrom: number }[];
  clock: { periodPs: number; firstRisePs: number };
  sinkReads: number[];
}

const apply = (op: Op, a: number, b: number, width: number): number => {
  const r = op === "add" ? a + b : op === "xor" ? a ^ b : op === "and" ? a & b : op === "not" ? ~a : a + 1;
  return (r & ((1 << width) - 1)) >>> 0;
};

/** Arbitrary timed designs of up to `maxNodes` nodes and 3 timers. */
export function arbTimedDesign(maxNodes = 10): fc.Arbitrary<TimedDesignSpec> {
  const raw = fc.record({
    width: fc.integer({ min: 1, max: 6 }),
    op: fc.constantFrom<Op>("add", "xor", "and", "not", "inc"),
    a: fc.nat(),
    b: fc.nat(),
    kind: fc.constantFrom<"comb" | "reg" | "timer">("comb", "reg", "timer"),
    edge: fc.constantFrom<EdgeName>("posedge", "negedge", "anyedge"),
    clockOf: fc.nat(),
    timer: fc.nat(),
    init: fc.nat(),
  });
  return fc.record({
    raw: fc.array(raw, { minLength: 1, maxLength: maxNodes }),
    timers: fc.array(fc.record({ firstPs: fc.integer({ min: 0, max: 9 }), delayFrom: fc.nat() }), { minLength: 1, maxLength: 3 }),
    clock: fc.record({ periodPs: fc.integer({ min: 2, max: 12 }), firstRisePs: fc.integer({ min: 1, max: 12 }) }),
    sinkReads: fc.array(fc.nat(), { maxLength: 4 }),
  }).map(({ raw, timers, clock, sinkReads }) => {
    const n = raw.length;
    const nodes = raw.map((r, i): TimedNode => {
      const kind = i === 0 && r.kind === "comb" ? "reg" : r.kind;
      // comb operands come from earlier nodes only (a DAG); the others may read anything
      const pick = (x: number) => (kind === "comb" ? x % i : x % n);
      const bits = raw.map((x, k) => (x.width === 1 ? k : -1)).filter((k) => k >= 0 && k !== i);
      return {
        width: r.width, op: r.op, args: [pick(r.a), pick(r.b)], kind, edge: r.edge,
        clockOf: bits.length === 0 || r.clockOf % 3 === 0 ? -1 : bits[r.clockOf % bits.length],
        timer: r.timer % timers.length, init: kind === "comb" ? 0 : r.init % (1 << r.width),
      };
    });
    return { nodes, timers: timers.map((t) => ({ ...t, delayFrom: t.delayFrom % n })), clock, sinkReads: sinkReads.map((k) => k % n) };
  });
}

/** The design on the engine: one module per node, each process declaring what it reads of other modules. */
export class TimedDesign extends Module {
  readonly clk: Bit;
  readonly outs: (Bit | Vec)[] = [];
  /** What the sink read at each rising edge of the clock: time and values. */
  readonly sunk: string[] = [];

  constructor(readonly spec: TimedDesignSpec) {
    super(null, "dut");
    this.clk = this.clock("clk", spec.clock);
    const nodes = spec.nodes.map((_, i) => new Module(this, `n[${i}]`));
    // 1-bit nodes are bits, so registers can be clocked by their edges
    spec.nodes.forEach((node, i) => this.outs.push(node.width === 1 ? nodes[i].bit("q", "out", node.init) : nodes[i].vec("q", node.width, "out", node.init)));
    spec.nodes.forEach((node, i) => {
      const q = this.outs[i];
      const [a, b] = node.args.map((k) => this.outs[k]);
      const run = () => q.set(apply(node.op, a.get(), b.get(), node.width));
      if (node.kind === "comb") nodes[i].comb([a, b], [q], run, "logic");
      if (node.kind !== "reg") return;
      const clock = node.clockOf < 0 ? this.clk : (this.outs[node.clockOf] as Bit);
      nodes[i].always(clock[node.edge], [q], run, { label: "reg", reads: [a, b] });
    });
    spec.timers.forEach((t, j) => {
      const owned = spec.nodes.map((n, i) => i).filter((i) => spec.nodes[i].kind === "timer" && spec.nodes[i].timer === j);
      const from = this.outs[t.delayFrom];
      const reads = [from, ...owned.flatMap((i) => spec.nodes[i].args.map((k) => this.outs[k]))];
      // a node of its own that nobody reads, so a timer owning no other node writes something
      const probe = new Module(this, `t[${j}]`).vec("probe", 8, "out");
      let zeroAt = -1; // at most one 0 ps re-arm per time step, so every step settles
      let timer: Timer | null = null;
      timer = this.timer(`timer${j}`, [probe, ...owned.map((i) => this.outs[i])], () => {
        probe.set(this.nowPs & 0xff);
        for (const i of owned) {
          const [a, b] = spec.nodes[i].args.map((k) => this.outs[k].get());
          this.outs[i].set(apply(spec.nodes[i].op, a, b, spec.nodes[i].width));
        }
        const v = from.get();
        if (v % 7 === 6) return; // stop
        let delay = v % 5;
        if (delay === 0 && zeroAt === this.nowPs) delay = 1;
        if (delay === 0) zeroAt = this.nowPs;
        timer!.after(delay);
      }, reads);
      this.onStart.push(() => timer!.after(t.firstPs));
    });
    const sinkReads = spec.sinkReads.map((k) => this.outs[k]);
    this.always(this.clk.posedge, [], () => this.sunk.push(`${this.nowPs}:${sinkReads.map((s) => s.get()).join(",")}`), { label: "sink", reads: sinkReads });
  }
}
