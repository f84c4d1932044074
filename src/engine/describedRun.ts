// The interpreted back end's run of a described process (api.ts, "Described processes"): the tree
// walked statement by statement through the signals' handles, so every read and write is exactly
// a closure's `get`/`set` (and the reference store checks every write against its driver).
import { Description, signalsOf, type BinaryOp, type Expr, type Statement } from "./Description.js";
import { Signal } from "./Signal.js";

/** The operators on unsigned 32-bit values, as both back ends compute them (scheduleSource spells them out again). */
export function binary(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case "add": return (a + b) >>> 0;
    case "sub": return (a - b) >>> 0;
    case "and": return (a & b) >>> 0;
    case "or": return (a | b) >>> 0;
    case "xor": return (a ^ b) >>> 0;
    case "shl": return b >= 32 ? 0 : (a << b) >>> 0;
    case "shr": return b >= 32 ? 0 : a >>> b;
    case "eq": return a === b ? 1 : 0;
    case "ne": return a !== b ? 1 : 0;
    case "lt": return a < b ? 1 : 0;
  }
}

/** A process body running `d` through the handles; its locals start at 0 in every run. */
export function interpretation(d: Description): () => void {
  const locals = new Float64Array(d.nLocals);
  const value = (e: Expr): number => {
    switch (e.kind) {
      case "const": return e.value;
      case "signal": return e.signal.get();
      case "field": return e.signal.getBits(e.lo, e.width);
      case "local": return locals[e.index];
      case "binary": return binary(e.op, value(e.a), value(e.b));
      case "not": return ~value(e.a) >>> 0;
      case "mux": return value(e.select) !== 0 ? value(e.a) : value(e.b);
    }
  };
  const run = (list: readonly Statement[]): void => {
    for (const s of list) {
      if (s.kind === "let") locals[s.local.index] = value(s.value);
      else if (s.kind === "assign") {
        const t = s.target;
        if (t instanceof Signal) t.set(value(s.value));
        else t.signal.setBits(t.lo, t.width, value(s.value));
      } else {
        let i = 0;
        while (i < s.branches.length && value(s.branches[i].cond) === 0) i++;
        if (i < s.branches.length) run(s.branches[i].body);
        else if (s.otherwise !== null) run(s.otherwise);
      }
    }
  };
  return () => {
    locals.fill(0);
    run(d.statements);
  };
}

/** A description built by `build` for the process `where` names, what it reads and writes, and its interpreted run. */
export function describeProcess(where: string, build: (r: Description) => void): { description: Description; reads: Signal[]; writes: Signal[]; run: () => void } {
  const description = new Description(where);
  build(description);
  return { description, ...signalsOf(description.statements), run: interpretation(description) };
}
