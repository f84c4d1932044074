// Random designs of described processes for property tests (api.ts, "Described processes"): random
// statement trees over random Bit, Vec and WideVec signals, clocked on two clocks and
// combinational, and a plain evaluator of the same trees in BigInt arithmetic, written apart from
// the engine's, cycle by cycle.
import fc from "fast-check";
import type { BinaryOp, Description, Local, Operand } from "../../src/engine/Description.js";
import { Module } from "../../src/engine/Module.js";
import type { Bit, Vec, WideVec } from "../../src/engine/Signal.js";
import { mulberry32 } from "../../src/engine/prng.js";

type ExprSpec =
  | { k: "const"; v: number }
  | { k: "sig"; s: number }
  | { k: "field"; s: number; lo: number; width: number }
  | { k: "local"; i: number }
  | { k: "bin"; op: BinaryOp; a: ExprSpec; b: ExprSpec }
  | { k: "not"; a: ExprSpec }
  | { k: "mux"; c: ExprSpec; a: ExprSpec; b: ExprSpec };
type StmtSpec =
  | { k: "assign"; s: number; lo: number; width: number; v: ExprSpec }
  | { k: "let"; i: number; v: ExprSpec }
  | { k: "if"; branches: { c: ExprSpec; body: StmtSpec[] }[]; otherwise: StmtSpec[] | null };

/** A signal: its width (1..80; a 1-bit one is a Bit or a Vec), initial value and driving process. */
export interface SignalSpec { width: number; bit: boolean; init: bigint; driver: number }
/** A process: clocked by clock 0 or 1, or combinational (assigning all it drives first: no latches); its body. */
export interface ProcSpec { clocked: boolean; clock: 0 | 1; body: StmtSpec[] }
/** A random described design. */
export interface DescribedSpec {
  signals: SignalSpec[];
  procs: ProcSpec[];
  clocks: { periodPs: number; firstRisePs: number }[];
}

const OPS: BinaryOp[] = ["add", "sub", "and", "or", "xor", "shl", "shr", "eq", "ne", "lt"];
const M32 = (1n << 32n) - 1n;

/**
 * A design made from `seed`: 2–8 processes (process 0 clocked), 3–12 signals, each driven by one of
 * them or by none. A `bank` is two clocked processes on one clock driving the first half of the
 * signals and comb processes reading them, as a row of channels is.
 */
export function describedSpec(seed: number, bank = false): DescribedSpec {
  const rnd = mulberry32(seed);
  const int = (n: number) => rnd() % n;
  const nProcs = bank ? 4 + int(5) : 2 + int(7);
  const procs: ProcSpec[] = Array.from({ length: nProcs }, (_, p) => ({ clocked: p === 0 || (!bank && int(2) === 0), clock: int(2) as 0 | 1, body: [] }));
  if (bank || int(2) === 0) procs[1] = { clocked: true, clock: procs[0].clock, body: [] }; // often a clock edge wakes two
  const nSignals = 3 + int(10);
  const signals: SignalSpec[] = Array.from({ length: nSignals }, (_, s) => {
    const width = int(3) === 0 ? 33 + int(48) : 1 + int(32);
    const init = BigInt.asUintN(width, (BigInt(rnd()) << 64n) | (BigInt(rnd()) << 32n) | BigInt(rnd()));
    const driver = s === 0 ? 0 : bank ? (s < nSignals / 2 ? int(2) : 2 + int(nProcs - 2)) : int(nProcs + 1) - 1;
    return { width, bit: width === 1 && int(2) === 0, init, driver };
  });
  // a comb process reads what clocked processes, undriven signals and combs of lower index drive: no loops
  const readable = (p: number) => signals.flatMap((s, i) => (procs[p].clocked || s.driver < 0 || procs[s.driver].clocked || s.driver < p ? [i] : []));
  // two in three comb processes read one register only, which no other comb process reads: the
  // compiled schedule fuses such readers into their register's clock edge
  const registers = signals.flatMap((s, i) => (s.driver >= 0 && procs[s.driver].clocked ? [i] : []));
  const alone = new Map<number, number>();
  procs.forEach((proc, p) => {
    const free = registers.filter((i) => ![...alone.values()].includes(i));
    if (!proc.clocked && free.length > 0 && (bank || int(3) !== 0)) alone.set(p, free[int(free.length)]);
  });
  procs.forEach((proc, p) => {
    const others = readable(p).filter((i) => proc.clocked || ![...alone.values()].includes(i));
    const reads = alone.has(p) ? [alone.get(p)!] : others.length > 0 ? others : readable(p);
    const writes = signals.flatMap((s, i) => (s.driver === p ? [i] : []));
    let locals = 0;
    const expr = (depth: number): ExprSpec => {
      const pick = int(depth <= 0 ? 4 : 8);
      if (pick === 0 || (pick === 3 && locals === 0)) return { k: "const", v: int(4) === 0 ? rnd() : int(40) };
      if (pick <= 2) {
        const s = reads[int(reads.length)];
        const w = signals[s].width;
        if (w <= 32) return { k: "sig", s };
        const lo = int(w);
        return { k: "field", s, lo, width: 1 + int(Math.min(32, w - lo)) };
      }
      if (pick === 3) return { k: "local", i: int(locals) };
      if (pick === 4) return { k: "not", a: expr(depth - 1) };
      if (pick === 5) return { k: "mux", c: expr(depth - 1), a: expr(depth - 1), b: expr(depth - 1) };
      return { k: "bin", op: OPS[int(OPS.length)], a: expr(depth - 1), b: expr(depth - 1) };
    };
    const block = (depth: number): StmtSpec[] => {
      const out: StmtSpec[] = [];
      for (let n = 1 + int(3); n > 0; n--) {
        const pick = int(depth <= 0 ? 2 : 3);
        if (pick === 0 || writes.length === 0) {
          const v = expr(2); // before the local it sets is declared
          out.push({ k: "let", i: locals === 0 || int(2) === 0 ? locals++ : int(locals), v });
        } else if (pick === 1) {
          const s = writes[int(writes.length)];
          const w = signals[s].width;
          const lo = w <= 32 ? 0 : int(2) === 0 ? 32 * int(Math.ceil(w / 32)) : int(w);
          out.push({ k: "assign", s, lo, width: w <= 32 ? w : Math.min(32, w - lo), v: expr(3) });
        } else {
          const branches = Array.from({ length: 1 + int(2) }, () => ({ c: expr(2), body: block(depth - 1) }));
          out.push({ k: "if", branches, otherwise: int(2) === 0 ? block(depth - 1) : null });
        }
      }
      return out;
    };
    // the first statement reads a signal, so a comb process has an input; a comb process then
    // assigns every bit it drives (no latch: its outputs are a function of its inputs, however
    // often it runs, as the plain evaluator assumes)
    const first: StmtSpec = { k: "let", i: locals++, v: { k: "sig", s: reads[int(reads.length)] } };
    const defaults = proc.clocked ? [] : writes.flatMap((s) => {
      const w = signals[s].width;
      return Array.from({ length: Math.ceil(w / 32) }, (_, k): StmtSpec => ({ k: "assign", s, lo: 32 * k, width: Math.min(32, w - 32 * k), v: expr(2) }));
    });
    proc.body = [first, ...defaults, ...block(2)];
    proc.body = proc.body.map((st) => (st.k === "let" && st.v.k === "sig" && signals[st.v.s].width > 32 ? { ...st, v: { k: "field", s: st.v.s, lo: 0, width: 32 } } : st));
  });
  const clock = () => ({ periodPs: 2 + int(30), firstRisePs: 1 + int(30) });
  return { signals, procs, clocks: [clock(), clock()] };
}

/** Arbitrary designs: the seed fast-check prints on a failure makes the same design again. */
export const arbDescribed = (): fc.Arbitrary<DescribedSpec> =>
  fc.tuple(fc.nat(), fc.nat({ max: 2 })).map(([seed, kind]) => describedSpec(seed, kind === 0));

type Handle = Bit | Vec | WideVec;

/** The design on the engine: one module, its signals, and each process described from its spec. */
export class DescribedDesign extends Module {
  readonly clocks: Bit[];
  readonly handles: Handle[];

  constructor(readonly spec: DescribedSpec) {
    super(null, "dut");
    this.clocks = spec.clocks.map((c, i) => this.clock(`clk${i}`, c));
    this.handles = spec.signals.map((s, i) =>
      s.width > 32 ? this.wide(`s${i}`, s.width, "internal", s.init) : s.bit ? this.bit(`s${i}`, "internal", Number(s.init)) : this.vec(`s${i}`, s.width, "internal", Number(s.init)));
    spec.procs.forEach((proc, p) => {
      if (!spec.signals.some((s) => s.driver === p) && !proc.clocked) return; // a comb process that drives nothing is left out
      const build = (r: Description) => {
        const locals: Local[] = [];
        const expr = (e: ExprSpec): Operand => {
          switch (e.k) {
            case "const": return e.v;
            case "sig": return this.handles[e.s] as Bit | Vec;
            case "field": return r.bits(this.handles[e.s] as WideVec, e.lo, e.width);
            case "local": return locals[e.i];
            case "not": return r.not(expr(e.a));
            case "mux": return r.mux(expr(e.c), expr(e.a), expr(e.b));
            case "bin": return r[e.op](expr(e.a), expr(e.b));
          }
        };
        const block = (list: StmtSpec[]): void => {
          for (const st of list) {
            if (st.k === "let") {
              if (locals[st.i] === undefined) locals[st.i] = r.local(expr(st.v));
              else r.assign(locals[st.i], expr(st.v));
            } else if (st.k === "assign") {
              const h = this.handles[st.s];
              r.assign("words" in h ? r.bits(h, st.lo, st.width) : h, expr(st.v));
            } else {
              let chain = r.when(expr(st.branches[0].c), () => block(st.branches[0].body));
              for (const b of st.branches.slice(1)) chain = chain.orWhen(expr(b.c), () => block(b.body));
              if (st.otherwise !== null) chain.otherwise(() => block(st.otherwise!));
            }
          }
        };
        block(proc.body);
      };
      if (proc.clocked) this.described(this.clocks[proc.clock].posedge, build, `p${p}`);
      else this.describedComb(build, `p${p}`);
    });
  }
}

/**
 * The plain evaluator: each process run on BigInt values, unsigned 32-bit, locals 0 at each run;
 * at each time with rising edges the clocked processes of those clocks run on the values before
 * it and their writes land at once, then the comb processes settle in index order. Returns every
 * signal's value after each edge time up to `untilPs`, as text.
 */
export function plainRun(spec: DescribedSpec, untilPs: number): Map<number, string[]> {
  const vals = spec.signals.map((s) => s.init);
  const run = (proc: ProcSpec, next: bigint[]) => {
    const locals: bigint[] = [];
    const u32 = (x: bigint) => BigInt.asUintN(32, x);
    const expr = (e: ExprSpec): bigint => {
      switch (e.k) {
        case "const": return BigInt(e.v);
        case "sig": return vals[e.s];
        case "field": return (vals[e.s] >> BigInt(e.lo)) & ((1n << BigInt(e.width)) - 1n);
        case "local": return locals[e.i] ?? 0n;
        case "not": return u32(~expr(e.a));
        case "mux": return expr(e.c) !== 0n ? expr(e.a) : expr(e.b);
        case "bin": {
          const a = expr(e.a), b = expr(e.b);
          const ops: Record<BinaryOp, () => bigint> = {
            add: () => u32(a + b), sub: () => u32(a - b), and: () => a & b, or: () => a | b, xor: () => a ^ b,
            shl: () => (b >= 32n ? 0n : u32(a << b)), shr: () => (b >= 32n ? 0n : a >> b),
            eq: () => BigInt(a === b), ne: () => BigInt(a !== b), lt: () => BigInt(a < b),
          };
          return ops[e.op]();
        }
      }
    };
    const block = (list: StmtSpec[]): void => {
      for (const st of list) {
        if (st.k === "let") locals[st.i] = expr(st.v);
        else if (st.k === "assign") {
          const w = spec.signals[st.s].width;
          const v = BigInt.asUintN(st.width, expr(st.v)) << BigInt(st.lo);
          const field = ((1n << BigInt(st.width)) - 1n) << BigInt(st.lo);
          next[st.s] = BigInt.asUintN(w, (next[st.s] & ~field) | v);
        } else {
          const taken = st.branches.find((b) => expr(b.c) !== 0n);
          if (taken) block(taken.body);
          else if (st.otherwise) block(st.otherwise);
        }
      }
    };
    block(proc.body);
  };
  const settle = () => spec.procs.forEach((p) => {
    if (p.clocked) return;
    const next = vals.slice();
    run(p, next);
    next.forEach((v, i) => (vals[i] = v));
  });
  const rises = (c: { periodPs: number; firstRisePs: number }, t: number) => t >= c.firstRisePs && (t - c.firstRisePs) % c.periodPs === 0;
  settle();
  const out = new Map<number, string[]>();
  for (let t = 0; t <= untilPs; t++) {
    const edge = spec.clocks.map((c) => rises(c, t));
    if (!edge[0] && !edge[1]) continue;
    const next = vals.slice();
    spec.procs.forEach((p) => p.clocked && edge[p.clock] && run(p, next));
    next.forEach((v, i) => (vals[i] = v));
    settle();
    out.set(t, vals.map(String));
  }
  return out;
}
