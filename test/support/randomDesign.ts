// Random synchronous designs for property tests: registers on two clocks fed by a DAG of
// combinational nodes, plus a plain cycle-by-cycle reference model written independently.
import fc from "fast-check";
import { Module } from "../../src/engine/Module.js";
import type { Bit, Vec, WideVec } from "../../src/engine/Signal.js";

type Op = "add" | "xor" | "and" | "or" | "not" | "shl" | "inc";

/** A node: a register (clocked by clock 0 or 1) or a combinational function of earlier nodes. */
export interface NodeSpec {
  width: number;
  op: Op;
  /** Operands: indices of earlier nodes (for a register, its D input may be any node). */
  args: number[];
  register: boolean;
  clock: 0 | 1;
  init: bigint;
}

/** A random design: nodes in index order, the two clocks' periods and first rising edges. */
export interface DesignSpec {
  nodes: NodeSpec[];
  clocks: { periodPs: number; firstRisePs: number }[];
}

function apply(op: Op, a: bigint, b: bigint, width: number): bigint {
  const r =
    op === "add" ? a + b : op === "xor" ? a ^ b : op === "and" ? a & b : op === "or" ? a | b
    : op === "not" ? ~a : op === "shl" ? a << 1n : a + 1n;
  return BigInt.asUintN(width, r);
}

/** Arbitrary designs of up to `maxNodes` nodes; node 0 is always a register so something moves. */
export function arbDesign(maxNodes = 12): fc.Arbitrary<DesignSpec> {
  const node = fc.record({
    width: fc.oneof(fc.integer({ min: 1, max: 32 }), fc.integer({ min: 33, max: 80 })),
    op: fc.constantFrom<Op>("add", "xor", "and", "or", "not", "shl", "inc"),
    a: fc.nat(),
    b: fc.nat(),
    register: fc.boolean(),
    clock: fc.constantFrom<0 | 1>(0, 1),
    init: fc.bigInt({ min: 0n, max: (1n << 80n) - 1n }),
  });
  const clock = fc.record({ periodPs: fc.integer({ min: 2, max: 40 }), firstRisePs: fc.integer({ min: 0, max: 40 }) });
  return fc.record({ raw: fc.array(node, { minLength: 1, maxLength: maxNodes }), clocks: fc.tuple(clock, clock) }).map(
    ({ raw, clocks }) => {
      const n = raw.length;
      const nodes = raw.map((r, i): NodeSpec => {
        const register = i === 0 || r.register;
        // combinational operands come from earlier nodes only (a DAG); registers may read anything
        const pick = (x: number) => (register ? x % n : i === 0 ? 0 : x % i);
        return { width: r.width, op: r.op, args: [pick(r.a), pick(r.b)], register, clock: r.clock,
          init: register ? BigInt.asUintN(r.width, r.init) : 0n };
      });
      return { nodes, clocks };
    },
  );
}

type Handle = Vec | WideVec;
const read = (h: Handle): bigint => ("getBig" in h ? h.getBig() : BigInt(h.get()));
const write = (h: Handle, v: bigint): void => ("setBig" in h ? h.setBig(v) : h.set(Number(v)));

/** The design on the engine: one module per node, registers as always@posedge, the rest as comb. */
export class RandomDesign extends Module {
  readonly clocks: Bit[];
  readonly outs: Handle[] = [];

  constructor(readonly spec: DesignSpec) {
    super(null, "dut");
    this.clocks = spec.clocks.map((c, i) => this.clock(`clk${i}`, c));
    spec.nodes.forEach((node, i) => {
      const m = new Module(this, `n[${i}]`);
      this.outs.push(node.width > 32 ? m.wide("q", node.width, "out", node.init) : m.vec("q", node.width, "out", Number(node.init)));
    });
    spec.nodes.forEach((node, i) => {
      const q = this.outs[i];
      const [a, b] = node.args.map((k) => this.outs[k]);
      const run = () => write(q, apply(node.op, read(a), read(b), node.width));
      const owner = this.children[i];
      if (node.register) owner.always(this.clocks[node.clock].posedge, [q], run, { label: "reg", reads: [a, b] });
      else owner.comb([a, b], [q], run, "logic");
    });
  }
}

/**
 * The same design computed plainly: at each time with rising edges, settle the combinational
 * DAG in index order from the registers, then load every register clocked at that time at once.
 * Returns each node's value after every edge time up to `untilPs`, as text.
 */
export function referenceRun(spec: DesignSpec, untilPs: number): Map<number, string[]> {
  const vals = spec.nodes.map((n) => n.init);
  const settle = () => spec.nodes.forEach((n, i) => {
    if (!n.register) vals[i] = apply(n.op, vals[n.args[0]], vals[n.args[1]], n.width);
  });
  const rises = (c: { periodPs: number; firstRisePs: number }, t: number) =>
    t >= c.firstRisePs && (t - c.firstRisePs) % c.periodPs === 0;
  settle();
  const out = new Map<number, string[]>();
  for (let t = 0; t <= untilPs; t++) {
    const edge = spec.clocks.map((c) => rises(c, t));
    if (!edge[0] && !edge[1]) continue;
    const nextVals = spec.nodes.map((n, i) =>
      n.register && edge[n.clock] ? apply(n.op, vals[n.args[0]], vals[n.args[1]], n.width) : vals[i]);
    nextVals.forEach((v, i) => (vals[i] = v));
    settle();
    out.set(t, vals.map(String));
  }
  return out;
}
